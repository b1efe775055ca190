package youtube

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/lessonpub/lessonpub/captions"
)

// LoginOptions control how Login reaches the user.
type LoginOptions struct {
	// NoBrowser skips opening a browser: the user opens the printed address
	// anywhere and pastes the address the browser ends on into Paste.
	NoBrowser bool
	// Paste is read for the redirected address when NoBrowser is set.
	Paste io.Reader
	// Prompt receives the sign-in address and the instructions, one message
	// at a time, each to be shown on its own line (stderr), kept as English
	// format and arguments for the caller to translate; nil discards them.
	Prompt func(*captions.Text)
	// Translate gives a message in the user's language, for the page the
	// browser shows after the sign-in; nil shows it in English.
	Translate func(*captions.Text) string
	// OpenBrowser opens the address in a browser; the system's opener
	// (BrowserOpener("")) when nil. Its failure is only reported.
	OpenBrowser func(url string) error
}

// Login signs the user in with Google's installed-app flow (loopback
// redirect on 127.0.0.1, PKCE S256, random state, offline access with
// consent), saves the token to cfg.TokenFile and returns it. Neither the
// code nor the token is ever printed.
func Login(ctx context.Context, cfg Config, opts LoginOptions) (*oauth2.Token, error) {
	conf, err := LoadClientSecrets(cfg.ClientSecretsFile)
	if err != nil {
		return nil, err
	}
	prompt := opts.Prompt
	if prompt == nil {
		prompt = func(*captions.Text) {}
	}
	translate := opts.Translate
	if translate == nil {
		translate = (*captions.Text).String
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, captions.Errorf("opening a local port for the sign-in: %w", err)
	}
	defer ln.Close()
	conf.RedirectURL = "http://" + ln.Addr().String() + "/"

	state := randomState()
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	codes := make(chan codeResult, 2)
	srv := &http.Server{
		Handler:           callbackHandler(state, codes, translate),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(ln)
	defer srv.Close()

	prompt(captions.Textf("Sign in to YouTube with the Google account of the channel. Open this address in a browser:\n\n  %s\n", authURL))
	if opts.NoBrowser {
		prompt(captions.Textf("After you allow access, the browser goes to an address starting with http://127.0.0.1 that may not load. Copy that whole address from the address bar and paste it here, then press Enter:"))
		go readPaste(ctx, opts.Paste, state, codes)
	} else {
		open := opts.OpenBrowser
		if open == nil {
			open = BrowserOpener("")
		}
		if err := open(authURL); err != nil {
			prompt(captions.Textf("(could not open a browser: %v; open the address above yourself, or use --no-browser on a computer without one)", err))
		}
		prompt(captions.Textf("Waiting for you to sign in in the browser. If no browser opened, open the address above yourself; on a computer without a browser press Ctrl-C and run 'lessonpub auth login --no-browser'."))
	}

	var code string
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-codes:
		if r.err != nil {
			return nil, r.err
		}
		code = r.code
	}
	xctx := context.WithValue(ctx, oauth2.HTTPClient, cfg.httpClient())
	tok, err := conf.Exchange(xctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, captions.Errorf("Google refused the sign-in (%s %s): run 'lessonpub auth login' again, and check the client secrets file %s is the Desktop app client of your project", re.ErrorCode, re.ErrorDescription, cfg.ClientSecretsFile)
		}
		return nil, captions.Errorf("finishing the sign-in: %w", err)
	}
	if tok.RefreshToken == "" {
		prompt(captions.Textf("warning: Google sent no refresh token, so this sign-in lasts about an hour; remove lessonpub's access at https://myaccount.google.com/permissions and sign in again"))
	}
	if err := SaveToken(cfg.TokenFile, tok); err != nil {
		return nil, err
	}
	return tok, nil
}

type codeResult struct {
	code string
	err  error
}

func randomState() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// callbackHandler answers Google's redirect to the loopback address with a
// page in the user's language (translate).
func callbackHandler(state string, codes chan<- codeResult, translate func(*captions.Text) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if !q.Has("code") && !q.Has("error") {
			http.NotFound(w, r)
			return
		}
		code, err := codeFromQuery(q, state)
		title, text := captions.Textf("Signed in"), captions.Textf("lessonpub may now publish to your channel. You can close this tab.")
		status := http.StatusOK
		if err != nil {
			title, text, status = captions.Textf("Sign-in failed"), captions.Textf("%v", err), http.StatusBadRequest
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!doctype html><meta charset=\"utf-8\"><title>lessonpub</title><h1>%s</h1><p>%s</p>", html.EscapeString(translate(title)), html.EscapeString(translate(text)))
		select {
		case codes <- codeResult{code, err}:
		default:
		}
	})
}

func codeFromQuery(q url.Values, state string) (string, error) {
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			return "", captions.Errorf("access was denied in the browser: sign in again and allow access; if Google says the app is being tested, add your Google account as a test user on the OAuth consent screen of your Cloud project")
		}
		return "", captions.Errorf("Google answered %q: run 'lessonpub auth login' again", e)
	}
	if q.Get("state") != state {
		return "", captions.Errorf("the sign-in answer belongs to another attempt (state does not match): run 'lessonpub auth login' again and use the newest address")
	}
	if q.Get("code") == "" {
		return "", captions.Errorf("the sign-in answer has no code: run 'lessonpub auth login' again")
	}
	return q.Get("code"), nil
}

// readPaste reads the redirected address (or the bare code) the user pastes.
func readPaste(ctx context.Context, r io.Reader, state string, codes chan<- codeResult) {
	send := func(c codeResult) {
		select {
		case codes <- c:
		case <-ctx.Done():
		}
	}
	if r == nil {
		send(codeResult{err: errNothingPasted})
		return
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !strings.Contains(line, "code=") && !strings.Contains(line, "error=") {
			send(codeResult{code: line}) // the bare code
			return
		}
		raw := line
		if i := strings.IndexByte(line, '?'); i >= 0 {
			raw = line[i+1:]
		}
		q, err := url.ParseQuery(raw)
		if err != nil {
			send(codeResult{err: captions.Errorf("the pasted text is not the address the browser ended on: copy the whole address starting with http://127.0.0.1 and run 'lessonpub auth login --no-browser' again")})
			return
		}
		code, err := codeFromQuery(q, state)
		send(codeResult{code, err})
		return
	}
	send(codeResult{err: errNothingPasted})
}

var errNothingPasted = captions.Errorf("nothing was pasted: run 'lessonpub auth login --no-browser' in a terminal and paste the address the browser ends on, or run 'lessonpub auth login' on a computer with a browser")

// BrowserOpener returns a function that opens an address with the command
// given (the value of $BROWSER, arguments allowed), else the system's opener
// (xdg-open, open, rundll32). It does not wait for the browser.
func BrowserOpener(browser string) func(url string) error {
	return func(url string) error { return openBrowser(browser, url) }
}

func openBrowser(browser, url string) error {
	var name string
	var args []string
	if b := strings.Fields(browser); len(b) > 0 {
		name, args = b[0], b[1:]
	} else {
		switch runtime.GOOS {
		case "darwin":
			name = "open"
		case "windows":
			name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
		default:
			name = "xdg-open"
		}
	}
	cmd := exec.Command(name, append(args, url)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
