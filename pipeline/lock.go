package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// LockWait is how long a run waits for another run on the same course.
var LockWait = 10 * time.Second

// lockCourse takes the course's lock, waiting up to LockWait for another
// lessonpub working on it. The lock goes with the process, even on a crash.
func lockCourse(ctx context.Context, courseDir string) (unlock func(), err error) {
	dir := filepath.Join(courseDir, RecordDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, os.ErrNotExist) {
		// The record is fit to commit; the lock and temp files are not.
		os.WriteFile(ignore, []byte("lock\n*.tmp\n"), 0o644)
	}
	path := filepath.Join(dir, "lock")
	l := flock.New(path)
	wctx, cancel := context.WithTimeout(ctx, LockWait)
	defer cancel()
	ok, err := l.TryLockContext(wctx, 200*time.Millisecond)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("locking the course (%s): %w", path, err)
	}
	if !ok {
		return nil, fmt.Errorf("another lessonpub is publishing %s (it holds %s); wait for it to finish and run this again", courseDir, path)
	}
	return func() { l.Unlock() }, nil
}
