package ffmpeg

import (
	"errors"
	"io/fs"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
)

// ErrMissing is wrapped by errors about ffmpeg or ffprobe not being installed
// or being too old (errors.Is; the command then points to lessonpub doctor).
var ErrMissing = captions.Errorf("ffmpeg is missing or too old")

// installHint says how to install ffmpeg on this OS.
func installHint() *captions.Text {
	switch runtime.GOOS {
	case "windows":
		return captions.Textf("install it with 'winget install Gyan.FFmpeg', open a new terminal and run the command again")
	case "darwin":
		return captions.Textf("install it with 'brew install ffmpeg' and run the command again")
	default:
		return captions.Textf("install it with 'sudo apt-get install ffmpeg' (Debian/Ubuntu) and run the command again")
	}
}

// lookTool finds ffmpeg or ffprobe on PATH.
func lookTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", captions.Errorf("%w: %s not found on PATH: %s", ErrMissing, name, installHint())
	}
	return p, nil
}

// startError is the error of starting ffmpeg or ffprobe (name) at bin.
// When the program itself could not be run (removed since it was found,
// not executable...) it wraps ErrMissing and says what the system says
// and how to install it again.
func startError(name, bin string, err error) error {
	var pe *fs.PathError
	if errors.Is(err, exec.ErrNotFound) || errors.As(err, &pe) && pe.Path == bin {
		return captions.Errorf("%w: %s could not be started (%v): %s", ErrMissing, name, err, installHint())
	}
	return captions.Errorf("starting %s: %w", name, err)
}

// safeInput makes a file name safe as an ffmpeg input or output argument:
// a relative name such as "data:x.mp4" would otherwise be read as a
// protocol, and a name starting with "-" as an option.
func safeInput(path string) string {
	if path == "-" || strings.HasPrefix(path, "pipe:") {
		return path
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if !filepath.IsAbs(path) || strings.Contains(path, ":") {
		return "file:" + path
	}
	return path
}
