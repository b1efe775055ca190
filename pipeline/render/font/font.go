// Package font ships the font burned-in captions are drawn with, DejaVu Sans,
// inside the lessonpub binary: it has every Azerbaijani (ə ğ ı İ ö ü ç ş) and
// Cyrillic letter, and Windows and macOS do not come with it. Install writes
// it once to a folder that ffmpeg's subtitles filter reads as its fontsdir.
//
// DejaVu Sans is free to redistribute; its licence is the file LICENSE beside
// the font.
package font

import (
	"bytes"
	_ "embed"
	"os"
	"path/filepath"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// Name is the font's family name, for a subtitle style's FontName.
const Name = "DejaVu Sans"

// FileName is the font file's name in the folder Install writes.
const FileName = "DejaVuSans.ttf"

//go:embed DejaVuSans.ttf
var ttf []byte

// TTF is the font file's content.
func TTF() []byte { return ttf }

// CacheDir is where Install writes the font by default:
// os.UserCacheDir()/lessonpub/fonts.
func CacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", captions.Errorf("finding the cache folder for the caption font: %w (set XDG_CACHE_HOME on Linux, or HOME)", err)
	}
	return filepath.Join(d, "lessonpub", "fonts"), nil
}

// Install makes sure dir (CacheDir when "") holds the font, writing it when
// it is missing or differs in size or content, atomically, so that two
// lessonpub runs at once never see half a font. It returns the folder.
func Install(dir string) (string, error) {
	if dir == "" {
		var err error
		if dir, err = CacheDir(); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, FileName)
	if Installed(path) {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", captions.Errorf(notWritten, err)
	}
	if err := atomicfile.WriteFile(path, ttf, 0o644); err != nil {
		return "", captions.Errorf(notWritten, err)
	}
	return dir, nil
}

// notWritten is the error of a font file that could not be written.
const notWritten = "writing the caption font: %w (make the folder writable, or free some disk space)"

// Installed reports whether the file at path is the shipped font: same size
// and same bytes.
func Installed(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != int64(len(ttf)) {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return bytes.Equal(data, ttf)
}
