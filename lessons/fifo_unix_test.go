//go:build unix

package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFIFOsAreRefused names inputs after what a lesson folder holds, makes
// them named pipes (which nobody writes to), and loads the course: reading
// one would block forever.
func TestFIFOsAreRefused(t *testing.T) {
	for _, name := range []string{"c/course.yaml", "c/01-a/lesson.yaml", "c/01-a/lesson.mp4", "c/01-a/sign.mov", "c/01-a/lesson.az.srt", "c/01-a/thumbnail.png"} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			root := writeTree(t, map[string]string{"c/course.yaml": "title: T\n", "c/01-a/a.mp4": "x", "c/01-a/notes.txt": ""})
			p := filepath.Join(root, name)
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("cannot make a named pipe:", err)
			}
			// A pipe with a name lessonpub does not read is left alone.
			if err := syscall.Mkfifo(filepath.Join(root, "c/01-a/pipe.txt"), 0o644); err != nil {
				t.Fatal(err)
			}
			type result struct {
				c   *Course
				err error
			}
			done := make(chan result, 1)
			go func() {
				c, err := LoadCourse(filepath.Join(root, "c"))
				done <- result{c, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(time.Minute):
				t.Fatalf("LoadCourse blocks on the named pipe %s", name)
			}
			got := wantProblems(t, r.err, name[2:]+": is a named pipe (FIFO), not a regular file")
			if strings.Contains(got, "pipe.txt") {
				t.Errorf("a pipe lessonpub does not read is reported:\n%s", got)
			}
			if r.c != nil {
				for _, l := range r.c.Lessons {
					for _, f := range append([]string{l.Recording, l.Sign, l.Thumbnail}, captionPaths(l)...) {
						if f == p {
							t.Errorf("the named pipe is kept as an input of %s", l.Name)
						}
					}
				}
			}
		})
	}
}

func captionPaths(l *Lesson) []string {
	var out []string
	for _, c := range l.Captions {
		out = append(out, c.Path)
	}
	return out
}

func TestOpenRefusesPipesAndDevices(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("cannot make a named pipe:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("ReadFile(pipe) = %v, want ErrNotRegular naming a named pipe", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("ReadFile blocks on a named pipe")
	}
	if _, err := Open(os.DevNull); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a device") {
		t.Errorf("Open(%s) = %v, want ErrNotRegular naming a device", os.DevNull, err)
	}
}
