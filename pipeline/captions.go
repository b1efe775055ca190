package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Rule ids of the problems CaptionCheck adds to those of captions.Lint.
const (
	RuleRead   = "read"   // error: the caption file cannot be read
	RuleFormat = "format" // error: the caption file's format is unknown
)

// Why cue times were not checked against the recording's length
// (CaptionResult.VideoErr), besides the probe's own error.
var (
	ErrNoRecording = errors.New("no recording in the lesson folder")
	ErrLFSPointer  = errors.New("the recording is a Git LFS pointer (the video was not fetched)")
)

// ProbeFunc reads what a media file holds: ffmpeg.Probe, or a Probes's
// Probe that remembers what it read.
type ProbeFunc func(ctx context.Context, path string) (*ffmpeg.Media, error)

// ProbeRecording is the ProbeFunc of ffprobe, remembering nothing.
func ProbeRecording(ctx context.Context, path string) (*ffmpeg.Media, error) {
	return ffmpeg.Probe(ctx, path)
}

// CaptionCheck says which caption files to check and against what. It is
// the one caption gate: `lessonpub captions check` and publishing both run it.
type CaptionCheck struct {
	// Lesson is the files' lesson, whose recording bounds the cue times; nil
	// for caption files outside any lesson.
	Lesson *lessons.Lesson
	// Files are the caption files to check.
	Files []lessons.CaptionFile
	// Required are the languages Lesson must have captions in; nil checks none.
	Required []string
	// Profile holds the lint thresholds.
	Profile captions.Profile
	// Probe reads the recording's length and frame rate; ProbeRecording
	// when nil.
	Probe ProbeFunc
}

// LessonCaptionCheck is the check publishing makes of l: all its caption
// files, its course's profile and required languages.
func LessonCaptionCheck(l *lessons.Lesson) CaptionCheck {
	return CaptionCheck{Lesson: l, Files: l.Captions, Required: l.Course.Required, Profile: l.Course.Profile}
}

// CaptionResult is what a CaptionCheck found.
type CaptionResult struct {
	Files []FileResult // one per checked file, in the order given
	// Missing lists the required languages for which the lesson has no
	// caption file (among all its files, not only those checked).
	Missing []string
	// VideoErr says why cue times were not checked against the length of
	// the recording: ErrNoRecording, ErrLFSPointer or the probe's error. It
	// is nil when they were, and when there is no lesson or (with a
	// recording) no file to check.
	VideoErr error
}

// FileResult is what checking one caption file found.
type FileResult struct {
	File     lessons.CaptionFile
	Cues     int
	Problems []captions.Problem // ordered by line; a read or format error is the only problem
	ReadErr  error              // why the file could not be read (then Problems holds one RuleRead error)
}

// Run checks the files, and that the lesson has every required language.
// A recording that is missing or cannot be probed does not fail the check:
// only the past-end rule is skipped, and VideoErr says why.
func (c CaptionCheck) Run(ctx context.Context) CaptionResult {
	var r CaptionResult
	opts := captions.LintOptions{}
	if l := c.Lesson; l != nil {
		switch {
		case l.Recording == "":
			r.VideoErr = ErrNoRecording
		case lessons.IsLFSPointer(l.Recording):
			r.VideoErr = ErrLFSPointer
		case len(c.Files) > 0:
			probe := c.Probe
			if probe == nil {
				probe = ProbeRecording
			}
			m, err := probe(ctx, l.Recording)
			switch {
			case err != nil:
				r.VideoErr = err
			case m.Video != nil:
				opts.VideoDuration, opts.FrameRate = m.Duration, m.Video.FrameRate
			default:
				opts.VideoDuration = m.Duration
			}
		}
	}
	for _, cf := range c.Files {
		opts.Language = cf.Language
		r.Files = append(r.Files, checkCaptionFile(cf, c.Profile, opts))
	}
	if c.Lesson != nil {
		for _, want := range c.Required {
			if !hasLanguage(c.Lesson.Captions, want) {
				r.Missing = append(r.Missing, want)
			}
		}
	}
	return r
}

func checkCaptionFile(cf lessons.CaptionFile, p captions.Profile, opts captions.LintOptions) FileResult {
	fr := FileResult{File: cf}
	data, err := lessons.ReadFile(cf.Path)
	if err != nil {
		fr.ReadErr = err
		fr.Problems = []captions.Problem{{Severity: captions.Error, Rule: RuleRead, Message: fmt.Sprintf("cannot read the file: %v", err)}}
		return fr
	}
	f, err := captions.Parse(data, formatOf(cf))
	if err != nil {
		fr.Problems = []captions.Problem{{Severity: captions.Error, Rule: RuleFormat, Message: err.Error()}}
		return fr
	}
	fr.Cues = len(f.Cues)
	fr.Problems = captions.Lint(f, p, opts)
	return fr
}

func hasLanguage(files []lessons.CaptionFile, lang string) bool {
	for _, cf := range files {
		if strings.EqualFold(cf.Language, lang) {
			return true
		}
	}
	return false
}

func formatOf(cf lessons.CaptionFile) string {
	if cf.Format != "" {
		return cf.Format
	}
	return captions.FormatOf(cf.Path)
}

// CaptionGate is the CaptionSource that publishing uses: CaptionCheck with
// the course's profile and the recording's length, and captions converted
// to plain UTF-8 SRT for upload.
type CaptionGate struct {
	// Probe reads the recording; ProbeRecording when nil. Give it the
	// Probe of the run's Probes, shared with MediaRenderer, to read each
	// recording once.
	Probe ProbeFunc
}

// Check implements CaptionSource: every required language is present and no
// caption file has an error, including a cue past the end of the recording
// (warnings do not block). The error lists every error as path:line: message.
func (g CaptionGate) Check(ctx context.Context, l *lessons.Lesson) error {
	c := LessonCaptionCheck(l)
	c.Probe = g.Probe
	r := c.Run(ctx)
	if err := ctx.Err(); err != nil {
		return err
	}
	var problems []string
	for _, fr := range r.Files {
		for _, p := range fr.Problems {
			switch {
			case p.Severity != captions.Error:
			case p.Line > 0:
				problems = append(problems, fmt.Sprintf("%s:%d: %s", fr.File.Path, p.Line, p.Message))
			default:
				problems = append(problems, fmt.Sprintf("%s: %s", fr.File.Path, p.Message))
			}
		}
	}
	for _, lang := range r.Missing {
		problems = append(problems, fmt.Sprintf("%s: no %s captions, which course.yaml requires; add a file such as lesson.%s.srt", l.Dir, lang, lang))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// SRT implements CaptionSource.
func (CaptionGate) SRT(cf lessons.CaptionFile) ([]byte, error) {
	data, err := lessons.ReadFile(cf.Path)
	if err != nil {
		return nil, err
	}
	f, err := captions.Parse(data, formatOf(cf))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cf.Path, err)
	}
	var b bytes.Buffer
	if err := captions.WriteSRT(&b, f.Plain()); err != nil {
		return nil, fmt.Errorf("converting %s to SRT: %w", cf.Path, err)
	}
	return b.Bytes(), nil
}
