package main

import (
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// settings are what lessonpub reads from its environment: read and checked
// once (env.settings), the same way for every command. A bad setting is a
// usage error (exit 2) with one message form: NAME="value" is not ...: what
// to do.
type settings struct {
	// ClientSecretsFile is Google's Desktop app client JSON
	// (LESSONPUB_CLIENT_SECRETS, else client_secret.json in the config folder).
	ClientSecretsFile string
	// TokenFile holds the sign-in (LESSONPUB_TOKEN, else token.json in the
	// config folder).
	TokenFile string
	// StateDir keeps renders waiting for upload, the hash cache, today's
	// quota use and upload sessions (LESSONPUB_STATE_DIR).
	StateDir string
	// Endpoint is the YouTube API base URL (LESSONPUB_YOUTUBE_ENDPOINT);
	// youtube.DefaultEndpoint when "".
	Endpoint string
	// Limits are the daily quota (LESSONPUB_QUOTA_UNITS, LESSONPUB_QUOTA_UPLOADS).
	Limits youtube.Limits
	// RetryInitial is the first wait before a retry (LESSONPUB_RETRY_INITIAL);
	// the client's default when 0.
	RetryInitial time.Duration
	// UploadChunk is the bytes sent per upload request
	// (LESSONPUB_UPLOAD_CHUNK, rounded up to 256 KiB); the client's
	// default when 0. Set it behind a proxy that limits request sizes.
	UploadChunk int64
}

// settings returns the environment's settings, read on first use.
func (e *env) settings() (*settings, error) {
	e.settingsOnce.Do(func() {
		e.settingsVal, e.settingsErr = readSettings(e.getenv, runtime.GOOS)
	})
	return e.settingsVal, e.settingsErr
}

// settingsCache holds what env.settings read.
type settingsCache struct {
	settingsOnce sync.Once
	settingsVal  *settings
	settingsErr  error
}

// readSettings reads the settings for the operating system goos. The
// folders follow each system's convention when the LESSONPUB_ variables
// leave them out: on Linux and other Unix systems $XDG_CONFIG_HOME/lessonpub
// (~/.config/lessonpub) and $XDG_STATE_HOME/lessonpub
// (~/.local/state/lessonpub); on macOS both in ~/Library/Application
// Support/lessonpub; on Windows %AppData%\lessonpub and
// %LocalAppData%\lessonpub.
func readSettings(getenv func(string) string, goos string) (*settings, error) {
	s := &settings{
		ClientSecretsFile: getenv("LESSONPUB_CLIENT_SECRETS"),
		TokenFile:         getenv("LESSONPUB_TOKEN"),
		StateDir:          getenv("LESSONPUB_STATE_DIR"),
		Endpoint:          getenv("LESSONPUB_YOUTUBE_ENDPOINT"),
		Limits:            youtube.DefaultLimits(),
	}
	if s.ClientSecretsFile == "" || s.TokenFile == "" {
		dir, err := userDir(getenv, goos, false)
		if err != nil {
			return nil, badSetting(captions.Errorf("finding the configuration folder: %w (set LESSONPUB_TOKEN and LESSONPUB_CLIENT_SECRETS instead)", err))
		}
		if s.ClientSecretsFile == "" {
			s.ClientSecretsFile = filepath.Join(dir, "client_secret.json")
		}
		if s.TokenFile == "" {
			s.TokenFile = filepath.Join(dir, "token.json")
		}
	}
	if s.StateDir == "" {
		dir, err := userDir(getenv, goos, true)
		if err != nil {
			return nil, badSetting(captions.Errorf("finding the state folder: %w (set LESSONPUB_STATE_DIR)", err))
		}
		s.StateDir = dir
	}
	if v := s.Endpoint; v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, badSetting(captions.Errorf("LESSONPUB_YOUTUBE_ENDPOINT=%q is not a web address like %s: fix or unset it", v, youtube.DefaultEndpoint))
		}
	}
	for _, l := range []struct {
		name string
		dst  *int
	}{
		{"LESSONPUB_QUOTA_UNITS", &s.Limits.Units},
		{"LESSONPUB_QUOTA_UPLOADS", &s.Limits.Uploads},
	} {
		v := getenv(l.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, badSetting(captions.Errorf("%s=%q is not a positive whole number: set it to your project's daily limit from the Google Cloud console, or unset it", l.name, v))
		}
		*l.dst = n
	}
	if v := getenv("LESSONPUB_RETRY_INITIAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, badSetting(captions.Errorf("LESSONPUB_RETRY_INITIAL=%q is not a duration like 2s or 500ms: fix or unset it", v))
		}
		s.RetryInitial = d
	}
	if v := getenv("LESSONPUB_UPLOAD_CHUNK"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, badSetting(captions.Errorf("LESSONPUB_UPLOAD_CHUNK=%q is not a positive number of bytes such as 8388608: fix or unset it", v))
		}
		s.UploadChunk = n
	}
	return s, nil
}

// badSetting is a setting that cannot be used: exit 2.
func badSetting(err error) error { return &exitError{code: exitUsage, err: err} }

// userDir is lessonpub's folder for configuration, or with state for state,
// by the conventions of goos (see readSettings).
func userDir(getenv func(string) string, goos string, state bool) (string, error) {
	join := func(parts ...string) string { return filepath.Join(append(parts, "lessonpub")...) }
	switch goos {
	case "windows":
		name := "AppData"
		if state {
			name = "LocalAppData"
		}
		if d := getenv(name); d != "" {
			return join(d), nil
		}
		return "", captions.Errorf("%%%s%% is not set", name)
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return join(h, "Library", "Application Support"), nil
		}
		return "", captions.Errorf("$HOME is not set")
	}
	xdg, home := "XDG_CONFIG_HOME", []string{".config"}
	if state {
		xdg, home = "XDG_STATE_HOME", []string{".local", "state"}
	}
	if d := getenv(xdg); d != "" {
		return join(d), nil
	}
	if h := getenv("HOME"); h != "" {
		return join(append([]string{h}, home...)...), nil
	}
	return "", captions.Errorf("neither $%s nor $HOME is set", xdg)
}

// youtubeConfig is the YouTube client's configuration from the settings,
// logging to log.
func (s *settings) youtubeConfig(log func(*captions.Text)) youtube.Config {
	return youtube.Config{
		ClientSecretsFile: s.ClientSecretsFile,
		TokenFile:         s.TokenFile,
		StateDir:          s.StateDir,
		Endpoint:          s.Endpoint,
		Limits:            s.Limits,
		Retry:             youtube.Retry{Initial: s.RetryInitial},
		Log:               log,
	}
}
