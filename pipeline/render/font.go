package render

import "github.com/lessonpub/lessonpub/pipeline/render/font"

// captionFont returns the folder to give the subtitles filter as fontsdir
// and the family name for the style's FontName: DejaVu Sans, shipped inside
// lessonpub (it has every Azerbaijani and Russian letter) and written once
// to the user's cache folder, so no font package is needed on any OS.
func captionFont() (fontsdir, name string, err error) {
	dir, err := font.Install("")
	if err != nil {
		return "", "", err
	}
	return dir, font.Name, nil
}
