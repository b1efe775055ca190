// Package check is the caption check: which caption files a lesson has,
// whether each parses and passes the lint rules of package captions, whether
// a cue runs past the end of the recording (read with ffprobe), and whether
// every language course.yaml requires is there. `lessonpub captions check`
// runs it on many lessons at once (All) and publishing runs it as its gate
// (Gate) before a lesson is rendered; it knows no destination.
//
// A new lint rule belongs in package captions (Lint); a new caption format in
// package captions (Parse, FormatOf) and lessons (which files are captions).
package check

import (
	"context"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Rule ids of the problems Check adds to those of captions.Lint.
const (
	RuleRead   = "read"   // error: the caption file cannot be read
	RuleFormat = "format" // error: the caption file's format is unknown
)

// Why cue times were not checked against the recording's length
// (Result.VideoErr), besides the probe's own error.
var (
	ErrNoRecording = captions.Errorf("no recording in the lesson folder")
	ErrLFSPointer  = captions.Errorf("the recording is a Git LFS pointer (the video was not fetched)")
)

// ProbeFunc reads what a media file holds: ffmpeg.Probe, or a Probes's
// Probe that remembers what it read.
type ProbeFunc func(ctx context.Context, path string) (*ffmpeg.Media, error)

// ProbeRecording is the ProbeFunc of ffprobe, remembering nothing.
func ProbeRecording(ctx context.Context, path string) (*ffmpeg.Media, error) {
	return ffmpeg.Probe(ctx, path)
}

// Check says which caption files to check and against what. It is the one
// caption check: `lessonpub captions check` and publishing both run it.
type Check struct {
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

// ForLesson is the check publishing makes of l: all its caption files, its
// course's profile and required languages.
func ForLesson(l *lessons.Lesson) Check {
	return Check{Lesson: l, Files: l.Captions, Required: l.Course.Required, Profile: l.Course.Profile}
}

// Result is what a Check found.
type Result struct {
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
func (c Check) Run(ctx context.Context) Result {
	var r Result
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
		r.Files = append(r.Files, checkFile(cf, c.Profile, opts))
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

func checkFile(cf lessons.CaptionFile, p captions.Profile, opts captions.LintOptions) FileResult {
	fr := FileResult{File: cf}
	data, err := lessons.ReadFile(cf.Path)
	if err != nil {
		fr.ReadErr = err
		t := captions.Textf("cannot read the file: %v", err)
		fr.Problems = []captions.Problem{{Severity: captions.Error, Rule: RuleRead, Message: t.String(), Format: t.Format, Args: t.Args}}
		return fr
	}
	f, err := captions.Parse(data, FormatOf(cf))
	if err != nil {
		fr.Problems = []captions.Problem{{Severity: captions.Error, Rule: RuleFormat, Message: err.Error(), Format: "%v", Args: []any{err}}}
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

// FormatOf is the caption file's format: the one lessons found, else the one
// its name says ("srt", "vtt"), else "".
func FormatOf(cf lessons.CaptionFile) string {
	if cf.Format != "" {
		return cf.Format
	}
	return captions.FormatOf(cf.Path)
}

// Gate is the check publishing makes before a lesson is rendered: every
// required language is present and no caption file has an error, including a
// cue past the end of the recording (warnings do not block). The error lists
// every error as path:line: message. probe reads the recording
// (ProbeRecording when nil).
func Gate(ctx context.Context, l *lessons.Lesson, probe ProbeFunc) error {
	c := ForLesson(l)
	c.Probe = probe
	r := c.Run(ctx)
	if err := ctx.Err(); err != nil {
		return err
	}
	var problems *captions.Text // the problems so far, joined by "; "
	add := func(t *captions.Text) {
		if problems != nil {
			t = captions.Textf("%s; %s", problems, t)
		}
		problems = t
	}
	for _, fr := range r.Files {
		for _, p := range fr.Problems {
			switch {
			case p.Severity != captions.Error:
			case p.Line > 0:
				add(captions.Textf("%s:%d: %s", fr.File.Path, p.Line, ProblemText(p)))
			default:
				add(captions.Textf("%s: %s", fr.File.Path, ProblemText(p)))
			}
		}
	}
	for _, lang := range r.Missing {
		add(captions.Textf("%s: no %s captions, which course.yaml requires; add a file such as lesson.%s.srt", l.Dir, lang, lang))
	}
	if problems != nil {
		return captions.Errorf("%s", problems)
	}
	return nil
}

// ProblemText is p's message kept as its English format and arguments,
// for a program that shows it translated (its English only, for a problem
// made without them).
func ProblemText(p captions.Problem) *captions.Text {
	if p.Format == "" {
		return captions.Textf("%s", p.Message)
	}
	return captions.Textf(p.Format, p.Args...)
}
