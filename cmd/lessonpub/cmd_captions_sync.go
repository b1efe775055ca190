package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/captionsync"
	"github.com/lessonpub/lessonpub/pipeline/check"
)

type captionsSyncOptions struct {
	paths  []string
	format string // checkFormatText or checkFormatJSON
	fix    bool
}

func newCaptionsSyncCmd(e *env) *cobra.Command {
	opts := &captionsSyncOptions{}
	cmd := &cobra.Command{
		Use:   "sync [PATH...]",
		Short: "Check that the captions match the speech in the recording, and fix their timing",
		Long: `Listen to each lesson's recording and check that every caption file matches
the speech: captions made for an untrimmed recording come late by the seconds
that were cut, and captions timed for another frame rate (25 fps against
23.976) drift later and later. PATH is a lesson folder, a course folder, or
any folder holding courses; the default is the current folder. Lessons
without a recording are skipped with a note.

For each file it reports the offset and drift to apply (corrected time =
cue time × drift + offset) and how sure it is. "2.3 s late" means each
caption appears 2.3 seconds after the words are spoken. When the sound cannot
tell (little speech, music only, a signed lesson without sound) it says so
and does not call the file out of sync.

--fix rewrites each out-of-sync file in place, keeping its format, line ends
and byte order mark (UTF-16 files become UTF-8; WebVTT NOTE comments are
dropped), and keeps the old file beside it as NAME.bak. A file that is only
partly off, or has errors that 'lessonpub captions check' reports, is left
alone.

Formats (--format): text (default) or json, one document on stdout:
  {"files":[{"path":"…/lesson.az.srt","language":"az","offset":-2.3,"drift":1,
             "confidence":0.91,"in_sync":false,"message":"…"}]}

Exit status: 0 every file in sync or undecided (or fixed, with --fix), 1 a
file out of sync, 2 a path or a recording could not be read.`,
		Example: `  # check every course under the current folder
  lessonpub captions sync

  # check one lesson and fix what is off
  lessonpub captions sync bead-jewellery/01-tools --fix

  # in CI
  lessonpub captions sync --format json . > sync.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if len(opts.paths) == 0 {
				opts.paths = []string{"."}
			}
			switch opts.format {
			case checkFormatText, checkFormatJSON:
			default:
				return newUsageError(e.p.Errorf("unknown --format %q: use text or json", opts.format))
			}
			return runCaptionsSync(cmd.Context(), e, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", checkFormatText, "output `FORMAT`: text or json")
	f.BoolVar(&opts.fix, "fix", false, "rewrite the out-of-sync files with corrected times (a .bak keeps the old file)")
	return cmd
}

// syncFile is one file's entry in the report; its JSON is the contract of
// --format json.
type syncFile struct {
	Path       string       `json:"path"`
	Language   string       `json:"language"`
	Offset     float64      `json:"offset"` // seconds
	Drift      float64      `json:"drift"`
	Confidence float64      `json:"confidence"`
	InSync     bool         `json:"in_sync"`
	Decided    bool         `json:"decided"`
	Part       *syncPart    `json:"part,omitempty"`
	Message    string       `json:"message"`
	Fixed      bool         `json:"fixed,omitempty"`
	Backup     string       `json:"backup,omitempty"`
	text       translatable // Message for a printer to translate
}

type syncPart struct {
	FirstLine int     `json:"first_line"`
	LastLine  int     `json:"last_line"`
	Offset    float64 `json:"offset"`
}

func runCaptionsSync(ctx context.Context, e *env, opts *captionsSyncOptions) error {
	wd, _ := os.Getwd()
	// A caption file alone has no lesson to listen to: sync takes folders.
	var (
		ls         []*lessons.Lesson
		unreadable []any // strings, or messages to translate
		folders    []string
	)
	for _, path := range opts.paths {
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
			unreadable = append(unreadable, e.p.Sprintf("%s is a file: give its lesson folder, a course folder or a folder of courses", path))
			continue
		}
		folders = append(folders, path)
	}
	found := check.Find(folders)
	for _, u := range found.Unreadable {
		unreadable = append(unreadable, u)
	}
	if n := 0; len(found.Problems) > 0 {
		for _, ps := range found.Problems {
			n += len(ps.Items)
		}
		e.p.Fprintf(e.stderr, "note: %d problems in course or lesson files: 'lessonpub captions check' lists them\n", n)
	}
	for _, c := range found.Checks {
		if c.Lesson != nil {
			ls = append(ls, c.Lesson)
		}
	}

	report := struct {
		Files []syncFile `json:"files"`
	}{Files: []syncFile{}}
	outOfSync := 0
	for _, l := range ls {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(l.Captions) == 0 {
			continue
		}
		switch {
		case l.Recording == "":
			e.p.Fprintf(e.stderr, "note: %s: no recording in the lesson folder, so its captions were not checked\n", displayPath(wd, l.Dir))
			continue
		case lessons.IsLFSPointer(l.Recording):
			e.p.Fprintf(e.stderr, "note: %s is a Git LFS pointer (the video was not fetched): run 'git lfs pull' to check its captions\n", displayPath(wd, l.Recording))
			continue
		}
		e.p.Fprintf(e.stderr, "listening to %s\n", displayPath(wd, l.Recording))
		results, err := captionsync.CheckLesson(ctx, l)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			unreadable = append(unreadable, fmt.Sprintf("%s: %v", displayPath(wd, l.Dir), err))
			continue
		}
		for _, r := range results {
			sf := syncFile{Path: displayPath(wd, r.File.Path), Language: r.File.Language,
				Offset: round2(r.Offset.Seconds()), Drift: r.Drift, Confidence: r.Confidence,
				InSync: r.InSync, Decided: r.Decided, Message: r.Message}
			if r.Text != nil {
				sf.text = r.Text
			}
			if r.Part != nil {
				sf.Part = &syncPart{FirstLine: r.Part.FirstLine, LastLine: r.Part.LastLine, Offset: round2(r.Part.Offset.Seconds())}
			}
			if !r.InSync && opts.fix && r.Part == nil {
				bak, err := captionsync.Fix(r)
				if err != nil {
					e.p.Fprintf(e.stderr, "lessonpub: not fixed: %v\n", err)
				} else {
					sf.Fixed, sf.Backup = true, displayPath(wd, bak)
					if opts.format == checkFormatJSON {
						e.p.Fprintf(e.stderr, "fixed %s (times × %g %+.2f s); the old file is %s\n", sf.Path, sf.Drift, sf.Offset, sf.Backup)
					}
				}
			}
			if !r.InSync && !sf.Fixed {
				outOfSync++
			}
			report.Files = append(report.Files, sf)
		}
	}

	if opts.format == checkFormatJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		var inSync, undecided, off, fixed int
		for _, f := range report.Files {
			state := msgf("in sync")
			switch {
			case f.Fixed:
				state, fixed = msgf("fixed"), fixed+1
			case !f.Decided:
				state, undecided = msgf("cannot tell"), undecided+1
			case f.InSync:
				inSync++
			default:
				state, off = msgf("OUT OF SYNC"), off+1
			}
			message := any(f.Message)
			if f.text != nil {
				message = f.text
			}
			if !f.Decided && !f.Fixed {
				// the message begins with "cannot tell" already
				e.p.Fprintf(e.stdout, "%s: %s (confidence %.2f)\n", f.Path, message, f.Confidence)
			} else {
				e.p.Fprintf(e.stdout, "%s: %s: %s (confidence %.2f)\n", f.Path, state, message, f.Confidence)
			}
			if f.Fixed {
				e.p.Fprintf(e.stdout, "  fixed: times × %g %+.2f s; the old file is %s\n", f.Drift, f.Offset, f.Backup)
			}
		}
		e.p.Fprintf(e.stdout, "%d caption files: %d in sync, %d out of sync, %d fixed, %d could not be checked\n", len(report.Files), inSync, off, fixed, undecided)
	}
	for _, msg := range unreadable {
		fmt.Fprintf(e.stderr, "lessonpub: %s\n", e.p.Sprintf("%s", msg)) // untranslated: the program's name before a translated message
	}
	switch {
	case len(unreadable) > 0:
		return &exitError{code: exitUsage}
	case outOfSync > 0:
		return &exitError{code: exitFailed}
	}
	return nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
