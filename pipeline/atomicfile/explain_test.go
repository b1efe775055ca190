package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestExplain(t *testing.T) {
	pathErr := func(errno syscall.Errno) error {
		return fmt.Errorf("writing x: %w", &fs.PathError{Op: "open", Path: "/c/.lessonpub/x", Err: errno})
	}
	for _, tc := range []struct {
		name string
		err  error
		want string // "" when the error is to come back unchanged
	}{
		{"full", pathErr(syscall.ENOSPC), "cannot write /c/.lessonpub: the disk is full; free some space on it (or write somewhere else) and run this again"},
		{"read-only disk", pathErr(syscall.EROFS), "cannot write in /c/.lessonpub: it is on a read-only disk or share; work in a folder you can write to"},
		{"not yours", pathErr(syscall.EACCES), "cannot write in /c/.lessonpub: you may not write in this folder (permission denied); ask its owner for write access"},
		{"not permitted", pathErr(syscall.EPERM), "cannot write in /c/.lessonpub: you may not write in this folder"},
		{"missing", pathErr(syscall.ENOENT), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Explain(tc.err, "/c/.lessonpub")
			if tc.want == "" {
				if got != tc.err {
					t.Errorf("Explain changed %v into %v", tc.err, got)
				}
				return
			}
			var we *WriteError
			if !errors.As(got, &we) || !strings.HasPrefix(got.Error(), tc.want) {
				t.Errorf("Explain = %q, want a *WriteError starting %q", got, tc.want)
			}
			if strings.Contains(got.Error(), "\n") {
				t.Errorf("Explain = %q, want one line", got)
			}
			if !errors.Is(got, tc.err.(interface{ Unwrap() error }).Unwrap().(*fs.PathError).Err) {
				t.Errorf("Explain(%v) hides the cause", tc.err)
			}
			if again := Explain(got, "/elsewhere"); again != got {
				t.Errorf("explaining twice changed %q into %q", got, again)
			}
		})
	}
	if Explain(nil, "/x") != nil {
		t.Error("Explain(nil) is not nil")
	}
}
