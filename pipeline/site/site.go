package site

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Course is what the site shows about a course.
type Course struct {
	Title       string
	Description string // plain text; blank lines separate paragraphs
	Language    string // BCP 47 tag of the course, e.g. "az": the pages' lang and the default caption track
	Lessons     []Lesson
	// Notes are extra lines shown under the course description on the
	// index, e.g. the quota the pending lessons will cost (lessonpub preview).
	Notes []string
	// NotesLang is the language of Notes and of every Lesson.Status; "" means "en".
	NotesLang string
}

// Lesson is one lesson of the site, in the course's order.
type Lesson struct {
	Slug        string // folder name inside the site: one path element, not "assets"
	Title       string
	Description string        // plain text; blank lines separate paragraphs
	Duration    time.Duration // 0: read from Video with ffprobe (and filled in)
	Video       string        // path of the rendered video (MP4), copied or hard-linked into the site
	// SignVideo is the path of the interpreter's video for the sign window
	// (sign.layout: window); "" when the interpreter is burned in or absent.
	SignVideo string
	// SignOffset is when in the lesson the interpreter's video starts
	// (course.yaml sign_offset); negative when its first seconds are cut.
	SignOffset time.Duration
	// Thumbnail is the path of a JPEG or PNG picture for the index; "" takes
	// a frame of Video with ffmpeg.
	Thumbnail string
	Tracks    []Track // caption tracks, one per language, in the order to offer them
	// Status, when set, is shown beside the lesson on the index (lessonpub
	// preview: caption problems, published, changed or pending).
	Status *Status
}

// Track is the captions of a lesson in one language.
type Track struct {
	Language string // BCP 47 tag, e.g. "ru"
	// Cues are written to the WebVTT file as given: Text may carry WebVTT
	// markup (<i>, <v Name>); pass File.Plain().Cues for SubRip files whose
	// markup ({\an8}, <font>) WebVTT does not know.
	Cues []captions.Cue
}

// Status is what the index says about a lesson beyond its content.
type Status struct {
	State    string   // a short word, e.g. "published", "changed", "pending"; "" for none
	Problems []string // e.g. caption check findings, one per line
}

// Files in a lesson folder.
const (
	assetsDir = "assets"
	pageName  = "index.html"
	thumbName = "thumb.jpg"
	signName  = "sign"
)

func videoName(src string) string { return "video" + mediaExt(src, ".mp4") }
func signVideoName(src string) string {
	return signName + mediaExt(src, ".mp4")
}
func captionName(lang string) string { return "captions." + lang + ".vtt" }

func mediaExt(src, def string) string {
	ext := strings.ToLower(filepath.Ext(src))
	switch ext {
	case ".mp4", ".m4v", ".webm", ".mov", ".jpg", ".jpeg", ".png", ".webp":
		return ext
	}
	return def
}

//go:embed assets/site.css assets/player.js templates/*.html
var files embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"paras":    paragraphs,
	"clock":    clock,
	"seconds":  func(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) },
	"langname": LanguageName,
	"plain":    captions.StripTags,
}).ParseFS(files, "templates/*.html"))

// Write writes the whole site for c into dir (created if needed): the
// shared assets, every lesson's folder and the index. Files whose content
// has not changed are left alone, so a second Write does no work beyond
// comparing. Folders of lessons no longer in c are not removed: use
// RemoveLesson.
func Write(ctx context.Context, dir string, c *Course) error {
	if err := check(c); err != nil {
		return err
	}
	if err := writeAssets(dir); err != nil {
		return err
	}
	for i := range c.Lessons {
		if err := writeLesson(ctx, dir, c, i); err != nil {
			return err
		}
	}
	return WriteIndex(ctx, dir, c)
}

// WriteLesson writes the folder of the lesson with the given slug (its video,
// sign video, thumbnail, captions and page), then rewrites the pages of the
// other lessons where their previous/next links changed, and the index. The
// other lessons' media are not touched.
func WriteLesson(ctx context.Context, dir string, c *Course, slug string) error {
	if err := check(c); err != nil {
		return err
	}
	i := c.index(slug)
	if i < 0 {
		return captions.Errorf("site: lesson %q is not in the course %q", slug, c.Title)
	}
	if err := writeAssets(dir); err != nil {
		return err
	}
	if err := writeLesson(ctx, dir, c, i); err != nil {
		return err
	}
	if err := writeNeighbours(ctx, dir, c); err != nil {
		return err
	}
	return WriteIndex(ctx, dir, c)
}

