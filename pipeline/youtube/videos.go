package youtube

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"

	"google.golang.org/api/googleapi"
	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
)

// Metadata is what lessonpub sets on a video.
type Metadata struct {
	Title       string
	Description string // NewVideo ends it with the key line (see WithKey)
	Key         string // stable lesson key, e.g. "bead-jewellery/01-tools-and-beads"
	Tags        []string
	CategoryID  string // pipeline.CategoryEducation when ""
	Privacy     string // private (default), unlisted or public
	MadeForKids bool
	// Language is the language of the title and description, AudioLanguage
	// that of the speech (BCP 47).
	Language, AudioLanguage string
}

// NewVideo builds the video resource for m. selfDeclaredMadeForKids and
// containsSyntheticMedia are always sent, false included.
func NewVideo(m Metadata) *yt.Video {
	cat := m.CategoryID
	if cat == "" {
		cat = pipeline.CategoryEducation
	}
	privacy := m.Privacy
	if privacy == "" {
		privacy = "private"
	}
	return &yt.Video{
		Snippet: &yt.VideoSnippet{
			Title:                m.Title,
			Description:          pipeline.WithKey(m.Description, m.Key),
			Tags:                 m.Tags,
			CategoryId:           cat,
			DefaultLanguage:      m.Language,
			DefaultAudioLanguage: m.AudioLanguage,
		},
		Status: &yt.VideoStatus{
			PrivacyStatus:           privacy,
			SelfDeclaredMadeForKids: m.MadeForKids,
			ContainsSyntheticMedia:  false,
			ForceSendFields:         []string{"SelfDeclaredMadeForKids", "ContainsSyntheticMedia"},
		},
	}
}

