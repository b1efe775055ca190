package youtube

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"

	"golang.org/x/oauth2"
	"google.golang.org/api/option"
	yt "google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/captions"
)

// Client talks to YouTube for one signed-in channel: every call goes through
// one retry policy and is counted against the daily quota.
type Client struct {
	cfg      Config
	svc      *yt.Service
	http     *http.Client // authenticated, redirects not followed (uploads)
	tokens   *savingTokenSource
	quota    *Quota
	retry    Retry
	endpoint string
}

// New returns a client signed in with the saved token. With no token, the
// error wraps ErrNotSignedIn. It makes no request.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if _, err := os.Stat(cfg.ClientSecretsFile); errors.Is(err, fs.ErrNotExist) {
		return nil, &NotSignedInError{
			Reason: captions.Textf("lessonpub has no OAuth client yet (no %s)", cfg.ClientSecretsFile),
			Err:    err,
			Hint:   captions.Textf(`sign in once with 'lessonpub auth login --client-secrets FILE', where FILE is the JSON of an OAuth client of type "Desktop app" from the Google Cloud console (the README's "Signing in to YouTube" shows how to make one)`),
		}
	}
	conf, err := LoadClientSecrets(cfg.ClientSecretsFile)
	if err != nil {
		return nil, err
	}
	tok, err := LoadToken(cfg.TokenFile)
	if err != nil {
		return nil, err
	}
	base := cfg.httpClient()
	ts := &savingTokenSource{
		ctx:  context.WithValue(context.Background(), oauth2.HTTPClient, base),
		conf: conf,
		path: cfg.TokenFile,
		tok:  tok,
	}
	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	authed := &http.Client{
		Transport: &oauth2.Transport{Source: ts, Base: transport},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: base.Timeout,
	}
	endpoint := cfg.endpoint()
	svc, err := yt.NewService(ctx, option.WithHTTPClient(authed), option.WithEndpoint(endpoint))
	if err != nil {
		return nil, captions.Errorf("setting up the YouTube client: %w", err)
	}
	return &Client{
		cfg:      cfg,
		svc:      svc,
		http:     authed,
		tokens:   ts,
		quota:    OpenQuota(cfg.StateDir, cfg.Limits, cfg.Now),
		retry:    cfg.Retry.orDefault(),
		endpoint: endpoint,
	}, nil
}

// Quota is the client's quota counter.
func (c *Client) Quota() *Quota { return c.quota }

// Token returns the current token (for showing its expiry; never print it).
func (c *Client) Token() oauth2.Token { return c.tokens.current() }

// Channel returns the signed-in user's channel (channels.list mine=true).
func (c *Client) Channel(ctx context.Context) (*yt.Channel, error) {
	var res *yt.ChannelListResponse
	err := c.call(ctx, "channels.list", func(ctx context.Context) (err error) {
		res, err = c.svc.Channels.List([]string{"snippet", "contentDetails"}).Mine(true).Context(ctx).Do()
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(res.Items) == 0 {
		return nil, captions.Errorf("the signed-in Google account has no YouTube channel: create one at https://m.youtube.com/create_channel?chromeless=1&next=/channel_creation_done, or run 'lessonpub auth login' with the channel's account")
	}
	return res.Items[0], nil
}
