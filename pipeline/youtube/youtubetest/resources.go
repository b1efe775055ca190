package youtubetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
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

// ---- channels ----

func (s *Server) channelsList(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	q := r.URL.Query()
	var items []any
	s.mu.Lock()
	ch := *s.channel
	ch.ContentDetails = &youtube.ChannelContentDetails{RelatedPlaylists: &youtube.ChannelContentDetailsRelatedPlaylists{Uploads: s.uploadsID()}}
	ch.Statistics = &youtube.ChannelStatistics{VideoCount: uint64(len(s.videos))}
	s.mu.Unlock()
	if s.cfg.noChannel {
		// An account without a channel: nothing to list.
	} else if q.Get("mine") == "true" || slices.Contains(strings.Split(q.Get("id"), ","), ch.Id) {
		items = append(items, project(&ch, part))
	} else if q.Get("mine") == "" && q.Get("id") == "" && q.Get("forHandle") == "" {
		fail(w, badRequest("missingRequiredParameter", "No filter selected. Expected one of: forHandle, forUsername, id, idParam, managedByMe, mine, mySubscribers, categoryId"))
		return
	}
	writeJSON(w, 200, listResponse("youtube#channelListResponse", items, len(items), 5, "", ""))
}

// ---- videos ----

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
	var items []any
	s.mu.Lock()
	for _, id := range strings.Split(ids, ",") {
		if v, ok := s.videos[strings.TrimSpace(id)]; ok {
			items = append(items, project(v.res, part))
		}
	}
	s.mu.Unlock()
	writeJSON(w, 200, listResponse("youtube#videoListResponse", items, len(items), len(items), "", ""))
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

// ---- playlists ----

func (s *Server) findPlaylist(id string) *youtube.Playlist {
	for _, p := range s.playlists {
		if p.Id == id {
			return p
		}
	}
	return nil
}

func (s *Server) playlistsList(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	var all []*youtube.Playlist
	switch {
	case q.Get("mine") == "true" || q.Get("channelId") == s.channel.Id:
		all = s.playlists
	case q.Get("id") != "":
		for _, id := range strings.Split(q.Get("id"), ",") {
			if p := s.findPlaylist(strings.TrimSpace(id)); p != nil {
				all = append(all, p)
			}
		}
	case q.Get("channelId") != "":
	default:
		s.mu.Unlock()
		fail(w, badRequest("missingRequiredParameter", "No filter selected. Expected one of: channelId, id, mine"))
		return
	}
	resp, e := listPage(r, "youtube#playlistListResponse", all, func(p *youtube.Playlist) any {
		c := *p
		c.ContentDetails = &youtube.PlaylistContentDetails{ItemCount: int64(len(s.items[p.Id]))}
		return project(&c, part)
	})
	s.mu.Unlock()
	if e != nil {
		fail(w, e)
		return
	}
	writeJSON(w, 200, resp)
}

func (s *Server) playlistsInsert(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in youtube.Playlist
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, badRequest("parseError", "Parse Error: %v", err))
		return
	}
	if in.Snippet == nil || strings.TrimSpace(in.Snippet.Title) == "" {
		fail(w, &apiError{code: 400, reason: "playlistTitleRequired", domain: "youtube.playlist", message: "The request must specify a playlist title."})
		return
	}
	if utf8.RuneCountInString(in.Snippet.Title) > 150 {
		fail(w, &apiError{code: 400, reason: "invalidPlaylistSnippet", domain: "youtube.playlist", message: "The request provides an invalid playlist snippet."})
		return
	}
	if in.Status == nil {
		in.Status = &youtube.PlaylistStatus{}
	}
	if in.Status.PrivacyStatus == "" {
		in.Status.PrivacyStatus = "public"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in.Kind, in.Etag, in.Id = "youtube#playlist", etag(), "PL"+randomID(24)
	in.Snippet.PublishedAt = s.timestamp()
	in.Snippet.ChannelId = s.channel.Id
	in.Snippet.ChannelTitle = s.channel.Snippet.Title
	in.Snippet.Localized = &youtube.PlaylistLocalization{Title: in.Snippet.Title, Description: in.Snippet.Description}
	p := in
	s.playlists = append(s.playlists, &p)
	writeJSON(w, 200, project(&p, part))
}

