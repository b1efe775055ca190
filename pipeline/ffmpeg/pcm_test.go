package ffmpeg

import (
	"context"
	"errors"
	"math"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

func TestDecodeAudio(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	withSound := filepath.Join(dir, "a: 'b'.mp4")
	silentVideo := filepath.Join(dir, "v.mp4")
	for _, c := range [][]string{
		{"-f", "lavfi", "-i", "color=c=blue:s=64x64:r=25:d=2", "-f", "lavfi", "-i", "sine=f=1000:d=2:sample_rate=44100",
			"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ac", "2", "file:" + withSound},
		{"-f", "lavfi", "-i", "color=c=blue:s=64x64:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", silentVideo},
	} {
		if b, err := exec.Command("ffmpeg", append([]string{"-hide_banner", "-loglevel", "error", "-y"}, c...)...).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
	}
	var s []int16
	if err := DecodeAudio(context.Background(), withSound, 16000, func(p []int16) { s = append(s, p...) }); err != nil {
		t.Fatal(err)
	}
	if n := len(s); n < 31000 || n > 33500 {
		t.Errorf("got %d samples, want 2 s at 16 kHz (32000)", n)
	}
	// A 1 kHz tone crosses zero 2000 times a second.
	crossings := 0
	for i := 8000; i < 8000+16000; i++ {
		if (s[i-1] < 0) != (s[i] < 0) {
			crossings++
		}
	}
	if math.Abs(float64(crossings-2000)) > 20 {
		t.Errorf("%d zero crossings in the first second after 0.5 s, want 2000 (a 1 kHz tone)", crossings)
	}
	if err := DecodeAudio(context.Background(), silentVideo, 16000, func([]int16) {}); !errors.Is(err, ErrNoAudio) {
		t.Errorf("video without sound: err = %v, want ErrNoAudio", err)
	}
}
