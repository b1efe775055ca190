package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// ffmpegRenderer is a small real renderer for these tests: one ultrafast
// H.264 encode of the recording, written to a temp file and renamed.
type ffmpegRenderer struct {
	mu      sync.Mutex
	renders []string // lesson names, in the order renders finished
}

func (r *ffmpegRenderer) Settings(l *lessons.Lesson) string { return "test-ultrafast" }

func (r *ffmpegRenderer) Describe(ctx context.Context, l *lessons.Lesson) (string, error) {
	return "encode " + filepath.Base(l.Recording), nil
}

func (r *ffmpegRenderer) Render(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) error {
	tmp := out + ".part.mp4"
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-y", "-i", l.Recording,
		"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart", tmp)
	if outp, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("ffmpeg: %v: %s", err, outp)
	}
	progress(time.Second, time.Second)
	r.mu.Lock()
	r.renders = append(r.renders, l.Name)
	r.mu.Unlock()
	return os.Rename(tmp, out)
}

func (r *ffmpegRenderer) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.renders)
}

const srtAZ = "1\n00:00:00,000 --> 00:00:01,000\nSalam, <i>dərs</i> başlayır.\n"
const srtEN = "1\n00:00:00,000 --> 00:00:01,000\nHello, the lesson begins.\n"

var clipOnce sync.Once
var clipPath string
var clipErr error

// testClip makes one tiny lavfi clip per test binary.
func testClip(t *testing.T) string {
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

// makeCourse writes a course of n lessons, each with a recording and az
// and en captions, and returns its folder.
func makeCourse(t *testing.T, n int) string {
	t.Helper()
	clip, err := os.ReadFile(testClip(t))
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
		l := filepath.Join(dir, fmt.Sprintf("%02d-lesson", i))
		write(filepath.Join(l, "lesson.mp4"), clip)
		write(filepath.Join(l, "lesson.az.srt"), []byte(srtAZ))
		write(filepath.Join(l, "lesson.en.srt"), []byte(srtEN))
	}
	return dir
}

type testRun struct {
	t        *testing.T
	ctx      context.Context
	target   func() Target // a fresh target per run, as a new process would make; the folder target when nil
	course   string
	out      string
	state    string
	renderer *ffmpegRenderer
	events   []Event
	onEvent  func(Event) // called with each event, when set
	replace  bool
}

func newTestRun(t *testing.T, n int) *testRun {
	return &testRun{t: t, course: makeCourse(t, n), out: filepath.Join(t.TempDir(), "published"),
		state: t.TempDir(), renderer: &ffmpegRenderer{}}
}

func (tr *testRun) publish() (*Summary, error) {
	tr.t.Helper()
	c, err := lessons.LoadCourse(tr.course)
	if err != nil {
		tr.t.Fatal(err)
	}
	var target Target
	if tr.target != nil {
		target = tr.target()
	} else {
		dt, err := NewDirTarget(tr.out)
		if err != nil {
			tr.t.Fatal(err)
		}
		target = dt
	}
	ctx := tr.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var mu sync.Mutex
	tr.events = nil
	p := New(Options{Target: target, Renderer: tr.renderer, Captions: CaptionGate{}, StateDir: tr.state, Jobs: 2, Replace: tr.replace,
		Events: func(e Event) {
			mu.Lock()
			tr.events = append(tr.events, e)
			mu.Unlock()
			if tr.onEvent != nil {
				tr.onEvent(e)
			}
		}})
	return p.Publish(ctx, c, nil)
}

func (tr *testRun) playlist() dirPlaylist {
	tr.t.Helper()
	var p dirPlaylist
	data, err := os.ReadFile(filepath.Join(tr.out, "playlist.json"))
	if err != nil {
		tr.t.Fatal(err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		tr.t.Fatal(err)
	}
	return p
}

// lessonOrder returns the lesson keys of the playlist, read from each
// video's metadata as a later run would.
func (tr *testRun) lessonOrder() []string {
	tr.t.Helper()
	target, _ := NewDirTarget(tr.out)
	items, err := target.Items(context.Background(), tr.playlist().ID)
	if err != nil {
		tr.t.Fatal(err)
	}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	return keys
}

func results(s *Summary) map[string]string {
	m := map[string]string{}
	for _, l := range s.Lessons {
		m[l.Lesson] = l.Result
	}
	return m
}

func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			m[path] = fi.ModTime()
		}
		return nil
	})
	return m
}

