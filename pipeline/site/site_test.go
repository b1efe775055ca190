package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

const hostileTitle = `Muncuq & "düymə" <script>window.pwned=1</script> ğışçöüə`

// fakeCourse is a course whose media are small files of bytes, with
// durations and thumbnails given, so that no ffmpeg is needed.
func fakeCourse(t *testing.T) *Course {
	t.Helper()
	src := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cues := func(text string) []captions.Cue {
		return []captions.Cue{{Start: 0, End: time.Second, Text: text}, {Start: time.Second, End: 2 * time.Second, Text: "ikinci"}}
	}
	c := &Course{Title: hostileTitle, Description: "Birinci abzas & <b>.\n\nİkinci abzas.", Language: "az"}
	for i, slug := range []string{"01-intro", "02-beads", "03-end"} {
		c.Lessons = append(c.Lessons, Lesson{
			Slug: slug, Title: "Dərs " + slug, Description: "About " + slug, Duration: time.Duration(i+2) * time.Second,
			Video: file(slug+".mp4", "video "+slug), Thumbnail: file(slug+".jpg", "jpeg "+slug),
			Tracks: []Track{
				{Language: "az", Cues: cues("<script>window.pwned=2</script>salam &lt;script&gt; & ə")},
				{Language: "ru", Cues: cues("привет")},
			},
		})
	}
	c.Lessons[1].SignVideo = file("sign.mp4", "sign")
	return c
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mtimes maps every file under dir to its modification time.
func mtimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			fi, _ := d.Info()
			m[p[len(dir)+1:]] = fi.ModTime()
		}
		return nil
	})
	return m
}

func TestWriteFiles(t *testing.T) {
	c := fakeCourse(t)
	dir := t.TempDir()
	if err := Write(context.Background(), dir, c); err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range mtimes(t, dir) {
		got = append(got, p)
	}
	sort.Strings(got)
	want := []string{
		"01-intro/captions.az.vtt", "01-intro/captions.ru.vtt", "01-intro/index.html", "01-intro/thumb.jpg", "01-intro/video.mp4",
		"02-beads/captions.az.vtt", "02-beads/captions.ru.vtt", "02-beads/index.html", "02-beads/sign.mp4", "02-beads/thumb.jpg", "02-beads/video.mp4",
		"03-end/captions.az.vtt", "03-end/captions.ru.vtt", "03-end/index.html", "03-end/thumb.jpg", "03-end/video.mp4",
		"assets/player.js", "assets/site.css", "index.html",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("site files (-want +got):\n%s", diff)
	}
	if got := read(t, filepath.Join(dir, "02-beads/video.mp4")); got != "video 02-beads" {
		t.Errorf("video content = %q", got)
	}
	vtt := read(t, filepath.Join(dir, "01-intro/captions.ru.vtt"))
	if !strings.HasPrefix(vtt, "WEBVTT\n") || !strings.Contains(vtt, "00:00:01.000 --> 00:00:02.000\nikinci\n") {
		t.Errorf("captions.ru.vtt:\n%s", vtt)
	}
}

func TestWriteEscapes(t *testing.T) {
	c := fakeCourse(t)
	dir := t.TempDir()
	if err := Write(context.Background(), dir, c); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"index.html", "01-intro/index.html", "02-beads/index.html"} {
		html := read(t, filepath.Join(dir, page))
		if strings.Contains(html, "<script>window") {
			t.Errorf("%s has the injected <script> unescaped", page)
		}
		if !strings.Contains(html, "Muncuq &amp; &#34;düymə&#34; &lt;script&gt;window.pwned=1&lt;/script&gt; ğışçöüə") {
			t.Errorf("%s does not show the course title escaped as text", page)
		}
	}
	lesson := read(t, filepath.Join(dir, "01-intro/index.html"))
	for _, want := range []string{
		`<html lang="az">`,
		`<track kind="captions" src="captions.az.vtt" srclang="az" label="Azərbaycanca" default>`,
		`<track kind="captions" src="captions.ru.vtt" srclang="ru" label="Русский">`,
		// the transcript shows the cue as viewers read it: tags dropped, entities decoded, then escaped
		`<span class="text">window.pwned=2salam &lt;script&gt; &amp; ə</span>`,
		`<ol class="cues" id="cues-ru" data-lang="ru" lang="ru" hidden>`,
		`href="../02-beads/index.html" rel="next"`,
		`src="video.mp4" poster="thumb.jpg"`,
		// embedded cues for file:// pages: JSON with < escaped
		`\u003cscript\u003ewindow.pwned=2`,
	} {
		if !strings.Contains(lesson, want) {
			t.Errorf("01-intro/index.html lacks %s", want)
		}
	}
	if strings.Contains(lesson, `rel="prev"`) {
		t.Errorf("the first lesson links to a previous one")
	}
}

