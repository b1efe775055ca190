package youtube_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/option"
	ytapi "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// oneEach fails unless every lesson of keys has exactly one video on the
// channel, one playlist item and one track per language.
func oneEach(t *testing.T, srv *youtubetest.Server, keys []string) {
	t.Helper()
	if n := len(srv.Videos()); n != len(keys) {
		t.Errorf("%d videos on the channel, want %d", n, len(keys))
	}
	if diff := cmp.Diff(keys, playlistKeys(t, srv)); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	want := map[string][]string{}
	for _, k := range keys {
		want[k] = []string{"az", "en"}
	}
	if diff := cmp.Diff(want, captionLangs(srv)); diff != "" {
		t.Errorf("caption tracks (-want +got):\n%s", diff)
	}
}

// The server finishes the upload but its answer never comes: the run is
// stopped there; the next one recovers the video from the kept session
// and uploads nothing again.
func TestYouTubeHeldAnswerAfterUploadMakesNoDuplicate(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	size, err := os.Stat(pipelinetest.Clip(t))
	if err != nil {
		t.Fatal(err)
	}
	// The chunk carrying the last byte of the first upload.
	srv.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.Hold, Offset: size.Size() - 1})
	ctx, cancel := context.WithCancel(context.Background())
	tr.Ctx = ctx
	tr.OnEvent = func(e pipeline.Event) {
		if e.Type == pipeline.EventUpload && e.Bytes == e.Total && e.Total > 0 {
			go func() { time.Sleep(300 * time.Millisecond); cancel() }()
		}
	}
	if _, err := tr.Publish(); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v, want it interrupted", err)
	}
	if n := len(srv.Videos()); n != 1 {
		t.Fatalf("%d videos after the held answer, want 1 (made by the server)", n)
	}
	tr.Ctx, tr.OnEvent = nil, nil
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	oneEach(t, srv, threeKeys[:2])
	if got := srv.Calls("videos.insert"); got != 2 {
		t.Errorf("videos.insert called %d times, want 2", got)
	}
	found := false
	for _, e := range tr.Events {
		if e.Lesson == "01-lesson-1" && (e.Type == pipeline.EventUpload || e.Type == pipeline.EventRender) {
			t.Errorf("the rerun rendered or uploaded the recovered lesson: %+v", e)
		}
		found = found || e.Lesson == "01-lesson-1" && e.Step == "found"
	}
	if !found {
		t.Errorf("the rerun did not say it found the lesson's video")
	}
}

// A status call that never returns comes after the new id is recorded.
func TestYouTubeStatusCallThatNeverReturns(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	srv.Fail(youtubetest.Fault{Method: "videos.list", Kind: youtubetest.Hold, Times: -1})
	ctx, cancel := context.WithCancel(context.Background())
	tr.Ctx = ctx
	tr.OnEvent = func(e pipeline.Event) {
		if e.Type == pipeline.EventUpload && e.Bytes == e.Total && e.Total > 0 {
			go func() { time.Sleep(300 * time.Millisecond); cancel() }()
		}
	}
	if _, err := tr.Publish(); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v, want it interrupted", err)
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	if l := rec.Destinations["youtube"].Lessons[threeKeys[0]]; l == nil || l.Video == "" {
		t.Fatalf("the record holds no video for %s while the status call hangs: %+v", threeKeys[0], l)
	}
	srv.ClearFaults()
	tr.Ctx, tr.OnEvent = nil, nil
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	oneEach(t, srv, threeKeys[:1])
}

// A record that cannot be written when the video is made keeps the upload
// session; the next run recovers the video from it.
func TestYouTubeRecordFailureKeepsTheSession(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	c := tr.Target
	failed := false
	tr.Target = func() pipeline.Target { return savedFails{c(), &failed} }
	if sum, err := tr.Publish(); err != nil || !failed || sum.Failed != 1 {
		t.Fatalf("first run: %v, want the lesson failed on the record", err)
	}
	tr.Target = c
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	oneEach(t, srv, threeKeys[:1])
	if got := srv.Calls("videos.insert"); got != 1 {
		t.Errorf("videos.insert called %d times, want 1", got)
	}
}

// savedFails is a target whose first upload cannot be recorded.
type savedFails struct {
	pipeline.Target
	failed *bool
}

func (s savedFails) Upload(ctx context.Context, u pipeline.Upload) (string, error) {
	u.Saved = func(string) error { *s.failed = true; return errors.New("disk full") }
	return s.Target.Upload(ctx, u)
}

// Without a record, renumbered lessons are the same lessons: nothing is
// uploaded, and the playlist is put in the new order.
func TestYouTubeRenumberedWithoutRecordUploadsNothing(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 3)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
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
	moves := srv.Calls("playlistItems.update")
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("videos.insert"); got != 3 {
		t.Errorf("videos.insert called %d times in all, want 3", got)
	}
	want := []string{threeKeys[2], threeKeys[1], threeKeys[0]}
	oneEach(t, srv, want)
	if got := srv.Calls("playlistItems.update") - moves; got < 1 || got > 2 {
		t.Errorf("%d items moved, want 1 or 2", got)
	}
}

// A renamed course folder with its record uploads nothing and keeps its
// playlist.
func TestYouTubeRenamedCourseFolderUploadsNothing(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(filepath.Dir(tr.Course), "beads-2026")
	if err := os.Rename(tr.Course, moved); err != nil {
		t.Fatal(err)
	}
	tr.Course = moved
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sum.Lessons {
		if l.Result != pipeline.ResultUnchanged {
			t.Errorf("%s %s, want unchanged", l.Lesson, l.Result)
		}
	}
	oneEach(t, srv, threeKeys[:2])
}

// Two courses with the same title get a playlist each.
func TestYouTubeSameTitleTwoCourses(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "bead-jewellery-2027")
	if err := os.CopyFS(other, os.DirFS(tr.Course)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(other, pipeline.RecordDir)); err != nil {
		t.Fatal(err)
	}
	tr.Course = other
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	pls := srv.Playlists()
	if len(pls) != 2 {
		t.Fatalf("%d playlists, want 2: %+v", len(pls), pls)
	}
	for _, p := range pls {
		if len(p.VideoIDs) != 1 {
			t.Errorf("playlist %s (%q) has %d videos, want 1", p.ID, p.Description, len(p.VideoIDs))
		}
	}
	if n := len(srv.Videos()); n != 2 {
		t.Errorf("%d videos, want 2", n)
	}
}

// A same-title playlist without the course key line is not adopted, and
// the user is told what to do.
func TestYouTubeSameTitlePlaylistWithoutKeyIsNotAdopted(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	mk := tr.Target
	var warned []string
	tr.Target = func() pipeline.Target {
		yt := mk().(*youtube.Target)
		yt.Warn = func(s *captions.Text) { warned = append(warned, s.String()) }
		return yt
	}
	svc, err := ytapi.NewService(context.Background(), option.WithHTTPClient(srv.Client()), option.WithEndpoint(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Playlists.Insert([]string{"snippet", "status"}, &ytapi.Playlist{
		Snippet: &ytapi.PlaylistSnippet{Title: "Bead jewellery", Description: "Someone else's."},
		Status:  &ytapi.PlaylistStatus{PrivacyStatus: "private"},
	}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Playlists()); n != 2 {
		t.Errorf("%d playlists, want 2 (the same-titled one not adopted)", n)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "'lessonpub-course: KEY' line") || !strings.Contains(warned[0], `"lessonpub-course: bead-jewellery"`) {
		t.Errorf("warnings %q, want one naming the line 'lessonpub-course: bead-jewellery'", warned)
	}
}
