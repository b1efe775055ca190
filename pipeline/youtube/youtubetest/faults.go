package youtubetest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// FaultKind says how a call fails.
type FaultKind int

const (
	// Unavailable answers 503 backendError.
	Unavailable FaultKind = iota + 1
	// TooManyRequests answers a transient 429 rateLimitExceeded ("Rate Limit
	// Exceeded", not the daily upload limit).
	TooManyRequests
	// ConnectionReset resets the TCP connection instead of answering. On an
	// upload session ("upload") it cuts a chunk in the middle: the server
	// reads the body up to Offset (or half of it when Offset is 0), keeps
	// what it read and resets. Elsewhere the call is not performed.
	ConnectionReset
	// LostResponse performs the call, then resets the connection instead of
	// answering: an insert that happened although the client saw an error.
	// On "upload" with an Offset, it waits for the chunk carrying that byte
	// (the last byte, to lose the answer that completes the upload).
	LostResponse
	// NotFoundAfterAdd is the playlistItems.insert quirk: the item is added,
	// yet the answer is 404 videoNotFound.
	NotFoundAfterAdd
	// SessionLost makes the server forget the upload session: 404 on the
	// session URI from then on.
	SessionLost
	// Unauthorized answers 401 as for an expired access token.
	Unauthorized
	// QuotaExceeded answers 403 quotaExceeded whatever the counters say.
	QuotaExceeded
	// UploadLimitExceeded answers 400 uploadLimitExceeded, the per-channel
	// upload limit.
	UploadLimitExceeded
	// HTTPError answers Code with Reason and Message.
	HTTPError
	// Denied makes the authorization endpoint ("oauth.auth") redirect with
	// error=access_denied.
	Denied
	// Stall, on "upload", keeps the bytes of a chunk up to Offset (half of
	// it when 0), then stops listening: later bytes are read and dropped,
	// and no answer comes until the client goes away or the server closes.
	// Stalled counts such requests, so that a test can kill the client at a
	// known point of the upload.
	Stall
	// Hold performs the call, then never answers: the connection stays
	// open and silent until the client goes away or the server closes. On
	// "upload" with an Offset it waits for the chunk carrying that byte, as
	// LostResponse does: with the last byte, the upload is finished on the
	// server and the client never learns its video's id. On "videos.list"
	// it is a status call that never returns.
	Hold
)

var kindNames = map[FaultKind]string{
	Unavailable: "unavailable", TooManyRequests: "too-many-requests", ConnectionReset: "reset",
	LostResponse: "lost-response", NotFoundAfterAdd: "notfound-after-add", SessionLost: "session-lost",
	Unauthorized: "unauthorized", QuotaExceeded: "quota-exceeded", UploadLimitExceeded: "upload-limit",
	HTTPError: "http", Denied: "denied", Stall: "stall", Hold: "hold",
}

func (k FaultKind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a failure injected into the next calls of a method.
type Fault struct {
	// Method is the API method as in the discovery document
	// ("playlistItems.insert", "videos.insert" for the upload initiation),
	// "upload" for requests to upload session URIs, "oauth.token" or
	// "oauth.auth" for the OAuth endpoints, or "*" for any.
	Method string
	Kind   FaultKind
	// Times is how many calls fail (0 means 1; negative means every call
	// until ClearFaults).
	Times int
	// Offset is, for ConnectionReset and Stall on "upload", the byte of the
	// media at which to cut; the fault waits for the chunk that carries that
	// byte. With 0 the next chunk is cut in its middle.
	Offset int64
	// Code, Reason and Message are the answer for HTTPError.
	Code    int
	Reason  string
	Message string
}

// Fail queues faults. Faults for the same method apply in the order given.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		if f.Times == 0 {
			f.Times = 1
		}
		s.faults = append(s.faults, &f)
	}
}

// ClearFaults removes all queued faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults returns the faults that have not fired yet.
func (s *Server) PendingFaults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Fault
	for _, f := range s.faults {
		out = append(out, *f)
	}
	return out
}