func TestPublishCourseToDir(t *testing.T) {
	tr := newTestRun(t, 3)
	sum, err := tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson": ResultPublished, "02-lesson": ResultPublished, "03-lesson": ResultPublished}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Fatalf("first run results (-want +got):\n%s", diff)
	}
	wantOrder := []string{"bead-jewellery/01-lesson", "bead-jewellery/02-lesson", "bead-jewellery/03-lesson"}
	if diff := cmp.Diff(wantOrder, tr.lessonOrder()); diff != "" {
		t.Fatalf("playlist order (-want +got):\n%s", diff)
	}
	for _, it := range tr.playlist().Items {
		vdir := filepath.Join(tr.out, "videos", it.Video)
		az, err := os.ReadFile(filepath.Join(vdir, "captions", "az.srt"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(az), "<i>") || !strings.Contains(string(az), "Salam, dərs başlayır.") {
			t.Errorf("az captions as uploaded should be plain SRT, got:\n%s", az)
		}
		if _, err := os.Stat(filepath.Join(vdir, "captions", "en.srt")); err != nil {
			t.Error(err)
		}
		var meta VideoMeta
		data, _ := os.ReadFile(filepath.Join(vdir, "metadata.json"))
		if err := json.Unmarshal(data, &meta); err != nil {
			t.Fatal(err)
		}
		if meta.Category != "27" || meta.Privacy != "private" || meta.DefaultLanguage != "az" {
			t.Errorf("metadata = %+v, want category 27, private, az", meta)
		}
		if out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", filepath.Join(vdir, "video.mp4")).Output(); err != nil || !strings.Contains(string(out), "h264") {
			t.Errorf("uploaded video is not a playable H.264 file: %v %s", err, out)
		}
	}
	rec, err := LoadRecord(tr.course)
	if err != nil {
		t.Fatal(err)
	}
	dest := rec.Destinations["dir:"+tr.out]
	if dest == nil || len(dest.Lessons) != 3 {
		t.Fatalf("record = %+v, want 3 lessons for the folder target", rec.Destinations)
	}
	for key, l := range dest.Lessons {
		if l.State != StatePublished || l.Video == "" || l.Item == "" || len(l.Captions) != 2 || l.Hashes.Recording == "" {
			t.Errorf("record of %s = %+v, want published with video, item, 2 caption tracks, hashes", key, l)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.state, "renders")); len(entries) != 0 {
		t.Errorf("rendered videos left in the state folder after upload: %d", len(entries))
	}

	// A rerun changes nothing.
	before := modTimes(t, tr.out)
	renders := tr.renderer.count()
	sum, err = tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"01-lesson": ResultUnchanged, "02-lesson": ResultUnchanged, "03-lesson": ResultUnchanged}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Fatalf("rerun results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, modTimes(t, tr.out)); diff != "" {
		t.Errorf("rerun changed the published folder (-before +after):\n%s", diff)
	}
	if tr.renderer.count() != renders {
		t.Errorf("rerun rendered %d lessons, want none", tr.renderer.count()-renders)
	}

	// Editing one caption file updates only that track.
	if err := os.WriteFile(filepath.Join(tr.course, "02-lesson", "lesson.en.srt"), []byte("1\n00:00:00,000 --> 00:00:01,000\nHello again.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before = modTimes(t, tr.out)
	sum, err = tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"01-lesson": ResultUnchanged, "02-lesson": ResultUpdated, "03-lesson": ResultUnchanged}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Fatalf("results after a caption edit (-want +got):\n%s", diff)
	}
	after := modTimes(t, tr.out)
	var changed []string
	for path, mt := range after {
		if !before[path].Equal(mt) {
			rel, _ := filepath.Rel(tr.out, path)
			changed = append(changed, filepath.ToSlash(rel))
		}
	}
	v2 := tr.playlist().Items[1].Video
	if diff := cmp.Diff([]string{"videos/" + v2 + "/captions/en.srt"}, changed); diff != "" {
		t.Errorf("files changed by a caption edit (-want +got):\n%s", diff)
	}
	if tr.renderer.count() != renders {
		t.Errorf("a caption edit rendered %d lessons, want none", tr.renderer.count()-renders)
	}
}

