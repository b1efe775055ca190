package youtubetest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Scope is the OAuth scope the server grants when none is asked for.
const Scope = "https://www.googleapis.com/auth/youtube.force-ssl"

type tokenStore struct {
	access  map[string]accessToken
	refresh map[string]*refreshToken
	codes   map[string]authCode
}

type accessToken struct {
	expiry  time.Time
	refresh string // the refresh token it came from, if any
}

type refreshToken struct {
	revoked bool
	scope   string
}

type authCode struct {
	redirectURI string
	challenge   string // S256 code challenge, if any
	offline     bool
	scope       string
	used        bool
}

func newTokenStore() tokenStore {
	return tokenStore{
		access:  map[string]accessToken{},
		refresh: map[string]*refreshToken{},
		codes:   map[string]authCode{},
	}
}

// AuthRequest is what a client sent to the authorization endpoint.
type AuthRequest struct {
	Query url.Values // client_id, redirect_uri, scope, state, code_challenge, access_type, prompt...
}

// OAuthConfig returns a client configuration for the server's /auth and
// /token endpoints with the default client and scope. redirectURL may be
// empty when no authorization code flow is used.
func (s *Server) OAuthConfig(redirectURL string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.cfg.clientID,
		ClientSecret: s.cfg.clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:  s.URL + "/auth",
			TokenURL: s.URL + "/token",
		},
		RedirectURL: redirectURL,
		Scopes:      []string{Scope},
	}
}

// ClientSecretsJSON returns a client secrets file for the server, in the
// format Google Cloud Console downloads for a desktop ("installed") client.
func (s *Server) ClientSecretsJSON() []byte {
	b, _ := json.MarshalIndent(map[string]any{"installed": map[string]any{
		"client_id":                   s.cfg.clientID,
		"project_id":                  "lessonpub-test",
		"auth_uri":                    s.URL + "/auth",
		"token_uri":                   s.URL + "/token",
		"auth_provider_x509_cert_url": s.URL + "/certs",
		"client_secret":               s.cfg.clientSecret,
		"redirect_uris":               []string{"http://localhost"},
	}}, "", "  ")
	return b
}

// IssueToken returns a fresh token pair as if the user had just signed in:
// a valid access token and a refresh token.
func (s *Server) IssueToken() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := "1//" + randomID(32)
	s.tokens.refresh[rt] = &refreshToken{scope: Scope}
	return s.newAccessToken(rt)
}

// newAccessToken issues an access token. s.mu is held.
func (s *Server) newAccessToken(refresh string) *oauth2.Token {
	at := "ya29." + randomID(32)
	exp := s.cfg.now().Add(s.cfg.tokenLifetime)
	s.tokens.access[at] = accessToken{expiry: exp, refresh: refresh}
	tok := &oauth2.Token{AccessToken: at, TokenType: "Bearer", RefreshToken: refresh, Expiry: exp}
	return tok
}

// ExpireAccessTokens makes every access token issued so far invalid, as if
// its hour had passed: calls with them get 401 until the client refreshes.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.cfg.now().Add(-time.Second)
	for k, t := range s.tokens.access {
		t.expiry = past
		s.tokens.access[k] = t
	}
}

// RevokeRefreshTokens revokes every refresh token (and the access tokens
// made from them), as when the user removes the app's access or a token of
// an app in "Testing" reaches its 7 days: refreshing then fails with
// invalid_grant.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range s.tokens.refresh {
		rt.revoked = true
	}
	for k, t := range s.tokens.access {
		if t.refresh != "" {
			delete(s.tokens.access, k)
		}
	}
}

// AuthRequests returns the requests made to the authorization endpoint.
func (s *Server) AuthRequests() []AuthRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AuthRequest(nil), s.authRequests...)
}

// authorize checks the bearer token of an API request. s.mu is held.
func (s *Server) authorize(r *http.Request) *apiError {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return unauthorized("Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "")
	}
	at, ok := s.tokens.access[tok]
	if !ok || !s.cfg.now().Before(at.expiry) {
		return unauthorized("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", `, error="invalid_token"`)
	}
	return nil
}

func unauthorized(msg, detail string) *apiError {
	return &apiError{code: 401, reason: "authError", domain: "global", message: msg,
		header: http.Header{"Www-Authenticate": {`Bearer realm="https://accounts.google.com/"` + detail}}}
}

