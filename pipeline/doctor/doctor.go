// Package doctor checks that a computer has what lessonpub needs, and for
// each thing that is missing says what to do: ffmpeg and ffprobe, their
// version and encoders, the caption font, the settings and state folders,
// the YouTube sign-in, today's quota and the clock.
package doctor

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/render/font"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// Status is the outcome of one check.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn" // worth knowing, nothing stops working
	Fail Status = "fail" // lessonpub cannot do its work until it is fixed
	Skip Status = "skip" // not checked, because an earlier check failed
)

// Check is one line of the report. Name is a stable identifier for
// programs; Detail says what was found; Fix what to do when it failed.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
	// DetailText and FixText are Detail and Fix before formatting, for a
	// program that shows them translated; nil when empty.
	DetailText *Text `json:"-"`
	FixText    *Text `json:"-"`
}

// Text is an English message kept as its format and arguments, so that a
// program showing it to a person can translate the format first: the one
// type captions uses too.
type Text = captions.Text

func textf(format string, args ...any) *Text { return &Text{Format: format, Args: args} }

// detail sets what the check found.
func (c *Check) detail(format string, args ...any) {
	c.DetailText = textf(format, args...)
	c.Detail = c.DetailText.String()
}

// fix sets what to do about it.
func (c *Check) fix(format string, args ...any) {
	c.FixText = textf(format, args...)
	c.Fix = c.FixText.String()
}

// MaxClockSkew is how far the clock may be off before signing in fails
// (Google rejects tokens whose times are too far from its own).
const MaxClockSkew = 3 * time.Minute

// Options say what to check.
type Options struct {
	// YouTube is the configuration whose folders, client file and sign-in
	// are checked, as the other commands use it.
	YouTube youtube.Config
	// FontDir is where the caption font is written; font.CacheDir when "".
	FontDir string
	// GOOS chooses the install advice; runtime.GOOS when "".
	GOOS string
}

// Run performs every check, in order, and returns one Check per line.
func Run(ctx context.Context, opts Options) []Check {
	if opts.GOOS == "" {
		opts.GOOS = runtime.GOOS
	}
	var checks []Check
	add := func(c Check) { checks = append(checks, c) }

	ffmpegBin, c := tool("ffmpeg", opts.GOOS)
	add(c)
	_, c = tool("ffprobe", opts.GOOS)
	add(c)
	add(ffmpegVersion(ctx, ffmpegBin, opts.GOOS))
	add(encoders(ctx, ffmpegBin, opts.GOOS))
	add(captionFont(opts.FontDir))

	cfg := opts.YouTube
	add(writable("config-folder", textf("the settings folder %s is not writable (the sign-in is saved there): %v"), filepath.Dir(cfg.TokenFile),
		"LESSONPUB_TOKEN and LESSONPUB_CLIENT_SECRETS"))
	add(writable("state-folder", textf("the state folder %s is not writable (today's quota use and unfinished uploads are kept there): %v"), cfg.StateDir,
		"LESSONPUB_STATE_DIR"))
	clientOK := clientFile(cfg.ClientSecretsFile)
	add(clientOK)
	checks = append(checks, signIn(ctx, cfg, clientOK.Status == OK)...)
	add(quota(cfg))
	add(clock(ctx, cfg))
	return checks
}

