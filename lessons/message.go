package lessons

import "fmt"

// Text is an English message kept as its format and arguments, so that a
// program showing it to a person can translate the format first; an
// argument may itself be a *Text. String gives the English.
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
