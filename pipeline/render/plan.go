package render

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Mode is how the video stream is produced.
type Mode int

const (
	// ModeCopy copies the video as it is; only the sound is treated and
	// the captions added as tracks.
	ModeCopy Mode = iota
	// ModeEncode encodes the video once (overlay, burn-in, a picture
	// YouTube handles badly).
	ModeEncode
	// ModeTwoPass encodes twice to meet a size cap (share profile).
	ModeTwoPass
)

func (m Mode) String() string {
	f, args := m.Parts()
	return fmt.Sprintf(f, args...)
}

// Parts is the English format and arguments of the mode's name, so that a
// program printing the mode for a person translates it.
func (m Mode) Parts() (string, []any) {
	switch m {
	case ModeCopy:
		return captions.Textf("copy").Parts()
	case ModeEncode:
		return captions.Textf("encode").Parts()
	case ModeTwoPass:
		return captions.Textf("two-pass encode").Parts()
	}
	return "Mode(%d)", []any{int(m)} // untranslated: no such mode is ever made
}

// noCaptions is the error (or, for the share profile's default language,
// the warning) of captions to burn in that the lesson does not have.
const noCaptions = "lesson %s has no captions in %q (%s): add a file such as %s"

// cutsAwaySign is the error of a sign_offset that starts the lesson after
// the interpreter clip's end.
const cutsAwaySign = "sign_offset %v in %s cuts away the whole interpreter clip (%v): make it closer to 0"

// Loudness targets (EBU R128 for online video).
const (
	TargetLUFS = -16.0
	targetTP   = -1.5
	targetLRA  = 11.0
)

// Plan is a decided render of one lesson. Make it with NewPlan; print it
// for --dry-run; carry it out with Run.
type Plan struct {
	Lesson  *lessons.Lesson // a copy of the lesson given, with absolute paths
	Options Options         // with defaults filled in
	Output  string          // absolute path of the file Run writes

	Recording *ffmpeg.Media
	Sign      *ffmpeg.Media // nil without an interpreter clip
	SignCfg   lessons.Sign  // the course's settings with defaults
	Mode      Mode
	Reasons   []*captions.Text      // why the video is encoded; empty for ModeCopy
	Tracks    []lessons.CaptionFile // captions muxed as mov_text tracks
	Burn      *lessons.CaptionFile  // captions burned into the picture; nil for none
	Warnings  []*captions.Text
	// SignApart says (in the plan's text) that the interpreter is rendered
	// as a video of its own, for the course site's sign window.
	SignApart bool

	layout    layout
	rate      string // output frame rate, e.g. "30" or "30000/1001"
	gop       int
	videoKbps int // ModeTwoPass
	audioKbps int
	fontsDir  string // the caption font's folder, when burning captions
	fontName  string

	trackFiles []string // lessonpub's SRT of each of Tracks, written by Run
	burnFile   string   // lessonpub's ASS script of Burn, written by Run
	duration   time.Duration
}

