package youtube

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/googleapi"
	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// ChunkAlign is the unit upload chunks are a multiple of.
const ChunkAlign = 256 << 10

// UploadOptions control one video upload.
type UploadOptions struct {
	// Key is the lesson's stable key. It names the saved upload session, so
	// a later run continues it, and finds the video on YouTube when the
	// answer to a finished upload was lost (see WithKey).
	Key string
	// ContentType is the file's type; from the file name when "".
	ContentType string
	// ChunkSize is the bytes sent per request, rounded up to a multiple of
	// ChunkAlign. 0 (the default, as Google recommends) sends the rest of
	// the file in one request, handed to the kernel with sendfile; set it
	// only behind a proxy that limits request sizes. Either way an
	// interrupted request continues from what YouTube received, and memory
	// use does not depend on it.
	ChunkSize int64
	// Progress is called as bytes go out (at most a few times a second) and
	// once at the end.
	Progress func(Progress)
	// Saved, when not nil, is called with the new video's id the moment
	// YouTube gives it, before any other call; it makes the id durable (the
	// publishing core writes it into its record). The saved session is
	// kept until Saved returns nil, so a crash or a failing Saved leaves
	// the id for a later run to recover (RecoverUpload); Saved's error is
	// returned.
	Saved func(videoID string) error
	// Notice, when not nil, receives instead of the log what people should
	// know about a growing upload: that it continued an earlier run's
	// session, or started again (UploadGrowing), kept as its English format
	// for the caller to translate.
	Notice func(*captions.Text)
}

// contentType is the upload's Content-Type: ContentType, else a video type
// from path's extension, else application/octet-stream.
func (opts UploadOptions) contentType(path string) string {
	if opts.ContentType != "" {
		return opts.ContentType
	}
	if ctype := mime.TypeByExtension(filepath.Ext(path)); strings.HasPrefix(ctype, "video/") {
		return ctype
	}
	return "application/octet-stream"
}

// Progress of an upload.
type Progress struct {
	Sent  int64 // bytes of the file YouTube has or is receiving
	Total int64 // the file's size; 0 while a growing file is being written
	// Transferred counts the bytes this Upload call put on the wire,
	// resends included; far below Total when it continued an earlier run.
	Transferred int64
	Rate        float64       // bytes per second in this call
	ETA         time.Duration // time left at Rate; -1 when not known yet
}

// session is an upload in progress, saved in the state folder so a later
// run continues it.
type session struct {
	URI  string `json:"uri"`
	Key  string `json:"key"`
	Path string `json:"path"`
	Size int64  `json:"size"` // -1 for a file that was still growing
	// SHA256 is the hash of the file being sent (a finished file only): a
	// later run continues the session only with the same bytes.
	SHA256  string    `json:"sha256,omitempty"`
	Started time.Time `json:"started"`
	// Chunks are the bytes sent from a growing file, hashed before they
	// went out, so that a later run can check a new render against what
	// YouTube already has (UploadGrowing).
	Chunks []chunkSum `json:"chunks,omitempty"`
}

// errSessionGone means YouTube no longer knows the upload session.
var errSessionGone = errors.New("upload session expired") // untranslated: handled where it is returned, never shown

// Upload uploads the video file at path with the resource v (see NewVideo)
// and returns the video YouTube made. It uses YouTube's resumable protocol
// and keeps the session in the state folder: after network errors, 5xx, 408
// or 429 it asks YouTube how much arrived and continues from there, and a
// later run (after a crash, Ctrl-C or reboot) continues the same upload. A
// session YouTube forgot starts over, unless the video is found on the
// channel by opts.Key. The file is streamed from disk.
func (c *Client) Upload(ctx context.Context, path string, v *yt.Video, opts UploadOptions) (*yt.Video, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, captions.Errorf("opening the video to upload: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, captions.Errorf("opening the video to upload: %w", err)
	}
	if fi.Size() == 0 {
		return nil, captions.Errorf("%s is empty: render the lesson again", path)
	}
	chunk := fi.Size()
	if opts.ChunkSize > 0 {
		chunk = (opts.ChunkSize + ChunkAlign - 1) / ChunkAlign * ChunkAlign
	}
	u := &upload{
		c: c, v: v, f: f, total: fi.Size(), chunk: chunk, ctype: opts.contentType(path), key: opts.Key,
		sessPath: c.sessionPath(opts.Key, path, fi),
		progress: opts.Progress, saved: opts.Saved, start: time.Now(),
	}
	abs, _ := filepath.Abs(path)
	u.file = abs
	return u.run(ctx)
}

