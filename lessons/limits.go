package lessons

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// YouTube's limits on what a video and a playlist say about themselves
// (YouTube Data API: invalidTitle, invalidDescription, invalidTags,
// thumbnails.set). lessonpub checks them when a course is loaded, so that
// `captions check`, `course status` and `--dry-run` report them before
// anything is rendered or uploaded.
const (
	MaxTitle         = 100     // characters of a video's title
	MaxDescription   = 5000    // bytes (UTF-8) of a video's description
	MaxTags          = 500     // characters of a video's tags together, as TagsLength counts them
	MaxPlaylistTitle = 150     // characters of a playlist's (course's) title
	MaxThumbnail     = 2 << 20 // bytes of a thumbnail image (JPEG or PNG)
	// DescriptionReserve is the bytes of MaxDescription kept for what
	// lessonpub adds: the lesson's key line (pipeline.MaxKeyLine), at most
	// two line breaks, "lessonpub-key: " and the course's and the lesson's
	// folder names (255 bytes each at most) with every byte escaped.
	DescriptionReserve = 2 + len("lessonpub-key: ") + 3*255 + 1 + 3*255
)

// VideoLimits returns what YouTube would refuse in a video's title,
// description and tags as they are sent, one sentence for each; nil when
// all is within the limits. Loading a course checks the teacher's text
// (leaving DescriptionReserve for lessonpub's own lines); the publishing
// core can call it on the final text as the last check before an upload.
func VideoLimits(title, description string, tags []string) []*Text {
	var out []*Text
	if m := titleProblem(title, MaxTitle); m != nil {
		out = append(out, m)
	}
	if m := descriptionProblem(description, MaxDescription); m != nil {
		out = append(out, m)
	}
	if n := TagsLength(tags); n > MaxTags {
		out = append(out, textf("the tags take %d characters; YouTube takes at most %d", n, MaxTags))
	}
	return out
}

// TagsLength is how YouTube counts tags against MaxTags: every tag's
// characters, two more for a tag with a space (YouTube puts it in quotes),
// and one for the comma between two tags.
func TagsLength(tags []string) int {
	n := 0
	for i, t := range tags {
		n += utf8.RuneCountInString(t)
		if strings.Contains(t, " ") {
			n += 2
		}
		if i > 0 {
			n++
		}
	}
	return n
}

// titleProblem says what YouTube would refuse in a title, or nil.
func titleProblem(title string, max int) *Text {
	if n := utf8.RuneCountInString(title); n > max {
		return textf("the title has %d characters; YouTube takes at most %d: shorten it", n, max)
	}
	if strings.ContainsAny(title, "<>") {
		return textf("the title contains < or >, which YouTube refuses: use other characters, such as ‹ ›, or words")
	}
	return nil
}

// descriptionProblem says what YouTube would refuse in a description of at
// most max bytes, or nil.
func descriptionProblem(d string, max int) *Text {
	if len(d) > max {
		return textf("the description takes %d bytes; at most %d fit (YouTube takes %d in all, and lessonpub adds a line of its own): shorten it", len(d), max, MaxDescription)
	}
	if strings.ContainsAny(d, "<>") {
		return textf("the description contains < or >, which YouTube refuses: use other characters, such as ‹ ›, or words")
	}
	return nil
}

// Magic numbers of the thumbnail formats YouTube takes.
var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// checkThumbnail reports a thumbnail YouTube would refuse: one that is not
// a JPEG or PNG image (by its content, not its name), or is over
// MaxThumbnail. It returns false when a problem was added.
func checkThumbnail(path string, ps *Problems) bool {
	f, err := Open(path)
	if err != nil {
		ps.add(path, 0, "%s", readProblem(err))
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		ps.add(path, 0, "%s", readProblem(err))
		return false
	}
	head := make([]byte, len(pngMagic))
	n, _ := f.Read(head)
	head = head[:n]
	if !bytes.HasPrefix(head, jpegMagic) && !bytes.HasPrefix(head, pngMagic) {
		ps.add(path, 0, "is not a JPEG or PNG image (YouTube takes only those as a thumbnail): save the picture as JPEG or PNG")
		return false
	}
	if fi.Size() > MaxThumbnail {
		ps.add(path, 0, "is %.1f MB; YouTube takes a thumbnail of at most 2 MB: save it smaller (1280×720 pixels is enough)", float64(fi.Size())/(1<<20))
		return false
	}
	return true
}

// checkLessonLimits reports what YouTube would refuse in the lesson's
// title, description and tags (with the course's), at their lines in the
// lesson's manifest (node is nil when the lesson has none).
func checkLessonLimits(l *Lesson, manifest string, node *yaml.Node, ps *Problems) {
	if m := titleProblem(l.Title, MaxTitle); m != nil {
		if line := lineOf(node, "title"); line > 0 {
			ps.add(manifest, line, "%s", m)
		} else {
			ps.add(l.Dir, 0, "%s (the title is taken from the folder's name: give the lesson a title in %s)", m, LessonFile)
		}
	}
	if m := descriptionProblem(l.Description, MaxDescription-DescriptionReserve); m != nil {
		ps.add(manifest, lineOf(node, "description"), "%s", m)
	}
	if TagsLength(l.Course.Tags) > MaxTags {
		return // reported in course.yaml
	}
	tags := append(append([]string{}, l.Course.Tags...), l.Tags...)
	if n := TagsLength(tags); n > MaxTags {
		ps.add(manifest, lineOf(node, "tags"), "with the course's tags, the video's tags take %d characters (YouTube counts quotes around a tag with a space, and a comma between tags); it takes at most %d: remove some", n, MaxTags)
	}
}

// keyRe is what a pinned key may be: lowercase ASCII letters, digits, dots,
// dashes and underscores, starting with a letter or digit. It is written
// into every video's description and may name a folder, so it must read
// back exactly on every system, case-insensitive ones included.
var keyRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// MaxKey is the length of the longest key a course.yaml or lesson.yaml may pin.
const MaxKey = 64

// checkKey reports a key: line that is not a usable key.
func checkKey(file string, line int, key string, ps *Problems) {
	if line == 0 {
		return
	}
	switch {
	case key == "":
		ps.add(file, line, "key is empty; give a key such as  key: first-knot  or remove the line")
	case len(key) > MaxKey:
		ps.add(file, line, "key has %d characters; at most %d are allowed", utf8.RuneCountInString(key), MaxKey)
	case !keyRe.MatchString(key):
		ps.add(file, line, "key %q may hold only lowercase letters a-z, digits, dots, dashes and underscores, and must start with a letter or digit: for example  key: %s", key, suggestKey(key))
	}
}

// suggestKey makes a valid key out of an invalid one, for the message.
func suggestKey(key string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(key)) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-'):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	s := strings.TrimLeft(strings.TrimRight(b.String(), "-"), "._-")
	if s == "" {
		return "lesson-1"
	}
	return s[:min(len(s), MaxKey)]
}
