package ffmpeg

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/lessonpub/lessonpub/captions"
)

// MinVersion is the oldest ffmpeg lessonpub works with (-fps_mode arrived
// in 5.1, the version Debian 12 ships).
var MinVersion = [2]int{5, 1}

var (
	checkMu      sync.Mutex
	versionErr   error
	versionDone  bool
	knownFilters map[string]bool
)

// Check verifies that ffmpeg and ffprobe are installed, that ffmpeg is at
// least MinVersion, and that it has the named filters (e.g. "subtitles",
// which needs libass). Results are remembered for the process.
func Check(ctx context.Context, filters ...string) error {
	checkMu.Lock()
	defer checkMu.Unlock()
	if !versionDone {
		versionErr = checkVersion(ctx)
		versionDone = ctx.Err() == nil
	}
	if versionErr != nil || len(filters) == 0 {
		return versionErr
	}
	if knownFilters == nil {
		have, err := listFilters(ctx)
		if err != nil {
			return err
		}
		knownFilters = have
	}
	var missing []string
	for _, f := range filters {
		if !knownFilters[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return captions.Errorf("%w: this ffmpeg has no %s filter (a minimal build?): %s",
			ErrMissing, strings.Join(missing, ", "), installHint())
	}
	return nil
}

var versionRE = regexp.MustCompile(`(?m)^ffmpeg version n?(\d+)\.(\d+)`)

func checkVersion(ctx context.Context) error {
	if _, err := lookTool("ffprobe"); err != nil {
		return err
	}
	bin, err := lookTool("ffmpeg")
	if err != nil {
		return err
	}
	out, err := exec.CommandContext(ctx, bin, "-hide_banner", "-version").Output()
	if err != nil {
		return captions.Errorf("%w: running %s -version: %v: %s", ErrMissing, bin, err, installHint())
	}
	major, minor, ok := parseVersion(string(out))
	if !ok {
		return nil // a git build ("ffmpeg version N-…"): assume recent
	}
	if major < MinVersion[0] || major == MinVersion[0] && minor < MinVersion[1] {
		return captions.Errorf("%w: %s is version %d.%d, lessonpub needs %d.%d or newer: %s",
			ErrMissing, bin, major, minor, MinVersion[0], MinVersion[1], installHint())
	}
	return nil
}

func parseVersion(out string) (major, minor int, ok bool) {
	m := versionRE.FindStringSubmatch(out)
	if m == nil {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor, true
}

func listFilters(ctx context.Context) (map[string]bool, error) {
	bin, err := lookTool("ffmpeg")
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, bin, "-hide_banner", "-filters").Output()
	if err != nil {
		return nil, captions.Errorf("%w: running %s -filters: %v: %s", ErrMissing, bin, err, installHint())
	}
	have := map[string]bool{}
	for _, line := range bytes.Split(out, []byte("\n")) {
		f := strings.Fields(string(line))
		if len(f) >= 2 && len(f[0]) == 3 {
			have[f[1]] = true
		}
	}
	return have, nil
}

// ParseVersion reads the major and minor version from the first line of
// `ffmpeg -version` (or ffprobe's); ok is false for a build without a
// release number ("ffmpeg version N-…", built from git).
func ParseVersion(out string) (major, minor int, ok bool) {
	m := anyVersionRE.FindStringSubmatch(out)
	if m == nil {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor, true
}

var anyVersionRE = regexp.MustCompile(`(?m)^ff(?:mpeg|probe) version n?(\d+)\.(\d+)`)

// Encoders lists the encoders of the ffmpeg at bin (`ffmpeg -encoders`).
func Encoders(ctx context.Context, bin string) (map[string]bool, error) {
	out, err := exec.CommandContext(ctx, bin, "-hide_banner", "-encoders").Output()
	if err != nil {
		return nil, captions.Errorf("running %s -encoders: %v", bin, err)
	}
	have := map[string]bool{}
	for _, line := range bytes.Split(out, []byte("\n")) {
		// " V....D libx264   libx264 H.264 / AVC …"
		f := strings.Fields(string(line))
		if len(f) >= 2 && len(f[0]) == 6 && f[0] != "------" {
			have[f[1]] = true
		}
	}
	return have, nil
}
