package youtube

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
)

// GrowingFile is a file another process is still writing, such as a render
// in progress. The writer only appends to it, and its name stays valid
// until UploadGrowing returns.
type GrowingFile interface {
	// Name is the file's path.
	Name() string
	// Size is how many bytes are written so far.
	Size() (int64, error)
	// Done is closed when the writer has stopped; Size is then final.
	Done() <-chan struct{}
	// Err, once Done is closed, is why the writer failed; nil when the
	// file is complete.
	Err() error
}

// StreamChunk is the most bytes UploadGrowing sends per request by
// default: a multiple of ChunkAlign. A request takes what is written and
// not yet sent, in whole ChunkAlign blocks up to the limit, so the upload
// does not wait for a whole StreamChunk to be written before it starts.
const StreamChunk = 8 << 20

// ErrUploadAbandoned means the file's writer failed (the render stopped),
// so the upload was given up without sending its last chunk: YouTube made
// no video, and drops the unfinished session by itself.
var ErrUploadAbandoned = captions.Errorf("the upload was abandoned and no video was made")

// errRenderDiffers means the file no longer matches bytes already sent, so
// the session cannot be completed with it.
var errRenderDiffers = errors.New("the file differs from the bytes already sent") // untranslated: handled by Upload, never shown

// growPoll is how often a growing file's size is looked at.
const growPoll = 100 * time.Millisecond

// chunkSum is the SHA-256 of bytes [Offset, Offset+Length) of a file, as
// they were sent.
type chunkSum struct {
	Offset int64  `json:"offset"`
	Length int64  `json:"length"`
	SHA256 string `json:"sha256"`
}

// UploadGrowing uploads a video file while its writer is still writing it,
// with the resource v, and returns the video YouTube made. Each request
// sends what is written and not yet sent, in whole ChunkAlign blocks and at
// most opts.ChunkSize (StreamChunk by default), with an unknown total
// ("bytes A-B/*"); the last one, once src is done, states the total. Memory use does not depend on the file's size.
//
// Interruptions are handled as by Upload: a dropped connection continues
// from what YouTube kept. The session is saved under opts.Key with the
// SHA-256 of every chunk, taken before it is sent. A later run with the
// same key (after a crash or Ctrl-C) checks that the new file has the same
// bytes as those YouTube already has: when it has (a reproducible render),
// the session continues ("continued the upload ..." in the log); when not,
// it is left unfinished and a new one starts ("started the upload ...
// again"). Before the last chunk every chunk sent is checked against the
// finished file, so a file that changed behind the upload is sent again
// whole rather than completed wrong.
//
// When src fails, the last chunk is never sent: the session is dropped and
// the error wraps ErrUploadAbandoned and src's error. When ctx is cancelled
// the session is kept for the next run.
func (c *Client) UploadGrowing(ctx context.Context, src GrowingFile, v *yt.Video, opts UploadOptions) (*yt.Video, error) {
	chunk := int64(StreamChunk)
	if opts.ChunkSize > 0 {
		chunk = (opts.ChunkSize + ChunkAlign - 1) / ChunkAlign * ChunkAlign
	}
	abs, err := filepath.Abs(src.Name())
	if err != nil {
		abs = src.Name()
	}
	u := &upload{
		c: c, v: v, file: abs, total: -1, chunk: chunk, ctype: opts.contentType(abs), key: opts.Key,
		sessPath: c.growingSessionPath(opts.Key, abs),
		progress: opts.Progress, saved: opts.Saved, start: time.Now(),
	}
	u.grow = &growing{u: u, src: src, verifyTo: -1, notice: opts.Notice}
	// No session before the first bytes: a render that fails in its
	// checks or its loudness measurement costs no upload call.
	if err := u.grow.started(ctx); err != nil {
		return nil, err
	}
	return u.run(ctx)
}

// started waits until the file has its first bytes or its writer stopped.
func (g *growing) started(ctx context.Context) error {
	t := time.NewTicker(growPoll)
	defer t.Stop()
	for {
		select {
		case <-g.src.Done():
			if err := g.src.Err(); err != nil {
				return fmt.Errorf("%w: %w", ErrUploadAbandoned, err)
			}
			return nil
		default:
		}
		if n, err := g.src.Size(); err != nil || n > 0 {
			return nil // a failing Size is reported by next
		}
		if err := waitGrow(ctx, g.src, t); err != nil {
			return err
		}
	}
}