// RemoveLesson deletes the folder of the lesson slug from the site and
// rewrites the index and the pages whose previous/next links pointed to it.
// c is the course without that lesson. Removing a lesson that is not there
// is not an error.
func RemoveLesson(ctx context.Context, dir string, c *Course, slug string) error {
	if err := check(c); err != nil {
		return err
	}
	if err := checkSlug(slug); err != nil {
		return err
	}
	if c.index(slug) >= 0 {
		return captions.Errorf("site: lesson %q is still in the course: remove it from the course before removing its pages", slug)
	}
	if err := os.RemoveAll(filepath.Join(dir, slug)); err != nil {
		return captions.Errorf("removing lesson %s from the site: %w", slug, err)
	}
	if err := writeNeighbours(ctx, dir, c); err != nil {
		return err
	}
	return WriteIndex(ctx, dir, c)
}

// WriteIndex rewrites only DIR/index.html, e.g. when a lesson's Status
// changed. A lesson without a thumbnail in its folder yet is listed
// without a picture.
func WriteIndex(ctx context.Context, dir string, c *Course) error {
	if err := check(c); err != nil {
		return err
	}
	if err := writeAssets(dir); err != nil {
		return err
	}
	v := indexView{Course: c, UI: uiFor(c.Language), NotesLang: orEN(c.NotesLang)}
	for i := range c.Lessons {
		l := &c.Lessons[i]
		d, err := duration(ctx, l)
		if err != nil {
			return err
		}
		item := indexLesson{Lesson: l, Duration: d, Href: l.Slug + "/" + pageName}
		if name := thumbFile(dir, l); name != "" {
			item.Thumb = l.Slug + "/" + name
		}
		for _, t := range l.Tracks {
			item.Languages = append(item.Languages, t.Language)
		}
		v.Lessons = append(v.Lessons, item)
	}
	return render(filepath.Join(dir, pageName), "index.html", v)
}

// PagePath is the path of the page of the lesson slug in the site dir;
// the index is filepath.Join(dir, "index.html").
func PagePath(dir, slug string) string { return filepath.Join(dir, slug, pageName) }

// LanguageName is the name of a language in that language, capitalised as
// at the start of a menu item: "Azərbaycanca", "Русский", "English". An
// unknown tag is returned as it is.
func LanguageName(tag string) string {
	if n, ok := selfNames[strings.ToLower(tag)]; ok {
		return n
	}
	return displaySelf(tag)
}

func check(c *Course) error {
	if c == nil {
		return captions.Errorf("site: no course given")
	}
	if c.Language == "" {
		return captions.Errorf("site: the course %q has no language: set language in course.yaml", c.Title)
	}
	seen := map[string]bool{}
	var errs []error
	for _, l := range c.Lessons {
		if err := checkSlug(l.Slug); err != nil {
			errs = append(errs, err)
		}
		if seen[l.Slug] {
			errs = append(errs, captions.Errorf("site: two lessons have the folder name %q: give each lesson its own folder", l.Slug))
		}
		seen[l.Slug] = true
		if l.Video == "" {
			errs = append(errs, captions.Errorf("site: lesson %q has no video: render it before writing the site", l.Slug))
		}
		langs := map[string]bool{}
		for _, t := range l.Tracks {
			if t.Language == "" || strings.ContainsAny(t.Language, `/\. `) {
				errs = append(errs, captions.Errorf("site: lesson %q has a caption track with the language %q: name it with a tag such as az or ru", l.Slug, t.Language))
			}
			if langs[t.Language] {
				errs = append(errs, captions.Errorf("site: lesson %q has two caption tracks in %q: keep one per language", l.Slug, t.Language))
			}
			langs[t.Language] = true
		}
	}
	return errors.Join(errs...)
}

func checkSlug(s string) error {
	if s == "" || s == "." || s == ".." || s == assetsDir || strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, ".") {
		return captions.Errorf("site: %q cannot be a lesson folder name: use one plain folder name (not %q, not starting with a dot)", s, assetsDir)
	}
	return nil
}

func (c *Course) index(slug string) int {
	for i := range c.Lessons {
		if c.Lessons[i].Slug == slug {
			return i
		}
	}
	return -1
}

func orEN(s string) string {
	if s == "" {
		return "en"
	}
	return s
}

// writeAssets writes the stylesheet and script every page shares.
func writeAssets(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, assetsDir), 0o755); err != nil {
		return captions.Errorf("creating the site folder: %w", err)
	}
	for _, name := range []string{"site.css", "player.js"} {
		b, err := files.ReadFile("assets/" + name)
		if err != nil {
			return err
		}
		if err := writeIfChanged(filepath.Join(dir, assetsDir, name), b); err != nil {
			return err
		}
	}
	return nil
}