// sessionPath names the saved session of a finished file: by the lesson's
// key, whatever file a run renders to (the session keeps the file's hash);
// by the file's path, size and time when there is no key.
func (c *Client) sessionPath(key, path string, fi fs.FileInfo) string {
	id := "file\x00key\x00" + key
	if key == "" {
		abs, _ := filepath.Abs(path)
		id = fmt.Sprintf("%s\x00%d\x00%d", abs, fi.Size(), fi.ModTime().UnixNano())
	}
	h := sha256.Sum256([]byte(id))
	return filepath.Join(c.cfg.StateDir, "uploads", hex.EncodeToString(h[:12])+".json")
}

// fileHash is the SHA-256 of the file being sent, read once.
func (u *upload) fileHash() string {
	if u.hash == "" {
		f, err := os.Open(u.file)
		if err != nil {
			return ""
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return ""
		}
		u.hash = hex.EncodeToString(h.Sum(nil))
	}
	return u.hash
}

// sameFile reports whether the saved session sends the bytes of u's file.
func (u *upload) sameFile() bool {
	if u.grow != nil {
		return true // checked chunk by chunk (growing.resume)
	}
	return u.sess.Size == u.total && u.sess.SHA256 != "" && u.sess.SHA256 == u.fileHash()
}

type upload struct {
	c        *Client
	v        *yt.Video
	f        *os.File
	file     string
	total    int64 // -1 while a growing file is being written
	chunk    int64
	grow     *growing // nil for a finished file
	ctype    string
	key      string
	sessPath string
	sess     session // as saved
	hash     string  // of the file (fileHash)
	saved    func(videoID string) error

	progress    func(Progress)
	start       time.Time
	mu          sync.Mutex
	transferred int64
	lastReport  time.Time
}

