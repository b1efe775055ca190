package pipeline

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// ErrDailyLimit is wrapped by every error that means a destination's daily
// limit was reached (YouTube's quota units or uploads): the work so far is
// recorded and a later run continues. A Target wraps its limit errors with
// it; the run stops at the first one and leaves the rest pending.
var ErrDailyLimit = captions.Errorf("daily limit reached")

// KeyPrefix starts the last line of a video's description, which carries
// the lesson's key ("lessonpub-key: bead-jewellery/first-knot"). A target
// that keeps descriptions finds its lessons again by it when the record is
// lost.
const KeyPrefix = "lessonpub-key: "

// CourseKeyPrefix starts the last line of the course playlist's
// description, which carries the course's key: a playlist is the course's
// by its recorded id or by this line, never by its title.
const CourseKeyPrefix = "lessonpub-course: "

// CategoryEducation is the video category lessonpub gives every lesson
// (YouTube's id for Education; a folder target records it as is).
const CategoryEducation = "27"

// Keys. A course's key is the key: of course.yaml when set, else the one
// kept in its record, else its folder's name, escaped. A lesson's key is
// the course's key, "/", and the lesson's ID (lessons.Lesson.ID) escaped.
// Escaping percent-encodes every byte outside [A-Za-z0-9._~-], so a key is
// one line of plain ASCII and reads back exactly: "first-knot" and
// "first-knot " (a trailing space) are different keys.

// EscapeKey percent-encodes every byte of s outside [A-Za-z0-9._~-].
func EscapeKey(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keyByte(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func keyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == '~' || c == '-'
}

// validKeyPart reports whether s is a non-empty escaped key part: key bytes
// and well-formed %XX escapes (upper-case hex, only of bytes that need one,
// so that every key has one spelling).
func validKeyPart(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			if !keyByte(s[i]) {
				return false
			}
			continue
		}
		if i+2 >= len(s) || !upperHex(s[i+1]) || !upperHex(s[i+2]) {
			return false
		}
		v := unhex(s[i+1])<<4 | unhex(s[i+2])
		if keyByte(v) {
			return false
		}
		i += 2
	}
	return true
}

func upperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'A' + 10
}

// CourseKey is the course's key: its pinned key:, else recorded (the key
// kept in the record, "" when none), else its folder's name escaped.
func CourseKey(c *lessons.Course, recorded string) string {
	switch {
	case c.PinnedKey != "":
		return c.PinnedKey
	case recorded != "":
		return recorded
	}
	dir := c.Dir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return EscapeKey(filepath.Base(dir))
}

// LessonKey is the key of lesson l of the course whose key is courseKey.
func LessonKey(courseKey string, l *lessons.Lesson) string {
	return courseKey + "/" + EscapeKey(l.ID())
}

// MaxKeyLine is the most bytes WithKey adds to a description: two line
// breaks and the key line of a course and a lesson whose folder names are
// as long as a file system allows (255 bytes) with every byte escaped.
const MaxKeyLine = 2 + len(KeyPrefix) + 3*255 + 1 + 3*255

// WithKey returns description ending with the line "lessonpub-key: KEY".
// A key line that ends the description already (an earlier key) is
// replaced; the description's other lines are the teacher's and stay as
// they are. An empty key leaves it unchanged.
func WithKey(description, key string) string {
	return withKeyLine(description, KeyPrefix, key)
}

// KeyOf returns the lesson key in a description made by WithKey, or "":
// only the last non-empty line counts, only when it starts exactly with
// KeyPrefix (no indentation) and holds a well-formed key. A key line
// anywhere else is the teacher's text.
func KeyOf(description string) string {
	return keyOfLine(description, KeyPrefix, true)
}

// WithCourseKey and CourseKeyOf are WithKey and KeyOf for a playlist's
// description and the course key line.
func WithCourseKey(description, key string) string {
	return withKeyLine(description, CourseKeyPrefix, key)
}

// CourseKeyOf returns the course key of a playlist description, or "".
func CourseKeyOf(description string) string {
	return keyOfLine(description, CourseKeyPrefix, false)
}

