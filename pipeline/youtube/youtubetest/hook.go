package youtubetest

import (
	"net/http"
	"sync"
)

// Moment is when, around the Nth request, a request hook runs.
type Moment int

const (
	// BeforeAnswer runs the hook when request N arrives, before the server
	// does anything with it; the request is then answered only if the
	// client is still there (a client killed by the hook never is).
	BeforeAnswer Moment = iota + 1
	// AfterAnswer runs the hook once request N has been answered and its
	// answer flushed to the connection.
	AfterAnswer
)

// hook is the request hook set by OnRequest.
type hook struct {
	mu   sync.Mutex
	n    int // requests seen
	at   int
	when Moment
	do   func()
}

// OnRequest makes the server call do at the moment when of its nth request
// (1-based, counting every request to the server: API calls, upload
// sessions and OAuth), once; it replaces an earlier hook. Kill tests use
// it to kill the client at each request of a run: run the work once with
// n = 0 (no hook) and read Requests, then loop n over 1..Requests.
func (s *Server) OnRequest(n int, when Moment, do func()) {
	s.hook.mu.Lock()
	defer s.hook.mu.Unlock()
	s.hook.n, s.hook.at, s.hook.when, s.hook.do = 0, n, when, do
}

// Requests is how many requests the server got since it started or since
// the last OnRequest.
func (s *Server) Requests() int {
	s.hook.mu.Lock()
	defer s.hook.mu.Unlock()
	return s.hook.n
}

// serveHooked serves r, calling the request hook around it.
func (s *Server) serveHooked(w http.ResponseWriter, r *http.Request) {
	h := &s.hook
	h.mu.Lock()
	h.n++
	var before, after func()
	if h.n == h.at && h.do != nil {
		if h.when == BeforeAnswer {
			before = h.do
		} else {
			after = h.do
		}
	}
	h.mu.Unlock()
	if before != nil {
		before()
	}
	s.serveHTTP(w, r)
	if after != nil {
		if f, ok := w.(http.Flusher); ok {
			func() {
				defer func() { recover() }() // a hijacked connection cannot be flushed
				f.Flush()
			}()
		}
		after()
	}
}