func (u *upload) run(ctx context.Context) (*yt.Video, error) {
	c := u.c
	uri, offset, known := "", int64(0), true
	resumed := false
	if s, ok := u.loadSession(); ok {
		uri, known, resumed = s.URI, false, true // ask YouTube how far it got
		if u.grow != nil {
			u.grow.resume(s.Chunks)
		}
	}
	failures, restarts := 0, 0
	for {
		var video *yt.Video
		var err error
		switch {
		case uri == "":
			if uri, err = u.initiate(ctx); err != nil {
				return nil, err
			}
			offset, known = 0, true
			continue
		case !known:
			var off int64
			off, video, err = u.query(ctx, uri)
			if err == nil && video == nil && resumed && !u.sameFile() {
				// Another render of the lesson: that session is never
				// completed, so it never becomes a video.
				c.cfg.log(captions.Textf("the saved upload of %s was of another render; starting it again", filepath.Base(u.file)))
				u.dropSession()
				uri, resumed = "", false
				continue
			}
			if err == nil && video == nil {
				if off > offset {
					failures = 0
				}
				if resumed {
					if u.grow != nil {
						u.grow.verifyTo = off // checked against the new render before going on
					} else {
						c.cfg.log(captions.Textf("continuing the upload of %s from %d%%", filepath.Base(u.file), off*100/u.total))
					}
					resumed = false
				}
				offset, known = off, true
				continue
			}
		default:
			u.report(offset, true)
			n := min(u.chunk, u.total-offset)
			if u.grow != nil {
				n, err = u.grow.next(ctx, offset)
				if err != nil {
					break
				}
			}
			var next int64
			next, video, err = u.send(ctx, uri, offset, n)
			if err == nil && video == nil {
				if next > offset {
					failures = 0
				}
				offset = next
				continue
			}
		}
		if err == nil { // finished
			if err := u.made(video); err != nil {
				return nil, err
			}
			u.report(u.total, true)
			return video, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, ErrUploadAbandoned) {
			u.dropSession()
			return nil, err
		}
		if errors.Is(err, errRenderDiffers) {
			u.dropSession() // never completed, YouTube drops it in a week
			uri = ""
			continue
		}
		if errors.Is(err, errSessionGone) {
			u.dropSession()
			if video, err := u.findLost(ctx); err != nil || video != nil {
				if err == nil {
					err = u.made(video)
				}
				return video, err
			}
			if restarts++; restarts > 3 {
				return nil, captions.Errorf("YouTube keeps forgetting the upload of %s: run the same command again later", u.file)
			}
			c.cfg.log(captions.Textf("YouTube forgot the upload of %s; starting it again", filepath.Base(u.file)))
			uri, resumed = "", false
			continue
		}
		switch classify(MethodUpload, err) {
		case limit:
			return nil, c.limitError(MethodUpload, err)
		case expired:
			c.tokens.expire(c.tokens.current().AccessToken)
		case retry:
		default:
			return nil, describe(MethodUpload, err)
		}
		failures++
		if failures >= c.retry.Attempts {
			return nil, captions.Errorf("uploading %s stopped after %d failed tries at %s (last: %w): check the internet connection and run the same command again; it continues where it stopped",
				filepath.Base(u.file), failures, u.howFar(offset), err)
		}
		c.cfg.log(captions.Textf("upload of %s interrupted (%v); continuing", filepath.Base(u.file), shortError(err)))
		if err := sleep(ctx, c.retry.wait(failures)); err != nil {
			return nil, err
		}
		known = false // ask YouTube where it is before sending more
	}
}