// NewPlan probes the lesson's recording, interpreter clip and captions and
// decides how to render it. Errors name the file that is wrong and say
// what to do.
func NewPlan(ctx context.Context, l *lessons.Lesson, opts Options) (*Plan, error) {
	if err := opts.normalize(l); err != nil {
		return nil, err
	}
	l = absLesson(l)
	if l.Recording == "" {
		return nil, captions.Errorf("lesson %s has no recording: put the lesson's video file (for example lesson.mp4) in the folder", l.Dir)
	}
	var filters []string
	if opts.BurnCaptions != "" || opts.Profile == ProfileShare {
		filters = append(filters, "subtitles")
	}
	if err := ffmpeg.Check(ctx, filters...); err != nil {
		return nil, err
	}
	p := &Plan{Lesson: l, Options: opts, Output: opts.Output}
	course := l.Course
	if course != nil {
		p.SignCfg = course.Sign
	}
	p.SignCfg = signDefaults(p.SignCfg)

	rec, err := opts.Probe(ctx, l.Recording)
	if err != nil {
		return nil, captions.Errorf("lesson recording: %w", err)
	}
	if err := rec.RequireVideo(); err != nil {
		return nil, captions.Errorf("lesson recording: %w", err)
	}
	p.Recording = rec
	p.duration = rec.Duration
	if rec.Audio == nil {
		var undecodable []string
		for _, s := range rec.Streams {
			if s.Type == "audio" {
				undecodable = append(undecodable, s.Codec)
			}
		}
		if len(undecodable) > 0 {
			p.warn(captions.Textf("%s has no sound ffmpeg can decode (only %s): the video will be silent; export the recording again with AAC sound to keep it", l.Recording, strings.Join(undecodable, ", ")))
		} else {
			p.warn(captions.Textf("%s has no sound: the video will be silent (fine for a signed lesson)", l.Recording))
		}
	}
	if samePath(p.Output, l.Recording) || (l.Sign != "" && samePath(p.Output, l.Sign)) {
		return nil, captions.Errorf("output %s is one of the lesson's own files; choose another name with -o", p.Output)
	}
	if dir, err := filepath.Abs(l.Dir); err == nil && filepath.Dir(p.Output) == dir {
		return nil, captions.Errorf("output %s is inside the lesson folder, where the next run would take it for a second recording; write it to %s or outside the lesson", p.Output, filepath.Join(l.Dir, "out"))
	}

	if l.Sign != "" {
		sign, err := opts.Probe(ctx, l.Sign)
		if err != nil {
			return nil, captions.Errorf("interpreter clip: %w", err)
		}
		if sign.Video == nil {
			return nil, captions.Errorf("interpreter clip %s is not a video (it holds %s): put the interpreter's video there, or remove the file", l.Sign, sign.StreamList())
		}
		p.Sign = sign
		if _, err := keyColour(p.SignCfg.Key); err != nil {
			return nil, fmt.Errorf("%s: %w", courseFile(l), err)
		}
		if l.SignOffset >= p.duration {
			return nil, captions.Errorf("sign_offset %v in %s is past the end of the recording (%v): the interpreter would never appear; make sign_offset smaller", l.SignOffset, filepath.Join(l.Dir, lessons.LessonFile), p.duration.Round(time.Second))
		}
		if -l.SignOffset >= sign.Duration && sign.Duration > 0 {
			return nil, captions.Errorf(cutsAwaySign, l.SignOffset, filepath.Join(l.Dir, lessons.LessonFile), sign.Duration.Round(time.Second))
		}
	}

	if err := p.chooseCaptions(); err != nil {
		return nil, err
	}
	if p.Burn != nil {
		if p.fontsDir, p.fontName, err = captionFont(); err != nil {
			return nil, err
		}
	}
	p.decideMode()
	p.rate, p.gop = outputRate(rec.Video)
	if err := p.decideLayout(); err != nil {
		return nil, err
	}
	if p.Mode == ModeTwoPass {
		if err := p.decideBitrate(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// absLesson is a copy of l with absolute paths: ffmpeg runs in a job folder.
func absLesson(l *lessons.Lesson) *lessons.Lesson {
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	c := *l
	c.Dir, c.Recording, c.Sign = abs(l.Dir), abs(l.Recording), abs(l.Sign)
	c.Captions = make([]lessons.CaptionFile, len(l.Captions))
	for i, cf := range l.Captions {
		cf.Path = abs(cf.Path)
		c.Captions[i] = cf
	}
	return &c
}

func (p *Plan) warn(msg *captions.Text) {
	p.Warnings = append(p.Warnings, msg)
	if p.Options.Warn != nil {
		p.Options.Warn(msg)
	}
}

func courseFile(l *lessons.Lesson) string {
	if l.Course != nil {
		return filepath.Join(l.Course.Dir, lessons.CourseFile)
	}
	return lessons.CourseFile
}

func samePath(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}

// chooseCaptions picks the soft tracks and the captions to burn in.
func (p *Plan) chooseCaptions() error {
	l := p.Lesson
	if p.Options.Profile == ProfileYouTube && !p.Options.NoCaptionTracks {
		p.Tracks = l.Captions
	}
	lang := p.Options.BurnCaptions
	required := lang != ""
	if lang == "" && p.Options.Profile == ProfileShare {
		lang = "az"
		if l.Course != nil && l.Course.Language != "" {
			lang = l.Course.Language
		}
	}
	if lang == "" {
		return nil
	}
	for i := range l.Captions {
		if l.Captions[i].Language == lang {
			p.Burn = &l.Captions[i]
			return nil
		}
	}
	for i := range l.Captions {
		if sameLanguage(l.Captions[i].Language, lang) {
			p.Burn = &l.Captions[i]
			return nil
		}
	}
	var have []string
	for _, c := range l.Captions {
		have = append(have, c.Language)
	}
	hint := captions.Textf("it has none")
	if len(have) > 0 {
		hint = captions.Textf("it has %s", strings.Join(have, ", "))
	}
	example := filepath.Join(l.Dir, "lesson."+lang+".srt")
	if required {
		return captions.Errorf(noCaptions, l.Dir, lang, hint, example)
	}
	p.warn(captions.Textf("%s; the shared video has no captions", captions.Textf(noCaptions, l.Dir, lang, hint, example)))
	return nil
}

// decideMode picks copy or encode, recording why it encodes.
func (p *Plan) decideMode() {
	if p.Options.Profile == ProfileShare {
		p.Mode = ModeTwoPass
		p.Reasons = append(p.Reasons, captions.Textf("share copy: 720p at most, under %s", formatSize(p.Options.MaxSize)))
		return
	}
	v := p.Recording.Video
	var why []*captions.Text
	if p.Sign != nil {
		why = append(why, captions.Textf("sign-language overlay"))
	}
	if p.Burn != nil {
		why = append(why, captions.Textf("captions burned in (%s)", p.Burn.Language))
	}
	switch v.Codec {
	case "h264", "hevc":
	default:
		why = append(why, captions.Textf("video codec %s is not H.264 or HEVC", v.Codec))
	}
	if v.VFR {
		why = append(why, captions.Textf("variable frame rate (average %.2f fps)", v.FrameRate))
	}
	if v.HDR() {
		why = append(why, captions.Textf("HDR (%s) brought to SDR", v.ColorTransfer))
	}
	if v.BitDepth > 8 {
		why = append(why, captions.Textf("%d-bit video brought to 8-bit", v.BitDepth))
	} else if v.PixFmt != "yuv420p" && v.PixFmt != "yuvj420p" {
		why = append(why, captions.Textf("pixel format %s brought to yuv420p", v.PixFmt))
	}
	if v.Width%2 != 0 || v.Height%2 != 0 {
		why = append(why, captions.Textf("odd picture size %dx%d", v.Width, v.Height))
	}
	if v.Interlaced() {
		why = append(why, captions.Textf("interlaced video"))
	}
	p.Reasons = why
	if len(why) > 0 {
		p.Mode = ModeEncode
	}
}

// standardRates are the rates a variable-rate recording is made constant at.
var standardRates = []struct {
	r   string
	fps float64
}{{"24000/1001", 23.976}, {"24", 24}, {"25", 25}, {"30000/1001", 29.97}, {"30", 30}, {"50", 50}, {"60000/1001", 59.94}, {"60", 60}}

// outputRate is the constant frame rate of the output: the source's own;
// for a variable-rate recording its base rate when that is a standard rate
// up to 60 fps, else the standard rate nearest its average.
func outputRate(v *ffmpeg.Stream) (string, int) {
	if !v.VFR && v.Rate != "" && v.RealFrameRate > 0 && v.RealFrameRate <= 120 {
		return v.Rate, max(1, int(math.Round(v.RealFrameRate/2)))
	}
	for _, s := range standardRates {
		if v.VFR && math.Abs(s.fps-v.RealFrameRate) < 0.01 {
			return s.r, max(1, int(math.Round(s.fps/2)))
		}
	}
	fps := v.FrameRate
	if fps <= 0 {
		fps = 30
	}
	best := standardRates[0]
	for _, s := range standardRates {
		if math.Abs(s.fps-fps) < math.Abs(best.fps-fps) {
			best = s
		}
	}
	return best.r, max(1, int(math.Round(best.fps/2)))
}

// decideLayout sizes the output picture and the interpreter's box.
func (p *Plan) decideLayout() error {
	if p.Mode == ModeCopy {
		return nil
	}
	w, h := p.Recording.Video.DisplaySize()
	maxH := 1080
	if p.Options.Profile == ProfileShare {
		// 720p at most: the shorter side no longer than 720.
		if short := min(w, h); short > 720 {
			s := 720 / float64(short)
			w, h = even(float64(w)*s), even(float64(h)*s)
		}
		maxH = 720
	}
	w, h = even(float64(w)), even(float64(h))
	if v := p.Recording.Video; v.Width%2 != 0 || v.Height%2 != 0 {
		// Odd sizes round down so nothing is stretched by more than a pixel.
		dw, dh := v.DisplaySize()
		w, h = max(2, dw&^1), max(2, dh&^1)
	}
	var warns []*captions.Text
	switch {
	case p.Sign == nil:
		p.layout = layout{W: w, H: h, Lesson: rect{W: w, H: h}}
	case p.SignCfg.Layout == lessons.LayoutSideBySide:
		sw, sh := p.Sign.Video.DisplaySize()
		p.layout, warns = sideBySideLayout(w, h, sw, sh, maxH, p.SignCfg)
	default:
		sw, sh := p.Sign.Video.DisplaySize()
		p.layout, warns = pipLayout(w, h, sw, sh, p.SignCfg)
	}
	for _, w := range warns {
		p.warn(w)
	}
	return nil
}

// decideBitrate sets the share profile's bitrates from the size cap.
func (p *Plan) decideBitrate() error {
	secs := p.duration.Seconds()
	if secs <= 0 {
		return captions.Errorf("%s: ffprobe reports no duration, so the size cap cannot be planned; remux it first (ffmpeg -i IN -c copy OUT.mp4)", p.Recording.Path)
	}
	if p.Recording.Audio != nil {
		p.audioKbps = 96
	}
	total := float64(p.Options.MaxSize) * 8 / secs / 1000 * 0.97
	v := int(total) - p.audioKbps
	// More than this buys nothing visible at 720p.
	v = min(v, 2500)
	if v < 100 {
		need := int64(math.Ceil(secs*float64(300+p.audioKbps)*1000/8/0.97/(1<<20))) << 20
		return captions.Errorf("the %v lesson cannot fit in %s at a watchable quality (it would get %d kbit/s): raise --max-size, for example --max-size %s",
			p.duration.Round(time.Second), formatSize(p.Options.MaxSize), max(v, 0), formatSize(need))
	}
	p.videoKbps = v
	return nil
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dG", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%dM", (n+(1<<19))>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dK", (n+(1<<9))>>10)
	}
	return fmt.Sprintf("%dB", n)
}
