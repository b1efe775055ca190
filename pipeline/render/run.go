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

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Result is a finished render.
type Result struct {
	Output   string        // the file written
	Media    *ffmpeg.Media // what ffprobe reads in it
	Elapsed  time.Duration
	Sound    string // how the sound was treated, e.g. "linear gain +4.2 dB …"
	Warnings []*captions.Text
}

// step is one ffmpeg run of a plan, with its share of the whole job.
type step struct {
	name   string
	weight float64
}

func (p *Plan) steps() []step {
	var s []step
	measureWeight := 0.05
	if p.Mode == ModeCopy {
		measureWeight = 0.4
	}
	if p.Recording.Audio != nil {
		s = append(s, step{"measure the loudness of the sound", measureWeight})
	}
	switch p.Mode {
	case ModeCopy:
		what := "copy the video"
		if p.Recording.Audio != nil {
			what += ", treat the sound"
		}
		if len(p.Tracks) > 0 {
			what += ", add caption tracks"
		}
		s = append(s, step{what, 1 - measureWeight})
	case ModeEncode:
		s = append(s, step{"encode", 1})
	case ModeTwoPass:
		s = append(s, step{"encode, pass 1 of 2", 0.45}, step{"encode, pass 2 of 2", 0.55})
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
func (p *Plan) render(ctx context.Context, tmp string, agg *aggregate) (sound string, m *ffmpeg.Media, err error) {
	jobDir, err := os.MkdirTemp("", "lessonpub-render-*")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(jobDir)
	if err := p.writeCaptions(jobDir); err != nil {
		return "", nil, fmt.Errorf("rendering %s: %w", p.Lesson.Dir, err)
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
			return "", nil, err
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
				return "", nil, atomicfile.Explain(err, filepath.Dir(p.Output))
			}
			if pass > 0 {
				return "", nil, fmt.Errorf("rendering %s (pass %d of 2): %w", p.Lesson.Dir, pass, err)
			}
			return "", nil, fmt.Errorf("rendering %s: %w", p.Lesson.Dir, err)
		}
	}
	m, err = ffmpeg.Probe(ctx, tmp)
	if err != nil {
		return "", nil, fmt.Errorf("checking the rendered file: %w", err)
	}
	if m.Video == nil || (p.Recording.Audio != nil && m.Audio == nil) {
		return "", nil, fmt.Errorf("checking the rendered file: ffprobe finds only %s in it; run the render again, and report it if it happens again", m.StreamList())
	}
	if p.Mode == ModeTwoPass && m.Size > p.Options.MaxSize {
		p.warn(captions.Textf("the shared copy is %s, over the %s asked for", formatSize(m.Size), formatSize(p.Options.MaxSize)))
	}
	return sound, m, nil
}

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

// String describes the plan for people: inputs, the path chosen and why,
// the steps, and the ffmpeg command of the main step.
func (p *Plan) String() string {
	var b strings.Builder
	l := p.Lesson
	title := l.Title
	if title == "" {
		title = l.Name
	}
	fmt.Fprintf(&b, "lesson     %s (%s)\n", title, l.Dir)
	fmt.Fprintf(&b, "recording  %s: %s\n", p.Recording.Path, describe(p.Recording))
	if p.Sign != nil {
		fmt.Fprintf(&b, "sign       %s: %s; starts at %v\n", p.Sign.Path, describe(p.Sign), l.SignOffset)
	}
	for _, t := range p.Tracks {
		fmt.Fprintf(&b, "captions   %s (track, %s): %s\n", t.Language, iso639_2(t.Language), t.Path)
	}
	if p.Burn != nil {
		fmt.Fprintf(&b, "burn in    %s: %s\n", p.Burn.Language, p.Burn.Path)
	}
	fmt.Fprintf(&b, "profile    %s -> %s\n", p.Options.Profile, p.Output)
	switch p.Mode {
	case ModeCopy:
		sound := "sound to AAC 48 kHz stereo at -16 LUFS"
		if p.Recording.Audio == nil {
			sound = "no sound"
		}
		fmt.Fprintf(&b, "plan       video copied as it is (nothing added to the picture); %s\n", sound)
	default:
		fmt.Fprintf(&b, "plan       %s, because: %s\n", p.Mode, strings.Join(p.Reasons, "; "))
		lay := p.layout
		fmt.Fprintf(&b, "picture    %dx%d at %s fps", lay.W, lay.H, p.rate)
		if p.Mode == ModeTwoPass {
			fmt.Fprintf(&b, ", H.264 Main %d kbit/s, AAC %d kbit/s (under %s)", p.videoKbps, p.audioKbps, formatSize(p.Options.MaxSize))
		} else {
			fmt.Fprintf(&b, ", H.264 High CRF 20 (%s), AAC 48 kHz stereo", p.Options.Preset)
		}
		b.WriteByte('\n')
		if p.Sign != nil {
			s := lay.Sign
			where := p.SignCfg.Position
			if p.SignCfg.Layout == "side-by-side" {
				where = "side by side"
			}
			fmt.Fprintf(&b, "signer     %dx%d box at x=%d y=%d (%s), %.0f%% of the picture", s.W, s.H, s.X, s.Y, where, 100*float64(s.area())/float64(lay.W*lay.H))
			if p.SignCfg.Key != "" {
				fmt.Fprintf(&b, ", %s screen keyed out", p.SignCfg.Key)
			}
			b.WriteByte('\n')
		}
	}
	b.WriteString("steps\n")
	for i, s := range p.steps() {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, s.name)
	}
	pass := 0
	if p.Mode == ModeTwoPass {
		pass = 2
	}
	c, _ := p.mainCommand(p.Output, pass, filepath.Join("JOBDIR", "x264"), nil)
	fmt.Fprintf(&b, "command    %s\n", c)
	if p.Recording.Audio != nil {
		fmt.Fprintf(&b, "           (the sound filter shown is replaced by the gain measured in step 1)\n")
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(&b, "warning    %s\n", w)
	}
	return b.String()
}

func describe(m *ffmpeg.Media) string {
	var parts []string
	if v := m.Video; v != nil {
		w, h := v.DisplaySize()
		s := fmt.Sprintf("%s %dx%d %.4g fps %s", v.Codec, w, h, v.FrameRate, v.PixFmt)
		if v.VFR {
			s += " variable rate"
		}
		if v.Rotation != 0 {
			s += fmt.Sprintf(" rotated %d°", v.Rotation)
		}
		parts = append(parts, s)
	}
	if a := m.Audio; a != nil {
		parts = append(parts, fmt.Sprintf("%s %d ch %d Hz", a.Codec, a.Channels, a.SampleRate))
	} else {
		parts = append(parts, "no sound")
	}
	parts = append(parts, m.Duration.Round(10*time.Millisecond).String())
	return strings.Join(parts, ", ")
}
