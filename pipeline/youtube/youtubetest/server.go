package youtubetest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	youtube "google.golang.org/api/youtube/v3"
)

// Server is a fake YouTube Data API v3 with Google's OAuth 2.0 endpoints,
// listening on a loopback address. Its methods are safe for concurrent use.
type Server struct {
	hook hook // OnRequest

	// URL is the base URL of the server, "http://127.0.0.1:port", without a
	// trailing slash. Pass URL+"/" to option.WithEndpoint.
	URL string

	hts *httptest.Server
	dir string // media of videos, one file per upload session

	mu           sync.Mutex
	cfg          config
	channel      *youtube.Channel
	videos       map[string]*video
	videoOrder   []string
	playlists    []*youtube.Playlist
	items        map[string][]*youtube.PlaylistItem // by playlist id, in position order
	captions     map[string][]*caption              // by video id
	sessions     map[string]*session                // unfinished uploads
	finished     map[string]*session                // finished uploads, which repeat their answer
	faults       []*Fault
	quota        quota
	calls        map[string]int
	bytesIn      atomic.Int64
	tokens       tokenStore
	authRequests []AuthRequest
	outcomes     []Outcome
	bucket       *tokenBucket
	stalled      int
	stalls       map[net.Conn]bool
}

type config struct {
	clientID, clientSecret string
	channelTitle           string
	unitLimit              int
	uploadLimit            int
	granularity            int64
	keepMedia              bool
	lockPrivate            bool
	noChannel              bool
	tokenLifetime          time.Duration
	bytesPerSecond         int64
	now                    func() time.Time
}

// Option configures a Server.
type Option func(*config)

// WithQuota sets the daily limits: units shared by all methods except
// videos.insert (default 10,000) and videos.insert calls (default 100).
func WithQuota(units, uploads int) Option {
	return func(c *config) { c.unitLimit, c.uploadLimit = units, uploads }
}

// WithUploadGranularity makes an interrupted upload keep only a prefix that
// is a multiple of n bytes (Google persists whole 256 KiB blocks); by default
// every byte received before the cut is kept.
func WithUploadGranularity(n int64) Option {
	return func(c *config) { c.granularity = n }
}

// WithoutMediaContent keeps only the length and SHA-256 of uploaded videos,
// not their bytes: for benchmarks with big files.
func WithoutMediaContent() Option {
	return func(c *config) { c.keepMedia = false }
}

// WithUploadRate limits the upload bandwidth of the whole server to
// bytesPerSecond, like a home connection (20 Mbit/s is 2_500_000).
func WithUploadRate(bytesPerSecond int64) Option {
	return func(c *config) { c.bytesPerSecond = bytesPerSecond }
}

// WithLockToPrivate makes every uploaded video private whatever privacy was
// asked, like YouTube does for unverified API projects.
func WithLockToPrivate() Option {
	return func(c *config) { c.lockPrivate = true }
}

// WithoutChannel makes the signed-in account one without a YouTube channel:
// channels.list(mine) finds nothing and every other call fails with 401
// youtubeSignupRequired.
func WithoutChannel() Option {
	return func(c *config) { c.noChannel = true }
}

// WithChannelTitle sets the title of the signed-in channel.
func WithChannelTitle(title string) Option {
	return func(c *config) { c.channelTitle = title }
}

// WithClient sets the OAuth client id and secret the token endpoint accepts
// (defaults: ClientID and ClientSecret).
func WithClient(id, secret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = id, secret }
}

// WithTokenLifetime sets how long issued access tokens are valid (default 1h).
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// WithClock sets the clock used for token expiry and the daily quota reset
// (midnight Pacific time).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// Default OAuth client credentials of a Server.
const (
	ClientID     = "lessonpub-test.apps.googleusercontent.com"
	ClientSecret = "lessonpub-test-secret"
)

