//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestCreateTempHonoursUmask(t *testing.T) {
	for _, tc := range []struct {
		umask int
		want  fs.FileMode
	}{
		{0o022, 0o644},
		{0o027, 0o640},
		{0o002, 0o664},
	} {
		old := syscall.Umask(tc.umask)
		f, err := CreateTemp(t.TempDir(), ".lesson.partial-*.mp4")
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		fi, err := os.Stat(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tc.want {
			t.Errorf("umask %03o: mode %v, want %v", tc.umask, got, tc.want)
		}
		if base := fi.Name(); !strings.HasPrefix(base, ".lesson.partial-") || !strings.HasSuffix(base, ".mp4") || strings.Contains(base, "*") {
			t.Errorf("name %q does not follow the pattern", base)
		}
	}
}
