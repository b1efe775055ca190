package pipeline_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
)

// videoFolders lists the folder target's video folders, temporary ones
// included.
func videoFolders(t *testing.T, tr *pipelinetest.Run) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(tr.Out, "videos"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func editRecord(t *testing.T, course string, change func(d *pipeline.Destination)) {
	t.Helper()
	rec, err := pipeline.LoadRecord(course)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rec.Destinations {
		if err := rec.Update(func() { change(d) }); err != nil {
			t.Fatal(err)
		}
	}
}

// A video id in the record is never used as a path outside the target,
// not even by --replace.
func TestFolderRecordIDOutsideTargetIsNeverDeleted(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(filepath.Dir(tr.Out), "x")
	if err := os.MkdirAll(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	editRecord(t, tr.Course, func(d *pipeline.Destination) {
		for _, l := range d.Lessons {
			l.Video = "../../x"
			l.Hashes.Video = "changed" // a new upload, which deletes the old with --replace
			l.Replaced = append(l.Replaced, pipeline.ReplacedVideo{Video: "../../x"})
		}
	})
	tr.Replace = true
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(victim); err != nil {
		t.Fatalf("a folder outside the target is gone: %v", err)
	}
	if n := len(tr.Playlist().Items); n != 1 {
		t.Errorf("%d playlist items, want 1", n)
	}
}

// A complete video not in the playlist and not recorded (a run killed
// after writing it) is adopted, not written again; a half-written one is
// swept.
func TestFolderUnplacedVideoIsAdoptedAndLeftoversSwept(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	before := videoFolders(t, tr)
	p := tr.Playlist()
	p.Items = p.Items[:1]
	data, _ := json.Marshal(p)
	if err := os.WriteFile(filepath.Join(tr.Out, "playlist.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(tr.Course, pipeline.RecordDir)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(tr.Out, "videos", ".tmp-lesson-2-abcdef"), 0o755); err != nil {
		t.Fatal(err)
	}
	renders := tr.Renderer.Count()
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := tr.Renderer.Count() - renders; got != 0 {
		t.Errorf("%d renders, want none", got)
	}
	if diff := cmp.Diff(before, videoFolders(t, tr)); diff != "" {
		t.Errorf("video folders (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pipelinetest.Keys(2), tr.LessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
}

// Renumbered lessons without a record are the same lessons; the playlist
// takes the new order.
func TestFolderRenumberedWithoutRecord(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 3)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(tr.Course, pipeline.RecordDir)); err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{"01-lesson-1": "04-lesson-1", "03-lesson-3": "01-lesson-3"} {
		if err := os.Rename(filepath.Join(tr.Course, from), filepath.Join(tr.Course, to)); err != nil {
			t.Fatal(err)
		}
	}
	before, renders := videoFolders(t, tr), tr.Renderer.Count()
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := tr.Renderer.Count() - renders; got != 0 {
		t.Errorf("%d renders, want none", got)
	}
	if diff := cmp.Diff(before, videoFolders(t, tr)); diff != "" {
		t.Errorf("video folders (-want +got):\n%s", diff)
	}
	k := pipelinetest.Keys(3)
	if diff := cmp.Diff([]string{k[2], k[1], k[0]}, tr.LessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
}

// With the record, a renamed lesson folder (found by its recording) and
// keys of an earlier lessonpub (with order numbers) are the same lessons.
func TestFolderRenamedLessonAndLegacyKeysWithRecord(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	editRecord(t, tr.Course, func(d *pipeline.Destination) {
		d.Lessons["bead-jewellery/01-lesson-1"] = d.Lessons["bead-jewellery/lesson-1"]
		delete(d.Lessons, "bead-jewellery/lesson-1")
	})
	if err := os.Rename(filepath.Join(tr.Course, "02-lesson-2"), filepath.Join(tr.Course, "02-knots")); err != nil {
		t.Fatal(err)
	}
	renders := tr.Renderer.Count()
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Renderer.Count() - renders; got != 0 {
		t.Errorf("%d renders, want none", got)
	}
	if n := len(videoFolders(t, tr)); n != 2 {
		t.Errorf("%d video folders, want 2", n)
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range rec.Destinations {
		for k := range d.Lessons {
			keys = append(keys, k)
		}
	}
	if diff := cmp.Diff([]string{"bead-jewellery/knots", "bead-jewellery/lesson-1"}, slices.Sorted(slices.Values(keys))); diff != "" {
		t.Errorf("record keys (-want +got):\n%s\nresults %v", diff, pipelinetest.Results(sum))
	}
}

// Folder names that differ only by a trailing space are two lessons with
// two videos, and a teacher's description holding another lesson's key
// line (indented, or not the last line) never takes that lesson's video,
// even when the record is lost.
func TestFolderKeysThatLookAlike(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	if err := os.Rename(filepath.Join(tr.Course, "02-lesson-2"), filepath.Join(tr.Course, "02-lesson-1 ")); err != nil {
		t.Fatal(err)
	}
	yaml := "description: |\n  See also:\n    lessonpub-key: bead-jewellery/lesson-1%20\n  lessonpub-key: bead-jewellery/lesson-1%20\n  Thanks.\n"
	if err := os.WriteFile(filepath.Join(tr.Course, "01-lesson-1", "lesson.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []string{"bead-jewellery/lesson-1", "bead-jewellery/lesson-1%20"}
	for run := range 2 {
		if _, err := tr.Publish(); err != nil {
			t.Fatal(err)
		}
		if n := len(videoFolders(t, tr)); n != 2 {
			t.Errorf("run %d: %d video folders, want 2", run+1, n)
		}
		if diff := cmp.Diff(want, tr.LessonOrder()); diff != "" {
			t.Errorf("run %d: playlist (-want +got):\n%s", run+1, diff)
		}
		if err := os.RemoveAll(filepath.Join(tr.Course, pipeline.RecordDir)); err != nil {
			t.Fatal(err)
		}
	}
}

// A video whose key an earlier lessonpub wrote (with the order number) is
// found among the target's videos when neither the record nor the
// playlist has it.
func TestFolderLegacyKeyFoundAmongUploads(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	folders := videoFolders(t, tr)
	meta := filepath.Join(tr.Out, "videos", folders[0], "metadata.json")
	var m pipeline.VideoMeta
	data, err := os.ReadFile(meta)
	if err != nil || json.Unmarshal(data, &m) != nil {
		t.Fatal(err)
	}
	m.Description = pipeline.WithKey("Lesson one.", "bead-jewellery/01-lesson-1")
	data, _ = json.Marshal(m)
	if err := os.WriteFile(meta, data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := tr.Playlist()
	p.Items = nil
	data, _ = json.Marshal(p)
	if err := os.WriteFile(filepath.Join(tr.Out, "playlist.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(tr.Course, pipeline.RecordDir)); err != nil {
		t.Fatal(err)
	}
	renders := tr.Renderer.Count()
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := tr.Renderer.Count() - renders; got != 0 {
		t.Errorf("%d renders, want none", got)
	}
	if diff := cmp.Diff(folders, videoFolders(t, tr)); diff != "" {
		t.Errorf("video folders (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pipelinetest.Keys(1), tr.LessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
}

// Renumbered lessons with the record: the plan made from the record alone
// prices the moves, and publishing uploads nothing and moves the items.
func TestFolderRenumberedWithRecordPlansMoves(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 3)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{"01-lesson-1": "04-lesson-1", "03-lesson-3": "01-lesson-3"} {
		if err := os.Rename(filepath.Join(tr.Course, from), filepath.Join(tr.Course, to)); err != nil {
			t.Fatal(err)
		}
	}
	c, err := lessons.LoadCourse(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.New(pipeline.Options{Target: tr.FolderTarget(), Renderer: tr.Renderer, Captions: pipeline.CaptionGate{}, StateDir: tr.State})
	plan, err := p.Plan(context.Background(), c, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Work != 0 || plan.Moves < 1 || plan.Moves > 2 || plan.UploadsLookup != nil {
		t.Errorf("plan: %d lessons to publish, %d moves, lookup %+v; want none, 1 or 2 moves, no lookup\n%s", plan.Work, plan.Moves, plan.UploadsLookup, plan)
	}
	before, renders := videoFolders(t, tr), tr.Renderer.Count()
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := tr.Renderer.Count() - renders; got != 0 {
		t.Errorf("%d renders, want none", got)
	}
	if diff := cmp.Diff(before, videoFolders(t, tr)); diff != "" {
		t.Errorf("video folders (-want +got):\n%s", diff)
	}
	k := pipelinetest.Keys(3)
	if diff := cmp.Diff([]string{k[2], k[1], k[0]}, tr.LessonOrder()); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	if plan, err = p.Plan(context.Background(), c, nil, false); err != nil || plan.Moves != 0 {
		t.Errorf("plan after the moves: %d moves (%v), want none", plan.Moves, err)
	}
}