// Video returns the video with its snippet and status, or nil when YouTube
// does not know it (deleted).
func (c *Client) Video(ctx context.Context, id string) (*yt.Video, error) {
	var res *yt.VideoListResponse
	err := c.call(ctx, "videos.list", func(ctx context.Context) (err error) {
		res, err = c.svc.Videos.List([]string{"snippet", "status"}).Id(id).Context(ctx).Do()
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(res.Items) == 0 {
		return nil, nil
	}
	return res.Items[0], nil
}

// FindVideoByKey looks through the channel's uploads for the video whose
// description carries key (see WithKey); nil when there is none. It costs
// about one unit per 50 uploads of the channel.
func (c *Client) FindVideoByKey(ctx context.Context, key string) (*yt.Video, error) {
	ch, err := c.Channel(ctx)
	if err != nil {
		return nil, err
	}
	if ch.ContentDetails == nil || ch.ContentDetails.RelatedPlaylists == nil || ch.ContentDetails.RelatedPlaylists.Uploads == "" {
		return nil, nil
	}
	items, err := c.PlaylistItems(ctx, ch.ContentDetails.RelatedPlaylists.Uploads)
	if hasReason(err, "playlistNotFound") && !errors.Is(err, pipeline.ErrDailyLimit) {
		return nil, nil // a channel without uploads may have no uploads playlist yet
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, it := range items {
		if id := ItemVideoID(it); id != "" {
			ids = append(ids, id)
		}
	}
	for len(ids) > 0 {
		batch := ids[:min(50, len(ids))]
		ids = ids[len(batch):]
		var res *yt.VideoListResponse
		err := c.call(ctx, "videos.list", func(ctx context.Context) (err error) {
			res, err = c.svc.Videos.List([]string{"snippet", "status"}).Id(batch...).MaxResults(50).Context(ctx).Do()
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, v := range res.Items {
			if v.Snippet != nil && pipeline.KeyOf(v.Snippet.Description) == key {
				return v, nil
			}
		}
	}
	return nil, nil
}

// UpdateVideo replaces the video's title, description, tags, category,
// languages, privacy and made-for-kids setting with m (videos.update).
func (c *Client) UpdateVideo(ctx context.Context, id string, m Metadata) (*yt.Video, error) {
	v := NewVideo(m)
	v.Id = id
	var res *yt.Video
	err := c.call(ctx, "videos.update", func(ctx context.Context) (err error) {
		res, err = c.svc.Videos.Update([]string{"snippet", "status"}, v).Context(ctx).Do()
		return err
	})
	return res, err
}

// DeleteVideo deletes the video for good (videos.delete), and with it its
// playlist items and caption tracks. A video already gone is fine.
func (c *Client) DeleteVideo(ctx context.Context, id string) error {
	return c.remove(ctx, "videos.delete", func(ctx context.Context) error {
		return c.svc.Videos.Delete(id).Context(ctx).Do()
	})
}

// ErrThumbnailNotAllowed is wrapped by SetThumbnail's error when the channel
// may not use custom thumbnails: a warning, the video stays published.
var ErrThumbnailNotAllowed = captions.Errorf("YouTube does not allow custom thumbnails on this channel yet: verify the channel with a phone number at https://www.youtube.com/verify, then run the command again")

// SetThumbnail uploads the image at path (JPEG or PNG, up to 50 MB) as the
// video's thumbnail (thumbnails.set).
func (c *Client) SetThumbnail(ctx context.Context, videoID, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return captions.Errorf("reading the thumbnail to upload: %w", err)
	}
	ctype := http.DetectContentType(data)
	if ctype != "image/jpeg" && ctype != "image/png" {
		return captions.Errorf("%s is not a JPEG or PNG image (it looks like %s): save the thumbnail as .jpg or .png", path, ctype)
	}
	err = c.call(ctx, "thumbnails.set", func(ctx context.Context) error {
		_, err := c.svc.Thumbnails.Set(videoID).Media(bytes.NewReader(data), googleapi.ContentType(ctype)).Context(ctx).Do()
		return err
	})
	var ge *googleapi.Error
	if errors.As(err, &ge) && ge.Code == http.StatusForbidden && !errors.Is(err, pipeline.ErrDailyLimit) {
		return captions.Errorf("thumbnail %s: %w", path, ErrThumbnailNotAllowed)
	}
	return err
}

// StatusProblem says why a video will not be seen as requested. Its message
// tells the user what to do.
type StatusProblem struct {
	VideoID string
	Kind    string // "locked-private", "rejected", "failed" or "deleted"
	Detail  string // YouTube's reason, if any
}

func (p *StatusProblem) text() *captions.Text {
	url := "https://studio.youtube.com/video/" + p.VideoID + "/edit"
	switch p.Kind {
	case "locked-private":
		return captions.Textf("YouTube made video %s private although public or unlisted was asked: uploads from Google Cloud projects that have not passed YouTube's API audit stay private. Change it by hand in YouTube Studio (%s) or apply for the audit (https://support.google.com/youtube/contact/yt_api_form)", p.VideoID, url)
	case "rejected":
		return captions.Textf("YouTube rejected video %s (%s): see %s; fix the recording and publish it again", p.VideoID, p.Detail, url)
	case "failed":
		return captions.Textf("YouTube could not process video %s (%s): check the recording plays, then publish it again", p.VideoID, p.Detail)
	default:
		return captions.Textf("video %s is no longer on YouTube: publish the lesson again", p.VideoID)
	}
}

// Parts returns the English format of the message and its arguments.
func (p *StatusProblem) Parts() (string, []any) { return p.text().Parts() }

func (p *StatusProblem) Error() string { return p.text().String() }

// CheckStatus reads the video's status (videos.list) after an upload and
// returns a *StatusProblem when YouTube rejected it, failed to process it, or
// kept it private although privacy (public or unlisted) was asked.
func (c *Client) CheckStatus(ctx context.Context, videoID, privacy string) error {
	v, err := c.Video(ctx, videoID)
	if err != nil {
		return err
	}
	if p := statusProblem(videoID, v, privacy); p != nil {
		return p
	}
	return nil
}

func statusProblem(videoID string, v *yt.Video, privacy string) *StatusProblem {
	switch {
	case v == nil:
		return &StatusProblem{VideoID: videoID, Kind: "deleted"}
	case v.Status == nil:
		return nil
	case v.Status.UploadStatus == "rejected":
		return &StatusProblem{VideoID: videoID, Kind: "rejected", Detail: v.Status.RejectionReason}
	case v.Status.UploadStatus == "failed":
		return &StatusProblem{VideoID: videoID, Kind: "failed", Detail: v.Status.FailureReason}
	case (privacy == "public" || privacy == "unlisted") && v.Status.PrivacyStatus == "private":
		return &StatusProblem{VideoID: videoID, Kind: "locked-private"}
	}
	return nil
}
