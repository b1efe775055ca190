package pipeline

import (
	"context"
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// Target is a destination for a course: a YouTube channel, or a folder that
// receives exactly what would be sent to YouTube. Every method either
// happened or returned an error; a Target retries transient failures itself.
// Errors that mean "stop for today" wrap ErrDailyLimit.
type Target interface {
	// Name identifies the destination in the record: "youtube", "dir:/abs/path".
	Name() string
	// Playlist finds the course's playlist: the one with knownID (the id
	// recorded; may be "") while it exists, else the one whose description
	// ends with the course key line of p.Description (CourseKeyOf), never
	// one found by its title alone. It returns nil when there is none, else
	// the playlist as it is on the target, which may differ from p. With
	// create the caller has looked and found none: it makes one from p (a
	// target may skip looking again).
	Playlist(ctx context.Context, knownID string, p PlaylistMeta, create bool) (*Playlist, error)
	// UpdatePlaylist sets the playlist's title, description and privacy.
	UpdatePlaylist(ctx context.Context, id string, p PlaylistMeta) error
	// Items lists the playlist in order, with the lesson key found in each
	// video's description ("" for videos that are not lessonpub's).
	Items(ctx context.Context, playlistID string) ([]Item, error)
	// Upload sends a rendered video with its metadata and returns its id.
	// The target calls u.Saved with the id the moment it knows it, before
	// any other call, and returns Saved's error. An upload interrupted by an
	// earlier run of the same lesson (u.Meta.LessonKey) continues where it
	// stopped, where the target can.
	Upload(ctx context.Context, u Upload) (videoID string, err error)
	// Recover returns the video of an upload of the lesson key that an
	// earlier run finished but never recorded (the process was killed
	// between the target's answer and the record): YouTube keeps the
	// upload session until Upload's Saved succeeded, and a finished session
	// answers again with its video. Recover calls saved with the id before
	// anything else and returns "" when there is nothing to recover. It
	// uploads nothing; a target that cannot lose an answer returns "".
	Recover(ctx context.Context, key string, saved func(videoID string) error) (videoID string, err error)
	// FindUploads looks among all of the target's videos, not only the
	// course playlist's, for those whose description ends with the key line
	// of one of keys (see KeyOf), and returns their ids by key (the newest
	// of several); keys not found are absent. It may stop as soon as every
	// key is found. It costs Cost(OpFindUploads) at least (YouTube: one
	// more unit per 50 videos of the channel looked through).
	FindUploads(ctx context.Context, keys []string) (map[string]string, error)
	// MoveItem moves the playlist item it to position (0-based); the other
	// items keep their order.
	MoveItem(ctx context.Context, playlistID string, it Item, position int) error
	// VideoExists reports whether the video is still on the target.
	VideoExists(ctx context.Context, videoID string) (bool, error)
	// UpdateMetadata replaces the title, description and settings of a video.
	UpdateMetadata(ctx context.Context, videoID string, meta VideoMeta) error
	// InsertItem puts the video into the playlist at position (0-based).
	InsertItem(ctx context.Context, playlistID, videoID string, position int) (itemID string, err error)
	// RemoveItem takes an item out of the playlist; the video stays.
	RemoveItem(ctx context.Context, itemID string) error
	// DeleteVideo deletes a video for good.
	DeleteVideo(ctx context.Context, videoID string) error
	// Captions lists the caption tracks of a video by language.
	Captions(ctx context.Context, videoID string) (map[string]string, error)
	// SetCaption uploads a caption track (plain UTF-8 SRT), updating trackID
	// when it is not "", and returns the track's id.
	SetCaption(ctx context.Context, videoID string, c Caption, trackID string) (string, error)
	// DeleteCaption removes the video's caption track trackID, in language
	// lang. A track already gone counts as deleted.
	DeleteCaption(ctx context.Context, videoID, lang, trackID string) error
	// SetThumbnail sets the video's thumbnail from an image file.
	SetThumbnail(ctx context.Context, videoID, file string) error
	// URL is where people watch a video.
	URL(videoID string) string
	// Cost is what one operation spends of the daily limits.
	Cost(op Op) Cost
	// Budget is what is left of today's limits.
	Budget(ctx context.Context) (Budget, error)
}

// Upload is one video for Target.Upload.
type Upload struct {
	File string // the rendered video; "" when Growing is set
	// Sign is the interpreter's video rendered apart (Rendition.SignSeparate
	// and sign.layout: window), "" when the interpreter is burned in or absent.
	Sign string
	// Growing is the video while it is still being rendered, for a target
	// that is a Streamer: it is sent as it grows, and the upload is given
	// up without making a video when the render fails (Growing.Err).
	Growing  GrowingFile
	Meta     VideoMeta
	Progress func(sent, total int64) // may be nil
	// Saved makes the new video's id durable (the core writes it into the
	// record). Until it returns nil the target keeps what it needs to find
	// the video again (YouTube: the upload session), so a crash between the
	// target's answer and the record never leads to a second upload.
	Saved func(videoID string) error
	// Notice receives what people should know about how the upload went
	// (continued from an earlier run, started again); may be nil.
	Notice func(msg *captions.Text)
}

// PlaylistMeta describes the course's playlist.
type PlaylistMeta struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Privacy     string `json:"privacy"`
}

