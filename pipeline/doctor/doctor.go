// Package doctor checks that a computer has what lessonpub needs, and for
// each thing that is missing says what to do: ffmpeg and ffprobe, their
// version and encoders, the caption font, the settings and state folders,
// the YouTube sign-in, today's quota and the clock.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

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
	add(writable("config-folder", "settings folder", filepath.Dir(cfg.TokenFile),
		"the sign-in is saved there", "LESSONPUB_TOKEN and LESSONPUB_CLIENT_SECRETS"))
	add(writable("state-folder", "state folder", cfg.StateDir,
		"today's quota use and unfinished uploads are kept there", "LESSONPUB_STATE_DIR"))
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
func installFFmpeg(goos string) string {
	switch goos {
	case "windows":
		return "install it with 'winget install Gyan.FFmpeg', then open a new terminal"
	case "darwin":
		return "install it with 'brew install ffmpeg'"
	default:
		return "install it with 'sudo apt install ffmpeg' (Debian, Ubuntu)"
	}
}

func tool(name, goos string) (string, Check) {
	c := Check{Name: name}
	p, err := exec.LookPath(name)
	if err != nil {
		c.Status, c.Detail = Fail, name+" is not found on PATH"
		c.Fix = installFFmpeg(goos) + "; if it is installed, add its folder to PATH"
		return "", c
	}
	c.Status, c.Detail = OK, p
	return p, c
}

func ffmpegVersion(ctx context.Context, bin, goos string) Check {
	c := Check{Name: "ffmpeg-version"}
	if bin == "" {
		c.Status, c.Detail = Skip, "no ffmpeg to ask"
		return c
	}
	out, err := exec.CommandContext(ctx, bin, "-hide_banner", "-version").Output()
	if err != nil {
		c.Status, c.Detail = Fail, fmt.Sprintf("%s -version failed: %v", bin, err)
		c.Fix = "reinstall ffmpeg: " + installFFmpeg(goos)
		return c
	}
	first, _, _ := strings.Cut(string(out), "\n")
	major, minor, ok := ffmpeg.ParseVersion(string(out))
	min := ffmpeg.MinVersion
	switch {
	case !ok:
		c.Status, c.Detail = OK, strings.TrimSpace(first)+" (a development build, taken as recent)"
	case major < min[0] || major == min[0] && minor < min[1]:
		c.Status = Fail
		c.Detail = fmt.Sprintf("ffmpeg %d.%d is too old: lessonpub needs %d.%d or newer", major, minor, min[0], min[1])
		c.Fix = "install a newer ffmpeg: " + installFFmpeg(goos)
	default:
		c.Status, c.Detail = OK, fmt.Sprintf("ffmpeg %d.%d (%d.%d or newer needed)", major, minor, min[0], min[1])
	}
	return c
}

// neededEncoders are the encoders every encode uses.
var neededEncoders = []string{"libx264", "aac"}

func encoders(ctx context.Context, bin, goos string) Check {
	c := Check{Name: "encoders"}
	if bin == "" {
		c.Status, c.Detail = Skip, "no ffmpeg to ask"
		return c
	}
	have, err := ffmpeg.Encoders(ctx, bin)
	if err != nil {
		c.Status, c.Detail, c.Fix = Fail, err.Error(), "reinstall ffmpeg: "+installFFmpeg(goos)
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
		c.Detail = "this ffmpeg lacks the " + strings.Join(missing, " and ") + " encoder"
		c.Fix = "install a full ffmpeg build: " + installFFmpeg(goos)
		return c
	}
	c.Status, c.Detail = OK, strings.Join(neededEncoders, ", ")
	return c
}

func captionFont(dir string) Check {
	c := Check{Name: "font"}
	d, err := font.Install(dir)
	if err != nil {
		c.Status, c.Detail = Fail, err.Error()
		c.Fix = "make the cache folder writable (or set XDG_CACHE_HOME to a writable folder); captions cannot be burned in until then"
		return c
	}
	c.Status, c.Detail = OK, fmt.Sprintf("%s, built in, in %s", font.Name, d)
	return c
}

