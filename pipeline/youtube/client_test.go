package youtube_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// fastRetry keeps the backoff of the tests in milliseconds.
var fastRetry = youtube.Retry{Initial: time.Millisecond, Max: 4 * time.Millisecond, Attempts: 8}

// newConfig returns a configuration for srv with its own folders, signed in
// when signedIn is set.
func newConfig(t *testing.T, srv *youtubetest.Server, signedIn bool) youtube.Config {
	t.Helper()
	dir := t.TempDir()
	cfg := youtube.Config{
		ClientSecretsFile: filepath.Join(dir, "config", "client_secret.json"),
		TokenFile:         filepath.Join(dir, "config", "token.json"),
		StateDir:          filepath.Join(dir, "state"),
		Endpoint:          srv.URL + "/",
		Retry:             fastRetry,
		Limits:            youtube.DefaultLimits(),
	}
	if err := os.MkdirAll(filepath.Dir(cfg.ClientSecretsFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.ClientSecretsFile, srv.ClientSecretsJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	if signedIn {
		if err := youtube.SaveToken(cfg.TokenFile, srv.IssueToken()); err != nil {
			t.Fatal(err)
		}
	}
	return cfg
}

func newServerClient(t *testing.T, opts ...youtubetest.Option) (*youtubetest.Server, *youtube.Client, youtube.Config) {
	t.Helper()
	srv := youtubetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	cfg := newConfig(t, srv, true)
	c, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, cfg
}

// writeFile writes n pseudo-random bytes and returns the path and SHA-256.
func writeFile(t *testing.T, n int) (string, string) {
	t.Helper()
	data := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	path := filepath.Join(t.TempDir(), "lesson.mp4")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return path, hex.EncodeToString(sum[:])
}

func mustFail(t *testing.T, srv *youtubetest.Server, faults ...string) {
	t.Helper()
	for _, text := range faults {
		f, err := youtubetest.ParseFault(text)
		if err != nil {
			t.Fatal(err)
		}
		srv.Fail(f)
	}
}

func TestLoginLoopbackSavesToken(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	cfg := newConfig(t, srv, false)
	var prompt bytes.Buffer
	browse := func(url string) error {
		// The fake approves at once and redirects to lessonpub's loopback.
		resp, err := srv.Client().Get(url)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
	tok, err := youtube.Login(context.Background(), cfg, youtube.LoginOptions{Prompt: lineTo(&prompt), OpenBrowser: browse})
	if err != nil {
		t.Fatalf("Login: %v\n%s", err, prompt.String())
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token: offline access was not asked")
	}
	reqs := srv.AuthRequests()
	if len(reqs) != 1 {
		t.Fatalf("auth requests: got %d, want 1", len(reqs))
	}
	q := reqs[0].Query
	got := map[string]string{
		"code_challenge_method": q.Get("code_challenge_method"),
		"access_type":           q.Get("access_type"),
		"prompt":                q.Get("prompt"),
		"scope":                 q.Get("scope"),
		"redirect_uri":          strings.Split(q.Get("redirect_uri"), ":")[1],
	}
	want := map[string]string{
		"code_challenge_method": "S256",
		"access_type":           "offline",
		"prompt":                "consent",
		"scope":                 youtube.Scope,
		"redirect_uri":          "//127.0.0.1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("authorization request (-want +got):\n%s", d)
	}
	if len(q.Get("state")) < 16 {
		t.Errorf("state %q is too short to be random", q.Get("state"))
	}
	assertTokenFile(t, cfg.TokenFile, tok.AccessToken)
	if strings.Contains(prompt.String(), tok.AccessToken) || strings.Contains(prompt.String(), tok.RefreshToken) {
		t.Error("the prompt shows a token")
	}
	if !strings.Contains(prompt.String(), srv.URL+"/auth?") {
		t.Errorf("the prompt does not show the sign-in address:\n%s", prompt.String())
	}

	// The saved sign-in works.
	c, err := youtube.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.Channel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ch.Id != srv.ChannelID() {
		t.Errorf("channel: got %s, want %s", ch.Id, srv.ChannelID())
	}
}

// TestLoginTranslatable checks that Login says everything through
// messages a caller can translate: the prompt gets each instruction as its
// English format with the address as an argument, and the page the browser
// ends on is made with Translate.
func TestLoginTranslatable(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	cfg := newConfig(t, srv, false)
	var said []*captions.Text
	var page string
	browse := func(url string) error {
		resp, err := srv.Client().Get(url) // ends on lessonpub's loopback page
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		page = string(b)
		return err
	}
	_, err := youtube.Login(context.Background(), cfg, youtube.LoginOptions{
		Prompt:      func(m *captions.Text) { said = append(said, m) },
		Translate:   func(m *captions.Text) string { return "«" + m.Format + "»" },
		OpenBrowser: browse,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(said) == 0 || !strings.HasPrefix(said[0].Format, "Sign in to YouTube") || len(said[0].Args) != 1 ||
		!strings.HasPrefix(fmt.Sprint(said[0].Args[0]), srv.URL+"/auth?") {
		t.Errorf("first instruction: got %#v, want the address as the argument of a constant format", said)
	}
	for _, want := range []string{"<h1>«Signed in»</h1>", "«lessonpub may now publish to your channel. You can close this tab.»"} {
		if !strings.Contains(page, want) {
			t.Errorf("the browser's page lacks %q:\n%s", want, page)
		}
	}
}

func assertTokenFile(t *testing.T, path, accessToken string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode: got %v, want 0600", fi.Mode().Perm())
	}
	saved, err := youtube.LoadToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if saved.AccessToken != accessToken {
		t.Errorf("saved access token is not the newest one")
	}
}

// lineTo writes each message of the prompt to w in English, one to a line,
// as the command does in its language.
func lineTo(w io.Writer) func(*captions.Text) {
	return func(t *captions.Text) { fmt.Fprintln(w, t) }
}

// pasteWriter hands the sign-in address shown in the prompt to a channel.
type pasteWriter struct {
	buf  bytes.Buffer
	urls chan string
}

func (w *pasteWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	for _, f := range strings.Fields(string(p)) {
		if strings.Contains(f, "/auth?") {
			w.urls <- f
		}
	}
	return len(p), nil
}

func TestLoginNoBrowserPaste(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	cfg := newConfig(t, srv, false)
	pr, pw := io.Pipe()
	prompt := &pasteWriter{urls: make(chan string, 1)}
	go func() {
		url := <-prompt.urls
		// The user's browser elsewhere: it ends on the loopback address,
		// which the user copies back.
		hc := srv.Client()
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := hc.Get(url)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		resp.Body.Close()
		pw.Write([]byte("\n  " + resp.Header.Get("Location") + "  \n"))
	}()
	opened := false
	tok, err := youtube.Login(context.Background(), cfg, youtube.LoginOptions{
		NoBrowser: true, Paste: pr, Prompt: lineTo(prompt),
		OpenBrowser: func(string) error { opened = true; return nil },
	})
	if err != nil {
		t.Fatalf("Login: %v\n%s", err, prompt.buf.String())
	}
	if opened {
		t.Error("a browser was opened with NoBrowser")
	}
	assertTokenFile(t, cfg.TokenFile, tok.AccessToken)
}

func TestLoginNoBrowserNothingPasted(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	cfg := newConfig(t, srv, false)
	_, err := youtube.Login(context.Background(), cfg, youtube.LoginOptions{NoBrowser: true, Paste: strings.NewReader("")})
	if err == nil || !strings.Contains(err.Error(), "--no-browser") {
		t.Errorf("got %v, want an error naming --no-browser", err)
	}
	if _, err := os.Stat(cfg.TokenFile); err == nil {
		t.Error("a token was saved")
	}
}

func TestLoginDenied(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	cfg := newConfig(t, srv, false)
	mustFail(t, srv, "oauth.auth denied")
	browse := func(url string) error {
		resp, err := srv.Client().Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	_, err := youtube.Login(context.Background(), cfg, youtube.LoginOptions{OpenBrowser: browse})
	if err == nil || !strings.Contains(err.Error(), "test user") {
		t.Errorf("got %v, want access denied naming test users", err)
	}
}

func TestRefreshedTokenIsSaved(t *testing.T) {
	srv, c, cfg := newServerClient(t)
	before := c.Token()
	srv.ExpireAccessTokens() // the client still thinks its token valid: 401
	if _, err := c.Channel(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := c.Token()
	if after.AccessToken == before.AccessToken {
		t.Fatal("the access token was not renewed")
	}
	if after.RefreshToken != before.RefreshToken {
		t.Error("the refresh token was lost")
	}
	assertTokenFile(t, cfg.TokenFile, after.AccessToken)
}

func TestInvalidGrantIsNotSignedIn(t *testing.T) {
	srv, c, _ := newServerClient(t)
	srv.RevokeRefreshTokens()
	srv.ExpireAccessTokens()
	_, err := c.Channel(context.Background())
	if !errors.Is(err, youtube.ErrNotSignedIn) {
		t.Fatalf("got %v, want ErrNotSignedIn", err)
	}
	for _, want := range []string{"lessonpub auth login", "7 days", "Testing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("the cause is not kept: %v", err)
	}
}

func TestNoTokenIsNotSignedIn(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	_, err := youtube.New(context.Background(), newConfig(t, srv, false))
	if !errors.Is(err, youtube.ErrNotSignedIn) || !strings.Contains(err.Error(), "lessonpub auth login") {
		t.Errorf("got %v, want ErrNotSignedIn with advice", err)
	}
}

func TestTransientErrorsAreRetried(t *testing.T) {
	srv, c, _ := newServerClient(t)
	mustFail(t, srv, "channels.list unavailable 2", "channels.list too-many-requests 1", "channels.list reset 1")
	if _, err := c.Channel(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("channels.list"); got != 5 {
		t.Errorf("channels.list calls: got %d, want 5", got)
	}
}

func TestGivingUpSaysWhatToDo(t *testing.T) {
	for _, tc := range []struct{ fault, want string }{
		{"channels.list unavailable always", "YouTube kept failing: run the same command again later"},
		{"channels.list reset always", "check the internet connection"},
	} {
		srv, c, _ := newServerClient(t)
		mustFail(t, srv, tc.fault)
		_, err := c.Channel(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error saying %q", tc.fault, err, tc.want)
		}
		if got := srv.Calls("channels.list"); got != fastRetry.Attempts {
			t.Errorf("%s: %d calls, want %d", tc.fault, got, fastRetry.Attempts)
		}
	}
}

func TestQuotaExceededStopsWithoutRetry(t *testing.T) {
	srv, c, _ := newServerClient(t)
	mustFail(t, srv, "playlists.list quota-exceeded always")
	_, _, err := c.FindPlaylist(context.Background(), "bead-jewellery", "Bead jewellery")
	if !errors.Is(err, pipeline.ErrDailyLimit) {
		t.Fatalf("got %v, want pipeline.ErrDailyLimit", err)
	}
	if got := srv.Calls("playlists.list"); got != 1 {
		t.Errorf("playlists.list calls: got %d, want 1 (no retry into a wall)", got)
	}
	var le *youtube.LimitError
	if !errors.As(err, &le) || !le.RetryAt.Equal(youtube.NextReset(time.Now())) {
		t.Errorf("rerun time: got %+v, want next midnight Pacific", le)
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 403 {
		t.Errorf("YouTube's answer is not kept: %v", err)
	}
	left, err := c.Quota().Left()
	if err != nil || left.Units != 0 {
		t.Errorf("after quotaExceeded %d units are left (%v), want 0", left.Units, err)
	}
}

func TestDailyUploadLimit(t *testing.T) {
	srv, c, _ := newServerClient(t, youtubetest.WithQuota(10000, 0))
	path, _ := writeFile(t, 1000)
	_, err := c.Upload(context.Background(), path, youtube.NewVideo(youtube.Metadata{Title: "x", Key: "k"}), youtube.UploadOptions{Key: "k"})
	var le *youtube.LimitError
	if !errors.As(err, &le) || !errors.Is(err, pipeline.ErrDailyLimit) {
		t.Fatalf("got %v, want a LimitError", err)
	}
	if srv.Calls("videos.insert") != 1 || len(srv.Videos()) != 0 {
		t.Errorf("videos.insert calls %d, videos %d: want 1 and 0", srv.Calls("videos.insert"), len(srv.Videos()))
	}
}

func TestQuotaCountMatchesServer(t *testing.T) {
	srv, c, _ := newServerClient(t)
	ctx := context.Background()
	p, _, err := c.EnsurePlaylist(ctx, "", youtube.PlaylistSpec{Title: "Course"})
	if err != nil {
		t.Fatal(err)
	}
	path, _ := writeFile(t, 1000)
	v, err := c.Upload(ctx, path, youtube.NewVideo(youtube.Metadata{Title: "L1", Key: "c/l1"}), youtube.UploadOptions{Key: "c/l1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddToPlaylist(ctx, p.Id, v.Id, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadCaption(ctx, v.Id, "az", "Azərbaycan", strings.NewReader("1\n00:00:00,000 --> 00:00:01,000\nSalam\n")); err != nil {
		t.Fatal(err)
	}
	units, uploads := srv.QuotaUsed()
	u, err := c.Quota().Today()
	if err != nil {
		t.Fatal(err)
	}
	if u.Units != units || u.Uploads != uploads {
		t.Errorf("counted units %d uploads %d, server %d %d", u.Units, u.Uploads, units, uploads)
	}
}
