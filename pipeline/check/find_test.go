package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/lessons"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const srt = "1\n00:00:00,000 --> 00:00:01,000\nSalam\n"

func TestFindChecksEachFileOnceAndNamesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	course := filepath.Join(dir, "course")
	write(t, filepath.Join(course, "course.yaml"), "title: Course\ncaptions:\n  required: [az, en]\n")
	write(t, filepath.Join(course, "01-first", "lesson.az.srt"), srt)
	write(t, filepath.Join(course, "02-second", "lesson.az.srt"), srt)
	lone := filepath.Join(dir, "lone.en.srt")
	write(t, lone, srt)
	notes := filepath.Join(dir, "notes.txt")
	write(t, notes, "hello\n")

	// The course twice and one of its files again: each file is checked once.
	f := Find([]string{course, filepath.Join(course, "01-first", "lesson.az.srt"), course, lone, notes, filepath.Join(dir, "missing")})
	var got []string
	for _, c := range f.Checks {
		var names []string
		for _, cf := range c.Files {
			names = append(names, filepath.Base(filepath.Dir(cf.Path))+"/"+filepath.Base(cf.Path))
		}
		got = append(got, strings.Join(names, ","))
	}
	want := []string{"01-first/lesson.az.srt", "02-second/lesson.az.srt", filepath.Base(dir) + "/lone.en.srt"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("checks %q, want %q", got, want)
	}
	if len(f.Checks) > 0 && strings.Join(f.Checks[0].Required, ",") != "az,en" {
		t.Errorf("a lesson's check requires %q, want course.yaml's az,en", f.Checks[0].Required)
	}
	if len(f.Unreadable) != 2 || !strings.Contains(f.Unreadable[0].String(), "notes.txt is not a caption file") || !strings.Contains(f.Unreadable[1].String(), "missing: no such file or folder") {
		t.Errorf("unreadable = %q, want notes.txt (not captions) and missing (no such file)", f.Unreadable)
	}
}

func TestOwnersBlockTheLessonOnlyForItsOwnProblems(t *testing.T) {
	c := &lessons.Course{Dir: "/c"}
	l1 := &lessons.Lesson{Dir: "/c/01-a", Course: c}
	l2 := &lessons.Lesson{Dir: "/c/01-ab", Course: c} // a name that starts like 01-a
	c.Lessons = []*lessons.Lesson{l1, l2}
	ps := &lessons.Problems{Items: []lessons.Problem{
		{File: "/c/01-a/lesson.yaml", Line: 2, Message: "unknown key"},
		{File: "/c/01-ab/lesson.yaml", Line: 1, Message: "bad title"},
		{File: "/c/01-a/lesson.yaml", Line: 5, Message: "bad tags"},
		{File: "/c/course.yaml", Line: 3, Message: "bad privacy"},
	}}
	byLesson, course := Owners(c, ps)
	if got := byLesson[l1]; got == nil || !strings.Contains(got.Error(), "unknown key") || !strings.Contains(got.Error(), "bad tags") || strings.Contains(got.Error(), "bad title") {
		t.Errorf("01-a blocked by %v, want its two problems only", got)
	}
	if got := byLesson[l2]; got == nil || !strings.Contains(got.Error(), "bad title") {
		t.Errorf("01-ab blocked by %v, want its problem", got)
	}
	if len(course) != 1 || !strings.Contains(course[0], "bad privacy") {
		t.Errorf("course problems %q, want the course.yaml one", course)
	}
}
