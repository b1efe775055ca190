//go:build unix

package pipeline

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
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
