package youtubetest

import (
	"encoding/json"
	"os"
	"slices"

	youtube "google.golang.org/api/youtube/v3"
)

// Video is a snapshot of an uploaded video.
type Video struct {
	ID            string
	Title         string
	Description   string
	Tags          []string
	CategoryID    string
	PrivacyStatus string // as videos.list shows it now
	UploadStatus  string // as videos.list shows it now
	PublishAt     string
	// SelfDeclaredMadeForKids is what the client sent in videos.insert,
	// nil when the field was left out.
	SelfDeclaredMadeForKids *bool
	DefaultLanguage         string
	DefaultAudioLanguage    string
	// Size and SHA256 (lowercase hex) describe the uploaded media.
	Size        int64
	SHA256      string
	ContentType string
	// Thumbnail is the image set with thumbnails.set, if any.
	Thumbnail     []byte
	ThumbnailType string
	// InsertJSON is the video resource the client sent to videos.insert.
	InsertJSON []byte
	// Resource is the video as the API returns it with all parts.
	Resource *youtube.Video

	path string
}

// Content returns the uploaded bytes. It fails when the server keeps no
// media content (WithoutMediaContent) or is closed.
func (v Video) Content() ([]byte, error) {
	if v.path == "" {
		return nil, os.ErrNotExist
	}
	return os.ReadFile(v.path)
}

// Videos returns the videos on the channel, in upload order.
func (s *Server) Videos() []Video {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Video
	for _, id := range s.videoOrder {
		out = append(out, s.snapshot(s.videos[id]))
	}
	return out
}

// Video returns the video with the given id.
func (s *Server) Video(id string) (Video, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.videos[id]
	if !ok {
		return Video{}, false
	}
	return s.snapshot(v), true
}

func (s *Server) snapshot(v *video) Video {
	res := clone(v.res)
	out := Video{
		ID: v.res.Id, Size: v.size, SHA256: v.sha256, ContentType: v.contentType,
		Thumbnail: slices.Clone(v.thumbnail), ThumbnailType: v.thumbType,
		InsertJSON: slices.Clone(v.insertJSON), Resource: res, path: v.path,
	}
	if sn := res.Snippet; sn != nil {
		out.Title, out.Description, out.Tags, out.CategoryID = sn.Title, sn.Description, sn.Tags, sn.CategoryId
		out.DefaultLanguage, out.DefaultAudioLanguage = sn.DefaultLanguage, sn.DefaultAudioLanguage
	}
	if st := res.Status; st != nil {
		out.PrivacyStatus, out.UploadStatus, out.PublishAt = st.PrivacyStatus, st.UploadStatus, st.PublishAt
	}
	var sent struct {
		Status struct {
			SelfDeclaredMadeForKids *bool `json:"selfDeclaredMadeForKids"`
		} `json:"status"`
	}
	json.Unmarshal(v.insertJSON, &sent)
	out.SelfDeclaredMadeForKids = sent.Status.SelfDeclaredMadeForKids
	return out
}

// clone deep-copies an API resource.
func clone[T any](v *T) *T {
	b, _ := json.Marshal(v)
	var c T
	json.Unmarshal(b, &c)
	return &c
}

// Playlist is a snapshot of a playlist.
type Playlist struct {
	ID            string
	Title         string
	Description   string
	PrivacyStatus string
	// VideoIDs are the videos of the playlist's items, in position order.
	VideoIDs []string
	// ItemIDs are the ids of the playlist items, in position order.
	ItemIDs []string
}

// Playlists returns the channel's playlists in creation order.
func (s *Server) Playlists() []Playlist {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Playlist
	for _, p := range s.playlists {
		pl := Playlist{ID: p.Id, Title: p.Snippet.Title, Description: p.Snippet.Description}
		if p.Status != nil {
			pl.PrivacyStatus = p.Status.PrivacyStatus
		}
		for _, it := range s.items[p.Id] {
			pl.VideoIDs = append(pl.VideoIDs, it.Snippet.ResourceId.VideoId)
			pl.ItemIDs = append(pl.ItemIDs, it.Id)
		}
		out = append(out, pl)
	}
	return out
}

// CaptionTrack is a snapshot of a caption track.
type CaptionTrack struct {
	ID            string
	VideoID       string
	Language      string
	Name          string
	IsDraft       bool
	Status        string // "serving", or "failed" when the content is not a caption format
	FailureReason string
	Content       []byte
	ContentType   string
}

// Captions returns the caption tracks of a video in upload order.
func (s *Server) Captions(videoID string) []CaptionTrack {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CaptionTrack
	for _, c := range s.captions[videoID] {
		sn := c.res.Snippet
		out = append(out, CaptionTrack{
			ID: c.res.Id, VideoID: sn.VideoId, Language: sn.Language, Name: sn.Name, IsDraft: sn.IsDraft,
			Status: sn.Status, FailureReason: sn.FailureReason,
			Content: slices.Clone(c.content), ContentType: c.contentType,
		})
	}
	return out
}

// AddVideo puts a video on the channel without an upload, as if uploaded
// earlier (by lessonpub or by hand). v is the resource (snippet, status);
// content is its media. It returns the new video's id.
func (s *Server) AddVideo(v *youtube.Video, content []byte) string {
	meta, _ := json.Marshal(v)
	store, err := newMediaStore(s.dir+"/added-"+randomID(9), true, 0)
	if err != nil {
		panic("youtubetest: " + err.Error())
	}
	store.Write(content)
	defer store.close()
	_, body := s.insertVideo(nil, meta, media{store: store, contentType: "video/mp4"})
	var out youtube.Video
	json.Unmarshal(body, &out)
	return out.Id
}

// SetVideoStatus changes the status of a video as YouTube would after
// processing (e.g. UploadStatus "rejected", PrivacyStatus "private").
func (s *Server) SetVideoStatus(id string, change func(*youtube.VideoStatus)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.videos[id]
	if ok {
		change(v.res.Status)
	}
	return ok
}
