package youtube

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

func TestNewVideoForceSendsFalse(t *testing.T) {
	b, err := json.Marshal(NewVideo(Metadata{Title: "T", Key: "k"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"selfDeclaredMadeForKids":false`, `"containsSyntheticMedia":false`, `"privacyStatus":"private"`, `"categoryId":"27"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("video JSON %s lacks %s", b, want)
		}
	}
}

func TestNextReset(t *testing.T) {
	for _, tc := range []struct{ now, want string }{
		{"2026-11-29T10:00:00Z", "2026-11-30T08:00:00Z"}, // PST: 02:00 local
		{"2026-11-30T07:59:59Z", "2026-11-30T08:00:00Z"},
		{"2026-07-01T06:59:00Z", "2026-07-01T07:00:00Z"}, // PDT
		{"2026-07-01T07:00:00Z", "2026-07-02T07:00:00Z"},
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if got := NextReset(now).UTC().Format(time.RFC3339); got != tc.want {
			t.Errorf("NextReset(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
}

func TestQuotaLeftAndDayRollover(t *testing.T) {
	now, _ := time.Parse(time.RFC3339, "2026-11-29T10:00:00Z")
	q := OpenQuota(t.TempDir(), Limits{Units: 1000, Uploads: 2}, func() time.Time { return now })
	for _, m := range []string{"videos.insert", "captions.insert", "playlistItems.insert", "playlists.list"} {
		if err := q.Spend(m); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := q.Today()
	if d := cmp.Diff(Usage{Day: "2026-11-29", Units: 451, Uploads: 1}, u); d != "" {
		t.Errorf("usage (-want +got):\n%s", d)
	}
	left, _ := q.Left()
	if d := cmp.Diff(Left{Units: 549, Uploads: 1, Reset: NextReset(now)}, left); d != "" {
		t.Errorf("left today (-want +got):\n%s", d)
	}
	now = now.Add(24 * time.Hour)
	if u, _ := q.Today(); u.Units != 0 || u.Day != "2026-11-30" {
		t.Errorf("the next day starts with %+v", u)
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		h    string
		want int64
		ok   bool
	}{{"", 0, true}, {"bytes=0-999", 1000, true}, {"bytes=0-1000", 0, false}, {"junk", 0, false}} {
		got, err := parseRange(tc.h, 1000)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("parseRange(%q) = %d, %v; want %d, ok %v", tc.h, got, err, tc.want, tc.ok)
		}
	}
}

func TestSaveTokenIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "config", "lessonpub")
	path := filepath.Join(dir, "token.json")
	for _, access := range []string{"first", "second"} { // made, then replaced
		if err := SaveToken(path, &oauth2.Token{AccessToken: access, RefreshToken: "r"}); err != nil {
			t.Fatal(err)
		}
		tok, err := LoadToken(path)
		if err != nil || tok.AccessToken != access {
			t.Fatalf("LoadToken after saving %q: %v, %v", access, tok, err)
		}
		for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s: mode %v, want %v", p, got, want)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files beside the token, want none (no temporary file left)", len(entries)-1)
	}
}
