// Package captions reads, writes and checks caption files: SubRip (.srt) and
// WebVTT (.vtt). Parsing is lenient and never drops a cue without saying so:
// everything malformed becomes a Problem with a line number. Lint applies the
// reading-speed, layout and timing rules of a Profile. The package is pure:
// bytes in, values and diagnostics out; it opens no files.
package captions

import (
	"fmt"
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
	Problems []Problem // found while decoding and parsing
}

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
	Message  string // says what is wrong and how to fix it
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
	return nil, fmt.Errorf("unknown caption format %q: use srt or vtt", format)
}

// Shift moves every cue by d (which may be negative). It fails, changing
// nothing, when a cue would start before zero.
func (f *File) Shift(d time.Duration) error {
	for _, c := range f.Cues {
		if c.Start+d < 0 {
			return fmt.Errorf("shifting by %v moves the cue at line %d (starting at %s) before the start of the video: use a smaller shift", d, c.Line, formatTime(c.Start, f.Format))
		}
	}
	for i := range f.Cues {
		f.Cues[i].Start += d
		f.Cues[i].End += d
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
	f.Problems = append(f.Problems, Problem{Severity: sev, Rule: rule, Line: line, Message: fmt.Sprintf(format, args...)})
}
