package youtubetest

// The fake's videos.insert, list, update and delete.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	youtube "google.golang.org/api/youtube/v3"
)

var assignableCategories = map[string]bool{
	"1": true, "2": true, "10": true, "15": true, "17": true, "19": true, "20": true, "22": true,
	"23": true, "24": true, "25": true, "26": true, "27": true, "28": true, "29": true,
}

// checkVideo validates video metadata as videos.insert and videos.update do.
func checkVideo(v *youtube.Video, update bool) *apiError {
	bad := func(reason, msg string) *apiError {
		return &apiError{code: 400, reason: reason, domain: "youtube.video", message: msg}
	}
	if v.Snippet != nil {
		t := v.Snippet.Title
		if strings.TrimSpace(t) == "" || utf8.RuneCountInString(t) > 100 || strings.ContainsAny(t, "<>") {
			return bad("invalidTitle", "The request metadata specifies an invalid or empty video title.")
		}
		d := v.Snippet.Description
		if len(d) > 5000 || strings.ContainsAny(d, "<>") {
			return bad("invalidDescription", "The request metadata specifies an invalid video description.")
		}
		n := 0
		for _, t := range v.Snippet.Tags {
			n += utf8.RuneCountInString(t)
			if strings.Contains(t, " ") {
				n += 2
			}
		}
		if n > 500 {
			return bad("invalidTags", "The request metadata specifies invalid video keywords.")
		}
		if v.Snippet.CategoryId != "" && !assignableCategories[v.Snippet.CategoryId] {
			return bad("invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID.")
		}
		for _, l := range []string{v.Snippet.DefaultLanguage, v.Snippet.DefaultAudioLanguage} {
			if l != "" && !validLanguage(l) {
				return bad("invalidVideoMetadata", "The request metadata is invalid.")
			}
		}
		if update && v.Snippet.CategoryId == "" {
			return bad("invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID. Use the videoCategories.list method to retrieve supported categories.")
		}
	}
	if v.Status != nil {
		switch v.Status.PrivacyStatus {
		case "", "public", "private", "unlisted":
		default:
			return bad("invalidVideoMetadata", "The request metadata is invalid.")
		}
		if v.Status.PublishAt != "" && v.Status.PrivacyStatus != "private" {
			return bad("invalidPublishAt", "The request metadata specifies an invalid scheduled publishing time.")
		}
	}
	return nil
}

// checkUpload validates an upload before its media is taken.
func (s *Server) checkUpload(method string, r *http.Request, meta []byte, size int64) *apiError {
	switch method {
	case "videos.insert":
		if _, e := requirePart(r); e != nil {
			return e
		}
		var v youtube.Video
		if err := json.Unmarshal(meta, &v); err != nil {
			return badRequest("parseError", "Parse Error: %v", err)
		}
		if v.Snippet == nil {
			return &apiError{code: 400, reason: "invalidTitle", domain: "youtube.video", message: "The request metadata specifies an invalid or empty video title."}
		}
		if e := checkVideo(&v, false); e != nil {
			return e
		}
		if size > 256<<30 {
			return &apiError{code: 413, reason: "mediaBodyTooLarge", domain: "global", message: "Media larger than 256GB"}
		}
	case "captions.insert":
		if size > 100<<20 {
			return &apiError{code: 413, reason: "mediaBodyTooLarge", domain: "global", message: "Media larger than 100MB"}
		}
	case "thumbnails.set":
		if size > 50<<20 {
			return &apiError{code: 413, reason: "mediaBodyTooLarge", domain: "global", message: "Media larger than 50MB"}
		}
	}
	return nil
}

func (s *Server) videosInsert(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/upload/") {
		drain(r)
		fail(w, badRequest("mediaBodyRequired", "The request does not include the video content."))
		return
	}
	s.serveUpload(w, r, "videos.insert")
}

// Outcome is what YouTube decides about an uploaded video after processing.
type Outcome struct {
	UploadStatus    string // "processed" (default), "rejected", "failed"
	RejectionReason string // with "rejected": "duplicate", "termsOfUse", ...
	FailureReason   string // with "failed": "codec", "invalidFile", ...
	LockPrivate     bool   // privacy forced to private
}

// SetNextOutcomes scripts the fate of the next uploads, one Outcome each.
func (s *Server) SetNextOutcomes(o ...Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outcomes = append(s.outcomes, o...)
}

