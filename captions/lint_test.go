package captions

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestLint(t *testing.T) {
	cue := func(start, end int, text string, line int) Cue {
		return Cue{Start: ms(start), End: ms(end), Text: text, Line: line}
	}
	tests := []struct {
		name string
		cues []Cue
		opts LintOptions
		want []string // "severity rule line"
	}{
		{"clean", []Cue{cue(1000, 3000, "Salam.", 2), cue(3000, 5000, "Necəsən?", 6)}, LintOptions{}, nil},
		{"empty file", nil, LintOptions{}, []string{"error empty 1"}},
		{"end before start", []Cue{cue(3000, 1000, "x", 2)}, LintOptions{}, []string{"error end-before-start 2"}},
		{"end equals start", []Cue{cue(3000, 3000, "x", 2)}, LintOptions{}, []string{"error end-before-start 2"}},
		{"overlap", []Cue{cue(1000, 3000, "Salam.", 2), cue(2500, 4000, "Necəsən?", 6)}, LintOptions{}, []string{"error overlap 6"}},
		{"overlap with a longer earlier cue", []Cue{cue(1000, 6000, "Uzun cue burada.", 2), cue(1500, 2500, "a", 6), cue(3000, 4000, "b", 10)},
			LintOptions{}, []string{"error overlap 6", "error overlap 10"}},
		{"order", []Cue{cue(5000, 7000, "Sonra.", 2), cue(1000, 3000, "Əvvəl.", 6)}, LintOptions{}, []string{"error order 6"}},
		{"past end", []Cue{cue(1000, 3000, "Salam.", 2), cue(9000, 11000, "Sağ olun.", 6), cue(12000, 14000, "Son.", 10)},
			LintOptions{VideoDuration: 10 * time.Second}, []string{"error past-end 6", "error past-end 10"}},
		{"end within a frame of the video's end", []Cue{cue(8000, 10030, "Sağ olun.", 2)}, LintOptions{VideoDuration: 10 * time.Second}, nil},
		{"unknown duration skips past-end", []Cue{cue(9000, 11000, "Sağ olun.", 2)}, LintOptions{}, nil},
		// 42 characters, spaces and punctuation counted, in 2 s = 21 cps
		{"cps", []Cue{cue(1000, 3000, "Bu cümlə saniyədə on yeddi hərfdən çoxdur!", 2)}, LintOptions{}, []string{"warning cps 2"}},
		{"cps counts no tags", []Cue{cue(1000, 3000, "<i>Bu cümlə</i> <b>qısadır</b>.", 2)}, LintOptions{}, nil},
		{"line length", []Cue{cue(1000, 6000, "Qısa sətir\nBu sətir qırx iki simvoldan uzundur, çox uzundur.", 2)}, LintOptions{}, []string{"warning line-length 4"}},
		{"lines", []Cue{cue(1000, 6000, "bir\niki\nüç", 2)}, LintOptions{}, []string{"warning lines 2"}},
		{"min duration", []Cue{cue(1000, 1500, "Hə.", 2)}, LintOptions{}, []string{"warning min-duration 2"}},
		{"max duration", []Cue{cue(1000, 9000, "Gözləyin.", 2)}, LintOptions{}, []string{"warning max-duration 2"}},
		{"gap of one frame", []Cue{cue(1000, 3000, "Bir.", 2), cue(3040, 5000, "İki.", 6)}, LintOptions{FrameRate: 25}, []string{"warning gap 6"}},
		{"gap of two frames", []Cue{cue(1000, 3000, "Bir.", 2), cue(3080, 5000, "İki.", 6)}, LintOptions{FrameRate: 25}, nil},
		{"gap at 50 fps", []Cue{cue(1000, 3000, "Bir.", 2), cue(3040, 5000, "İki.", 6)}, LintOptions{FrameRate: 50}, nil},
		{"touching cues", []Cue{cue(1000, 3000, "Bir.", 2), cue(3000, 5000, "İki.", 6)}, LintOptions{}, nil},
		{"cyrillic schwa in latin word", []Cue{cue(1000, 3000, "Bu gün vә sabah", 2)}, LintOptions{Language: "az"}, []string{"warning mixed-script 3"}},
		{"cyrillic schwa alone in az text", []Cue{cue(1000, 3000, "Bu gün\nӘ", 2)}, LintOptions{Language: "az"}, []string{"warning mixed-script 4"}},
		{"cyrillic schwa in az-Cyrl text", []Cue{cue(1000, 3000, "Әлбәттә", 2)}, LintOptions{Language: "az-Cyrl"}, nil},
		{"latin in cyrillic word", []Cue{cue(1000, 3000, "Привeт", 2)}, LintOptions{Language: "ru"}, []string{"warning mixed-script 3"}},
		{"ä in azerbaijani", []Cue{cue(1000, 3000, "Ävvälcä", 2)}, LintOptions{Language: "az"}, []string{"warning mixed-script 3"}},
		{"ä in german", []Cue{cue(1000, 3000, "Mädchen", 2)}, LintOptions{Language: "de"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &File{Format: SRT, Cues: tt.cues}
			var got []string
			for _, p := range Lint(f, DefaultProfile(), tt.opts) {
				got = append(got, fmt.Sprintf("%s %s %d", p.Severity, p.Rule, p.Line))
				if p.Message == "" || strings.HasSuffix(p.Message, ".") {
					t.Errorf("message %q: want a sentence without a final period", p.Message)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLintZeroThresholdTurnsRuleOff(t *testing.T) {
	f := &File{Format: SRT, Cues: []Cue{{Start: 0, End: ms(200), Text: strings.Repeat("long ", 30), Line: 2}}}
	if got := Lint(f, Profile{}, LintOptions{}); len(got) != 0 {
		t.Errorf("zero profile: got %v, want no problems", got)
	}
	if got := Lint(f, DefaultProfile(), LintOptions{}); len(got) != 3 {
		t.Errorf("default profile: got %v, want min-duration, cps and line-length", got)
	}
}

func TestLintKeepsParseProblems(t *testing.T) {
	f := ParseSRT([]byte("1\n00:00:01,000 --> 00:00:03,000\nSalam.\n\nstray\n"))
	got := Lint(f, DefaultProfile(), LintOptions{})
	if len(got) != 1 || got[0].Rule != RuleStrayText || got[0].Line != 5 {
		t.Errorf("got %v, want the stray-text problem at line 5", got)
	}
}
