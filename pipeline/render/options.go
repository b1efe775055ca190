package render

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
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
	// Fragmented writes an MP4 whose movie header comes first and whose
	// media follow in fragments, so the file can be uploaded while it is
	// written (Plan.Start, youtube.Client.UploadGrowing), instead of one
	// with the header moved to the front at the end (+faststart), which
	// rewrites the whole file. It also makes the render reproducible: the
	// same lesson and settings give the same bytes on the same machine
	// (ffmpeg's bit-exact flags, a fixed number of encoder threads), so an
	// interrupted upload can be continued by a later run. Only the youtube
	// profile.
	Fragmented bool
	// Threads is the number of encoder threads of a fragmented render; 0
	// for DefaultThreads.
	Threads int
	// Warn receives each warning as the plan is made (a sign box smaller
	// than the guidance, a lesson without sound...); nil to ignore them.
	// They are also kept in Plan.Warnings.
	Warn func(*captions.Text)
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

// DefaultThreads is the encoder threads of a fragmented render: what x264
// would choose by itself on this machine (1.5 per core, at most 16), fixed
// in the command so that two renders are the same.
func DefaultThreads() int {
	return min(max(1, runtime.NumCPU()*3/2), 16)
}

func (o *Options) normalize(l *lessons.Lesson) error {
	switch o.Profile {
	case "":
		o.Profile = ProfileYouTube
	case ProfileYouTube, ProfileShare:
	default:
		return captions.Errorf("unknown profile %q: use %s or %s", o.Profile, ProfileYouTube, ProfileShare)
	}
	if o.Output == "" {
		o.Output = DefaultOutput(l, o.Profile)
	}
	if abs, err := filepath.Abs(o.Output); err == nil {
		o.Output = abs
	}
	if ext := strings.ToLower(filepath.Ext(o.Output)); ext != ".mp4" && ext != ".m4v" && ext != ".mov" {
		return captions.Errorf("output %s: lessonpub writes MP4 files; give a name ending in .mp4", o.Output)
	}
	if o.MaxSize == 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxSize < 0 {
		return captions.Errorf("max size %d is negative", o.MaxSize)
	}
	if o.Fragmented && o.Profile != ProfileYouTube {
		return captions.Errorf("the %s profile writes a finished file only; streaming is for the %s profile", o.Profile, ProfileYouTube)
	}
	if o.Threads <= 0 {
		o.Threads = DefaultThreads()
	}
	if o.Preset == "" {
		o.Preset = DefaultPreset
	}
	if o.Probe == nil {
		o.Probe = ffmpeg.Probe
	}
	return nil
}
