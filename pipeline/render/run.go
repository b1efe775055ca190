package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Result is a finished render.
type Result struct {
	Output   string        // the file written
	Media    *ffmpeg.Media // what ffprobe reads in it
	Elapsed  time.Duration
	Sound    *captions.Text // how the sound was treated, e.g. "linear gain +4.2 dB …"
	Warnings []*captions.Text
}

// step is one ffmpeg run of a plan, with its share of the whole job.
type step struct {
	name   *captions.Text
	weight float64
}

func (p *Plan) steps() []step {
	var s []step
	measureWeight := 0.05
	if p.Mode == ModeCopy {
		measureWeight = 0.4
	}
	sound := p.Recording.Audio != nil
	if sound {
		s = append(s, step{captions.Textf("measure the loudness of the sound"), measureWeight})
	}
	switch p.Mode {
	case ModeCopy:
		var what *captions.Text
		switch tracks := len(p.Tracks) > 0; {
		case sound && tracks:
			what = captions.Textf("copy the video, treat the sound, add caption tracks")
		case sound:
			what = captions.Textf("copy the video, treat the sound")
		case tracks:
			what = captions.Textf("copy the video, add caption tracks")
		default:
			what = captions.Textf("copy the video")
		}
		s = append(s, step{what, 1 - measureWeight})
	case ModeEncode:
		s = append(s, step{captions.Textf("encode the video"), 1})
	case ModeTwoPass:
		s = append(s, step{captions.Textf("encode the video, pass 1 of 2"), 0.45}, step{captions.Textf("encode the video, pass 2 of 2"), 0.55})
	}
	return s
}

// Run renders the lesson. The output is written to a hidden temporary file
// beside it and renamed only on success: when ctx is cancelled (Ctrl-C) or
// ffmpeg fails, no partial file and no ffmpeg process are left behind.
// progress, when not nil, receives the progress of the whole job (Percent
// and ETA over every step).
func (p *Plan) Run(ctx context.Context, progress func(ffmpeg.Progress)) (*Result, error) {
	j, err := p.Start(ctx, progress)
	if err != nil {
		return nil, err
	}
	return j.Finish()
}

// render runs every step of the plan writing to tmp, then reads the file
// back with ffprobe.
func (p *Plan) render(ctx context.Context, tmp string, agg *aggregate) (sound *captions.Text, m *ffmpeg.Media, err error) {
	jobDir, err := os.MkdirTemp("", "lessonpub-render-*")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(jobDir)
	if err := p.writeCaptions(jobDir); err != nil {
		return nil, nil, captions.Errorf(renderingFailed, p.Lesson.Dir, err)
	}

	steps := p.steps()
	for _, s := range steps {
		agg.total += s.weight
	}
	next := func() func(ffmpeg.Progress) {
		w := steps[0].weight
		steps = steps[1:]
		return agg.step(w)
	}

	var loud *loudness
	if p.Recording.Audio != nil {
		if loud, err = p.measure(ctx, next()); err != nil {
			return nil, nil, err
		}
	}
	passes := []int{0}
	if p.Mode == ModeTwoPass {
		passes = []int{1, 2}
	}
	for _, pass := range passes { // the last pass's sound: the first of two makes none
		var c *ffmpeg.Command
		c, sound = p.mainCommand(tmp, pass, filepath.Join(jobDir, "x264"), loud)
		c.Dir = jobDir
		if err := c.Run(ctx, next()); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return nil, nil, atomicfile.Explain(err, filepath.Dir(p.Output))
			}
			if pass > 0 {
				return nil, nil, captions.Errorf("rendering %s (pass %d of 2): %w", p.Lesson.Dir, pass, err)
			}
			return nil, nil, captions.Errorf(renderingFailed, p.Lesson.Dir, err)
		}
	}
	m, err = ffmpeg.Probe(ctx, tmp)
	if err != nil {
		return nil, nil, captions.Errorf("checking the rendered file: %w", err)
	}
	if m.Video == nil || (p.Recording.Audio != nil && m.Audio == nil) {
		return nil, nil, captions.Errorf("checking the rendered file: ffprobe finds only %s in it; run the render again, and report it if it happens again", m.StreamList())
	}
	if p.Mode == ModeTwoPass && m.Size > p.Options.MaxSize {
		p.warn(captions.Textf("the shared copy is %s, over the %s asked for", formatSize(m.Size), formatSize(p.Options.MaxSize)))
	}
	return sound, m, nil
}