// ParseFault reads a fault written as "METHOD KIND [TIMES] [offset=N]
// [code=N] [reason=R]", for test scripts. KIND is one of unavailable,
// too-many-requests, reset, lost-response, notfound-after-add,
// session-lost, unauthorized, quota-exceeded, upload-limit, http, denied,
// stall, hold.
// TIMES is a count or "always".
func ParseFault(text string) (Fault, error) {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return Fault{}, fmt.Errorf("fault %q: want METHOD KIND [TIMES] [offset=N] [code=N] [reason=R]", text)
	}
	f := Fault{Method: fields[0]}
	for k, n := range kindNames {
		if n == fields[1] {
			f.Kind = k
		}
	}
	if f.Kind == 0 {
		return Fault{}, fmt.Errorf("fault %q: unknown kind %q", text, fields[1])
	}
	for _, a := range fields[2:] {
		key, val, ok := strings.Cut(a, "=")
		var err error
		switch {
		case !ok && a == "always":
			f.Times = -1
		case !ok:
			f.Times, err = strconv.Atoi(a)
		case key == "offset":
			f.Offset, err = strconv.ParseInt(val, 10, 64)
		case key == "code":
			f.Code, err = strconv.Atoi(val)
		case key == "reason":
			f.Reason = val
		case key == "message":
			f.Message = val
		default:
			err = fmt.Errorf("unknown field %q", key)
		}
		if err != nil {
			return Fault{}, fmt.Errorf("fault %q: %v", text, err)
		}
	}
	return f, nil
}

// takeFault returns the first queued fault for method that match accepts
// (nil accepts all), using up one of its Times. s.mu is held.
func (s *Server) takeFault(method string, match func(*Fault) bool) *Fault {
	for i, f := range s.faults {
		if f.Method != method && f.Method != "*" {
			continue
		}
		if match != nil && !match(f) {
			continue
		}
		fired := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &fired
	}
	return nil
}

// serveFault answers an API call that a fault hit.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f *Fault, method string) {
	switch f.Kind {
	case Unavailable:
		writeError(w, apiError{code: 503, reason: "backendError", message: "The service is currently unavailable."})
	case TooManyRequests:
		writeError(w, apiError{code: 429, reason: "rateLimitExceeded", domain: "usageLimits", message: "Rate Limit Exceeded"})
	case Unauthorized:
		writeError(w, *unauthorized("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", `, error="invalid_token"`))
	case QuotaExceeded:
		writeError(w, apiError{code: 403, reason: "quotaExceeded", domain: "youtube.quota",
			message: `The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.`})
	case UploadLimitExceeded:
		writeError(w, apiError{code: 400, reason: "uploadLimitExceeded", domain: "youtube.video",
			message: "The user has exceeded the number of videos they may upload."})
	case HTTPError:
		code, reason, msg := f.Code, f.Reason, f.Message
		if code == 0 {
			code = 500
		}
		if reason == "" {
			reason = "backendError"
		}
		if msg == "" {
			msg = http.StatusText(code)
		}
		writeError(w, apiError{code: code, reason: reason, message: msg})
	case ConnectionReset:
		resetConnection(w)
	case Hold:
		s.handler(method)(httptest.NewRecorder(), r)
		s.stallConnection(w)
	case LostResponse, NotFoundAfterAdd:
		rec := httptest.NewRecorder()
		s.handler(method)(rec, r)
		if f.Kind == LostResponse {
			resetConnection(w)
			return
		}
		if rec.Code >= 300 { // the call failed for a real reason: say so
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		writeError(w, *notFound("youtube.playlistItem", "videoNotFound", "The video that you are trying to add to the playlist cannot be found. Check the value of the <code>videoId</code> property."))
	default:
		writeError(w, apiError{code: 500, reason: "backendError", message: fmt.Sprintf("fault %v does not apply to %s", f.Kind, method)})
	}
}

// stallConnection takes the connection over and drops whatever the client
// sends until it closes the connection or the server closes.
func (s *Server) stallConnection(w http.ResponseWriter) {
	conn := hijack(w)
	s.mu.Lock()
	s.stalled++
	s.stalls[conn] = true
	s.mu.Unlock()
	io.Copy(io.Discard, conn)
	conn.Close()
	s.mu.Lock()
	delete(s.stalls, conn)
	s.mu.Unlock()
}

// Stalled reports how many requests a Stall fault has stopped.
func (s *Server) Stalled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalled
}

// hijack takes the request's connection from the HTTP server, or aborts
// the handler when it cannot.
func hijack(w http.ResponseWriter) net.Conn {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return conn
}

// resetConnection aborts the connection with a TCP reset, so that the
// client sees "connection reset by peer".
func resetConnection(w http.ResponseWriter) {
	conn := hijack(w)
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}
