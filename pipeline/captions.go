package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// CaptionGate is the CaptionSource that publishing uses: the lint of
// package captions with the course's profile, and captions converted to
// plain UTF-8 SRT for upload.
type CaptionGate struct{}

// Check implements CaptionSource: every required language is present and no
// caption file has an error (warnings do not block).
func (CaptionGate) Check(l *lessons.Lesson) error {
	var problems []string
	have := map[string]bool{}
	for _, cf := range l.Captions {
		have[cf.Language] = true
		f, err := readCaptions(cf)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for _, p := range captions.Lint(f, l.Course.Profile, captions.LintOptions{Language: cf.Language}) {
			if p.Severity == captions.Error {
				problems = append(problems, fmt.Sprintf("%s:%d: %s", cf.Path, p.Line, p.Message))
			}
		}
	}
	for _, lang := range l.Course.Required {
		if !have[lang] {
			problems = append(problems, fmt.Sprintf("%s: no %s captions, which course.yaml requires; add a file such as lesson.%s.srt", l.Dir, lang, lang))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// SRT implements CaptionSource.
func (CaptionGate) SRT(cf lessons.CaptionFile) ([]byte, error) {
	f, err := readCaptions(cf)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := captions.WriteSRT(&b, f.Plain()); err != nil {
		return nil, fmt.Errorf("converting %s to SRT: %w", cf.Path, err)
	}
	return b.Bytes(), nil
}

func readCaptions(cf lessons.CaptionFile) (*captions.File, error) {
	data, err := os.ReadFile(cf.Path)
	if err != nil {
		return nil, err
	}
	format := cf.Format
	if format == "" {
		format = captions.FormatOf(cf.Path)
	}
	f, err := captions.Parse(data, format)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cf.Path, err)
	}
	return f, nil
}
