package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

func TestLockSaysWhoHoldsIt(t *testing.T) {
	dir := t.TempDir()
	old := LockWait
	LockWait = 300 * time.Millisecond
	defer func() { LockWait = old }()
	unlock, err := lockCourse(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	pid := fmt.Sprintf("(pid %d, since ", os.Getpid())
	var said []string
	_, err = lockCourseWaiting(context.Background(), dir, func(t *captions.Text) { said = append(said, t.String()) })
	if len(said) != 1 || !strings.HasPrefix(said[0], "waiting for ") || !strings.Contains(said[0], " on "+host+" "+pid) || !strings.HasSuffix(said[0], " who is publishing this course") {
		t.Errorf("while waiting, said %q; want once who (on %s %s) is publishing", said, host, pid)
	}
	if err == nil || !strings.Contains(err.Error(), "another lessonpub is publishing") || !strings.Contains(err.Error(), pid) {
		t.Errorf("after waiting: %v, want an error naming the holder %s", err, pid)
	}

	unlock()
	if data, _ := os.ReadFile(filepath.Join(dir, RecordDir, "lock")); len(data) != 0 {
		t.Errorf("after unlocking, the lock file still names a holder: %s", data)
	}
	said = nil
	unlock, err = lockCourseWaiting(context.Background(), dir, func(t *captions.Text) { said = append(said, t.String()) })
	if err != nil || said != nil {
		t.Fatalf("a free lock: err %v, said %q", err, said)
	}
	unlock()
}
