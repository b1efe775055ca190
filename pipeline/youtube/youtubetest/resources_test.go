package youtubetest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
	"google.golang.org/api/googleapi"
	youtube "google.golang.org/api/youtube/v3"
)

func reason(err error) string {
	var gerr *googleapi.Error
	if errors.As(err, &gerr) && len(gerr.Errors) > 0 {
		return fmt.Sprintf("%d %s", gerr.Code, gerr.Errors[0].Reason)
	}
	return fmt.Sprint(err)
}

func TestThumbnailAndCaptionUpdate(t *testing.T) {
	s, svc := newService(t)
	vid := s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson"}}, []byte("video"))
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1000)...)
	if _, err := svc.Thumbnails.Set(vid).Media(bytes.NewReader(png), googleapi.ContentType("image/png")).Do(); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Video(vid); !bytes.Equal(v.Thumbnail, png) || v.ThumbnailType != "image/png" {
		t.Errorf("thumbnail %d bytes of %q, want the PNG sent", len(v.Thumbnail), v.ThumbnailType)
	}
	_, err := svc.Thumbnails.Set(vid).Media(strings.NewReader("not an image"), googleapi.ContentType("image/png")).Do()
	if got := reason(err); got != "400 invalidImage" {
		t.Errorf("thumbnail of text: %s, want 400 invalidImage", got)
	}

	c, err := svc.Captions.Insert([]string{"snippet"}, &youtube.Caption{Snippet: &youtube.CaptionSnippet{
		VideoId: vid, Language: "ru", Name: "Русский", IsDraft: true,
	}}).Media(strings.NewReader("WEBVTT\n\n00:00.000 --> 00:01.000\nПривет\n")).Do()
	if err != nil {
		t.Fatal(err)
	}
	vtt := "WEBVTT\n\n00:00.000 --> 00:02.000\nЗдравствуйте\n"
	c.Snippet.IsDraft = false
	c.Snippet.ForceSendFields = []string{"IsDraft"}
	if _, err := svc.Captions.Update([]string{"snippet"}, c).Media(strings.NewReader(vtt)).Do(); err != nil {
		t.Fatal(err)
	}
	want := []youtubetest.CaptionTrack{{ID: c.Id, VideoID: vid, Language: "ru", Name: "Русский", Status: "serving", Content: []byte(vtt)}}
	got := s.Captions(vid)
	for i := range got {
		got[i].ContentType = ""
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tracks after update (-want +got):\n%s", d)
	}
	list, err := svc.Captions.List([]string{"snippet"}, vid).Do()
	if err != nil || len(list.Items) != 1 || list.Items[0].Snippet.Language != "ru" {
		t.Errorf("captions.list: %v, %d items; want the one ru track", err, len(list.Items))
	}
	// Failed calls cost too: two thumbnails.set.
	units, _ := s.QuotaUsed()
	if want := 2*50 + 400 + 450 + 50; units != want {
		t.Errorf("quota used %d, want %d (thumbnails.set twice, captions.insert, captions.update, captions.list)", units, want)
	}
}

