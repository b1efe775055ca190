// Package pipelinetest gives the tests of package pipeline and of each
// destination package a course to publish and a publishing run to drive:
// a course of lessons made from one tiny lavfi clip, a renderer that copies
// the recording instantly (or encodes it with real ffmpeg, for the few
// end-to-end tests), and a Run that publishes the course as a new process
// would, into a folder target unless told otherwise.
package pipelinetest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
	"github.com/lessonpub/lessonpub/pipeline/folder"
)

// Caption files every lesson of MakeCourse has.
const (
	SRTAZ = "1\n00:00:00,000 --> 00:00:01,000\nSalam, <i>dərs</i> başlayır.\n"
	SRTEN = "1\n00:00:00,000 --> 00:00:01,000\nHello, the lesson begins.\n"
)

// Renderer renders lessons for tests. By default it copies the recording
// to the output in an instant; with FFmpeg it makes one ultrafast H.264
// encode of it. Either way the output is written to a temp file and renamed.
type Renderer struct {
	FFmpeg bool

	mu      sync.Mutex
	renders []string // lesson names, in the order renders finished
}

// Settings implements pipeline.Renderer.
func (r *Renderer) Settings(l *lessons.Lesson) string { return "test-ultrafast" }

// Describe implements pipeline.Renderer.
func (r *Renderer) Describe(ctx context.Context, l *lessons.Lesson) (pipeline.Description, error) {
	return description(l.Name), nil
}

// description is the test render's: one line.
type description string

func (d description) Format(tr func(format string, args ...any) string) string {
	return tr("test render of %s", string(d)) // untranslated: tests only
}

// Render implements pipeline.Renderer.
func (r *Renderer) Render(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) error {
	tmp := out + ".part.mp4"
	if r.FFmpeg {
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-y", "-i", l.Recording,
			"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart", tmp)
		if outp, err := cmd.CombinedOutput(); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("ffmpeg: %v: %s", err, outp)
		}
	} else if err := atomicfile.Copy(ctx, l.Recording, tmp, 0o644, nil); err != nil {
		os.Remove(tmp)
		return err
	}
	progress(time.Second, time.Second)
	r.mu.Lock()
	r.renders = append(r.renders, l.Name)
	r.mu.Unlock()
	return os.Rename(tmp, out)
}

// Start implements pipeline.Renderer: Render in the background into a
// file beside out, moved to out by Finish.
func (r *Renderer) Start(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) (pipeline.Rendering, error) {
	ctx, cancel := context.WithCancel(ctx)
	g := &rendering{tmp: out + ".growing.mp4", out: out, done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(g.done)
		g.err = r.Render(ctx, l, g.tmp, progress)
	}()
	return g, nil
}

// rendering is a test render running in the background.
type rendering struct {
	tmp, out string
	done     chan struct{}
	err      error
	cancel   context.CancelFunc
	once     sync.Once
	ferr     error
}

func (g *rendering) Name() string { return g.tmp }

func (g *rendering) Size() (int64, error) {
	fi, err := os.Stat(g.tmp)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (g *rendering) Done() <-chan struct{} { return g.done }

func (g *rendering) Err() error {
	select {
	case <-g.done:
		return g.err
	default:
		return nil
	}
}

func (g *rendering) Finish() error {
	g.once.Do(func() {
		<-g.done
		if g.ferr = g.err; g.ferr == nil {
			g.ferr = os.Rename(g.tmp, g.out)
		}
		os.Remove(g.tmp)
	})
	return g.ferr
}

func (g *rendering) Close() {
	g.cancel()
	<-g.done
	g.once.Do(func() {
		os.Remove(g.tmp)
		g.ferr = fmt.Errorf("render stopped")
	})
}

// Count is how many renders finished.
func (r *Renderer) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.renders)
}

var (
	clipOnce sync.Once
	clipPath string
	clipErr  error
)

// Clip makes one tiny lavfi clip per test binary (1 s, 160x90, with sound)
// and returns its path. It skips the test without ffmpeg, as ffmpegtest.Require.
func Clip(t testing.TB) string {
	t.Helper()
	ffmpegtest.Require(t)
	clipOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lessonpub-clip")
		if err != nil {
			clipErr = err
			return
		}
		clipPath = filepath.Join(dir, "clip.mp4")
		out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y",
			"-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=1",
			"-f", "lavfi", "-i", "sine=frequency=440:duration=1",
			"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clipPath).CombinedOutput()
		if err != nil {
			clipErr = fmt.Errorf("making the test clip: %v: %s", err, out)
		}
	})
	if clipErr != nil {
		t.Fatal(clipErr)
	}
	return clipPath
}

