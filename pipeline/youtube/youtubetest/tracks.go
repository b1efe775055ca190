package youtubetest

// The fake's the caption tracks: captions.list, insert, update, delete and download.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	youtube "google.golang.org/api/youtube/v3"
)

func (s *Server) captionsList(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	vid, e := requireParam(r, "videoId")
	if e != nil {
		fail(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.videos[vid]; !ok {
		fail(w, notFound("youtube.caption", "videoNotFound", "The video identified by the <code>videoId</code> parameter could not be found."))
		return
	}
	var items []any
	for _, c := range s.captions[vid] {
		if id := r.URL.Query().Get("id"); id != "" && !slices.Contains(strings.Split(id, ","), c.res.Id) {
			continue
		}
		items = append(items, project(c.res, part))
	}
	writeJSON(w, 200, listResponse("youtube#captionListResponse", items, len(items), len(items), "", ""))
}

func (s *Server) captionsInsert(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/upload/") {
		drain(r)
		fail(w, badRequest("mediaBodyRequired", "The request does not include the caption track content."))
		return
	}
	s.serveUpload(w, r, "captions.insert")
}

// captionFormat says whether content looks like a caption format YouTube
// reads (SubRip, WebVTT, SubViewer, TTML, SCC).
func captionFormat(b []byte) bool {
	t := string(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	return strings.HasPrefix(t, "WEBVTT") || strings.Contains(t, "-->") ||
		strings.Contains(t, "<tt") || strings.HasPrefix(t, "Scenarist_SCC") ||
		sbvTime.MatchString(t)
}

func (s *Server) insertCaption(r *http.Request, meta []byte, m *media) (int, []byte) {
	var in youtube.Caption
	if err := json.Unmarshal(meta, &in); err != nil {
		return encodeError(*badRequest("parseError", "Parse Error: %v", err))
	}
	if in.Snippet == nil || in.Snippet.VideoId == "" {
		return encodeError(apiError{code: 400, reason: "required", domain: "global", message: "Required: snippet.videoId"})
	}
	if !validLanguage(in.Snippet.Language) {
		return encodeError(apiError{code: 400, reason: "invalidMetadata", domain: "youtube.caption", message: "The request contains invalid metadata values, which prevent the track from being created. Confirm that the request specifies valid values for the snippet.language, snippet.name, and snippet.videoId properties."})
	}
	if utf8.RuneCountInString(in.Snippet.Name) > 150 {
		return encodeError(apiError{code: 400, reason: "nameTooLong", domain: "youtube.caption", message: "The snippet.name specified in the request is too long. The maximum length supported is 150 characters."})
	}
	content := m.store.bytes()
	s.mu.Lock()
	defer s.mu.Unlock()
	vid := in.Snippet.VideoId
	if _, ok := s.videos[vid]; !ok {
		return encodeError(*notFound("youtube.caption", "videoNotFound", "The video identified by the <code>videoId</code> parameter could not be found."))
	}
	for _, c := range s.captions[vid] {
		if c.res.Snippet.Language == in.Snippet.Language && c.res.Snippet.Name == in.Snippet.Name {
			return encodeError(apiError{code: 409, reason: "captionExists", domain: "youtube.caption", message: "The specified caption track already exists."})
		}
	}
	c := &caption{content: content, contentType: m.contentType, res: &youtube.Caption{
		Kind: "youtube#caption", Etag: etag(), Id: "AUieDa" + randomID(30),
		Snippet: &youtube.CaptionSnippet{
			VideoId: vid, LastUpdated: s.timestamp(), TrackKind: "standard",
			Language: in.Snippet.Language, Name: in.Snippet.Name, AudioTrackType: "unknown",
			IsDraft: in.Snippet.IsDraft, Status: "serving",
		},
	}}
	if !captionFormat(content) {
		c.res.Snippet.Status, c.res.Snippet.FailureReason = "failed", "unknownFormat"
	}
	s.captions[vid] = append(s.captions[vid], c)
	return encodeJSON(200, project(c.res, "snippet"))
}

func (s *Server) findCaption(id string) *caption {
	for _, cs := range s.captions {
		for _, c := range cs {
			if c.res.Id == id {
				return c
			}
		}
	}
	return nil
}

func (s *Server) captionsUpdate(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		s.serveUpload(w, r, "captions.update")
		return
	}
	meta, err := readAllLimit(r, 1<<20)
	if err != nil {
		return
	}
	code, body := s.updateCaption(r, meta, nil)
	writeRaw(w, code, body)
}

func (s *Server) updateCaption(r *http.Request, meta []byte, m *media) (int, []byte) {
	var in youtube.Caption
	if err := json.Unmarshal(meta, &in); err != nil {
		return encodeError(*badRequest("parseError", "Parse Error: %v", err))
	}
	var content []byte
	if m != nil {
		content = m.store.bytes()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.findCaption(in.Id)
	if c == nil {
		return encodeError(*notFound("youtube.caption", "captionNotFound", "The caption track could not be found."))
	}
	if in.Snippet != nil {
		c.res.Snippet.IsDraft = in.Snippet.IsDraft
	}
	if m != nil {
		c.content, c.contentType = content, m.contentType
		c.res.Snippet.Status, c.res.Snippet.FailureReason = "serving", ""
		if !captionFormat(content) {
			c.res.Snippet.Status, c.res.Snippet.FailureReason = "failed", "unknownFormat"
		}
	}
	c.res.Snippet.LastUpdated = s.timestamp()
	c.res.Etag = etag()
	return encodeJSON(200, project(c.res, "snippet"))
}

func (s *Server) captionsDelete(w http.ResponseWriter, r *http.Request) {
	id, e := requireParam(r, "id")
	if e != nil {
		fail(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.findCaption(id)
	if c == nil {
		fail(w, notFound("youtube.caption", "captionNotFound", "The caption track could not be found."))
		return
	}
	vid := c.res.Snippet.VideoId
	s.captions[vid] = slices.DeleteFunc(s.captions[vid], func(x *caption) bool { return x == c })
	w.WriteHeader(204)
}

func (s *Server) captionsDownload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/youtube/v3/captions/")
	content, ok := s.captionContent(id)
	if !ok {
		fail(w, notFound("youtube.caption", "captionNotFound", "The caption track could not be found."))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.Write(content)
}

// captionContent is the content of caption track id, if there is one.
func (s *Server) captionContent(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.findCaption(id)
	if c == nil {
		return nil, false
	}
	return c.content, true
}