// growingSessionPath names the saved session of a growing file: by key, as
// every run renders to a new file; by the file when there is no key.
func (c *Client) growingSessionPath(key, abs string) string {
	id := "growing\x00key\x00" + key
	if key == "" {
		id = "growing\x00file\x00" + abs
	}
	h := sha256.Sum256([]byte(id))
	return filepath.Join(c.cfg.StateDir, "uploads", hex.EncodeToString(h[:12])+".json")
}

// growing is the part of an upload that follows a growing file.
type growing struct {
	u   *upload
	src GrowingFile

	prior    []chunkSum // hashes of an earlier run's session, to check
	verifyTo int64      // bytes YouTube has of that session; -1 once checked
	final    bool       // the finished file was checked against every chunk sent
	restarts int
	notice   func(*captions.Text) // UploadOptions.Notice
}

// say tells people what happened to the upload: through notice when set
// (msg), else in the client's log (with the file's name, logMsg).
func (g *growing) say(msg, logMsg *captions.Text) {
	if g.notice != nil {
		g.notice(msg)
		return
	}
	g.u.c.cfg.log(logMsg)
}

// resume takes the chunk hashes of a saved session; run sets verifyTo once
// YouTube has said how much it has.
func (g *growing) resume(prior []chunkSum) { g.prior = prior }

// restart forgets the chunks of an abandoned session.
func (g *growing) restart() {
	g.prior, g.verifyTo, g.final = nil, -1, false
	g.u.sess.Chunks = nil
}

// next waits until the chunk at offset can be sent, records its hash in the
// session and returns its length. A chunk is sent with an unknown total only
// when at least one byte follows it, so the last request always carries
// bytes and the total.
func (g *growing) next(ctx context.Context, offset int64) (int64, error) {
	u := g.u
	t := time.NewTicker(growPoll)
	defer t.Stop()
	for {
		done := false
		select {
		case <-g.src.Done():
			done = true
		default:
		}
		size, err := g.src.Size()
		if err != nil {
			return 0, captions.Errorf("%w: reading %s: %w", ErrUploadAbandoned, u.file, err)
		}
		if done {
			if err := g.src.Err(); err != nil {
				return 0, fmt.Errorf("%w: %w", ErrUploadAbandoned, err)
			}
			if size == 0 {
				return 0, captions.Errorf("%w: %s is empty", ErrUploadAbandoned, u.file)
			}
		}
		if g.verifyTo >= 0 {
			if size < g.verifyEnd() && !done {
				if err := waitGrow(ctx, g.src, t); err != nil {
					return 0, err
				}
				continue
			}
			if err := g.verifyPrior(size); err != nil {
				return 0, err
			}
		}
		switch {
		case done:
			u.total = size
			if offset >= size {
				return 0, g.differs(captions.Textf("the finished file is shorter than what YouTube has"))
			}
			if !g.final {
				if err := g.checkSent(); err != nil {
					return 0, err
				}
				g.final = true
			}
			n := min(u.chunk, size-offset)
			return n, g.record(offset, n)
		case size-offset > ChunkAlign:
			// Whole blocks, and at least one byte after them.
			n := min(u.chunk, (size-offset-1)/ChunkAlign*ChunkAlign)
			return n, g.record(offset, n)
		}
		if err := waitGrow(ctx, g.src, t); err != nil {
			return 0, err
		}
	}
}

func waitGrow(ctx context.Context, src GrowingFile, t *time.Ticker) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-src.Done():
	case <-t.C:
	}
	return nil
}

// verifyEnd is how far the new file must have grown to check the earlier
// run's chunks that YouTube has.
func (g *growing) verifyEnd() int64 {
	var end int64
	for _, c := range g.prior {
		if c.Offset < g.verifyTo {
			end = max(end, c.Offset+c.Length)
		}
	}
	return end
}