// renderingFailed is the error of a render that failed.
const renderingFailed = "rendering %s: %w"

// aggregate turns the progress of each step into progress of the job.
type aggregate struct {
	start    time.Time
	duration time.Duration
	emit     func(ffmpeg.Progress)
	total    float64 // sum of step weights
	done     float64 // weights of finished steps
	last     ffmpeg.Progress
}

func (a *aggregate) step(weight float64) func(ffmpeg.Progress) {
	base := a.done
	a.done += weight
	return func(pr ffmpeg.Progress) {
		frac := (base + weight*pr.Percent/100) / a.total
		out := pr
		out.Done = false
		out.Duration = a.duration
		out.Percent = 100 * frac
		out.OutTime = time.Duration(frac * float64(a.duration))
		out.ETA = -1
		if elapsed := time.Since(a.start); frac > 0.01 {
			out.ETA = time.Duration(float64(elapsed) * (1 - frac) / frac)
		}
		a.last = out
		if a.emit != nil {
			a.emit(out)
		}
	}
}

func (a *aggregate) finish() {
	if a.emit == nil {
		return
	}
	out := a.last
	out.Percent, out.OutTime, out.ETA, out.Done = 100, a.duration, 0, true
	a.emit(out)
}

// String describes the plan for people in English (Format).
func (p *Plan) String() string { return p.Format(fmt.Sprintf) }

