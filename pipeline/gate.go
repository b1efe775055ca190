package pipeline

import (
	"bytes"
	"context"
	"fmt"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
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
}

// Check implements CaptionSource with check.Gate.
func (g CaptionGate) Check(ctx context.Context, l *lessons.Lesson) error {
	return check.Gate(ctx, l, g.Probe)
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
		return nil, fmt.Errorf("converting %s to SRT: %w", cf.Path, err)
	}
	return b.Bytes(), nil
}
