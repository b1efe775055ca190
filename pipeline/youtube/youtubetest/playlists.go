package youtubetest

// The fake's playlists.list, insert, update and delete.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	youtube "google.golang.org/api/youtube/v3"
)

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
	resp, e := s.playlistsPage(r, part)
	if e != nil {
		fail(w, e)
		return
	}
	writeJSON(w, 200, resp)
}

// playlistsPage is the page of playlists.list that r asks for.
func (s *Server) playlistsPage(r *http.Request, part string) (map[string]any, *apiError) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
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
		return nil, badRequest("missingRequiredParameter", "No filter selected. Expected one of: channelId, id, mine")
	}
	return listPage(r, "youtube#playlistListResponse", all, func(p *youtube.Playlist) any {
		c := *p
		c.ContentDetails = &youtube.PlaylistContentDetails{ItemCount: int64(len(s.items[p.Id]))}
		return project(&c, part)
	})
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
