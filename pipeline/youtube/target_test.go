package youtube_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/option"
	ytapi "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// clock is a settable clock shared by the fake server and the client, so a
// test can move to the next quota day.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) nextDay() {
	c.mu.Lock()
	c.t = c.t.Add(24 * time.Hour)
	c.mu.Unlock()
}

// fakeYouTube starts a fake YouTube and sets tr to publish to it with a
// new signed-in client per run.
func fakeYouTube(tr *pipelinetest.Run, limits youtube.Limits, opts ...youtubetest.Option) (*youtubetest.Server, *clock) {
	t := tr.T
	clk := &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	srv := youtubetest.NewServer(append([]youtubetest.Option{youtubetest.WithClock(clk.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := youtube.Config{
		ClientSecretsFile: filepath.Join(dir, "client_secret.json"),
		TokenFile:         filepath.Join(dir, "token.json"),
		StateDir:          tr.State,
		Endpoint:          srv.URL + "/",
		Retry:             youtube.Retry{Initial: time.Millisecond, Max: 4 * time.Millisecond, Attempts: 8},
		Limits:            limits,
		Now:               clk.Now,
	}
	if err := os.WriteFile(cfg.ClientSecretsFile, srv.ClientSecretsJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := youtube.SaveToken(cfg.TokenFile, srv.IssueToken()); err != nil {
		t.Fatal(err)
	}
	tr.Target = func() pipeline.Target {
		c, err := youtube.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		yt := youtube.NewTarget(c, nil)
		yt.ChunkSize = youtube.ChunkAlign
		return yt
	}
	return srv, clk
}

// playlistKeys returns the lesson keys of the playlist's videos, in order.
func playlistKeys(t *testing.T, srv *youtubetest.Server) []string {
	t.Helper()
	pls := srv.Playlists()
	if len(pls) != 1 {
		t.Fatalf("%d playlists on the channel, want 1", len(pls))
	}
	var keys []string
	for _, id := range pls[0].VideoIDs {
		v, ok := srv.Video(id)
		if !ok {
			t.Fatalf("playlist item of unknown video %s", id)
		}
		keys = append(keys, pipeline.KeyOf(v.Description))
	}
	return keys
}

// captionLangs returns each video's caption languages by lesson key.
func captionLangs(srv *youtubetest.Server) map[string][]string {
	m := map[string][]string{}
	for _, v := range srv.Videos() {
		key := pipeline.KeyOf(v.Description)
		for _, c := range srv.Captions(v.ID) {
			m[key] = append(m[key], c.Language)
		}
	}
	return m
}

var threeKeys = pipelinetest.Keys(3)

func TestYouTubeCourse(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 3)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(threeKeys, playlistKeys(t, srv)); diff != "" {
		t.Fatalf("playlist (-want +got):\n%s", diff)
	}
	if got := srv.Calls("playlists.list"); got != 1 {
		t.Errorf("a first run called playlists.list %d times, want once (looking for the course's playlist)", got)
	}
	wantCaps := map[string][]string{threeKeys[0]: {"az", "en"}, threeKeys[1]: {"az", "en"}, threeKeys[2]: {"az", "en"}}
	if diff := cmp.Diff(wantCaps, captionLangs(srv)); diff != "" {
		t.Fatalf("caption tracks (-want +got):\n%s", diff)
	}
	for _, v := range srv.Videos() {
		if v.CategoryID != "27" || v.PrivacyStatus != "private" || v.SelfDeclaredMadeForKids == nil {
			t.Errorf("video %s: category %s, privacy %s, made for kids sent %v; want 27, private, sent", v.ID, v.CategoryID, v.PrivacyStatus, v.SelfDeclaredMadeForKids != nil)
		}
	}

	// A rerun uploads nothing and spends no quota beyond reading the playlist.
	units, uploads := srv.QuotaUsed()
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sum.Lessons {
		if l.Result != pipeline.ResultUnchanged {
			t.Errorf("rerun: %s %s, want unchanged", l.Lesson, l.Result)
		}
	}
	units2, uploads2 := srv.QuotaUsed()
	if uploads2 != uploads || units2-units > 5 {
		t.Errorf("rerun spent %d units and %d uploads, want at most a few list calls and no upload", units2-units, uploads2-uploads)
	}

	// Editing one caption file updates that one track.
	os.WriteFile(filepath.Join(tr.Course, "03-lesson-3", "lesson.az.srt"), []byte("1\n00:00:00,000 --> 00:00:01,000\nYenə salam.\n"), 0o644)
	inserts, updates := srv.Calls("captions.insert"), srv.Calls("captions.update")
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("captions.update") - updates; got != 1 {
		t.Errorf("captions.update called %d times, want 1", got)
	}
	if got := srv.Calls("captions.insert") - inserts; got != 0 {
		t.Errorf("captions.insert called %d times, want 0", got)
	}
	if got := srv.Calls("videos.insert"); got != 3 {
		t.Errorf("videos.insert called %d times in all, want 3", got)
	}
}

func TestYouTubeQuotaStopsAndRerunFinishes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		limits youtube.Limits // lessonpub's count stops the run before YouTube does
		server youtubetest.Option
	}{
		{"counted", youtube.Limits{Units: 1000, Uploads: 100}, nil},
		{"told by YouTube", youtube.DefaultLimits(), youtubetest.WithQuota(1000, 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := pipelinetest.NewRun(t, 3)
			var opts []youtubetest.Option
			if tc.server != nil {
				opts = append(opts, tc.server)
			}
			srv, clk := fakeYouTube(tr, tc.limits, opts...)
			days := 0
			for ; days < 5; days++ {
				sum, err := tr.Publish()
				if err == nil {
					break
				}
				if !errors.Is(err, pipeline.ErrDailyLimit) {
					t.Fatalf("day %d: %v, want a YouTube limit", days+1, err)
				}
				if sum == nil || sum.Pending == 0 || sum.Stopped != "quota" || sum.Rerun.IsZero() {
					t.Fatalf("day %d: summary %+v, want pending lessons, stopped for quota, a rerun time", days+1, sum)
				}
				clk.nextDay()
			}
			if days == 0 || days >= 5 {
				t.Fatalf("finished after %d quota stops, want 1 to 4", days)
			}
			if diff := cmp.Diff(threeKeys, playlistKeys(t, srv)); diff != "" {
				t.Errorf("playlist (-want +got):\n%s", diff)
			}
			if got := srv.Calls("videos.insert"); got != 3 {
				t.Errorf("videos.insert called %d times, want 3 (no upload repeated)", got)
			}
			for key, langs := range captionLangs(srv) {
				if len(langs) != 2 {
					t.Errorf("%s has caption tracks %v, want az and en once each", key, langs)
				}
			}
		})
	}
}

func TestYouTubeInterruptedUploadResumes(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	// A recording big enough for several upload chunks.
	rec := filepath.Join(tr.Course, "01-lesson-1", "lesson.mp4")
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2,noise=alls=80:allf=t",
		"-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", rec).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, out)
	}
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits(), youtubetest.WithUploadRate(1<<20))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr.Ctx = ctx
	tr.OnEvent = func(e pipeline.Event) {
		if e.Type == pipeline.EventUpload && e.Bytes >= 2*youtube.ChunkAlign && e.Bytes < e.Total {
			cancel() // Ctrl-C in the middle of the upload
		}
	}
	if _, err := tr.Publish(); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want canceled", err)
	}
	if n := len(srv.Videos()); n != 0 {
		t.Fatalf("%d videos after the interrupted upload, want 0", n)
	}
	rec0, _ := pipeline.LoadRecord(tr.Course)
	if l := rec0.Destinations["youtube"].Lessons["bead-jewellery/lesson-1"]; l == nil || l.State != pipeline.StatePending {
		t.Errorf("record after the interruption = %+v, want the lesson pending", l)
	}
	before := srv.UploadedBytes()

	tr.Ctx, tr.OnEvent = nil, nil
	renders := tr.Renderer.Count()
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, e := range tr.Events {
		if e.Type == pipeline.EventUpload {
			size = e.Total
		}
	}
	resent := srv.UploadedBytes() - before
	if resent >= size-youtube.ChunkAlign {
		t.Errorf("the rerun sent %d of %d bytes, want it to continue the interrupted upload", resent, size)
	}
	if tr.Renderer.Count() != renders {
		t.Errorf("the rerun rendered again; the rendered video should have been kept for the upload")
	}
	if n := len(srv.Videos()); n != 1 {
		t.Errorf("%d videos, want 1", n)
	}
	if got := srv.Calls("videos.insert"); got != 1 {
		t.Errorf("videos.insert (upload sessions started) = %d, want 1", got)
	}
	if diff := cmp.Diff(threeKeys[:1], playlistKeys(t, srv)); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
}

