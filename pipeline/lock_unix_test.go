//go:build unix

package pipeline

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A second user of the group can open the lock file of a shared course
// folder: it is not made 0600.
func TestLockFileIsForTheGroup(t *testing.T) {
	for _, tc := range []struct {
		umask int
		want  fs.FileMode
	}{
		{0o002, 0o664},
		{0o022, 0o644},
		{0o077, 0o600},
	} {
		dir := t.TempDir()
		old := syscall.Umask(tc.umask)
		unlock, err := lockCourse(context.Background(), dir)
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		unlock()
		fi, err := os.Stat(filepath.Join(dir, RecordDir, "lock"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tc.want {
			t.Errorf("umask %03o: lock file %v, want %v", tc.umask, got, tc.want)
		}
	}
}

// Waiting for a lock whose file the user may only read still works: the
// holder writes who it is; the waiter reads it.
func TestLockFileReadOnlyForUs(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root opens any file for writing")
	}
	dir := t.TempDir()
	unlock, err := lockCourse(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	lock := filepath.Join(dir, RecordDir, "lock")
	os.Chmod(lock, 0o444)
	unlock, err = lockCourse(context.Background(), dir)
	if err != nil {
		t.Fatalf("a lock file we may only read: %v", err)
	}
	unlock()
}

// A named pipe where the record should be is an error, not a run that
// hangs holding the course's lock.
func TestRecordNamedPipe(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, RecordDir), 0o755)
	if err := syscall.Mkfifo(RecordPath(dir), 0o644); err != nil {
		t.Skip("cannot make a named pipe:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := LoadRecord(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("LoadRecord on a named pipe: %v, want an error naming it", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("LoadRecord blocks on a named pipe")
	}
}