// writable creates dir if needed and writes and removes a file in it.
func writable(name, what, dir, why, env string) Check {
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
		c.Detail = fmt.Sprintf("the %s %s is not writable (%s): %v", what, dir, why, unwrapPath(err))
		c.Fix = fmt.Sprintf("give yourself write access to %s, or point %s at a folder you can write", dir, env)
		return c
	}
	c.Status, c.Detail = OK, dir
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
		c.Status, c.Detail = Fail, "no OAuth client file at "+path
		c.Fix = `in the Google Cloud console create an OAuth client of type "Desktop app", download its JSON and run 'lessonpub auth login --client-secrets FILE' (the README's "Signing in to YouTube" shows how)`
		return c
	}
	if _, err := youtube.LoadClientSecrets(path); err != nil {
		c.Status, c.Detail = Fail, err.Error()
		c.Fix = "download the client's JSON again from the Google Cloud console and run 'lessonpub auth login --client-secrets FILE'"
		return c
	}
	c.Status, c.Detail = OK, path
	return c
}

// signIn checks the saved token, renews it if it has expired, and asks
// for the channel: two lines, sign-in and channel.
func signIn(ctx context.Context, cfg youtube.Config, haveClient bool) []Check {
	si, ch := Check{Name: "sign-in"}, Check{Name: "channel"}
	if !haveClient {
		si.Status, si.Detail = Skip, "needs the OAuth client file"
		ch.Status, ch.Detail = Skip, "needs the sign-in"
		return []Check{si, ch}
	}
	fail := func(err error) []Check {
		si.Status, si.Detail = Fail, err.Error()
		var ne *youtube.NotSignedInError
		if errors.As(err, &ne) {
			si.Detail = "not signed in: " + ne.Reason
			si.Fix = ne.Hint
			if si.Fix == "" {
				si.Fix = `run 'lessonpub auth login' to sign in again (a sign-in that expires every 7 days comes from a Cloud project whose consent screen is in "Testing": publish it "In production")`
			}
		} else {
			si.Fix = "check the internet connection and run 'lessonpub doctor' again"
		}
		ch.Status, ch.Detail = Skip, "needs the sign-in"
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
		si.Status, si.Detail = OK, cfg.TokenFile
		ch.Status, ch.Detail = Fail, err.Error()
		ch.Fix = "check the internet connection and run 'lessonpub doctor' again"
		return []Check{si, ch}
	}
	tok := c.Token()
	si.Status, si.Detail = OK, cfg.TokenFile
	if tok.RefreshToken == "" {
		si.Status = Warn
		si.Detail += " (cannot be renewed: it stops working at " + tok.Expiry.Local().Format(time.DateTime) + ")"
		si.Fix = "run 'lessonpub auth login' to get a sign-in that renews itself"
	}
	ch.Status, ch.Detail = OK, fmt.Sprintf("%s (%s)", channel.Snippet.Title, channel.Id)
	return []Check{si, ch}
}

func quota(cfg youtube.Config) Check {
	c := Check{Name: "quota"}
	q := youtube.OpenQuota(cfg.StateDir, cfg.Limits, cfg.Now)
	u, err := q.Today()
	if err != nil {
		c.Status, c.Detail = Warn, err.Error()
		return c
	}
	lim := q.Limits()
	c.Status = OK
	c.Detail = fmt.Sprintf("%d of %d units, %d of %d uploads used today (as lessonpub counted); resets %s",
		u.Units, lim.Units, u.Uploads, lim.Uploads, q.NextReset().Local().Format("Mon 2 Jan 15:04 MST"))
	if u.UnitsExhausted || u.UploadsExhausted {
		c.Status = Warn
		c.Fix = "YouTube said today's limit is reached: publish again after the reset"
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
		c.Status, c.Detail = Warn, err.Error()
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
		c.Status, c.Detail = Warn, "could not reach YouTube to compare clocks: "+err.Error()
		c.Fix = "check the internet connection"
		return c
	}
	resp.Body.Close()
	got := now()
	server, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		c.Status, c.Detail = Warn, "YouTube's answer had no date to compare with"
		return c
	}
	// The Date has whole seconds: compare with the middle of the request.
	local := sent.Add(got.Sub(sent) / 2)
	skew := local.Sub(server)
	off := skew.Abs().Round(time.Second)
	if off > MaxClockSkew {
		dir := "ahead of"
		if skew < 0 {
			dir = "behind"
		}
		c.Status = Fail
		c.Detail = fmt.Sprintf("this computer's clock is %v %s YouTube's, which breaks signing in", off, dir)
		c.Fix = "set the clock to update automatically (Windows: Settings, Time & language, Set time automatically; macOS: System Settings, General, Date & Time; Linux: 'sudo timedatectl set-ntp true')"
		return c
	}
	c.Status, c.Detail = OK, fmt.Sprintf("within %v of YouTube's", max(off, time.Second))
	return c
}