// initiate starts a resumable upload session and saves it.
func (u *upload) initiate(ctx context.Context) (string, error) {
	c := u.c
	body, err := json.Marshal(u.v)
	if err != nil {
		return "", err
	}
	url := c.endpoint + "upload/youtube/v3/videos?uploadType=resumable&part=snippet,status"
	var uri string
	err = c.call(ctx, MethodUpload, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		if u.total >= 0 {
			req.Header.Set("X-Upload-Content-Length", strconv.FormatInt(u.total, 10))
		}
		req.Header.Set("X-Upload-Content-Type", u.ctype)
		resp, err := c.http.Do(req)
		if err != nil {
			return err
		}
		defer drain(resp)
		if err := googleapi.CheckResponse(resp); err != nil {
			return err
		}
		uri = resp.Header.Get("Location")
		if uri == "" {
			return captions.Errorf("YouTube started the upload without giving its address (HTTP %d)", resp.StatusCode)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	u.sess = session{URI: uri, Key: u.key, Path: u.file, Size: u.total, Started: c.cfg.now()}
	if u.grow == nil {
		u.sess.SHA256 = u.fileHash()
	}
	if u.grow != nil {
		u.sess.Size = -1
		u.grow.restart()
	}
	if err := u.saveSession(); err != nil {
		c.cfg.log(captions.Textf("warning: could not save the upload session (a later run will start this upload over): %v", err))
	}
	return uri, nil
}

// saveSession writes u.sess to the state folder.
func (u *upload) saveSession() error {
	data, _ := json.MarshalIndent(u.sess, "", "  ")
	err := os.MkdirAll(filepath.Dir(u.sessPath), 0o700)
	if err == nil {
		err = atomicfile.WriteFile(u.sessPath, data, 0o600)
	}
	return err
}

func (u *upload) loadSession() (session, bool) {
	data, err := os.ReadFile(u.sessPath)
	if err != nil {
		return session{}, false
	}
	var s session
	if json.Unmarshal(data, &s) != nil || s.URI == "" || (s.Size < 0) != (u.total < 0) {
		return session{}, false
	}
	u.sess = s
	return s, true
}

func (u *upload) dropSession() { os.Remove(u.sessPath) }

// made hands the new video's id to u.saved, then drops the session: until
// the id is durable the session is what finds the video again.
func (u *upload) made(video *yt.Video) error {
	if u.saved != nil {
		if err := u.saved(video.Id); err != nil {
			return captions.Errorf("YouTube made the video %s but lessonpub could not record it (%w); run the same command again: it finds the video and uploads nothing twice", video.Id, err)
		}
	}
	u.dropSession()
	return nil
}

// findLost looks on the channel for the video of this key, in case the
// upload finished but its answer was lost.
func (u *upload) findLost(ctx context.Context) (*yt.Video, error) {
	if u.key == "" {
		return nil, nil
	}
	v, err := u.c.FindVideoByKey(ctx, u.key)
	if v != nil {
		u.c.cfg.log(captions.Textf("the upload of %s had finished: video %s", filepath.Base(u.file), v.Id))
	}
	return v, err
}

// send sends bytes [offset, offset+n) of the file and reads the answer. A
// request that sends nothing for stallTimeout is given up (errStalled).
//
// The body is a descriptor of its own positioned at offset, whose position
// says how much has gone out, for progress and stall detection.
func (u *upload) send(ctx context.Context, uri string, offset, n int64) (int64, *yt.Video, error) {
	f, err := os.Open(u.file)
	if err != nil {
		return 0, nil, captions.Errorf("reading the video to upload: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, nil, captions.Errorf("reading the video to upload: %w", err)
	}
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	counted := offset
	account := func() int64 { // adds what went out since the last call
		pos, err := f.Seek(0, io.SeekCurrent)
		if err != nil || pos <= counted {
			return counted
		}
		u.mu.Lock()
		u.transferred += pos - counted
		u.mu.Unlock()
		counted = pos
		return pos
	}
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		moved := time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				before := counted
				if pos := account(); pos > before {
					moved = now
					u.report(pos, false)
				} else if now.Sub(moved) > stallTimeout {
					cancel(errStalled)
					return
				}
			}
		}
	}()
	// The rest of the file goes as a file, which the transport hands to
	// sendfile (and closes); a shorter chunk through a limit.
	var body io.ReadCloser = io.NopCloser(io.LimitReader(f, n))
	if offset+n == u.total && u.grow == nil {
		if g, ok := sharedDescriptor(f); ok {
			body = g
		}
	}
	req, err := http.NewRequestWithContext(rctx, http.MethodPut, uri, body)
	if err != nil {
		close(done)
		<-watched
		return 0, nil, err
	}
	req.ContentLength = n
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%s", offset, offset+n-1, u.totalSpec()))
	resp, err := u.c.http.Do(req)
	var next int64
	var video *yt.Video
	if err == nil {
		next, video, err = u.answer(resp)
	}
	close(done)
	<-watched
	account()
	if err != nil && errors.Is(context.Cause(rctx), errStalled) {
		err = fmt.Errorf("%w: %w", errStalled, err)
	}
	return next, video, err
}

// query asks YouTube how much of the file it has. A finished upload returns
// its video.
func (u *upload) query(ctx context.Context, uri string) (int64, *yt.Video, error) {
	ctx, cancel := context.WithTimeout(ctx, stallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, uri, http.NoBody)
	if err != nil {
		return 0, nil, err
	}
	total := u.totalSpec()
	if u.grow == nil && u.sess.URI == uri && u.sess.Size > 0 {
		total = strconv.FormatInt(u.sess.Size, 10) // the size that session was started with
	}
	req.Header.Set("Content-Range", "bytes */"+total)
	resp, err := u.c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	return u.answer(resp)
}

