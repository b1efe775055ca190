package render

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Profiles.
const (
	ProfileYouTube = "youtube"
	ProfileShare   = "share"
)

// DefaultMaxSize is the share profile's size cap: what WhatsApp sends
// without turning the video into a document.
const DefaultMaxSize = 64 << 20

// DefaultPreset is the x264 preset: YouTube re-encodes every upload, so a
// fast preset at CRF 20 loses nothing viewers would see.
const DefaultPreset = "veryfast"

// Options say what to render and how.
type Options struct {
	Profile      string // ProfileYouTube (default) or ProfileShare
	Output       string // output file; "" for DefaultOutput
	BurnCaptions string // language tag of the captions to burn into the picture; share defaults to the course language
	MaxSize      int64  // share: size cap in bytes; 0 for DefaultMaxSize
	Preset       string // x264 preset; "" for DefaultPreset
	// NoCaptionTracks leaves the lesson's caption files out of the MP4.
	// Publishing sets it: YouTube takes captions as separate tracks
	// (captions.insert), so tracks inside the video would only go stale
	// when a caption file is edited later.
	NoCaptionTracks bool
	// Warn receives each warning as the plan is made (a sign box smaller
	// than the guidance, a lesson without sound...); nil to ignore them.
	// They are also kept in Plan.Warnings.
	Warn func(string)
	// Probe reads the recording and the interpreter clip; ffmpeg.Probe
	// when nil. Publishing passes one that remembers what the caption
	// gate already read.
	Probe func(ctx context.Context, path string) (*ffmpeg.Media, error)
}

// DefaultOutput is where a lesson's render goes when no output is given:
// LESSON_DIR/out/NAME.PROFILE.mp4. The out folder is not read as part of
// the lesson.
func DefaultOutput(l *lessons.Lesson, profile string) string {
	if profile == "" {
		profile = ProfileYouTube
	}
	return filepath.Join(l.Dir, "out", l.Name+"."+profile+".mp4")
}

func (o *Options) normalize(l *lessons.Lesson) error {
	switch o.Profile {
	case "":
		o.Profile = ProfileYouTube
	case ProfileYouTube, ProfileShare:
	default:
		return fmt.Errorf("unknown profile %q: use %s or %s", o.Profile, ProfileYouTube, ProfileShare)
	}
	if o.Output == "" {
		o.Output = DefaultOutput(l, o.Profile)
	}
	if abs, err := filepath.Abs(o.Output); err == nil {
		o.Output = abs
	}
	if ext := strings.ToLower(filepath.Ext(o.Output)); ext != ".mp4" && ext != ".m4v" && ext != ".mov" {
		return fmt.Errorf("output %s: lessonpub writes MP4 files; give a name ending in .mp4", o.Output)
	}
	if o.MaxSize == 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxSize < 0 {
		return fmt.Errorf("max size %d is negative", o.MaxSize)
	}
	if o.Preset == "" {
		o.Preset = DefaultPreset
	}
	if o.Probe == nil {
		o.Probe = ffmpeg.Probe
	}
	return nil
}