// writeLesson writes everything in the folder of lesson i.
func writeLesson(ctx context.Context, dir string, c *Course, i int) error {
	l := &c.Lessons[i]
	ldir := filepath.Join(dir, l.Slug)
	if err := os.MkdirAll(ldir, 0o755); err != nil {
		return captions.Errorf("creating the folder of lesson %s: %w", l.Slug, err)
	}
	vname := videoName(l.Video)
	changed, err := linkOrCopy(l.Video, filepath.Join(ldir, vname))
	if err != nil {
		return captions.Errorf("lesson %s: %w", l.Slug, err)
	}
	if l.SignVideo != "" {
		if _, err := linkOrCopy(l.SignVideo, filepath.Join(ldir, signVideoName(l.SignVideo))); err != nil {
			return captions.Errorf("lesson %s: sign video: %w", l.Slug, err)
		}
	}
	if err := removeStale(ldir, l); err != nil {
		return err
	}
	if l.Thumbnail != "" {
		if _, err := linkOrCopy(l.Thumbnail, filepath.Join(ldir, "thumb"+mediaExt(l.Thumbnail, ".jpg"))); err != nil {
			return captions.Errorf("lesson %s: thumbnail: %w", l.Slug, err)
		}
	} else if _, err := os.Stat(filepath.Join(ldir, thumbName)); changed || err != nil {
		if err := extractThumb(ctx, l, filepath.Join(ldir, vname), filepath.Join(ldir, thumbName)); err != nil {
			return err
		}
	}
	for _, t := range l.Tracks {
		var b bytes.Buffer
		if err := captions.WriteVTT(&b, &captions.File{Format: captions.VTT, Cues: t.Cues}); err != nil {
			return err
		}
		if err := writeIfChanged(filepath.Join(ldir, captionName(t.Language)), b.Bytes()); err != nil {
			return err
		}
	}
	return writePage(ctx, dir, c, i)
}

