package pipeline

import (
	"os"
	"strings"
)

// Rendition is what a destination wants of a lesson's render beyond the
// course's settings. The zero Rendition is YouTube's: one video with the
// interpreter burned in.
type Rendition struct {
	// SignSeparate: with sign.layout: window, the main video stays clean
	// and the interpreter is rendered as a video of its own (Upload.Sign),
	// for a player that shows it in a window of its own.
	SignSeparate bool
}

// RenditionTarget is implemented by a Target that wants another rendition
// than the zero one.
type RenditionTarget interface {
	RenditionOptions() Rendition
}

// RenditionOf is the rendition target t wants.
func RenditionOf(t Target) Rendition {
	if rt, ok := t.(RenditionTarget); ok {
		return rt.RenditionOptions()
	}
	return Rendition{}
}

// RenditionRenderer is implemented by a Renderer that can make other
// renditions: New gives the Publisher the renderer for its target's. The
// renderer's Settings must tell renditions apart, since the render cache
// and the record are keyed on them.
type RenditionRenderer interface {
	ForRendition(Rendition) Renderer
}

// SignFile is where a render into out puts the interpreter's video when it
// keeps it apart (Rendition.SignSeparate): "X.sign.mp4" beside "X.mp4". A
// renderer writes it before out, so that out existing means both are done.
func SignFile(out string) string {
	return strings.TrimSuffix(out, ".mp4") + ".sign.mp4"
}

// existing is path when a file is there, else "".
func existing(path string) string {
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
}
