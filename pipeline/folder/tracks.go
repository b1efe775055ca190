package folder

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// A video kept as files (by this target and by the course site) keeps each
// caption track as captions/LANG.srt in its folder; the track's id is
// VIDEO/LANG. These functions are that layout, in one place.

// Tracks lists the caption tracks kept in the video folder dir, by
// language.
func Tracks(dir, videoID string) (map[string]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "captions"))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	tracks := map[string]string{}
	for _, e := range entries {
		if lang, ok := strings.CutSuffix(e.Name(), ".srt"); ok {
			tracks[lang] = videoID + "/" + lang
		}
	}
	return tracks, nil
}

// WriteTrack keeps c in the video folder dir and returns the track's id.
func WriteTrack(dir, videoID string, c pipeline.Caption) (string, error) {
	if err := CheckLanguage(c.Language); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(dir, "captions"), 0o755); err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "captions", c.Language+".srt"), c.SRT, 0o644); err != nil {
		return "", err
	}
	return videoID + "/" + c.Language, nil
}

// RemoveTrack removes the lang track from the video folder dir; a track
// already gone counts as removed.
func RemoveTrack(dir, lang string) error {
	if err := CheckLanguage(lang); err != nil {
		return err
	}
	err := os.Remove(filepath.Join(dir, "captions", lang+".srt"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// CheckLanguage refuses a track language that could name a path outside
// the captions folder: it comes from the record, which a person can edit.
func CheckLanguage(lang string) error {
	if lang == "" || strings.ContainsAny(lang, `/\ `) || strings.Contains(lang, "..") {
		return captions.Errorf("the record names a caption track in %q, which is not a language: fix or delete %s in the course folder", lang, filepath.Join(pipeline.RecordDir, pipeline.RecordFile))
	}
	return nil
}
