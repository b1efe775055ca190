package youtubetest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	youtube "google.golang.org/api/youtube/v3"
)

func TestTokenRefreshAndRevoke(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	ctx := context.Background()
	conf := s.OAuthConfig("")
	tok := s.IssueToken()
	s.ExpireAccessTokens()
	tok.Expiry = tok.Expiry.Add(-2 * 3600e9) // the client knows it expired

	src := conf.TokenSource(ctx, tok)
	svc, err := youtube.NewService(ctx, option.WithEndpoint(s.URL+"/"), option.WithTokenSource(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Channels.List([]string{"snippet"}).Mine(true).Do(); err != nil {
		t.Fatalf("call after refresh: %v", err)
	}
	if n := s.Calls("oauth.token"); n != 1 {
		t.Errorf("%d token requests, want 1 refresh", n)
	}

	s.RevokeRefreshTokens()
	_, err = conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	var rerr *oauth2.RetrieveError
	if !errors.As(err, &rerr) || rerr.ErrorCode != "invalid_grant" {
		t.Fatalf("refresh after revoke: %v, want invalid_grant", err)
	}
}

func TestExpiredAccessTokenGets401(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	tok := s.IssueToken()
	s.ExpireAccessTokens()
	svc, err := youtube.NewService(context.Background(), option.WithEndpoint(s.URL+"/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok.AccessToken})))
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Channels.List([]string{"snippet"}).Mine(true).Do()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) || gerr.Code != 401 || !strings.Contains(gerr.Header.Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("call with an expired token: %v, want 401 with WWW-Authenticate invalid_token", err)
	}
	if units, _ := s.QuotaUsed(); units != 0 {
		t.Errorf("a rejected call cost %d units, want 0", units)
	}
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	ctx := context.Background()
	conf := s.OAuthConfig("http://127.0.0.1:1/callback")
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("state-123", oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier))

	// Follow /auth by hand: the redirect target does not listen.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("/auth answered %d %q, want a redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
	if loc.Host != "127.0.0.1:1" || loc.Query().Get("state") != "state-123" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect to %s, want the callback with code and state", loc)
	}
	code := loc.Query().Get("code")

	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption("wrong-verifier-wrong-verifier-wrong-verifier")); err == nil {
		t.Error("exchange with a wrong PKCE verifier succeeded")
	}
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Errorf("token %+v: want access and refresh tokens and an expiry", tok)
	}
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err == nil {
		t.Error("a code was exchanged twice")
	}
	if q := s.AuthRequests()[0].Query; q.Get("code_challenge_method") != "S256" || q.Get("access_type") != "offline" {
		t.Errorf("recorded auth request %v lacks the PKCE method or offline access", q)
	}

	s.Fail(youtubetest.Fault{Method: "oauth.auth", Kind: youtubetest.Denied})
	resp, err = noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, _ := url.Parse(resp.Header.Get("Location")); loc.Query().Get("error") != "access_denied" {
		t.Errorf("denied sign-in redirected to %s, want error=access_denied", loc)
	}
}
