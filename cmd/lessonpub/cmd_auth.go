package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

func newAuthCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Sign in to YouTube, show the sign-in and today's quota, sign out",
		Long: `lessonpub publishes to the YouTube channel of the Google account you sign in
with. Signing in needs an OAuth client of type "Desktop app" from your Google
Cloud project (APIs & Services, Credentials), with the YouTube Data API v3
enabled. Download its JSON and pass it to 'lessonpub auth login' once.

Files: the client secrets and the sign-in (token.json, readable only by you)
are kept in ~/.config/lessonpub/, or where LESSONPUB_CLIENT_SECRETS and
LESSONPUB_TOKEN point. Today's quota count and unfinished uploads are kept in
~/.local/state/lessonpub/ (LESSONPUB_STATE_DIR).

A Cloud project whose consent screen is left in "Testing" gets sign-ins that
expire after 7 days: publish the app ("In production") to stop that.`,
		Example: `  # sign in, opening the browser
  lessonpub auth login --client-secrets ~/Downloads/client_secret_1234.json

  # on a server without a browser: open the address elsewhere, paste the result
  lessonpub auth login --no-browser

  # which channel, and how much of today's quota is used
  lessonpub auth status`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newAuthLoginCmd(e), newAuthStatusCmd(e), newAuthLogoutCmd(e))
	return cmd
}

type authLoginOptions struct {
	e             *env
	clientSecrets string
	noBrowser     bool
}

func newAuthLoginCmd(e *env) *cobra.Command {
	opts := &authLoginOptions{e: e}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to YouTube with the channel's Google account",
		Long: `Sign in to YouTube. lessonpub prints an address and opens it in the browser;
after you allow access, the browser comes back to lessonpub and the sign-in
is saved. With --no-browser, open the address on any computer and paste the
address the browser ends on (starting with http://127.0.0.1) back here.`,
		Example: `  lessonpub auth login --client-secrets ~/Downloads/client_secret_1234.json
  lessonpub auth login --no-browser`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAuthLogin(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.clientSecrets, "client-secrets", "", "Google OAuth client JSON (Desktop app); kept for later runs")
	cmd.Flags().BoolVar(&opts.noBrowser, "no-browser", false, "do not open a browser: paste the address the browser ends on instead")
	return cmd
}

func runAuthLogin(ctx context.Context, opts *authLoginOptions) error {
	e := opts.e
	set, err := e.settings()
	if err != nil {
		return err
	}
	cfg := set.youtubeConfig(nil)
	if opts.clientSecrets != "" {
		if e.getenv("LESSONPUB_CLIENT_SECRETS") == "" {
			// Keep it where later runs look, so the sign-in can be renewed.
			if err := youtube.InstallClientSecrets(opts.clientSecrets, cfg.ClientSecretsFile); err != nil {
				return err
			}
		} else {
			cfg.ClientSecretsFile = opts.clientSecrets
		}
	}
	cfg.Log = e.p.lineTo(e.stderr)
	_, err = youtube.Login(ctx, cfg, youtube.LoginOptions{
		NoBrowser:   opts.noBrowser,
		Paste:       e.stdin,
		Prompt:      e.p.lineTo(e.stderr),
		Translate:   func(t *captions.Text) string { return e.p.text(t) },
		OpenBrowser: youtube.BrowserOpener(e.getenv("BROWSER")),
	})
	if err != nil {
		return err
	}
	c, err := youtube.New(ctx, cfg)
	if err != nil {
		return err
	}
	ch, err := c.Channel(ctx)
	if err != nil {
		return err
	}
	e.p.Fprintf(e.stderr, "sign-in saved in %s\n", cfg.TokenFile)
	_, err = e.p.Fprintf(e.stdout, "signed in to YouTube channel %q (%s)\n", ch.Snippet.Title, ch.Id)
	return err
}

func newAuthStatusCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the channel signed in to and today's YouTube quota use",
		Long: `Show the YouTube channel lessonpub publishes to, when the sign-in was last
renewed, and how much of today's YouTube quota lessonpub has used (as it
counted it; other tools using the same Cloud project are not counted). The
quota starts afresh at midnight Pacific time.`,
		Example: "  lessonpub auth status",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAuthStatus(cmd.Context(), e)
		},
	}
}

func runAuthStatus(ctx context.Context, e *env) error {
	set, err := e.settings()
	if err != nil {
		return err
	}
	cfg := set.youtubeConfig(nil)
	cfg.Log = e.p.lineTo(e.stderr)
	c, err := youtube.New(ctx, cfg)
	if err != nil {
		return err
	}
	ch, err := c.Channel(ctx)
	if err != nil {
		return err
	}
	tok := c.Token()
	q := c.Quota()
	u, err := q.Today()
	if err != nil {
		return err
	}
	lim := q.Limits()
	// a label and its value a line, the values lined up whatever the
	// language's labels
	var rows [][2]string
	row := func(label, value string) { rows = append(rows, [2]string{label, value}) }
	row(e.p.Sprintf("channel:"), fmt.Sprintf("%s (%s)", ch.Snippet.Title, ch.Id))
	row(e.p.Sprintf("sign-in:"), cfg.TokenFile)
	if !tok.Expiry.IsZero() {
		renewal := e.p.Sprintf("renewed automatically")
		if tok.RefreshToken == "" {
			renewal = e.p.Sprintf("cannot be renewed: run 'lessonpub auth login' then")
		}
		row(e.p.Sprintf("access until:"), fmt.Sprintf("%s (%s)", tok.Expiry.Local().Format(time.DateTime), renewal))
	}
	row(e.p.Sprintf("quota today:"), e.p.Sprintf("%d of %d units, %d of %d uploads (counted by lessonpub)", u.Units, lim.Units, u.Uploads, lim.Uploads))
	if u.UnitsExhausted || u.UploadsExhausted {
		row("", e.p.Sprintf("YouTube said today's limit is reached"))
	}
	row(e.p.Sprintf("quota resets:"), e.p.Sprintf("%s", captions.Time{Time: q.NextReset()}))
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s%s %s\n", r[0], strings.Repeat(" ", width-utf8.RuneCountInString(r[0])), r[1])
	}
	_, err = io.WriteString(e.stdout, b.String())
	return err
}

func newAuthLogoutCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the saved YouTube sign-in",
		Long: `Delete the saved sign-in. To also take lessonpub's access away from the
Google account, remove it at https://myaccount.google.com/permissions.`,
		Example: "  lessonpub auth logout",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAuthLogout(e)
		},
	}
}

func runAuthLogout(e *env) error {
	set, err := e.settings()
	if err != nil {
		return err
	}
	cfg := set.youtubeConfig(nil)
	removed, err := youtube.DeleteToken(cfg.TokenFile)
	if err != nil {
		return err
	}
	if !removed {
		_, err = e.p.Fprintf(e.stdout, "not signed in: there is no saved sign-in at %s\n", cfg.TokenFile)
		return err
	}
	_, err = e.p.Fprintf(e.stdout, "signed out: removed %s\n", filepath.Clean(cfg.TokenFile))
	if err == nil {
		e.p.Fprintf(e.stderr, "to take lessonpub's access away from the Google account too, remove it at https://myaccount.google.com/permissions\n")
	}
	return err
}
