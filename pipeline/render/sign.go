package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// signMaxHeight is the tallest interpreter video SignVideo writes: a sign
// window is rarely larger, and hands read well at this size.
const signMaxHeight = 480

// SignVideo writes the lesson's interpreter clip as a video of its own to
// out, for a player that shows it in a window beside the lesson
// (sign.layout: window): H.264 without sound, at most 480 pixels tall, on
// the lesson's clock (sign_offset: a clip that starts later begins with
// black, one that starts earlier is cut), so that both play from 0 together.
// out is complete or not there; preset is the x264 preset ("" for
// DefaultPreset).
func SignVideo(ctx context.Context, l *lessons.Lesson, out, preset string, progress func(ffmpeg.Progress)) error {
	if l.Sign == "" {
		return captions.Errorf("lesson %s has no interpreter clip (sign.mp4)", l.Dir)
	}
	if preset == "" {
		preset = DefaultPreset
	}
	m, err := ffmpeg.Probe(ctx, l.Sign)
	if err != nil {
		return captions.Errorf("interpreter clip: %w", err)
	}
	if err := m.RequireVideo(); err != nil {
		return captions.Errorf("interpreter clip: %w", err)
	}
	var inOpts []string
	vf := fmt.Sprintf("scale=-2:'min(%d,ih)':flags=bicubic,format=yuv420p", signMaxHeight)
	switch off := l.SignOffset; {
	case off > 0:
		vf += fmt.Sprintf(",tpad=start_duration=%s:color=black", secs(off))
	case off < 0:
		if -off >= m.Duration && m.Duration > 0 {
			return captions.Errorf(cutsAwaySign, l.SignOffset, filepath.Join(l.Dir, lessons.LessonFile), m.Duration.Round(time.Second))
		}
		inOpts = []string{"-ss", secs(-off)}
	}
	tmp := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".partial-sign.mp4")
	defer os.Remove(tmp)
	c := ffmpeg.New()
	c.Duration = m.Duration + max(l.SignOffset, 0)
	c.Input(m.Path, inOpts...)
	c.Map(fmt.Sprintf("0:%d", m.Video.Index))
	c.Output(tmp, "-vf", vf, "-an", "-sn", "-dn", "-c:v", "libx264", "-preset", preset, "-crf", "23",
		"-profile:v", "high", "-movflags", "+faststart")
	if err := c.Run(ctx, progress); err != nil {
		return captions.Errorf("rendering the interpreter's video from %s: %w", l.Sign, err)
	}
	return os.Rename(tmp, out)
}
