package atomicfile

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// names lists the folder's entries, temporary files included.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestWriteFileReplacesContentWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "published.json")
	long := strings.Repeat("old content, longer than the new one\n", 100)
	if err := WriteFile(path, []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != long {
		t.Fatalf("first write: got %d bytes, want %d", len(got), len(long))
	}
	if err := WriteFile(path, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "new\n" {
		t.Errorf("after replacing: got %q, want %q (nothing of the old content)", got, "new\n")
	}
	if diff := cmp.Diff([]string{"published.json"}, names(t, dir)); diff != "" {
		t.Errorf("folder after two writes (-want +got):\n%s", diff)
	}
}

func TestWriteFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permissions")
	}
	for _, tc := range []struct {
		name     string
		existing fs.FileMode // 0: no file before
		perm     fs.FileMode
	}{
		{"new secret", 0, 0o600},
		{"new shared", 0, 0o644},
		{"shared file becomes secret", 0o644, 0o600},
		{"secret file becomes shared", 0o600, 0o644},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "token.json")
			if tc.existing != 0 {
				if err := os.WriteFile(path, []byte("old"), tc.existing); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tc.existing); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteFile(path, []byte("{}"), tc.perm); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tc.perm {
				t.Errorf("mode %v, want %v", got, tc.perm)
			}
		})
	}
}

func TestOldContentUntilCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "en.srt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := f.Write([]byte("new, ")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("in two writes")); err != nil {
		t.Fatal(err)
	}
	// A crash now (no Commit) leaves what a reader sees now.
	if got := readFile(t, path); got != "old" {
		t.Errorf("before Commit: got %q, want the old content", got)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "new, in two writes" {
		t.Errorf("after Commit: got %q", got)
	}
	if err := f.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v, want nil", err)
	}
	if got := readFile(t, path); got != "new, in two writes" {
		t.Errorf("Abort after Commit changed the file: %q", got)
	}
	if _, err := f.Write([]byte("more")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Write after Commit: %v, want an error wrapping fs.ErrClosed", err)
	}
	if err := f.Commit(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Commit: %v, want an error wrapping fs.ErrClosed", err)
	}
	if diff := cmp.Diff([]string{"en.srt"}, names(t, dir)); diff != "" {
		t.Errorf("folder (-want +got):\n%s", diff)
	}
}

func TestAbortKeepsOldContentAndRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "video.mp4")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half a video"))
	if len(names(t, dir)) != 2 {
		t.Fatalf("while writing, the folder holds %v; want the file and a temporary file", names(t, dir))
	}
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("after Abort: got %q, want the old content", got)
	}
	if diff := cmp.Diff([]string{"video.mp4"}, names(t, dir)); diff != "" {
		t.Errorf("temporary file left after Abort (-want +got):\n%s", diff)
	}
	if err := f.Commit(); err == nil {
		t.Errorf("Commit after Abort succeeded")
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("Commit after Abort changed the file: %q", got)
	}
}

func TestFailedCommitRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	// A folder that is not empty cannot be replaced by a file.
	path := filepath.Join(dir, "captions")
	if err := os.MkdirAll(filepath.Join(path, "az.srt"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, []byte("data"), 0o644)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("WriteFile over a folder: %v, want an error naming %s", err, path)
	}
	if diff := cmp.Diff([]string{"captions"}, names(t, dir)); diff != "" {
		t.Errorf("temporary file left after a failed write (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Errorf("the folder in the way was changed: %v %v", fi, err)
	}
}

func TestMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-folder", "token.json")
	err := WriteFile(path, []byte("{}"), 0o600)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteFile into a missing folder: %v, want an error wrapping fs.ErrNotExist naming %s", err, path)
	}
}

// TestCopy: the copy has src's bytes and reports progress up to src's
// size; a cancelled copy leaves the old file whole and no temporary file.
func TestCopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	data := bytes.Repeat([]byte("lessonpub "), 300_000) // 3 MB: more than one piece
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Copy(ctx, src, dst, 0o644, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled copy: %v, want context.Canceled", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "old" {
		t.Errorf("after a cancelled copy dst holds %d bytes, want the old 3", len(got))
	}
	var last, total int64
	if err := Copy(context.Background(), src, dst, 0o644, func(sent, all int64) { last, total = sent, all }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Errorf("the copy differs from src (%d bytes, want %d)", len(got), len(data))
	}
	if last != int64(len(data)) || total != int64(len(data)) {
		t.Errorf("last progress %d of %d, want %d of %d", last, total, len(data), len(data))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
