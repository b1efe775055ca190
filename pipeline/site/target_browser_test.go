package site

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
)

// TestBrowserTargetSite publishes a course through the core into the site
// target, with the real renderer and sign.layout: window, and checks the
// pages in the browser as TestBrowser does: the tracks made from the SRT
// the core sent, the interpreter kept apart and in step, a hostile title.
func TestBrowserTargetSite(t *testing.T) {
	requireBrowser(t)
	axe := axeSource(t)
	course := t.TempDir()
	clip := func(path, video string, audio bool) {
		t.Helper()
		args := []string{"-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", video + ":rate=25:duration=2"}
		if audio {
			args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac")
		}
		args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
			t.Fatalf("making %s: %v\n%s", path, err, b)
		}
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(course, path), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srt := func(a, b string) string {
		return fmt.Sprintf("1\n00:00:00,100 --> 00:00:00,900\n%s\n\n2\n00:00:01,000 --> 00:00:01,900\n%s\n", a, b)
	}
	clip(filepath.Join(course, "01-hello", "lesson.mp4"), "testsrc2=size=320x180", true)
	clip(filepath.Join(course, "02-needle", "lesson.mp4"), "testsrc2=size=320x180", true)
	clip(filepath.Join(course, "02-needle", "sign.mp4"), "smptebars=size=120x160", false)
	write("course.yaml", "title: Muncuq & \"Beads\"\nlanguage: az\nsign:\n  layout: window\n")
	write("01-hello/lesson.yaml", "title: 'Bead & \"thread\" &amp; Muncuq ğışçöüə'\n")
	write("01-hello/lesson.az.srt", srt("Salam! <script>window.pwned=2</script>", "İpi iynəyə keçirin."))
	write("01-hello/lesson.en.srt", srt("Hello & welcome", "Thread the needle."))
	write("02-needle/lesson.yaml", "title: İynə və sap\nsign_offset: 400ms\n")
	write("02-needle/lesson.az.srt", srt("Bu gün muncuq düzəldirik.", "Çox gözəl!"))
	write("02-needle/lesson.ru.srt", srt("Сегодня делаем бусы.", "Очень красиво!"))

	c, err := lessons.LoadCourse(course)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	target, err := NewTarget(dir)
	if err != nil {
		t.Fatal(err)
	}
	pub := pipeline.New(pipeline.Options{Target: target, Renderer: pipeline.MediaRenderer{Preset: "ultrafast"},
		Captions: pipeline.CaptionGate{}, StateDir: t.TempDir()})
	sum, err := pub.Publish(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed > 0 {
		t.Fatalf("publishing failed: %+v", sum.Lessons)
	}
	site, err := target.Course()
	if err != nil {
		t.Fatal(err)
	}
	if len(site.Lessons) != 2 || site.Lessons[0].SignVideo != "" || site.Lessons[1].SignVideo == "" {
		t.Fatalf("site lessons %+v: want two, the second with the interpreter apart", site.Lessons)
	}

	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	p := open(t, srv.URL+"/", "index.html", axe)
	p.dir = dir
	p.checkIndex(site)
	for i := range site.Lessons {
		l := &site.Lessons[i]
		t.Run(l.Slug, func(t *testing.T) {
			p := open(t, srv.URL+"/", l.Slug+"/index.html", axe)
			p.dir = dir
			p.checkLesson(site, l)
			if l.SignVideo != "" {
				p.checkSign(0) // the offset is in the interpreter's video
			}
			p.checkKeyboard(l)
		})
	}
}