func TestVideoUpdateAndList(t *testing.T) {
	s, svc := newService(t, youtubetest.WithLockToPrivate())
	v, err := uploadVideo(t, svc, []byte("tiny video"))
	if err != nil {
		t.Fatal(err)
	}
	update := &youtube.Video{Id: v.Id, Snippet: &youtube.VideoSnippet{Title: "New title"}}
	if _, err := svc.Videos.Update([]string{"snippet"}, update).Do(); reason(err) != "400 invalidCategoryId" {
		t.Errorf("update without categoryId: %s, want 400 invalidCategoryId", reason(err))
	}
	update.Snippet.CategoryId = "27"
	update.Status = &youtube.VideoStatus{PrivacyStatus: "public"}
	if _, err := svc.Videos.Update([]string{"snippet", "status"}, update).Do(); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Video(v.Id)
	if got.Title != "New title" || got.CategoryID != "27" || got.PrivacyStatus != "public" {
		t.Errorf("after update: title %q, category %q, privacy %q", got.Title, got.CategoryID, got.PrivacyStatus)
	}

	s.SetNextOutcomes(youtubetest.Outcome{UploadStatus: "rejected", RejectionReason: "duplicate"})
	v2, err := uploadVideo(t, svc, []byte("tiny video"))
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Videos.List([]string{"status"}).Id(v2.Id, "missing-id").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Status.UploadStatus != "rejected" || list.Items[0].Status.RejectionReason != "duplicate" {
		t.Errorf("videos.list = %+v, want the rejected video only", list.Items)
	}
	if err := svc.Videos.Delete(v2.Id).Do(); err != nil {
		t.Fatal(err)
	}
	if err := svc.Videos.Delete(v2.Id).Do(); reason(err) != "404 videoNotFound" {
		t.Errorf("second delete: %s, want 404 videoNotFound", reason(err))
	}
	if n := len(s.Videos()); n != 1 {
		t.Errorf("%d videos left, want 1", n)
	}
}

func TestLockedToPrivate(t *testing.T) {
	s, svc := newService(t, youtubetest.WithLockToPrivate())
	v := &youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson"}, Status: &youtube.VideoStatus{PrivacyStatus: "public"}}
	got, err := svc.Videos.Insert([]string{"snippet", "status"}, v).Media(strings.NewReader("tiny")).Do()
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Videos.List([]string{"status"}).Id(got.Id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if p := list.Items[0].Status.PrivacyStatus; p != "private" {
		t.Errorf("privacy after processing %q, want private (locked)", p)
	}
	if vs := s.Videos(); vs[0].PrivacyStatus != "private" {
		t.Errorf("inspection shows privacy %q, want private", vs[0].PrivacyStatus)
	}
}

func TestPlaylistItemsOrder(t *testing.T) {
	s, svc := newService(t)
	p, err := svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: "Course"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	var vids []string
	for i := range 7 {
		vids = append(vids, s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: fmt.Sprint("Lesson ", i)}}, nil))
	}
	add := func(vid string, pos int64, force bool) (*youtube.PlaylistItem, error) {
		sn := &youtube.PlaylistItemSnippet{PlaylistId: p.Id, Position: pos,
			ResourceId: &youtube.ResourceId{Kind: "youtube#video", VideoId: vid}}
		if force {
			sn.ForceSendFields = []string{"Position"}
		}
		return svc.PlaylistItems.Insert([]string{"snippet"}, &youtube.PlaylistItem{Snippet: sn}).Do()
	}
	for _, v := range vids[1:6] {
		if _, err := add(v, 0, false); err != nil { // appended
			t.Fatal(err)
		}
	}
	if _, err := add(vids[0], 0, true); err != nil { // at the front
		t.Fatal(err)
	}
	if _, err := add(vids[6], 99, true); reason(err) != "400 invalidPlaylistItemPosition" {
		t.Errorf("insert at 99: %s, want 400 invalidPlaylistItemPosition", reason(err))
	}
	last, err := add(vids[6], 6, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := add("nosuchvideo", 0, false); reason(err) != "404 videoNotFound" {
		t.Errorf("insert of an unknown video: %s, want 404 videoNotFound", reason(err))
	}
	var got []string
	var positions []int64
	err = svc.PlaylistItems.List([]string{"snippet"}).PlaylistId(p.Id).Pages(context.Background(), func(r *youtube.PlaylistItemListResponse) error {
		if len(r.Items) > 5 {
			t.Errorf("page of %d items, want at most 5", len(r.Items))
		}
		for _, it := range r.Items {
			got = append(got, it.Snippet.ResourceId.VideoId)
			positions = append(positions, it.Snippet.Position)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(vids, got); d != "" {
		t.Errorf("items over all pages (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int64{0, 1, 2, 3, 4, 5, 6}, positions); d != "" {
		t.Errorf("positions (-want +got):\n%s", d)
	}
	// Move the last item to the front, then delete it.
	last.Snippet.Position = 0
	last.Snippet.ForceSendFields = []string{"Position"}
	if _, err := svc.PlaylistItems.Update([]string{"snippet"}, last).Do(); err != nil {
		t.Fatal(err)
	}
	if pl := s.Playlists()[0]; pl.VideoIDs[0] != vids[6] {
		t.Errorf("after the move the playlist starts with %s, want %s", pl.VideoIDs[0], vids[6])
	}
	if err := svc.PlaylistItems.Delete(last.Id).Do(); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(vids[:6], s.Playlists()[0].VideoIDs); d != "" {
		t.Errorf("after delete (-want +got):\n%s", d)
	}
}

func TestLostResponseStillInserts(t *testing.T) {
	s, svc := newService(t)
	s.Fail(youtubetest.Fault{Method: "playlists.insert", Kind: youtubetest.LostResponse})
	_, err := svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: "Course"}}).Do()
	if err == nil {
		t.Fatal("insert with a lost response succeeded")
	}
	if n := len(s.Playlists()); n != 1 {
		t.Errorf("%d playlists, want 1: the insert happened", n)
	}
	if units, _ := s.QuotaUsed(); units != 50 {
		t.Errorf("quota used %d, want 50: the insert happened", units)
	}
}

func TestTransient429OnChunkIsRetried(t *testing.T) {
	s, svc := newService(t)
	content := randomBytes(300 << 10)
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.TooManyRequests, Times: 2})
	if _, err := uploadVideo(t, svc, content); err != nil {
		t.Fatal(err)
	}
	if vs := s.Videos(); len(vs) != 1 || vs[0].SHA256 != hexSHA(content) {
		t.Errorf("%d videos, want 1 with identical content", len(vs))
	}
}

