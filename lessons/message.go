package lessons

import "github.com/lessonpub/lessonpub/captions"

// Text is an English message kept as its format and arguments, so that a
// program showing it to a person can translate the format first: the one
// type captions uses too.
type Text = captions.Text

func textf(format string, args ...any) *Text { return &Text{Format: format, Args: args} }
