package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSettingsFolders(t *testing.T) {
	for _, tc := range []struct {
		goos         string
		env          map[string]string
		token, state string
	}{
		{"linux", map[string]string{"HOME": "/home/a"}, "/home/a/.config/lessonpub/token.json", "/home/a/.local/state/lessonpub"},
		{"linux", map[string]string{"HOME": "/home/a", "XDG_CONFIG_HOME": "/c", "XDG_STATE_HOME": "/s"}, "/c/lessonpub/token.json", "/s/lessonpub"},
		{"darwin", map[string]string{"HOME": "/Users/a"}, "/Users/a/Library/Application Support/lessonpub/token.json", "/Users/a/Library/Application Support/lessonpub"},
		{"windows", map[string]string{"AppData": `C:\Users\a\AppData\Roaming`, "LocalAppData": `C:\Users\a\AppData\Local`},
			filepath.Join(`C:\Users\a\AppData\Roaming`, "lessonpub", "token.json"), filepath.Join(`C:\Users\a\AppData\Local`, "lessonpub")},
		{"linux", map[string]string{"LESSONPUB_TOKEN": "/t.json", "LESSONPUB_CLIENT_SECRETS": "/c.json", "LESSONPUB_STATE_DIR": "/st"}, "/t.json", "/st"},
	} {
		s, err := readSettings(func(k string) string { return tc.env[k] }, tc.goos)
		if err != nil {
			t.Errorf("%s %v: %v", tc.goos, tc.env, err)
			continue
		}
		if s.TokenFile != tc.token || s.StateDir != tc.state {
			t.Errorf("%s %v: token %q, state %q; want %q, %q", tc.goos, tc.env, s.TokenFile, s.StateDir, tc.token, tc.state)
		}
	}
}

func TestReadSettingsRefusesBadValues(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"LESSONPUB_QUOTA_UNITS", "abc", "not a positive whole number"},
		{"LESSONPUB_QUOTA_UPLOADS", "-1", "not a positive whole number"},
		{"LESSONPUB_YOUTUBE_ENDPOINT", "http://[::1", "not a web address"},
		{"LESSONPUB_YOUTUBE_ENDPOINT", "localhost:8080", "not a web address"},
		{"LESSONPUB_RETRY_INITIAL", "soon", "not a duration"},
	} {
		env := map[string]string{"HOME": "/home/a", tc.name: tc.value}
		_, err := readSettings(func(k string) string { return env[k] }, "linux")
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(err.Error(), tc.name+"=") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%s: got %v, want exit %d saying %q", tc.name, tc.value, err, exitUsage, tc.want)
		}
	}
}
