package pipeline

import (
	"bytes"
	"context"
	"errors"

	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// YouTubeTarget publishes to the signed-in YouTube channel through a
// youtube.Client, which retries, resumes uploads and counts quota.
type YouTubeTarget struct {
	c *youtube.Client
	q *youtube.Quota
	// ChunkSize is the upload chunk size (see youtube.UploadOptions); 0, the
	// default, sends the rest of the file in one request.
	ChunkSize int64
	// Warn receives what the user should know but that does not fail the
	// lesson (a video kept private by YouTube, thumbnails not allowed).
	Warn func(string)
}

// NewYouTubeTarget returns a target over c. A nil c with the quota counter
// q gives a target that can only price a plan (--dry-run before sign-in).
func NewYouTubeTarget(c *youtube.Client, q *youtube.Quota) *YouTubeTarget {
	if q == nil && c != nil {
		q = c.Quota()
	}
	return &YouTubeTarget{c: c, q: q}
}

func (t *YouTubeTarget) warn(msg string) {
	if t.Warn != nil {
		t.Warn(msg)
	}
}

// Name implements Target.
func (t *YouTubeTarget) Name() string { return "youtube" }

// Playlist implements Target.
func (t *YouTubeTarget) Playlist(ctx context.Context, knownID string, meta PlaylistMeta, create bool) (*Playlist, error) {
	var p *yt.Playlist
	var err error
	if create {
		p, err = t.c.CreatePlaylist(ctx, playlistSpec(meta))
	} else {
		p, err = t.c.LookupPlaylist(ctx, knownID, meta.Title)
	}
	if err != nil || p == nil {
		return nil, err
	}
	pl := &Playlist{ID: p.Id}
	if p.Snippet != nil {
		pl.Title, pl.Description = p.Snippet.Title, p.Snippet.Description
	}
	if p.Status != nil {
		pl.Privacy = p.Status.PrivacyStatus
	}
	return pl, nil
}

// UpdatePlaylist implements Target.
func (t *YouTubeTarget) UpdatePlaylist(ctx context.Context, id string, meta PlaylistMeta) error {
	_, err := t.c.UpdatePlaylist(ctx, id, playlistSpec(meta))
	return err
}

func playlistSpec(m PlaylistMeta) youtube.PlaylistSpec {
	return youtube.PlaylistSpec{Title: m.Title, Description: m.Description, Privacy: m.Privacy}
}

// Items implements Target.
func (t *YouTubeTarget) Items(ctx context.Context, playlistID string) ([]Item, error) {
	its, err := t.c.PlaylistItems(ctx, playlistID)
	if err != nil {
		return nil, err
	}
	items := make([]Item, 0, len(its))
	for i, it := range its {
		item := Item{ID: it.Id, Video: youtube.ItemVideoID(it), Position: i}
		if it.Snippet != nil {
			item.Title = it.Snippet.Title
			item.Key = youtube.KeyOf(it.Snippet.Description)
			item.Position = int(it.Snippet.Position)
		}
		items = append(items, item)
	}
	return items, nil
}

func metadata(m VideoMeta) youtube.Metadata {
	return youtube.Metadata{
		Title: m.Title, Description: m.Description, Key: m.LessonKey, Tags: m.Tags,
		CategoryID: m.Category, Privacy: m.Privacy, MadeForKids: m.MadeForKids,
		Language: m.DefaultLanguage, AudioLanguage: m.DefaultAudioLanguage,
	}
}

// Upload implements Target. The upload is resumed across runs by the
// lesson's key and the file; the video's status is read afterwards.
func (t *YouTubeTarget) Upload(ctx context.Context, file string, meta VideoMeta, progress func(sent, total int64)) (string, error) {
	v, err := t.c.Upload(ctx, file, youtube.NewVideo(metadata(meta)), youtube.UploadOptions{
		Key:       meta.LessonKey,
		ChunkSize: t.ChunkSize,
		Progress: func(p youtube.Progress) {
			if progress != nil {
				progress(p.Sent, p.Total)
			}
		},
	})
	if err != nil {
		return "", err
	}
	var sp *youtube.StatusProblem
	if err := t.c.CheckStatus(ctx, v.Id, meta.Privacy); errors.As(err, &sp) {
		t.warn(sp.Error())
	} else if err != nil && errors.Is(err, youtube.ErrLimit) {
		// The video is up; its status can be read another day.
		t.warn("could not read the new video's status: " + err.Error())
	}
	return v.Id, nil
}

// VideoExists implements Target (videos.list, 1 unit).
func (t *YouTubeTarget) VideoExists(ctx context.Context, videoID string) (bool, error) {
	v, err := t.c.Video(ctx, videoID)
	return v != nil, err
}

// UpdateMetadata implements Target.
func (t *YouTubeTarget) UpdateMetadata(ctx context.Context, videoID string, meta VideoMeta) error {
	_, err := t.c.UpdateVideo(ctx, videoID, metadata(meta))
	return err
}

// InsertItem implements Target.
func (t *YouTubeTarget) InsertItem(ctx context.Context, playlistID, videoID string, position int) (string, error) {
	it, err := t.c.AddToPlaylist(ctx, playlistID, videoID, int64(position))
	if err != nil {
		return "", err
	}
	return it.Id, nil
}

// RemoveItem implements Target.
func (t *YouTubeTarget) RemoveItem(ctx context.Context, itemID string) error {
	return t.c.RemoveFromPlaylist(ctx, itemID)
}

// DeleteVideo implements Target. A video already gone counts as deleted.
func (t *YouTubeTarget) DeleteVideo(ctx context.Context, videoID string) error {
	return t.c.DeleteVideo(ctx, videoID)
}

// Captions implements Target.
func (t *YouTubeTarget) Captions(ctx context.Context, videoID string) (map[string]string, error) {
	tracks, err := t.c.Captions(ctx, videoID)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, tr := range tracks {
		if tr.Snippet != nil && tr.Snippet.Name == youtube.TrackName(tr.Snippet.Language) {
			m[tr.Snippet.Language] = tr.Id
		}
	}
	return m, nil
}

// SetCaption implements Target.
func (t *YouTubeTarget) SetCaption(ctx context.Context, videoID string, c Caption, trackID string) (string, error) {
	if trackID != "" {
		tr, err := t.c.UpdateCaption(ctx, trackID, bytes.NewReader(c.SRT))
		if err != nil {
			return "", err
		}
		return tr.Id, nil
	}
	tr, err := t.c.UploadCaption(ctx, videoID, c.Language, c.Name, bytes.NewReader(c.SRT))
	if err != nil {
		return "", err
	}
	return tr.Id, nil
}

// DeleteCaption implements Target (captions.delete).
func (t *YouTubeTarget) DeleteCaption(ctx context.Context, videoID, lang, trackID string) error {
	return t.c.DeleteCaption(ctx, trackID)
}

// SetThumbnail implements Target. A channel not yet allowed custom
// thumbnails gets a warning; the lesson is still published.
func (t *YouTubeTarget) SetThumbnail(ctx context.Context, videoID, file string) error {
	err := t.c.SetThumbnail(ctx, videoID, file)
	if errors.Is(err, youtube.ErrThumbnailNotAllowed) {
		t.warn(err.Error())
		return nil
	}
	return err
}

// URL implements Target.
func (t *YouTubeTarget) URL(videoID string) string { return "https://youtu.be/" + videoID }

// Cost implements Target, from the quota table of package youtube.
func (t *YouTubeTarget) Cost(op Op) Cost {
	u := youtube.Cost
	switch op {
	case OpUpload:
		return Cost{Uploads: 1, Units: u("videos.list")} // the status check after it
	case OpUpdateVideo:
		return Cost{Units: u("videos.update")}
	case OpCreatePlaylist:
		return Cost{Units: u("playlists.insert")}
	case OpUpdatePlaylist:
		return Cost{Units: u("playlists.update")}
	case OpInsertItem:
		return Cost{Units: u("playlistItems.insert")}
	case OpRemoveItem:
		return Cost{Units: u("playlistItems.delete")}
	case OpDeleteVideo:
		return Cost{Units: u("videos.delete")}
	case OpInsertCaption:
		return Cost{Units: u("captions.insert")}
	case OpUpdateCaption:
		return Cost{Units: u("captions.update")}
	case OpDeleteCaption:
		return Cost{Units: u("captions.delete")}
	case OpListCaptions:
		return Cost{Units: u("captions.list")}
	case OpThumbnail:
		return Cost{Units: u("thumbnails.set")}
	default:
		return Cost{Units: 1}
	}
}

// Budget implements Target: what lessonpub counted of today's quota.
func (t *YouTubeTarget) Budget(ctx context.Context) (Budget, error) {
	left, err := t.q.Left()
	if err != nil {
		return Budget{}, err
	}
	l := t.q.Limits()
	return Budget{Limited: true, Units: left.Units, Uploads: left.Uploads, Reset: left.Reset,
		PerDay: Cost{Units: l.Units, Uploads: l.Uploads}}, nil
}
