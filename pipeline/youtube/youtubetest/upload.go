package youtubetest

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// chunkUnit is the size every chunk but the last must be a multiple of
// (googleapi.MinUploadChunkSize).
const chunkUnit = 256 << 10

// mediaStore keeps uploaded bytes: in a file (or nowhere) plus a running
// SHA-256 that can go back to the last multiple of a granularity.
type mediaStore struct {
	f    *os.File // nil when the bytes are not kept
	n    int64
	h    hash.Hash
	gran int64
	mark []byte // hash state at the last multiple of gran
}

func newMediaStore(path string, keep bool, gran int64) (*mediaStore, error) {
	m := &mediaStore{h: sha256.New(), gran: gran}
	if keep {
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		m.f = f
	}
	if gran > 0 {
		m.mark, _ = m.h.(encoding.BinaryMarshaler).MarshalBinary()
	}
	return m, nil
}

func (m *mediaStore) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		q := p
		if m.gran > 0 {
			if room := m.gran - m.n%m.gran; int64(len(q)) > room {
				q = q[:room]
			}
		}
		if m.f != nil {
			if _, err := m.f.Write(q); err != nil {
				return written, err
			}
		}
		m.h.Write(q)
		m.n += int64(len(q))
		written += len(q)
		p = p[len(q):]
		if m.gran > 0 && m.n%m.gran == 0 {
			m.mark, _ = m.h.(encoding.BinaryMarshaler).MarshalBinary()
		}
	}
	return written, nil
}

// cut drops the bytes after the last multiple of the granularity, but not
// below keep (bytes that were already acknowledged).
func (m *mediaStore) cut(keep int64) {
	if m.gran <= 0 {
		return
	}
	to := m.n / m.gran * m.gran
	if to < keep || to == m.n {
		return
	}
	m.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(m.mark)
	m.n = to
	if m.f != nil {
		m.f.Truncate(to)
		m.f.Seek(to, io.SeekStart)
	}
}

func (m *mediaStore) sum() string { return hex.EncodeToString(m.h.Sum(nil)) }

// bytes returns the stored content, or nil when it is not kept.
func (m *mediaStore) bytes() []byte {
	if m.f == nil {
		return nil
	}
	b, _ := os.ReadFile(m.f.Name())
	return b
}

func (m *mediaStore) close() {
	if m.f != nil {
		m.f.Close()
	}
}

// session is a resumable upload session.
type session struct {
	mu           sync.Mutex // one request at a time
	id           string
	method       string
	query        url.Values
	meta         []byte // JSON resource sent at initiation
	contentType  string
	total        int64 // -1 until known
	totalAtStart int64
	media        *mediaStore
	stored       atomic.Int64 // media.n, readable without mu
	done         bool
	resultCode   int
	result       []byte
}

// media is what a finished upload hands to its method.
type media struct {
	store       *mediaStore
	contentType string
}

// initiate starts a resumable upload session for method.
func (s *Server) initiate(w http.ResponseWriter, r *http.Request, method string) {
	meta, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	total := int64(-1)
	if v := r.Header.Get("X-Upload-Content-Length"); v != "" {
		total, err = strconv.ParseInt(v, 10, 64)
		if err != nil || total < 0 {
			writeError(w, *badRequest("badRequest", "X-Upload-Content-Length %q is not a byte count", v))
			return
		}
	}
	if e := s.checkUpload(method, r, meta, total); e != nil {
		writeError(w, *e)
		return
	}
	id := "AUj" + randomID(48)
	keep := s.cfg.keepMedia || method != "videos.insert"
	store, err := newMediaStore(filepath.Join(s.dir, id), keep, s.cfg.granularity)
	if err != nil {
		writeError(w, apiError{code: 500, reason: "backendError", message: err.Error()})
		return
	}
	sess := &session{
		id: id, method: method, query: r.URL.Query(), meta: meta,
		contentType: r.Header.Get("X-Upload-Content-Type"), total: total, totalAtStart: total, media: store,
	}
	s.mu.Lock()
	s.sessions[id] = sess
	s.mu.Unlock()
	q := r.URL.Query()
	q.Set("upload_id", id)
	w.Header().Set("Location", s.URL+r.URL.Path+"?"+q.Encode())
	w.Header().Set("X-GUploader-UploadID", id)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(200)
}

