package captionsync

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/lessons"
)

// TestCacheListensOnlyWhenSomethingChanged: a second run over the same
// files answers from the state folder; touching a caption file listens
// again; a damaged cache file is an empty cache.
func TestCacheListensOnlyWhenSomethingChanged(t *testing.T) {
	dir, state := t.TempDir(), t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	l := &lessons.Lesson{Dir: dir, Recording: write("lesson.mp4", "not really a video"),
		Captions: []lessons.CaptionFile{{Path: write("lesson.az.srt", "1\n00:00:01,000 --> 00:00:02,000\nSalam\n"), Language: "az", Format: "srt"}}}
	want := []Result{{File: l.Captions[0], Offset: -2300 * time.Millisecond, Drift: 1, Confidence: 0.9, Decided: true, Speech: time.Minute}}
	// the cache keeps the English and makes its Text again, to translate
	want[0].Text = message(want[0], want[0].Speech)
	want[0].Message = want[0].Text.String()
	calls := 0
	listen := func(context.Context, *lessons.Lesson) ([]Result, error) { calls++; return want, nil }
	open := func() *Cache { c := OpenCache(state); c.listen = listen; return c }

	for run := 1; run <= 2; run++ {
		got, err := open().CheckLesson(context.Background(), l)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("run %d (-want +got):\n%s", run, d)
		}
	}
	if calls != 1 {
		t.Errorf("listened %d times over two runs with nothing changed, want 1", calls)
	}

	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(l.Captions[0].Path, later, later); err != nil {
		t.Fatal(err)
	}
	if _, err := open().CheckLesson(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("after the caption file changed: listened %d times in all, want 2", calls)
	}

	if err := os.WriteFile(filepath.Join(state, "caption-sync.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := open().CheckLesson(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Errorf("with a damaged cache: listened %d times in all, want 3", calls)
	}
}

// TestRetext: a cached result gets its Text again when its English is what
// lessonpub says now; an entry of an older cache, which kept no speech
// time, stays English only rather than get another message.
func TestRetext(t *testing.T) {
	r := Result{Drift: 1, InSync: true, Speech: 3 * time.Second}
	r.Message = message(r, r.Speech).String()
	if got := retext(r); got == nil || got.String() != r.Message {
		t.Errorf("retext = %v, want the Text of %q", got, r.Message)
	}
	old := r
	old.Speech = 0 // an older cache
	if got := retext(old); got != nil {
		t.Errorf("retext of an older entry = %q, want nil (English only)", got)
	}
	quiet := Result{Drift: 1, InSync: true, Message: noSoundText().String()}
	if got := retext(quiet); got == nil || got.Format != noSoundText().Format {
		t.Errorf("retext of a recording without sound = %v", got)
	}
}
