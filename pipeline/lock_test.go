package pipeline

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestSecondProcessWaitsForLock(t *testing.T) {
	dir := t.TempDir()
	old := LockWait
	LockWait = 300 * time.Millisecond
	defer func() { LockWait = old }()
	unlock, err := lockCourse(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	// flock locks are per open file, so a second lock in this process
	// stands in for a second process.
	if _, err := lockCourse(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "another lessonpub is publishing") {
		t.Fatalf("second lock: got %v, want a clear 'another lessonpub' error", err)
	}
}
