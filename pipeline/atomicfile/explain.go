package atomicfile

import (
	"errors"
	"io/fs"
	"syscall"

	"github.com/lessonpub/lessonpub/captions"
)

// WriteError is a failure to write that the user can fix: a folder they
// may not write in, a read-only disk, a full disk. Its message is one line
// saying what went wrong, where, and what to do; Err is the cause.
type WriteError struct {
	Path string // the file or folder lessonpub could not write
	Err  error
	msg  *captions.Text
}

func (e *WriteError) Error() string { return e.msg.String() }
func (e *WriteError) Unwrap() error { return e.Err }

// Parts returns the message's English format and arguments, for a program
// that shows it translated.
func (e *WriteError) Parts() (string, []any) { return e.msg.Parts() }

// Explain turns an error met writing at path (a file, or the folder a file
// was to be made in) into a *WriteError when the cause is one the user can
// fix: permission denied, a read-only file system, a full disk or quota.
// errors.Is and errors.As still see the cause. Other errors, nil, and errors
// already explained come back unchanged.
func Explain(err error, path string) error {
	var we *WriteError
	if err == nil || errors.As(err, &we) {
		return err
	}
	var msg *captions.Text
	switch {
	case errors.Is(err, syscall.ENOSPC) || isQuota(err):
		msg = captions.Textf("cannot write %s: the disk is full; free some space on it (or write somewhere else) and run this again", path)
	case errors.Is(err, syscall.EROFS):
		msg = captions.Textf("cannot write in %s: it is on a read-only disk or share; work in a folder you can write to (copy the course there, or choose another output) and run this again", path)
	case errors.Is(err, fs.ErrPermission):
		msg = captions.Textf("cannot write in %s: you may not write in this folder (permission denied); ask its owner for write access, or work in a folder of your own (copy the course there, or choose another output), and run this again", path)
	default:
		return err
	}
	return &WriteError{Path: path, Err: err, msg: msg}
}
