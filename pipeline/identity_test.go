package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/lessons"
)

func TestWithKeyAndKeyOf(t *testing.T) {
	for _, tc := range []struct{ desc, key, want string }{
		{"", "c/01", "lessonpub-key: c/01"},
		{"Lesson one.\n", "c/01", "Lesson one.\n\nlessonpub-key: c/01"},
		{"Lesson one.\n\nlessonpub-key: old/one", "c/01", "Lesson one.\n\nlessonpub-key: c/01"},
		{"Lesson one.", "", "Lesson one."},
		// A key line the teacher wrote, not at the end, is the teacher's text.
		{"lessonpub-key: other/x\nMore.", "c/01", "lessonpub-key: other/x\nMore.\n\nlessonpub-key: c/01"},
		{"Text\n  lessonpub-key: other/x", "c/01", "Text\n  lessonpub-key: other/x\n\nlessonpub-key: c/01"},
	} {
		got := WithKey(tc.desc, tc.key)
		if got != tc.want {
			t.Errorf("WithKey(%q, %q) = %q, want %q", tc.desc, tc.key, got, tc.want)
		}
		if tc.key != "" && KeyOf(got) != tc.key {
			t.Errorf("KeyOf(%q) = %q, want %q", got, KeyOf(got), tc.key)
		}
	}
	if k := KeyOf("no key here"); k != "" {
		t.Errorf("KeyOf without a key line = %q", k)
	}
}

// Folder names that differ only in spaces or line breaks give different
// keys, each read back exactly from the description it is written into.
func TestKeysRoundTripExactly(t *testing.T) {
	names := []string{"first-knot", "first-knot ", "first knot", "first\nknot", "first%knot", "İlk düyün", "a/b", " "}
	seen := map[string]string{}
	for _, n := range names {
		key := "course/" + EscapeKey(n)
		if other, ok := seen[key]; ok {
			t.Errorf("%q and %q share the key %q", n, other, key)
		}
		seen[key] = n
		d := WithKey("The teacher's words.\n", key)
		if got := KeyOf(d); got != key {
			t.Errorf("name %q: KeyOf(WithKey(key %q)) = %q", n, key, got)
		}
		if strings.Count(d, "\n") != 2 {
			t.Errorf("name %q: the key line is not one line: %q", n, d)
		}
		if raw, err := unescapeKey(EscapeKey(n)); err != nil || raw != n {
			t.Errorf("unescape(escape(%q)) = %q, %v", n, raw, err)
		}
	}
}

// Only an exact, well-formed last line is a key.
func TestKeyOfRefusesWhatIsNotExactly(t *testing.T) {
	for _, d := range []string{
		"  lessonpub-key: c/first-knot",           // indented
		"lessonpub-key: c/first-knot\nMore text.", // not the last line
		"lessonpub-key: c/first%2Gknot",           // bad escape
		"lessonpub-key: c/first%2dknot",           // lower-case hex
		"lessonpub-key: c/first%2Dknot",           // an escape of a byte that needs none
		"lessonpub-key: c/a/b",                    // three parts
		"lessonpub-key: c/",                       // empty lesson part
		"lessonpub-key:c/first-knot",              // no space
	} {
		if k := KeyOf(d); k != "" {
			t.Errorf("KeyOf(%q) = %q, want no key", d, k)
		}
	}
	// A trailing space or line break after the key line is not part of it.
	if k := KeyOf("x\n\nlessonpub-key: c/first-knot\n"); k != "c/first-knot" {
		t.Errorf("KeyOf with a final line break = %q", k)
	}
	if k := CourseKeyOf("About beads.\n\nlessonpub-course: beads-2026"); k != "beads-2026" {
		t.Errorf("CourseKeyOf = %q", k)
	}
	if k := CourseKeyOf("About beads.\n\nlessonpub-course: a/b"); k != "" {
		t.Errorf("CourseKeyOf of a lesson-like key = %q, want none", k)
	}
}

func TestLegacyKeys(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bead-jewellery/02-first-knot", "bead-jewellery/first-knot"},
		{"bead-jewellery/first-knot", "bead-jewellery/first-knot"},
		{"bead-jewellery/07", "bead-jewellery/07"},
		{"My%20course/02%20first%20knot", "My%20course/first%20knot"},
	} {
		if got := NormalizeLegacy(tc.in); got != tc.want {
			t.Errorf("NormalizeLegacy(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Round 1 wrote folder names as they were; they are read, escaped.
	if k := KeyOf("x\n\nlessonpub-key: My course/02 first knot"); k != "My%20course/02%20first%20knot" {
		t.Errorf("legacy KeyOf = %q", k)
	}
}

func TestTrackName(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"az", "Azərbaycan"},
		{"en", "English"},
		{"ru", "Русский"},
		{"not a tag!", "not a tag!"},
	} {
		if got := TrackName(tc.lang); got != tc.want {
			t.Errorf("TrackName(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestTargetsChooseBySchemeAndNameTheRest(t *testing.T) {
	var opened []string
	open := func(name string) OpenFunc {
		return func(ctx context.Context, arg string) (Target, error) {
			opened = append(opened, name+"("+arg+")")
			return nil, nil
		}
	}
	var r Targets
	r.Register("youtube", "youtube", open("youtube"))
	r.Register("dir", "dir:PATH", open("dir"))
	r.Register("site", "site:PATH", open("site"))
	for _, spec := range []string{"youtube", "dir:out", "dir:C:\\courses\\out", "site:"} {
		if _, err := r.Open(context.Background(), spec); err != nil {
			t.Errorf("Open(%q): %v", spec, err)
		}
	}
	want := []string{"youtube()", "dir(out)", "dir(C:\\courses\\out)", "site()"}
	if strings.Join(opened, " ") != strings.Join(want, " ") {
		t.Errorf("opened %q, want %q", opened, want)
	}
	_, err := r.Open(context.Background(), "ftp:x")
	if !errors.Is(err, ErrUnknownTarget) || !strings.Contains(err.Error(), "use youtube, dir:PATH or site:PATH") {
		t.Errorf("Open(ftp:x) = %v, want ErrUnknownTarget listing youtube, dir:PATH or site:PATH", err)
	}
}

func TestDescriptionReserveHoldsTheLongestKeyLine(t *testing.T) {
	if lessons.DescriptionReserve < MaxKeyLine {
		t.Errorf("lessons.DescriptionReserve = %d, less than the longest key line, %d", lessons.DescriptionReserve, MaxKeyLine)
	}
	long := strings.Repeat("\n", 255)
	if n := len(WithKey("", EscapeKey(long)+"/"+EscapeKey(long))) + 2; n > MaxKeyLine {
		t.Errorf("a key line of two longest names takes %d bytes, more than MaxKeyLine %d", n, MaxKeyLine)
	}
}
