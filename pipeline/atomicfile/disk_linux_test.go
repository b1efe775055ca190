package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mountTmpfs mounts a small tmpfs (with options such as "ro" or
// "size=64k") on a new folder for the test, or skips the test when it may
// not mount (not root, or a sandbox that forbids it).
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); Explain's messages are tested with injected errors", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
	})
	return dir
}

func TestFullDisk(t *testing.T) {
	dir := mountTmpfs(t, "size=64k")
	path := filepath.Join(dir, "published.json")
	err := WriteFile(path, make([]byte, 1<<20), 0o644)
	var we *WriteError
	if !errors.As(err, &we) || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "the disk is full") {
		t.Fatalf("WriteFile on a full disk: %v, want a *WriteError saying the disk is full", err)
	}
	if diff := cmp.Diff([]string(nil), names(t, dir)); diff != "" {
		t.Errorf("left on the full disk (-want +got):\n%s", diff)
	}
}

func TestReadOnlyDisk(t *testing.T) {
	dir := mountTmpfs(t, "ro,size=64k")
	err := WriteFile(filepath.Join(dir, "published.json"), []byte("{}"), 0o644)
	if !errors.Is(err, syscall.EROFS) || !strings.HasPrefix(err.Error(), "cannot write in "+dir+": it is on a read-only disk") {
		t.Fatalf("WriteFile on a read-only disk: %v", err)
	}
	_, err = CreateTemp(dir, ".x-*.mp4")
	if !strings.Contains(fmtErr(Explain(err, dir)), "read-only disk") {
		t.Errorf("CreateTemp on a read-only disk: %v", err)
	}
}

func TestReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write in any folder; TestExplain covers the message")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	err := WriteFile(filepath.Join(dir, "published.json"), []byte("{}"), 0o644)
	if !errors.Is(err, os.ErrPermission) || !strings.HasPrefix(err.Error(), "cannot write in "+dir+": you may not write in this folder") {
		t.Fatalf("WriteFile in a read-only folder: %v", err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