var contentRangeRE = regexp.MustCompile(`^bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$`)

// serveSession answers a request to an upload session URI: a chunk (PUT as
// documented, POST as the Go client sends) or a status query.
func (s *Server) serveSession(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("upload_id")
	s.mu.Lock()
	s.calls["upload"]++
	sess := s.sessions[id]
	if sess == nil {
		sess = s.finished[id]
	}
	var authErr *apiError
	if r.Header.Get("Authorization") != "" {
		authErr = s.authorize(r)
	}
	s.mu.Unlock()
	if authErr != nil {
		drain(r)
		writeError(w, *authErr)
		return
	}
	if sess == nil || (r.Method != "PUT" && r.Method != "POST") {
		drain(r)
		writeError(w, *notFound("global", "notFound", "Not Found"))
		return
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	r.Body = &countingReader{r: r.Body, n: &s.bytesIn}

	// Parse the range this request carries.
	var start, end int64 = 0, -1 // end is inclusive; -1: no bytes
	total := int64(-1)
	cr := r.Header.Get("Content-Range")
	switch {
	case cr == "" && r.ContentLength > 0:
		end, total = r.ContentLength-1, r.ContentLength
	case cr == "":
	default:
		m := contentRangeRE.FindStringSubmatch(cr)
		if m == nil {
			drain(r)
			writeError(w, *badRequest("badRequest", "Failed to parse Content-Range header %q", cr))
			return
		}
		if m[1] != "" {
			start, _ = strconv.ParseInt(m[1], 10, 64)
			end, _ = strconv.ParseInt(m[2], 10, 64)
		}
		if m[3] != "*" {
			total, _ = strconv.ParseInt(m[3], 10, 64)
		}
	}
	hasBody := end >= start
	if hasBody && r.ContentLength >= 0 && r.ContentLength != end-start+1 {
		drain(r)
		writeError(w, *badRequest("badRequest", "Content-Range %q does not match the %d bytes of the request", cr, r.ContentLength))
		return
	}

	s.mu.Lock()
	f := s.takeFault("upload", func(f *Fault) bool {
		covers := hasBody && start <= f.Offset && f.Offset <= end
		switch f.Kind {
		case ConnectionReset, Stall:
			return !sess.done && (covers || hasBody && f.Offset == 0)
		case LostResponse, Hold:
			return covers || f.Offset == 0
		}
		return true
	})
	s.mu.Unlock()
	switch {
	case f == nil:
	case f.Kind == SessionLost:
		s.mu.Lock()
		delete(s.sessions, id)
		delete(s.finished, id)
		s.mu.Unlock()
		sess.media.close()
		drain(r)
		writeError(w, *notFound("global", "notFound", "Not Found"))
		return
	case f.Kind == LostResponse:
		// Do the work, then lose the answer.
		defer resetConnection(w)
		w, f = newRecorder(), nil
	case f.Kind == Hold:
		// Do the work, then keep the answer.
		defer s.stallConnection(w)
		w, f = newRecorder(), nil
	case f.Kind != ConnectionReset && f.Kind != Stall:
		drain(r)
		s.serveFault(w, r, f, "upload")
		return
	}
	if sess.done {
		drain(r)
		writeRaw(w, sess.resultCode, sess.result)
		return
	}
	cutting := f != nil // ConnectionReset or Stall

	// The total a request states takes effect only once the request is
	// accepted: a refused chunk leaves the session as it was.
	sessTotal := sess.total
	if total >= 0 {
		if sessTotal >= 0 && total != sessTotal {
			drain(r)
			writeError(w, *badRequest("badContent", "the upload was started with a length of %d bytes, this request says %d", sess.total, total))
			return
		}
		sessTotal = total
	}
	stored := sess.media.n
	if !hasBody || start > stored {
		// A status query, or a chunk that does not continue what is stored.
		drain(r)
		sess.total = sessTotal
		s.answer(w, r, sess)
		return
	}
	final := sessTotal >= 0 && end+1 >= sessTotal
	if sessTotal >= 0 && end+1 > sessTotal {
		drain(r)
		writeError(w, *badRequest("badContent", "Content-Range %q goes past the end of the %d-byte upload", cr, sessTotal))
		return
	}
	if !final && (end-start+1)%chunkUnit != 0 {
		drain(r)
		writeError(w, *badRequest("badRequest", "Invalid request. The number of bytes uploaded is required to be equal or greater than %d, except for the final request (it's recommended to be the exact multiple of %d). The received request contained %d bytes, which does not meet this requirement.", chunkUnit, chunkUnit, end-start+1))
		return
	}
	sess.total = sessTotal

	if skip := stored - start; skip > 0 {
		// Bytes the server has already: Google ignores them.
		if _, err := io.CopyN(io.Discard, r.Body, skip); err != nil {
			return
		}
	}
	want := end + 1 - stored
	if cutting { // read up to the cut only
		cut := f.Offset
		if cut == 0 {
			cut = start + (end-start+1)/2
		}
		want = max(cut-stored, 0)
	}
	_, err := s.copyMedia(sess.media, r.Body, want)
	if cutting || err != nil {
		// The connection broke (or is broken on purpose): keep what came.
		sess.media.cut(stored)
		sess.stored.Store(sess.media.n)
		switch {
		case !cutting:
		case f.Kind == Stall:
			sess.mu.Unlock() // let the client's next run in
			defer sess.mu.Lock()
			s.stallConnection(w)
		default:
			resetConnection(w)
		}
		return
	}
	sess.stored.Store(sess.media.n)
	if final {
		s.finish(w, sess)
		return
	}
	s.answer(w, r, sess)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReadCloser
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingReader) Close() error { return c.r.Close() }

// copyMedia copies n bytes from r to m, throttled when the server has an
// upload rate.
func (s *Server) copyMedia(m *mediaStore, r io.Reader, n int64) (int64, error) {
	buf := make([]byte, 256<<10)
	var done int64
	for done < n {
		p := buf[:min(int64(len(buf)), n-done)]
		k, err := io.ReadFull(r, p)
		if k > 0 {
			if s.bucket != nil {
				s.bucket.take(k)
			}
			if _, werr := m.Write(p[:k]); werr != nil {
				return done, werr
			}
			done += int64(k)
		}
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// answer tells the client how far the upload is: "308 Resume Incomplete"
// with the stored range, or 200 with X-HTTP-Status-Code-Override: 308 when
// the client asked for X-GUploader-No-308. A complete upload is finished.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, sess *session) {
	stored := sess.media.n
	if sess.total >= 0 && stored == sess.total {
		s.finish(w, sess)
		return
	}
	if stored > 0 {
		w.Header().Set("Range", fmt.Sprintf("bytes=0-%d", stored-1))
	}
	w.Header().Set("X-GUploader-UploadID", sess.id)
	w.Header().Set("Content-Length", "0")
	if strings.EqualFold(r.Header.Get("X-GUploader-No-308"), "yes") {
		w.Header().Set("X-HTTP-Status-Code-Override", "308")
		w.WriteHeader(200)
		return
	}
	w.WriteHeader(308)
}

// finish hands a complete upload to its method and remembers the answer,
// which later requests to the session get again.
func (s *Server) finish(w http.ResponseWriter, sess *session) {
	req, _ := http.NewRequest("POST", "/", nil)
	req.URL.RawQuery = sess.query.Encode()
	code, body := s.complete(sess.method, req, sess.meta, media{store: sess.media, contentType: sess.contentType})
	sess.media.close()
	sess.done, sess.resultCode, sess.result = true, code, body
	s.mu.Lock()
	delete(s.sessions, sess.id)
	s.finished[sess.id] = sess
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	w.Write(body)
}

// complete runs an upload method with its metadata and media and returns
// the answer.
func (s *Server) complete(method string, r *http.Request, meta []byte, m media) (int, []byte) {
	switch method {
	case "videos.insert":
		return s.insertVideo(r, meta, m)
	case "captions.insert":
		return s.insertCaption(r, meta, &m)
	case "captions.update":
		return s.updateCaption(r, meta, &m)
	case "thumbnails.set":
		return s.setThumbnail(r, m)
	}
	return encodeError(apiError{code: 500, reason: "backendError", message: "no upload method " + method})
}

// serveUpload runs an upload method (videos.insert, captions.insert,
// captions.update, thumbnails.set): initiation of a resumable upload, or a
// whole upload in one multipart or media request.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, method string) {
	if !strings.HasPrefix(r.URL.Path, "/upload/") {
		return
	}
	var (
		meta []byte // nil for a media upload: the defaults stand
		m    media
		err  error
	)
	switch ut := r.URL.Query().Get("uploadType"); ut {
	case "resumable":
		s.initiate(w, r, method)
		return
	case "multipart":
		meta, m, err = s.readMultipart(r, method)
		if err != nil {
			writeError(w, *badRequest("badRequest", "%v", err))
			return
		}
	case "media":
		m, err = s.readMedia(r.Body, r.Header.Get("Content-Type"), method)
		if err != nil {
			return
		}
	default:
		drain(r)
		writeError(w, *badRequest("invalidParameter", "uploadType %q is not resumable, multipart or media", ut))
		return
	}
	defer m.store.close()
	if e := s.checkUpload(method, r, meta, m.store.n); e != nil {
		writeError(w, *e)
		return
	}
	code, body := s.complete(method, r, meta, m)
	writeRaw(w, code, body)
}

func (s *Server) readMedia(r io.Reader, contentType, method string) (media, error) {
	keep := s.cfg.keepMedia || method != "videos.insert"
	store, err := newMediaStore(filepath.Join(s.dir, randomID(12)), keep, 0)
	if err != nil {
		return media{}, err
	}
	if _, err := s.copyMedia(store, r, 1<<62); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		store.close()
		return media{}, err
	}
	return media{store: store, contentType: contentType}, nil
}

