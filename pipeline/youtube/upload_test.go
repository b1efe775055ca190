package youtube_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

const testChunk = youtube.ChunkAlign // small chunks: many requests on small files

func lessonVideo(key string) *youtube.Metadata {
	return &youtube.Metadata{Title: "Tools and beads", Description: "Lesson 1", Key: key, Language: "az", AudioLanguage: "az"}
}

// assertOneVideo checks the channel has exactly one video, with the file's bytes.
func assertOneVideo(t *testing.T, srv *youtubetest.Server, id, sum string) {
	t.Helper()
	vs := srv.Videos()
	if len(vs) != 1 {
		t.Fatalf("the channel has %d videos, want 1", len(vs))
	}
	if vs[0].ID != id {
		t.Errorf("video id: got %s, want %s", id, vs[0].ID)
	}
	if vs[0].SHA256 != sum {
		t.Errorf("uploaded content differs: sha256 %s, want %s", vs[0].SHA256, sum)
	}
}

func TestUploadSurvives20Cuts(t *testing.T) {
	srv, c, cfg := newServerClient(t)
	const size = 5*testChunk + 12345
	path, sum := writeFile(t, size)
	r := rand.New(rand.NewPCG(1, 2))
	var cuts []int64
	for len(cuts) < 20 {
		if off := r.Int64N(size-1) + 1; !slices.Contains(cuts, off) {
			cuts = append(cuts, off)
		}
	}
	slices.Sort(cuts)
	for _, off := range cuts {
		srv.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: off})
	}
	var last youtube.Progress
	v, err := c.Upload(context.Background(), path, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{
		Key: "c/l1", ChunkSize: testChunk, Progress: func(p youtube.Progress) { last = p },
	})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
	if n := len(srv.PendingFaults()); n != 0 {
		t.Errorf("%d cuts never happened", n)
	}
	if last.Sent != size || last.Total != size {
		t.Errorf("last progress %+v, want all %d bytes", last, size)
	}
	if entries, _ := os.ReadDir(filepath.Join(cfg.StateDir, "uploads")); len(entries) != 0 {
		t.Errorf("the finished session is still saved: %v", entries)
	}
}

func TestUploadContinuesInALaterRun(t *testing.T) {
	srv, c, cfg := newServerClient(t)
	const size = 16 * testChunk
	path, sum := writeFile(t, size)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk}
	var stoppedAt int64
	opts.Progress = func(p youtube.Progress) {
		if p.Sent >= size*3/4 && stoppedAt == 0 {
			stoppedAt = p.Sent
			cancel() // Ctrl-C, or the process killed
		}
	}
	video := youtube.NewVideo(*lessonVideo("c/l1"))
	if _, err := c.Upload(ctx, path, video, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: got %v, want context.Canceled", err)
	}
	if len(srv.Videos()) != 0 {
		t.Fatal("a video exists after the interrupted run")
	}
	firstBytes := srv.UploadedBytes()

	// A new process: a new client from the same files; the first question
	// to YouTube fails, and is asked again.
	mustFail(t, srv, "upload unavailable 1")
	c2, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var last youtube.Progress
	opts.Progress = func(p youtube.Progress) { last = p }
	v, err := c2.Upload(context.Background(), path, video, opts)
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
	second := srv.UploadedBytes() - firstBytes
	if second > size/4+2*testChunk || last.Transferred != second {
		t.Errorf("the second run sent %d bytes (client counted %d) of %d: want at most the last quarter plus a chunk", second, last.Transferred, size)
	}
	if srv.Calls("videos.insert") != 1 {
		t.Errorf("videos.insert calls: got %d, want 1 (the session continued)", srv.Calls("videos.insert"))
	}
}

func TestUploadSessionLostStartsOver(t *testing.T) {
	srv, c, _ := newServerClient(t)
	const size = 4*testChunk + 99
	path, sum := writeFile(t, size)
	mustFail(t, srv, fmt.Sprintf("upload reset 1 offset=%d", 2*testChunk+5), "upload session-lost")
	v, err := c.Upload(context.Background(), path, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
	if srv.Calls("videos.insert") != 2 {
		t.Errorf("videos.insert calls: got %d, want 2 (a new session)", srv.Calls("videos.insert"))
	}
}

func TestUploadFinishedButAnswerLost(t *testing.T) {
	srv, c, _ := newServerClient(t)
	requireUploadsPlaylist(t, c)
	const size = 4 * testChunk
	path, _ := writeFile(t, size)
	ctx, cancel := context.WithCancel(context.Background())
	opts := youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk, Progress: func(p youtube.Progress) {
		if p.Sent > size/2 {
			cancel()
		}
	}}
	video := youtube.NewVideo(*lessonVideo("c/l1"))
	if _, err := c.Upload(ctx, path, video, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: got %v, want context.Canceled", err)
	}
	// Meanwhile the upload finished (its answer lost) and YouTube forgot
	// the session: the video is found by its key, not uploaded again.
	id := srv.AddVideo(video, []byte("the lesson"))
	mustFail(t, srv, "upload session-lost")
	opts.Progress = nil
	v, err := c.Upload(context.Background(), path, video, opts)
	if err != nil {
		t.Fatal(err)
	}
	if v.Id != id || len(srv.Videos()) != 1 {
		t.Errorf("got video %s and %d videos on the channel, want only %s", v.Id, len(srv.Videos()), id)
	}
}

