package youtube

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"google.golang.org/api/googleapi"
	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
)

// maxCaptionSize is captions.insert's limit.
const maxCaptionSize = 100 << 20

// Captions returns the video's caption tracks (captions.list, 50 units).
func (c *Client) Captions(ctx context.Context, videoID string) ([]*yt.Caption, error) {
	var res *yt.CaptionListResponse
	err := c.call(ctx, "captions.list", func(ctx context.Context) (err error) {
		res, err = c.svc.Captions.List([]string{"snippet"}, videoID).Context(ctx).Do()
		return err
	})
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}

func findCaption(tracks []*yt.Caption, lang, name string) *yt.Caption {
	for _, t := range tracks {
		if t.Snippet != nil && t.Snippet.Language == lang && t.Snippet.Name == name {
			return t
		}
	}
	return nil
}

// UploadCaption publishes one caption track (not a draft) on the video:
// captions.insert, or captions.update of the track with the same language
// and name when the video has one already (409 captionExists). body is the
// caption file in a format YouTube accepts (SRT or WebVTT, UTF-8).
func (c *Client) UploadCaption(ctx context.Context, videoID, lang, name string, body io.Reader) (*yt.Caption, error) {
	data, err := io.ReadAll(io.LimitReader(body, maxCaptionSize+1))
	if err != nil {
		return nil, captions.Errorf("reading the %s captions: %w", lang, err)
	}
	if len(data) > maxCaptionSize {
		return nil, captions.Errorf("the %s caption file is over YouTube's 100 MB limit: split the lesson", lang)
	}
	caption := &yt.Caption{Snippet: &yt.CaptionSnippet{
		VideoId: videoID, Language: lang, Name: name,
		IsDraft: false, ForceSendFields: []string{"IsDraft"},
	}}
	var res *yt.Caption
	err = c.invoke(ctx, "captions.insert", func(ctx context.Context) (err error) {
		res, err = c.svc.Captions.Insert([]string{"snippet"}, caption).Media(bytes.NewReader(data), googleapi.ContentType("application/octet-stream")).Context(ctx).Do()
		return err
	}, func() (bool, error) {
		tracks, err := c.Captions(ctx, videoID)
		res = findCaption(tracks, lang, name)
		return res != nil, err
	})
	var ge *googleapi.Error
	if err != nil && errors.As(err, &ge) && ge.Code == http.StatusConflict && !errors.Is(err, pipeline.ErrDailyLimit) {
		tracks, lerr := c.Captions(ctx, videoID)
		if lerr != nil {
			return nil, lerr
		}
		existing := findCaption(tracks, lang, name)
		if existing == nil {
			return nil, captions.Errorf("YouTube says video %s already has a %s caption track %q but does not list it: %w", videoID, lang, name, err)
		}
		return c.updateCaption(ctx, existing.Id, data)
	}
	return res, err
}

// UpdateCaption replaces the text of the caption track id with body and
// makes sure it is not a draft.
func (c *Client) UpdateCaption(ctx context.Context, id string, body io.Reader) (*yt.Caption, error) {
	data, err := io.ReadAll(io.LimitReader(body, maxCaptionSize+1))
	if err != nil {
		return nil, captions.Errorf("reading the captions to upload: %w", err)
	}
	return c.updateCaption(ctx, id, data)
}

func (c *Client) updateCaption(ctx context.Context, id string, data []byte) (*yt.Caption, error) {
	caption := &yt.Caption{Id: id, Snippet: &yt.CaptionSnippet{IsDraft: false, ForceSendFields: []string{"IsDraft"}}}
	var res *yt.Caption
	err := c.call(ctx, "captions.update", func(ctx context.Context) (err error) {
		res, err = c.svc.Captions.Update([]string{"snippet"}, caption).Media(bytes.NewReader(data), googleapi.ContentType("application/octet-stream")).Context(ctx).Do()
		return err
	})
	return res, err
}

// DeleteCaption removes a caption track. A track already gone is fine.
func (c *Client) DeleteCaption(ctx context.Context, id string) error {
	return c.remove(ctx, "captions.delete", func(ctx context.Context) error {
		return c.svc.Captions.Delete(id).Context(ctx).Do()
	})
}