// NewServer starts a fake YouTube server. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		clientID:      ClientID,
		clientSecret:  ClientSecret,
		channelTitle:  "Baku Craft Centre",
		unitLimit:     10000,
		uploadLimit:   100,
		keepMedia:     true,
		tokenLifetime: time.Hour,
		now:           time.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	dir, err := os.MkdirTemp("", "youtubetest-")
	if err != nil {
		panic(fmt.Sprintf("youtubetest: %v", err))
	}
	s := &Server{
		dir:      dir,
		cfg:      cfg,
		videos:   map[string]*video{},
		items:    map[string][]*youtube.PlaylistItem{},
		captions: map[string][]*caption{},
		sessions: map[string]*session{},
		finished: map[string]*session{},
		stalls:   map[net.Conn]bool{},
		calls:    map[string]int{},
		tokens:   newTokenStore(),
	}
	s.channel = &youtube.Channel{
		Kind: "youtube#channel",
		Id:   "UC" + randomID(16),
		Snippet: &youtube.ChannelSnippet{
			Title:       cfg.channelTitle,
			CustomUrl:   "@bakucraftcentre",
			PublishedAt: "2020-09-01T10:00:00Z",
		},
	}
	if cfg.bytesPerSecond > 0 {
		s.bucket = newTokenBucket(cfg.bytesPerSecond)
	}
	s.hts = httptest.NewServer(http.HandlerFunc(s.serveHooked))
	s.URL = s.hts.URL
	return s
}

// Close shuts the server down and removes stored media.
func (s *Server) Close() {
	s.mu.Lock()
	for c := range s.stalls {
		c.Close()
	}
	s.mu.Unlock()
	s.hts.CloseClientConnections()
	s.hts.Close()
	os.RemoveAll(s.dir)
}

// Client returns an HTTP client that sends a valid access token with every
// request (refreshing it through the token endpoint when it expires).
func (s *Server) Client() *http.Client {
	tok := s.IssueToken()
	return &http.Client{Transport: &oauth2.Transport{
		Source: s.OAuthConfig("").TokenSource(context.Background(), tok),
		Base:   http.DefaultTransport,
	}}
}

// ChannelID returns the id of the signed-in channel.
func (s *Server) ChannelID() string { return s.channel.Id }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/token":
		s.serveToken(w, r)
		return
	case r.URL.Path == "/auth":
		s.serveAuth(w, r)
		return
	case r.URL.Path == "/revoke":
		s.serveRevoke(w, r)
		return
	}
	joinRepeated(r)
	if strings.HasPrefix(r.URL.Path, "/upload/") && r.URL.Query().Get("upload_id") != "" {
		s.serveSession(w, r)
		return
	}
	method, ok := route(r)
	if !ok || s.handler(method) == nil {
		writeError(w, apiError{code: 404, reason: "notFound", domain: "global",
			message: fmt.Sprintf("%s %s is not a YouTube Data API method", r.Method, r.URL.Path)})
		return
	}
	s.mu.Lock()
	s.calls[method]++
	if e := s.authorize(r); e != nil {
		s.mu.Unlock()
		drain(r)
		writeError(w, *e)
		return
	}
	if s.cfg.noChannel && method != "channels.list" {
		s.mu.Unlock()
		drain(r)
		writeError(w, apiError{code: 401, reason: "youtubeSignupRequired", domain: "youtube.header", message: "Unauthorized"})
		return
	}
	f := s.takeFault(method, nil)
	if f == nil || f.Kind == LostResponse || f.Kind == NotFoundAfterAdd || f.Kind == Hold {
		// The call happens (even if its answer is lost): it costs quota.
		if e := s.charge(method); e != nil {
			s.mu.Unlock()
			drain(r)
			writeError(w, *e)
			return
		}
	}
	s.mu.Unlock()
	if f != nil {
		s.serveFault(w, r, f, method)
		return
	}
	s.handler(method)(w, r)
}

// joinRepeated turns repeated query parameters (the Go client sends
// part=snippet&part=status) into one comma-separated value, which the API
// treats the same.
func joinRepeated(r *http.Request) {
	q := r.URL.Query()
	changed := false
	for k, v := range q {
		if len(v) > 1 {
			q[k] = []string{strings.Join(v, ",")}
			changed = true
		}
	}
	if changed {
		r.URL.RawQuery = q.Encode()
	}
}

