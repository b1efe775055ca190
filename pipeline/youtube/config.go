package youtube

import (
	"net/http"
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// DefaultEndpoint is the base URL of the YouTube Data API, for API calls and
// uploads alike.
const DefaultEndpoint = "https://youtube.googleapis.com/"

// Scope is the one OAuth scope lessonpub asks for: it covers uploads,
// captions, playlists and thumbnails.
const Scope = "https://www.googleapis.com/auth/youtube.force-ssl"

// Config says where lessonpub keeps its YouTube files and how it talks to
// YouTube. The lessonpub command fills it from its settings; tests set the
// fields directly.
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
	// Log receives progress notes and warnings (never tokens), kept as
	// their English format for the caller to translate; may be nil.
	Log func(*captions.Text)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
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

// log passes a note to Log (made with captions.Textf, so that its English
// format can be translated).
func (cfg *Config) log(t *captions.Text) {
	if cfg.Log != nil {
		cfg.Log(t)
	}
}
