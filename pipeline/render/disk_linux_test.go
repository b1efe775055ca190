package render

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// A rendered file gets the permissions ffmpeg would give it: 0666 less the
// umask, not 0600.
func TestRenderOutputHonoursUmask(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "01-mode")
	os.MkdirAll(dir, 0o755)
	l := newLesson(dir, blueLesson(t, dir, 1))
	out := filepath.Join(t.TempDir(), "lesson.mp4")
	p, err := NewPlan(context.Background(), l, Options{Preset: "ultrafast", Output: out})
	if err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0o002)
	_, err = p.Run(context.Background(), nil)
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o664 {
		t.Errorf("rendered file mode %v with umask 002, want -rw-rw-r--", got)
	}
}

// A full disk is one line saying so, not a page of ffmpeg's output, and
// leaves no partial file.
func TestRenderFullDisk(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "01-full")
	os.MkdirAll(dir, 0o755)
	l := newLesson(dir, blueLesson(t, dir, 2))
	full := t.TempDir()
	if err := syscall.Mount("tmpfs", full, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); atomicfile's TestExplain and TestExitErrorDiskFull cover the message", err)
	}
	defer syscall.Unmount(full, 0)
	filler, _ := os.Create(filepath.Join(full, "filler"))
	for {
		if _, err := filler.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	filler.Close()

	p, err := NewPlan(context.Background(), l, Options{Preset: "ultrafast", Output: filepath.Join(full, "lesson.mp4")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Run(context.Background(), nil)
	var we *atomicfile.WriteError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "the disk is full") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("render on a full disk: %v, want one line saying the disk is full", err)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("the error hides its cause: %v", err)
	}
	var ee *ffmpeg.ExitError
	if !errors.As(err, &ee) {
		t.Errorf("ffmpeg's error is not kept for the curious: %v", err)
	}
	entries, _ := os.ReadDir(full)
	if len(entries) != 1 {
		t.Errorf("left on the full disk: %v, want only the filler", entries)
	}
}
