package captions

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Text is an English message kept as its format and arguments, so that a
// program showing it to a person can translate the format first; an
// argument may itself be a *Text. String and Error give the English.
type Text struct {
	Format string
	Args   []any
}

func textf(format string, args ...any) *Text { return &Text{Format: format, Args: args} }

// Parts returns the English format and its arguments ("" for nil).
func (t *Text) Parts() (string, []any) {
	if t == nil {
		return "", nil
	}
	return t.Format, t.Args
}

func (t *Text) String() string { return fmt.Sprintf(t.Format, t.Args...) }

func (t *Text) Error() string { return t.String() }

// count says how many of a thing there are: one when n is 1, else other
// (a format taking n).
func count(n int, one, other string) *Text {
	if n == 1 {
		return textf(one)
	}
	return textf(other, n)
}

// newProblem returns a Problem whose Message is format applied to args.
func newProblem(sev Severity, rule string, line int, format string, args ...any) Problem {
	return Problem{Severity: sev, Rule: rule, Line: line, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Time is a moment shown to a person (when a quota resets, when to run
// again). Its String is the English "Mon 2 Jan 15:04 MST" in local time; a
// program showing it in another language writes it that language's way.
type Time struct{ time.Time }

func (t Time) String() string { return t.Local().Format("Mon 2 Jan 15:04 MST") }

// Textf keeps format and args as a Text, for a message shown to a person.
func Textf(format string, args ...any) *Text { return &Text{Format: format, Args: args} }

// Join is the texts one after another with sep between them, as one Text
// whose parts are translated each on its own; nil when there are none. sep
// must hold no %.
func Join(sep string, texts []*Text) *Text {
	if len(texts) == 0 {
		return nil
	}
	format := strings.Join(slices.Repeat([]string{"%s"}, len(texts)), sep)
	args := make([]any, len(texts))
	for i, t := range texts {
		args[i] = t
	}
	return Textf(format, args...)
}

// Errorf is fmt.Errorf for an error a person reads: its English format
// and arguments are kept, so that a program can show it translated, and %w
// wraps as in fmt.Errorf. An argument that is itself such an error (or a
// *Text) is translated with it.
func Errorf(format string, args ...any) error {
	return &TextError{Text: Text{Format: strings.ReplaceAll(format, "%w", "%v"), Args: args}, err: fmt.Errorf(format, args...)}
}

// TextError is an error kept as its English format and arguments (Errorf).
type TextError struct {
	Text
	err error
}

func (e *TextError) Error() string { return e.err.Error() }

// Unwrap returns the errors its format wrapped with %w.
func (e *TextError) Unwrap() []error {
	switch u := e.err.(type) {
	case interface{ Unwrap() error }:
		if w := u.Unwrap(); w != nil {
			return []error{w}
		}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}
