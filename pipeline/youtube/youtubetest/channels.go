package youtubetest

// The fake's channels.list.

import (
	"net/http"
	"slices"
	"strings"

	youtube "google.golang.org/api/youtube/v3"
)

func (s *Server) channelsList(w http.ResponseWriter, r *http.Request) {
	part, e := requirePart(r)
	if e != nil {
		fail(w, e)
		return
	}
	q := r.URL.Query()
	var items []any
	ch := s.channelView()
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

// channelView is the channel as channels.list shows it.
func (s *Server) channelView() youtube.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := *s.channel
	ch.ContentDetails = &youtube.ChannelContentDetails{RelatedPlaylists: &youtube.ChannelContentDetailsRelatedPlaylists{Uploads: s.uploadsID()}}
	ch.Statistics = &youtube.ChannelStatistics{VideoCount: uint64(len(s.videos))}
	return ch
}