// answer reads the response to a chunk or a status query: the next offset,
// or the finished video, or an error.
func (u *upload) answer(resp *http.Response) (int64, *yt.Video, error) {
	defer drain(resp)
	status := resp.StatusCode
	if status == http.StatusOK && resp.Header.Get("X-Http-Status-Code-Override") == "308" {
		status = http.StatusPermanentRedirect
	}
	switch status {
	case http.StatusPermanentRedirect:
		next, err := parseRange(resp.Header.Get("Range"), u.total)
		return next, nil, err
	case http.StatusOK, http.StatusCreated:
		var v yt.Video
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return 0, nil, captions.Errorf("reading YouTube's answer to the upload: %w", err)
		}
		return u.total, &v, nil
	case http.StatusNotFound, http.StatusGone:
		return 0, nil, errSessionGone
	}
	if err := googleapi.CheckResponse(resp); err != nil {
		return 0, nil, err
	}
	return 0, nil, captions.Errorf("unexpected answer to the upload: HTTP %d", resp.StatusCode)
}

// totalSpec is the file's size for a Content-Range: "*" while unknown.
func (u *upload) totalSpec() string {
	if u.total < 0 {
		return "*"
	}
	return strconv.FormatInt(u.total, 10)
}

// howFar says how much of the file went, for messages.
func (u *upload) howFar(offset int64) any {
	if u.total <= 0 {
		return formatBytes(offset)
	}
	return fmt.Sprintf("%d%%", offset*100/u.total)
}

// parseRange reads "bytes=0-N" into the next offset N+1 (0 when absent).
// total is the file's size, -1 when not known yet.
func parseRange(h string, total int64) (int64, error) {
	if h == "" {
		return 0, nil
	}
	_, end, ok := strings.Cut(strings.TrimPrefix(h, "bytes="), "-")
	n, err := strconv.ParseInt(end, 10, 64)
	if !ok || err != nil || (total >= 0 && n+1 > total) || n < 0 {
		return 0, captions.Errorf("YouTube answered the upload with a bad Range %q", h)
	}
	return n + 1, nil
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// progressEvery is how often progress is reported while a chunk goes out.
const progressEvery = 200 * time.Millisecond

// report tells the caller how far the upload is; force skips the throttle.
func (u *upload) report(sent int64, force bool) {
	if u.progress == nil {
		return
	}
	u.mu.Lock()
	now := time.Now()
	if !force && now.Sub(u.lastReport) < progressEvery {
		u.mu.Unlock()
		return
	}
	u.lastReport = now
	p := Progress{Sent: sent, Total: max(u.total, 0), Transferred: u.transferred, ETA: -1}
	u.mu.Unlock()
	if el := now.Sub(u.start).Seconds(); el > 0 && p.Transferred > 0 && p.Total > 0 {
		p.Rate = float64(p.Transferred) / el
		p.ETA = time.Duration(float64(p.Total-p.Sent) / p.Rate * float64(time.Second))
	}
	u.progress(p)
}

// RecoverUpload returns the video of the lesson key's saved upload session
// when that upload had finished (its answer lost, or the process stopped
// before the id was recorded), else nil: YouTube answers a finished
// session again with its video. It sends nothing and costs no units; an
// unfinished session is left for Upload or UploadGrowing to continue or
// abandon. Call ForgetUpload once the video's id is durable.
func (c *Client) RecoverUpload(ctx context.Context, key string) (*yt.Video, error) {
	if key == "" {
		return nil, nil
	}
	for _, path := range []string{c.sessionPath(key, "", nil), c.growingSessionPath(key, "")} {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var s session
		if json.Unmarshal(data, &s) != nil || s.URI == "" {
			continue
		}
		u := &upload{c: c, total: s.Size, sess: s, sessPath: path, key: key}
		_, video, err := u.query(ctx, s.URI)
		switch {
		case err == nil && video != nil:
			return video, nil
		case errors.Is(err, errSessionGone):
			u.dropSession()
		case err != nil && ctx.Err() != nil:
			return nil, ctx.Err()
		}
	}
	return nil, nil
}

// ForgetUpload drops the saved upload sessions of the lesson key.
func (c *Client) ForgetUpload(key string) {
	if key == "" {
		return
	}
	os.Remove(c.sessionPath(key, "", nil))
	os.Remove(c.growingSessionPath(key, ""))
}
