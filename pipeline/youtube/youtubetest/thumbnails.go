package youtubetest

// The fake's thumbnails.set.

import (
	"bytes"
	"net/http"
	"strings"

	youtube "google.golang.org/api/youtube/v3"
)

func (s *Server) thumbnailsSet(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/upload/") {
		drain(r)
		fail(w, badRequest("mediaBodyRequired", "The request does not include the image content."))
		return
	}
	if _, e := requireParam(r, "videoId"); e != nil {
		drain(r)
		fail(w, e)
		return
	}
	s.serveUpload(w, r, "thumbnails.set")
}

func (s *Server) setThumbnail(r *http.Request, m media) (int, []byte) {
	ct, _, _ := strings.Cut(m.contentType, ";")
	content := m.store.bytes()
	if ct != "image/jpeg" && ct != "image/png" && ct != "application/octet-stream" {
		return encodeError(apiError{code: 400, reason: "invalidImage", domain: "youtube.thumbnail", message: "The provided image content is invalid."})
	}
	if !bytes.HasPrefix(content, []byte("\xff\xd8\xff")) && !bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")) {
		return encodeError(apiError{code: 400, reason: "invalidImage", domain: "youtube.thumbnail", message: "The provided image content is invalid."})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vid := r.URL.Query().Get("videoId")
	v, ok := s.videos[vid]
	if !ok {
		return encodeError(*notFound("youtube.thumbnail", "videoNotFound", "The video that you are trying to insert a thumbnail image for cannot be found. Check the value of the videoId parameter to ensure that it is correct."))
	}
	v.thumbnail, v.thumbType = content, ct
	base := "https://i.ytimg.com/vi/" + vid + "/"
	details := &youtube.ThumbnailDetails{
		Default: &youtube.Thumbnail{Url: base + "default.jpg", Width: 120, Height: 90},
		Medium:  &youtube.Thumbnail{Url: base + "mqdefault.jpg", Width: 320, Height: 180},
		High:    &youtube.Thumbnail{Url: base + "hqdefault.jpg", Width: 480, Height: 360},
	}
	v.res.Snippet.Thumbnails = details
	return encodeJSON(200, map[string]any{"kind": "youtube#thumbnailSetResponse", "etag": etag(), "items": []any{details}})
}