func TestInjectedErrors(t *testing.T) {
	s, svc := newService(t)
	for _, tc := range []struct {
		fault string
		want  string
	}{
		{"channels.list unavailable", "503 backendError"},
		{"channels.list quota-exceeded", "403 quotaExceeded"},
		{"videos.insert upload-limit", "400 uploadLimitExceeded"},
		{"channels.list unauthorized", "401 authError"},
		{"channels.list http code=403 reason=forbidden", "403 forbidden"},
	} {
		f, err := youtubetest.ParseFault(tc.fault)
		if err != nil {
			t.Fatal(err)
		}
		s.Fail(f)
		if f.Method == "videos.insert" {
			_, err = uploadVideo(t, svc, []byte("tiny"))
		} else {
			_, err = svc.Channels.List([]string{"snippet"}).Mine(true).Do()
		}
		if got := reason(err); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.fault, got, tc.want)
		}
	}
	if _, err := youtubetest.ParseFault("channels.list explode"); err == nil {
		t.Error("ParseFault accepted an unknown kind")
	}
}

func TestStallKeepsBytesUntilTheCut(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	const unit = 256 << 10
	content := randomBytes(4 * unit)
	u := startRaw(t, s, len(content))
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.Stall, Offset: 3*unit + 10})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "PUT", u.uri, bytes.NewReader(content))
		req.Header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(content)-1, len(content)))
		resp, err := u.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for s.Stalled() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel() // the client is killed
	if err := <-done; err == nil {
		t.Fatal("the stalled request got an answer")
	}
	code, rng, _ := u.put(fmt.Sprintf("bytes */%d", len(content)), nil)
	if code != 308 || rng != fmt.Sprintf("bytes=0-%d", 3*unit+9) {
		t.Errorf("status after the stall: %d Range %q, want 308 bytes=0-%d", code, rng, 3*unit+9)
	}
	code, _, _ = u.put(fmt.Sprintf("bytes %d-%d/%d", 3*unit+10, len(content)-1, len(content)), content[3*unit+10:])
	if vs := s.Videos(); code != 201 || len(vs) != 1 || vs[0].SHA256 != hexSHA(content) {
		t.Errorf("continuing answered %d with %d videos, want 201 and one identical video", code, len(vs))
	}
}

