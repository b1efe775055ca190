package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/check"
)

func newCaptionsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "captions",
		Short: "Check and convert caption files (SRT, WebVTT)",
		Long: `Check caption files before publishing (the caption gate CI runs), and convert
them between SubRip (.srt) and WebVTT (.vtt).`,
		Example: `  lessonpub captions check bead-jewellery
  lessonpub captions convert lesson.az.srt lesson.az.vtt`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return newUsageError(e.p.Errorf("unknown command %q for 'lessonpub captions': use check, convert or sync", args[0]))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCaptionsCheckCmd(e), newCaptionsConvertCmd(e), newCaptionsSyncCmd(e))
	return cmd
}

// Formats of `captions check`.
const (
	checkFormatText   = "text"
	checkFormatJSON   = "json"
	checkFormatJUnit  = "junit"
	checkFormatGitHub = "github"
)

type captionsCheckOptions struct {
	paths  []string
	format string
	strict bool
	// probe reads a recording's duration and frame rate; ffprobe's by default.
	probe check.ProbeFunc
}

func newCaptionsCheckCmd(e *env) *cobra.Command {
	opts := &captionsCheckOptions{probe: check.ProbeRecording}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check caption files and that every lesson has every required language",
		Long: `Check every caption file under each PATH, and that every lesson has captions
in every language its course requires (captions.required in course.yaml).
PATH is a caption file, a lesson folder, a course folder, or any folder
holding courses (searched recursively); the default is the current folder.

Errors fail the check: timing that cannot be read, a cue ending before it
starts, overlapping cues, cues out of order, a file with no cues, a cue past
the end of the lesson's video, a file in a legacy code page (neither UTF-8
nor UTF-16), text outside any cue, a WebVTT file without its WEBVTT line, a
missing language, a mistake in course.yaml or lesson.yaml. Warnings fail it
only with --strict: reading speed, line length, number of lines, very short
or long cues, tiny gaps between cues, mixed Latin and Cyrillic letters, a
file saved as UTF-16, a WebVTT cue with no blank line above it, STYLE or
REGION blocks after the cues. The thresholds are the course's caption profile
(captions.profile in course.yaml).

The video's length comes from ffprobe. A lesson whose recording is missing or
is a Git LFS pointer (not fetched) still has its captions checked; only the
past-end rule is skipped, with a note on stderr.

Formats (--format): text (default), json (one document on stdout), junit
(XML for CI test reports), github (annotations on the pull request's lines).

Exit status: 0 no errors, 1 errors found (or warnings with --strict),
2 a path could not be read.`,
		Example: `  # check every course under the current folder
  lessonpub captions check

  # one course, failing on warnings too
  lessonpub captions check bead-jewellery --strict

  # in a GitHub Actions job: problems show on the pull request
  lessonpub captions check --format github .

  # one file, as JSON
  lessonpub captions check bead-jewellery/01-tools/lesson.az.srt --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if len(opts.paths) == 0 {
				opts.paths = []string{"."}
			}
			switch opts.format {
			case checkFormatText, checkFormatJSON, checkFormatJUnit, checkFormatGitHub:
			default:
				return newUsageError(e.p.Errorf("unknown --format %q: use text, json, junit or github", opts.format))
			}
			return runCaptionsCheck(cmd.Context(), e, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", checkFormatText, "output `FORMAT`: text, json, junit or github")
	f.BoolVar(&opts.strict, "strict", false, "fail on warnings too")
	return cmd
}

// checkResult is what checking one lesson or file found, as reports.
type checkResult struct {
	files      []fileReport
	lesson     *lessonReport
	note       msg // empty format: no note
	unreadable []translatable
}

func runCaptionsCheck(ctx context.Context, e *env, opts *captionsCheckOptions) error {
	wd, _ := os.Getwd() // "" leaves paths as they are
	todo := check.Find(opts.paths)
	var manifest []fileReport
	for _, ps := range todo.Problems {
		manifest = append(manifest, manifestReports(ps, wd)...)
	}
	var unreadable []any // strings, or messages to translate
	for _, u := range todo.Unreadable {
		unreadable = append(unreadable, u)
	}
	checks := todo.Checks
	for i := range checks {
		checks[i].Probe = opts.probe
	}
	found := check.All(ctx, checks)
	if err := ctx.Err(); err != nil {
		return err
	}

	rep := &checkReport{Files: manifest, Lessons: []lessonReport{}}
	var notes []msg
	for i, c := range checks {
		r := checkReports(c, found[i], wd)
		rep.Files = append(rep.Files, r.files...)
		if r.lesson != nil {
			rep.Lessons = append(rep.Lessons, *r.lesson)
		}
		if r.note.format != "" {
			notes = append(notes, r.note)
		}
		for _, u := range r.unreadable {
			unreadable = append(unreadable, u)
		}
	}
	rep.finish()

	out := bufio.NewWriter(e.stdout)
	var err error
	switch opts.format {
	case checkFormatJSON:
		err = rep.writeJSON(out)
	case checkFormatJUnit:
		err = rep.writeJUnit(out, opts.strict)
	case checkFormatGitHub:
		err = rep.writeGitHub(out, opts.strict, notes)
	default:
		err = rep.writeText(out, e.p)
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if opts.format != checkFormatGitHub {
		writeNotes(e, notes)
	}
	for _, msg := range unreadable {
		fmt.Fprintf(e.stderr, "lessonpub: %s\n", e.p.Sprintf("%s", msg)) // untranslated: the program's name before a translated message
	}
	switch {
	case len(unreadable) > 0:
		return &exitError{code: exitUsage}
	case rep.Errors > 0 || (opts.strict && rep.Warnings > 0):
		return &exitError{code: exitFailed}
	}
	return nil
}

// writeNotes prints the notes on stderr.
func writeNotes(e *env, notes []msg) {
	for _, n := range shortNotes(notes) {
		e.p.Fprintf(e.stderr, "note: %s\n", n)
	}
}

// shortNotes keeps a few notes in full and counts the rest, so a CI log of a
// big course checked without its videos stays readable.
func shortNotes(notes []msg) []msg {
	const shown = 5
	if len(notes) <= shown+1 {
		return notes
	}
	return append(notes[:shown:shown], msgf("%d more lessons like these: their cue times were not checked against the video's length", len(notes)-shown))
}

// checkReports turns what the caption check found of the job into reports,
// notes and unreadable files.
func checkReports(job check.Check, found check.Result, wd string) checkResult {
	var r checkResult
	if l := job.Lesson; l != nil && found.VideoErr != nil {
		switch {
		case errors.Is(found.VideoErr, check.ErrNoRecording):
			r.note = msgf("%s: no recording in the lesson folder, so cue times were not checked against the video's length", displayPath(wd, l.Dir))
		case errors.Is(found.VideoErr, check.ErrLFSPointer):
			r.note = msgf("%s is a Git LFS pointer (the video was not fetched), so cue times were not checked against its length: run 'git lfs pull' (in GitHub Actions: actions/checkout with lfs: true) to check them", displayPath(wd, l.Recording))
		default:
			r.note = msgf("cannot read the length of %s (%v), so cue times were not checked against it", displayPath(wd, l.Recording), found.VideoErr)
		}
	}
	for _, f := range found.Files {
		fr := fileReport{Path: displayPath(wd, f.File.Path), Language: f.File.Language, Cues: f.Cues, Problems: []problemReport{}}
		if f.ReadErr != nil {
			r.unreadable = append(r.unreadable, check.CannotReadText(fr.Path, f.ReadErr))
		}
		for _, p := range f.Problems {
			pr := problemReport{Severity: p.Severity, Rule: p.Rule, Line: p.Line, Message: p.Message}
			if p.Format != "" {
				pr.text = msgf(p.Format, p.Args...)
			}
			if p.Rule == check.RuleRead && f.ReadErr != nil {
				t := check.CannotReadText(msgf("the file"), f.ReadErr)
				pr.Message, pr.text = t.String(), t
			}
			fr.Problems = append(fr.Problems, pr)
		}
		r.files = append(r.files, fr)
	}
	if job.Lesson != nil && job.Required != nil {
		lr := lessonReport{Path: displayPath(wd, job.Lesson.Dir), MissingLanguages: []string{},
			courseFile: displayPath(wd, filepath.Join(job.Lesson.Course.Dir, lessons.CourseFile))}
		lr.MissingLanguages = append(lr.MissingLanguages, found.Missing...)
		if len(lr.MissingLanguages) > 0 {
			lr.hint = missingHint(job.Lesson, lr.MissingLanguages)
		}
		r.lesson = &lr
	}
	return r
}

// missingHint says which files to add for the missing languages, named like
// the lesson's other caption files.
func missingHint(l *lessons.Lesson, missing []string) msg {
	stem, ext := "lesson", ".srt"
	if len(l.Captions) > 0 {
		base := filepath.Base(l.Captions[0].Path)
		ext = filepath.Ext(base)
		stem = strings.TrimSuffix(base, ext)
		stem = stem[:max(0, strings.LastIndexByte(stem, '.'))]
	}
	names := make([]string, len(missing))
	for i, lang := range missing {
		names[i] = stem + "." + lang + ext
	}
	return msgf("the course requires captions in %s (captions.required in course.yaml): add %s to the lesson folder, or change captions.required",
		strings.Join(quoteAll(l.Course.Required), ", "), joinNames(names))
}

// joinNames lists names as "a and b", for a printer to translate.
func joinNames(names []string) any {
	if len(names) == 1 {
		return names[0]
	}
	return msgf("%s and %s", joinNames(names[:len(names)-1]), names[len(names)-1])
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// manifestReports turns the problems of course.yaml and lesson.yaml (and of
// the folders) into file reports: they block publishing like caption errors.
func manifestReports(ps *lessons.Problems, wd string) []fileReport {
	var out []fileReport
	index := map[string]int{}
	for _, p := range ps.Items {
		path := displayPath(wd, p.File)
		i, ok := index[path]
		if !ok {
			i = len(out)
			index[path] = i
			out = append(out, fileReport{Path: path, Problems: []problemReport{}})
		}
		pr := problemReport{Severity: captions.Error, Rule: "manifest", Line: p.Line, Message: p.Message}
		if p.Format != "" {
			pr.text = msgf(p.Format, p.Args...)
		}
		out[i].Problems = append(out[i].Problems, pr)
	}
	return out
}

// displayPath shows path relative to the current folder wd when it is
// inside it, with forward slashes, as CI annotations want.
func displayPath(wd, path string) string {
	if filepath.IsAbs(path) && wd != "" {
		if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			path = rel
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

type captionsConvertOptions struct {
	in, out string
	shift   time.Duration
}

func newCaptionsConvertCmd(e *env) *cobra.Command {
	opts := &captionsConvertOptions{}
	cmd := &cobra.Command{
		Use:   "convert IN OUT",
		Short: "Convert a caption file between SRT and WebVTT, optionally shifting every cue",
		Long: `Convert a caption file between SubRip (.srt) and WebVTT (.vtt); the formats
come from the file extensions. The output is always UTF-8, so converting also
fixes a file saved as UTF-16. --shift moves every cue later (or earlier, when
negative), for example when the recording was trimmed.

A file with errors is not converted: timing that cannot be read or text
outside any cue (either would be lost), an encoding that is not UTF-8, a
WebVTT file without its WEBVTT line. Fix it first (lessonpub captions check
shows where).`,
		Example: `  # SRT to WebVTT
  lessonpub captions convert lesson.az.srt lesson.az.vtt

  # the recording now starts 1.5 seconds later: move every cue
  lessonpub captions convert lesson.az.srt lesson.az.shifted.srt --shift 1.5s

  # 2 seconds earlier
  lessonpub captions convert lesson.en.vtt fixed.en.vtt --shift=-2s`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out = args[0], args[1]
			return runCaptionsConvert(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().DurationVar(&opts.shift, "shift", 0, "move every cue by `DURATION`, such as 1.5s or -500ms")
	return cmd
}

func runCaptionsConvert(ctx context.Context, e *env, opts *captionsConvertOptions) error {
	inFormat, outFormat := captions.FormatOf(opts.in), captions.FormatOf(opts.out)
	if inFormat == "" {
		return newUsageError(e.p.Errorf("%s: not a caption file name: use a .srt or .vtt file", opts.in))
	}
	if outFormat == "" {
		return newUsageError(e.p.Errorf("%s: the output must end in .srt or .vtt, which chooses its format", opts.out))
	}
	data, err := os.ReadFile(opts.in)
	if err != nil {
		return &exitError{code: exitUsage, err: errors.New(e.p.Sprintf("%s", check.CannotReadText(opts.in, err)))}
	}
	f, err := captions.Parse(data, inFormat)
	if err != nil {
		return err
	}
	errs := 0
	for _, p := range f.Problems {
		fmt.Fprintf(e.stderr, "%s:%d: %s: %s: %s\n", opts.in, p.Line, severity(e.p, p.Severity), p.Rule, e.p.Sprintf(p.Format, p.Args...))
		if p.Severity == captions.Error {
			errs++
		}
	}
	if errs > 0 {
		return &exitError{code: exitFailed, err: e.p.Errorf("%s: not converted: fix the %s above and run the command again", opts.in, counted(errs, "1 error", "%d errors"))}
	}
	if err := f.Shift(opts.shift); err != nil {
		return &exitError{code: exitFailed, err: e.p.Errorf("%s: %w", opts.in, err)}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := captions.Write(&b, f, outFormat); err != nil {
		return fmt.Errorf("%s: %w", opts.out, err)
	}
	if err := atomicfile.WriteFile(opts.out, b.Bytes(), 0o644); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return e.p.Errorf("cannot write %s: the folder %s does not exist; create it or give another output file", opts.out, filepath.Dir(opts.out))
		}
		return err
	}
	e.p.Fprintf(e.stderr, "wrote %s to %s\n", counted(len(f.Cues), "1 cue", "%d cues"), opts.out)
	return nil
}

// plural counts English words, for the JUnit report (English for CI).
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word) // untranslated: JUnit XML for CI, English
}
