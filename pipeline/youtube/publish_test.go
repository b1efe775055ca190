package youtube_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/option"
	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// addVideos puts n videos on the channel and returns their ids.
func addVideos(srv *youtubetest.Server, n int) []string {
	var ids []string
	for i := range n {
		v := youtube.NewVideo(youtube.Metadata{Title: fmt.Sprintf("Lesson %d", i+1), Key: fmt.Sprintf("c/%02d", i+1)})
		ids = append(ids, srv.AddVideo(v, []byte("video")))
	}
	return ids
}

func TestPlaylistFoundOnALaterPage(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	var want *yt.Playlist
	for i := range 53 {
		p, created, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: fmt.Sprintf("Course %d", i), Description: pipeline.WithCourseKey("", fmt.Sprintf("course-%d", i))})
		if err != nil || !created {
			t.Fatalf("creating playlist %d: created %v, %v", i, created, err)
		}
		want = p
	}
	got, created, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Course 52", Description: pipeline.WithCourseKey("", "course-52")})
	if err != nil || created || got.Id != want.Id {
		t.Fatalf("got %v created %v %v, want the existing %s", got, created, err, want.Id)
	}
	if n := len(srv.Playlists()); n != 53 {
		t.Errorf("%d playlists, want 53", n)
	}
}

func TestPlaylistCreatedOnceWhenAnswerLost(t *testing.T) {
	srv, c, _ := newServerClient(t)
	mustFail(t, srv, "playlists.insert lost-response")
	p, created, err := c.EnsurePlaylist(context.Background(), "", youtube.PlaylistSpec{Title: "Bead jewellery", Privacy: "unlisted", Description: pipeline.WithCourseKey("", "bead-jewellery")})
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	pls := srv.Playlists()
	if len(pls) != 1 || pls[0].ID != p.Id || pls[0].PrivacyStatus != "unlisted" {
		t.Errorf("playlists on the channel: %+v, want just %s (unlisted)", pls, p.Id)
	}
	if srv.Calls("playlists.insert") != 1 {
		t.Errorf("playlists.insert calls: %d, want 1", srv.Calls("playlists.insert"))
	}
}

func TestPlaylistKnownIDIsUsed(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	p, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Old title"})
	if err != nil {
		t.Fatal(err)
	}
	got, created, err := c.EnsurePlaylist(ctx, p.Id, youtube.PlaylistSpec{Title: "New title"})
	if err != nil || created || got.Id != p.Id || len(srv.Playlists()) != 1 {
		t.Errorf("got %v created %v %v; want the known playlist, nothing created", got, created, err)
	}
}

func TestPlaylistUpdated(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	p, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Old title", Description: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdatePlaylist(ctx, p.Id, youtube.PlaylistSpec{Title: "New title", Description: "new", Privacy: "unlisted"}); err != nil {
		t.Fatal(err)
	}
	want := []youtubetest.Playlist{{ID: p.Id, Title: "New title", Description: "new", PrivacyStatus: "unlisted"}}
	if d := cmp.Diff(want, srv.Playlists()); d != "" {
		t.Errorf("playlists (-want +got):\n%s", d)
	}
	if got := srv.Calls("playlists.update"); got != 1 {
		t.Errorf("playlists.update calls: %d, want 1", got)
	}
}

func TestPlaylistKnownIDGoneFallsBackToTitle(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	gone, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Deleted"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := yt.NewService(ctx, option.WithHTTPClient(srv.Client()), option.WithEndpoint(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Playlists.Delete(gone.Id).Do(); err != nil {
		t.Fatal(err)
	}
	// Same title, no key line: never taken for the course's.
	other, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Course"})
	if err != nil {
		t.Fatal(err)
	}
	kept, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Course", Description: pipeline.WithCourseKey("", "course-2026")})
	if err != nil {
		t.Fatal(err)
	}
	if kept.Id == other.Id {
		t.Fatalf("EnsurePlaylist took the playlist titled Course without the course key line")
	}
	got, titled, err := c.LookupPlaylist(ctx, gone.Id, "course-2026", "Course")
	if err != nil || got == nil || got.Id != kept.Id {
		t.Errorf("LookupPlaylist = %v, %v; want the playlist with the course key line, %s", got, err, kept.Id)
	}
	if titled != nil {
		t.Errorf("LookupPlaylist also named %s as same-titled, though the keyed one was found", titled.Id)
	}
	got, titled, err = c.LookupPlaylist(ctx, "", "course-2025", "Course")
	if err != nil || got != nil || titled == nil || titled.Id != other.Id {
		t.Errorf("LookupPlaylist of another course titled Course = %v, %v, %v; want none, and %s named as same-titled", got, titled, err, other.Id)
	}
}

