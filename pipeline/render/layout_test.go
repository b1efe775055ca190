package render

import (
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

func TestPipLayout(t *testing.T) {
	s := signDefaults(lessons.Sign{})
	lay, warns := pipLayout(1920, 1080, 1080, 1920, s)
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	b := lay.Sign
	if 6*b.area() < 1920*1080 {
		t.Errorf("box %dx%d covers less than 1/6", b.W, b.H)
	}
	if b.W%2 != 0 || b.H%2 != 0 {
		t.Errorf("odd box %dx%d", b.W, b.H)
	}
	// bottom-right with a 3% margin (32 px, rounded even)
	if b.X+b.W != 1920-32 || b.Y+b.H != 1080-32 {
		t.Errorf("box %+v not at bottom-right with margin 32", b)
	}

	s.Size = 0.1
	s.Position = "top-left"
	lay, warns = pipLayout(640, 360, 320, 360, s)
	if len(warns) != 1 || !strings.Contains(warns[0].String(), "sign.size") {
		t.Errorf("want one warning about sign.size, got %v", warns)
	}
	if lay.Sign.X != 10 || lay.Sign.Y != 10 || !lay.Left {
		t.Errorf("top-left box = %+v", lay.Sign)
	}
}

func TestSideBySideLayout(t *testing.T) {
	s := signDefaults(lessons.Sign{Layout: lessons.LayoutSideBySide})
	// A vertical phone lesson and a vertical signer.
	lay, warns := sideBySideLayout(1080, 1920, 720, 1280, 1080, s)
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	if lay.W != 1920 || lay.H != 1080 {
		t.Errorf("canvas %dx%d, want 1920x1080", lay.W, lay.H)
	}
	if lay.Sign.X+lay.Sign.W != 1920 || lay.Sign.H != 1080 {
		t.Errorf("sign box %+v", lay.Sign)
	}
	if lay.Lesson.X+lay.Lesson.W > lay.Sign.X || lay.Lesson.H != 1080 {
		t.Errorf("lesson %+v overlaps sign %+v", lay.Lesson, lay.Sign)
	}
}

func TestKeyColour(t *testing.T) {
	for in, want := range map[string]string{"green": "0x00FF00", "blue": "0x0000FF", "0x12ab34": "0x12AB34", "#12ab34": "0x12AB34", "": ""} {
		got, err := keyColour(in)
		if err != nil || got != want {
			t.Errorf("keyColour(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := keyColour("purple"); err == nil {
		t.Error("keyColour(purple) accepted")
	}
}

func TestOutputRate(t *testing.T) {
	tests := []struct {
		s    ffmpeg.Stream
		want string
	}{
		{ffmpeg.Stream{Rate: "30000/1001", RealFrameRate: 29.97, FrameRate: 29.97}, "30000/1001"},
		{ffmpeg.Stream{Rate: "25/1", RealFrameRate: 25, FrameRate: 16.67, VFR: true}, "25"},
		{ffmpeg.Stream{Rate: "120/1", RealFrameRate: 120, FrameRate: 29.81, VFR: true}, "30000/1001"},
		{ffmpeg.Stream{Rate: "90000/1", RealFrameRate: 90000, FrameRate: 24.2}, "24"},
	}
	for _, tt := range tests {
		if got, _ := outputRate(&tt.s); got != tt.want {
			t.Errorf("outputRate(%+v) = %s, want %s", tt.s, got, tt.want)
		}
	}
}