// MakeCourse writes a course "bead-jewellery" of n lessons (01-lesson-1,
// 02-lesson-2...), each with the Clip as recording and az and en captions,
// and returns its folder.
func MakeCourse(t testing.TB, n int) string {
	t.Helper()
	clip, err := os.ReadFile(Clip(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "bead-jewellery")
	write := func(path string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "course.yaml"), []byte("title: Bead jewellery\nlanguage: az\ncaptions:\n  required: [az]\n"))
	for i := 1; i <= n; i++ {
		l := filepath.Join(dir, fmt.Sprintf("%02d-lesson-%d", i, i))
		write(filepath.Join(l, "lesson.mp4"), clip)
		write(filepath.Join(l, "lesson.az.srt"), []byte(SRTAZ))
		write(filepath.Join(l, "lesson.en.srt"), []byte(SRTEN))
	}
	return dir
}

// Run publishes a course as successive processes would.
type Run struct {
	T   testing.TB
	Ctx context.Context // context.Background() when nil
	// Target makes a fresh target per run, as a new process would; the
	// folder target over Out when nil.
	Target   func() pipeline.Target
	Course   string // the course folder
	Out      string // the folder target's folder
	State    string // the state folder (renders)
	Renderer *Renderer
	Events   []pipeline.Event // the last run's events
	OnEvent  func(pipeline.Event)
	Replace  bool
	Stream   bool // pipeline.Options.Stream
}

// NewRun makes a course of n lessons and a Run over it with the instant
// renderer.
func NewRun(t testing.TB, n int) *Run {
	return &Run{T: t, Course: MakeCourse(t, n), Out: filepath.Join(t.TempDir(), "published"),
		State: t.TempDir(), Renderer: &Renderer{}}
}

// FolderTarget returns a folder target over Out.
func (tr *Run) FolderTarget() *folder.Target {
	tr.T.Helper()
	t, err := folder.New(tr.Out)
	if err != nil {
		tr.T.Fatal(err)
	}
	return t
}

// Publish loads the course and publishes it with two render jobs.
func (tr *Run) Publish() (*pipeline.Summary, error) {
	tr.T.Helper()
	c, err := lessons.LoadCourse(tr.Course)
	if err != nil {
		tr.T.Fatal(err)
	}
	var target pipeline.Target
	if tr.Target != nil {
		target = tr.Target()
	} else {
		target = tr.FolderTarget()
	}
	ctx := tr.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var mu sync.Mutex
	tr.Events = nil
	p := pipeline.New(pipeline.Options{Target: target, Renderer: tr.Renderer, Captions: pipeline.CaptionGate{}, StateDir: tr.State, Jobs: 2, Replace: tr.Replace, Stream: tr.Stream,
		Events: func(e pipeline.Event) {
			mu.Lock()
			tr.Events = append(tr.Events, e)
			mu.Unlock()
			if tr.OnEvent != nil {
				tr.OnEvent(e)
			}
		}})
	return p.Publish(ctx, c, nil)
}

// FolderPlaylist is the folder target's playlist.json.
type FolderPlaylist struct {
	pipeline.Playlist
	Items []pipeline.Item `json:"items"`
}

// Playlist reads the folder target's playlist.
func (tr *Run) Playlist() FolderPlaylist {
	tr.T.Helper()
	var p FolderPlaylist
	data, err := os.ReadFile(filepath.Join(tr.Out, "playlist.json"))
	if err != nil {
		tr.T.Fatal(err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		tr.T.Fatal(err)
	}
	return p
}

// LessonOrder returns the lesson keys of the folder target's playlist, read
// from each video's metadata as a later run would.
func (tr *Run) LessonOrder() []string {
	tr.T.Helper()
	items, err := tr.FolderTarget().Items(context.Background(), tr.Playlist().ID)
	if err != nil {
		tr.T.Fatal(err)
	}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	return keys
}

// Keys returns the lesson keys of a MakeCourse course of n lessons, in order.
func Keys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("bead-jewellery/lesson-%d", i+1)
	}
	return keys
}

// Results maps each lesson of a summary to its result.
func Results(s *pipeline.Summary) map[string]string {
	m := map[string]string{}
	for _, l := range s.Lessons {
		m[l.Lesson] = l.Result
	}
	return m
}
