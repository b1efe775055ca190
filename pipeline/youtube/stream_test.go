package youtube_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// syncBuffer is a log that the upload and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newStreamClient is newServerClient with the client's log kept.
func newStreamClient(t *testing.T, opts ...youtubetest.Option) (*youtubetest.Server, *youtube.Client, youtube.Config, *syncBuffer) {
	t.Helper()
	srv := youtubetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	cfg := newConfig(t, srv, true)
	log := &syncBuffer{}
	cfg.Log = func(m *captions.Text) { fmt.Fprintln(log, m) }
	c, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, cfg, log
}

func content(n int, seed uint64) ([]byte, string) {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 11))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

// writer writes data into a growing file in small pieces. Before finishing
// (or failing at failAt) it waits until the server has received some of
// the file, so a test passes only if the upload starts before the file is
// complete. hook, when set, runs before each piece with its offset.
type writer struct {
	srv    *youtubetest.Server
	data   []byte
	piece  int
	failAt int // -1: finish
	hook   func(g *youtubetest.GrowingFile, off int)
	// early is set when the server had bytes of the file before it was
	// complete.
	early *atomic.Bool
}

func (w writer) start(t *testing.T, ctx context.Context, path string) *youtubetest.GrowingFile {
	t.Helper()
	g, err := youtubetest.NewGrowingFile(path)
	if err != nil {
		t.Fatal(err)
	}
	base := w.srv.UploadedBytes()
	go func() {
		for off := 0; off < len(w.data); off += w.piece {
			if w.failAt >= 0 && off >= w.failAt {
				waitSent(ctx, w.srv, base)
				g.Fail(errors.New("ffmpeg failed: exit status 1"))
				return
			}
			if w.hook != nil {
				w.hook(g, off)
			}
			if _, err := g.Write(w.data[off:min(off+w.piece, len(w.data))]); err != nil {
				g.Fail(err)
				return
			}
			if ctx.Err() != nil {
				g.Fail(ctx.Err())
				return
			}
			time.Sleep(time.Millisecond)
		}
		if waitSent(ctx, w.srv, base) && w.early != nil {
			w.early.Store(true)
		}
		g.Finish()
	}()
	return g
}

// waitSent waits (up to 10 s) until the server received more than base
// bytes, and says whether it did.
func waitSent(ctx context.Context, srv *youtubetest.Server, base int64) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(time.Millisecond) {
		if srv.UploadedBytes() > base {
			return true
		}
	}
	return false
}

func sessionFiles(t *testing.T, cfg youtube.Config) []os.DirEntry {
	entries, _ := os.ReadDir(filepath.Join(cfg.StateDir, "uploads"))
	return entries
}

func TestUploadGrowingWhileWritten(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults []youtubetest.Fault
		opts   []youtubetest.Option
	}{
		{name: "clean"},
		{name: "connection resets mid-stream", faults: []youtubetest.Fault{
			{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: testChunk + 1000},
			{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: 3*testChunk + 5},
			{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: 6*testChunk + 50},
		}},
		{name: "resets, whole blocks kept", opts: []youtubetest.Option{youtubetest.WithUploadGranularity(256 << 10)}, faults: []youtubetest.Fault{
			{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: testChunk + 1000},
			{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: 5*testChunk + 5},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c, cfg, _ := newStreamClient(t, tc.opts...)
			data, sum := content(6*testChunk+12345, 1)
			for _, f := range tc.faults {
				srv.Fail(f)
			}
			var early atomic.Bool
			g := writer{srv: srv, data: data, piece: 64 << 10, failAt: -1, early: &early}.start(t, context.Background(), filepath.Join(t.TempDir(), "lesson.mp4"))
			var last youtube.Progress
			var saved []string
			v, err := c.UploadGrowing(context.Background(), g, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{
				Key: "c/l1", ChunkSize: testChunk, Progress: func(p youtube.Progress) { last = p },
				Saved: func(id string) error { saved = append(saved, id); return nil },
			})
			if err != nil {
				t.Fatal(err)
			}
			assertOneVideo(t, srv, v.Id, sum)
			if len(saved) != 1 || saved[0] != v.Id {
				t.Errorf("Saved got %q, want the new video %s once: the core records the id through it", saved, v.Id)
			}
			if !early.Load() {
				t.Error("nothing was sent before the file was complete")
			}
			if n := len(srv.PendingFaults()); n != 0 {
				t.Errorf("%d resets never happened", n)
			}
			if last.Sent != int64(len(data)) || last.Total != int64(len(data)) {
				t.Errorf("last progress %+v, want all %d bytes", last, len(data))
			}
			if e := sessionFiles(t, cfg); len(e) != 0 {
				t.Errorf("the finished session is still saved: %v", e)
			}
		})
	}
}