// readMultipart reads a multipart/related body: JSON metadata, then media.
func (s *Server) readMultipart(r *http.Request, method string) ([]byte, media, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil, media{}, fmt.Errorf("a multipart upload needs a multipart/related body, got Content-Type %q", r.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	p, err := mr.NextPart()
	if err != nil {
		return nil, media{}, fmt.Errorf("reading the metadata part: %v", err)
	}
	meta, err := io.ReadAll(io.LimitReader(p, 1<<20))
	if err != nil {
		return nil, media{}, err
	}
	p, err = mr.NextPart()
	if err != nil {
		return nil, media{}, fmt.Errorf("a multipart upload needs a media part: %v", err)
	}
	m, err := s.readMedia(p, p.Header.Get("Content-Type"), method)
	if err != nil {
		return nil, media{}, err
	}
	return bytes.TrimSpace(meta), m, nil
}

func writeRaw(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	w.Write(body)
}

// drain reads what is left of a request body, so that the client gets the
// answer rather than a reset.
func drain(r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, 64<<20))
}

// DropUploadSessions makes the server forget every unfinished upload
// session, as after Google expires them: their URIs answer 404.
func (s *Server) DropUploadSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// UploadSession describes an unfinished upload session.
type UploadSession struct {
	ID     string
	Method string
	Stored int64 // bytes the server keeps
	Total  int64 // X-Upload-Content-Length, -1 when not sent
}

// UploadSessions returns the unfinished upload sessions.
func (s *Server) UploadSessions() []UploadSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []UploadSession
	for _, sess := range s.sessions {
		out = append(out, UploadSession{ID: sess.id, Method: sess.method, Stored: sess.stored.Load(), Total: sess.totalAtStart})
	}
	slices.SortFunc(out, func(a, b UploadSession) int { return strings.Compare(a.ID, b.ID) })
	return out
}
