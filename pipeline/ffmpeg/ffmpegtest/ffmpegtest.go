// Package ffmpegtest is what tests that run the real ffmpeg and ffprobe
// share: one rule for when they may be missing. On a developer's machine
// without ffmpeg such tests skip; in CI (CI=true) they fail, so a CI that
// forgot to install ffmpeg cannot pass by skipping.
package ffmpegtest

import (
	"os"
	"os/exec"
	"testing"
)

// Available reports whether ffmpeg and ffprobe are on the PATH.
func Available() bool {
	_, err1 := exec.LookPath("ffmpeg")
	_, err2 := exec.LookPath("ffprobe")
	return err1 == nil && err2 == nil
}

// InCI reports whether the tests run in CI, where nothing may be skipped
// for want of ffmpeg.
func InCI() bool { return os.Getenv("CI") == "true" }

// Require skips the test when ffmpeg or ffprobe is missing, and fails it
// instead in CI.
func Require(t testing.TB) {
	t.Helper()
	if Available() {
		return
	}
	if InCI() {
		t.Fatal("ffmpeg and ffprobe must be installed in CI (apt-get install ffmpeg; see .ci/run)")
	}
	t.Skip("ffmpeg or ffprobe is not installed (apt-get install ffmpeg)")
}