// serveAuth is the authorization endpoint. It approves at once and
// redirects to redirect_uri with a code and the state, like a user who
// clicks "Allow".
func (s *Server) serveAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.calls["oauth.auth"]++
	s.authRequests = append(s.authRequests, AuthRequest{Query: q})
	deny := s.takeFault("oauth.auth", nil)
	s.mu.Unlock()
	if q.Get("client_id") != s.cfg.clientID {
		http.Error(w, "Error 401: invalid_client\nThe OAuth client was not found.", http.StatusUnauthorized)
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" || q.Get("response_type") != "code" {
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	}
	method := q.Get("code_challenge_method")
	if q.Get("code_challenge") != "" && method != "S256" && method != "plain" && method != "" {
		http.Error(w, "Error 400: invalid_request\nUnsupported code_challenge_method.", http.StatusBadRequest)
		return
	}
	rq := redirect.Query()
	if q.Has("state") {
		rq.Set("state", q.Get("state"))
	}
	if deny != nil {
		rq.Set("error", "access_denied")
	} else {
		code := "4/" + randomID(24)
		scope := q.Get("scope")
		if scope == "" {
			scope = Scope
		}
		ac := authCode{
			redirectURI: q.Get("redirect_uri"),
			offline:     q.Get("access_type") == "offline",
			scope:       scope,
		}
		switch method {
		case "S256":
			ac.challenge = q.Get("code_challenge")
		case "plain", "":
			if c := q.Get("code_challenge"); c != "" {
				sum := sha256.Sum256([]byte(c))
				ac.challenge = base64.RawURLEncoding.EncodeToString(sum[:])
			}
		}
		s.mu.Lock()
		s.tokens.codes[code] = ac
		s.mu.Unlock()
		rq.Set("code", code)
		rq.Set("scope", scope)
	}
	redirect.RawQuery = rq.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// serveToken is the token endpoint: authorization_code and refresh_token
// grants, client authenticated by HTTP Basic or form fields.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != "POST" {
		tokenError(w, 405, "invalid_request", "Use POST.")
		return
	}
	if err := r.ParseForm(); err != nil {
		tokenError(w, 400, "invalid_request", err.Error())
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	s.calls["oauth.token"]++
	f := s.takeFault("oauth.token", nil)
	s.mu.Unlock()
	if f != nil {
		s.serveFault(w, r, f, "oauth.token")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.cfg.clientID || secret != s.cfg.clientSecret {
		tokenError(w, 401, "invalid_client", "The OAuth client was not found.")
		return
	}
	var tok *oauth2.Token
	scope := Scope
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		ac, ok := s.tokens.codes[code]
		if !ok || ac.used {
			tokenError(w, 400, "invalid_grant", "Malformed auth code.")
			return
		}
		if ac.redirectURI != r.PostForm.Get("redirect_uri") {
			tokenError(w, 400, "redirect_uri_mismatch", "Bad Request")
			return
		}
		if ac.challenge != "" {
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != ac.challenge {
				tokenError(w, 400, "invalid_grant", "Invalid code verifier.")
				return
			}
		}
		ac.used = true
		s.tokens.codes[code] = ac
		scope = ac.scope
		rt := ""
		if ac.offline {
			rt = "1//" + randomID(32)
			s.tokens.refresh[rt] = &refreshToken{scope: scope}
		}
		tok = s.newAccessToken(rt)
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		st, ok := s.tokens.refresh[rt]
		if !ok || st.revoked {
			tokenError(w, 400, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		scope = st.scope
		tok = s.newAccessToken(rt)
		tok.RefreshToken = "" // Google does not send the refresh token again
	default:
		tokenError(w, 400, "unsupported_grant_type", "Invalid grant_type: "+r.PostForm.Get("grant_type"))
		return
	}
	body := map[string]any{
		"access_token": tok.AccessToken,
		"expires_in":   int(s.cfg.tokenLifetime.Seconds()),
		"scope":        scope,
		"token_type":   "Bearer",
	}
	if tok.RefreshToken != "" {
		body["refresh_token"] = tok.RefreshToken
	}
	w.Header().Set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
	writeJSON(w, 200, body)
}

func tokenError(w http.ResponseWriter, code int, kind, desc string) {
	writeJSON(w, code, map[string]string{"error": kind, "error_description": desc})
}

// serveRevoke is Google's revocation endpoint (POST token=...).
func (s *Server) serveRevoke(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	t := r.Form.Get("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt, ok := s.tokens.refresh[t]; ok {
		rt.revoked = true
		for k, a := range s.tokens.access {
			if a.refresh == t {
				delete(s.tokens.access, k)
			}
		}
		w.WriteHeader(200)
		return
	}
	if _, ok := s.tokens.access[t]; ok {
		delete(s.tokens.access, t)
		w.WriteHeader(200)
		return
	}
	tokenError(w, 400, "invalid_token", "Token expired or revoked")
}
