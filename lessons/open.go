package lessons

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is returned (wrapped) by Open for anything but a regular
// file: a named pipe, a device, a socket or a folder.
//
// untranslated: a sentinel for errors.Is; the error Open returns says what the file is
var ErrNotRegular = errors.New("not a regular file")

// Open opens a file of a course for reading. It refuses anything but a
// regular file, naming what it is: a named pipe would block the reader
// until someone writes to it, a device may never end. It never blocks
// opening one, even when the file is replaced between a check and the open.
func Open(path string) (*os.File, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, fi.Mode())
	}
	return f, nil
}

// ReadFile is os.ReadFile through Open: it reads regular files only.
func ReadFile(path string) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// notRegularError is a path whose mode is not a regular file's.
type notRegularError struct {
	path string
	mode fs.FileMode
}

func notRegular(path string, mode fs.FileMode) error { return &notRegularError{path, mode} }

func (e *notRegularError) Error() string { return e.text().String() }

// Parts returns the message's English format and arguments, for a program
// that shows it translated.
func (e *notRegularError) Parts() (string, []any) { return e.text().Parts() }

func (e *notRegularError) text() *Text {
	return textf("%s is %s, not a regular file", e.path, kindOf(e.mode))
}

func (e *notRegularError) Is(target error) bool { return target == ErrNotRegular }

// kindOf names the kind of file for a teacher.
func kindOf(mode fs.FileMode) *Text {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return textf("a named pipe (FIFO)")
	case mode&fs.ModeSocket != 0:
		return textf("a socket")
	case mode&fs.ModeDevice != 0 || mode&fs.ModeCharDevice != 0:
		return textf("a device")
	case mode.IsDir():
		return textf("a folder")
	case mode&fs.ModeSymlink != 0:
		return textf("a symbolic link")
	default:
		return textf("not a regular file")
	}
}
