package pipeline

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// A course on a read-only disk: one line saying so, not a bare mkdir error.
func TestLockReadOnlyCourse(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_RDONLY, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); atomicfile's TestExplain covers the message", err)
	}
	defer syscall.Unmount(dir, 0)
	_, err := lockCourse(context.Background(), dir)
	var we *atomicfile.WriteError
	if !errors.As(err, &we) || !strings.HasPrefix(err.Error(), "cannot write in "+dir+": it is on a read-only disk") {
		t.Fatalf("locking a course on a read-only disk: %v", err)
	}
}