// removeStale deletes the files a previous version of the lesson left in
// its folder: captions of a language it no longer has, a sign video or a
// thumbnail of another type.
func removeStale(ldir string, l *Lesson) error {
	keep := map[string]bool{pageName: true, videoName(l.Video): true}
	if l.SignVideo != "" {
		keep[signVideoName(l.SignVideo)] = true
	}
	if l.Thumbnail != "" {
		keep["thumb"+mediaExt(l.Thumbnail, ".jpg")] = true
	} else {
		keep[thumbName] = true
	}
	for _, t := range l.Tracks {
		keep[captionName(t.Language)] = true
	}
	ents, err := os.ReadDir(ldir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		ours := strings.HasPrefix(n, "captions.") || strings.HasPrefix(n, "video.") || strings.HasPrefix(n, signName+".") || strings.HasPrefix(n, "thumb.")
		if ours && !keep[n] && !e.IsDir() {
			if err := os.Remove(filepath.Join(ldir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeNeighbours rewrites the page of every lesson whose folder exists,
// where it changed: after an insertion or removal only the pages next to
// it differ.
func writeNeighbours(ctx context.Context, dir string, c *Course) error {
	for i := range c.Lessons {
		if _, err := os.Stat(filepath.Join(dir, c.Lessons[i].Slug, videoName(c.Lessons[i].Video))); err != nil {
			continue
		}
		if err := writePage(ctx, dir, c, i); err != nil {
			return err
		}
	}
	return nil
}

func writePage(ctx context.Context, dir string, c *Course, i int) error {
	l := &c.Lessons[i]
	d, err := duration(ctx, l)
	if err != nil {
		return err
	}
	v := lessonView{Course: c, Lesson: l, UI: uiFor(c.Language), Duration: d, Video: videoName(l.Video), Poster: thumbFile(dir, l)}
	if l.SignVideo != "" {
		v.Sign = signVideoName(l.SignVideo)
	}
	if i > 0 {
		v.Prev = &c.Lessons[i-1]
	}
	if i+1 < len(c.Lessons) {
		v.Next = &c.Lessons[i+1]
	}
	cues := map[string][]jsonCue{}
	for _, t := range l.Tracks {
		tv := trackView{Language: t.Language, File: captionName(t.Language), Label: LanguageName(t.Language),
			Default: sameBase(t.Language, c.Language)}
		if tv.Default {
			if v.hasDefault {
				tv.Default = false
			}
			v.hasDefault = true
		}
		js := make([]jsonCue, len(t.Cues))
		for k, q := range t.Cues {
			js[k] = jsonCue{Start: q.Start.Seconds(), End: q.End.Seconds(), Text: q.Text}
			tv.Cues = append(tv.Cues, q)
		}
		cues[t.Language] = js
		v.Tracks = append(v.Tracks, tv)
	}
	if !v.hasDefault && len(v.Tracks) > 0 {
		v.Tracks[0].Default = true
	}
	v.CueData = cues
	return render(filepath.Join(dir, l.Slug, pageName), "lesson.html", v)
}

type jsonCue struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Text  string  `json:"text"`
}

type indexView struct {
	Course    *Course
	UI        ui
	NotesLang string
	Lessons   []indexLesson
}

type indexLesson struct {
	*Lesson
	Duration  time.Duration
	Href      string
	Thumb     string
	Languages []string
}

type lessonView struct {
	Course     *Course
	Lesson     *Lesson
	UI         ui
	Duration   time.Duration
	Video      string
	Poster     string // the thumbnail's file name; "" for none
	Sign       string
	Prev, Next *Lesson
	Tracks     []trackView
	CueData    map[string][]jsonCue
	hasDefault bool
}

type trackView struct {
	Language, File, Label string
	Default               bool
	Cues                  []captions.Cue
}

func render(path, tmpl string, data any) error {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, tmpl, data); err != nil {
		return captions.Errorf("writing the page %s: %w", path, err)
	}
	return writeIfChanged(path, b.Bytes())
}

// writeIfChanged writes data to path atomically unless path already holds
// exactly data.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return atomicfile.WriteFile(path, data, 0o644)
}

// thumbFile is the name of the lesson's thumbnail in its folder, "" when
// there is none yet.
func thumbFile(dir string, l *Lesson) string {
	name := thumbName
	if l.Thumbnail != "" {
		name = "thumb" + mediaExt(l.Thumbnail, ".jpg")
	}
	if _, err := os.Stat(filepath.Join(dir, l.Slug, name)); err != nil {
		return ""
	}
	return name
}

func duration(ctx context.Context, l *Lesson) (time.Duration, error) {
	if l.Duration > 0 {
		return l.Duration, nil
	}
	m, err := ffmpeg.Probe(ctx, l.Video)
	if err != nil {
		return 0, captions.Errorf("lesson %s: %w", l.Slug, err)
	}
	l.Duration = m.Duration
	return m.Duration, nil
}

// extractThumb writes a 480-pixel-wide JPEG frame of the video, taken a
// little into it (the first frame is often black).
func extractThumb(ctx context.Context, l *Lesson, video, dst string) error {
	d, err := duration(ctx, l)
	if err != nil {
		return err
	}
	at := min(d/3, 5*time.Second)
	tmp := filepath.Join(filepath.Dir(dst), ".thumb.tmp.jpg")
	defer os.Remove(tmp)
	cmd := ffmpeg.New()
	cmd.Input(video, "-ss", fmt.Sprintf("%.3f", at.Seconds()))
	cmd.Output(tmp, "-frames:v", "1", "-vf", "scale=480:-2", "-q:v", "4", "-an")
	if err := cmd.Run(ctx, nil); err != nil {
		return captions.Errorf("lesson %s: taking a thumbnail from %s: %w", l.Slug, l.Video, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return captions.Errorf("lesson %s: %w", l.Slug, err)
	}
	return nil
}

// link is os.Link; tests replace it to take the copy path.
var link = os.Link

// linkOrCopy puts the file src at dst, by a hard link where the file system
// allows, else by a copy; atomically in both cases. It does nothing when
// dst already is src, or has its size and modification time (a copy made
// before), and reports whether it changed dst.
func linkOrCopy(src, dst string) (bool, error) {
	si, err := os.Stat(src)
	if err != nil {
		return false, captions.Errorf("%w: render the lesson again or check the path", err)
	}
	if di, err := os.Stat(dst); err == nil {
		if os.SameFile(si, di) || di.Size() == si.Size() && di.ModTime().Equal(si.ModTime()) {
			return false, nil
		}
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".link")
	os.Remove(tmp)
	if err := link(src, tmp); err == nil {
		if err := os.Rename(tmp, dst); err != nil {
			os.Remove(tmp)
			return false, err
		}
		return true, nil
	}
	in, err := os.Open(src)
	if err != nil {
		return false, err
	}
	defer in.Close()
	out, err := atomicfile.Create(dst, 0o644)
	if err != nil {
		return false, err
	}
	defer out.Abort()
	if _, err := io.Copy(out, in); err != nil {
		return false, err
	}
	if err := out.Commit(); err != nil {
		return false, err
	}
	if err := os.Chtimes(dst, si.ModTime(), si.ModTime()); err != nil && !errors.Is(err, fs.ErrPermission) {
		return true, err
	}
	return true, nil
}
