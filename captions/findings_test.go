package captions

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/unicode/utf32"
)

// TestFindings covers what the public caption corpora showed lessonpub
// missing: each input gives exactly the problems listed, and the cues.
func TestFindings(t *testing.T) {
	tests := []struct {
		name   string
		format string
		in     string
		cues   []time.Duration // start times of the cues read
		want   []string        // "severity rule line message-part"
	}{
		{"cue under WEBVTT line", VTT, "WEBVTT\n00:01.000 --> 00:02.000\nSalam\n",
			[]time.Duration{time.Second}, []string{"warning blank-line 2 no blank line between the WEBVTT line"}},
		{"header then spaces", VTT, "WEBVTT\n \t\n00:01.000 --> 00:02.000\nSalam\n",
			[]time.Duration{time.Second}, []string{"warning blank-line 2 holds spaces or a tab"}},
		{"header then proper blank", VTT, "WEBVTT\nKind: captions\n\n00:01.000 --> 00:02.000\nSalam\n",
			[]time.Duration{time.Second}, nil},
		{"srt one-digit fraction", SRT, "1\n00:00:01,5 --> 00:00:02,040\nSalam\n",
			[]time.Duration{1500 * time.Millisecond}, []string{`warning fraction 2 "00:00:01,5" has only 1 digit after the comma: lessonpub reads it as 00:00:01,500, but ffmpeg and some players read 00:00:01,005`}},
		{"srt two-digit fraction", SRT, "1\n00:00:01,500 --> 00:00:02,04\nSalam\n",
			[]time.Duration{1500 * time.Millisecond}, []string{`warning fraction 2 "00:00:02,04" has only 2 digits after the comma: lessonpub reads it as 00:00:02,040, but ffmpeg and some players read 00:00:02,004`}},
		{"srt single arrow", SRT, "1\n00:00:01,000 -> 00:00:02,000\nSalam\n\n2\n00:00:03,000 --> 00:00:04,000\nSağ ol\n",
			[]time.Duration{3 * time.Second}, []string{"error timing 2 the arrow is \"->\"; write -->"}},
		{"srt fat arrow", SRT, "1\n00:00:01,000 => 00:00:02,000\nSalam\n",
			nil, []string{"error timing 2 the arrow is \"=>\""}},
		{"srt em-dash arrow", SRT, "00:00:01,000 —> 00:00:02,000\nSalam\n",
			nil, []string{"error timing 1 the arrow is \"—>\""}},
		{"vtt spaced arrow", VTT, "WEBVTT\n\nintro\n00:01.000 -- > 00:02.000\nSalam\n\n00:03.000 --> 00:04.000\nSağ ol\n",
			[]time.Duration{3 * time.Second}, []string{"error timing 4 the arrow is \"-- >\""}},
		{"arrow-like text inside a cue is text", SRT, "1\n00:00:01,000 --> 00:00:02,000\nSalam\n1:00 -> 2:00\n",
			[]time.Duration{time.Second}, nil},
		{"srt control character", SRT, "1\n00:00:01,000 --> 00:00:02,000\nSalam\nbell\a here\n",
			[]time.Duration{time.Second}, []string{"error control-char 4 U+0007"}},
		{"vtt delete character", VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\nSa\x7flam\n",
			[]time.Duration{time.Second}, []string{"error control-char 4 U+007F"}},
		{"srt NUL", SRT, "1\n00:00:01,000 --> 00:00:02,000\nSa\x00lam\n",
			[]time.Duration{time.Second}, []string{"error control-char 3 U+0000"}},
		{"tab is fine", VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\nSa\tlam\n", []time.Duration{time.Second}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in), tt.format)
			if err != nil {
				t.Fatal(err)
			}
			var starts []time.Duration
			for _, c := range f.Cues {
				starts = append(starts, c.Start)
			}
			if diff := cmp.Diff(tt.cues, starts); diff != "" {
				t.Errorf("cue starts (-want +got):\n%s", diff)
			}
			if len(f.Problems) != len(tt.want) {
				t.Errorf("got problems %v, want %v", f.Problems, tt.want)
			}
			for _, w := range tt.want {
				if !hasProblem(f.Problems, w) {
					t.Errorf("no problem %q in %v", w, f.Problems)
				}
			}
		})
	}
}