func TestWriteIsIdempotent(t *testing.T) {
	c := fakeCourse(t)
	dir := t.TempDir()
	ctx := context.Background()
	if err := Write(ctx, dir, c); err != nil {
		t.Fatal(err)
	}
	before := mtimes(t, dir)
	time.Sleep(20 * time.Millisecond) // let a rewrite show in the modification times
	if err := Write(ctx, dir, c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, mtimes(t, dir)); diff != "" {
		t.Errorf("a second Write changed files (-before +after):\n%s", diff)
	}
}

func TestWriteLessonAndRemove(t *testing.T) {
	c := fakeCourse(t)
	dir := t.TempDir()
	ctx := context.Background()
	if err := Write(ctx, dir, c); err != nil {
		t.Fatal(err)
	}
	before := mtimes(t, dir)
	time.Sleep(20 * time.Millisecond)

	// A new title for lesson 3 changes its page, the index and the "next"
	// link of lesson 2; lesson 1 and every medium stay as they were.
	c.Lessons[2].Title = "Son dərs"
	if err := WriteLesson(ctx, dir, c, "03-end"); err != nil {
		t.Fatal(err)
	}
	after := mtimes(t, dir)
	var changed []string
	for p, m := range after {
		if !m.Equal(before[p]) {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	if diff := cmp.Diff([]string{"02-beads/index.html", "03-end/index.html", "index.html"}, changed); diff != "" {
		t.Errorf("files WriteLesson rewrote (-want +got):\n%s", diff)
	}

	// Removing lesson 2 links 1 and 3 to each other.
	c.Lessons = append(c.Lessons[:1], c.Lessons[2:]...)
	if err := RemoveLesson(ctx, dir, c, "02-beads"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "02-beads")); !os.IsNotExist(err) {
		t.Errorf("02-beads still exists after RemoveLesson: %v", err)
	}
	if l1 := read(t, filepath.Join(dir, "01-intro/index.html")); !strings.Contains(l1, `href="../03-end/index.html" rel="next"`) {
		t.Errorf("lesson 1 does not link to lesson 3 after the removal")
	}
	if idx := read(t, filepath.Join(dir, "index.html")); strings.Contains(idx, "02-beads") || !strings.Contains(idx, "Son dərs") {
		t.Errorf("the index still lists the removed lesson or lacks the new title")
	}
	if err := RemoveLesson(ctx, dir, c, "03-end"); err == nil {
		t.Errorf("RemoveLesson of a lesson still in the course succeeded")
	}
}

func TestStaleFilesGo(t *testing.T) {
	c := fakeCourse(t)
	dir := t.TempDir()
	ctx := context.Background()
	if err := Write(ctx, dir, c); err != nil {
		t.Fatal(err)
	}
	c.Lessons[1].Tracks = c.Lessons[1].Tracks[:1]
	c.Lessons[1].SignVideo = ""
	if err := WriteLesson(ctx, dir, c, "02-beads"); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"02-beads/captions.ru.vtt", "02-beads/sign.mp4"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", gone, err)
		}
	}
	if page := read(t, filepath.Join(dir, "02-beads/index.html")); strings.Contains(page, "sign") {
		t.Errorf("the page still has a sign window")
	}
}

