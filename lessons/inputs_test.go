package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadRefusesManifestsLinkedOutside(t *testing.T) {
	const secret = "root:x:0:0:do-not-print-me\n"
	root := writeTree(t, map[string]string{
		"c/course.yaml":      "title: T\n",
		"c/01-a/lesson.mp4":  "x",
		"c/02-b/lesson.mp4":  "x",
		"c/02-b/shared.yaml": "title: Shared\n",
		"d/01-a/lesson.mp4":  "x",
		"outside/passwd":     secret,
	})
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skip("symlinks unsupported:", err)
		}
	}
	link(filepath.Join(root, "outside/passwd"), "c/01-a/lesson.yaml")
	link(filepath.Join(root, "c/02-b/shared.yaml"), "c/02-b/lesson.yaml") // inside: fine
	link(filepath.Join(root, "outside/passwd"), "d/course.yaml")

	c, err := LoadCourse(filepath.Join(root, "c"))
	got := wantProblems(t, err, "01-a/lesson.yaml: links to a file outside the course folder")
	if strings.Contains(got, "do-not-print-me") || strings.Contains(got, "root") {
		t.Errorf("a message quotes the linked file:\n%s", got)
	}
	if strings.Contains(got, "02-b") || c.Lessons[1].Title != "Shared" {
		t.Errorf("a link inside the course was refused: %s; title %q", got, c.Lessons[1].Title)
	}

	_, err = LoadCourse(filepath.Join(root, "d"))
	got = wantProblems(t, err, "d/course.yaml: links to a file outside the course folder")
	if strings.Contains(got, "do-not-print-me") {
		t.Errorf("a message quotes the linked file:\n%s", got)
	}
	_, err = LoadLesson(filepath.Join(root, "c/01-a"))
	wantProblems(t, err, "01-a/lesson.yaml: links to a file outside the course folder")

	// a lesson folder given by itself that links out of its course
	link(filepath.Join(root, "outside"), "c/03-out")
	os.WriteFile(filepath.Join(root, "outside/lesson.yaml"), []byte(secret), 0o644)
	l, err := LoadLesson(filepath.Join(root, "c/03-out"))
	got = wantProblems(t, err, "c/03-out: links to a folder outside the course folder")
	if l != nil || strings.Contains(got, "do-not-print-me") {
		t.Errorf("the lesson outside was read: %+v\n%s", l, got)
	}
}

func TestOpenRefusesFolders(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("Open(folder) = %v, want ErrNotRegular naming a folder", err)
	}
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("data"), 0o644)
	if data, err := ReadFile(p); err != nil || string(data) != "data" {
		t.Errorf("ReadFile(regular) = %q, %v", data, err)
	}
}

func TestYAMLDocumentsAndDuplicateKeys(t *testing.T) {
	for name, tc := range map[string]struct {
		file, content string
		want          []string
	}{
		"two documents":        {"c/course.yaml", "title: A\n---\ntitle: B\n", []string{"course.yaml:2: a second YAML document starts here"}},
		"lesson two documents": {"c/01-a/lesson.yaml", "---\ntitle: A\n---\ntitle: B\n", []string{"lesson.yaml:3: a second YAML document"}},
		"duplicate key":        {"c/course.yaml", "title: A\nprivacy: public\ntitle: B\n", []string{`course.yaml:3: key "title" is given twice (first at line 1)`}},
		"nested duplicate":     {"c/course.yaml", "title: A\nsign:\n  size: 0.2\n  size: 0.3\n", []string{`course.yaml:4: key "size" is given twice (first at line 3)`}},
		"lesson duplicate":     {"c/01-a/lesson.yaml", "title: A\ntags: [x]\ntags: [y]\n", []string{`lesson.yaml:3: key "tags" is given twice (first at line 2)`}},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"c/course.yaml": "title: T\n", "c/01-a/a.mp4": "x"}
			files[tc.file] = tc.content
			root := writeTree(t, files)
			_, err := LoadCourse(filepath.Join(root, "c"))
			got := wantProblems(t, err, tc.want...)
			if strings.Count(got, "twice")+strings.Count(got, "already defined") > 1 {
				t.Errorf("a duplicate is reported more than once:\n%s", got)
			}
			if strings.Contains(got, "title is empty") || strings.Contains(got, "needs a title") {
				t.Errorf("the first of two keys was lost:\n%s", got)
			}
		})
	}
}

func TestYouTubeLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ə", n) } // 2 bytes a character
	manyTags := "[" + strings.Repeat("beadwork, ", 55) + "end]"
	for name, tc := range map[string]struct {
		files map[string]string
		want  string // "" for no problem
	}{
		"title 100":           {map[string]string{"c/01-a/lesson.yaml": "title: " + long(100) + "\n"}, ""},
		"title 101":           {map[string]string{"c/01-a/lesson.yaml": "tags: [x]\ntitle: " + long(101) + "\n"}, "01-a/lesson.yaml:2: the title has 101 characters; YouTube takes at most 100"},
		"title angle":         {map[string]string{"c/01-a/lesson.yaml": "title: Beads <basic>\n"}, "01-a/lesson.yaml:1: the title contains < or >"},
		"folder title":        {map[string]string{"c/01-" + strings.Repeat("a", 120) + "/a.mp4": "x"}, "the title is taken from the folder's name"},
		"description max":     {map[string]string{"c/01-a/lesson.yaml": "description: " + long(1726) + "\n"}, ""},
		"description long":    {map[string]string{"c/01-a/lesson.yaml": "title: A\ndescription: " + long(1727) + "\n"}, "01-a/lesson.yaml:2: the description takes 3454 bytes; at most 3452 fit"},
		"description angle":   {map[string]string{"c/01-a/lesson.yaml": "description: |\n  a > b\n"}, "01-a/lesson.yaml:1: the description contains < or >"},
		"lesson tags":         {map[string]string{"c/01-a/lesson.yaml": "title: A\ntags: " + manyTags + "\n"}, "01-a/lesson.yaml:2: with the course's tags, the video's tags take 504 characters"},
		"spaces in tags":      {map[string]string{"c/course.yaml": "title: T\ntags: [" + strings.Repeat("a b, ", 100) + "z]\n"}, "course.yaml:2: the course's tags take 601 characters"},
		"course title 150":    {map[string]string{"c/course.yaml": "title: " + long(150) + "\n"}, ""},
		"course title 151":    {map[string]string{"c/course.yaml": "title: " + long(151) + "\n"}, "course.yaml:1: the course title (the YouTube playlist's name) has 151 characters"},
		"thumbnail png":       {map[string]string{"c/01-a/thumbnail.png": string(pngMagic) + "rest"}, ""},
		"thumbnail jpeg name": {map[string]string{"c/01-a/Thumbnail.JPG": string(pngMagic)}, ""},
		"thumbnail text":      {map[string]string{"c/01-a/thumbnail.jpg": "not a picture"}, "thumbnail.jpg: is not a JPEG or PNG image"},
		"thumbnail empty":     {map[string]string{"c/01-a/thumbnail.png": ""}, "thumbnail.png: is not a JPEG or PNG image"},
		"thumbnail big":       {map[string]string{"c/01-a/thumbnail.jpg": string(jpegMagic) + strings.Repeat("x", MaxThumbnail)}, "thumbnail.jpg: is 2.0 MB; YouTube takes a thumbnail of at most 2 MB"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"c/course.yaml": "title: T\ntags: [beads]\n", "c/01-a/a.mp4": "x"}
			for k, v := range tc.files {
				files[k] = v
			}
			root := writeTree(t, files)
			c, err := LoadCourse(filepath.Join(root, "c"))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("within YouTube's limits, got %v", err)
				}
				return
			}
			wantProblems(t, err, tc.want)
			if strings.HasPrefix(name, "thumbnail") && c.Lessons[0].Thumbnail != "" {
				t.Errorf("a thumbnail YouTube refuses is kept: %s", c.Lessons[0].Thumbnail)
			}
		})
	}
}

