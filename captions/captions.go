// Package captions reads, writes and checks caption files: SubRip (.srt) and
// WebVTT (.vtt). Parsing is lenient and never drops a cue without saying so:
// everything malformed becomes a Problem with a line number. Lint applies the
// reading-speed, layout and timing rules of a Profile. The package is pure:
// bytes in, values and diagnostics out; it opens no files.
package captions

import (
	"fmt"
	"math"
	"path"
	"strings"
	"time"
)

// Formats a File can have.
const (
	SRT = "srt"
	VTT = "vtt"
)

// Cue is one caption: a piece of text shown from Start to End.
type Cue struct {
	Start, End time.Duration
	Text       string // lines joined by "\n"; markup such as <i> or <v Name> is kept
	Line       int    // line number of the cue's timing line in the source file
	ID         string // SRT cue number or WebVTT cue identifier; "" when absent
	Settings   string // whatever follows the end time on the timing line (WebVTT cue settings)
}

// File is a parsed caption file.
type File struct {
	Format   string   // SRT or VTT
	Header   string   // WebVTT: the header after "WEBVTT", starting with a space or a line break; "" for none
	Styles   []string // WebVTT STYLE blocks, without the STYLE line
	Regions  []string // WebVTT REGION blocks, without the REGION line
	Cues     []Cue
	Problems []Problem // found while decoding and parsing, at most MaxProblems
	Omitted  int       // problems found beyond MaxProblems and not kept
	omitSev  Severity  // the worst severity among them
}

// MaxProblems is how many problems a parse or a Lint keeps for one file;
// the rest are counted (File.Omitted) and summed up in one last problem, so
// a huge broken file costs no more memory than a small one's report.
const MaxProblems = 100

// Severity says whether a Problem blocks publishing.
type Severity int

// Severities. An Error fails `lessonpub captions check`; a Warning fails it
// only with --strict.
const (
	Warning Severity = iota + 1
	Error
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText writes the severity as "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Problem is one finding about a caption file.
type Problem struct {
	Severity Severity
	Rule     string // stable id, e.g. "overlap", "cps", "encoding"
	Line     int    // 1-based line in the file; 0 when it concerns the whole file
	Message  string // says what is wrong and how to fix it, in English
	// Format and Args are Message before formatting, for a program that
	// shows it translated; an argument may be a *Text to translate too.
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

func (p Problem) String() string {
	return fmt.Sprintf("%d: %s: %s: %s", p.Line, p.Severity, p.Rule, p.Message)
}

// Rule ids of the problems the parsers report. The lint rules are listed in lint.go.
const (
	RuleEncoding  = "encoding"   // not UTF-8 (error), or UTF-16 (warning)
	RuleHeader    = "header"     // WebVTT file without a WEBVTT first line
	RuleTiming    = "timing"     // a timing line that cannot be read
	RuleStrayText = "stray-text" // text outside any cue: it would not be shown
	RuleBlankLine = "blank-line" // WebVTT cue not separated from the one above
	RuleIgnored   = "ignored-block"
	RuleFraction  = "fraction"      // SRT time with one or two digits of milliseconds, which readers disagree on
	RuleControl   = "control-char"  // a control character in cue text
	RuleTooMany   = "more-problems" // the problems left out beyond MaxProblems
)

// FormatOf returns the caption format for a file name by its extension, or ""
// when it is neither .srt nor .vtt.
func FormatOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".srt":
		return SRT
	case ".vtt":
		return VTT
	}
	return ""
}

// Parse parses b as format (SRT or VTT).
func Parse(b []byte, format string) (*File, error) {
	switch format {
	case SRT:
		return ParseSRT(b), nil
	case VTT:
		return ParseVTT(b), nil
	}
	return nil, textf("unknown caption format %q: use srt or vtt", format)
}

// MaxTime is the latest time a caption file can hold: SubRip readers take
// at most five digits of hours.
const MaxTime = 99999*time.Hour + 59*time.Minute + 59*time.Second + 999*time.Millisecond

// Shift moves every cue by d (which may be negative). It fails, changing
// nothing, when a cue would start before zero or end after MaxTime.
func (f *File) Shift(d time.Duration) error {
	return f.Retime(1, d)
}

// Retime sets every cue time t to t×drift + offset, rounded to the
// millisecond: drift corrects captions made for another frame rate (for
// example 25/23.976), offset moves them. It fails, changing nothing, when a
// cue would start before zero or end after MaxTime.
func (f *File) Retime(drift float64, offset time.Duration) error {
	if !(drift > 0.5 && drift < 2) {
		return textf("cannot stretch the captions by %g: use a ratio between 0.5 and 2, such as 25/23.976", drift)
	}
	if offset > MaxTime || offset < -MaxTime {
		return textf("cannot move the captions by %v: the latest time a caption file can hold is %s", offset, formatTime(MaxTime, f.Format))
	}
	move := func(t time.Duration) time.Duration {
		if drift != 1 {
			t = time.Duration(math.Round(float64(t)*drift/float64(time.Millisecond))) * time.Millisecond
		}
		return t + offset
	}
	for _, c := range f.Cues {
		if start := move(c.Start); start < 0 {
			return textf("shifting by %v moves the cue at line %d (starting at %s) before the start of the video: use a smaller shift", offset, c.Line, formatTime(c.Start, f.Format))
		}
		if end := move(c.End); end > MaxTime {
			return textf("shifting by %v moves the end of the cue at line %d (%s) past %s, the latest time a caption file can hold: use a smaller shift", offset, c.Line, formatTime(c.End, f.Format), formatTime(MaxTime, f.Format))
		}
	}
	for i := range f.Cues {
		f.Cues[i].Start = move(f.Cues[i].Start)
		f.Cues[i].End = move(f.Cues[i].End)
	}
	return nil
}

// Plain returns a copy of f whose cue texts carry no markup (see StripTags),
// as YouTube wants for uploaded SRT files.
func (f *File) Plain() *File {
	g := *f
	g.Cues = make([]Cue, len(f.Cues))
	for i, c := range f.Cues {
		c.Text = StripTags(c.Text)
		g.Cues[i] = c
	}
	return &g
}

func (f *File) problem(sev Severity, rule string, line int, format string, args ...any) {
	if f.full(sev) {
		return
	}
	f.Problems = append(f.Problems, newProblem(sev, rule, line, format, args...))
}

// full reports whether f holds MaxProblems problems, counting one of
// severity sev as omitted when it does.
func (f *File) full(sev Severity) bool {
	if len(f.Problems) < MaxProblems {
		return false
	}
	f.Omitted++
	f.omitSev = max(f.omitSev, sev)
	return true
}

// omittedProblem sums up n problems left out, the worst of them sev.
func omittedProblem(n int, sev Severity) Problem {
	return newProblem(sev, RuleTooMany, 0, "and %s not listed: fix the ones above and check the file again",
		count(n, "1 more problem", "%d more problems"))
}
