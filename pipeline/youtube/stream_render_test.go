package youtube_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
	"github.com/lessonpub/lessonpub/pipeline/render"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// These tests render with the real ffmpeg while the render is uploaded to
// the fake YouTube, as publishing does with streaming on.

// renderLesson makes an 8-second 720p lesson with a green-screen
// interpreter, which is encoded (not copied) like a real lesson.
func renderLesson(t *testing.T) *lessons.Lesson {
	t.Helper()
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "course", "lesson")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	clip := func(name string, args ...string) string {
		path := filepath.Join(dir, name)
		argv := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)
		if b, err := exec.Command("ffmpeg", append(argv, "file:"+path)...).CombinedOutput(); err != nil {
			t.Fatalf("making %s: %v\n%s", name, err, b)
		}
		return path
	}
	rec := clip("lesson.mp4", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=8", "-f", "lavfi", "-i", "sine=f=440:d=8",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest")
	sign := clip("sign.mp4", "-f", "lavfi", "-i", "color=c=0x00FF00:s=240x320:r=25:d=8,drawbox=x=60:y=80:w=120:h=160:color=red:t=fill",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
	c := &lessons.Course{Dir: filepath.Dir(dir), Language: "az", Sign: lessons.Sign{Key: "green"}}
	l := &lessons.Lesson{Course: c, Dir: dir, Name: "lesson", Recording: rec, Sign: sign}
	c.Lessons = []*lessons.Lesson{l}
	return l
}

// startRender plans and starts a fragmented render of l.
func startRender(t *testing.T, ctx context.Context, l *lessons.Lesson, out, preset string) *render.Job {
	t.Helper()
	p, err := render.NewPlan(ctx, l, render.Options{Output: out, Preset: preset, Fragmented: true, NoCaptionTracks: true})
	if err != nil {
		t.Fatal(err)
	}
	j, err := p.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(j.Close)
	return j
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestStreamedRenderArrivesIdentical(t *testing.T) {
	l := renderLesson(t)
	srv, c, _, _ := newStreamClient(t)
	// Two connection resets mid-stream.
	mustFail(t, srv, "upload reset 1 offset=300000", "upload reset 1 offset=1100000")
	out := filepath.Join(t.TempDir(), "lesson.youtube.mp4")
	j := startRender(t, context.Background(), l, out, "superfast")
	early := false
	v, err := c.UploadGrowing(context.Background(), j, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{
		Key: "c/l1", ChunkSize: testChunk,
		Progress: func(p youtube.Progress) {
			select {
			case <-j.Done():
			default:
				early = early || p.Sent > 0
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := j.Finish()
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, fileSHA(t, res.Output))
	if !early {
		t.Error("nothing went out before the render had finished")
	}
	if n := len(srv.PendingFaults()); n != 0 {
		t.Errorf("%d resets never happened (the render is %d bytes)", n, res.Media.Size)
	}
	if res.Media.Video == nil || res.Media.Audio == nil || res.Media.Duration < 7900e6 {
		t.Errorf("the render has video %v, sound %v, %v: want both, 8 s", res.Media.Video != nil, res.Media.Audio != nil, res.Media.Duration)
	}
}

func TestStreamedRenderFailureMakesNoVideo(t *testing.T) {
	l := renderLesson(t)
	srv, c, cfg, _ := newStreamClient(t)
	out := filepath.Join(t.TempDir(), "lesson.youtube.mp4")
	rctx, stop := context.WithCancel(context.Background())
	defer stop()
	j := startRender(t, rctx, l, out, "superfast")
	_, err := c.UploadGrowing(context.Background(), j, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{
		Key: "c/l1", ChunkSize: testChunk,
		Progress: func(p youtube.Progress) {
			if p.Sent >= 512<<10 {
				stop() // ffmpeg stops midway
			}
		},
	})
	if !errors.Is(err, youtube.ErrUploadAbandoned) {
		t.Fatalf("got %v, want ErrUploadAbandoned", err)
	}
	if n := len(srv.Videos()); n != 0 {
		t.Errorf("the channel has %d videos, want none", n)
	}
	if ss := srv.UploadSessions(); len(ss) != 1 || ss[0].Stored < 512<<10 {
		t.Errorf("upload sessions %+v, want one unfinished with the bytes sent", ss)
	}
	if _, err := j.Finish(); err == nil {
		t.Error("Finish of the failed render succeeded")
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the failed render left %s", out)
	}
	if e := sessionFiles(t, cfg); len(e) != 0 {
		t.Errorf("the abandoned session is still saved: %v", e)
	}
}

// killedRun renders and uploads l until YouTube has 512 KiB or more, then
// stops both, as when lessonpub is killed; it returns a client of a new
// process.
func killedRun(t *testing.T, srv *youtubetest.Server, c *youtube.Client, cfg youtube.Config, l *lessons.Lesson, out string) *youtube.Client {
	t.Helper()
	ctx, kill := context.WithCancel(context.Background())
	defer kill()
	j := startRender(t, ctx, l, out, "superfast")
	_, err := c.UploadGrowing(ctx, j, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{
		Key: "c/l1", ChunkSize: testChunk,
		Progress: func(p youtube.Progress) {
			if p.Sent >= 512<<10 {
				kill()
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: got %v, want context.Canceled", err)
	}
	j.Close()
	if len(srv.Videos()) != 0 {
		t.Fatal("a video exists after the killed run")
	}
	c2, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c2
}

func TestStreamedRenderKilledThenContinued(t *testing.T) {
	l := renderLesson(t)
	srv, c, cfg, log := newStreamClient(t)
	out := filepath.Join(t.TempDir(), "lesson.youtube.mp4")
	c2 := killedRun(t, srv, c, cfg, l, out)
	first := srv.UploadedBytes()

	j := startRender(t, context.Background(), l, out, "superfast")
	v, err := c2.UploadGrowing(context.Background(), j, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if err != nil {
		t.Fatal(err)
	}
	res, err := j.Finish()
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, fileSHA(t, res.Output))
	if !strings.Contains(log.String(), "the new render matches the") {
		t.Errorf("log does not say the upload continued:\n%s", log)
	}
	if srv.Calls("videos.insert") != 1 {
		t.Errorf("videos.insert calls: got %d, want 1 (the session continued)", srv.Calls("videos.insert"))
	}
	if second := srv.UploadedBytes() - first; second >= res.Media.Size {
		t.Errorf("the second run sent %d bytes of %d, want less than all", second, res.Media.Size)
	}
}

func TestStreamedRenderKilledThenOtherSettings(t *testing.T) {
	l := renderLesson(t)
	srv, c, cfg, log := newStreamClient(t)
	out := filepath.Join(t.TempDir(), "lesson.youtube.mp4")
	c2 := killedRun(t, srv, c, cfg, l, out)

	j := startRender(t, context.Background(), l, out, "ultrafast") // another preset: other bytes
	v, err := c2.UploadGrowing(context.Background(), j, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if err != nil {
		t.Fatal(err)
	}
	res, err := j.Finish()
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, fileSHA(t, res.Output))
	if !strings.Contains(log.String(), "again: the render differs from the") {
		t.Errorf("log does not say the upload started again:\n%s", log)
	}
	if srv.Calls("videos.insert") != 2 {
		t.Errorf("videos.insert calls: got %d, want 2 (a new session)", srv.Calls("videos.insert"))
	}
}
