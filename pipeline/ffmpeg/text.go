package ffmpeg

import (
	"slices"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
)

// joinTexts is the texts one after another with sep between them, as one
// Text whose parts are translated each on its own. sep must hold no %.
func joinTexts(sep string, texts []*captions.Text) *captions.Text {
	format := strings.Join(slices.Repeat([]string{"%s"}, len(texts)), sep)
	args := make([]any, len(texts))
	for i, t := range texts {
		args[i] = t
	}
	return captions.Textf(format, args...)
}