func TestUploadsPlaylist(t *testing.T) {
	s, svc := newService(t)
	first := s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson 1", Description: "key: c/l1"}}, nil)
	second := s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson 2", Description: "key: c/l2"}}, nil)
	ch, err := svc.Channels.List([]string{"contentDetails"}).Mine(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	uploads := ch.Items[0].ContentDetails.RelatedPlaylists.Uploads
	list, err := svc.PlaylistItems.List([]string{"snippet"}).PlaylistId(uploads).Do()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range list.Items {
		got = append(got, it.Snippet.ResourceId.VideoId+" "+it.Snippet.Description)
	}
	if d := cmp.Diff([]string{second + " key: c/l2", first + " key: c/l1"}, got); d != "" {
		t.Errorf("uploads playlist, newest first (-want +got):\n%s", d)
	}
}

func TestLostAnswerOfTheLastChunk(t *testing.T) {
	s, svc := newService(t)
	content := randomBytes(600 << 10)
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.LostResponse, Offset: int64(len(content) - 1)})
	// The Go client sends the last chunk again and gets the finished video.
	v, err := uploadVideo(t, svc, content)
	if err != nil {
		t.Fatal(err)
	}
	if vs := s.Videos(); len(vs) != 1 || vs[0].ID != v.Id || vs[0].SHA256 != hexSHA(content) {
		t.Errorf("%d videos, want only %s with identical content", len(vs), v.Id)
	}
}

func TestLanguagesAndNoChannel(t *testing.T) {
	s, svc := newService(t)
	vid := s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson"}}, nil)
	_, err := svc.Captions.Insert([]string{"snippet"}, &youtube.Caption{Snippet: &youtube.CaptionSnippet{
		VideoId: vid, Language: "cn", Name: "Chinese",
	}}).Media(strings.NewReader("WEBVTT\n")).Do()
	if got := reason(err); got != "400 invalidMetadata" {
		t.Errorf("caption in language cn: %s, want 400 invalidMetadata", got)
	}
	v := &youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson", DefaultLanguage: "cn"}}
	_, err = svc.Videos.Insert([]string{"snippet"}, v).Media(strings.NewReader("tiny")).Do()
	if got := reason(err); got != "400 invalidVideoMetadata" {
		t.Errorf("video in language cn: %s, want 400 invalidVideoMetadata", got)
	}

	_, svc = newService(t, youtubetest.WithoutChannel())
	ch, err := svc.Channels.List([]string{"snippet"}).Mine(true).Do()
	if err != nil || len(ch.Items) != 0 {
		t.Errorf("channels.list without a channel: %v, %d items; want none", err, len(ch.Items))
	}
	_, err = svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: "Course"}}).Do()
	if got := reason(err); got != "401 youtubeSignupRequired" {
		t.Errorf("playlists.insert without a channel: %s, want 401 youtubeSignupRequired", got)
	}
}

func TestPlaylistsListPages(t *testing.T) {
	_, svc := newService(t)
	var want []string
	for i := range 7 {
		title := fmt.Sprintf("Course %d", i)
		if _, err := svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: title}}).Do(); err != nil {
			t.Fatal(err)
		}
		want = append(want, title)
	}
	var got []string
	pages := 0
	err := svc.Playlists.List([]string{"snippet"}).Mine(true).MaxResults(3).Pages(context.Background(), func(r *youtube.PlaylistListResponse) error {
		pages++
		for _, p := range r.Items {
			got = append(got, p.Snippet.Title)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" || pages != 3 {
		t.Errorf("%d pages, want 3; titles (-want +got):\n%s", pages, d)
	}
	_, err = svc.Playlists.List([]string{"snippet"}).Mine(true).PageToken("nonsense").Do()
	if got := reason(err); got != "400 invalidPageToken" {
		t.Errorf("list with a made-up page token: %s, want 400 invalidPageToken", got)
	}
}
