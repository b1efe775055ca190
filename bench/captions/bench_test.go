// Package captions_bench compares lessonpub's caption parser with
// github.com/asticode/go-astisub on the same generated files. It is a module
// of its own so that astisub never enters lessonpub's dependencies.
//
//	cd bench/captions && go test -run x -bench . -benchmem
package captions_bench

import (
	"bytes"
	"testing"

	"github.com/asticode/go-astisub"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/captionstest"
)

const cues = 150

func files() map[string][]byte {
	return map[string][]byte{
		"srt": captionstest.Cues("srt", cues, 0),
		"vtt": captionstest.Cues("vtt", cues, 0),
	}
}

func BenchmarkLessonpub(b *testing.B) {
	for format, data := range files() {
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := captions.Parse(data, format)
				if err != nil || len(f.Cues) != cues {
					b.Fatalf("parsed %d cues (%v), want %d", len(f.Cues), err, cues)
				}
			}
		})
	}
}

func BenchmarkAstisub(b *testing.B) {
	for format, data := range files() {
		b.Run(format, func(b *testing.B) {
			read := astisub.ReadFromSRT
			if format == "vtt" {
				read = astisub.ReadFromWebVTT
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				s, err := read(bytes.NewReader(data))
				if err != nil || len(s.Items) != cues {
					b.Fatalf("parsed %d cues (%v), want %d", len(s.Items), err, cues)
				}
			}
		})
	}
}

// TestSameCues checks that both parsers read the generated files the same
// way, so the benchmarks compare like with like.
func TestSameCues(t *testing.T) {
	for format, data := range files() {
		f, _ := captions.Parse(data, format)
		read := astisub.ReadFromSRT
		if format == "vtt" {
			read = astisub.ReadFromWebVTT
		}
		s, err := read(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Items) != len(f.Cues) {
			t.Fatalf("%s: astisub %d cues, lessonpub %d", format, len(s.Items), len(f.Cues))
		}
		for i, it := range s.Items {
			if it.StartAt != f.Cues[i].Start || it.EndAt != f.Cues[i].End {
				t.Errorf("%s cue %d: astisub %v-%v, lessonpub %v-%v", format, i, it.StartAt, it.EndAt, f.Cues[i].Start, f.Cues[i].End)
			}
		}
	}
}
