package check

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// Found is what Find found to check.
type Found struct {
	// Checks are one per lesson (its caption files, the languages its
	// course requires) and one per caption file given outside a lesson
	// folder, each file once, in the order met.
	Checks []Check
	// Problems are those of the course.yaml and lesson.yaml files read on
	// the way, which the caller reports with the caption problems.
	Problems []*lessons.Problems
	// Unreadable says, one message a path, what could not be read or is not
	// something to check; the caller stops with exit 2 after reporting.
	Unreadable []*captions.Text
}

// Find works out what `lessonpub captions check PATH...` checks: a caption
// file (with its lesson's recording and course profile when it sits in a
// lesson folder, but not the lesson's other languages), a lesson folder, or
// any folder holding courses.
func Find(paths []string) Found {
	var (
		f          Found
		seenFile   = map[string]bool{}
		seenLesson = map[string]bool{}
	)
	addLesson := func(l *lessons.Lesson) {
		key := absPath(l.Dir)
		if seenLesson[key] {
			return
		}
		seenLesson[key] = true
		c := Check{Lesson: l, Profile: l.Course.Profile, Required: l.Course.Required}
		for _, cf := range l.Captions {
			if k := absPath(cf.Path); !seenFile[k] {
				seenFile[k] = true
				c.Files = append(c.Files, cf)
			}
		}
		f.Checks = append(f.Checks, c)
	}
	addProblems := func(err error) {
		var ps *lessons.Problems
		if errors.As(err, &ps) {
			f.Problems = append(f.Problems, ps)
			return
		}
		f.Unreadable = append(f.Unreadable, &captions.Text{Format: "%v", Args: []any{err}})
	}
	for _, path := range paths {
		fi, err := os.Stat(path)
		if err != nil {
			f.Unreadable = append(f.Unreadable, CannotReadText(path, err))
			continue
		}
		switch {
		case !fi.IsDir():
			c, err := fileCheck(path)
			if err != nil {
				addProblems(err)
			}
			if c != nil && !seenFile[absPath(path)] {
				seenFile[absPath(path)] = true
				f.Checks = append(f.Checks, *c)
			}
		case lessons.IsLesson(path) && !lessons.IsCourse(path):
			l, err := lessons.LoadLesson(path)
			if err != nil {
				addProblems(err)
			}
			if l != nil {
				addLesson(l)
			}
		default:
			courses, err := lessons.Find(path)
			if err != nil {
				f.Unreadable = append(f.Unreadable, CannotReadText(path, err))
			}
			if err == nil && len(courses) == 0 {
				f.Unreadable = append(f.Unreadable, &captions.Text{Format: "%s: no course found in this folder or below it: a course is a folder with course.yaml; give a course, lesson or caption file instead", Args: []any{path}})
			}
			for _, dir := range courses {
				c, err := lessons.LoadCourse(dir)
				if err != nil {
					addProblems(err)
				}
				if c != nil {
					for _, l := range c.Lessons {
						addLesson(l)
					}
				}
			}
		}
	}
	return f
}

// fileCheck is the check of a caption file given on the command line. When
// the file sits in a lesson folder it is checked with that lesson's course
// profile and recording, but the lesson's other languages are not required.
func fileCheck(path string) (*Check, error) {
	format := captions.FormatOf(path)
	if format == "" {
		return nil, &captions.Text{Format: "%s is not a caption file: give a .srt or .vtt file, or a lesson or course folder", Args: []any{path}}
	}
	lang, _ := lessons.CaptionLanguage(path)
	c := &Check{Files: []lessons.CaptionFile{{Path: path, Language: lang, Format: format}}, Profile: captions.DefaultProfile()}
	dir := filepath.Dir(path)
	if !lessons.IsLesson(dir) {
		return c, nil
	}
	l, err := lessons.LoadLesson(dir)
	if l != nil {
		c.Lesson, c.Profile = l, l.Course.Profile
	}
	return c, err
}

// CannotRead says for people that path cannot be read and why.
func CannotRead(path string, err error) string { return CannotReadText(path, err).String() }

// CannotReadText is CannotRead kept as its English format and arguments,
// for a program that shows it translated; path may be a *captions.Text.
func CannotReadText(path any, err error) *captions.Text {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &captions.Text{Format: "%s: no such file or folder: check the path", Args: []any{path}}
	}
	return &captions.Text{Format: "%s: cannot read: %v", Args: []any{path, err}}
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
