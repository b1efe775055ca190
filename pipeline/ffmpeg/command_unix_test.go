//go:build unix

package ffmpeg

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// ffmpegChildren lists the ffmpeg processes that are children of the test.
func ffmpegChildren(t *testing.T) []int {
	t.Helper()
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(os.Getpid()), "ffmpeg").Output()
	if err != nil {
		t.Fatalf("pgrep found no ffmpeg child: %v", err)
	}
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, n)
	}
	return pids
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// TestStopKills checks the last step: a process that ignores 'q' and the
// interrupt signal is killed once both grace periods have passed.
func TestStopKills(t *testing.T) {
	cmd := exec.Command("sh", "-c", `trap "" INT; echo ready; exec sleep 60`)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Stop it only once it ignores the signal.
	if _, err := stdout.Read(make([]byte, 6)); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		stopSteps{quitGrace: 50 * time.Millisecond, signalGrace: 50 * time.Millisecond}.stop(cmd.Process, stdin, exited)
		close(stopped)
	}()
	cmd.Wait()
	close(exited)
	<-stopped
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("process ended with %v, want killed by SIGKILL", cmd.ProcessState)
	}
}

// TestFFmpegDiesWithKilledParent kills (SIGKILL) a process that is running
// ffmpeg through Command.Run; ffmpeg must not outlive it, rendering for
// minutes for nobody. It does not, because it writes its progress to the
// parent's pipe twice a second and the first write after the parent is
// gone ends it (SIGPIPE).
func TestFFmpegDiesWithKilledParent(t *testing.T) {
	if os.Getenv("LESSONPUB_FFMPEG_PARENT") != "" {
		runLongFFmpeg(os.Getenv("LESSONPUB_FFMPEG_PARENT"))
		return
	}
	ffmpegtest.Require(t)
	parent := exec.Command(os.Args[0], "-test.run=^TestFFmpegDiesWithKilledParent$")
	parent.Env = append(os.Environ(), "LESSONPUB_FFMPEG_PARENT="+filepath.Join(t.TempDir(), "long.mp4"))
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(30 * time.Second); pid == 0; {
		out, _ := exec.Command("pgrep", "-P", strconv.Itoa(parent.Process.Pid), "ffmpeg").Output()
		if f := strings.Fields(string(out)); len(f) > 0 {
			pid, _ = strconv.Atoi(f[0])
		} else if time.Now().After(deadline) {
			parent.Process.Kill()
			t.Fatal("the parent started no ffmpeg")
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	parent.Process.Kill()
	parent.Wait()
	for deadline := time.Now().Add(10 * time.Second); alive(pid); {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("ffmpeg %d still runs after its parent was killed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runLongFFmpeg is the killed parent's part: a ten-minute encode.
func runLongFFmpeg(out string) {
	c := New()
	c.InputFormat("lavfi", "testsrc2=s=320x180:r=25:d=600", "-re")
	c.Output(out, "-c:v", "libx264", "-preset", "ultrafast")
	c.Run(context.Background(), nil)
}