func TestUploadGrowingWriterFails(t *testing.T) {
	srv, c, cfg, _ := newStreamClient(t)
	data, _ := content(6*testChunk, 2)
	g := writer{srv: srv, data: data, piece: 64 << 10, failAt: 4 * testChunk}.start(t, context.Background(), filepath.Join(t.TempDir(), "lesson.mp4"))
	_, err := c.UploadGrowing(context.Background(), g, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if !errors.Is(err, youtube.ErrUploadAbandoned) || !strings.Contains(err.Error(), "ffmpeg failed") {
		t.Fatalf("got %v, want ErrUploadAbandoned with the writer's error", err)
	}
	if n := len(srv.Videos()); n != 0 {
		t.Errorf("the channel has %d videos, want none", n)
	}
	if ss := srv.UploadSessions(); len(ss) != 1 || ss[0].Stored == 0 {
		t.Errorf("upload sessions %+v, want one left unfinished with some bytes", ss)
	}
	if e := sessionFiles(t, cfg); len(e) != 0 {
		t.Errorf("the abandoned session is still saved: %v", e)
	}
}

// interruptedRun is a first run stopped (Ctrl-C, or the process killed)
// after YouTube has at least half of data; it returns the new client of a
// second process.
func interruptedRun(t *testing.T, srv *youtubetest.Server, c *youtube.Client, cfg youtube.Config, data []byte) *youtube.Client {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := writer{srv: srv, data: data, piece: 64 << 10, failAt: -1}.start(t, ctx, filepath.Join(t.TempDir(), "run1.mp4"))
	opts := youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk, Progress: func(p youtube.Progress) {
		if p.Sent >= int64(len(data))/2 {
			cancel()
		}
	}}
	if _, err := c.UploadGrowing(ctx, g, youtube.NewVideo(*lessonVideo("c/l1")), opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: got %v, want context.Canceled", err)
	}
	<-g.Done()
	if len(srv.Videos()) != 0 {
		t.Fatal("a video exists after the interrupted run")
	}
	if e := sessionFiles(t, cfg); len(e) != 1 {
		t.Fatalf("saved sessions after the interrupted run: %v, want 1", e)
	}
	c2, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c2
}

func TestUploadGrowingContinuesAReproducibleRender(t *testing.T) {
	srv, c, cfg, log := newStreamClient(t)
	data, sum := content(16*testChunk+777, 3)
	c2 := interruptedRun(t, srv, c, cfg, data)
	first := srv.UploadedBytes()

	// The second run renders the same bytes again, to a new file.
	g := writer{srv: srv, data: data, piece: 64 << 10, failAt: -1}.start(t, context.Background(), filepath.Join(t.TempDir(), "run2.mp4"))
	v, err := c2.UploadGrowing(context.Background(), g, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
	if !strings.Contains(log.String(), "continued the upload of run2.mp4: the new render matches the") {
		t.Errorf("log does not say the upload continued:\n%s", log)
	}
	if srv.Calls("videos.insert") != 1 {
		t.Errorf("videos.insert calls: got %d, want 1 (the session continued)", srv.Calls("videos.insert"))
	}
	if second := srv.UploadedBytes() - first; second > int64(len(data))/2+2*testChunk {
		t.Errorf("the second run sent %d of %d bytes, want at most half plus two chunks", second, len(data))
	}
}

func TestUploadGrowingRestartsWhenTheRenderDiffers(t *testing.T) {
	srv, c, cfg, log := newStreamClient(t)
	data, _ := content(16*testChunk+777, 4)
	c2 := interruptedRun(t, srv, c, cfg, data)

	// Other settings: the second render differs from its first byte.
	other, sum := content(15*testChunk+5, 5)
	g := writer{srv: srv, data: other, piece: 64 << 10, failAt: -1}.start(t, context.Background(), filepath.Join(t.TempDir(), "run2.mp4"))
	v, err := c2.UploadGrowing(context.Background(), g, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, sum)
	if !strings.Contains(log.String(), "started the upload of run2.mp4 again: the render differs from the") {
		t.Errorf("log does not say the upload started again:\n%s", log)
	}
	if srv.Calls("videos.insert") != 2 {
		t.Errorf("videos.insert calls: got %d, want 2 (a new session)", srv.Calls("videos.insert"))
	}
	if ss := srv.UploadSessions(); len(ss) != 1 {
		t.Errorf("unfinished sessions %+v, want the first run's, never completed", ss)
	}
}

func TestUploadGrowingFileChangedBehindTheUpload(t *testing.T) {
	srv, c, _, log := newStreamClient(t)
	data, _ := content(6*testChunk+99, 6)
	final := bytes.Clone(data)
	final[10] ^= 0xff
	finalSum := sha256.Sum256(final)
	w := writer{srv: srv, data: data, piece: 64 << 10, failAt: -1}
	base := srv.UploadedBytes()
	w.hook = func(g *youtubetest.GrowingFile, off int) {
		if off == len(data)/64/1024*64*1024 { // the last piece: rewrite the header, as a faststart mux would
			waitSent(context.Background(), srv, base)
			g.WriteAt(final[10:11], 10)
		}
	}
	g := w.start(t, context.Background(), filepath.Join(t.TempDir(), "lesson.mp4"))
	v, err := c.UploadGrowing(context.Background(), g, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if err != nil {
		t.Fatal(err)
	}
	assertOneVideo(t, srv, v.Id, hex.EncodeToString(finalSum[:]))
	if !strings.Contains(log.String(), "changed after they were sent") {
		t.Errorf("log does not say why the upload started again:\n%s", log)
	}
}

func TestUploadGrowingWriterFailsBeforeAnyByte(t *testing.T) {
	srv, c, _, _ := newStreamClient(t)
	g, err := youtubetest.NewGrowingFile(filepath.Join(t.TempDir(), "lesson.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond) // measuring the loudness
		g.Fail(errors.New("ffmpeg failed: exit status 1"))
	}()
	_, err = c.UploadGrowing(context.Background(), g, youtube.NewVideo(*lessonVideo("c/l1")), youtube.UploadOptions{Key: "c/l1", ChunkSize: testChunk})
	if !errors.Is(err, youtube.ErrUploadAbandoned) {
		t.Fatalf("got %v, want ErrUploadAbandoned", err)
	}
	if n := srv.Calls("videos.insert"); n != 0 {
		t.Errorf("videos.insert calls: %d, want none before the first byte", n)
	}
}
