package ffmpeg

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrMissing is wrapped by errors about ffmpeg or ffprobe not being installed
// or being too old.
var ErrMissing = errors.New("ffmpeg is missing or too old")

// installHint says how to install ffmpeg on this OS.
func installHint() string {
	switch runtime.GOOS {
	case "windows":
		return "install it with 'winget install Gyan.FFmpeg', open a new terminal and run the command again"
	case "darwin":
		return "install it with 'brew install ffmpeg' and run the command again"
	default:
		return "install it with 'sudo apt-get install ffmpeg' (Debian/Ubuntu) and run the command again"
	}
}

// lookTool finds ffmpeg or ffprobe on PATH.
func lookTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %s not found on PATH: %s", ErrMissing, name, installHint())
	}
	return p, nil
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
