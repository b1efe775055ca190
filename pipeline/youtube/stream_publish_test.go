package youtube_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// These tests publish through the core (pipeline.Publisher) with the real
// renderer, streaming on, to the fake YouTube.

// streamCourse makes a course of one 6-second 720p lesson with an
// interpreter, encoded like a real lesson.
func streamCourse(t *testing.T) *lessons.Course {
	t.Helper()
	ffmpegtest.Require(t)
	course := filepath.Join(t.TempDir(), "course")
	dir := filepath.Join(course, "01-lesson")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]string{
		{"-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=6", "-f", "lavfi", "-i", "sine=f=440:d=6",
			"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", filepath.Join(dir, "lesson.mp4")},
		{"-f", "lavfi", "-i", "color=c=0x00FF00:s=240x320:r=25:d=6,drawbox=x=60:y=80:w=120:h=160:color=red:t=fill",
			"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", filepath.Join(dir, "sign.mp4")},
	} {
		if out, err := exec.Command("ffmpeg", append([]string{"-v", "error", "-nostdin", "-y"}, c...)...).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v: %s", err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(course, "course.yaml"), []byte("title: Streamed course\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lesson.az.srt"), []byte(pipelinetest.SRTAZ), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := lessons.LoadCourse(course)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// publishStreamed publishes c to srv with streaming as given, and returns
// the run's events.
func publishStreamed(t *testing.T, srv *youtubetest.Server, c *lessons.Course, state string, stream bool) (*pipeline.Summary, []pipeline.Event) {
	t.Helper()
	dir := t.TempDir()
	cfg := youtube.Config{
		ClientSecretsFile: filepath.Join(dir, "client_secret.json"),
		TokenFile:         filepath.Join(dir, "token.json"),
		StateDir:          state,
		Endpoint:          srv.URL + "/",
		Limits:            youtube.DefaultLimits(),
	}
	os.WriteFile(cfg.ClientSecretsFile, srv.ClientSecretsJSON(), 0o600)
	youtube.SaveToken(cfg.TokenFile, srv.IssueToken())
	client, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	target := youtube.NewTarget(client, nil)
	target.ChunkSize = youtube.ChunkAlign
	var mu sync.Mutex
	var events []pipeline.Event
	p := pipeline.New(pipeline.Options{
		Target: target, Renderer: pipeline.MediaRenderer{Preset: "ultrafast"}, Captions: pipeline.CaptionGate{},
		StateDir: state, Stream: stream,
		Events: func(e pipeline.Event) {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
		},
	})
	sum, err := p.Publish(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum, events
}

// uploaded writes the one video's bytes on srv to a file and checks that
// ffmpeg decodes it whole without an error.
func uploaded(t *testing.T, srv *youtubetest.Server) (string, *ffmpeg.Media) {
	t.Helper()
	vs := srv.Videos()
	if len(vs) != 1 {
		t.Fatalf("the channel has %d videos, want 1", len(vs))
	}
	data, err := vs[0].Content()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "uploaded.mp4")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ffmpeg", "-v", "error", "-xerror", "-nostdin", "-i", path, "-f", "null", "-").CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("ffmpeg does not read the uploaded video whole: %v\n%s", err, out)
	}
	m, err := ffmpeg.Probe(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return path, m
}

type streamShape struct {
	Type, Codec, Language string
	Width, Height         int
}

func shape(m *ffmpeg.Media) []streamShape {
	var s []streamShape
	for _, st := range m.Streams {
		s = append(s, streamShape{st.Type, st.Codec, st.Language, st.Width, st.Height})
	}
	return s
}

func TestPublishStreamedMatchesLocalRender(t *testing.T) {
	c := streamCourse(t)
	srv := youtubetest.NewServer()
	t.Cleanup(srv.Close)
	sum, events := publishStreamed(t, srv, c, t.TempDir(), true)
	if sum.Failed > 0 {
		t.Fatalf("failed: %+v", sum.Lessons)
	}
	path, got := uploaded(t, srv)

	// The upload began before the render ended.
	early, streamed := false, false
	for _, e := range events {
		if e.Type == pipeline.EventRendered {
			break
		}
		early = early || (e.Type == pipeline.EventUpload && e.Bytes > 0)
		streamed = streamed || (e.Type == pipeline.EventStep && e.Step == "uploading while it renders")
	}
	if !streamed || !early {
		t.Errorf("before the render ended: streaming step %v, bytes sent %v; want both", streamed, early)
	}

	// The same render made locally has the same bytes: the render is
	// reproducible, and nothing was lost or added on the way.
	r := pipeline.MediaRenderer{Preset: "ultrafast"}
	local := filepath.Join(t.TempDir(), "local.mp4")
	job, err := r.Start(context.Background(), c.Lessons[0], local, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := job.Finish(); err != nil {
		t.Fatal(err)
	}
	if a, b := fileSHA(t, local), fileSHA(t, path); a != b {
		t.Errorf("uploaded video sha256 %s, local render %s", b, a)
	}

	// Against the faststart render: same duration, streams and tags.
	faststart := filepath.Join(t.TempDir(), "faststart.mp4")
	if err := r.Render(context.Background(), c.Lessons[0], faststart, nil); err != nil {
		t.Fatal(err)
	}
	want, err := ffmpeg.Probe(context.Background(), faststart)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Duration - want.Duration; d < -100e6 || d > 100e6 {
		t.Errorf("duration %v, faststart render %v", got.Duration, want.Duration)
	}
	if diff := cmp.Diff(shape(want), shape(got)); diff != "" {
		t.Errorf("streams (-faststart +streamed):\n%s", diff)
	}
}

func TestPublishNotStreamedIsFastStart(t *testing.T) {
	c := streamCourse(t)
	srv := youtubetest.NewServer()
	t.Cleanup(srv.Close)
	sum, events := publishStreamed(t, srv, c, t.TempDir(), false)
	if sum.Failed > 0 {
		t.Fatalf("failed: %+v", sum.Lessons)
	}
	_, m := uploaded(t, srv)
	if !m.FastStart {
		t.Error("--stream=false uploaded a video whose movie header is not first")
	}
	for _, e := range events {
		if e.Type == pipeline.EventStep && strings.Contains(e.Step, "while it renders") {
			t.Errorf("a run without streaming said %q", e.Step)
		}
	}
}

// dyingFFmpeg puts on PATH an ffmpeg that runs the real one but, for a
// fragmented encode, is killed after a second and a half of it.
func dyingFFmpeg(t *testing.T) {
	t.Helper()
	real, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	script := `#!/bin/sh
case "$*" in
*frag_keyframe*)
	"` + real + `" "$@" &
	pid=$!
	sleep 1.5
	kill -9 $pid
	wait $pid
	exit 1 ;;
esac
exec "` + real + `" "$@"
`
	if err := os.WriteFile(filepath.Join(bin, "ffmpeg"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestPublishStreamedFFmpegDiesMakesNoVideo(t *testing.T) {
	c := streamCourse(t)
	dyingFFmpeg(t)
	srv := youtubetest.NewServer()
	t.Cleanup(srv.Close)
	state := t.TempDir()
	sum, events := publishStreamed(t, srv, c, state, true)
	if sum.Failed != 1 {
		t.Fatalf("%d lessons failed, want 1: %+v", sum.Failed, sum.Lessons)
	}
	msg := sum.Lessons[0].Error
	if !strings.Contains(msg, "ffmpeg failed") || !strings.Contains(msg, "no video was made") {
		t.Errorf("the lesson's error %q does not say the render failed and no video was made", msg)
	}
	sent := false
	for _, e := range events {
		sent = sent || (e.Type == pipeline.EventUpload && e.Bytes > 0)
	}
	if !sent {
		t.Error("nothing was uploaded before ffmpeg died: the test did not fail mid-stream")
	}
	if n := len(srv.Videos()); n != 0 {
		t.Errorf("the channel has %d videos, want none", n)
	}
	if ss := srv.UploadSessions(); len(ss) != 1 || ss[0].Stored == 0 {
		t.Errorf("upload sessions %+v, want one unfinished, with bytes", ss)
	}
	left, _ := filepath.Glob(filepath.Join(state, "renders", "*"))
	if len(left) != 0 {
		t.Errorf("the failed render left %v", left)
	}
}