// requireUploadsPlaylist fails unless the fake serves the channel's uploads
// playlist, which finding a video by its key needs (it once skipped, which
// could only hide a regression of the fake).
func requireUploadsPlaylist(t *testing.T, c *youtube.Client) {
	t.Helper()
	ch, err := c.Channel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PlaylistItems(context.Background(), ch.ContentDetails.RelatedPlaylists.Uploads); err != nil {
		t.Fatalf("youtubetest must serve the channel's uploads playlist: %v", err)
	}
}

func TestUploadInitiationRetried(t *testing.T) {
	srv, c, _ := newServerClient(t)
	path, sum := writeFile(t, 1000)
	mustFail(t, srv, "videos.insert unavailable 2")
	v, err := c.Upload(context.Background(), path, youtube.NewVideo(*lessonVideo("k")), youtube.UploadOptions{Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
}

func TestUploadInOneRequestSurvivesCuts(t *testing.T) {
	srv, c, _ := newServerClient(t)
	const size = 3*testChunk + 321
	path, sum := writeFile(t, size)
	for _, off := range []int64{1, testChunk - 1, testChunk + 17, 2 * testChunk, size - 1} {
		srv.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: off})
	}
	var last youtube.Progress
	v, err := c.Upload(context.Background(), path, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{
		Key: "c/l1", Progress: func(p youtube.Progress) { last = p },
	})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
	if n := len(srv.PendingFaults()); n != 0 {
		t.Errorf("%d cuts never happened", n)
	}
	// Bytes in socket buffers when a connection broke count as sent too.
	if last.Transferred < srv.UploadedBytes() || last.Sent != size {
		t.Errorf("progress %+v; the server received %d bytes", last, srv.UploadedBytes())
	}
}

func TestUploadLastAnswerLost(t *testing.T) {
	for _, lost := range []string{"", "upload session-lost"} {
		t.Run(map[string]string{"": "status query", "upload session-lost": "session lost"}[lost], func(t *testing.T) {
			srv, c, _ := newServerClient(t)
			path, sum := writeFile(t, 2*testChunk+7)
			// The upload completes but its answer is lost; YouTube then
			// answers the status query with the video, or (session lost)
			// the video is found on the channel by its key.
			mustFail(t, srv, "upload lost-response")
			if lost != "" {
				mustFail(t, srv, lost)
			}
			v, err := c.Upload(context.Background(), path, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1"})
			if err != nil {
				t.Fatal(err)
			}
			assertOneVideo(t, srv, v.Id, sum)
			if looked := srv.Calls("channels.list") > 0; looked != (lost != "") {
				t.Errorf("looked for the video by key: %v, want %v", looked, lost != "")
			}
		})
	}
}

// A saved session is the lesson's, whatever file a later run renders to:
// the same bytes at another path continue it; other bytes abandon it (it
// is never completed, so it never becomes a second video).
func TestUploadSessionByKeyAndContent(t *testing.T) {
	for _, same := range []bool{true, false} {
		srv, c, _ := newServerClient(t)
		const size = 8 * testChunk
		path, sum := writeFile(t, size)
		ctx, cancel := context.WithCancel(context.Background())
		opts := youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk, Progress: func(p youtube.Progress) {
			if p.Sent >= size/2 {
				cancel()
			}
		}}
		video := youtube.NewVideo(*lessonVideo("c/l1"))
		if _, err := c.Upload(ctx, path, video, opts); !errors.Is(err, context.Canceled) {
			t.Fatalf("first run: got %v, want context.Canceled", err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !same {
			data[size-1] ^= 0xFF
		}
		again := filepath.Join(t.TempDir(), "another-render.mp4")
		if err := os.WriteFile(again, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if !same {
			h := sha256.Sum256(data)
			sum = hex.EncodeToString(h[:])
		}
		var savedID string
		opts.Progress = nil
		opts.Saved = func(id string) error { savedID = id; return nil }
		v, err := c.Upload(context.Background(), again, video, opts)
		if err != nil {
			t.Fatal(err)
		}
		assertOneVideo(t, srv, v.Id, sum)
		if savedID != v.Id {
			t.Errorf("Saved got %q, want %q", savedID, v.Id)
		}
		want := 1
		if !same {
			want = 2
		}
		if got := srv.Calls("videos.insert"); got != want {
			t.Errorf("same bytes %v: videos.insert called %d times, want %d", same, got, want)
		}
	}
}
