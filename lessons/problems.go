package lessons

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a course or lesson folder, located as
// precisely as possible so a teacher can go and fix it.
type Problem struct {
	File    string // path of the file (or folder) at fault
	Line    int    // 1-based line in File; 0 when the problem has no line
	Message string // what is wrong and how to fix it, in English
	// Format and Args are Message before formatting, for a program that
	// shows it translated; an argument may be a *Text to translate too.
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// Text is String kept as its English format and arguments, for a program
// that shows it translated.
func (p Problem) Text() *Text {
	msg := textf(p.Format, p.Args...)
	if p.Format == "" {
		msg = textf("%s", p.Message)
	}
	if p.Line > 0 {
		return textf("%s:%d: %s", p.File, p.Line, msg)
	}
	return textf("%s: %s", p.File, msg)
}

// Problems is the error returned when a course or lesson has one or more
// problems; every problem found in the run is listed, not just the first.
type Problems struct {
	Items []Problem
}

func (ps *Problems) Error() string {
	lines := make([]string, len(ps.Items))
	for i, p := range ps.Items {
		lines[i] = p.String()
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("%d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

func (ps *Problems) add(file string, line int, format string, args ...any) {
	ps.Items = append(ps.Items, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...), Format: format, Args: args})
}

// err returns ps as an error, or nil when nothing was found.
func (ps *Problems) err() error {
	if len(ps.Items) == 0 {
		return nil
	}
	return ps
}
