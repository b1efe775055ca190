package pipeline_test

import (
	"testing"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/folder"
)

// siteLike is a target that wants the interpreter apart, as the site does.
type siteLike struct{ *folder.Target }

func (siteLike) RenditionOptions() pipeline.Rendition { return pipeline.Rendition{SignSeparate: true} }

// TestRenditionKeysTheRender: a render for a target that keeps the
// interpreter apart has other settings (so another cache entry and record
// hash) only where the lesson's render differs: sign.layout window with an
// interpreter clip.
func TestRenditionKeysTheRender(t *testing.T) {
	t.Parallel()
	dir, err := folder.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := pipeline.RenditionOf(dir); got.SignSeparate {
		t.Errorf("RenditionOf(folder) = %+v, want the zero rendition", got)
	}
	if got := pipeline.RenditionOf(siteLike{dir}); !got.SignSeparate {
		t.Errorf("RenditionOf(site-like) = %+v, want SignSeparate", got)
	}
	lesson := func(layout, sign string) *lessons.Lesson {
		return &lessons.Lesson{Name: "01", Course: &lessons.Course{Sign: lessons.Sign{Layout: layout}}, Sign: sign}
	}
	tests := []struct {
		name   string
		l      *lessons.Lesson
		differ bool
	}{
		{"window with an interpreter", lesson(lessons.LayoutWindow, "sign.mp4"), true},
		{"window without one", lesson(lessons.LayoutWindow, ""), false},
		{"pip", lesson(lessons.LayoutPiP, "sign.mp4"), false},
		{"side by side", lesson(lessons.LayoutSideBySide, "sign.mp4"), false},
	}
	plain := pipeline.MediaRenderer{}
	apart := plain.ForRendition(pipeline.RenditionOf(siteLike{dir}))
	for _, tt := range tests {
		a, b := plain.Settings(tt.l), apart.Settings(tt.l)
		if (a != b) != tt.differ {
			t.Errorf("%s: settings %q and %q, want them to differ: %v", tt.name, a, b, tt.differ)
		}
	}
	// YouTube's render of a window course is its picture-in-picture one.
	if a, b := plain.Settings(lesson(lessons.LayoutWindow, "sign.mp4")), plain.Settings(lesson(lessons.LayoutPiP, "sign.mp4")); a != b {
		t.Errorf("YouTube settings of a window course %q differ from pip's %q: switching would upload again for nothing", a, b)
	}
	if got, want := pipeline.SignFile("/state/renders/abc.mp4"), "/state/renders/abc.sign.mp4"; got != want {
		t.Errorf("SignFile = %q, want %q", got, want)
	}
}