func (s *Server) playlistsUpdate(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in youtube.Playlist
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, badRequest("parseError", "Parse Error: %v", err))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPlaylist(in.Id)
	if p == nil {
		fail(w, notFound("youtube.playlist", "playlistNotFound", "The playlist identified with the request's id parameter cannot be found."))
		return
	}
	if strings.Contains(part, "snippet") && in.Snippet != nil {
		if strings.TrimSpace(in.Snippet.Title) == "" {
			fail(w, &apiError{code: 400, reason: "playlistTitleRequired", domain: "youtube.playlist", message: "The request must specify a playlist title."})
			return
		}
		sn := *in.Snippet
		sn.PublishedAt, sn.ChannelId, sn.ChannelTitle = p.Snippet.PublishedAt, p.Snippet.ChannelId, p.Snippet.ChannelTitle
		sn.Localized = &youtube.PlaylistLocalization{Title: sn.Title, Description: sn.Description}
		p.Snippet = &sn
	}
	if strings.Contains(part, "status") && in.Status != nil {
		st := *in.Status
		p.Status = &st
	}
	p.Etag = etag()
	writeJSON(w, 200, project(p, part))
}

func (s *Server) playlistsDelete(w http.ResponseWriter, r *http.Request) {
	id, e := requireParam(r, "id")
	if e != nil {
		fail(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.findPlaylist(id) == nil {
		fail(w, notFound("youtube.playlist", "playlistNotFound", "The playlist identified with the request's id parameter cannot be found."))
		return
	}
	s.playlists = slices.DeleteFunc(s.playlists, func(p *youtube.Playlist) bool { return p.Id == id })
	delete(s.items, id)
	w.WriteHeader(204)
}

// ---- playlistItems ----

func renumber(items []*youtube.PlaylistItem) []*youtube.PlaylistItem {
	for i, it := range items {
		it.Snippet.Position = int64(i)
		it.Snippet.ForceSendFields = []string{"Position"}
	}
	return items
}

func (s *Server) playlistItemsList(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	var all []*youtube.PlaylistItem
	switch {
	case q.Get("playlistId") == s.uploadsID():
		all = s.uploadItems()
	case q.Get("playlistId") != "":
		if s.findPlaylist(q.Get("playlistId")) == nil {
			s.mu.Unlock()
			fail(w, notFound("youtube.playlistItem", "playlistNotFound", "The playlist identified with the request's <code>playlistId</code> parameter cannot be found."))
			return
		}
		all = s.items[q.Get("playlistId")]
		if v := q.Get("videoId"); v != "" {
			all = slices.DeleteFunc(slices.Clone(all), func(it *youtube.PlaylistItem) bool { return it.Snippet.ResourceId.VideoId != v })
		}
	case q.Get("id") != "":
		for _, id := range strings.Split(q.Get("id"), ",") {
			if it, _ := s.findItem(strings.TrimSpace(id)); it != nil {
				all = append(all, it)
			}
		}
	default:
		s.mu.Unlock()
		fail(w, badRequest("missingRequiredParameter", "No filter selected. Expected one of: id, playlistId"))
		return
	}
	resp, e := listPage(r, "youtube#playlistItemListResponse", all, func(it *youtube.PlaylistItem) any { return project(it, part) })
	s.mu.Unlock()
	if e != nil {
		fail(w, e)
		return
	}
	writeJSON(w, 200, resp)
}

// uploadsID is the id of the channel's uploads playlist.
func (s *Server) uploadsID() string { return "UU" + s.channel.Id[2:] }

// uploadItems returns the items of the uploads playlist, newest video
// first. s.mu is held.
func (s *Server) uploadItems() []*youtube.PlaylistItem {
	var items []*youtube.PlaylistItem
	for i := len(s.videoOrder) - 1; i >= 0; i-- {
		v := s.videos[s.videoOrder[i]]
		items = append(items, &youtube.PlaylistItem{
			Kind: "youtube#playlistItem", Etag: etag(), Id: v.uploadItemID,
			Snippet: &youtube.PlaylistItemSnippet{
				PublishedAt:            v.res.Snippet.PublishedAt,
				ChannelId:              s.channel.Id,
				ChannelTitle:           s.channel.Snippet.Title,
				Title:                  v.res.Snippet.Title,
				Description:            v.res.Snippet.Description,
				PlaylistId:             s.uploadsID(),
				ResourceId:             &youtube.ResourceId{Kind: "youtube#video", VideoId: v.res.Id},
				VideoOwnerChannelId:    s.channel.Id,
				VideoOwnerChannelTitle: s.channel.Snippet.Title,
			},
			ContentDetails: &youtube.PlaylistItemContentDetails{VideoId: v.res.Id, VideoPublishedAt: v.res.Snippet.PublishedAt},
			Status:         &youtube.PlaylistItemStatus{PrivacyStatus: v.res.Status.PrivacyStatus},
		})
	}
	return renumber(items)
}

func (s *Server) findItem(id string) (*youtube.PlaylistItem, string) {
	for pl, items := range s.items {
		for _, it := range items {
			if it.Id == id {
				return it, pl
			}
		}
	}
	return nil, ""
}

// checkItem validates the snippet of playlistItems.insert and update. s.mu is held.
func (s *Server) checkItem(in *youtube.PlaylistItem) (*video, *apiError) {
	if in.Snippet == nil || in.Snippet.PlaylistId == "" {
		return nil, &apiError{code: 400, reason: "playlistIdRequired", domain: "youtube.playlistItem", message: "The request does not specify a value for the required playlistId property."}
	}
	if s.findPlaylist(in.Snippet.PlaylistId) == nil {
		return nil, notFound("youtube.playlistItem", "playlistNotFound", "The playlist identified with the request's <code>playlistId</code> parameter cannot be found.")
	}
	if in.Snippet.ResourceId == nil || in.Snippet.ResourceId.VideoId == "" {
		return nil, &apiError{code: 400, reason: "videoRequired", domain: "youtube.playlistItem", message: "The request must specify a video ID in the resourceId property."}
	}
	v, ok := s.videos[in.Snippet.ResourceId.VideoId]
	if !ok {
		return nil, notFound("youtube.playlistItem", "videoNotFound", "The video that you are trying to add to the playlist cannot be found. Check the value of the <code>videoId</code> property.")
	}
	return v, nil
}

func (s *Server) playlistItemsInsert(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	raw, err := readAllLimit(r, 1<<20)
	if err != nil {
		return
	}
	var in youtube.PlaylistItem
	var shape struct {
		Snippet struct {
			Position *int64 `json:"position"`
		} `json:"snippet"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		fail(w, badRequest("parseError", "Parse Error: %v", err))
		return
	}
	json.Unmarshal(raw, &shape)
	s.mu.Lock()
	defer s.mu.Unlock()
	v, e := s.checkItem(&in)
	if e != nil {
		fail(w, e)
		return
	}
	pl := in.Snippet.PlaylistId
	items := s.items[pl]
	pos := int64(len(items))
	if shape.Snippet.Position != nil {
		pos = *shape.Snippet.Position
	}
	if pos < 0 || pos > int64(len(items)) {
		fail(w, &apiError{code: 400, reason: "invalidPlaylistItemPosition", domain: "youtube.playlistItem", message: "The request attempts to set the playlist item's position to an invalid or unsupported value. Check the value of the position property in the resource's snippet."})
		return
	}
	it := &youtube.PlaylistItem{
		Kind: "youtube#playlistItem", Etag: etag(), Id: randomID(33),
		Snippet: &youtube.PlaylistItemSnippet{
			PublishedAt:            s.timestamp(),
			ChannelId:              s.channel.Id,
			ChannelTitle:           s.channel.Snippet.Title,
			Title:                  v.res.Snippet.Title,
			Description:            v.res.Snippet.Description,
			PlaylistId:             pl,
			ResourceId:             &youtube.ResourceId{Kind: "youtube#video", VideoId: v.res.Id},
			VideoOwnerChannelId:    s.channel.Id,
			VideoOwnerChannelTitle: s.channel.Snippet.Title,
		},
		ContentDetails: &youtube.PlaylistItemContentDetails{VideoId: v.res.Id, VideoPublishedAt: v.res.Snippet.PublishedAt},
		Status:         &youtube.PlaylistItemStatus{PrivacyStatus: v.res.Status.PrivacyStatus},
	}
	s.items[pl] = renumber(slices.Insert(items, int(pos), it))
	writeJSON(w, 200, project(it, part))
}

// readAllLimit reads a request body of at most n bytes.
func readAllLimit(r *http.Request, n int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, n))
}

// validLanguage reports whether tag is a BCP-47 language tag of a known
// language ("cn" is not).
func validLanguage(tag string) bool {
	_, err := language.Parse(tag)
	return tag != "" && err == nil
}

// sbvTime matches a SubViewer cue time line.
var sbvTime = regexp.MustCompile(`(?m)^\d+:\d{2}:\d{2}\.\d{3},\d+:\d{2}:\d{2}\.\d{3}`)

func (s *Server) playlistItemsUpdate(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in youtube.PlaylistItem
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, badRequest("parseError", "Parse Error: %v", err))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, pl := s.findItem(in.Id)
	if it == nil {
		fail(w, notFound("youtube.playlistItem", "playlistItemNotFound", "The playlist item identified with the request's <code>id</code> property cannot be found."))
		return
	}
	if _, e := s.checkItem(&in); e != nil {
		fail(w, e)
		return
	}
	if in.Snippet.PlaylistId != pl {
		fail(w, &apiError{code: 400, reason: "invalidValue", domain: "youtube.playlistItem", message: "The playlist item cannot be moved to another playlist."})
		return
	}
	items := slices.DeleteFunc(s.items[pl], func(x *youtube.PlaylistItem) bool { return x == it })
	pos := in.Snippet.Position
	if pos < 0 || pos > int64(len(items)) {
		fail(w, &apiError{code: 400, reason: "invalidPlaylistItemPosition", domain: "youtube.playlistItem", message: "The request attempts to set the playlist item's position to an invalid or unsupported value."})
		s.items[pl] = renumber(slices.Insert(items, int(it.Snippet.Position), it))
		return
	}
	it.Snippet.ResourceId = in.Snippet.ResourceId
	it.Etag = etag()
	s.items[pl] = renumber(slices.Insert(items, int(pos), it))
	writeJSON(w, 200, project(it, part))
}

func (s *Server) playlistItemsDelete(w http.ResponseWriter, r *http.Request) {
	id, e := requireParam(r, "id")
	if e != nil {
		fail(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, pl := s.findItem(id)
	if it == nil {
		fail(w, notFound("youtube.playlistItem", "playlistItemNotFound", "The playlist item identified with the request's <code>id</code> parameter cannot be found."))
		return
	}
	s.items[pl] = renumber(slices.DeleteFunc(s.items[pl], func(x *youtube.PlaylistItem) bool { return x == it }))
	w.WriteHeader(204)
}

// ---- captions ----

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
	s.mu.Lock()
	c := s.findCaption(id)
	var content []byte
	if c != nil {
		content = c.content
	}
	s.mu.Unlock()
	if c == nil {
		fail(w, notFound("youtube.caption", "captionNotFound", "The caption track could not be found."))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.Write(content)
}

// ---- thumbnails ----

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
