package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// TestBurnedCaptionsFollowTheParsedCues burns in files that ffmpeg's own
// readers get wrong and checks, by the pixels of frames, that the text
// shows exactly while lessonpub's parsed cues say: from 1.5 to 2.04 s and
// from 3 to 3.8 s, and nowhere else.
func TestBurnedCaptionsFollowTheParsedCues(t *testing.T) {
	ffmpegtest.Require(t)
	const (
		az = "Əə Ğğ Iı İi Öö Üü Çç Şş"
		ru = "Привет, урок первый"
	)
	tests := []struct {
		name, file, text string
	}{
		{"vtt-style-region", "c.vtt", "WEBVTT\n\nSTYLE\n::cue { color: yellow; }\n\nREGION\nid:bottom\nwidth:40%\n\n" +
			"00:01.500 --> 00:02.040 region:bottom\n" + az + "\n\n00:03.000 --> 00:03.800\n" + ru + "\n"},
		{"srt-short-fractions", "c.srt", "1\n00:00:01,5 --> 00:00:02,04\n" + az + "\n\n2\n00:00:03,0 --> 00:00:03,8\n" + ru + "\n"},
		{"srt-no-numbers", "c.srt", "00:00:01,500 --> 00:00:02,040\n" + az + "\n\n00:00:03,000 --> 00:00:03,800\n" + ru + "\n"},
		{"tags", "c.vtt", "WEBVTT\n\n00:01.500 --> 00:02.040\n<v Müəllim><i>Əla</i>, <b>şüşə</b></v>\n\n" +
			"00:03.000 --> 00:03.800\n<c.loud>Урок</c> <u>первый</u>\n"},
	}
	inside := []time.Duration{1770 * time.Millisecond, 3400 * time.Millisecond}
	// 1.2 s is where ffmpeg's reading of "00:00:01,5" (1.005 s) would
	// already show the first cue.
	outside := []time.Duration{500 * time.Millisecond, 1200 * time.Millisecond, 2500 * time.Millisecond, 3950 * time.Millisecond}
	base := t.TempDir()
	rec := blueLesson(t, base, 4.5)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(base, tt.name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			l := newLesson(dir, rec)
			l.Captions = []lessons.CaptionFile{{Path: writeFile(t, filepath.Join(dir, "lesson.az."+tt.file[2:]), tt.text), Language: "az", Format: tt.file[2:]}}
			out := filepath.Join(dir, "out", "out.mp4")
			p, err := NewPlan(context.Background(), l, Options{Output: out, Preset: "ultrafast", BurnCaptions: "az", NoCaptionTracks: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Run(context.Background(), nil); err != nil {
				t.Fatalf("%v\nplan:\n%s", err, p)
			}
			var report []string
			check := func(at time.Duration, want bool) {
				f := grabFrame(t, out, at)
				n := f.countWhite(0, f.h*2/3, f.w, f.h)
				if (n >= 30) != want {
					report = append(report, fmt.Sprintf("at %v: %d white caption pixels, want text %v", at, n, want))
				}
			}
			for _, at := range inside {
				check(at, true)
			}
			for _, at := range outside {
				check(at, false)
			}
			if len(report) > 0 {
				t.Error(strings.Join(report, "\n"))
			}
		})
	}
}

// TestBurnedTextDiffersByText checks the words are drawn, not boxes for
// missing letters: the Azerbaijani and Russian lines differ from each
// other (boxes for missing letters would look alike).
func TestBurnedTextDiffersByText(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	rec := blueLesson(t, dir, 2)
	var frames []frame
	for i, text := range []string{"Əə Ğğ Iı İi Öö Üü Çç Şş", "Привет, урок первый"} {
		sub := filepath.Join(dir, fmt.Sprint(i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		l := newLesson(sub, rec)
		l.Captions = []lessons.CaptionFile{{Path: writeFile(t, filepath.Join(sub, "lesson.az.srt"), "1\n00:00:00,000 --> 00:00:02,000\n"+text+"\n"), Language: "az", Format: "srt"}}
		out := filepath.Join(sub, "out", "out.mp4")
		p, err := NewPlan(context.Background(), l, Options{Output: out, Preset: "ultrafast", BurnCaptions: "az", NoCaptionTracks: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		frames = append(frames, grabFrame(t, out, time.Second))
	}
	a, b := frames[0], frames[1]
	if a.countWhite(0, a.h*2/3, a.w, a.h) < 30 || b.countWhite(0, b.h*2/3, b.w, b.h) < 30 {
		t.Fatal("no text burned in")
	}
	diff := 0
	for y := a.h * 2 / 3; y < a.h; y++ {
		for x := 0; x < a.w; x++ {
			if (a.colour(x, y) == "white") != (b.colour(x, y) == "white") {
				diff++
			}
		}
	}
	if diff < 100 {
		t.Errorf("the Azerbaijani and Russian captions differ in only %d pixels", diff)
	}
}