// route names the API method a request calls, as in the discovery document
// ("videos.insert").
func route(r *http.Request) (string, bool) {
	p := r.URL.Path
	upload := strings.HasPrefix(p, "/upload/youtube/v3/")
	if upload {
		p = strings.TrimPrefix(p, "/upload")
	}
	if !strings.HasPrefix(p, "/youtube/v3/") {
		return "", false
	}
	res := strings.TrimPrefix(p, "/youtube/v3/")
	verbs := map[string]string{"GET": "list", "POST": "insert", "PUT": "update", "DELETE": "delete"}
	verb, ok := verbs[r.Method]
	if !ok {
		return "", false
	}
	var method string
	switch {
	case res == "thumbnails/set" && r.Method == "POST":
		method = "thumbnails.set"
	case strings.HasPrefix(res, "captions/") && r.Method == "GET":
		method = "captions.download"
	case res == "channels" || res == "videos" || res == "playlists" || res == "playlistItems" || res == "captions":
		method = res + "." + verb
	default:
		return "", false
	}
	if upload && !uploadMethods[method] {
		return "", false
	}
	return method, true
}

var uploadMethods = map[string]bool{
	"videos.insert": true, "captions.insert": true, "captions.update": true, "thumbnails.set": true,
}

// handler returns the handler of an API method, or nil.
func (s *Server) handler(method string) http.HandlerFunc {
	switch method {
	case "channels.list":
		return s.channelsList
	case "videos.list":
		return s.videosList
	case "videos.insert":
		return s.videosInsert
	case "videos.update":
		return s.videosUpdate
	case "videos.delete":
		return s.videosDelete
	case "playlists.list":
		return s.playlistsList
	case "playlists.insert":
		return s.playlistsInsert
	case "playlists.update":
		return s.playlistsUpdate
	case "playlists.delete":
		return s.playlistsDelete
	case "playlistItems.list":
		return s.playlistItemsList
	case "playlistItems.insert":
		return s.playlistItemsInsert
	case "playlistItems.update":
		return s.playlistItemsUpdate
	case "playlistItems.delete":
		return s.playlistItemsDelete
	case "captions.list":
		return s.captionsList
	case "captions.insert":
		return s.captionsInsert
	case "captions.update":
		return s.captionsUpdate
	case "captions.delete":
		return s.captionsDelete
	case "captions.download":
		return s.captionsDownload
	case "thumbnails.set":
		return s.thumbnailsSet
	}
	return nil
}

// apiError is an error in Google's JSON error format.
type apiError struct {
	code                    int
	reason, domain, message string
	header                  http.Header
}

func (e apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.code, e.reason, e.message) }

var statusNames = map[int]string{
	400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
	409: "ALREADY_EXISTS", 410: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
	503: "UNAVAILABLE",
}

func writeError(w http.ResponseWriter, e apiError) {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	if e.domain == "" {
		e.domain = "global"
	}
	body := map[string]any{"error": map[string]any{
		"code":    e.code,
		"message": e.message,
		"errors":  []map[string]string{{"message": e.message, "domain": e.domain, "reason": e.reason}},
		"status":  statusNames[e.code],
	}}
	writeJSON(w, e.code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	w.Write(b)
}

func badRequest(reason, format string, args ...any) *apiError {
	return &apiError{code: 400, reason: reason, domain: "youtube.parameter", message: fmt.Sprintf(format, args...)}
}

func notFound(domain, reason, format string, args ...any) *apiError {
	return &apiError{code: 404, reason: reason, domain: domain, message: fmt.Sprintf(format, args...)}
}

// randomID returns n random bytes in unpadded base64url.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// videoID returns an 11-character YouTube video id.
func videoID() string { return randomID(8)[:11] }

// Calls reports how many requests the server got for method
// ("videos.insert", "playlistItems.list", "upload" for requests to upload
// session URIs), including failed ones.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// UploadedBytes reports how many media bytes the server received in upload
// session requests, counting resent bytes again.
func (s *Server) UploadedBytes() int64 {
	return s.bytesIn.Load()
}