func TestIndexStatus(t *testing.T) {
	c := fakeCourse(t)
	c.Notes = []string{"2 lessons left: 3,200 of today's 10,000 quota units"}
	c.Lessons[0].Status = &Status{State: "published"}
	c.Lessons[1].Status = &Status{State: "pending", Problems: []string{"captions.az.srt:3: cue overlaps the next <one>"}}
	dir := t.TempDir()
	if err := Write(context.Background(), dir, c); err != nil {
		t.Fatal(err)
	}
	idx := read(t, filepath.Join(dir, "index.html"))
	for _, want := range []string{
		`<ul class="notes" lang="en">`, "3,200 of today", `<p class="state state-published">published</p>`,
		`<li>captions.az.srt:3: cue overlaps the next &lt;one&gt;</li>`,
		`<span lang="ru">Русский</span>`, `<img class="thumb" src="01-intro/thumb.jpg" alt=""`,
		`<time datetime="PT3.000S">0:03</time>`,
	} {
		if !strings.Contains(idx, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *Course)
		want   string
	}{
		{"no language", func(c *Course) { c.Language = "" }, "set language in course.yaml"},
		{"slug with slash", func(c *Course) { c.Lessons[0].Slug = "a/b" }, `"a/b" cannot be a lesson folder name`},
		{"slug assets", func(c *Course) { c.Lessons[0].Slug = "assets" }, `"assets" cannot be`},
		{"slug dot", func(c *Course) { c.Lessons[0].Slug = ".." }, `".." cannot be`},
		{"same slug", func(c *Course) { c.Lessons[1].Slug = c.Lessons[0].Slug }, "two lessons have the folder name"},
		{"no video", func(c *Course) { c.Lessons[2].Video = "" }, "render it before"},
		{"two tracks one language", func(c *Course) { c.Lessons[0].Tracks[1].Language = "az" }, "two caption tracks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeCourse(t)
			tc.change(c)
			err := Write(context.Background(), t.TempDir(), c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Write error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestLanguageName(t *testing.T) {
	for tag, want := range map[string]string{
		"az": "Azərbaycanca", "ru": "Русский", "en": "English", "tr": "Türkçe", "az-Cyrl": "Азәрбајҹанҹа", "de": "Deutsch", "qqq-x": "qqq-x",
	} {
		if got := LanguageName(tag); got != want {
			t.Errorf("LanguageName(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestLinkOrCopy(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.mp4")
	if err := os.WriteFile(src, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(src, old, old)
	for _, tc := range []struct {
		name string
		link func(string, string) error
		same bool
	}{
		{"link", os.Link, true},
		{"copy", func(string, string) error { return os.ErrPermission }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(l func(string, string) error) { link = l }(link)
			link = tc.link
			dst := filepath.Join(dir, tc.name+".mp4")
			for i, want := range []bool{true, false} {
				changed, err := linkOrCopy(src, dst)
				if err != nil {
					t.Fatal(err)
				}
				if changed != want {
					t.Errorf("call %d: changed = %v, want %v", i+1, changed, want)
				}
			}
			si, _ := os.Stat(src)
			di, err := os.Stat(dst)
			if err != nil {
				t.Fatal(err)
			}
			if os.SameFile(si, di) != tc.same || !di.ModTime().Equal(old) || read(t, dst) != "first" {
				t.Errorf("dst: same file %v (want %v), mtime %v (want %v), content %q", os.SameFile(si, di), tc.same, di.ModTime(), old, read(t, dst))
			}
			if ents, _ := filepath.Glob(filepath.Join(dir, ".*")); len(ents) > 0 {
				t.Errorf("temporary files left: %v", ents)
			}
		})
	}
	// A new render (a new file with another size) is copied again.
	if err := os.Remove(src); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(src, []byte("second take"), 0o644)
	link = func(string, string) error { return os.ErrPermission }
	defer func() { link = os.Link }()
	if changed, err := linkOrCopy(src, filepath.Join(dir, "copy.mp4")); err != nil || !changed {
		t.Errorf("after a new render: changed %v, err %v; want a new copy", changed, err)
	}
	if got := read(t, filepath.Join(dir, "copy.mp4")); got != "second take" {
		t.Errorf("copy holds %q after a new render", got)
	}
}

// TestWriteMedia writes a course of real clips with neither durations nor
// thumbnails given: ffprobe reads the one and ffmpeg takes the other.
func TestWriteMedia(t *testing.T) {
	ffmpegtest.Require(t)
	c, dir := testCourse(t)
	for _, l := range c.Lessons {
		if l.Duration < 2*time.Second || l.Duration > 4*time.Second {
			t.Errorf("%s: duration %v, want the clip's 2 to 3 s", l.Slug, l.Duration)
		}
		b, err := os.ReadFile(filepath.Join(dir, l.Slug, thumbName))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 100 || b[0] != 0xFF || b[1] != 0xD8 {
			t.Errorf("%s/%s is not a JPEG picture (%d bytes)", l.Slug, thumbName, len(b))
		}
	}
	before := mtimes(t, dir)
	time.Sleep(20 * time.Millisecond)
	if err := Write(context.Background(), dir, c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, mtimes(t, dir)); diff != "" {
		t.Errorf("writing the same course again changed files (-before +after):\n%s", diff)
	}
}

func TestHandler(t *testing.T) {
	c := fakeCourse(t)
	dir := t.TempDir()
	if err := Write(context.Background(), dir, c); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for _, tc := range []struct {
		path, status, ctype string
	}{
		{"/", "200 OK", "text/html; charset=utf-8"},
		{"/01-intro/", "200 OK", "text/html; charset=utf-8"},
		{"/01-intro/captions.az.vtt", "200 OK", "text/vtt; charset=utf-8"},
		{"/assets/", "404 Not Found", ""},
		{"/nothing.html", "404 Not Found", ""},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Status + " " + resp.Header.Get("Content-Type")
		if resp.Status != tc.status || tc.ctype != "" && resp.Header.Get("Content-Type") != tc.ctype {
			t.Errorf("GET %s: %s, want %s %s", tc.path, got, tc.status, tc.ctype)
		}
		if tc.ctype != "" && resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", tc.path, resp.Header.Get("Cache-Control"))
		}
	}
}
