package pipeline

import (
	"context"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// Renderer turns a lesson into the video file that is uploaded.
type Renderer interface {
	// Settings describes, stably across runs, everything besides the input
	// files that decides the rendered video (profile, overlay, versions); a
	// change means the lesson is rendered and uploaded again.
	Settings(l *lessons.Lesson) string
	// Describe says for people what rendering the lesson will do (--dry-run).
	Describe(ctx context.Context, l *lessons.Lesson) (string, error)
	// Render writes the lesson's video to out (complete or not at all).
	Render(ctx context.Context, l *lessons.Lesson, out string, progress func(done, total time.Duration)) error
}

// CaptionSource checks a lesson's captions and gives them in the form that
// is uploaded.
type CaptionSource interface {
	// Check is the caption gate: an error (naming file and line) keeps the
	// lesson from being published.
	Check(ctx context.Context, l *lessons.Lesson) error
	// SRT returns a caption file as plain UTF-8 SRT without markup.
	SRT(f lessons.CaptionFile) ([]byte, error)
}

// videoMeta is what the lesson's video says about itself.
func videoMeta(l *lessons.Lesson) VideoMeta {
	c := l.Course
	tags := append(append([]string{}, c.Tags...), l.Tags...)
	return VideoMeta{
		Title:                l.Title,
		Description:          youtube.WithKey(l.Description, l.Key()),
		Tags:                 tags,
		Category:             youtube.CategoryEducation,
		Privacy:              c.Privacy,
		MadeForKids:          c.MadeForKids,
		DefaultLanguage:      c.Language,
		DefaultAudioLanguage: c.Language,
		LessonKey:            l.Key(),
	}
}

func playlistMeta(c *lessons.Course) PlaylistMeta {
	return PlaylistMeta{Title: c.Title, Description: c.Description, Privacy: c.Privacy}
}
