package ffmpeg

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// The sample has the quirks of real ffmpeg output: N/A and a large
// negative out_time at the start, a jump ahead to a subtitle packet, and a
// final out_time a little past the probed duration.
func TestProgressParser(t *testing.T) {
	sample, err := os.ReadFile("testdata/progress.txt")
	if err != nil {
		t.Fatal(err)
	}
	var got []Progress
	p := &progressParser{duration: 10 * time.Second, emit: func(pr Progress) { got = append(got, pr) }}
	// Feed in awkward pieces, as a pipe delivers them.
	for len(sample) > 0 {
		n := min(7, len(sample))
		p.Write(sample[:n])
		sample = sample[n:]
	}
	p.finish()
	s := time.Second
	want := []Progress{
		{Duration: 10 * s, ETA: -1},
		{Frame: 1, Size: 48, Duration: 10 * s, ETA: -1},
		{OutTime: 1 * s, Frame: 30, Size: 37345, Duration: 10 * s, Percent: 10, Speed: 2, ETA: 4500 * time.Millisecond},
		{OutTime: 4500 * time.Millisecond, Frame: 45, Size: 52345, Duration: 10 * s, Percent: 45, Speed: 2, ETA: 2750 * time.Millisecond},
		{OutTime: 4500 * time.Millisecond, Frame: 60, Size: 62345, Duration: 10 * s, Percent: 45, Speed: 2, ETA: 2750 * time.Millisecond},
		{OutTime: 10 * s, Frame: 300, Size: 362345, Duration: 10 * s, Percent: 100, Speed: 2.1, ETA: 0},
		{OutTime: 10 * s, Frame: 300, Size: 362345, Duration: 10 * s, Percent: 100, Speed: 2.1, ETA: 0, Done: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("progress events (-want +got):\n%s", diff)
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out        string
		maj, minor int
		ok         bool
	}{
		{"ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026", 5, 1, true},
		{"ffmpeg version n6.1.1 Copyright", 6, 1, true},
		{"ffmpeg version 4.4.2-0ubuntu0.22.04.1", 4, 4, true},
		{"ffmpeg version N-112345-gabcdef", 0, 0, false},
	}
	for _, tt := range tests {
		maj, minor, ok := parseVersion(tt.out)
		if maj != tt.maj || minor != tt.minor || ok != tt.ok {
			t.Errorf("parseVersion(%q) = %d, %d, %v", tt.out, maj, minor, ok)
		}
	}
}

func TestCheck(t *testing.T) {
	ffmpegtest.Require(t)
	if err := Check(context.Background(), "subtitles", "overlay", "loudnorm"); err != nil {
		t.Fatal(err)
	}
	err := Check(context.Background(), "no_such_filter_xyz")
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "no_such_filter_xyz") || !strings.Contains(err.Error(), "apt-get install ffmpeg") {
		t.Errorf("Check with a missing filter = %v", err)
	}
}

func TestRunProgressAndOddNames(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	t.Chdir(dir)
	src := makeClip(t, dir, "src.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast")
	// A relative name that looks like a protocol.
	if err := os.Rename(src, filepath.Join(dir, "data:x.mp4")); err != nil {
		t.Fatal(err)
	}
	out := "-out: it's [ş],ə;İ.mp4"
	c := New()
	c.Input("data:x.mp4")
	c.Map("0:v:0").Output(out, "-c", "copy")
	c.Duration = 2 * time.Second
	var events []Progress
	if err := c.Run(context.Background(), func(p Progress) { events = append(events, p) }); err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || !events[len(events)-1].Done || events[len(events)-1].Percent != 100 {
		t.Fatalf("last progress event is not Done at 100%%: %+v", events)
	}
	m, err := Probe(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Video == nil || m.Video.Width != 160 {
		t.Errorf("output video = %+v", m.Video)
	}
}

func TestRunErrorCarriesStderrTail(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	c := New()
	c.Input(filepath.Join(dir, "missing.mp4"))
	c.Output(filepath.Join(dir, "out.mp4"))
	err := c.Run(context.Background(), nil)
	var ee *ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("error = %v, want *ExitError", err)
	}
	if !strings.Contains(err.Error(), "missing.mp4: No such file or directory") {
		t.Errorf("error lacks ffmpeg's reason: %v", err)
	}
}

// TestRunCancel cancels a long encode and checks that ffmpeg is gone and
// its MP4 readable (a killed ffmpeg leaves one without its moov atom), for
// the whole stop sequence and for 'q' and the interrupt signal each alone;
// a step that did not work would end in the kill and an unreadable file.
func TestRunCancel(t *testing.T) {
	ffmpegtest.Require(t)
	tests := []struct {
		name string
		stop stopSteps
	}{
		{"q then signal then kill", stopSteps{}},
		{"q alone", stopSteps{skipSignal: true}},
		{"signal alone", stopSteps{skipQuit: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.stop.skipQuit && runtime.GOOS == "windows" {
				t.Skip("no interrupt signal on Windows")
			}
			out := filepath.Join(t.TempDir(), "long.mp4")
			c := New()
			c.InputFormat("lavfi", "testsrc2=s=320x180:r=25:d=600", "-re")
			c.Output(out, "-c:v", "libx264", "-preset", "ultrafast")
			c.Duration = 600 * time.Second
			c.stop = tt.stop
			ctx, cancel := context.WithCancel(context.Background())
			started := make(chan struct{}, 1)
			done := make(chan error, 1)
			go func() {
				done <- c.Run(ctx, func(p Progress) {
					if p.Frame > 0 {
						select {
						case started <- struct{}{}:
						default:
						}
					}
				})
			}()
			select {
			case <-started:
			case err := <-done:
				t.Fatalf("ffmpeg ended before it was cancelled: %v", err)
			case <-time.After(30 * time.Second):
				t.Fatal("no progress from ffmpeg")
			}
			pids := ffmpegChildren(t)
			cancel()
			err := <-done
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error = %v, want context.Canceled", err)
			}
			for _, pid := range pids {
				if alive(pid) {
					t.Errorf("ffmpeg process %d still running after cancel", pid)
				}
			}
			if _, err := Probe(context.Background(), out); err != nil {
				t.Errorf("output after cancel is not a readable MP4: %v", err)
			}
		})
	}
}

func TestExitErrorDiskFull(t *testing.T) {
	for _, tc := range []struct {
		tail string
		want bool
	}{
		{"[mp4 @ 0x5581] Error writing trailer of out.mp4: No space left on device\n", true},
		{"av_interleaved_write_frame(): Disk quota exceeded\n", true},
		{"out.mp4: Permission denied\n", false},
		{"", false},
	} {
		err := error(&ExitError{ExitCode: 1, Tail: tc.tail, Err: errors.New("exit status 1")})
		if got := errors.Is(err, syscall.ENOSPC); got != tc.want {
			t.Errorf("errors.Is(ExitError{Tail: %q}, ENOSPC) = %v, want %v", tc.tail, got, tc.want)
		}
		if full := strings.Contains(err.Error(), "the disk is full"); full != tc.want || (tc.want && strings.Contains(err.Error(), "\n")) {
			t.Errorf("ExitError{Tail: %q}.Error() = %q, want one line saying the disk is full: %v", tc.tail, err, tc.want)
		}
	}
}
