package youtubetest

// The fake's playlistItems.list, insert, update and delete, and the
// channel's uploads playlist.

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
	youtube "google.golang.org/api/youtube/v3"
)

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
	resp, e := s.itemsPage(r, part)
	if e != nil {
		fail(w, e)
		return
	}
	writeJSON(w, 200, resp)
}

// itemsPage is the page of playlistItems.list that r asks for.
func (s *Server) itemsPage(r *http.Request, part string) (map[string]any, *apiError) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*youtube.PlaylistItem
	switch {
	case q.Get("playlistId") == s.uploadsID():
		all = s.uploadItems()
	case q.Get("playlistId") != "":
		if s.findPlaylist(q.Get("playlistId")) == nil {
			return nil, notFound("youtube.playlistItem", "playlistNotFound", "The playlist identified with the request's <code>playlistId</code> parameter cannot be found.")
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
		return nil, badRequest("missingRequiredParameter", "No filter selected. Expected one of: id, playlistId")
	}
	return listPage(r, "youtube#playlistItemListResponse", all, func(it *youtube.PlaylistItem) any { return project(it, part) })
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