func TestTagsLength(t *testing.T) {
	for _, tc := range []struct {
		tags []string
		want int
	}{
		{nil, 0},
		{[]string{"beads"}, 5},
		{[]string{"beads", "knot"}, 10},
		{[]string{"bead work"}, 11},
		{[]string{"düyün", "a b"}, 5 + 1 + 5},
	} {
		if got := TagsLength(tc.tags); got != tc.want {
			t.Errorf("TagsLength(%q) = %d, want %d", tc.tags, got, tc.want)
		}
	}
}

func TestVideoLimits(t *testing.T) {
	if got := VideoLimits("A", strings.Repeat("x", MaxDescription), []string{"a"}); got != nil {
		t.Errorf("within the limits: %q", got)
	}
	got := VideoLimits(strings.Repeat("x", 101), strings.Repeat("x", MaxDescription+1), []string{strings.Repeat("t", 501)})
	if len(got) != 3 {
		t.Errorf("VideoLimits found %d problems, want title, description and tags: %q", len(got), got)
	}
}

func TestPinnedKeys(t *testing.T) {
	for name, tc := range map[string]struct {
		course, lesson string
		want           string
	}{
		"good":        {"title: T\nkey: beads-2026\n", "key: first_knot.v2\n", ""},
		"empty":       {"title: T\nkey: \"\"\n", "", `course.yaml:2: key is empty`},
		"spaces":      {"title: T\n", "title: A\nkey: \" first knot\"\n", `lesson.yaml:2: key " first knot" may hold only lowercase letters a-z, digits, dots, dashes and underscores, and must start with a letter or digit: for example  key: first-knot`},
		"capital":     {"title: T\nkey: Beads\n", "", `course.yaml:2: key "Beads" may hold only`},
		"newline":     {"title: T\n", "key: \"a\\nb\"\n", `lesson.yaml:1: key "a\nb" may hold only`},
		"letters":     {"title: T\n", "key: düyün\n", `key "düyün" may hold only`},
		"dot first":   {"title: T\n", "key: ..\n", `key ".." may hold only`},
		"too long":    {"title: T\n", "key: " + strings.Repeat("k", MaxKey+1) + "\n", "lesson.yaml:1: key has 65 characters; at most 64"},
		"not text":    {"title: T\n", "key: [a]\n", "lesson.yaml:1:"},
		"longest key": {"title: T\n", "key: " + strings.Repeat("k", MaxKey) + "\n", ""},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"c/course.yaml": tc.course, "c/01-a/a.mp4": "x"}
			if tc.lesson != "" {
				files["c/01-a/lesson.yaml"] = tc.lesson
			}
			root := writeTree(t, files)
			c, err := LoadCourse(filepath.Join(root, "c"))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if name == "good" && (c.PinnedKey != "beads-2026" || c.Lessons[0].PinnedKey != "first_knot.v2") {
					t.Errorf("keys = %q, %q", c.PinnedKey, c.Lessons[0].PinnedKey)
				}
				return
			}
			wantProblems(t, err, tc.want)
		})
	}
}

func TestPinnedKeysUnique(t *testing.T) {
	root := writeTree(t, map[string]string{
		"c/course.yaml":      "title: T\n",
		"c/01-a/lesson.yaml": "key: knot\n",
		"c/02-b/lesson.yaml": "title: B\nkey: knot\n",
		"c/03-c/lesson.yaml": "key: other\n",
		"c/01-a/a.mp4":       "x",
		"c/02-b/b.mp4":       "x",
		"c/03-c/c.mp4":       "x",
	})
	_, err := LoadCourse(filepath.Join(root, "c"))
	got := wantProblems(t, err, `02-b/lesson.yaml:2: key "knot" is already the key of 01-a`)
	if strings.Count(got, "already the key") != 1 {
		t.Errorf("want one duplicate, got:\n%s", got)
	}
}

