package align

import (
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/align/aligntest"
)

// tenMinutes is five copies of the two-minute test lesson.
func tenMinutes(b *testing.B) ([]int16, []captions.Cue) {
	one := aligntest.Lesson(b, "az")
	var samples []int16
	var cues []captions.Cue
	for range 5 {
		at := time.Duration(len(samples)) * time.Second / aligntest.SampleRate
		for _, c := range one.Cues {
			c.Start += at + 2300*time.Millisecond
			c.End += at + 2300*time.Millisecond
			cues = append(cues, c)
		}
		samples = append(samples, one.Samples...)
	}
	return samples, cues
}

// BenchmarkSpeech: the detector on 10 minutes of sound.
func BenchmarkSpeech(b *testing.B) {
	samples, _ := tenMinutes(b)
	b.ReportAllocs()
	for b.Loop() {
		Speech(samples)
	}
}

// BenchmarkAlign: the offset and drift search over a 10-minute lesson.
func BenchmarkAlign(b *testing.B) {
	samples, cues := tenMinutes(b)
	speech := Speech(samples)
	b.ReportAllocs()
	for b.Loop() {
		r := Align(speech, cues, Options{})
		if d := r.Offset + 2300*time.Millisecond; d < -100*time.Millisecond || d > 100*time.Millisecond {
			b.Fatalf("offset %v", r.Offset)
		}
	}
}
