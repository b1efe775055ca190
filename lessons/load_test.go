package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// writeTree creates files (path -> content) under a new temporary folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// wantProblems checks that err is a *Problems holding, for each of want, a
// problem whose text contains it, and returns all the problems' text.
func wantProblems(t *testing.T, err error, want ...string) string {
	t.Helper()
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is not *Problems", err)
	}
	lines := make([]string, len(ps.Items))
	for i, p := range ps.Items {
		lines[i] = p.String()
	}
	got := strings.Join(lines, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("problems lack %q; got:\n%s", w, got)
		}
	}
	return got
}

func TestLoadCourse(t *testing.T) {
	root := writeTree(t, map[string]string{
		"beads/course.yaml":                      "title: Bead jewellery\nlanguage: az\ncaptions:\n  sync: error\n  required: [az, ru]\n  profile:\n    max_cps: 20\nprivacy: unlisted\ntags: [beads]\nsign:\n  key: green\n  size: 0.25\n",
		"beads/01-tools-and-beads/lesson.mp4":    "x",
		"beads/01-tools-and-beads/sign.mov":      "x",
		"beads/01-tools-and-beads/lesson.az.srt": "",
		"beads/01-tools-and-beads/lesson.ru.vtt": "",
		"beads/01-tools-and-beads/thumbnail.jpg": "\xff\xd8\xff\xe0 JFIF",
		"beads/02-ilk-düyün/lesson.yaml":         "title: İlk düyün\nsign_offset: -1.5s\ntags: [knot]\n",
		"beads/02-ilk-düyün/video.MOV":           "x",
		"beads/.git/config":                      "",
	})
	dir := filepath.Join(root, "beads")
	c, err := LoadCourse(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Bead jewellery" || c.Privacy != "unlisted" || c.Language != "az" {
		t.Errorf("course = %+v", c)
	}
	if diff := cmp.Diff([]string{"az", "ru"}, c.Required); diff != "" {
		t.Errorf("required (-want +got):\n%s", diff)
	}
	if c.CaptionSync != SyncError {
		t.Errorf("captions.sync = %q, want error", c.CaptionSync)
	}
	if c.Profile.MaxCPS != 20 || c.Profile.MaxLineLength != 42 {
		t.Errorf("profile override lost defaults: %+v", c.Profile)
	}
	if c.Sign.Key != "green" || c.Sign.Size != 0.25 || c.Sign.Layout != LayoutPiP || c.Sign.Position != "bottom-right" {
		t.Errorf("sign = %+v", c.Sign)
	}
	if len(c.Lessons) != 2 {
		t.Fatalf("got %d lessons, want 2", len(c.Lessons))
	}
	l1, l2 := c.Lessons[0], c.Lessons[1]
	if l1.Title != "Tools and beads" || filepath.Base(l1.Recording) != "lesson.mp4" || filepath.Base(l1.Sign) != "sign.mov" || filepath.Base(l1.Thumbnail) != "thumbnail.jpg" {
		t.Errorf("lesson 1 = %+v", l1)
	}
	var langs []string
	for _, cf := range l1.Captions {
		langs = append(langs, cf.Language+":"+cf.Format)
	}
	if diff := cmp.Diff([]string{"az:srt", "ru:vtt"}, langs); diff != "" {
		t.Errorf("captions (-want +got):\n%s", diff)
	}
	if l2.Title != "İlk düyün" || l2.SignOffset != -1500*time.Millisecond || filepath.Base(l2.Recording) != "video.MOV" {
		t.Errorf("lesson 2 = %+v", l2)
	}
	if got := l1.ID(); got != "tools-and-beads" {
		t.Errorf("key = %q", got)
	}
}

func TestLoadCourseReportsEveryProblem(t *testing.T) {
	root := writeTree(t, map[string]string{
		"c/course.yaml":        "titel: Stained glass\nprivacy: secret\nmade_for_kids: perhaps\nsign:\n  layuot: pip\n",
		"c/01-a/a.mp4":         "x",
		"c/01-a/b.mkv":         "x",
		"c/01-a/notes.srt":     "",
		"c/01-a/lesson.yaml":   "title: A\nsign_ofset: 2s\n",
		"c/02-b/lesson.az.srt": "",
		"c/02-b/lesson.az.vtt": "",
	})
	c, err := LoadCourse(filepath.Join(root, "c"))
	if c == nil {
		t.Fatal("course not returned alongside its problems")
	}
	wantProblems(t, err,
		`course.yaml:1: unknown key "titel"; did you mean "title"?`,
		`course.yaml:3: "perhaps" is not true or false`,
		`course.yaml:5: unknown key "layuot"; did you mean "layout"?`,
		`course.yaml:2: privacy "secret" is not one of private, unlisted, public`,
		`course.yaml: the course needs a title`,
		`b.mkv: two recordings in one lesson`,
		`notes.srt: caption file name has no language`,
		`lesson.yaml:2: unknown key "sign_ofset"; did you mean "sign_offset"?`,
		`lesson.az.vtt: a second caption file for language "az"`,
	)
}