// Playlist is the course's playlist on a target.
type Playlist struct {
	ID string `json:"id"`
	PlaylistMeta
}

// Item is one video in a playlist.
type Item struct {
	ID       string `json:"item_id"`
	Video    string `json:"video_id"`
	Position int    `json:"position"`
	Key      string `json:"lesson_key,omitempty"`
	Title    string `json:"title,omitempty"`
}

// VideoMeta is what describes a video besides its content.
type VideoMeta struct {
	Title                string   `json:"title"`
	Description          string   `json:"description"`
	Tags                 []string `json:"tags,omitempty"`
	Category             string   `json:"category"` // "27": Education
	Privacy              string   `json:"privacy"`
	MadeForKids          bool     `json:"made_for_kids"`
	DefaultLanguage      string   `json:"default_language,omitempty"`
	DefaultAudioLanguage string   `json:"default_audio_language,omitempty"`
	LessonKey            string   `json:"lesson_key"`
}

// Caption is one caption track as uploaded.
type Caption struct {
	Language string `json:"language"`
	Name     string `json:"name"` // the track's name shown to viewers
	SRT      []byte `json:"-"`
}

// Op is a kind of call that costs quota.
type Op int

// Operations whose costs a plan adds up.
const (
	OpUpload Op = iota
	OpUpdateVideo
	OpCreatePlaylist
	OpUpdatePlaylist
	OpInsertItem
	OpRemoveItem
	OpDeleteVideo
	OpInsertCaption
	OpUpdateCaption
	OpDeleteCaption
	OpListCaptions
	OpThumbnail
	OpList
	OpMoveItem    // move an item within the playlist
	OpFindUploads // the least an uploads lookup (FindUploads) costs
)

// Cost is an amount of YouTube's daily limits: API units and video uploads
// (which have their own daily count).
type Cost struct {
	Units   int `json:"units"`
	Uploads int `json:"uploads"`
}

// Add returns c + d.
func (c Cost) Add(d Cost) Cost { return Cost{Units: c.Units + d.Units, Uploads: c.Uploads + d.Uploads} }

// Fits reports whether c fits in what b has left.
func (b Budget) Fits(c Cost) bool {
	return !b.Limited || (c.Units <= b.Units && c.Uploads <= b.Uploads)
}

// Budget is what is left of today's limits.
type Budget struct {
	Limited bool      `json:"limited"` // false: no limits (a folder target)
	Units   int       `json:"units"`
	Uploads int       `json:"uploads"`
	Reset   time.Time `json:"reset,omitzero"` // when the limits are renewed
	// PerDay is the whole daily allowance, for "how many days" estimates.
	PerDay Cost `json:"per_day"`
	// Of names whose limits these are for people ("YouTube").
	Of string `json:"-"`
}

// limitReached is ErrDailyLimit said for the owner of the limits:
// "YouTube daily limit reached".
func (b Budget) limitReached() error {
	if b.Of == "" {
		return ErrDailyLimit
	}
	return &limitError{captions.Text{Format: "%s daily limit reached", Args: []any{b.Of}}}
}

// limitError is ErrDailyLimit said for the owner of the limits, kept to
// translate as a whole.
type limitError struct{ captions.Text }

func (e *limitError) Unwrap() error { return ErrDailyLimit }

// Spend returns b after spending c.
func (b Budget) Spend(c Cost) Budget {
	b.Units -= c.Units
	b.Uploads -= c.Uploads
	return b
}
