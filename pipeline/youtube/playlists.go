package youtube

import (
	"context"
	"errors"

	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
)

// PlaylistSpec is what a course's playlist is made from.
type PlaylistSpec struct {
	Title string
	// Description ends with the course key line (pipeline.WithCourseKey),
	// by which the playlist is found when no id is known.
	Description string
	Privacy     string // private (default), unlisted or public
	Language    string // BCP 47 tag of title and description; may be ""
}

// EnsurePlaylist returns the course's playlist: the one LookupPlaylist
// finds, else a new one (created reports that). Record the id: a playlist
// is never created twice, even when an insert's answer is lost, and a
// course whose title changed keeps its playlist.
func (c *Client) EnsurePlaylist(ctx context.Context, knownID string, spec PlaylistSpec) (p *yt.Playlist, created bool, err error) {
	if p, _, err := c.LookupPlaylist(ctx, knownID, pipeline.CourseKeyOf(spec.Description), spec.Title); err != nil || p != nil {
		return p, false, err
	}
	p, err = c.CreatePlaylist(ctx, spec)
	return p, err == nil, err
}

// CreatePlaylist makes a new playlist from spec, for a caller that has
// looked (LookupPlaylist) and found none. An insert whose answer is lost is
// not repeated when a playlist with the course key line of spec.Description
// is on the channel (a playlist without one may be created twice then).
func (c *Client) CreatePlaylist(ctx context.Context, spec PlaylistSpec) (p *yt.Playlist, err error) {
	err = c.invoke(ctx, "playlists.insert", func(ctx context.Context) (err error) {
		p, err = c.svc.Playlists.Insert([]string{"snippet", "status"}, newPlaylist(spec)).Context(ctx).Do()
		return err
	}, func() (bool, error) {
		key := pipeline.CourseKeyOf(spec.Description)
		if key == "" {
			return false, nil
		}
		found, _, err := c.FindPlaylist(ctx, key, spec.Title)
		p = found
		return found != nil, err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// LookupPlaylist returns the playlist with knownID while it exists, else
// the channel's playlist whose description ends with the course key line of
// courseKey (see pipeline.WithCourseKey), else nil. A playlist is never
// taken by its title alone: titled is the first playlist titled title
// without the key line (nil when none), for the caller to warn about.
func (c *Client) LookupPlaylist(ctx context.Context, knownID, courseKey, title string) (p, titled *yt.Playlist, err error) {
	if knownID != "" {
		p, err := c.Playlist(ctx, knownID)
		if err != nil || p != nil {
			return p, nil, err
		}
		c.cfg.log(captions.Textf("playlist %s is no longer on YouTube; looking for the course's playlist", knownID))
	}
	return c.FindPlaylist(ctx, courseKey, title)
}

// UpdatePlaylist sets the title, description, language and privacy of the
// playlist id to spec's (playlists.update).
func (c *Client) UpdatePlaylist(ctx context.Context, id string, spec PlaylistSpec) (*yt.Playlist, error) {
	pl := newPlaylist(spec)
	pl.Id = id
	var res *yt.Playlist
	err := c.call(ctx, "playlists.update", func(ctx context.Context) (err error) {
		res, err = c.svc.Playlists.Update([]string{"snippet", "status"}, pl).Context(ctx).Do()
		return err
	})
	return res, err
}

// newPlaylist builds the playlist resource for spec.
func newPlaylist(spec PlaylistSpec) *yt.Playlist {
	privacy := spec.Privacy
	if privacy == "" {
		privacy = "private"
	}
	return &yt.Playlist{
		Snippet: &yt.PlaylistSnippet{Title: spec.Title, Description: spec.Description, DefaultLanguage: spec.Language},
		Status:  &yt.PlaylistStatus{PrivacyStatus: privacy},
	}
}

// Playlist returns the playlist with this id, or nil when there is none.
func (c *Client) Playlist(ctx context.Context, id string) (*yt.Playlist, error) {
	var res *yt.PlaylistListResponse
	err := c.call(ctx, "playlists.list", func(ctx context.Context) (err error) {
		res, err = c.svc.Playlists.List([]string{"snippet", "status"}).Id(id).Context(ctx).Do()
		return err
	})
	if err != nil || len(res.Items) == 0 {
		return nil, err
	}
	return res.Items[0], nil
}

// FindPlaylist returns the channel's playlist whose description carries
// the course key line of courseKey, or nil; titled is the first one titled
// title without a course key line (nil when none).
func (c *Client) FindPlaylist(ctx context.Context, courseKey, title string) (p, titled *yt.Playlist, err error) {
	page := ""
	for {
		var res *yt.PlaylistListResponse
		err := c.call(ctx, "playlists.list", func(ctx context.Context) (err error) {
			res, err = c.svc.Playlists.List([]string{"snippet", "status"}).Mine(true).MaxResults(50).PageToken(page).Context(ctx).Do()
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		for _, p := range res.Items {
			if p.Snippet == nil {
				continue
			}
			k := pipeline.CourseKeyOf(p.Snippet.Description)
			if courseKey != "" && k == courseKey {
				return p, nil, nil
			}
			if titled == nil && k == "" && p.Snippet.Title == title {
				titled = p
			}
		}
		if res.NextPageToken == "" {
			return nil, titled, nil
		}
		page = res.NextPageToken
	}
}

// PlaylistItems returns all items of the playlist in playlist order.
func (c *Client) PlaylistItems(ctx context.Context, playlistID string) ([]*yt.PlaylistItem, error) {
	var items []*yt.PlaylistItem
	page := ""
	for {
		var res *yt.PlaylistItemListResponse
		err := c.call(ctx, "playlistItems.list", func(ctx context.Context) (err error) {
			res, err = c.svc.PlaylistItems.List([]string{"snippet", "contentDetails"}).PlaylistId(playlistID).MaxResults(50).PageToken(page).Context(ctx).Do()
			return err
		})
		if err != nil {
			return nil, err
		}
		items = append(items, res.Items...)
		if res.NextPageToken == "" {
			return items, nil
		}
		page = res.NextPageToken
	}
}

// ItemVideoID returns the id of the video a playlist item holds.
func ItemVideoID(it *yt.PlaylistItem) string {
	if it.Snippet != nil && it.Snippet.ResourceId != nil && it.Snippet.ResourceId.VideoId != "" {
		return it.Snippet.ResourceId.VideoId
	}
	if it.ContentDetails != nil {
		return it.ContentDetails.VideoId
	}
	return ""
}

func findItem(items []*yt.PlaylistItem, videoID string) *yt.PlaylistItem {
	for _, it := range items {
		if ItemVideoID(it) == videoID {
			return it
		}
	}
	return nil
}

// AddToPlaylist puts the video in the playlist at position (0 first; a
// negative position or one past the end appends) and returns its item. A
// video already in the playlist is left where it is: a video is never in a
// playlist twice, even when YouTube answers 404 videoNotFound for a fresh
// upload it added anyway.
func (c *Client) AddToPlaylist(ctx context.Context, playlistID, videoID string, position int64) (*yt.PlaylistItem, error) {
	items, err := c.PlaylistItems(ctx, playlistID)
	if err != nil {
		return nil, err
	}
	if it := findItem(items, videoID); it != nil {
		return it, nil
	}
	item := &yt.PlaylistItem{Snippet: &yt.PlaylistItemSnippet{
		PlaylistId: playlistID,
		ResourceId: &yt.ResourceId{Kind: "youtube#video", VideoId: videoID},
	}}
	if position >= 0 && position < int64(len(items)) {
		item.Snippet.Position = position
		item.Snippet.ForceSendFields = []string{"Position"}
	}
	var res *yt.PlaylistItem
	err = c.invoke(ctx, "playlistItems.insert", func(ctx context.Context) (err error) {
		res, err = c.svc.PlaylistItems.Insert([]string{"snippet"}, item).Context(ctx).Do()
		return err
	}, func() (bool, error) {
		items, err := c.PlaylistItems(ctx, playlistID)
		res = findItem(items, videoID)
		return res != nil, err
	})
	return res, err
}

// RemoveFromPlaylist deletes a playlist item. An item already gone is fine.
func (c *Client) RemoveFromPlaylist(ctx context.Context, itemID string) error {
	return c.remove(ctx, "playlistItems.delete", func(ctx context.Context) error {
		return c.svc.PlaylistItems.Delete(itemID).Context(ctx).Do()
	})
}

// MoveItem moves the playlist item itemID of videoID to position (0-based)
// in its playlist (playlistItems.update with snippet.position, 50 units).
func (c *Client) MoveItem(ctx context.Context, playlistID, itemID, videoID string, position int64) error {
	item := &yt.PlaylistItem{Id: itemID, Snippet: &yt.PlaylistItemSnippet{
		PlaylistId:      playlistID,
		ResourceId:      &yt.ResourceId{Kind: "youtube#video", VideoId: videoID},
		Position:        position,
		ForceSendFields: []string{"Position"},
	}}
	return c.call(ctx, "playlistItems.update", func(ctx context.Context) error {
		_, err := c.svc.PlaylistItems.Update([]string{"snippet"}, item).Context(ctx).Do()
		return err
	})
}

// FindUploads looks through the channel's uploads (its uploads playlist,
// newest first, 50 a page at 1 unit a page, plus channels.list) for the
// videos whose descriptions end with the key line of one of keys, and
// returns their ids by key (the newest of several); a key written by an
// earlier lessonpub counts as its NormalizeLegacy form. It stops as soon as
// every key is found.
func (c *Client) FindUploads(ctx context.Context, keys []string) (map[string]string, error) {
	found := map[string]string{}
	if len(keys) == 0 {
		return found, nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	ch, err := c.Channel(ctx)
	if err != nil {
		return nil, err
	}
	if ch.ContentDetails == nil || ch.ContentDetails.RelatedPlaylists == nil || ch.ContentDetails.RelatedPlaylists.Uploads == "" {
		return found, nil
	}
	uploads := ch.ContentDetails.RelatedPlaylists.Uploads
	page := ""
	for {
		var res *yt.PlaylistItemListResponse
		err := c.call(ctx, "playlistItems.list", func(ctx context.Context) (err error) {
			res, err = c.svc.PlaylistItems.List([]string{"snippet", "contentDetails"}).PlaylistId(uploads).MaxResults(50).PageToken(page).Context(ctx).Do()
			return err
		})
		if hasReason(err, "playlistNotFound") && !errors.Is(err, pipeline.ErrDailyLimit) {
			return found, nil // a channel without uploads may have no uploads playlist yet
		}
		if err != nil {
			return nil, err
		}
		for _, it := range res.Items {
			if it.Snippet == nil {
				continue
			}
			k := pipeline.KeyOf(it.Snippet.Description)
			if !want[k] {
				k = pipeline.NormalizeLegacy(k) // written by an earlier lessonpub
			}
			if _, seen := found[k]; want[k] && !seen {
				found[k] = ItemVideoID(it)
			}
		}
		if len(found) == len(want) || res.NextPageToken == "" {
			return found, nil
		}
		page = res.NextPageToken
	}
}