func TestYouTubeLostRecordMakesNoDuplicate(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(tr.Course, pipeline.RecordDir)); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Videos()); n != 2 {
		t.Errorf("%d videos, want 2", n)
	}
	if diff := cmp.Diff(threeKeys[:2], playlistKeys(t, srv)); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	want := map[string][]string{threeKeys[0]: {"az", "en"}, threeKeys[1]: {"az", "en"}}
	if diff := cmp.Diff(want, captionLangs(srv)); diff != "" {
		t.Errorf("caption tracks (-want +got):\n%s", diff)
	}
	// The record is rebuilt: a third run has nothing to do.
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sum.Lessons {
		if l.Result != pipeline.ResultUnchanged {
			t.Errorf("third run: %s %s, want unchanged", l.Lesson, l.Result)
		}
	}
}

func TestYouTubeReplaceDeletesOldVideoAfterPlacingNew(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	old := srv.Playlists()[0].VideoIDs[0]
	f, err := os.OpenFile(filepath.Join(tr.Course, "01-lesson-1", "lesson.mp4"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("trailing bytes change the recording's hash"))
	f.Close()
	tr.Replace = true
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Removed) != 1 || sum.Removed[0].Video != old || !sum.Removed[0].Deleted {
		t.Errorf("removed = %+v, want the old video %s deleted", sum.Removed, old)
	}
	if _, ok := srv.Video(old); ok {
		t.Errorf("the old video %s is still on the channel", old)
	}
	if n := len(srv.Videos()); n != 2 {
		t.Errorf("%d videos on the channel, want 2", n)
	}
	if diff := cmp.Diff(threeKeys[:2], playlistKeys(t, srv)); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	if got := srv.Calls("videos.delete"); got != 1 {
		t.Errorf("videos.delete called %d times, want 1", got)
	}
	// The new video was in the playlist before the old one left it.
	placed, removed := -1, -1
	for i, e := range tr.Events {
		switch {
		case e.Lesson != "01-lesson-1":
		case e.Type == pipeline.EventStep && strings.HasPrefix(e.Step, "placed at position"):
			placed = i
		case e.Type == pipeline.EventRemoved:
			removed = i
		}
	}
	if placed < 0 || removed < placed {
		t.Errorf("event %d placed the new video, event %d removed the old one; want the new one placed first", placed, removed)
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	l := rec.Destinations["youtube"].Lessons[threeKeys[0]]
	if len(l.Replaced) != 1 || l.Replaced[0].Video != old || !l.Replaced[0].Deleted {
		t.Errorf("record's replaced videos = %+v, want %s deleted", l.Replaced, old)
	}
}

func TestYouTubeRenamedCourseKeepsItsPlaylist(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	before := srv.Playlists()[0]
	yaml := filepath.Join(tr.Course, "course.yaml")
	if err := os.WriteFile(yaml, []byte("title: Beads for beginners\ndescription: Earrings and bracelets.\nlanguage: az\ncaptions:\n  required: [az]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sum.Lessons {
		if l.Result != pipeline.ResultUnchanged {
			t.Errorf("%s %s, want unchanged: only the playlist changed", l.Lesson, l.Result)
		}
	}
	pls := srv.Playlists()
	want := []youtubetest.Playlist{{ID: before.ID, Title: "Beads for beginners", Description: "Earrings and bracelets.\n\nlessonpub-course: bead-jewellery",
		PrivacyStatus: "private", VideoIDs: before.VideoIDs, ItemIDs: before.ItemIDs}}
	if diff := cmp.Diff(want, pls); diff != "" {
		t.Errorf("playlists (-want +got):\n%s", diff)
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Destinations["youtube"].PlaylistID; got != before.ID {
		t.Errorf("recorded playlist id %q, want %q", got, before.ID)
	}

	// Once updated, the playlist costs nothing more.
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("playlists.update"); got != 1 {
		t.Errorf("playlists.update called %d times, want 1", got)
	}
	if got := srv.Calls("playlists.insert"); got != 1 {
		t.Errorf("playlists.insert called %d times, want 1", got)
	}
}

func TestYouTubeVideoDeletedOnTheChannelIsPublishedAgain(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	gone := srv.Playlists()[0].VideoIDs[1]
	// Deleted by hand in YouTube Studio.
	ctx := context.Background()
	svc, err := ytapi.NewService(ctx, option.WithHTTPClient(srv.Client()), option.WithEndpoint(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Videos.Delete(gone).Do(); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultUnchanged, "02-lesson-2": pipeline.ResultPublished}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(threeKeys[:2], playlistKeys(t, srv)); diff != "" {
		t.Errorf("playlist (-want +got):\n%s", diff)
	}
	if n := len(srv.Videos()); n != 2 {
		t.Errorf("%d videos, want 2", n)
	}
}

func TestYouTubeDeletedCaptionFileDeletesItsTrack(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	srv, _ := fakeYouTube(tr, youtube.DefaultLimits())
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	video := srv.Playlists()[0].VideoIDs[0]
	var azBefore youtubetest.CaptionTrack
	for _, c := range srv.Captions(video) {
		if c.Language == "az" {
			azBefore = c
		}
	}
	if err := os.Remove(filepath.Join(tr.Course, "01-lesson-1", "lesson.en.srt")); err != nil {
		t.Fatal(err)
	}
	units, uploads := srv.QuotaUsed()
	calls := map[string]int{}
	for _, m := range []string{"captions.insert", "captions.update", "videos.update"} {
		calls[m] = srv.Calls(m)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultUpdated, "02-lesson-2": pipeline.ResultUnchanged}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("results after deleting a caption file (-want +got):\n%s", diff)
	}
	wantCaps := map[string][]string{threeKeys[0]: {"az"}, threeKeys[1]: {"az", "en"}}
	if diff := cmp.Diff(wantCaps, captionLangs(srv)); diff != "" {
		t.Errorf("caption tracks (-want +got):\n%s", diff)
	}
	if got := srv.Captions(video); len(got) != 1 || !cmp.Equal(azBefore, got[0]) {
		t.Errorf("the az track changed:\n%s", cmp.Diff([]youtubetest.CaptionTrack{azBefore}, got))
	}
	if got := srv.Calls("captions.delete"); got != 1 {
		t.Errorf("captions.delete called %d times, want 1", got)
	}
	for m, n := range calls {
		if got := srv.Calls(m); got != n {
			t.Errorf("%s called %d more times, want none", m, got-n)
		}
	}
	units2, uploads2 := srv.QuotaUsed()
	if uploads2 != uploads || units2-units < 50 || units2-units > 55 {
		t.Errorf("the run spent %d units and %d uploads, want 50 (captions.delete) and a few list calls, no upload", units2-units, uploads2-uploads)
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	if caps := rec.Destinations["youtube"].Lessons[threeKeys[0]].Captions; len(caps) != 1 || caps["az"].Track != azBefore.ID {
		t.Errorf("recorded tracks of 01-lesson-1 = %v, want only az (%s)", caps, azBefore.ID)
	}
}