func TestLoadCourseRejectsLinksOutside(t *testing.T) {
	root := writeTree(t, map[string]string{
		"c/course.yaml": "title: T\n",
		"c/01-a/x.txt":  "",
		"secret.srt":    "1\n00:00:01,000 --> 00:00:02,000\nhi\n",
	})
	if err := os.Symlink(filepath.Join(root, "secret.srt"), filepath.Join(root, "c/01-a/lesson.az.srt")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	if err := os.Symlink(root, filepath.Join(root, "c/02-elsewhere")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "c/01-a/x.txt"), filepath.Join(root, "c/01-a/notes.en.srt")); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCourse(filepath.Join(root, "c"))
	got := wantProblems(t, err,
		"lesson.az.srt: links to a file outside the course folder",
		"02-elsewhere: links to a folder outside the course folder",
	)
	if strings.Contains(got, "notes.en.srt") || len(c.Lessons) != 1 || len(c.Lessons[0].Captions) != 1 {
		t.Errorf("a link inside the course was refused: %s; lessons %+v", got, c.Lessons)
	}
}

func TestLoadLesson(t *testing.T) {
	root := writeTree(t, map[string]string{
		"c/course.yaml":          "title: Batik\nlanguage: ru\n",
		"c/03-wax/lesson.mp4":    "x",
		"c/03-wax/lesson.ru.srt": "",
		"lonely/lesson.mp4":      "x",
	})
	l, err := LoadLesson(filepath.Join(root, "c/03-wax"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Course.Title != "Batik" || l.Title != "Wax" || len(l.Course.Required) != 1 || l.Course.Required[0] != "ru" {
		t.Errorf("lesson = %+v, course = %+v", l, l.Course)
	}
	_, err = LoadLesson(filepath.Join(root, "lonely"))
	if err == nil || !strings.Contains(err.Error(), "has no course.yaml") {
		t.Errorf("lesson outside a course: err = %v", err)
	}
}

func TestLoadCourseBadManifests(t *testing.T) {
	for name, tc := range map[string]struct{ content, want string }{
		"syntax":   {"title: [unclosed\n", "course.yaml:1:"},
		"list":     {"- a\n- b\n", "expected keys such as"},
		"utf16":    {"\xff\xfet\x00", "saved as UTF-16"},
		"cp1251":   {"title: \xc4\xe5\xeb\xee\n", "course.yaml:1: is not UTF-8 text"},
		"empty":    {"", "the course needs a title"},
		"language": {"title: T\nlanguage: azerbaijani-latin-x\n", `course.yaml:2: language "azerbaijani-latin-x" is not a language tag`},
		"signsize": {"title: T\nsign:\n  size: 2\n", "course.yaml:3: sign size 2 must be"},
		"profile":  {"title: T\ncaptions:\n  profile:\n    max_cps: -1\n", "course.yaml:4: captions profile max_cps"},
		"duration": {"title: T\ncaptions:\n  profile:\n    max_duration: soon\n", "course.yaml:4:"},
		"sync":     {"title: T\ncaptions:\n  sync: strict\n", `course.yaml:3: captions sync "strict" is not one of error, warn, off`},
	} {
		t.Run(name, func(t *testing.T) {
			root := writeTree(t, map[string]string{"c/course.yaml": tc.content, "c/01-a/a.mp4": "x"})
			_, err := LoadCourse(filepath.Join(root, "c"))
			wantProblems(t, err, tc.want)
		})
	}
}

func TestFind(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/course.yaml":         "title: A\n",
		"a/01-x/course.yaml":    "title: nested is not a course\n",
		"group/b/course.yaml":   "title: B\n",
		".hidden/c/course.yaml": "title: C\n",
		"notacourse/readme.txt": "",
	})
	got, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i], _ = filepath.Rel(root, got[i])
	}
	if diff := cmp.Diff([]string{"a", filepath.Join("group", "b")}, got); diff != "" {
		t.Errorf("Find (-want +got):\n%s", diff)
	}
}

func TestTitleFromName(t *testing.T) {
	for in, want := range map[string]string{
		"01-tools-and-beads": "Tools and beads",
		"2_ilk_dərs":         "İlk dərs",
		"10 final":           "Final",
		"intro":              "İntro", // Azerbaijani capital of i is İ
		"07":                 "07",
	} {
		if got := titleFromName(in, "az"); got != want {
			t.Errorf("titleFromName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := titleFromName("01-intro", "en"); got != "Intro" {
		t.Errorf("en: %q", got)
	}
}

func TestIsLFSPointer(t *testing.T) {
	root := writeTree(t, map[string]string{
		"p.mp4": "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12345\n",
		"v.mp4": "\x00\x00\x00\x18ftypmp42",
	})
	if !IsLFSPointer(filepath.Join(root, "p.mp4")) || IsLFSPointer(filepath.Join(root, "v.mp4")) {
		t.Error("LFS pointer detection wrong")
	}
}

func TestCaptionSyncDefault(t *testing.T) {
	root := writeTree(t, map[string]string{"c/course.yaml": "title: T\n", "c/01-a/a.mp4": "x"})
	c, err := LoadCourse(filepath.Join(root, "c"))
	if err != nil {
		t.Fatal(err)
	}
	if c.CaptionSync != SyncWarn {
		t.Errorf("captions.sync = %q, want the default warn", c.CaptionSync)
	}
}
