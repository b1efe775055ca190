package sample

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

func TestWriteMakesAValidCourse(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "beads")
	if err := Write(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	c, err := lessons.LoadCourse(dir)
	if err != nil {
		t.Fatalf("the sample course has problems: %v", err)
	}
	if len(c.Lessons) != 3 {
		t.Fatalf("got %d lessons, want 3", len(c.Lessons))
	}
	signs := 0
	for _, l := range c.Lessons {
		if len(l.Captions) != 2 || l.Captions[0].Language != "az" || l.Captions[1].Language != "en" {
			t.Errorf("%s: captions %+v, want az and en", l.Name, l.Captions)
		}
		m, err := ffmpeg.Probe(context.Background(), l.Recording)
		if err != nil {
			t.Fatal(err)
		}
		if m.Video == nil || m.Duration < 3*time.Second {
			t.Errorf("%s: recording %+v", l.Name, m)
		}
		if l.Sign != "" {
			signs++
		}
	}
	if signs != 1 {
		t.Errorf("%d lessons with an interpreter, want 1", signs)
	}
	if err := Write(context.Background(), dir); err == nil {
		t.Error("writing over an existing folder succeeded")
	}
}