// Healthy reports whether no check failed.
func Healthy(checks []Check) bool {
	for _, c := range checks {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// installFFmpeg is the copy-and-paste line that installs ffmpeg on goos.
func installFFmpeg(goos string) *Text {
	switch goos {
	case "windows":
		return textf("install it with 'winget install Gyan.FFmpeg', then open a new terminal")
	case "darwin":
		return textf("install it with 'brew install ffmpeg'")
	default:
		return textf("install it with 'sudo apt install ffmpeg' (Debian, Ubuntu)")
	}
}

func tool(name, goos string) (string, Check) {
	c := Check{Name: name}
	p, err := exec.LookPath(name)
	if err != nil {
		c.Status = Fail
		c.detail("%s is not found on PATH", name)
		c.fix("%s; if it is installed, add its folder to PATH", installFFmpeg(goos))
		return "", c
	}
	c.Status = OK
	c.detail("%s", p)
	return p, c
}

func ffmpegVersion(ctx context.Context, bin, goos string) Check {
	c := Check{Name: "ffmpeg-version"}
	if bin == "" {
		c.Status = Skip
		c.detail("no ffmpeg to ask")
		return c
	}
	out, err := exec.CommandContext(ctx, bin, "-hide_banner", "-version").Output()
	if err != nil {
		c.Status = Fail
		c.detail("%s -version failed: %v", bin, err)
		c.fix("reinstall ffmpeg: %s", installFFmpeg(goos))
		return c
	}
	first, _, _ := strings.Cut(string(out), "\n")
	major, minor, ok := ffmpeg.ParseVersion(string(out))
	min := ffmpeg.MinVersion
	switch {
	case !ok:
		c.Status = OK
		c.detail("%s (a development build, taken as recent)", strings.TrimSpace(first))
	case major < min[0] || major == min[0] && minor < min[1]:
		c.Status = Fail
		c.detail("ffmpeg %d.%d is too old: lessonpub needs %d.%d or newer", major, minor, min[0], min[1])
		c.fix("install a newer ffmpeg: %s", installFFmpeg(goos))
	default:
		c.Status = OK
		c.detail("ffmpeg %d.%d (%d.%d or newer needed)", major, minor, min[0], min[1])
	}
	return c
}

// neededEncoders are the encoders every encode uses.
var neededEncoders = []string{"libx264", "aac"}

func encoders(ctx context.Context, bin, goos string) Check {
	c := Check{Name: "encoders"}
	if bin == "" {
		c.Status = Skip
		c.detail("no ffmpeg to ask")
		return c
	}
	have, err := ffmpeg.Encoders(ctx, bin)
	if err != nil {
		c.Status = Fail
		c.detail("%v", err)
		c.fix("reinstall ffmpeg: %s", installFFmpeg(goos))
		return c
	}
	var missing []string
	for _, e := range neededEncoders {
		if !have[e] {
			missing = append(missing, e)
		}
	}
	if len(missing) > 0 {
		c.Status = Fail
		c.detail("this ffmpeg lacks the %s encoder", strings.Join(missing, " and "))
		c.fix("install a full ffmpeg build: %s", installFFmpeg(goos))
		return c
	}
	c.Status = OK
	c.detail("%s", strings.Join(neededEncoders, ", "))
	return c
}

func captionFont(dir string) Check {
	c := Check{Name: "font"}
	d, err := font.Install(dir)
	if err != nil {
		c.Status = Fail
		c.detail("%v", err)
		c.fix("make the cache folder writable (or set XDG_CACHE_HOME to a writable folder); captions cannot be burned in until then")
		return c
	}
	c.Status = OK
	c.detail("%s, built in, in %s", font.Name, d)
	return c
}

// writable creates dir if needed and writes and removes a file in it.
func writable(name string, notWritable *Text, dir, env string) Check {
	c := Check{Name: name}
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		var f *os.File
		if f, err = os.CreateTemp(dir, ".doctor-*"); err == nil {
			f.Close()
			err = os.Remove(f.Name())
		}
	}
	if err != nil {
		c.Status = Fail
		c.detail(notWritable.Format, dir, unwrapPath(err))
		c.fix("give yourself write access to %s, or point %s at a folder you can write", dir, env)
		return c
	}
	c.Status = OK
	c.detail("%s", dir)
	return c
}

// unwrapPath keeps the reason of a path error; the path is said already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func clientFile(path string) Check {
	c := Check{Name: "oauth-client"}
	if _, err := os.Stat(path); err != nil {
		c.Status = Fail
		c.detail("no OAuth client file at %s", path)
		c.fix(`in the Google Cloud console create an OAuth client of type "Desktop app", download its JSON and run 'lessonpub auth login --client-secrets FILE' (the README's "Signing in to YouTube" shows how)`)
		return c
	}
	if _, err := youtube.LoadClientSecrets(path); err != nil {
		c.Status = Fail
		c.detail("%v", err)
		c.fix("download the client's JSON again from the Google Cloud console and run 'lessonpub auth login --client-secrets FILE'")
		return c
	}
	c.Status = OK
	c.detail("%s", path)
	return c
}

