package captions

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func testFiles(t testing.TB) []string {
	t.Helper()
	var names []string
	for _, pattern := range []string{"testdata/*.srt", "testdata/*.vtt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	if len(names) == 0 {
		t.Fatal("no caption files in testdata")
	}
	return names
}

func parseFile(t testing.TB, name string) *File {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(b, FormatOf(name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestGolden parses every file in testdata, lints it and writes it as SRT
// and as WebVTT; the result must match testdata/golden/NAME.txt.
func TestGolden(t *testing.T) {
	for _, name := range testFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			f := parseFile(t, name)
			var got bytes.Buffer
			fmt.Fprintf(&got, "-- %d cues; problems --\n", len(f.Cues))
			for _, p := range Lint(f, DefaultProfile(), LintOptions{Language: "az"}) {
				fmt.Fprintln(&got, p)
			}
			got.WriteString("-- srt --\n")
			if err := WriteSRT(&got, f); err != nil {
				t.Fatal(err)
			}
			got.WriteString("-- vtt --\n")
			if err := WriteVTT(&got, f); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", filepath.Base(name)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// timingText is what a round trip must keep of a cue.
type timingText struct {
	Start, End time.Duration
	Text       string
}

func timingTexts(cues []Cue) []timingText {
	out := make([]timingText, len(cues))
	for i, c := range cues {
		out[i] = timingText{c.Start, c.End, c.Text}
	}
	return out
}

func TestRoundTripSRTToVTTToSRT(t *testing.T) {
	for _, name := range testFiles(t) {
		if FormatOf(name) != SRT {
			continue
		}
		t.Run(filepath.Base(name), func(t *testing.T) {
			f := parseFile(t, name)
			var vtt, srt bytes.Buffer
			if err := WriteVTT(&vtt, f); err != nil {
				t.Fatal(err)
			}
			v := ParseVTT(vtt.Bytes())
			if len(v.Problems) > 0 {
				t.Errorf("written WebVTT has problems: %v\n%s", v.Problems, vtt.String())
			}
			if err := WriteSRT(&srt, v); err != nil {
				t.Fatal(err)
			}
			s := ParseSRT(srt.Bytes())
			if diff := cmp.Diff(timingTexts(f.Cues), timingTexts(s.Cues)); diff != "" {
				t.Errorf("cues changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	want := []timingText{
		{time.Second, 3500 * time.Millisecond, "Salam, bu gün muncuqlarla işləyəcəyik."},
		{4 * time.Second, 6 * time.Second, "Əvvəlcə alətlərə baxaq."},
	}
	tests := []struct {
		file     string
		want     []timingText
		problems []string // "severity rule line" plus a part of the message
	}{
		{"bom.srt", want, nil},
		{"crlf.srt", want, nil},
		{"cr-only.srt", want, nil},
		{"cr-only.vtt", want, nil},
		{"utf16le.srt", want, []string{"warning encoding 1 UTF-16 little-endian"}},
		{"utf16be.vtt", want, []string{"warning encoding 1 UTF-16 big-endian"}},
		{"windows-1251.srt", []timingText{
			{time.Second, 3500 * time.Millisecond, "Здравствуйте, сегодня мы работаем с бисером."},
			{4 * time.Second, 6 * time.Second, "Сначала посмотрим на инструменты."},
		}, []string{"error encoding 3 Windows-1251 (Cyrillic)", "error encoding 3 iconv -f WINDOWS-1251 -t UTF-8"}},
		{"windows-1254.srt", []timingText{
			{time.Second, 3500 * time.Millisecond, "Salam, bu gün muncuqlarla işläyäcäyik."},
			{4 * time.Second, 6 * time.Second, "Ävvälcä alätlärä baxaq."},
		}, []string{"error encoding 3 Windows-1254 (Turkish)"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := parseFile(t, filepath.Join("testdata", tt.file))
			if diff := cmp.Diff(tt.want, timingTexts(f.Cues)); diff != "" {
				t.Errorf("cues (-want +got):\n%s", diff)
			}
			if len(f.Problems) != min(len(tt.problems), 1) {
				t.Errorf("got problems %v, want %v", f.Problems, tt.problems)
			}
			for _, want := range tt.problems {
				if !hasProblem(f.Problems, want) {
					t.Errorf("no problem %q in %v", want, f.Problems)
				}
			}
		})
	}
}

// hasProblem reports whether probs has one matching "severity rule line
// message-part".
func hasProblem(probs []Problem, want string) bool {
	fields := strings.SplitN(want, " ", 4)
	for _, p := range probs {
		if p.Severity.String() == fields[0] && p.Rule == fields[1] && fmt.Sprint(p.Line) == fields[2] &&
			(len(fields) < 4 || strings.Contains(p.Message, fields[3])) {
			return true
		}
	}
	return false
}

func TestParseSRTTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:00:01,000", time.Second, true},
		{"01:02:03,456", time.Hour + 2*time.Minute + 3456*time.Millisecond, true},
		{"01:02:03.456", time.Hour + 2*time.Minute + 3456*time.Millisecond, true},
		{"01:02:03:456", time.Hour + 2*time.Minute + 3456*time.Millisecond, true},
		{"02:03,456", 2*time.Minute + 3456*time.Millisecond, true},
		{"1:2:3,4", time.Hour + 2*time.Minute + 3400*time.Millisecond, true},
		{"100:00:00,000", 100 * time.Hour, true},
		{"00:00:01", time.Second, true},
		{"00:00:01,", 0, false},
		{"00:60:01,000", 0, false},
		{"00:00:61,000", 0, false},
		{"00:00:01,0000", 0, false},
		{"00:00:01;000", 0, false},
		{"1,000", 0, false},
		{"a:00:01,000", 0, false},
		{"1:1:1:1:1", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSRTTime(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSRTTime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestVTTTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:01.000", time.Second, true},
		{"59:59.999", 59*time.Minute + 59999*time.Millisecond, true},
		{"00:00:01.000", time.Second, true},
		{"1:00:01.000", time.Hour + time.Second, true},
		{"123:00:00.000", 123 * time.Hour, true},
		{"60:00.000", 0, false},
		{"00:01,000", 0, false},
		{"00:01.00", 0, false},
		{"0:01.000", 0, false},
		{"00:1.000", 0, false},
		{"00:00:60.000", 0, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		got, _, err := vttTimestamp(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("vttTimestamp(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseVTTBlocks(t *testing.T) {
	f := parseFile(t, "testdata/notes-styles.vtt")
	want := []Cue{
		{Start: time.Second, End: 3500 * time.Millisecond, Text: "Salam!", Line: 18, ID: "intro", Settings: "align:start line:90%"},
		{Start: 4 * time.Second, End: 6 * time.Second, Text: "Davam edirik.", Line: 23},
	}
	if diff := cmp.Diff(want, f.Cues); diff != "" {
		t.Errorf("cues (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"::cue {\n  color: yellow;\n}"}, f.Styles); diff != "" {
		t.Errorf("styles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"id:bottom\nwidth:40%"}, f.Regions); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
	if f.Header != " - Muncuq kursu\nKind: captions\nLanguage: az" {
		t.Errorf("header = %q", f.Header)
	}
	if len(f.Problems) != 0 {
		t.Errorf("problems: %v", f.Problems)
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		file string
		cues int
		want []string
	}{
		{"bad-timing.srt", 3, []string{"error timing 6 cannot read the start time", "error stray-text 13"}},
		{"bad.vtt", 2, []string{"error timing 3 not a comma", "error stray-text 9", "warning ignored-block 14"}},
		{"missing-blank-lines.vtt", 3, []string{"warning blank-line 2 no blank line between the WEBVTT line", "warning blank-line 4", "warning blank-line 7"}},
		{"srt-named-vtt.vtt", 0, []string{"error header 1 rename it to .srt", "error timing 2 not a comma"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := parseFile(t, filepath.Join("testdata", tt.file))
			if len(f.Cues) != tt.cues {
				t.Errorf("got %d cues, want %d", len(f.Cues), tt.cues)
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

func TestStripTags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<i>a</i> <b>b</b> <u>c</u>", "a b c"},
		{"<v Leyla>Salam</v>", "Salam"},
		{"<v.loud Rəşad>Mən</v>", "Mən"},
		{"<c.yellow.bg_blue>x</c>", "x"},
		{"<00:00:06.600>Karaoke", "Karaoke"},
		{`{\an8}<font color="#ff0">Sarı</font>`, "Sarı"},
		{"a &lt; b &amp; c &gt; d", "a < b & c > d"},
		{"3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"<i>two\nlines</i>", "two\nlines"},
		{"&unknown;", "&unknown;"},
	}
	for _, tt := range tests {
		if got := StripTags(tt.in); got != tt.want {
			t.Errorf("StripTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShift(t *testing.T) {
	f := parseFile(t, "testdata/hours-omitted.srt")
	if err := f.Shift(1500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if f.Cues[0].Start != 2500*time.Millisecond || f.Cues[1].End != 6500*time.Millisecond {
		t.Errorf("after shift: %+v", f.Cues)
	}
	err := f.Shift(-3 * time.Second)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("shift before zero: err = %v, want one naming line 2", err)
	}
	if f.Cues[0].Start != 2500*time.Millisecond {
		t.Errorf("a failed shift changed the cues: %+v", f.Cues)
	}
}
