package pipeline

import (
	"bytes"
	"context"
	"fmt"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/captionsync"
	"github.com/lessonpub/lessonpub/pipeline/check"
)

// CaptionSource checks a lesson's captions and gives them in the form that
// is uploaded.
type CaptionSource interface {
	// Check is the caption gate: an error (naming file and line) keeps the
	// lesson from being published.
	Check(ctx context.Context, l *lessons.Lesson) error
	// SRT returns a caption file as plain UTF-8 SRT without markup.
	SRT(f lessons.CaptionFile) ([]byte, error)
}

// CaptionGate is the CaptionSource that publishing uses: check.Gate with
// the course's profile and the recording's length, and captions converted
// to plain UTF-8 SRT for upload.
type CaptionGate struct {
	// Probe reads the recording; ProbeRecording when nil. Give it the
	// Probe of the run's check.Probes, shared with MediaRenderer, to read each
	// recording once.
	Probe check.ProbeFunc
	// Sync listens to the recording and says whether each caption file
	// matches the speech (course.yaml captions.sync); nil: not checked.
	// cmd gives it a captionsync.Cache's CheckLesson.
	Sync func(ctx context.Context, l *lessons.Lesson) ([]captionsync.Result, error)
	// Warn receives what captions.sync: warn reports; nil: dropped.
	Warn func(l *lessons.Lesson, msg *captions.Text)
}

// Check implements CaptionSource with check.Gate, then, unless the course
// turns it off, the sync check: captions out of sync with the speech stop
// the lesson with captions.sync: error, and are a warning with warn. A
// file the sound cannot decide about is never called out of sync.
func (g CaptionGate) Check(ctx context.Context, l *lessons.Lesson) error {
	if err := check.Gate(ctx, l, g.Probe); err != nil {
		return err
	}
	mode := l.Course.CaptionSync
	if g.Sync == nil || mode == lessons.SyncOff || len(l.Captions) == 0 {
		return nil
	}
	results, err := g.Sync(ctx, l)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if mode == lessons.SyncError {
			return captions.Errorf("listening to %s for captions.sync: %w", l.Recording, err)
		}
		g.warn(l, captions.Textf("could not listen to %s to check that the captions match the speech: %v", l.Recording, err))
		return nil
	}
	var off []*captions.Text
	for _, r := range results {
		if r.Decided && !r.InSync {
			msg := r.Text
			if msg == nil {
				msg = captions.Textf("%s", r.Message) // English only: made without its Text
			}
			off = append(off, captions.Textf("%s: %s", r.File.Path, msg))
		}
	}
	switch {
	case len(off) == 0:
		return nil
	case mode == lessons.SyncError:
		return captions.Errorf("%s (course.yaml has captions.sync: error)", captions.Join("; ", off))
	}
	for _, o := range off {
		g.warn(l, captions.Textf("%s (published anyway: course.yaml has captions.sync: warn)", o))
	}
	return nil
}

func (g CaptionGate) warn(l *lessons.Lesson, msg *captions.Text) {
	if g.Warn != nil {
		g.Warn(l, msg)
	}
}

// SRT implements CaptionSource.
func (CaptionGate) SRT(cf lessons.CaptionFile) ([]byte, error) {
	data, err := lessons.ReadFile(cf.Path)
	if err != nil {
		return nil, err
	}
	f, err := captions.Parse(data, check.FormatOf(cf))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cf.Path, err)
	}
	var b bytes.Buffer
	if err := captions.WriteSRT(&b, f.Plain()); err != nil {
		return nil, captions.Errorf("converting %s to SRT: %w", cf.Path, err)
	}
	return b.Bytes(), nil
}
