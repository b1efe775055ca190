package ffmpeg

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// makeClip runs ffmpeg with args (lavfi inputs and output options) writing
// to dir/name and returns the path.
func makeClip(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	argv := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)
	argv = append(argv, "file:"+out)
	if b, err := exec.Command("ffmpeg", argv...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", name, err, b)
	}
	return out
}

func TestProbe(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	plain := makeClip(t, dir, "plain.mp4",
		"-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=1",
		"-f", "lavfi", "-i", "sine=d=1:sample_rate=44100",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", "-shortest")
	// ffmpeg 5.1 sets a display matrix only when copying.
	clip := makeClip(t, dir, "lesson: it's [1].mp4", "-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90")
	m, err := Probe(context.Background(), clip)
	if err != nil {
		t.Fatal(err)
	}
	if m.Video == nil || m.Audio == nil {
		t.Fatalf("want video and audio, got %+v", m)
	}
	v, a := m.Video, m.Audio
	if v.Codec != "h264" || v.Width != 320 || v.Height != 180 || v.FrameRate != 25 || v.VFR || v.PixFmt != "yuv420p" || v.BitDepth != 8 {
		t.Errorf("video = %+v", *v)
	}
	if v.Rotation != 90 && v.Rotation != 270 {
		t.Errorf("rotation = %d, want 90 or 270", v.Rotation)
	}
	if w, h := v.DisplaySize(); w != 180 || h != 320 {
		t.Errorf("display size = %dx%d, want 180x320", w, h)
	}
	if a.Codec != "aac" || a.Channels != 1 || a.SampleRate != 44100 {
		t.Errorf("audio = %+v", *a)
	}
	if d := m.Duration - time.Second; d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("duration = %v, want about 1s", m.Duration)
	}
	if m.FastStart {
		t.Errorf("FastStart = true for a file written without +faststart")
	}
}

func TestProbeErrors(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	good := makeClip(t, dir, "good.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x90:d=1",
		"-c:v", "libx264", "-preset", "ultrafast")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	audioOnly := makeClip(t, dir, "voice.m4a", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac")

	tests := []struct {
		name string
		path string
		want error
		text string // in the message
	}{
		{"empty", write("empty.mp4", nil), ErrEmpty, "empty.mp4"},
		{"text", write("notes.mp4", []byte("Dərs 1: alətlər\nşüşə muncuqlar\n")), ErrNotMedia, "text file"},
		{"truncated", write("cut.mp4", data[:len(data)/3]), ErrTruncated, "cut.mp4"},
		{"garbage", write("noise.avi", []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9, 9, 9, 9}), ErrNotMedia, "noise.avi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Probe(context.Background(), tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Probe error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not name the file and say %q", err, tt.text)
			}
		})
	}

	t.Run("no video", func(t *testing.T) {
		m, err := Probe(context.Background(), audioOnly)
		if err != nil {
			t.Fatal(err)
		}
		err = m.RequireVideo()
		if !errors.Is(err, ErrNoVideo) || !strings.Contains(err.Error(), audioOnly) || !strings.Contains(err.Error(), "audio (aac)") {
			t.Errorf("RequireVideo = %v", err)
		}
	})
}

func TestRational(t *testing.T) {
	for in, want := range map[string]float64{"30/1": 30, "30000/1001": 30000.0 / 1001, "0/0": 0, "25": 25, "x": 0} {
		if got := rational(in); got != want {
			t.Errorf("rational(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[int]int{-90: 270, 90: 90, 180: 180, -180: 180, 270: 270, 360: 0, 0: 0} {
		if got := normalizeRotation(in); got != want {
			t.Errorf("normalizeRotation(%d) = %d, want %d", in, got, want)
		}
	}
}
