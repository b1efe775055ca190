package render

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// captionFont is the font burned-in captions use: it has every Azerbaijani
// (ə ş ğ ı İ ö ü ç) and Russian letter.
const captionFont = "DejaVu Sans"

var fontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/TTF/DejaVuSans.ttf",
	"/usr/local/share/fonts/DejaVuSans.ttf",
	"/Library/Fonts/DejaVuSans.ttf",
}

// errNoFont says which package to install.
var errNoFont = errors.New("the DejaVu Sans font, needed to burn in captions with Azerbaijani and Russian letters, is not installed: install it with 'sudo apt-get install fonts-dejavu-core' and run the command again")

// findFont returns the path of DejaVuSans.ttf, asking fontconfig first.
func findFont(ctx context.Context) (string, error) {
	if out, err := exec.CommandContext(ctx, "fc-match", "-f", "%{file}", captionFont).Output(); err == nil {
		p := strings.TrimSpace(string(out))
		if strings.EqualFold(filepath.Base(p), "DejaVuSans.ttf") {
			return p, nil
		}
	}
	for _, p := range fontPaths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errNoFont
}
