package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/check"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/render"
)

// Renderer turns a lesson into the video file that is uploaded.
type Renderer interface {
	// Settings describes, stably across runs, everything besides the input
	// files that decides the rendered video (profile, overlay, versions); a
	// change means the lesson is rendered and uploaded again.
	Settings(l *lessons.Lesson) string
	// Describe says for people what rendering the lesson will do (--dry-run).
	Describe(ctx context.Context, l *lessons.Lesson) (Description, error)
	// Render writes the lesson's video to out (complete or not at all).
	Render(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) error
	// Start begins rendering the lesson in the background into a file that
	// can be uploaded while it grows (a fragmented MP4), after the checks
	// that can fail a lesson before any byte is written. Finish moves the
	// file to out; Close stops the render and removes it.
	Start(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) (Rendering, error)
}

// renderSettingsVersion changes when the youtube render changes in a way
// that should reach videos already published.
const renderSettingsVersion = 1

// MediaRenderer renders lessons with package render's youtube profile.
type MediaRenderer struct {
	Preset string // x264 preset; render.DefaultPreset when ""
	// Warn receives the render's warnings (small sign box, no sound...).
	Warn func(lesson string, msg *captions.Text)
	// Probe reads the lesson's media files; ffmpeg.Probe when nil. Give
	// it the Probe of the run's check.Probes, shared with CaptionGate, to read
	// each recording once.
	Probe check.ProbeFunc
	// Rendition is what the target wants (New sets it through ForRendition).
	Rendition Rendition
}

// ForRendition implements RenditionRenderer.
func (r MediaRenderer) ForRendition(rd Rendition) Renderer {
	r.Rendition = rd
	return r
}

// signApart reports whether the lesson's interpreter is rendered as a video
// of its own (SignFile) instead of into the picture.
func (r MediaRenderer) signApart(l *lessons.Lesson) bool {
	return r.Rendition.SignSeparate && l.Sign != "" && l.Course.Sign.Layout == lessons.LayoutWindow
}

// withoutSign is the lesson rendered without its interpreter.
func withoutSign(l *lessons.Lesson) *lessons.Lesson {
	c := *l
	c.Sign = ""
	return &c
}

// Settings implements Renderer. The x264 preset is left out: it changes
// the file's size, not what viewers see, so it is no reason to upload again.
func (r MediaRenderer) Settings(l *lessons.Lesson) string {
	sign := l.Course.Sign
	if sign.Layout == lessons.LayoutWindow && !r.signApart(l) {
		sign.Layout = lessons.LayoutPiP // the same picture: no reason to upload again
	}
	s := fmt.Sprintf("v%d profile=%s sign=%+v offset=%v", renderSettingsVersion, render.ProfileYouTube, sign, l.SignOffset)
	if r.signApart(l) {
		s += " sign-apart"
	}
	return s
}

func (r MediaRenderer) options(l *lessons.Lesson, out string) render.Options {
	return render.Options{Profile: render.ProfileYouTube, Output: out, Preset: r.Preset, NoCaptionTracks: true, Probe: r.Probe, Warn: func(msg *captions.Text) {
		if r.Warn != nil {
			r.Warn(l.Name, msg)
		}
	}}
}

// Description is what rendering a lesson will do, for people: Format
// writes it with tr, the formatting function of their language
// (fmt.Sprintf for English).
type Description interface {
	Format(tr func(format string, args ...any) string) string
}

// Describe implements Renderer.
func (r MediaRenderer) Describe(ctx context.Context, l *lessons.Lesson) (Description, error) {
	out := filepath.Join(os.TempDir(), "lessonpub-dry-run", l.Name+".mp4")
	opts := r.options(l, out)
	opts.Warn = nil
	apart := r.signApart(l)
	if apart {
		l = withoutSign(l)
	}
	p, err := render.NewPlan(ctx, l, opts)
	if err != nil {
		return nil, err
	}
	p.SignApart = apart
	return p, nil
}

// Render implements Renderer. With sign.layout: window and a rendition
// that keeps the interpreter apart, it also writes SignFile(out).
func (r MediaRenderer) Render(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) error {
	if r.signApart(l) {
		// The interpreter first: out existing means both are there.
		if err := render.SignVideo(ctx, l, SignFile(out), r.Preset, nil); err != nil {
			return err
		}
		l = withoutSign(l)
	}
	p, err := render.NewPlan(ctx, l, r.options(l, out))
	if err != nil {
		return err
	}
	_, err = p.Run(ctx, renderProgress(progress))
	return err
}

// Start implements Renderer: a fragmented render with a fixed number of
// encoder threads and ffmpeg's bit-exact flags, so that a rerun after a
// crash makes the same bytes and its upload can continue.
func (r MediaRenderer) Start(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) (Rendering, error) {
	opts := r.options(l, out)
	opts.Fragmented = true
	p, err := render.NewPlan(ctx, l, opts)
	if err != nil {
		return nil, err
	}
	j, err := p.Start(ctx, renderProgress(progress))
	if err != nil {
		return nil, err
	}
	return mediaRendering{j}, nil
}

func renderProgress(progress func(done, total time.Duration)) func(ffmpeg.Progress) {
	return func(pr ffmpeg.Progress) {
		if progress != nil {
			progress(pr.OutTime, pr.Duration)
		}
	}
}

// mediaRendering is a render.Job as a Rendering.
type mediaRendering struct{ *render.Job }

func (m mediaRendering) Finish() error {
	_, err := m.Job.Finish()
	return err
}
