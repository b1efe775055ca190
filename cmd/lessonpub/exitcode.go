package main

import (
	"context"
	"errors"
	"io/fs"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// Exit codes, the one place they are decided. They are documented to users by
// exitCodesHelp, which `lessonpub help exit-codes` prints.
const (
	exitOK          = 0
	exitFailed      = 1   // the job failed, or problems were found
	exitUsage       = 2   // usage error, bad setting or unreadable input
	exitNotSignedIn = 4   // no valid YouTube sign-in
	exitLimit       = 75  // stopped early for a YouTube limit; rerun later
	exitInterrupted = 130 // interrupted (Ctrl-C)
)

const exitCodesHelp = `Exit codes:
  0    ok
  1    failed, or problems were found (caption errors, a lesson that failed,
       a state folder or output that cannot be written)
  2    usage error, a bad setting (a LESSONPUB_ variable), or input that cannot be read
  4    not signed in to YouTube: run 'lessonpub auth login'
  75   stopped early for a YouTube limit: what was done is recorded, rerun later to continue
  130  interrupted (Ctrl-C): what was done is recorded, rerun to continue
`

// exitError carries an explicit exit code chosen by a command, for outcomes
// that are not failures of a package below (for example "problems found").
type exitError struct {
	code int
	err  error // may be nil: the command already said everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks a mistake in how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func newUsageError(err error) error { return &usageError{err: err} }

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int {
	var ee *exitError
	var ue *usageError
	var we *atomicfile.WriteError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, youtube.ErrNotSignedIn):
		return exitNotSignedIn
	case errors.Is(err, pipeline.ErrDailyLimit):
		return exitLimit
	case errors.As(err, &we):
		return exitFailed // a folder or disk lessonpub could not write while working
	case errors.As(err, &ue):
		return exitUsage
	default:
		return exitFailed
	}
}

// inputError is err from reading the input named on the command line (a
// course, lesson or caption file): input that cannot be read at all is exit
// 2; problems found in what was read keep their code (1). Call it where the
// input is read, not on errors from later work: an unwritable state folder
// or output file is a failure while working (1).
func inputError(err error) error {
	var pe *fs.PathError
	if err != nil && errors.As(err, &pe) {
		return &exitError{code: exitUsage, err: err}
	}
	return err
}
