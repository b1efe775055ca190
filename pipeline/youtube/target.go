package youtube

import (
	"bytes"
	"context"
	"errors"

	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
)

// Target publishes to the signed-in YouTube channel through a
// Client, which retries, resumes uploads and counts quota.
type Target struct {
	c *Client
	q *Quota
	// ChunkSize is the upload chunk size (see UploadOptions); 0, the
	// default, sends the rest of the file in one request.
	ChunkSize int64
	// Warn receives what the user should know but that does not fail the
	// lesson (a video kept private by YouTube, thumbnails not allowed).
	Warn func(*captions.Text)
}

// NewTarget returns a pipeline.Target over c. A nil c with the quota counter
// q gives a target that can only price a plan (--dry-run before sign-in).
func NewTarget(c *Client, q *Quota) *Target {
	if q == nil && c != nil {
		q = c.Quota()
	}
	return &Target{c: c, q: q}
}

func (t *Target) warn(msg *captions.Text) {
	if t.Warn != nil {
		t.Warn(msg)
	}
}

// Name implements pipeline.Target.
func (t *Target) Name() string { return "youtube" }

// Playlist implements pipeline.Target.
func (t *Target) Playlist(ctx context.Context, knownID string, meta pipeline.PlaylistMeta, create bool) (*pipeline.Playlist, error) {
	var p *yt.Playlist
	var err error
	if create {
		p, err = t.c.CreatePlaylist(ctx, playlistSpec(meta))
	} else {
		var titled *yt.Playlist
		p, titled, err = t.c.LookupPlaylist(ctx, knownID, pipeline.CourseKeyOf(meta.Description), meta.Title)
		if p == nil && titled != nil && err == nil {
			t.warn(captions.Textf("a playlist titled %q is on the channel but is not this course's (its description has no '%sKEY' line); a new playlist is made. If it is this course's, add the line %q as the last line of its description and run again",
				meta.Title, pipeline.CourseKeyPrefix, pipeline.CourseKeyPrefix+pipeline.CourseKeyOf(meta.Description)))
		}
	}
	if err != nil || p == nil {
		return nil, err
	}
	pl := &pipeline.Playlist{ID: p.Id}
	if p.Snippet != nil {
		pl.Title, pl.Description = p.Snippet.Title, p.Snippet.Description
	}
	if p.Status != nil {
		pl.Privacy = p.Status.PrivacyStatus
	}
	return pl, nil
}

// UpdatePlaylist implements pipeline.Target.
func (t *Target) UpdatePlaylist(ctx context.Context, id string, meta pipeline.PlaylistMeta) error {
	_, err := t.c.UpdatePlaylist(ctx, id, playlistSpec(meta))
	return err
}

func playlistSpec(m pipeline.PlaylistMeta) PlaylistSpec {
	return PlaylistSpec{Title: m.Title, Description: m.Description, Privacy: m.Privacy}
}

// Items implements pipeline.Target.
func (t *Target) Items(ctx context.Context, playlistID string) ([]pipeline.Item, error) {
	its, err := t.c.PlaylistItems(ctx, playlistID)
	if err != nil {
		return nil, err
	}
	items := make([]pipeline.Item, 0, len(its))
	for i, it := range its {
		item := pipeline.Item{ID: it.Id, Video: ItemVideoID(it), Position: i}
		if it.Snippet != nil {
			item.Title = it.Snippet.Title
			item.Key = pipeline.KeyOf(it.Snippet.Description)
			item.Position = int(it.Snippet.Position)
		}
		items = append(items, item)
	}
	return items, nil
}

func metadata(m pipeline.VideoMeta) Metadata {
	return Metadata{
		Title: m.Title, Description: m.Description, Key: m.LessonKey, Tags: m.Tags,
		CategoryID: m.Category, Privacy: m.Privacy, MadeForKids: m.MadeForKids,
		Language: m.DefaultLanguage, AudioLanguage: m.DefaultAudioLanguage,
	}
}

// Streams implements pipeline.Streamer: YouTube takes a video while it is
// rendered (UploadGrowing).
func (t *Target) Streams() bool { return true }

// Upload implements pipeline.Target. The upload is resumed across runs by the
// lesson's key (when the new render has the same bytes); u.Saved has the
// id before the session is dropped and before the video's status is read.
// A growing file (u.Growing) is sent as it is rendered, by UploadGrowing.
func (t *Target) Upload(ctx context.Context, u pipeline.Upload) (string, error) {
	opts := UploadOptions{
		Key:       u.Meta.LessonKey,
		ChunkSize: t.ChunkSize,
		Progress: func(p Progress) {
			if u.Progress != nil {
				u.Progress(p.Sent, p.Total)
			}
		},
		Saved:  u.Saved,
		Notice: u.Notice,
	}
	var v *yt.Video
	var err error
	if u.Growing != nil {
		v, err = t.c.UploadGrowing(ctx, u.Growing, NewVideo(metadata(u.Meta)), opts)
	} else {
		v, err = t.c.Upload(ctx, u.File, NewVideo(metadata(u.Meta)), opts)
	}
	if err != nil {
		return "", err
	}
	var sp *StatusProblem
	if err := t.c.CheckStatus(ctx, v.Id, u.Meta.Privacy); errors.As(err, &sp) {
		t.warn(captions.Textf("%v", sp))
	} else if err != nil && errors.Is(err, pipeline.ErrDailyLimit) {
		// The video is up; its status can be read another day.
		t.warn(captions.Textf("could not read the new video's status: %v", err))
	}
	return v.Id, nil
}