// WithoutKeyLine returns description without the key line that WithKey or
// WithCourseKey ended it with: the teacher's text, for a destination that
// shows descriptions to people (the course site).
func WithoutKeyLine(description string) string {
	d := strings.TrimRight(description, " \t\r\n")
	i := strings.LastIndexByte(d, '\n')
	if last := d[i+1:]; strings.HasPrefix(last, KeyPrefix) || strings.HasPrefix(last, CourseKeyPrefix) {
		return strings.TrimRight(d[:i+1], " \t\r\n")
	}
	return d
}

func withKeyLine(description, prefix, key string) string {
	if key == "" {
		return description
	}
	d := strings.TrimRight(description, " \t\r\n")
	if i := strings.LastIndexByte(d, '\n'); strings.HasPrefix(d[i+1:], prefix) {
		d = strings.TrimRight(d[:i+1], " \t\r\n")
	}
	if d != "" {
		d += "\n\n"
	}
	return d + prefix + key
}

func keyOfLine(description, prefix string, lesson bool) string {
	d := strings.TrimRight(description, "\r\n")
	last := d[strings.LastIndexByte(d, '\n')+1:]
	k, ok := strings.CutPrefix(strings.TrimSuffix(last, "\r"), prefix)
	if !ok {
		return ""
	}
	if legacy := legacyKey(k, lesson); legacy != "" {
		return legacy
	}
	parts := strings.Split(k, "/")
	if (lesson && len(parts) != 2) || (!lesson && len(parts) != 1) {
		return ""
	}
	for _, p := range parts {
		if !validKeyPart(p) {
			return ""
		}
	}
	return k
}

// legacyKey accepts a key written by lessonpub before keys were escaped
// ("course folder/02-first-knot", words of the folder names as they were)
// when it cannot be read as an escaped key; "" when k is not one.
func legacyKey(k string, lesson bool) string {
	if !lesson || strings.Count(k, "/") != 1 || strings.ContainsAny(k, "%\r\n") {
		return ""
	}
	c, l, _ := strings.Cut(k, "/")
	if validKeyPart(c) && validKeyPart(l) {
		return "" // an escaped key as it is
	}
	if strings.TrimSpace(c) == "" || strings.TrimSpace(l) == "" {
		return ""
	}
	return EscapeKey(c) + "/" + EscapeKey(l)
}

// NormalizeLegacy returns the key a lesson key written by an earlier
// lessonpub has now: the lesson's order number dropped from its folder
// name ("bead-jewellery/02-first-knot" is "bead-jewellery/first-knot").
// The course part is kept as it is: a record or a playlist matches it to
// its course, not the folder's name.
func NormalizeLegacy(key string) string {
	c, l, ok := strings.Cut(key, "/")
	if !ok {
		return key
	}
	raw, err := unescapeKey(l)
	if err != nil {
		return key
	}
	if id := legacyNumberRe.ReplaceAllString(raw, ""); id != "" {
		raw = id
	}
	return c + "/" + EscapeKey(raw)
}

var legacyNumberRe = regexp.MustCompile(`^[0-9]+[-_. ]*`)

func unescapeKey(s string) (string, error) {
	if !validKeyPart(s) {
		return "", fmt.Errorf("not a key: %q", s) // untranslated: never shown, its callers only test it
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
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

// videoMeta is what the lesson's video says about itself; key is its key.
func videoMeta(l *lessons.Lesson, key string) VideoMeta {
	c := l.Course
	tags := append(append([]string{}, c.Tags...), l.Tags...)
	return VideoMeta{
		Title:                l.Title,
		Description:          WithKey(l.Description, key),
		Tags:                 tags,
		Category:             CategoryEducation,
		Privacy:              c.Privacy,
		MadeForKids:          c.MadeForKids,
		DefaultLanguage:      c.Language,
		DefaultAudioLanguage: c.Language,
		LessonKey:            key,
	}
}

// playlistMeta is what the course's playlist says about itself; its
// description ends with the course's key line.
func playlistMeta(c *lessons.Course, key string) PlaylistMeta {
	return PlaylistMeta{Title: c.Title, Description: WithCourseKey(c.Description, key), Privacy: c.Privacy}
}
