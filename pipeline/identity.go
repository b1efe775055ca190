package pipeline

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/lessonpub/lessonpub/lessons"
)

// ErrDailyLimit is wrapped by every error that means a destination's daily
// limit was reached (YouTube's quota units or uploads): the work so far is
// recorded and a later run continues. A Target wraps its limit errors with
// it; the run stops at the first one and leaves the rest pending.
var ErrDailyLimit = errors.New("daily limit reached")

// KeyPrefix starts the line of a video's description that carries the
// lesson's stable key ("lessonpub-key: bead-jewellery/01-tools"). A target
// that keeps descriptions finds its lessons again by it when the record is
// lost.
const KeyPrefix = "lessonpub-key: "

// CategoryEducation is the video category lessonpub gives every lesson
// (YouTube's id for Education; a folder target records it as is).
const CategoryEducation = "27"

// WithKey returns description ending with the line "lessonpub-key: KEY",
// replacing any key line it had. An empty key leaves it unchanged.
func WithKey(description, key string) string {
	if key == "" {
		return description
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(description, "\n"), "\n") {
		if !strings.HasPrefix(l, KeyPrefix) {
			lines = append(lines, l)
		}
	}
	d := strings.TrimRight(strings.Join(lines, "\n"), "\n")
	if d != "" {
		d += "\n\n"
	}
	return d + KeyPrefix + key
}

// KeyOf returns the lesson key in a description made by WithKey, or "".
func KeyOf(description string) string {
	for _, l := range strings.Split(description, "\n") {
		if k, ok := strings.CutPrefix(strings.TrimSpace(l), KeyPrefix); ok {
			return strings.TrimSpace(k)
		}
	}
	return ""
}

// TrackName is the caption track name lessonpub gives a language: its name
// in itself ("Azərbaycan", "English"), or the tag when unknown. A target
// recognises lessonpub's own tracks by it.
func TrackName(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return lang
	}
	name := display.Self.Name(tag)
	if name == "" {
		return lang
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// videoMeta is what the lesson's video says about itself.
func videoMeta(l *lessons.Lesson) VideoMeta {
	c := l.Course
	tags := append(append([]string{}, c.Tags...), l.Tags...)
	return VideoMeta{
		Title:                l.Title,
		Description:          WithKey(l.Description, l.Key()),
		Tags:                 tags,
		Category:             CategoryEducation,
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
