package youtubetest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	youtube "google.golang.org/api/youtube/v3"
)

// newService returns the real YouTube client pointed at a new fake server.
func newService(t *testing.T, opts ...youtubetest.Option) (*youtubetest.Server, *youtube.Service) {
	t.Helper()
	s := youtubetest.NewServer(opts...)
	t.Cleanup(s.Close)
	svc, err := youtube.NewService(context.Background(),
		option.WithEndpoint(s.URL+"/"), option.WithHTTPClient(s.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return s, svc
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hexSHA(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func uploadVideo(t *testing.T, svc *youtube.Service, content []byte) (*youtube.Video, error) {
	t.Helper()
	v := &youtube.Video{
		Snippet: &youtube.VideoSnippet{Title: "Lesson 1: felting", CategoryId: "27"},
		Status: &youtube.VideoStatus{PrivacyStatus: "private", SelfDeclaredMadeForKids: false,
			ForceSendFields: []string{"SelfDeclaredMadeForKids"}},
	}
	return svc.Videos.Insert([]string{"snippet", "status"}, v).
		Media(bytes.NewReader(content), googleapi.ChunkSize(googleapi.MinUploadChunkSize), googleapi.ContentType("video/mp4")).
		Do()
}

func TestVideoInsertChunked(t *testing.T) {
	s, svc := newService(t)
	content := randomBytes(600 << 10)
	got, err := uploadVideo(t, svc, content)
	if err != nil {
		t.Fatal(err)
	}
	if got.Id == "" || got.Status.UploadStatus != "uploaded" || got.Status.PrivacyStatus != "private" {
		t.Errorf("insert answered id %q, uploadStatus %q, privacy %q; want an id, uploaded, private",
			got.Id, got.Status.UploadStatus, got.Status.PrivacyStatus)
	}
	videos := s.Videos()
	if len(videos) != 1 {
		t.Fatalf("server has %d videos, want 1", len(videos))
	}
	v := videos[0]
	if v.SHA256 != hexSHA(content) || v.Size != int64(len(content)) {
		t.Errorf("stored %d bytes with sha256 %s, want %d bytes with %s", v.Size, v.SHA256, len(content), hexSHA(content))
	}
	stored, err := v.Content()
	if err != nil || !bytes.Equal(stored, content) {
		t.Errorf("stored content differs from the upload (err %v)", err)
	}
	if v.SelfDeclaredMadeForKids == nil || *v.SelfDeclaredMadeForKids {
		t.Errorf("selfDeclaredMadeForKids = %v, want sent as false", v.SelfDeclaredMadeForKids)
	}
	if n := s.Calls("upload"); n != 3 {
		t.Errorf("%d chunk requests, want 3 (600 KiB in 256 KiB chunks)", n)
	}
	_, uploads := s.QuotaUsed()
	if uploads != 1 {
		t.Errorf("upload bucket used %d, want 1", uploads)
	}
	list, err := svc.Videos.List([]string{"status"}).Id(got.Id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Status.UploadStatus != "processed" || list.Items[0].Snippet != nil {
		t.Errorf("videos.list(status) = %+v, want one item with status processed and no snippet", list.Items)
	}
}

func TestVideoInsertRetries503OnChunk(t *testing.T) {
	s, svc := newService(t)
	content := randomBytes(600 << 10)
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.Unavailable})
	if _, err := uploadVideo(t, svc, content); err != nil {
		t.Fatal(err)
	}
	if n := s.Calls("upload"); n != 4 {
		t.Errorf("%d chunk requests, want 4 (3 chunks, one sent again)", n)
	}
	if n, want := s.UploadedBytes(), int64(len(content)+256<<10); n != want {
		t.Errorf("server received %d bytes, want %d (the first chunk twice)", n, want)
	}
	if v := s.Videos(); len(v) != 1 || v[0].SHA256 != hexSHA(content) {
		t.Errorf("after a 503 the server has %d videos; want 1 with identical content", len(v))
	}
}

func TestVideoInsertResetMidChunk(t *testing.T) {
	for _, off := range []int64{1000, 300 << 10, 600<<10 - 7} {
		s, svc := newService(t)
		content := randomBytes(600 << 10)
		s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: off})
		if _, err := uploadVideo(t, svc, content); err != nil {
			t.Fatalf("cut at %d: %v", off, err)
		}
		if v := s.Videos(); len(v) != 1 || v[0].SHA256 != hexSHA(content) {
			t.Errorf("cut at %d: server has %d videos; want 1 with identical content", off, len(v))
		}
		if len(s.PendingFaults()) != 0 {
			t.Errorf("cut at %d: the fault did not fire", off)
		}
	}
}

func TestPlaylistsPagination(t *testing.T) {
	s, svc := newService(t)
	var want []string
	for i := range 7 {
		title := "Course " + string(rune('A'+i))
		p, err := svc.Playlists.Insert([]string{"snippet", "status"}, &youtube.Playlist{
			Snippet: &youtube.PlaylistSnippet{Title: title},
			Status:  &youtube.PlaylistStatus{PrivacyStatus: "unlisted"},
		}).Do()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, p.Id)
	}
	var got []string
	pages := 0
	err := svc.Playlists.List([]string{"snippet"}).Mine(true).Pages(context.Background(), func(r *youtube.PlaylistListResponse) error {
		pages++
		for _, p := range r.Items {
			got = append(got, p.Id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("playlists over all pages (-want +got):\n%s", diff)
	}
	if pages != 2 {
		t.Errorf("%d pages, want 2 (default page size 5)", pages)
	}
	if units, _ := s.QuotaUsed(); units != 7*50+2 {
		t.Errorf("quota used %d units, want %d", units, 7*50+2)
	}
}

func TestCaptionExists(t *testing.T) {
	s, svc := newService(t)
	vid := s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson"}}, []byte("video"))
	srt := "1\n00:00:00,000 --> 00:00:02,000\nSalam\n"
	insert := func() (*youtube.Caption, error) {
		return svc.Captions.Insert([]string{"snippet"}, &youtube.Caption{Snippet: &youtube.CaptionSnippet{
			VideoId: vid, Language: "az", Name: "Azərbaycanca",
		}}).Media(strings.NewReader(srt)).Do()
	}
	if _, err := insert(); err != nil {
		t.Fatal(err)
	}
	_, err := insert()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) || gerr.Code != 409 || len(gerr.Errors) == 0 || gerr.Errors[0].Reason != "captionExists" {
		t.Fatalf("second insert: %v, want 409 captionExists", err)
	}
	tracks := s.Captions(vid)
	if len(tracks) != 1 || string(tracks[0].Content) != srt || tracks[0].Language != "az" || tracks[0].IsDraft {
		t.Errorf("tracks = %+v, want one az track with the SRT", tracks)
	}
}

func TestQuotaExceeded(t *testing.T) {
	s, svc := newService(t, youtubetest.WithQuota(100, 1))
	s.SetQuotaUsed(99, 0)
	if _, err := svc.Channels.List([]string{"snippet"}).Mine(true).Do(); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Channels.List([]string{"snippet"}).Mine(true).Do()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) || gerr.Code != 403 || len(gerr.Errors) == 0 || gerr.Errors[0].Reason != "quotaExceeded" {
		t.Fatalf("call past the limit: %v, want 403 quotaExceeded", err)
	}
	if _, err := uploadVideo(t, svc, []byte("small")); err != nil {
		t.Fatal(err)
	}
	_, err = uploadVideo(t, svc, []byte("small"))
	if !errors.As(err, &gerr) || gerr.Code != 429 || !strings.Contains(gerr.Message, "Video Uploads per day") {
		t.Fatalf("second upload: %v, want 429 naming Video Uploads per day", err)
	}
}

func TestPlaylistItemNotFoundAfterAdd(t *testing.T) {
	s, svc := newService(t)
	vid := s.AddVideo(&youtube.Video{Snippet: &youtube.VideoSnippet{Title: "Lesson"}}, []byte("video"))
	p, err := svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: "Course"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	s.Fail(youtubetest.Fault{Method: "playlistItems.insert", Kind: youtubetest.NotFoundAfterAdd})
	item := &youtube.PlaylistItem{Snippet: &youtube.PlaylistItemSnippet{
		PlaylistId: p.Id, ResourceId: &youtube.ResourceId{Kind: "youtube#video", VideoId: vid},
	}}
	_, err = svc.PlaylistItems.Insert([]string{"snippet"}, item).Do()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) || gerr.Code != http.StatusNotFound || gerr.Errors[0].Reason != "videoNotFound" {
		t.Fatalf("insert: %v, want 404 videoNotFound", err)
	}
	list, err := svc.PlaylistItems.List([]string{"snippet"}).PlaylistId(p.Id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Snippet.ResourceId.VideoId != vid {
		t.Errorf("playlist has %d items, want exactly the one added despite the 404", len(list.Items))
	}
}

func TestQuotaResetsAtMidnightPacific(t *testing.T) {
	pt, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	now := time.Date(2026, 11, 29, 23, 59, 0, 0, pt)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s, svc := newService(t, youtubetest.WithClock(clock))
	if _, err := svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: "Course"}}).Do(); err != nil {
		t.Fatal(err)
	}
	if units, _ := s.QuotaUsed(); units != 50 {
		t.Fatalf("quota used %d, want 50", units)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute) // 00:01 Pacific: a new day
	mu.Unlock()
	if units, uploads := s.QuotaUsed(); units != 0 || uploads != 0 {
		t.Errorf("after midnight Pacific: %d units, %d uploads; want 0 and 0", units, uploads)
	}
}