// verifyPrior checks the new file against the chunks of the earlier run
// that YouTube has: the session continues when they match.
func (g *growing) verifyPrior(size int64) error {
	u := g.u
	have := g.verifyTo
	prior := slices.Clone(g.prior)
	g.prior, g.verifyTo = nil, -1
	slices.SortFunc(prior, func(a, b chunkSum) int { return int(min(max(a.Offset-b.Offset, -1), 1)) })
	var keep []chunkSum
	var covered int64
	for _, c := range prior {
		if c.Offset >= have {
			continue // sent but not kept: sent again
		}
		if c.Offset > covered {
			break
		}
		covered = max(covered, c.Offset+c.Length)
		keep = append(keep, c)
	}
	if covered < have {
		return g.differs(captions.Textf("the saved session has no hash of some of the %s YouTube has", formatBytes(have)))
	}
	for _, c := range keep {
		if c.Offset+c.Length > size {
			return g.differs(captions.Textf("the new render is shorter than the %s sent before", formatBytes(have)))
		}
		sum, err := hashRange(u.file, c.Offset, c.Length)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUploadAbandoned, err)
		}
		if sum != c.SHA256 {
			return g.differs(captions.Textf("the render differs from the %s sent before (at byte %d)", formatBytes(have), c.Offset))
		}
	}
	u.sess.Chunks = keep
	if err := u.saveSession(); err != nil {
		u.c.cfg.log(captions.Textf("warning: could not save the upload session: %v", err))
	}
	g.say(captions.Textf("continued the upload: the new render matches the %s already sent", formatBytes(have)),
		captions.Textf("continued the upload of %s: the new render matches the %s already sent", filepath.Base(u.file), formatBytes(have)))
	return nil
}

// checkSent checks every chunk sent against the finished file.
func (g *growing) checkSent() error {
	u := g.u
	for _, c := range u.sess.Chunks {
		if c.Offset+c.Length > u.total {
			return g.differs(captions.Textf("the finished file is shorter than what was sent"))
		}
		sum, err := hashRange(u.file, c.Offset, c.Length)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUploadAbandoned, err)
		}
		if sum != c.SHA256 {
			return g.differs(captions.Textf("bytes from %d changed after they were sent", c.Offset))
		}
	}
	return nil
}

// differs logs why the session is given up and returns errRenderDiffers,
// on which run starts a new session; after a few it abandons the upload.
func (g *growing) differs(why *captions.Text) error {
	u := g.u
	if g.restarts++; g.restarts > 3 {
		return captions.Errorf("%w: %s keeps changing while it is uploaded (%s)", ErrUploadAbandoned, u.file, why)
	}
	g.say(captions.Textf("started the upload again: %s", why), captions.Textf("started the upload of %s again: %s", filepath.Base(u.file), why))
	return errRenderDiffers
}

// record hashes bytes [offset, offset+n) and saves the hash in the session
// before they are sent.
func (g *growing) record(offset, n int64) error {
	u := g.u
	for _, c := range u.sess.Chunks {
		if c.Offset == offset && c.Length == n {
			return nil // sent again after an interruption
		}
	}
	sum, err := hashRange(u.file, offset, n)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUploadAbandoned, err)
	}
	u.sess.Chunks = append(u.sess.Chunks, chunkSum{Offset: offset, Length: n, SHA256: sum})
	if err := u.saveSession(); err != nil {
		u.c.cfg.log(captions.Textf("warning: could not save the upload session (a later run will start this upload over): %v", err))
	}
	return nil
}

// hashRange returns the hex SHA-256 of bytes [offset, offset+n) of a file.
func hashRange(path string, offset, n int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", captions.Errorf("reading the video to upload: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	got, err := io.Copy(h, io.NewSectionReader(f, offset, n))
	if err != nil {
		return "", captions.Errorf("reading the video to upload: %w", err)
	}
	if got != n {
		return "", captions.Errorf("reading the video to upload: %s ends at byte %d, before %d", path, offset+got, offset+n)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// formatBytes is a size for people, in MiB from 1 MiB.
func formatBytes(n int64) *captions.Text {
	switch {
	case n >= 1<<20:
		return captions.Textf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return captions.Textf("%.0f KiB", float64(n)/(1<<10))
	}
	return captions.Textf("%d bytes", n)
}
