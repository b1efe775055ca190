package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"ok", nil, exitOK},
		{"failure", errors.New("render failed"), exitFailed},
		{"problems found", &exitError{code: exitFailed}, exitFailed},
		{"usage", newUsageError(errors.New("unknown flag")), exitUsage},
		{"unreadable input", inputError(fmt.Errorf("reading: %w", &fs.PathError{Op: "open", Path: "x.srt", Err: fs.ErrPermission})), exitUsage},
		{"problems in the input", inputError(errors.New("lesson.yaml:3: unknown key")), exitFailed},
		// An error while working is 1 even when it is a file error.
		{"unwritable state folder", fmt.Errorf("saving the record: %w", &fs.PathError{Op: "mkdir", Path: "/state", Err: fs.ErrPermission}), exitFailed},
		// A folder or disk that cannot be written is a failure while working,
		// even when a command marked the error as a usage mistake.
		{"write error", atomicfile.Explain(&fs.PathError{Op: "mkdir", Path: "/course/.lessonpub", Err: fs.ErrPermission}, "/course"), exitFailed},
		{"write error under usage", newUsageError(atomicfile.Explain(&fs.PathError{Op: "open", Path: "/out", Err: fs.ErrPermission}, "/out")), exitFailed},
		{"bad setting", badSetting(errors.New(`LESSONPUB_QUOTA_UNITS="abc" is not a positive whole number`)), exitUsage},
		{"not signed in", fmt.Errorf("publish: %w", youtube.ErrNotSignedIn), exitNotSignedIn},
		{"daily limit", fmt.Errorf("lesson 3: %w", pipeline.ErrDailyLimit), exitLimit},
		{"interrupted", fmt.Errorf("ffmpeg stopped: %w", context.Canceled), exitInterrupted},
		// Ctrl-C during an upload that then hit the limit is still an interruption.
		{"interrupted wins", fmt.Errorf("%w: %w", context.Canceled, pipeline.ErrDailyLimit), exitInterrupted},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}
