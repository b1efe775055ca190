package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/folder"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
)

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
	t.Parallel()
	tr := pipelinetest.NewRun(t, 3)
	tr.Renderer.FFmpeg = true // end to end on real ffmpeg
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultPublished, "03-lesson-3": pipeline.ResultPublished}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("first run results (-want +got):\n%s", diff)
	}
	wantOrder := []string{"bead-jewellery/lesson-1", "bead-jewellery/lesson-2", "bead-jewellery/lesson-3"}
	if diff := cmp.Diff(wantOrder, tr.LessonOrder()); diff != "" {
		t.Fatalf("playlist order (-want +got):\n%s", diff)
	}
	for _, it := range tr.Playlist().Items {
		vdir := filepath.Join(tr.Out, "videos", it.Video)
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
		var meta pipeline.VideoMeta
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
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	dest := rec.Destinations["dir:"+tr.Out]
	if dest == nil || len(dest.Lessons) != 3 {
		t.Fatalf("record = %+v, want 3 lessons for the folder target", rec.Destinations)
	}
	for key, l := range dest.Lessons {
		if l.State != pipeline.StatePublished || l.Video == "" || l.Item == "" || len(l.Captions) != 2 || l.Hashes.Recording == "" {
			t.Errorf("record of %s = %+v, want published with video, item, 2 caption tracks, hashes", key, l)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.State, "renders")); len(entries) != 0 {
		t.Errorf("rendered videos left in the state folder after upload: %d", len(entries))
	}

	// A rerun changes nothing.
	before := modTimes(t, tr.Out)
	renders := tr.Renderer.Count()
	sum, err = tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"01-lesson-1": pipeline.ResultUnchanged, "02-lesson-2": pipeline.ResultUnchanged, "03-lesson-3": pipeline.ResultUnchanged}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("rerun results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, modTimes(t, tr.Out)); diff != "" {
		t.Errorf("rerun changed the published folder (-before +after):\n%s", diff)
	}
	if tr.Renderer.Count() != renders {
		t.Errorf("rerun rendered %d lessons, want none", tr.Renderer.Count()-renders)
	}

	// Editing one caption file updates only that track.
	if err := os.WriteFile(filepath.Join(tr.Course, "02-lesson-2", "lesson.en.srt"), []byte("1\n00:00:00,000 --> 00:00:01,000\nHello again.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before = modTimes(t, tr.Out)
	sum, err = tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"01-lesson-1": pipeline.ResultUnchanged, "02-lesson-2": pipeline.ResultUpdated, "03-lesson-3": pipeline.ResultUnchanged}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("results after a caption edit (-want +got):\n%s", diff)
	}
	after := modTimes(t, tr.Out)
	var changed []string
	for path, mt := range after {
		if !before[path].Equal(mt) {
			rel, _ := filepath.Rel(tr.Out, path)
			changed = append(changed, filepath.ToSlash(rel))
		}
	}
	v2 := tr.Playlist().Items[1].Video
	if diff := cmp.Diff([]string{"videos/" + v2 + "/captions/en.srt"}, changed); diff != "" {
		t.Errorf("files changed by a caption edit (-want +got):\n%s", diff)
	}
	if tr.Renderer.Count() != renders {
		t.Errorf("a caption edit rendered %d lessons, want none", tr.Renderer.Count()-renders)
	}
}

