package youtubetest

// What the fake stores, and the helpers the handlers of every resource
// share; each resource's handlers are in a file of its own (channels.go,
// videos.go, playlists.go, items.go, tracks.go, thumbnails.go).

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	youtube "google.golang.org/api/youtube/v3"
)

// video is a stored video.
type video struct {
	res          *youtube.Video
	insertJSON   []byte
	uploadItemID string // its item in the uploads playlist
	size         int64
	sha256       string
	path         string // file with the content; "" when not kept
	contentType  string
	thumbnail    []byte
	thumbType    string
}

// caption is a stored caption track.
type caption struct {
	res         *youtube.Caption
	content     []byte
	contentType string
}

func encodeError(e apiError) (int, []byte) {
	rec := newRecorder()
	writeError(rec, e)
	return rec.code, rec.body.Bytes()
}

func encodeJSON(code int, v any) (int, []byte) {
	b, err := json.Marshal(v)
	if err != nil {
		return encodeError(apiError{code: 500, reason: "backendError", message: err.Error()})
	}
	return code, b
}

// recorder is a minimal http.ResponseWriter that keeps the answer.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func newRecorder() *recorder                    { return &recorder{header: http.Header{}, code: 200} }
func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }

func (s *Server) timestamp() string { return s.cfg.now().UTC().Format(time.RFC3339) }

// project keeps the kind, etag, id and the requested parts of a resource.
func project(res any, part string) map[string]any {
	b, _ := json.Marshal(res)
	var m map[string]any
	json.Unmarshal(b, &m)
	keep := map[string]bool{"kind": true, "etag": true, "id": true}
	for _, p := range strings.Split(part, ",") {
		keep[strings.TrimSpace(p)] = true
	}
	for k := range m {
		if !keep[k] {
			delete(m, k)
		}
	}
	return m
}

func etag() string { return randomID(20) }

// requireParam returns the error YouTube gives for a missing parameter.
func requireParam(r *http.Request, name string) (string, *apiError) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return "", &apiError{code: 400, reason: "required", domain: "global",
			message: fmt.Sprintf("No filter selected. Expected one of: %s", name)}
	}
	return v, nil
}

func requirePart(r *http.Request) (string, *apiError) {
	p := r.URL.Query().Get("part")
	if p == "" {
		return "", &apiError{code: 400, reason: "required", domain: "global", message: "Required parameter: part"}
	}
	return p, nil
}

// page cuts a list into the page the request asks for.
func page(r *http.Request, n int) (from, to int, next, prev string, e *apiError) {
	size := 5
	if v := r.URL.Query().Get("maxResults"); v != "" {
		var err error
		size, err = strconv.Atoi(v)
		if err != nil || size < 0 || size > 50 {
			return 0, 0, "", "", badRequest("invalidParameter", "Invalid value '%s'. Values must be within the range: [0, 50]", v)
		}
	}
	if t := r.URL.Query().Get("pageToken"); t != "" {
		b, err := base64.RawURLEncoding.DecodeString(t)
		off, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "off:"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(b), "off:") || off < 0 || off > n {
			return 0, 0, "", "", badRequest("invalidPageToken", "The request specifies an invalid page token.")
		}
		from = off
	}
	to = min(from+size, n)
	token := func(off int) string { return base64.RawURLEncoding.EncodeToString([]byte("off:" + strconv.Itoa(off))) }
	if to < n && size > 0 {
		next = token(to)
	}
	if from > 0 {
		prev = token(max(from-size, 0))
	}
	return from, to, next, prev, nil
}

// listPage is the answer to a paged list request: the page of all that r
// asks for, each item shown by view. Callers hold s.mu when view reads state.
func listPage[T any](r *http.Request, kind string, all []T, view func(T) any) (map[string]any, *apiError) {
	from, to, next, prev, e := page(r, len(all))
	if e != nil {
		return nil, e
	}
	var items []any
	for _, x := range all[from:to] {
		items = append(items, view(x))
	}
	return listResponse(kind, items, len(all), to-from, next, prev), nil
}

func listResponse(kind string, items []any, total, per int, next, prev string) map[string]any {
	if items == nil {
		items = []any{}
	}
	m := map[string]any{
		"kind":     kind,
		"etag":     etag(),
		"pageInfo": map[string]int{"totalResults": total, "resultsPerPage": per},
		"items":    items,
	}
	if next != "" {
		m["nextPageToken"] = next
	}
	if prev != "" {
		m["prevPageToken"] = prev
	}
	return m
}

func fail(w http.ResponseWriter, e *apiError) { writeError(w, *e) }