func TestUTF32(t *testing.T) {
	text := "1\n00:00:01,000 --> 00:00:02,000\nƏla, şagird!\n"
	for _, tt := range []struct {
		order utf32.Endianness
		iconv string
	}{{utf32.LittleEndian, "iconv -f UTF-32LE -t UTF-8"}, {utf32.BigEndian, "iconv -f UTF-32BE -t UTF-8"}} {
		b, err := utf32.UTF32(tt.order, utf32.UseBOM).NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		f := ParseSRT(b)
		if len(f.Cues) != 1 || f.Cues[0].Text != "Əla, şagird!" {
			t.Errorf("%s: cues %+v", tt.iconv, f.Cues)
		}
		if len(f.Problems) != 1 || !hasProblem(f.Problems, "warning encoding 1 "+tt.iconv) || strings.Contains(f.Problems[0].Message, "UTF-16") {
			t.Errorf("%s: problems %v", tt.iconv, f.Problems)
		}
	}
}

func TestShiftLimits(t *testing.T) {
	in := "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n99999:59:58,000 --> 99999:59:59,000\nB\n"
	for _, tt := range []struct {
		shift time.Duration
		want  string // part of the error; "" for none
	}{
		{500 * time.Millisecond, ""},
		{-1500 * time.Millisecond, "line 2"},
		{2 * time.Second, "line 6"},
		{1 << 62, "latest time"},
		{-(1 << 62), "latest time"},
	} {
		f := ParseSRT([]byte(in))
		before := append([]Cue(nil), f.Cues...)
		err := f.Shift(tt.shift)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("shift %v: %v", tt.shift, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("shift %v: err = %v, want one with %q", tt.shift, err, tt.want)
		case tt.want != "" && !cmp.Equal(before, f.Cues):
			t.Errorf("shift %v failed but changed the cues", tt.shift)
		}
		for _, c := range f.Cues {
			if c.End < c.Start {
				t.Errorf("shift %v: a cue ends before it starts: %+v", tt.shift, c)
			}
		}
	}
}

func TestRetime(t *testing.T) {
	f := ParseSRT([]byte("1\n00:01:00,000 --> 00:01:02,000\nA\n"))
	if err := f.Retime(25/23.976, -2300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// 60 s × 25/23.976 = 62.563 s, minus 2.3 s
	if got, want := f.Cues[0].Start, 60263*time.Millisecond; got != want {
		t.Errorf("start = %v, want %v", got, want)
	}
}

// bigBrokenSRT returns an SRT file of n cues, each with a problem.
func bigBrokenSRT(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		s := time.Duration(i) * time.Second
		// one-digit fractions and overlapping times: problems on every cue
		b.WriteString(string(appendTime(nil, s, ',')[:10]) + " --> " + formatTime(s+1500*time.Millisecond, SRT) + "\nSalam dostlar\n\n")
	}
	return b.Bytes()
}

func TestProblemCap(t *testing.T) {
	f := ParseSRT(bigBrokenSRT(500))
	if len(f.Cues) != 500 {
		t.Fatalf("read %d cues, want 500", len(f.Cues))
	}
	probs := Lint(f, DefaultProfile(), LintOptions{})
	if len(probs) != MaxProblems+1 {
		t.Fatalf("got %d problems, want %d and a summary", len(probs), MaxProblems)
	}
	last := probs[len(probs)-1]
	if last.Rule != RuleTooMany || last.Severity != Error || !strings.Contains(last.Message, "more problems not listed") {
		t.Errorf("last problem %v, want a summary of errors", last)
	}
}

// TestHugeFileMemory checks that reading and linting a large broken file
// allocates a small multiple of its size, however many problems it has.
func TestHugeFileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates tens of megabytes")
	}
	b := bigBrokenSRT(200_000) // about 10 MB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := ParseSRT(b)
	probs := Lint(f, DefaultProfile(), LintOptions{Language: "az"})
	runtime.ReadMemStats(&after)
	if len(probs) != MaxProblems+1 {
		t.Errorf("got %d problems", len(probs))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(len(b)) {
		t.Errorf("reading a %d-byte file allocated %d bytes (%.1f×), want at most 8×", len(b), alloc, float64(alloc)/float64(len(b)))
	}
}
