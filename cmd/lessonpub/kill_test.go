package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// Kill tests: lessonpub is killed (SIGKILL) at each moment of a course's
// publishing, then run again to completion, and the destination must hold
// exactly one video, one playlist item and one caption track per language
// for each lesson. The course has two lessons with az and en captions.

// killEnv is one course, state folder and fake YouTube for one kill.
type killEnv struct {
	t      *testing.T
	bin    string
	course string
	env    []string
	srv    *youtubetest.Server
}

func newKillEnv(t *testing.T, bin string, withYouTube bool) *killEnv {
	t.Helper()
	home := t.TempDir()
	e := &killEnv{t: t, bin: bin, course: pipelinetest.MakeCourse(t, 2)}
	e.env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home+"/.config", "XDG_STATE_HOME="+home+"/.local/state",
		"XDG_CACHE_HOME="+home+"/.cache", "LESSONPUB_STATE_DIR="+filepath.Join(home, "state"), "LESSONPUB_RETRY_INITIAL=1ms")
	if withYouTube {
		e.srv = youtubetest.NewServer()
		t.Cleanup(e.srv.Close)
		secrets, token := filepath.Join(home, "client_secret.json"), filepath.Join(home, "token.json")
		if err := os.WriteFile(secrets, e.srv.ClientSecretsJSON(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := youtube.SaveToken(token, e.srv.IssueToken()); err != nil {
			t.Fatal(err)
		}
		e.env = append(e.env, "LESSONPUB_YOUTUBE_ENDPOINT="+e.srv.URL+"/", "LESSONPUB_CLIENT_SECRETS="+secrets, "LESSONPUB_TOKEN="+token)
	}
	return e
}

// command is lessonpub publishing the course with extra arguments.
func (e *killEnv) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, e.bin, append([]string{"course", "publish", e.course, "--preset", "ultrafast"}, args...)...)
	cmd.Env = e.env
	return cmd
}

// finish runs lessonpub to completion after a kill.
func (e *killEnv) finish(args ...string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := e.command(ctx, args...).CombinedOutput(); err != nil {
		e.t.Fatalf("the run after the kill: %v\n%s", err, out)
	}
}

// killedRun starts lessonpub and lets arm kill it; it returns once the
// process is gone.
func (e *killEnv) killedRun(args []string, arm func(kill func())) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := e.command(ctx, args...)
	var mu sync.Mutex
	kill := func() {
		mu.Lock()
		defer mu.Unlock()
		if cmd.Process != nil {
			cmd.Process.Kill()
		}
	}
	arm(kill)
	mu.Lock()
	err := cmd.Start()
	mu.Unlock()
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Wait()
}

// youtubeOneEach fails unless the fake holds exactly one video, one item
// of the course's one playlist and one track per language for each lesson.
func (e *killEnv) youtubeOneEach() {
	t := e.t
	t.Helper()
	want := pipelinetest.Keys(2)
	var keys []string
	tracks := map[string][]string{}
	for _, v := range e.srv.Videos() {
		k := pipeline.KeyOf(v.Description)
		keys = append(keys, k)
		for _, c := range e.srv.Captions(v.ID) {
			tracks[k] = append(tracks[k], c.Language)
		}
	}
	slices.Sort(keys)
	if !slices.Equal(keys, want) {
		t.Errorf("videos of lessons %q, want one each of %q", keys, want)
	}
	for _, k := range want {
		slices.Sort(tracks[k])
		if !slices.Equal(tracks[k], []string{"az", "en"}) {
			t.Errorf("%s has caption tracks %q, want az and en once each", k, tracks[k])
		}
	}
	pls := e.srv.Playlists()
	if len(pls) != 1 {
		t.Fatalf("%d playlists, want 1", len(pls))
	}
	var placed []string
	for _, id := range pls[0].VideoIDs {
		v, _ := e.srv.Video(id)
		placed = append(placed, pipeline.KeyOf(v.Description))
	}
	if !slices.Equal(placed, want) {
		t.Errorf("playlist holds %q, want %q", placed, want)
	}
}

func lessonpubBinary(t *testing.T) string {
	t.Helper()
	pipelinetest.Clip(t)                   // skips without ffmpeg
	bin, err := exec.LookPath("lessonpub") // the test binary, put on PATH by testscript.Main
	if err != nil {
		t.Skip("no lessonpub command on PATH:", err)
	}
	return bin
}

// killEvery says whether to kill at every moment (LESSONPUB_KILL_TESTS=all)
// or at a spread of them, so that the default test run stays short.
func killEvery(i, n int) bool {
	if os.Getenv("LESSONPUB_KILL_TESTS") == "all" {
		return true
	}
	step := max(1, n/5)
	return i%step == 0 || i == n
}