func TestLessonIDDropsTheOrderNumber(t *testing.T) {
	for _, tc := range []struct{ name, pinned, want string }{
		{"02-first-knot", "", "first-knot"},
		{"10_b", "", "b"},
		{"3. Finish ", "", "Finish "},
		{"07", "", "07"},
		{"intro", "", "intro"},
		{"02-first-knot", "knot-v2", "knot-v2"},
	} {
		l := &Lesson{Name: tc.name, PinnedKey: tc.pinned}
		if got := l.ID(); got != tc.want {
			t.Errorf("ID of %q (key %q) = %q, want %q", tc.name, tc.pinned, got, tc.want)
		}
	}
}

// Two lessons that are one after their order numbers go are reported when
// the course is loaded, and when one of them is loaded alone.
func TestLessonIDsCollide(t *testing.T) {
	root := writeTree(t, map[string]string{
		"c/course.yaml":          "title: T\n",
		"c/01-intro/a.mp4":       "x",
		"c/05-intro/b.mp4":       "x",
		"c/06-outro/c.mp4":       "x",
		"c/07-outro/lesson.yaml": "key: outro-2\n",
		"c/07-outro/d.mp4":       "x",
	})
	_, err := LoadCourse(filepath.Join(root, "c"))
	got := wantProblems(t, err, `05-intro: lessons 01-intro and 05-intro are the same lesson to lessonpub ("intro": the order number is not part of a lesson's identity); set key: in one lesson.yaml`)
	if strings.Contains(got, "outro") {
		t.Errorf("a pinned key that settles a collision is reported:\n%s", got)
	}
	_, err = LoadLesson(filepath.Join(root, "c", "01-intro"))
	wantProblems(t, err, "set key: in one lesson.yaml")
	l, err := LoadLesson(filepath.Join(root, "c", "06-outro"))
	if err != nil {
		t.Fatalf("LoadLesson(06-outro): %v", err)
	}
	if n := len(l.Course.Lessons); n != 4 {
		t.Errorf("a lesson loaded alone knows %d lessons of its course, want 4", n)
	}
}

func TestCourseContains(t *testing.T) {
	root := writeTree(t, map[string]string{"c/course.yaml": "title: T\n", "c/01-a/a.mp4": "x", "elsewhere/x": ""})
	c := &Course{Dir: filepath.Join(root, "c")}
	link := filepath.Join(root, "link-to-c")
	if err := os.Symlink(filepath.Join(root, "c"), link); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{filepath.Join(root, "c"), true},
		{filepath.Join(root, "c", "published"), true},
		{filepath.Join(root, "c", "01-a", "new", "deeper"), true},
		{filepath.Join(link, "out"), true},
		{filepath.Join(root, "c", "..", "out"), false},
		{filepath.Join(root, "elsewhere"), false},
		{filepath.Join(root, "c2"), false},
		{root, false},
	} {
		if got := c.Contains(tc.path); got != tc.want {
			t.Errorf("Contains(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// FuzzManifest feeds lesson.yaml anything: loading never panics, and every
// problem names the manifest.
func FuzzManifest(f *testing.F) {
	for _, s := range []string{
		"title: A\nkey: a-1\ntags: [x, y z]\n",
		"title: A\n---\ntitle: B\n",
		"title: A\ntitle: B\nsign_offset: 1s\n",
		"a: &x {b: 1, b: 2}\nc: *x\n",
		"- a\n",
		"key: [1]\ndescription: <b>\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, manifest string) {
		var ps Problems
		c := &Course{Dir: "/c", Language: "az"}
		l := &Lesson{Course: c, Dir: "/c/01-a", Name: "01-a", Title: "A"}
		var lf lessonFile
		node := decodeStrict("/c/01-a/lesson.yaml", []byte(manifest), &lf, lessonKeys, &ps)
		l.Title, l.Description, l.Tags = lf.Title, lf.Description, lf.Tags
		checkKey("/c/01-a/lesson.yaml", lineOf(node, "key"), lf.Key, &ps)
		checkLessonLimits(l, "/c/01-a/lesson.yaml", node, &ps)
		for _, p := range ps.Items {
			if p.File != "/c/01-a/lesson.yaml" && p.File != "/c/01-a" {
				t.Errorf("problem names %s: %s", p.File, p)
			}
		}
	})
}