func TestFailedLessonDoesNotStopOthers(t *testing.T) {
	tr := newTestRun(t, 3)
	// A text file posing as the second lesson's video.
	if err := os.WriteFile(filepath.Join(tr.course, "02-lesson", "lesson.mp4"), []byte("not a video\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A caption error in the third lesson: it ends before it starts.
	if err := os.WriteFile(filepath.Join(tr.course, "03-lesson", "lesson.az.srt"), []byte("1\n00:00:02,000 --> 00:00:01,000\nSalam.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.publish()
	if err != nil {
		t.Fatalf("Publish returned %v; failed lessons belong in the summary", err)
	}
	want := map[string]string{"01-lesson": ResultPublished, "02-lesson": ResultFailed, "03-lesson": ResultFailed}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Fatalf("results (-want +got):\n%s", diff)
	}
	if sum.Failed != 2 {
		t.Errorf("summary counts %d failures, want 2", sum.Failed)
	}
	for _, l := range sum.Lessons {
		if l.Lesson == "03-lesson" && !strings.Contains(l.Error, "lesson.az.srt:2") {
			t.Errorf("the caption failure should name the file and line, got %q", l.Error)
		}
		if l.Lesson == "02-lesson" && !strings.Contains(l.Error, "render") {
			t.Errorf("the bad recording's failure should say it failed to render, got %q", l.Error)
		}
	}
	if diff := cmp.Diff([]string{"bead-jewellery/01-lesson"}, tr.lessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}

	// Fixed, the failed lessons go in at their places.
	clip, _ := os.ReadFile(testClip(t))
	os.WriteFile(filepath.Join(tr.course, "02-lesson", "lesson.mp4"), clip, 0o644)
	os.WriteFile(filepath.Join(tr.course, "03-lesson", "lesson.az.srt"), []byte(srtAZ), 0o644)
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"bead-jewellery/01-lesson", "bead-jewellery/02-lesson", "bead-jewellery/03-lesson"}
	if diff := cmp.Diff(wantOrder, tr.lessonOrder()); diff != "" {
		t.Fatalf("playlist order after the fix (-want +got):\n%s", diff)
	}
}

// TestCaptionPastEndBlocksPublishing: publishing runs the same gate as
// `lessonpub captions check`, so a cue ending after the recording (1 s)
// keeps the lesson from being published, naming the file and line.
func TestCaptionPastEndBlocksPublishing(t *testing.T) {
	tr := newTestRun(t, 2)
	srt := filepath.Join(tr.course, "02-lesson", "lesson.az.srt")
	if err := os.WriteFile(srt, []byte("1\n00:00:00,000 --> 00:00:00,500\nSalam.\n\n2\n00:00:00,500 --> 00:00:05,000\nSağ olun.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.publish()
	if err != nil {
		t.Fatalf("Publish returned %v; a blocked lesson belongs in the summary", err)
	}
	want := map[string]string{"01-lesson": ResultPublished, "02-lesson": ResultFailed}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Fatalf("results (-want +got):\n%s", diff)
	}
	for _, l := range sum.Lessons {
		if l.Lesson == "02-lesson" && !strings.Contains(l.Error, srt+":6: the cue ends at 00:00:05,000, after the video ends at") {
			t.Errorf("02-lesson's error = %q, want it to name %s:6 and the end of the video", l.Error, srt)
		}
	}
	if diff := cmp.Diff([]string{"bead-jewellery/01-lesson"}, tr.lessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	if tr.renderer.count() != 1 {
		t.Errorf("%d lessons rendered, want 1: a blocked lesson is not rendered", tr.renderer.count())
	}
}

func TestLostRecordMakesNoDuplicate(t *testing.T) {
	tr := newTestRun(t, 2)
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	before := tr.playlist()
	if err := os.Remove(RecordPath(tr.course)); err != nil {
		t.Fatal(err)
	}
	renders := tr.renderer.count()
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before.Items, tr.playlist().Items); diff != "" {
		t.Errorf("playlist after losing the record (-before +after):\n%s", diff)
	}
	if tr.renderer.count() != renders {
		t.Errorf("losing the record caused %d renders, want none", tr.renderer.count()-renders)
	}
	entries, _ := os.ReadDir(filepath.Join(tr.out, "videos"))
	if len(entries) != 2 {
		t.Errorf("%d videos in the folder, want 2", len(entries))
	}
}

func TestChangedRecordingReplacesVideo(t *testing.T) {
	tr := newTestRun(t, 2)
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	old := tr.playlist().Items[0].Video
	f, err := os.OpenFile(filepath.Join(tr.course, "01-lesson", "lesson.mp4"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("trailing bytes change the recording's hash"))
	f.Close()
	sum, err := tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := results(sum)["01-lesson"]; got != ResultReplaced {
		t.Fatalf("01-lesson = %s, want %s", got, ResultReplaced)
	}
	if len(sum.Removed) != 1 || sum.Removed[0].Video != old || sum.Removed[0].Deleted {
		t.Errorf("removed = %+v, want the old video %s taken out, not deleted", sum.Removed, old)
	}
	items := tr.playlist().Items
	if len(items) != 2 || items[0].Video == old {
		t.Errorf("playlist = %+v, want the new video first", items)
	}
	if _, err := os.Stat(filepath.Join(tr.out, "videos", old)); err != nil {
		t.Errorf("the old video was deleted without --replace: %v", err)
	}

	// With --replace, a new change deletes the replaced videos, the one
	// kept earlier included.
	second := items[0].Video
	f, _ = os.OpenFile(filepath.Join(tr.course, "01-lesson", "lesson.mp4"), os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte("more"))
	f.Close()
	tr.replace = true
	sum, err = tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{old, second} {
		if _, err := os.Stat(filepath.Join(tr.out, "videos", v)); err == nil {
			t.Errorf("replaced video %s still there with --replace", v)
		}
	}
	if len(sum.Removed) != 1 || sum.Removed[0].Video != second || !sum.Removed[0].Deleted {
		t.Errorf("removed = %+v, want %s taken out and deleted", sum.Removed, second)
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.out, "videos")); len(entries) != 2 {
		t.Errorf("%d videos in the folder, want 2", len(entries))
	}
}

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

func TestRenamedCourseKeepsItsFolderPlaylist(t *testing.T) {
	tr := newTestRun(t, 1)
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	before := tr.playlist()
	if err := os.WriteFile(filepath.Join(tr.course, "course.yaml"), []byte("title: Beads for beginners\nlanguage: az\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.publish(); err != nil {
		t.Fatalf("publishing the renamed course into the same folder: %v", err)
	}
	after := tr.playlist()
	if after.ID != before.ID || after.Title != "Beads for beginners" || len(after.Items) != 1 {
		t.Errorf("playlist = %+v, want %s with the new title and its one item", after, before.ID)
	}
}

// writePNG writes a small one-colour PNG.
func writePNG(t *testing.T, path string, c color.Color) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 9))
	draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestThumbnailSentOnceAndWhenChanged(t *testing.T) {
	tr := newTestRun(t, 1)
	thumb := filepath.Join(tr.course, "01-lesson", "thumbnail.png")
	writePNG(t, thumb, color.RGBA{R: 200, A: 255})
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	sent := filepath.Join(tr.out, "videos", tr.playlist().Items[0].Video, "thumbnail.png")
	first, err := os.ReadFile(sent)
	if err != nil {
		t.Fatalf("the thumbnail was not set: %v", err)
	}
	sum, err := tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := results(sum)["01-lesson"]; got != ResultUnchanged {
		t.Errorf("rerun: 01-lesson %s, want unchanged", got)
	}
	writePNG(t, thumb, color.RGBA{B: 200, A: 255})
	sum, err = tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range tr.events {
		if e.Type == EventStep && e.Lesson == "01-lesson" {
			steps = append(steps, e.Step)
		}
	}
	if diff := cmp.Diff([]string{"thumbnail set"}, steps); diff != "" {
		t.Errorf("steps after a new thumbnail (-want +got):\n%s", diff)
	}
	if second, _ := os.ReadFile(sent); bytes.Equal(first, second) {
		t.Errorf("the new thumbnail did not reach the target")
	}
}

func TestRemovedOutputFolderIsPublishedAgain(t *testing.T) {
	tr := newTestRun(t, 2)
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(tr.out); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson": ResultPublished, "02-lesson": ResultPublished}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Errorf("results after the folder was removed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(threeKeys[:2], tr.lessonOrder()); diff != "" {
		t.Errorf("playlist order (-want +got):\n%s", diff)
	}
}

func TestDeletedCaptionFileDeletesItsTrack(t *testing.T) {
	tr := newTestRun(t, 2)
	if _, err := tr.publish(); err != nil {
		t.Fatal(err)
	}
	vdir := filepath.Join(tr.out, "videos", tr.playlist().Items[0].Video, "captions")
	azBefore := modTimes(t, filepath.Join(vdir, "az.srt"))
	if err := os.Remove(filepath.Join(tr.course, "01-lesson", "lesson.en.srt")); err != nil {
		t.Fatal(err)
	}

	c, err := lessons.LoadCourse(tr.course)
	if err != nil {
		t.Fatal(err)
	}
	target, _ := NewDirTarget(tr.out)
	plan, err := New(Options{Target: target, Renderer: tr.renderer, Captions: CaptionGate{}, StateDir: tr.state}).Plan(context.Background(), c, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if lp := plan.Lessons[0]; lp.Action != ActionUpdate || len(lp.Steps) != 1 || !strings.HasPrefix(lp.Steps[0], "delete caption track en") {
		t.Errorf("plan for 01-lesson: %s %q, want update with the one step \"delete caption track en ...\"", lp.Action, lp.Steps)
	}

	renders := tr.renderer.count()
	sum, err := tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson": ResultUpdated, "02-lesson": ResultUnchanged}
	if diff := cmp.Diff(want, results(sum)); diff != "" {
		t.Fatalf("results after deleting a caption file (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(vdir, "en.srt")); err == nil {
		t.Errorf("the en track is still on the target after its file was deleted")
	}
	if diff := cmp.Diff(azBefore, modTimes(t, filepath.Join(vdir, "az.srt"))); diff != "" {
		t.Errorf("the az track was touched (-before +after):\n%s", diff)
	}
	if tr.renderer.count() != renders {
		t.Errorf("deleting a caption file rendered %d lessons, want none", tr.renderer.count()-renders)
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.out, "videos")); len(entries) != 2 {
		t.Errorf("%d videos in the folder, want 2 (no upload)", len(entries))
	}
	rec, err := LoadRecord(tr.course)
	if err != nil {
		t.Fatal(err)
	}
	l := rec.Destinations["dir:"+tr.out].Lessons[threeKeys[0]]
	if _, ok := l.Captions["en"]; ok || len(l.Captions) != 1 || l.State != StatePublished {
		t.Errorf("record of 01-lesson: state %s, captions %v; want published with az only", l.State, l.Captions)
	}

	// The next run has nothing left to do.
	sum, err = tr.publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := results(sum)["01-lesson"]; got != ResultUnchanged {
		t.Errorf("third run: 01-lesson %s, want unchanged", got)
	}
}

func TestSweepRendersRemovesOnlyStaleFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	files := map[string]time.Duration{ // name -> age
		".a.partial-1.mp4": 2 * time.Hour,  // a killed run's: swept
		".b.partial-2.mp4": time.Minute,    // being written now: kept
		"c.mp4":            24 * time.Hour, // waiting for its upload: kept
		"d.mp4":            9 * 24 * time.Hour,
	}
	for name, age := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	sweepRenders(dir, now)
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if diff := cmp.Diff([]string{".b.partial-2.mp4", "c.mp4"}, left); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
}