func (s *Server) insertVideo(r *http.Request, meta []byte, m media) (int, []byte) {
	var v youtube.Video
	if err := json.Unmarshal(meta, &v); err != nil {
		return encodeError(*badRequest("parseError", "Parse Error: %v", err))
	}
	if v.Snippet == nil {
		v.Snippet = &youtube.VideoSnippet{}
	}
	if v.Status == nil {
		v.Status = &youtube.VideoStatus{}
	}
	if v.Status.PrivacyStatus == "" {
		v.Status.PrivacyStatus = "public" // the documented default
	}
	if v.Snippet.CategoryId == "" {
		v.Snippet.CategoryId = "22"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := videoID()
	v.Kind, v.Etag, v.Id = "youtube#video", etag(), id
	v.Snippet.PublishedAt = s.timestamp()
	v.Snippet.ChannelId = s.channel.Id
	v.Snippet.ChannelTitle = s.channel.Snippet.Title
	v.Snippet.LiveBroadcastContent = "none"
	v.Snippet.Localized = &youtube.VideoLocalization{Title: v.Snippet.Title, Description: v.Snippet.Description}
	v.Status.UploadStatus = "uploaded"
	v.Status.MadeForKids = v.Status.SelfDeclaredMadeForKids
	v.Status.License = "youtube"
	v.Status.Embeddable = true
	v.Status.PublicStatsViewable = true
	outcome := Outcome{LockPrivate: s.cfg.lockPrivate}
	if r == nil { // AddVideo: an old video, already processed
		outcome = Outcome{}
	} else if len(s.outcomes) > 0 {
		outcome = s.outcomes[0]
		s.outcomes = s.outcomes[1:]
	}
	stored := &video{
		res: &v, insertJSON: meta, uploadItemID: randomID(33), size: m.store.n, sha256: m.store.sum(), contentType: m.contentType,
	}
	if m.store.f != nil {
		stored.path = m.store.f.Name()
	}
	s.videos[id] = stored
	s.videoOrder = append(s.videoOrder, id)
	answer := *stored.res
	status := *v.Status
	answer.Status = &status
	// What videos.list shows from now on.
	switch outcome.UploadStatus {
	case "", "processed":
		v.Status.UploadStatus = "processed"
	default:
		v.Status.UploadStatus = outcome.UploadStatus
		v.Status.RejectionReason = outcome.RejectionReason
		v.Status.FailureReason = outcome.FailureReason
	}
	if outcome.LockPrivate {
		v.Status.PrivacyStatus = "private"
	}
	part := ""
	if r != nil {
		part = r.URL.Query().Get("part")
	}
	if part == "" {
		part = "snippet,status"
	}
	return encodeJSON(201, project(&answer, part))
}

func (s *Server) videosList(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	ids, e := requireParam(r, "id")
	if e != nil {
		fail(w, e)
		return
	}
	items := s.videoViews(strings.Split(ids, ","), part)
	writeJSON(w, 200, listResponse("youtube#videoListResponse", items, len(items), len(items), "", ""))
}

// videoViews are the videos of ids that exist, with part.
func (s *Server) videoViews(ids []string, part string) []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []any
	for _, id := range ids {
		if v, ok := s.videos[strings.TrimSpace(id)]; ok {
			items = append(items, project(v.res, part))
		}
	}
	return items
}

func (s *Server) videosUpdate(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in youtube.Video
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, badRequest("parseError", "Parse Error: %v", err))
		return
	}
	if e := checkVideo(&in, strings.Contains(part, "snippet")); e != nil {
		fail(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.videos[in.Id]
	if !ok {
		fail(w, notFound("youtube.video", "videoNotFound", "The video that you are trying to update cannot be found. Check the value of the id field in the request body to ensure that it is correct."))
		return
	}
	for _, p := range strings.Split(part, ",") {
		switch strings.TrimSpace(p) {
		case "snippet":
			if in.Snippet != nil {
				sn := *in.Snippet
				sn.PublishedAt, sn.ChannelId, sn.ChannelTitle = v.res.Snippet.PublishedAt, v.res.Snippet.ChannelId, v.res.Snippet.ChannelTitle
				sn.LiveBroadcastContent = "none"
				sn.Localized = &youtube.VideoLocalization{Title: sn.Title, Description: sn.Description}
				sn.Thumbnails = v.res.Snippet.Thumbnails
				v.res.Snippet = &sn
			}
		case "status":
			if in.Status != nil {
				st := *in.Status
				st.UploadStatus, st.FailureReason, st.RejectionReason = v.res.Status.UploadStatus, v.res.Status.FailureReason, v.res.Status.RejectionReason
				st.MadeForKids = st.SelfDeclaredMadeForKids
				st.License = v.res.Status.License
				if st.PrivacyStatus == "" {
					st.PrivacyStatus = v.res.Status.PrivacyStatus
				}
				v.res.Status = &st
			}
		}
	}
	v.res.Etag = etag()
	writeJSON(w, 200, project(v.res, part))
}

func (s *Server) videosDelete(w http.ResponseWriter, r *http.Request) {
	id, e := requireParam(r, "id")
	if e != nil {
		fail(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.videos[id]; !ok {
		fail(w, notFound("youtube.video", "videoNotFound", "The video that you are trying to delete cannot be found."))
		return
	}
	delete(s.videos, id)
	s.videoOrder = slices.DeleteFunc(s.videoOrder, func(x string) bool { return x == id })
	delete(s.captions, id)
	for pl, items := range s.items {
		s.items[pl] = renumber(slices.DeleteFunc(items, func(it *youtube.PlaylistItem) bool { return it.Snippet.ResourceId.VideoId == id }))
	}
	w.WriteHeader(204)
}