// Format describes the plan for people: inputs, the path chosen and why,
// the steps, and the ffmpeg command of the main step, a label on the left
// of each line. tr formats each message: fmt.Sprintf for English, or a
// printer that translates the format and the messages (*captions.Text)
// among its arguments. The labels are padded to one column in the language
// tr writes.
func (p *Plan) Format(tr func(format string, args ...any) string) string {
	type line struct {
		label, value string
		raw          bool // value is the whole line
	}
	var lines []line
	add := func(label, value string) { lines = append(lines, line{label: label, value: value}) }
	l := p.Lesson
	title := l.Title
	if title == "" {
		title = l.Name
	}
	add(tr("lesson"), tr("%s (%s)", title, l.Dir))
	add(tr("recording"), tr("%s: %s", p.Recording.Path, describe(p.Recording)))
	if p.Sign != nil {
		add(tr("sign"), tr("%s: %s; starts at %v", p.Sign.Path, describe(p.Sign), l.SignOffset))
	}
	for _, t := range p.Tracks {
		add(tr("captions"), tr("%s (track, %s): %s", t.Language, iso639_2(t.Language), t.Path))
	}
	if p.Burn != nil {
		add(tr("burn in"), tr("%s: %s", p.Burn.Language, p.Burn.Path))
	}
	add(tr("profile"), tr("%s -> %s", p.Options.Profile, p.Output))
	switch p.Mode {
	case ModeCopy:
		sound := captions.Textf("sound to AAC 48 kHz stereo at -16 LUFS")
		if p.Recording.Audio == nil {
			sound = captions.Textf("no sound")
		}
		add(tr("plan"), tr("video copied as it is (nothing added to the picture); %s", sound))
	default:
		add(tr("plan"), tr("%s, because: %s", p.Mode, captions.Join("; ", p.Reasons)))
		lay := p.layout
		switch {
		case p.Mode == ModeTwoPass && p.Recording.Audio == nil:
			add(tr("picture"), tr("%dx%d at %s fps, H.264 Main %d kbit/s, no sound (under %s)", lay.W, lay.H, p.rate, p.videoKbps, formatSize(p.Options.MaxSize)))
		case p.Mode == ModeTwoPass:
			add(tr("picture"), tr("%dx%d at %s fps, H.264 Main %d kbit/s, AAC %d kbit/s (under %s)", lay.W, lay.H, p.rate, p.videoKbps, p.audioKbps, formatSize(p.Options.MaxSize)))
		default:
			add(tr("picture"), tr("%dx%d at %s fps, H.264 High CRF 20 (%s), AAC 48 kHz stereo", lay.W, lay.H, p.rate, p.Options.Preset))
		}
		if p.Sign != nil {
			s := lay.Sign
			var where any = p.SignCfg.Position // as course.yaml writes it
			if p.SignCfg.Layout == "side-by-side" {
				where = captions.Textf("side by side")
			}
			share := 100 * float64(s.area()) / float64(lay.W*lay.H)
			if p.SignCfg.Key != "" {
				add(tr("signer"), tr("%dx%d box at x=%d y=%d (%s), %.0f%% of the picture, %s screen keyed out", s.W, s.H, s.X, s.Y, where, share, p.SignCfg.Key))
			} else {
				add(tr("signer"), tr("%dx%d box at x=%d y=%d (%s), %.0f%% of the picture", s.W, s.H, s.X, s.Y, where, share))
			}
		}
	}
	if p.SignApart {
		add(tr("signer"), tr("rendered apart, for the sign window of the course site"))
	}
	add(tr("steps"), "")
	for i, s := range p.steps() {
		lines = append(lines, line{value: tr("  %d. %s", i+1, s.name), raw: true})
	}
	pass := 0
	if p.Mode == ModeTwoPass {
		pass = 2
	}
	c, _ := p.mainCommand(p.Output, pass, filepath.Join("JOBDIR", "x264"), nil)
	add(tr("command"), c.String())
	if p.Recording.Audio != nil {
		add("", tr("(the sound filter shown is replaced by the gain measured in step 1)"))
	}
	for _, w := range p.Warnings {
		add(tr("warning"), tr("%s", w))
	}

	// One column for every plan in a language: the widest of all labels.
	width := 0
	for _, label := range []string{tr("lesson"), tr("recording"), tr("sign"), tr("captions"), tr("burn in"), tr("profile"),
		tr("plan"), tr("picture"), tr("signer"), tr("steps"), tr("command"), tr("warning")} {
		width = max(width, utf8.RuneCountInString(label))
	}
	width += 2
	var b strings.Builder
	for _, ln := range lines {
		switch {
		case ln.raw:
			b.WriteString(ln.value)
		case ln.value == "":
			b.WriteString(ln.label)
		default:
			b.WriteString(ln.label)
			b.WriteString(strings.Repeat(" ", width-utf8.RuneCountInString(ln.label)))
			b.WriteString(ln.value)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// describe says for people what a media file holds, e.g. "h264 1920x1080
// 30 fps yuv420p, aac 2 ch 48000 Hz, 1m0s".
func describe(m *ffmpeg.Media) *captions.Text {
	var parts []*captions.Text
	if v := m.Video; v != nil {
		w, h := v.DisplaySize()
		video := []*captions.Text{captions.Textf("%s %dx%d %.4g fps %s", v.Codec, w, h, v.FrameRate, v.PixFmt)}
		if v.VFR {
			video = append(video, captions.Textf("variable rate"))
		}
		if v.Rotation != 0 {
			video = append(video, captions.Textf("rotated %d°", v.Rotation))
		}
		parts = append(parts, captions.Join(" ", video))
	}
	if a := m.Audio; a != nil {
		parts = append(parts, captions.Textf("%s %d ch %d Hz", a.Codec, a.Channels, a.SampleRate))
	} else {
		parts = append(parts, captions.Textf("no sound"))
	}
	parts = append(parts, captions.Textf("%s", m.Duration.Round(10*time.Millisecond)))
	return captions.Join(", ", parts)
}