// Recover implements pipeline.Target: a finished upload of the lesson
// whose saved session was kept answers again with its video (no units).
func (t *Target) Recover(ctx context.Context, key string, saved func(videoID string) error) (string, error) {
	v, err := t.c.RecoverUpload(ctx, key)
	if err != nil || v == nil {
		return "", err
	}
	if err := saved(v.Id); err != nil {
		return "", err
	}
	t.c.ForgetUpload(key)
	return v.Id, nil
}

// FindUploads implements pipeline.Target: the channel's uploads playlist,
// newest first (see Client.FindUploads).
func (t *Target) FindUploads(ctx context.Context, keys []string) (map[string]string, error) {
	return t.c.FindUploads(ctx, keys)
}

// MoveItem implements pipeline.Target (playlistItems.update, 50 units).
func (t *Target) MoveItem(ctx context.Context, playlistID string, it pipeline.Item, position int) error {
	return t.c.MoveItem(ctx, playlistID, it.ID, it.Video, int64(position))
}

// VideoExists implements pipeline.Target (videos.list, 1 unit).
func (t *Target) VideoExists(ctx context.Context, videoID string) (bool, error) {
	v, err := t.c.Video(ctx, videoID)
	return v != nil, err
}

// UpdateMetadata implements pipeline.Target.
func (t *Target) UpdateMetadata(ctx context.Context, videoID string, meta pipeline.VideoMeta) error {
	_, err := t.c.UpdateVideo(ctx, videoID, metadata(meta))
	return err
}

// InsertItem implements pipeline.Target.
func (t *Target) InsertItem(ctx context.Context, playlistID, videoID string, position int) (string, error) {
	it, err := t.c.AddToPlaylist(ctx, playlistID, videoID, int64(position))
	if err != nil {
		return "", err
	}
	return it.Id, nil
}

// RemoveItem implements pipeline.Target.
func (t *Target) RemoveItem(ctx context.Context, itemID string) error {
	return t.c.RemoveFromPlaylist(ctx, itemID)
}

// DeleteVideo implements pipeline.Target. A video already gone counts as deleted.
func (t *Target) DeleteVideo(ctx context.Context, videoID string) error {
	return t.c.DeleteVideo(ctx, videoID)
}

// Captions implements pipeline.Target.
func (t *Target) Captions(ctx context.Context, videoID string) (map[string]string, error) {
	tracks, err := t.c.Captions(ctx, videoID)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, tr := range tracks {
		if tr.Snippet != nil && tr.Snippet.Name == pipeline.TrackName(tr.Snippet.Language) {
			m[tr.Snippet.Language] = tr.Id
		}
	}
	return m, nil
}

// SetCaption implements pipeline.Target.
func (t *Target) SetCaption(ctx context.Context, videoID string, c pipeline.Caption, trackID string) (string, error) {
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

// DeleteCaption implements pipeline.Target (captions.delete).
func (t *Target) DeleteCaption(ctx context.Context, videoID, lang, trackID string) error {
	return t.c.DeleteCaption(ctx, trackID)
}

// SetThumbnail implements pipeline.Target. A channel not yet allowed custom
// thumbnails gets a warning; the lesson is still published.
func (t *Target) SetThumbnail(ctx context.Context, videoID, file string) error {
	err := t.c.SetThumbnail(ctx, videoID, file)
	if errors.Is(err, ErrThumbnailNotAllowed) {
		t.warn(captions.Textf("%v", err))
		return nil
	}
	return err
}

// URL implements pipeline.Target.
func (t *Target) URL(videoID string) string { return "https://youtu.be/" + videoID }

// Cost implements pipeline.Target, from the quota table (Cost).
func (t *Target) Cost(op pipeline.Op) pipeline.Cost {
	u := Cost
	switch op {
	case pipeline.OpUpload:
		return pipeline.Cost{Uploads: 1, Units: u("videos.list")} // the status check after it
	case pipeline.OpUpdateVideo:
		return pipeline.Cost{Units: u("videos.update")}
	case pipeline.OpCreatePlaylist:
		return pipeline.Cost{Units: u("playlists.insert")}
	case pipeline.OpUpdatePlaylist:
		return pipeline.Cost{Units: u("playlists.update")}
	case pipeline.OpInsertItem:
		return pipeline.Cost{Units: u("playlistItems.insert")}
	case pipeline.OpRemoveItem:
		return pipeline.Cost{Units: u("playlistItems.delete")}
	case pipeline.OpDeleteVideo:
		return pipeline.Cost{Units: u("videos.delete")}
	case pipeline.OpInsertCaption:
		return pipeline.Cost{Units: u("captions.insert")}
	case pipeline.OpUpdateCaption:
		return pipeline.Cost{Units: u("captions.update")}
	case pipeline.OpDeleteCaption:
		return pipeline.Cost{Units: u("captions.delete")}
	case pipeline.OpListCaptions:
		return pipeline.Cost{Units: u("captions.list")}
	case pipeline.OpThumbnail:
		return pipeline.Cost{Units: u("thumbnails.set")}
	case pipeline.OpMoveItem:
		return pipeline.Cost{Units: u("playlistItems.update")}
	case pipeline.OpFindUploads:
		// channels.list and at least one page of the uploads playlist.
		return pipeline.Cost{Units: u("channels.list") + u("playlistItems.list")}
	default:
		return pipeline.Cost{Units: 1}
	}
}

// Budget implements pipeline.Target: what lessonpub counted of today's quota.
func (t *Target) Budget(ctx context.Context) (pipeline.Budget, error) {
	left, err := t.q.Left()
	if err != nil {
		return pipeline.Budget{}, err
	}
	l := t.q.Limits()
	return pipeline.Budget{Limited: true, Units: left.Units, Uploads: left.Uploads, Reset: left.Reset,
		PerDay: pipeline.Cost{Units: l.Units, Uploads: l.Uploads}, Of: "YouTube"}, nil
}

var _ pipeline.Target = (*Target)(nil)
