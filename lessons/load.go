package lessons

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/lessonpub/lessonpub/captions"
)

// File names of the manifests.
const (
	CourseFile = "course.yaml"
	LessonFile = "lesson.yaml"
)

// videoExts are the recording formats a lesson folder may hold.
var videoExts = map[string]bool{
	".mp4": true, ".mov": true, ".m4v": true, ".mkv": true, ".avi": true,
	".webm": true, ".mts": true, ".m2ts": true, ".3gp": true, ".mpg": true, ".mpeg": true,
}

type courseFile struct {
	Key         string   `yaml:"key"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Language    string   `yaml:"language"`
	Privacy     string   `yaml:"privacy"`
	MadeForKids bool     `yaml:"made_for_kids"`
	Tags        []string `yaml:"tags"`
	Captions    struct {
		Required []string         `yaml:"required"`
		Profile  captions.Profile `yaml:"profile"`
		Sync     string           `yaml:"sync"`
	} `yaml:"captions"`
	Sign struct {
		Layout   string  `yaml:"layout"`
		Position string  `yaml:"position"`
		Size     float64 `yaml:"size"`
		Margin   float64 `yaml:"margin"`
		Key      string  `yaml:"key"`
	} `yaml:"sign"`
}

var courseKeys = []string{"title", "description", "language", "captions", "privacy", "made_for_kids", "tags", "sign",
	"required", "profile", "sync", "layout", "position", "size", "margin", "key",
	"max_cps", "max_line_length", "max_lines", "min_duration", "max_duration", "min_gap_frames", "frame_rate"}

type lessonFile struct {
	Key         string        `yaml:"key"`
	Title       string        `yaml:"title"`
	Description string        `yaml:"description"`
	Tags        []string      `yaml:"tags"`
	SignOffset  time.Duration `yaml:"sign_offset"`
}

var lessonKeys = []string{"title", "key", "description", "tags", "sign_offset"}

// LoadCourse reads the course folder dir: course.yaml and every lesson
// sub-folder, in name order. When anything is wrong the error is a
// *Problems listing all of it; the course is still returned whenever
// course.yaml itself could be read, so callers can go on checking captions.
func LoadCourse(dir string) (*Course, error) {
	dir = filepath.Clean(dir)
	var ps Problems
	c := loadCourseFile(dir, &ps)
	if c == nil {
		return nil, ps.err()
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		ps.add(dir, 0, "cannot read the course folder: %v", errors.Unwrap(err))
		return c, ps.err()
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if skipName(e.Name()) || !isDir(e, path) {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 && !insideCourse(dir, path) {
			ps.add(path, 0, "links to a folder outside the course folder; move the lesson into the course folder instead of linking to it")
			continue
		}
		c.Lessons = append(c.Lessons, loadLesson(c, path, &ps))
	}
	checkIDs(c, nil, &ps)
	if len(c.Lessons) == 0 {
		ps.add(dir, 0, "the course has no lesson folders; add one per lesson, such as %s", filepath.Join(dir, "01-first-lesson"))
	}
	return c, ps.err()
}

// LoadLesson reads one lesson folder and the course it belongs to (its parent
// folder, which must hold course.yaml). Other lessons of the course are not
// read. Errors are reported as by LoadCourse.
func LoadLesson(dir string) (*Lesson, error) {
	dir = filepath.Clean(dir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, captions.Errorf("lesson folder %s: %w", dir, err)
	} else if !fi.IsDir() {
		return nil, captions.Errorf("%s is a file; give the lesson's folder instead", dir)
	}
	courseDir := filepath.Dir(dir)
	if !IsCourse(courseDir) {
		return nil, captions.Errorf("%s is not inside a course: its parent folder %s has no %s; a lesson folder must sit in a course folder (see the README's course folder layout)", dir, filepath.Dir(abs), CourseFile)
	}
	var ps Problems
	c := loadCourseFile(courseDir, &ps)
	if c == nil {
		return nil, ps.err()
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 && !insideCourse(courseDir, dir) {
		ps.add(dir, 0, "links to a folder outside the course folder; move the lesson into the course folder instead of linking to it")
		return nil, ps.err()
	}
	l := loadLesson(c, dir, &ps)
	// Its siblings give the lesson its place and its identity among them;
	// their own problems are theirs to report.
	var theirs Problems
	entries, _ := os.ReadDir(courseDir)
	for _, e := range entries {
		path := filepath.Join(courseDir, e.Name())
		switch {
		case path == dir:
			c.Lessons = append(c.Lessons, l)
		case skipName(e.Name()) || !isDir(e, path):
		case e.Type()&fs.ModeSymlink != 0 && !insideCourse(courseDir, path):
		default:
			c.Lessons = append(c.Lessons, loadLesson(c, path, &theirs))
		}
	}
	if !slices.Contains(c.Lessons, l) {
		c.Lessons = append(c.Lessons, l)
	}
	checkIDs(c, l, &ps)
	return l, ps.err()
}

// checkIDs reports lessons of c that share an ID (all of them, or only
// those sharing one with of when it is not nil).
func checkIDs(c *Course, of *Lesson, ps *Problems) {
	ids := map[string]*Lesson{}
	for _, l := range c.Lessons {
		id := l.ID()
		first := ids[id]
		if first == nil {
			ids[id] = l
			continue
		}
		if of != nil && of != l && of != first {
			continue
		}
		switch {
		case l.PinnedKey != "":
			ps.add(filepath.Join(l.Dir, LessonFile), l.keyLine, "key %q is already the key of %s; every lesson of a course needs its own", l.PinnedKey, first.Name)
		default:
			ps.add(l.Dir, 0, "lessons %s and %s are the same lesson to lessonpub (%q: the order number is not part of a lesson's identity); set key: in one lesson.yaml, such as  key: %s-2", first.Name, l.Name, id, suggestKey(id))
		}
	}
}

// Find returns the course folders at or under root (folders holding
// course.yaml), in path order. Hidden folders are skipped, and so is
// everything inside a course: lessons are not courses.
func Find(root string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if path != root && skipName(d.Name()) {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, CourseFile)); err == nil {
			found = append(found, path)
			return filepath.SkipDir
		}
		return nil
	})
	return found, err
}

// IsCourse reports whether dir holds a course.yaml.
func IsCourse(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, CourseFile))
	return err == nil
}

// IsLesson reports whether dir is a folder inside a course.
func IsLesson(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir() && IsCourse(filepath.Dir(filepath.Clean(dir)))
}

// skipName reports names lessonpub never treats as lessons or inputs:
// hidden files and folders, and lessonpub's own temporary files.
func skipName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func loadCourseFile(dir string, ps *Problems) *Course {
	path := filepath.Join(dir, CourseFile)
	data, err := readInput(dir, path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ps.add(path, 0, "missing: every course folder needs a %s with at least a title (see the README)", CourseFile)
		} else {
			ps.add(path, 0, "%s", readProblem(err))
		}
		return nil
	}
	var cf courseFile
	cf.Captions.Profile = captions.DefaultProfile()
	checkText(path, data, ps)
	node := decodeStrict(path, data, &cf, courseKeys, ps)

	c := &Course{
		Dir:         dir,
		PinnedKey:   cf.Key,
		Title:       strings.TrimSpace(cf.Title),
		Description: cf.Description,
		Language:    "az",
		Privacy:     "private",
		MadeForKids: cf.MadeForKids,
		Tags:        cf.Tags,
		Profile:     cf.Captions.Profile,
		Sign: Sign{
			Layout:   LayoutPiP,
			Position: "bottom-right",
			Size:     MinSignAreaFactor,
			Margin:   0.03,
			Key:      strings.ToLower(cf.Sign.Key),
		},
	}
	if c.Title == "" {
		ps.add(path, lineOf(node, "title"), "the course needs a title (the YouTube playlist's name): add a line such as  title: Bead jewellery")
	} else if n := utf8.RuneCountInString(c.Title); n > MaxPlaylistTitle {
		ps.add(path, lineOf(node, "title"), "the course title (the YouTube playlist's name) has %d characters; YouTube takes at most %d: shorten it", n, MaxPlaylistTitle)
	}
	if n := TagsLength(c.Tags); n > MaxTags {
		ps.add(path, lineOf(node, "tags"), "the course's tags take %d characters (YouTube counts quotes around a tag with a space, and a comma between tags); every video may have at most %d: remove some", n, MaxTags)
	}
	checkKey(path, lineOf(node, "key"), cf.Key, ps)
	if cf.Language != "" {
		if tag, ok := parseTag(cf.Language); ok {
			c.Language = tag
		} else {
			ps.add(path, lineOf(node, "language"), "language %q is not a language tag; use one such as az, ru or en", cf.Language)
		}
	}
	for _, l := range cf.Captions.Required {
		if tag, ok := parseTag(l); ok {
			c.Required = append(c.Required, tag)
		} else {
			ps.add(path, lineOf(node, "captions.required"), "required caption language %q is not a language tag; use one such as az, ru or en", l)
		}
	}
	if cf.Captions.Required == nil {
		c.Required = []string{c.Language}
	}
	switch c.CaptionSync = cf.Captions.Sync; cf.Captions.Sync {
	case "":
		c.CaptionSync = SyncWarn
	case SyncError, SyncWarn, SyncOff:
	default:
		ps.add(path, lineOf(node, "captions.sync"), "captions sync %q is not one of error, warn, off", cf.Captions.Sync)
		c.CaptionSync = SyncWarn
	}
	switch cf.Privacy {
	case "":
	case "private", "unlisted", "public":
		c.Privacy = cf.Privacy
	default:
		ps.add(path, lineOf(node, "privacy"), "privacy %q is not one of private, unlisted, public", cf.Privacy)
	}
	switch cf.Sign.Layout {
	case "":
	case LayoutPiP, LayoutSideBySide, LayoutWindow:
		c.Sign.Layout = cf.Sign.Layout
	default:
		ps.add(path, lineOf(node, "sign.layout"), "sign layout %q is not one of %s, %s, %s", cf.Sign.Layout, LayoutPiP, LayoutSideBySide, LayoutWindow)
	}
	switch cf.Sign.Position {
	case "":
	case "bottom-right", "bottom-left", "top-right", "top-left":
		c.Sign.Position = cf.Sign.Position
	default:
		ps.add(path, lineOf(node, "sign.position"), "sign position %q is not one of bottom-right, bottom-left, top-right, top-left", cf.Sign.Position)
	}
	if cf.Sign.Size != 0 {
		if cf.Sign.Size < 0 || cf.Sign.Size > 1 {
			ps.add(path, lineOf(node, "sign.size"), "sign size %g must be the fraction of the picture the interpreter covers, between 0 and 1 (at least 0.167, one sixth, is recommended)", cf.Sign.Size)
		} else {
			c.Sign.Size = cf.Sign.Size
		}
	}
	if cf.Sign.Margin != 0 {
		if cf.Sign.Margin < 0 || cf.Sign.Margin > 0.25 {
			ps.add(path, lineOf(node, "sign.margin"), "sign margin %g must be a fraction of the picture's height between 0 and 0.25", cf.Sign.Margin)
		} else {
			c.Sign.Margin = cf.Sign.Margin
		}
	}
	if k := c.Sign.Key; k != "" && k != "green" && k != "blue" && !hexColourRe.MatchString(k) {
		ps.add(path, lineOf(node, "sign.key"), "sign key %q is not green, blue or a colour such as 0x00FF00", cf.Sign.Key)
	}
	checkProfile(path, node, c.Profile, ps)
	return c
}

var hexColourRe = regexp.MustCompile(`^(0x|#)[0-9a-f]{6}$`)

func checkProfile(path string, node *yaml.Node, p captions.Profile, ps *Problems) {
	bad := func(key string, cond bool, want *Text) {
		if cond {
			ps.add(path, lineOf(node, "captions.profile."+key), "captions profile %s must be %s", key, want)
		}
	}
	bad("max_cps", p.MaxCPS <= 0, textf("a positive number of characters per second"))
	bad("max_line_length", p.MaxLineLength <= 0, textf("a positive number of characters"))
	bad("max_lines", p.MaxLines <= 0, textf("a positive number of lines"))
	bad("min_duration", p.MinDuration < 0, textf("a duration such as 0.8s"))
	bad("max_duration", p.MaxDuration <= p.MinDuration, textf("a duration longer than min_duration, such as 7s"))
	bad("min_gap_frames", p.MinGapFrames < 0, textf("zero or more frames"))
	bad("frame_rate", p.FrameRate <= 0, textf("a positive number of frames per second, such as 25"))
}

func loadLesson(c *Course, dir string, ps *Problems) *Lesson {
	name := filepath.Base(dir)
	l := &Lesson{Course: c, Dir: dir, Name: name, Title: titleFromName(name, c.Language)}

	manifest := filepath.Join(dir, LessonFile)
	if data, err := readInput(c.Dir, manifest); err == nil {
		var lf lessonFile
		checkText(manifest, data, ps)
		node := decodeStrict(manifest, data, &lf, lessonKeys, ps)
		if t := strings.TrimSpace(lf.Title); t != "" {
			l.Title = t
		} else if lineOf(node, "title") > 0 {
			ps.add(manifest, lineOf(node, "title"), "title is empty; give the lesson a title or remove the line to use the folder's name")
		}
		l.Description = lf.Description
		l.Tags = lf.Tags
		l.SignOffset = lf.SignOffset
		l.PinnedKey, l.keyLine = lf.Key, lineOf(node, "key")
		checkKey(manifest, l.keyLine, lf.Key, ps)
		checkLessonLimits(l, manifest, node, ps)
	} else if errors.Is(err, fs.ErrNotExist) {
		checkLessonLimits(l, manifest, nil, ps)
	} else {
		ps.add(manifest, 0, "%s", readProblem(err))
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		ps.add(dir, 0, "cannot read the lesson folder: %v", errors.Unwrap(err))
		return l
	}
	seenLang := map[string]string{}
	for _, e := range entries {
		fname := e.Name()
		if skipName(fname) || e.IsDir() || fname == LessonFile {
			continue
		}
		path := filepath.Join(dir, fname)
		if e.Type()&fs.ModeSymlink != 0 && !insideCourse(c.Dir, path) {
			ps.add(path, 0, "links to a file outside the course folder; copy the file into the lesson folder instead of linking to it")
			continue
		}
		ext := strings.ToLower(filepath.Ext(fname))
		stem := strings.TrimSuffix(fname, filepath.Ext(fname))
		isThumb := strings.EqualFold(stem, "thumbnail") && (ext == ".jpg" || ext == ".jpeg" || ext == ".png")
		if videoExts[ext] || ext == ".srt" || ext == ".vtt" || isThumb {
			if msg := irregular(path); msg != nil {
				ps.add(path, 0, "%s", msg)
				continue
			}
		}
		switch {
		case videoExts[ext] && strings.EqualFold(stem, "sign"):
			if l.Sign != "" {
				ps.add(path, 0, "a second interpreter clip beside %s; keep one sign.* file", filepath.Base(l.Sign))
				continue
			}
			l.Sign = path
		case videoExts[ext]:
			if l.Recording != "" {
				ps.add(path, 0, "two recordings in one lesson (%s and %s); keep one video here, and name the interpreter's clip sign%s", filepath.Base(l.Recording), fname, ext)
				continue
			}
			l.Recording = path
		case ext == ".srt" || ext == ".vtt":
			lang, ok := CaptionLanguage(fname)
			if !ok {
				ps.add(path, 0, "caption file name has no language; name it NAME.LANG%s, for example lesson.az%s", ext, ext)
				continue
			}
			if other, dup := seenLang[lang]; dup {
				ps.add(path, 0, "a second caption file for language %q beside %s; keep one per language", lang, other)
				continue
			}
			seenLang[lang] = fname
			l.Captions = append(l.Captions, CaptionFile{Path: path, Language: lang, Format: ext[1:]})
		case isThumb:
			if checkThumbnail(path, ps) {
				l.Thumbnail = path
			}
		}
	}
	sort.Slice(l.Captions, func(i, j int) bool { return l.Captions[i].Language < l.Captions[j].Language })
	return l
}

// CaptionLanguage takes the language from the name of a caption file,
// NAME.LANG.EXT, in its canonical form: "lesson.az.srt" gives "az",
// "intro.en-gb.vtt" gives "en-GB". It reports false when there is none.
func CaptionLanguage(path string) (string, bool) {
	name := filepath.Base(path)
	stem := strings.TrimSuffix(name, filepath.Ext(name))
	i := strings.LastIndexByte(stem, '.')
	if i < 0 {
		return "", false
	}
	return parseTag(stem[i+1:])
}

// parseTag validates a BCP 47 language tag and returns its canonical form.
func parseTag(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " _") {
		return "", false
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	if base, conf := tag.Base(); conf == language.No || base.String() == "und" {
		return "", false
	}
	return tag.String(), true
}

// isDir reports whether the entry is a folder, following a symbolic link.
func isDir(e fs.DirEntry, path string) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return e.IsDir()
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// insideCourse reports whether path, a symbolic link, resolves to somewhere
// inside the course folder. Only links can leave it: names come from ReadDir.
func insideCourse(courseDir, path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return true // a dangling link is reported when the file is read
	}
	root, err := filepath.EvalSymlinks(courseDir)
	if err != nil {
		return true
	}
	rel, err := filepath.Rel(root, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// readInput reads a manifest of the course at courseDir: a regular file,
// reached through a symbolic link only when the link stays inside the
// course folder (what it points to elsewhere is not read, so that no
// message quotes it).
func readInput(courseDir, path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 && !insideCourse(courseDir, path) {
		return nil, errOutside
	}
	return ReadFile(path)
}

// untranslated: a sentinel; readProblem tells the teacher what it means
var errOutside = errors.New("links to a file outside the course folder")

// readProblem says for a teacher why readInput failed and what to do.
func readProblem(err error) *Text {
	switch {
	case errors.Is(err, errOutside):
		return textf("links to a file outside the course folder, which lessonpub does not read; copy the file into the course folder instead of linking to it")
	}
	var nr *notRegularError
	if errors.As(err, &nr) {
		return textf("is %s, not a regular file; lessonpub reads only regular files: put the file itself here", kindOf(nr.mode))
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return textf("cannot read: %v", err)
}

// irregular says why the input at path, a name in a lesson folder, cannot
// be read: it is not a regular file (a named pipe would hang the run, a
// device never ends), or it is a link to nothing. It returns "" for a
// regular file.
func irregular(path string) *Text {
	fi, err := os.Stat(path)
	if err != nil {
		return readProblem(err)
	}
	if !fi.Mode().IsRegular() {
		return readProblem(notRegular(path, fi.Mode()))
	}
	return nil
}

// Contains reports whether path, which need not exist yet, is the course
// folder or lies inside it, with symbolic links resolved as far as the path
// exists. A destination folder must not: publishing would read its own
// output as lessons, and sweep the course.
func (c *Course) Contains(path string) bool {
	root, err := resolve(c.Dir)
	if err != nil {
		return false
	}
	p, err := resolve(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolve makes path absolute and resolves the links of the part of it
// that exists.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if filepath.Dir(dir) == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

var numberPrefixRe = regexp.MustCompile(`^\d+[-_. ]*`)

// titleFromName makes a title from a lesson folder's name: the number prefix
// goes, dashes and underscores become spaces, the first letter is capital
// (by the rules of the course's language, so Azerbaijani i becomes İ).
func titleFromName(name, lang string) string {
	t := numberPrefixRe.ReplaceAllString(name, "")
	if t == "" {
		t = name
	}
	t = strings.Join(strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) }), " ")
	r, size := utf8.DecodeRuneInString(t)
	if r == utf8.RuneError {
		return t
	}
	first := string(r)
	if base := strings.SplitN(lang, "-", 2)[0]; base == "az" || base == "tr" {
		first = strings.ToUpperSpecial(unicode.AzeriCase, first)
	} else {
		first = strings.ToUpper(first)
	}
	return first + t[size:]
}

// checkText reports a manifest that is not UTF-8 text.
func checkText(path string, data []byte, ps *Problems) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		ps.add(path, 0, "is saved as UTF-16; save it as UTF-8 (in Notepad: Save As, Encoding UTF-8)")
		return
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		ps.add(path, line, "is not UTF-8 text; save it as UTF-8 (in Notepad: Save As, Encoding UTF-8)")
	}
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// ID is the lesson's identity within its course: the key: of lesson.yaml
// when set, else the folder's name without its leading order number
// ("02-first-knot" is "first-knot"; a name that is only a number keeps it),
// so that renumbering lessons changes no lesson's identity. Two lessons of
// a course never share an ID (loading reports it). The publishing core
// makes the lesson's key from the course's key and this ID.
func (l *Lesson) ID() string {
	if l.PinnedKey != "" {
		return l.PinnedKey
	}
	if id := numberPrefixRe.ReplaceAllString(l.Name, ""); id != "" {
		return id
	}
	return l.Name
}

// IsLFSPointer reports whether the file at path is a Git LFS pointer (the
// small text file Git leaves when the real content was not fetched).
func IsLFSPointer(path string) bool {
	f, err := Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 64)
	n, _ := f.Read(buf)
	return bytes.HasPrefix(buf[:n], []byte("version https://git-lfs.github.com/spec/"))
}