func TestKillAtEveryRequestOfYouTube(t *testing.T) {
	bin := lessonpubBinary(t)
	cal := newKillEnv(t, bin, true)
	cal.finish()
	cal.youtubeOneEach()
	n := cal.srv.Requests()
	for i := 1; i <= n; i++ {
		if !killEvery(i, n) {
			continue
		}
		for _, when := range []youtubetest.Moment{youtubetest.BeforeAnswer, youtubetest.AfterAnswer} {
			name := fmt.Sprintf("request-%d-%s", i, map[youtubetest.Moment]string{youtubetest.BeforeAnswer: "before", youtubetest.AfterAnswer: "after"}[when])
			t.Run(name, func(t *testing.T) {
				e := newKillEnv(t, bin, true)
				e.killedRun(nil, func(kill func()) { e.srv.OnRequest(i, when, kill) })
				e.srv.OnRequest(0, 0, nil)
				e.finish()
				e.youtubeOneEach()
			})
		}
	}
}

// folderOneEach fails unless the folder target holds exactly one complete
// video folder, one playlist item and one caption file per language for
// each lesson, and nothing half-written.
func folderOneEach(t *testing.T, out string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(out, "videos"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		caps, _ := filepath.Glob(filepath.Join(out, "videos", e.Name(), "captions", "*.srt"))
		if len(caps) != 2 {
			t.Errorf("%s has %d caption files, want 2", e.Name(), len(caps))
		}
	}
	if len(names) != 2 || !strings.HasPrefix(names[0], "lesson-1-") || !strings.HasPrefix(names[1], "lesson-2-") {
		t.Errorf("video folders %q, want one for each lesson", names)
	}
	data, err := os.ReadFile(filepath.Join(out, "playlist.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), `"video_id"`); n != 2 {
		t.Errorf("playlist.json has %d items, want 2:\n%s", n, data)
	}
}

func TestKillAtEveryEventOfTheFolderTarget(t *testing.T) {
	bin := lessonpubBinary(t)
	cal := newKillEnv(t, bin, false)
	calOut := filepath.Join(t.TempDir(), "out")
	out, err := cal.command(context.Background(), "--target", "dir:"+calOut, "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	folderOneEach(t, calOut)
	n := strings.Count(string(out), "\n")
	for i := 1; i <= n; i++ {
		if !killEvery(i, n) {
			continue
		}
		t.Run(fmt.Sprintf("event-%d", i), func(t *testing.T) {
			e := newKillEnv(t, bin, false)
			dir := filepath.Join(t.TempDir(), "out")
			args := []string{"--target", "dir:" + dir, "--json"}
			e.killedAtLine(args, i)
			e.finish(args...)
			folderOneEach(t, dir)
		})
	}
}

// The record is written after every step: a crash in the middle of any of
// those writes (LESSONPUB_TEST_CRASHPOINT=record:N) leaves a record that
// the next run reads and finishes from.
func TestCrashWhileTheRecordIsWritten(t *testing.T) {
	bin := lessonpubBinary(t)
	crashed := 0
	for i := 1; i <= 40; i++ {
		if !killEvery(i, 40) {
			continue
		}
		t.Run(fmt.Sprintf("write-%d", i), func(t *testing.T) {
			e := newKillEnv(t, bin, false)
			dir := filepath.Join(t.TempDir(), "out")
			args := []string{"--target", "dir:" + dir}
			cmd := e.command(context.Background(), args...)
			cmd.Env = append(cmd.Env, fmt.Sprintf("LESSONPUB_TEST_CRASHPOINT=record:%d", i))
			if err := cmd.Run(); cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == 137 {
				crashed++
			} else if err != nil {
				t.Fatalf("the run meant to crash failed otherwise: %v", err)
			}
			e.finish(args...)
			folderOneEach(t, dir)
		})
	}
	if crashed == 0 {
		t.Errorf("no run crashed at its crash point")
	}
}

// killedAtLine starts lessonpub and kills it when it has printed line n
// of its standard output (an event with --json).
func (e *killEnv) killedAtLine(args []string, n int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := e.command(ctx, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	buf := make([]byte, 1)
	lines := 0
	for lines < n {
		if _, err := stdout.Read(buf); err != nil {
			break
		}
		if buf[0] == '\n' {
			lines++
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
}

// SIGTERM stops lessonpub within a few seconds, even while YouTube does
// not answer.
func TestSIGTERMStopsAStuckRun(t *testing.T) {
	bin := lessonpubBinary(t)
	e := newKillEnv(t, bin, true)
	e.srv.Fail(youtubetest.Fault{Method: "*", Kind: youtubetest.Hold, Times: -1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := e.command(ctx)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // rendering or waiting for the fake
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if took := time.Since(start); took > forceExitAfter+3*time.Second {
		t.Errorf("lessonpub took %v to stop after SIGTERM", took)
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit code %d, want %d", code, exitInterrupted)
	}
}
