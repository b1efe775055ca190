package youtube

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// DefaultEndpoint is the base URL of the YouTube Data API, for API calls and
// uploads alike.
const DefaultEndpoint = "https://youtube.googleapis.com/"

// Scope is the one OAuth scope lessonpub asks for: it covers uploads,
// captions, playlists and thumbnails.
const Scope = "https://www.googleapis.com/auth/youtube.force-ssl"

// Config says where lessonpub keeps its YouTube files and how it talks to
// YouTube. ConfigFromEnv fills it the way the lessonpub command does; tests
// set the fields directly.
type Config struct {
	// ClientSecretsFile is Google's "installed" (Desktop app) client JSON.
	ClientSecretsFile string
	// TokenFile holds the signed-in user's OAuth token (0600).
	TokenFile string
	// StateDir keeps today's quota use and unfinished upload sessions.
	StateDir string
	// Endpoint is the API base URL, ending in "/"; DefaultEndpoint when "".
	Endpoint string
	// Limits are the project's daily quota limits.
	Limits Limits
	// Retry is the backoff for transient failures; DefaultRetry when zero.
	Retry Retry
	// HTTPClient carries every request (API, uploads, token refreshes); its
	// Transport is wrapped with the OAuth token. http.DefaultClient when nil.
	HTTPClient *http.Client
	// Log receives progress notes and warnings (never tokens); may be nil.
	Log io.Writer
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// ConfigFromEnv resolves the default locations, honouring
// LESSONPUB_CLIENT_SECRETS, LESSONPUB_TOKEN, LESSONPUB_STATE_DIR,
// LESSONPUB_YOUTUBE_ENDPOINT, LESSONPUB_QUOTA_UNITS, LESSONPUB_QUOTA_UPLOADS and
// LESSONPUB_RETRY_INITIAL (the first wait before a retry, e.g. "2s"), and
// XDG_CONFIG_HOME, XDG_STATE_HOME, HOME.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		ClientSecretsFile: getenv("LESSONPUB_CLIENT_SECRETS"),
		TokenFile:         getenv("LESSONPUB_TOKEN"),
		StateDir:          getenv("LESSONPUB_STATE_DIR"),
		Endpoint:          getenv("LESSONPUB_YOUTUBE_ENDPOINT"),
		Limits:            DefaultLimits(),
	}
	if cfg.ClientSecretsFile == "" || cfg.TokenFile == "" {
		dir, err := configDir(getenv)
		if err != nil {
			return Config{}, err
		}
		if cfg.ClientSecretsFile == "" {
			cfg.ClientSecretsFile = filepath.Join(dir, "client_secret.json")
		}
		if cfg.TokenFile == "" {
			cfg.TokenFile = filepath.Join(dir, "token.json")
		}
	}
	if cfg.StateDir == "" {
		dir, err := stateDir(getenv)
		if err != nil {
			return Config{}, err
		}
		cfg.StateDir = dir
	}
	for _, l := range []struct {
		name string
		dst  *int
	}{
		{"LESSONPUB_QUOTA_UNITS", &cfg.Limits.Units},
		{"LESSONPUB_QUOTA_UPLOADS", &cfg.Limits.Uploads},
	} {
		v := getenv(l.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return Config{}, fmt.Errorf("%s=%q is not a positive whole number: set it to your project's daily limit from the Google Cloud console, or unset it", l.name, v)
		}
		*l.dst = n
	}
	if v := getenv("LESSONPUB_RETRY_INITIAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("LESSONPUB_RETRY_INITIAL=%q is not a duration like 2s or 500ms: fix or unset it", v)
		}
		cfg.Retry.Initial = d
	}
	return cfg, nil
}

// configDir is os.UserConfigDir()/lessonpub, read through getenv.
func configDir(getenv func(string) string) (string, error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if d := getenv("XDG_CONFIG_HOME"); d != "" {
			return filepath.Join(d, "lessonpub"), nil
		}
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, ".config", "lessonpub"), nil
		}
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration folder: %w (set LESSONPUB_TOKEN and LESSONPUB_CLIENT_SECRETS instead)", err)
	}
	return filepath.Join(d, "lessonpub"), nil
}

// stateDir is $XDG_STATE_HOME/lessonpub or ~/.local/state/lessonpub.
func stateDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "lessonpub"), nil
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "lessonpub"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the state folder: %w (set LESSONPUB_STATE_DIR)", err)
	}
	return filepath.Join(d, "lessonpub"), nil
}

func (cfg *Config) endpoint() string {
	if cfg.Endpoint == "" {
		return DefaultEndpoint
	}
	if cfg.Endpoint[len(cfg.Endpoint)-1] != '/' {
		return cfg.Endpoint + "/"
	}
	return cfg.Endpoint
}

func (cfg *Config) now() time.Time {
	if cfg.Now == nil {
		return time.Now()
	}
	return cfg.Now()
}

func (cfg *Config) httpClient() *http.Client {
	if cfg.HTTPClient == nil {
		return http.DefaultClient
	}
	return cfg.HTTPClient
}

func (cfg *Config) logf(format string, args ...any) {
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, format+"\n", args...)
	}
}
