package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/oauth2"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// signInHint is the advice every ErrNotSignedIn error ends with.
func signInHint() *captions.Text {
	return captions.Textf(`run 'lessonpub auth login' to sign in again (if it keeps happening every week: OAuth apps left in "Testing" status on the Google Cloud consent screen get refresh tokens that expire after 7 days; publish the app to "In production" to stop that)`)
}

// NotSignedInError says why the user must sign in again. It wraps
// ErrNotSignedIn. Its message is kept as English format and arguments
// (Parts), so that the command can show it translated.
type NotSignedInError struct {
	Reason *captions.Text // what happened, e.g. "no saved sign-in in /home/x/.config/lessonpub/token.json"
	Err    error          // the underlying error, if any
	Hint   *captions.Text // what to do; nil for the usual advice to sign in again
}

func (e *NotSignedInError) text() *captions.Text {
	hint := e.Hint
	if hint == nil {
		hint = signInHint()
	}
	return captions.Textf("not signed in to YouTube: %s: %s", e.Reason, hint)
}

// Parts returns the English format of the message and its arguments.
func (e *NotSignedInError) Parts() (string, []any) { return e.text().Parts() }

func (e *NotSignedInError) Error() string { return e.text().String() }

// Unwrap lets errors.Is find ErrNotSignedIn and errors.As the cause.
func (e *NotSignedInError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrNotSignedIn}
	}
	return []error{ErrNotSignedIn, e.Err}
}

// installedClient is the part of Google's client secrets JSON lessonpub uses.
type installedClient struct {
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
	AuthURI      string   `json:"auth_uri"`
	TokenURI     string   `json:"token_uri"`
	RedirectURIs []string `json:"redirect_uris"`
}

// LoadClientSecrets reads Google's "installed" (Desktop app) client secrets
// JSON, as downloaded from the Google Cloud console, into an OAuth config for
// the youtube.force-ssl scope. Its auth_uri and token_uri are used as given.
func LoadClientSecrets(path string) (*oauth2.Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, captions.Errorf("no OAuth client secrets at %s: in the Google Cloud console create an OAuth client of type \"Desktop app\", download its JSON and pass it with --client-secrets FILE (or set LESSONPUB_CLIENT_SECRETS, or save it as %s)", path, path)
	}
	if err != nil {
		return nil, captions.Errorf("reading OAuth client secrets: %w", err)
	}
	var f struct {
		Installed *installedClient `json:"installed"`
		Web       *installedClient `json:"web"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, captions.Errorf("%s is not a Google client secrets JSON file (%v): download it again from the Google Cloud console, Credentials, OAuth client of type \"Desktop app\"", path, err)
	}
	c := f.Installed
	switch {
	case c == nil && f.Web != nil:
		return nil, captions.Errorf("%s is for a \"Web application\" OAuth client: create an OAuth client of type \"Desktop app\" in the Google Cloud console and download its JSON", path)
	case c == nil:
		return nil, captions.Errorf("%s has no \"installed\" client: download the JSON of an OAuth client of type \"Desktop app\" from the Google Cloud console", path)
	case c.ClientID == "" || c.AuthURI == "" || c.TokenURI == "":
		return nil, captions.Errorf("%s lacks client_id, auth_uri or token_uri: download it again from the Google Cloud console", path)
	}
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: c.AuthURI, TokenURL: c.TokenURI},
		Scopes:       []string{Scope},
	}, nil
}

// InstallClientSecrets checks the client secrets file src and copies it to
// dst (0600), where later runs find it.
func InstallClientSecrets(src, dst string) error {
	if _, err := LoadClientSecrets(src); err != nil {
		return err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := writeSecret(dst, data); err != nil {
		return captions.Errorf("saving the client secrets to %s: %w", dst, err)
	}
	return nil
}

// LoadToken reads the saved OAuth token. A missing file is an error wrapping
// ErrNotSignedIn.
func LoadToken(path string) (*oauth2.Token, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotSignedInError{Reason: captions.Textf("no saved sign-in in %s", path)}
	}
	if err != nil {
		return nil, captions.Errorf("reading the saved sign-in: %w", err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(data, &tok); err != nil || (tok.AccessToken == "" && tok.RefreshToken == "") {
		return nil, &NotSignedInError{Reason: captions.Textf("the saved sign-in in %s is damaged", path), Err: err}
	}
	return &tok, nil
}

// SaveToken writes the token to path: mode 0600, folder 0700, atomically.
func SaveToken(path string, tok *oauth2.Token) error {
	data, err := json.MarshalIndent(tok, "", "  ")
	if err != nil {
		return err
	}
	if err := writeSecret(path, append(data, '\n')); err != nil {
		return captions.Errorf("saving the sign-in to %s: %w", path, err)
	}
	return nil
}

// writeSecret writes a file only its owner may read (0600), atomically,
// making its folder (0700) when needed.
func writeSecret(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, 0o600)
}

// DeleteToken removes the saved sign-in. It reports whether there was one.
func DeleteToken(path string) (bool, error) {
	err := os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, captions.Errorf("removing the saved sign-in: %w", err)
	}
	return true, nil
}

// savingTokenSource hands out the current access token, refreshes it when it
// expires and writes every refreshed token back to the token file, so a
// refresh token the server rotates is never lost.
type savingTokenSource struct {
	ctx  context.Context // carries the HTTP client for the token endpoint
	conf *oauth2.Config
	path string

	mu  sync.Mutex
	tok *oauth2.Token
}

func (s *savingTokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.Valid() {
		return s.tok, nil
	}
	if s.tok.RefreshToken == "" {
		return nil, &NotSignedInError{Reason: captions.Textf("the saved sign-in in %s has expired and cannot be renewed", s.path)}
	}
	// Config.TokenSource refreshes (the token it gets is expired) and keeps
	// the old refresh token when the server sends none.
	old := *s.tok
	old.AccessToken, old.Expiry = "", old.Expiry.AddDate(-1, 0, 0)
	tok, err := s.conf.TokenSource(s.ctx, &old).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && (re.ErrorCode == "invalid_grant" || re.ErrorCode == "unauthorized_client") {
			return nil, &NotSignedInError{Reason: captions.Textf("Google no longer accepts the saved sign-in (%s: expired or revoked)", re.ErrorCode), Err: err}
		}
		return nil, captions.Errorf("renewing the YouTube sign-in: %w", err)
	}
	if err := SaveToken(s.path, tok); err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

// expire forgets the access token, so the next request refreshes it. Used
// when the server rejects a token the client still thought valid.
func (s *savingTokenSource) expire(rejected string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.AccessToken == rejected {
		t := *s.tok
		t.AccessToken = ""
		s.tok = &t
	}
}

func (s *savingTokenSource) current() oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.tok
}