func TestPlaylistItemsInCourseOrderAndNeverTwice(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	ids := addVideos(srv, 3)
	p, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Course"})
	if err != nil {
		t.Fatal(err)
	}
	// Lesson 3 first, then 1 (placed before it), then 2 with the quirk:
	// added, yet answered 404 videoNotFound.
	if _, err := c.AddToPlaylist(ctx, p.Id, ids[2], 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddToPlaylist(ctx, p.Id, ids[0], 0); err != nil {
		t.Fatal(err)
	}
	mustFail(t, srv, "playlistItems.insert notfound-after-add")
	if _, err := c.AddToPlaylist(ctx, p.Id, ids[1], 1); err != nil {
		t.Fatal(err)
	}
	// Adding again changes nothing.
	if _, err := c.AddToPlaylist(ctx, p.Id, ids[1], 1); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ids, srv.Playlists()[0].VideoIDs); d != "" {
		t.Errorf("playlist order (-want +got):\n%s", d)
	}
	items, err := c.PlaylistItems(ctx, p.Id)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveFromPlaylist(ctx, items[0].Id); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveFromPlaylist(ctx, items[0].Id); err != nil {
		t.Errorf("removing a removed item: %v", err)
	}
	if d := cmp.Diff(ids[1:], srv.Playlists()[0].VideoIDs); d != "" {
		t.Errorf("after removing the first (-want +got):\n%s", d)
	}
}

const srt = "1\n00:00:00,000 --> 00:00:02,000\nSalam\n"

func TestCaptionExistsIsUpdated(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	id := addVideos(srv, 1)[0]
	name := pipeline.TrackName("az")
	if name != "Azərbaycan" {
		t.Errorf("pipeline.TrackName(az) = %q, want Azərbaycan", name)
	}
	mustFail(t, srv, "captions.insert lost-response")
	first, err := c.UploadCaption(ctx, id, "az", name, strings.NewReader(srt))
	if err != nil {
		t.Fatal(err)
	}
	newer := strings.Replace(srt, "Salam", "Salam, dostlar", 1)
	second, err := c.UploadCaption(ctx, id, "az", name, strings.NewReader(newer))
	if err != nil {
		t.Fatal(err)
	}
	if second.Id != first.Id {
		t.Errorf("second upload made track %s, want an update of %s", second.Id, first.Id)
	}
	tracks := srv.Captions(id)
	if len(tracks) != 1 {
		t.Fatalf("%d tracks, want 1", len(tracks))
	}
	if tr := tracks[0]; tr.IsDraft || tr.Language != "az" || tr.Name != name || !strings.Contains(string(tr.Content), "dostlar") {
		t.Errorf("track %+v: want the updated, published az track", tr)
	}
	if srv.Calls("captions.update") != 1 {
		t.Errorf("captions.update calls: %d, want 1", srv.Calls("captions.update"))
	}
}