// signIn checks the saved token, renews it if it has expired, and asks
// for the channel: two lines, sign-in and channel.
func signIn(ctx context.Context, cfg youtube.Config, haveClient bool) []Check {
	si, ch := Check{Name: "sign-in"}, Check{Name: "channel"}
	if !haveClient {
		si.Status, ch.Status = Skip, Skip
		si.detail("needs the OAuth client file")
		ch.detail("needs the sign-in")
		return []Check{si, ch}
	}
	fail := func(err error) []Check {
		si.Status = Fail
		si.detail("%v", err)
		var ne *youtube.NotSignedInError
		if errors.As(err, &ne) {
			si.detail("not signed in: %s", ne.Reason)
			if ne.Hint != nil {
				si.fix("%s", ne.Hint)
			} else {
				si.fix(`run 'lessonpub auth login' to sign in again (a sign-in that expires every 7 days comes from a Cloud project whose consent screen is in "Testing": publish it "In production")`)
			}
		} else {
			si.fix("check the internet connection and run 'lessonpub doctor' again")
		}
		ch.Status = Skip
		ch.detail("needs the sign-in")
		return []Check{si, ch}
	}
	c, err := youtube.New(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	channel, err := c.Channel(ctx) // renews the access token when it has expired
	if err != nil {
		if errors.Is(err, youtube.ErrNotSignedIn) {
			return fail(err)
		}
		si.Status, ch.Status = OK, Fail
		si.detail("%s", cfg.TokenFile)
		ch.detail("%v", err)
		ch.fix("check the internet connection and run 'lessonpub doctor' again")
		return []Check{si, ch}
	}
	tok := c.Token()
	si.Status = OK
	si.detail("%s", cfg.TokenFile)
	if tok.RefreshToken == "" {
		si.Status = Warn
		si.detail("%s (cannot be renewed: it stops working at %s)", cfg.TokenFile, tok.Expiry.Local().Format(time.DateTime))
		si.fix("run 'lessonpub auth login' to get a sign-in that renews itself")
	}
	ch.Status = OK
	ch.detail("%s (%s)", channel.Snippet.Title, channel.Id)
	return []Check{si, ch}
}

func quota(cfg youtube.Config) Check {
	c := Check{Name: "quota"}
	q := youtube.OpenQuota(cfg.StateDir, cfg.Limits, cfg.Now)
	u, err := q.Today()
	if err != nil {
		c.Status = Warn
		c.detail("%v", err)
		return c
	}
	lim := q.Limits()
	c.Status = OK
	c.detail("%d of %d units, %d of %d uploads used today (as lessonpub counted); resets %s",
		u.Units, lim.Units, u.Uploads, lim.Uploads, captions.Time{Time: q.NextReset()})
	if u.UnitsExhausted || u.UploadsExhausted {
		c.Status = Warn
		c.fix("YouTube said today's limit is reached: publish again after the reset")
	}
	return c
}

// clock compares the computer's clock with the Date of YouTube's answer.
func clock(ctx context.Context, cfg youtube.Config) Check {
	c := Check{Name: "clock"}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = youtube.DefaultEndpoint
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, endpoint, nil)
	if err != nil {
		c.Status = Warn
		c.detail("%v", err)
		return c
	}
	client := cfg.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	sent := now()
	resp, err := client.Do(req)
	if err != nil {
		c.Status = Warn
		c.detail("could not reach YouTube to compare clocks: %v", err)
		c.fix("check the internet connection")
		return c
	}
	resp.Body.Close()
	got := now()
	server, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		c.Status = Warn
		c.detail("YouTube's answer had no date to compare with")
		return c
	}
	// The Date has whole seconds: compare with the middle of the request.
	local := sent.Add(got.Sub(sent) / 2)
	skew := local.Sub(server)
	off := skew.Abs().Round(time.Second)
	if off > MaxClockSkew {
		c.Status = Fail
		if skew < 0 {
			c.detail("this computer's clock is %v behind YouTube's, which breaks signing in", off)
		} else {
			c.detail("this computer's clock is %v ahead of YouTube's, which breaks signing in", off)
		}
		c.fix("set the clock to update automatically (Windows: Settings, Time & language, Set time automatically; macOS: System Settings, General, Date & Time; Linux: 'sudo timedatectl set-ntp true')")
		return c
	}
	c.Status = OK
	c.detail("within %v of YouTube's", max(off, time.Second))
	return c
}
