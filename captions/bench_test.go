package captions_test

import (
	"testing"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/captionstest"
)

func benchmarkParse(b *testing.B, format string) {
	data := captionstest.Cues(format, 150, 0)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, _ := captions.Parse(data, format)
		if len(f.Cues) != 150 {
			b.Fatalf("parsed %d cues, want 150", len(f.Cues))
		}
	}
}

func BenchmarkParseSRT(b *testing.B) { benchmarkParse(b, captions.SRT) }
func BenchmarkParseVTT(b *testing.B) { benchmarkParse(b, captions.VTT) }

func BenchmarkLint(b *testing.B) {
	f := captions.ParseSRT(captionstest.Cues(captions.SRT, 150, 0))
	p := captions.DefaultProfile()
	b.ReportAllocs()
	for b.Loop() {
		captions.Lint(f, p, captions.LintOptions{Language: "az"})
	}
}
