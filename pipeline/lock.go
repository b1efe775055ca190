package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// LockWait is how long a run waits for another run on the same course.
var LockWait = 10 * time.Second

// lockCourse takes the course's lock, waiting up to LockWait for another
// lessonpub working on it. The lock goes with the process, even on a crash.
func lockCourse(ctx context.Context, courseDir string) (unlock func(), err error) {
	return lockCourseWaiting(ctx, courseDir, nil)
}

// lockCourseWaiting is lockCourse telling waiting (when not nil), once,
// who holds the lock when it has to wait for it, in a sentence such as
// "waiting for ana on studio-pc (pid 4242, since 14:05) who is publishing
// this course" (kept to translate).
//
// The lock file is made for the group too (0664 less the umask), so that
// staff sharing a course folder can take turns; the holder writes who it
// is into it.
func lockCourseWaiting(ctx context.Context, courseDir string, waiting func(*captions.Text)) (unlock func(), err error) {
	dir := filepath.Join(courseDir, RecordDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, atomicfile.Explain(err, courseDir)
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, os.ErrNotExist) {
		// The record is fit to commit; the lock and temp files are not.
		os.WriteFile(ignore, []byte("lock\n*.tmp\n"), 0o644)
	}
	path := filepath.Join(dir, "lock")
	l := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o664))
	ok, err := l.TryLock()
	if errors.Is(err, fs.ErrPermission) {
		// Another user's lock file that the group may read but not write:
		// a lock taken on a read-only handle is the same lock.
		l = flock.New(path, flock.SetPermissions(0o664))
		ok, err = l.TryLock()
	}
	if err != nil {
		return nil, atomicfile.Explain(captions.Errorf("locking the course (%s): %w", path, err), dir)
	}
	if !ok {
		holder := readHolder(path)
		if waiting != nil {
			if holder == nil {
				waiting(captions.Textf("waiting for another lessonpub that is publishing this course"))
			} else {
				waiting(captions.Textf("waiting for %s who is publishing this course", holder))
			}
		}
		wctx, cancel := context.WithTimeout(ctx, LockWait)
		defer cancel()
		ok, err = l.TryLockContext(wctx, 200*time.Millisecond)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return nil, captions.Errorf("locking the course (%s): %w", path, err)
		}
		if !ok {
			if h := readHolder(path); h != nil {
				holder = h
			}
			if holder == nil {
				return nil, captions.Errorf("another lessonpub is publishing %s (it holds %s); wait for it to finish and run this again", courseDir, path)
			}
			return nil, captions.Errorf("another lessonpub is publishing %s: %s holds %s; wait for it to finish and run this again", courseDir, holder, path)
		}
	}
	writeHolder(path)
	return func() {
		clearHolder(path)
		l.Unlock()
	}, nil
}

// lockHolder is who holds a course's lock, as written into the lock file.
type lockHolder struct {
	User  string    `json:"user"`
	Host  string    `json:"host"`
	PID   int       `json:"pid"`
	Since time.Time `json:"since"`
}

// writeHolder writes who this process is into the lock file it holds. It
// is best effort: a lock file the user may not write (another user's, on
// a system that locks by range) still locks.
func writeHolder(path string) {
	h := lockHolder{PID: os.Getpid(), Since: time.Now()}
	if u, err := user.Current(); err == nil {
		h.User = u.Username
	} else if h.User = os.Getenv("USER"); h.User == "" {
		h.User = os.Getenv("USERNAME")
	}
	h.Host, _ = os.Hostname()
	data, _ := json.Marshal(h)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return
	}
	f.Write(append(data, '\n'))
	f.Close()
}

// clearHolder empties the lock file before the lock is let go, so that
// the next holder's waiters never read a holder that has left.
func clearHolder(path string) {
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0); err == nil {
		f.Close()
	}
}

// readHolder says who holds the lock file at path, such as "ana on
// studio-pc (pid 4242, since 14:05)", or nil when it does not say.
func readHolder(path string) *captions.Text {
	data, err := lessons.ReadFile(path) // never a named pipe left there
	if err != nil || len(data) == 0 {
		return nil
	}
	var h lockHolder
	if json.Unmarshal(data, &h) != nil || h.PID == 0 {
		return nil
	}
	var who any = h.User
	if h.User == "" {
		who = captions.Textf("someone")
	}
	since := h.Since.Local()
	layout := "15:04"
	if y, m, d := since.Date(); y != time.Now().Year() || m != time.Now().Month() || d != time.Now().Day() {
		layout = "2 Jan 15:04"
	}
	if h.Host != "" {
		return captions.Textf("%s on %s (pid %d, since %s)", who, h.Host, h.PID, since.Format(layout))
	}
	return captions.Textf("%s (pid %d, since %s)", who, h.PID, since.Format(layout))
}