func TestFailedLessonDoesNotStopOthers(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 3)
	tr.Renderer.FFmpeg = true // end to end: real ffmpeg fails on the text file
	// A text file posing as the second lesson's video.
	if err := os.WriteFile(filepath.Join(tr.Course, "02-lesson-2", "lesson.mp4"), []byte("not a video\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A caption error in the third lesson: it ends before it starts.
	if err := os.WriteFile(filepath.Join(tr.Course, "03-lesson-3", "lesson.az.srt"), []byte("1\n00:00:02,000 --> 00:00:01,000\nSalam.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatalf("Publish returned %v; failed lessons belong in the summary", err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultFailed, "03-lesson-3": pipeline.ResultFailed}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("results (-want +got):\n%s", diff)
	}
	if sum.Failed != 2 {
		t.Errorf("summary counts %d failures, want 2", sum.Failed)
	}
	for _, l := range sum.Lessons {
		if l.Lesson == "03-lesson-3" && !strings.Contains(l.Error, "lesson.az.srt:2") {
			t.Errorf("the caption failure should name the file and line, got %q", l.Error)
		}
		if l.Lesson == "02-lesson-2" && !strings.Contains(l.Error, "render") {
			t.Errorf("the bad recording's failure should say it failed to render, got %q", l.Error)
		}
	}
	if diff := cmp.Diff([]string{"bead-jewellery/lesson-1"}, tr.LessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}

	// Fixed, the failed lessons go in at their places.
	clip, _ := os.ReadFile(pipelinetest.Clip(t))
	os.WriteFile(filepath.Join(tr.Course, "02-lesson-2", "lesson.mp4"), clip, 0o644)
	os.WriteFile(filepath.Join(tr.Course, "03-lesson-3", "lesson.az.srt"), []byte(pipelinetest.SRTAZ), 0o644)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"bead-jewellery/lesson-1", "bead-jewellery/lesson-2", "bead-jewellery/lesson-3"}
	if diff := cmp.Diff(wantOrder, tr.LessonOrder()); diff != "" {
		t.Fatalf("playlist order after the fix (-want +got):\n%s", diff)
	}
}

// TestCaptionPastEndBlocksPublishing: publishing runs the same gate as
// `lessonpub captions check`, so a cue ending after the recording (1 s)
// keeps the lesson from being published, naming the file and line.
func TestCaptionPastEndBlocksPublishing(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srt := filepath.Join(tr.Course, "02-lesson-2", "lesson.az.srt")
	if err := os.WriteFile(srt, []byte("1\n00:00:00,000 --> 00:00:00,500\nSalam.\n\n2\n00:00:00,500 --> 00:00:05,000\nSağ olun.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatalf("Publish returned %v; a blocked lesson belongs in the summary", err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultFailed}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("results (-want +got):\n%s", diff)
	}
	for _, l := range sum.Lessons {
		if l.Lesson == "02-lesson-2" && !strings.Contains(l.Error, srt+":6: the cue ends at 00:00:05,000, after the video ends at") {
			t.Errorf("02-lesson-2's error = %q, want it to name %s:6 and the end of the video", l.Error, srt)
		}
	}
	if diff := cmp.Diff([]string{"bead-jewellery/lesson-1"}, tr.LessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	if tr.Renderer.Count() != 1 {
		t.Errorf("%d lessons rendered, want 1: a blocked lesson is not rendered", tr.Renderer.Count())
	}
}

func TestLostRecordMakesNoDuplicate(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	before := tr.Playlist()
	if err := os.Remove(pipeline.RecordPath(tr.Course)); err != nil {
		t.Fatal(err)
	}
	renders := tr.Renderer.Count()
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before.Items, tr.Playlist().Items); diff != "" {
		t.Errorf("playlist after losing the record (-before +after):\n%s", diff)
	}
	if tr.Renderer.Count() != renders {
		t.Errorf("losing the record caused %d renders, want none", tr.Renderer.Count()-renders)
	}
	entries, _ := os.ReadDir(filepath.Join(tr.Out, "videos"))
	if len(entries) != 2 {
		t.Errorf("%d videos in the folder, want 2", len(entries))
	}
}

func TestChangedRecordingReplacesVideo(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	old := tr.Playlist().Items[0].Video
	f, err := os.OpenFile(filepath.Join(tr.Course, "01-lesson-1", "lesson.mp4"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("trailing bytes change the recording's hash"))
	f.Close()
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := pipelinetest.Results(sum)["01-lesson-1"]; got != pipeline.ResultReplaced {
		t.Fatalf("01-lesson-1 = %s, want %s", got, pipeline.ResultReplaced)
	}
	if len(sum.Removed) != 1 || sum.Removed[0].Video != old || sum.Removed[0].Deleted {
		t.Errorf("removed = %+v, want the old video %s taken out, not deleted", sum.Removed, old)
	}
	items := tr.Playlist().Items
	if len(items) != 2 || items[0].Video == old {
		t.Errorf("playlist = %+v, want the new video first", items)
	}
	if _, err := os.Stat(filepath.Join(tr.Out, "videos", old)); err != nil {
		t.Errorf("the old video was deleted without --replace: %v", err)
	}

	// With --replace, a new change deletes the replaced videos, the one
	// kept earlier included.
	second := items[0].Video
	f, _ = os.OpenFile(filepath.Join(tr.Course, "01-lesson-1", "lesson.mp4"), os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte("more"))
	f.Close()
	tr.Replace = true
	sum, err = tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{old, second} {
		if _, err := os.Stat(filepath.Join(tr.Out, "videos", v)); err == nil {
			t.Errorf("replaced video %s still there with --replace", v)
		}
	}
	if len(sum.Removed) != 1 || sum.Removed[0].Video != second || !sum.Removed[0].Deleted {
		t.Errorf("removed = %+v, want %s taken out and deleted", sum.Removed, second)
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.Out, "videos")); len(entries) != 2 {
		t.Errorf("%d videos in the folder, want 2", len(entries))
	}
}

func TestRenamedCourseKeepsItsFolderPlaylist(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	before := tr.Playlist()
	if err := os.WriteFile(filepath.Join(tr.Course, "course.yaml"), []byte("title: Beads for beginners\nlanguage: az\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Publish(); err != nil {
		t.Fatalf("publishing the renamed course into the same folder: %v", err)
	}
	after := tr.Playlist()
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
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	thumb := filepath.Join(tr.Course, "01-lesson-1", "thumbnail.png")
	writePNG(t, thumb, color.RGBA{R: 200, A: 255})
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	sent := filepath.Join(tr.Out, "videos", tr.Playlist().Items[0].Video, "thumbnail.png")
	first, err := os.ReadFile(sent)
	if err != nil {
		t.Fatalf("the thumbnail was not set: %v", err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := pipelinetest.Results(sum)["01-lesson-1"]; got != pipeline.ResultUnchanged {
		t.Errorf("rerun: 01-lesson-1 %s, want unchanged", got)
	}
	writePNG(t, thumb, color.RGBA{B: 200, A: 255})
	sum, err = tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := pipelinetest.Results(sum)["01-lesson-1"]; got != pipeline.ResultUpdated {
		t.Errorf("new thumbnail: 01-lesson-1 %s, want updated", got)
	}
	var steps []string
	for _, e := range tr.Events {
		if e.Type == pipeline.EventStep && e.Lesson == "01-lesson-1" {
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
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(tr.Out); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultPublished}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Errorf("results after the folder was removed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(threeKeys[:2], tr.LessonOrder()); diff != "" {
		t.Errorf("playlist order (-want +got):\n%s", diff)
	}
}

func TestDeletedCaptionFileDeletesItsTrack(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	vdir := filepath.Join(tr.Out, "videos", tr.Playlist().Items[0].Video, "captions")
	azBefore := modTimes(t, filepath.Join(vdir, "az.srt"))
	if err := os.Remove(filepath.Join(tr.Course, "01-lesson-1", "lesson.en.srt")); err != nil {
		t.Fatal(err)
	}

	c, err := lessons.LoadCourse(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	target, _ := folder.New(tr.Out)
	plan, err := pipeline.New(pipeline.Options{Target: target, Renderer: tr.Renderer, Captions: pipeline.CaptionGate{}, StateDir: tr.State}).Plan(context.Background(), c, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if lp := plan.Lessons[0]; lp.Action != pipeline.ActionUpdate || len(lp.Steps) != 1 || !strings.HasPrefix(lp.Steps[0], "delete caption track en") {
		t.Errorf("plan for 01-lesson-1: %s %q, want update with the one step \"delete caption track en ...\"", lp.Action, lp.Steps)
	}

	renders := tr.Renderer.Count()
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultUpdated, "02-lesson-2": pipeline.ResultUnchanged}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("results after deleting a caption file (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(vdir, "en.srt")); err == nil {
		t.Errorf("the en track is still on the target after its file was deleted")
	}
	if diff := cmp.Diff(azBefore, modTimes(t, filepath.Join(vdir, "az.srt"))); diff != "" {
		t.Errorf("the az track was touched (-before +after):\n%s", diff)
	}
	if tr.Renderer.Count() != renders {
		t.Errorf("deleting a caption file rendered %d lessons, want none", tr.Renderer.Count()-renders)
	}
	if entries, _ := os.ReadDir(filepath.Join(tr.Out, "videos")); len(entries) != 2 {
		t.Errorf("%d videos in the folder, want 2 (no upload)", len(entries))
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	l := rec.Destinations["dir:"+tr.Out].Lessons[threeKeys[0]]
	if _, ok := l.Captions["en"]; ok || len(l.Captions) != 1 || l.State != pipeline.StatePublished {
		t.Errorf("record of 01-lesson-1: state %s, captions %v; want published with az only", l.State, l.Captions)
	}

	// The next run has nothing left to do.
	sum, err = tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := pipelinetest.Results(sum)["01-lesson-1"]; got != pipeline.ResultUnchanged {
		t.Errorf("third run: 01-lesson-1 %s, want unchanged", got)
	}
}

var threeKeys = pipelinetest.Keys(3)