func TestVideoMetadataAndStatus(t *testing.T) {
	srv, c, _ := newServerClient(t, youtubetest.WithLockToPrivate())
	ctx := context.Background()
	path, _ := writeFile(t, 2000)
	m := youtube.Metadata{Title: "Tools", Description: "Beads.", Key: "beads/01", Tags: []string{"beads"},
		Privacy: "public", Language: "az", AudioLanguage: "az"}
	v, err := c.Upload(ctx, path, youtube.NewVideo(m), youtube.UploadOptions{Key: m.Key})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Video(v.Id)
	if got.SelfDeclaredMadeForKids == nil || *got.SelfDeclaredMadeForKids {
		t.Errorf("selfDeclaredMadeForKids sent as %v, want false", got.SelfDeclaredMadeForKids)
	}
	if got.CategoryID != "27" || got.DefaultLanguage != "az" || got.DefaultAudioLanguage != "az" || pipeline.KeyOf(got.Description) != "beads/01" {
		t.Errorf("metadata: %+v", got)
	}
	var p *youtube.StatusProblem
	if err := c.CheckStatus(ctx, v.Id, "public"); !errors.As(err, &p) || p.Kind != "locked-private" || !strings.Contains(err.Error(), "audit") {
		t.Errorf("CheckStatus: got %v, want a locked-private problem", err)
	}
	srv.SetVideoStatus(v.Id, func(s *yt.VideoStatus) { s.UploadStatus, s.RejectionReason = "rejected", "duplicate" })
	if err := c.CheckStatus(ctx, v.Id, "private"); !errors.As(err, &p) || p.Kind != "rejected" {
		t.Errorf("CheckStatus: got %v, want rejected", err)
	}

	m.Title, m.MadeForKids = "Tools and beads", true
	if _, err := c.UpdateVideo(ctx, v.Id, m); err != nil {
		t.Fatal(err)
	}
	got, _ = srv.Video(v.Id)
	if got.Title != "Tools and beads" {
		t.Errorf("title after update: %q", got.Title)
	}
	requireUploadsPlaylist(t, c)
	found, err := c.FindVideoByKey(ctx, "beads/01")
	if err != nil || found == nil || found.Id != v.Id {
		t.Errorf("FindVideoByKey: %v, %v; want %s", found, err, v.Id)
	}
	if found, err := c.FindVideoByKey(ctx, "beads/02"); err != nil || found != nil {
		t.Errorf("FindVideoByKey of an unknown key: %v, %v", found, err)
	}
}

func TestThumbnail(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	id := addVideos(srv, 1)[0]
	png := filepath.Join(t.TempDir(), "thumb.png")
	data := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x1a\x00\x00\x00\x00\x00IEND\xaeB`\x82")
	if err := os.WriteFile(png, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.SetThumbnail(ctx, id, png); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Video(id); string(got.Thumbnail) != string(data) {
		t.Error("the thumbnail was not stored")
	}
	mustFail(t, srv, "thumbnails.set http code=403 reason=forbidden")
	if err := c.SetThumbnail(ctx, id, png); !errors.Is(err, youtube.ErrThumbnailNotAllowed) {
		t.Errorf("got %v, want ErrThumbnailNotAllowed", err)
	}
}

func TestDeleteVideo(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	ids := addVideos(srv, 2)
	p, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Course"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := c.AddToPlaylist(ctx, p.Id, id, -1); err != nil {
			t.Fatal(err)
		}
	}
	// The answer is lost: the retry finds the video gone and counts that as done.
	mustFail(t, srv, "videos.delete lost-response")
	if err := c.DeleteVideo(ctx, ids[0]); err != nil {
		t.Fatalf("deleting with the answer lost: %v", err)
	}
	if _, ok := srv.Video(ids[0]); ok {
		t.Errorf("video %s still on the channel", ids[0])
	}
	if d := cmp.Diff(ids[1:], srv.Playlists()[0].VideoIDs); d != "" {
		t.Errorf("playlist after the deletion (-want +got):\n%s", d)
	}
	if err := c.DeleteVideo(ctx, ids[0]); err != nil {
		t.Errorf("deleting a deleted video: %v", err)
	}
	if got := srv.Calls("videos.delete"); got != 3 {
		t.Errorf("videos.delete calls: %d, want 3 (lost, retried, again)", got)
	}
	if units, _ := c.Quota().Today(); units.Units < 3*youtube.Cost("videos.delete") {
		t.Errorf("counted %d units, want at least 3×%d for the deletions", units.Units, youtube.Cost("videos.delete"))
	}
}
