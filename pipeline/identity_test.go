package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestWithKeyAndKeyOf(t *testing.T) {
	for _, tc := range []struct{ desc, key, want string }{
		{"", "c/01", "lessonpub-key: c/01"},
		{"Lesson one.\n", "c/01", "Lesson one.\n\nlessonpub-key: c/01"},
		{"Lesson one.\n\nlessonpub-key: old", "c/01", "Lesson one.\n\nlessonpub-key: c/01"},
		{"Lesson one.", "", "Lesson one."},
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
