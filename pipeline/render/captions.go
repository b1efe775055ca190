package render

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// The captions in the video are lessonpub's reading of the caption files,
// written by lessonpub, never the files themselves: ffmpeg reads SRT and
// WebVTT its own way (it shows nothing for a WebVTT file with a STYLE
// block, reads 00:00:01,5 as 1.005 s, refuses an SRT without cue numbers),
// so what was checked would not be what students see.

// readCaptions parses a lesson's caption file.
func readCaptions(cf lessons.CaptionFile) (*captions.File, error) {
	b, err := os.ReadFile(cf.Path)
	if err != nil {
		return nil, captions.Errorf("reading the captions: %w", err)
	}
	format := cf.Format
	if format == "" {
		format = captions.FormatOf(cf.Path)
	}
	return captions.Parse(b, format)
}

// writeCaptions writes, into the job folder dir, an SRT file for each
// soft track (plain text, as YouTube gets it) and the ASS script of the
// captions to burn in, and remembers their paths for mainCommand.
func (p *Plan) writeCaptions(dir string) error {
	p.trackFiles = nil
	for i, t := range p.Tracks {
		f, err := readCaptions(t)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Path, err)
		}
		var b bytes.Buffer
		if err := captions.WriteSRT(&b, f.Plain()); err != nil {
			return err
		}
		name := filepath.Join(dir, "track"+strconv.Itoa(i)+".srt")
		if err := os.WriteFile(name, b.Bytes(), 0o600); err != nil {
			return captions.Errorf("writing the caption track: %w", err)
		}
		p.trackFiles = append(p.trackFiles, name)
	}
	p.burnFile = ""
	if p.Burn == nil {
		return nil
	}
	f, err := readCaptions(*p.Burn)
	if err != nil {
		return fmt.Errorf("%s: %w", p.Burn.Path, err)
	}
	var b bytes.Buffer
	if err := captions.WriteASS(&b, f, p.assStyle()); err != nil {
		return err
	}
	p.burnFile = filepath.Join(dir, "burn.ass")
	if err := os.WriteFile(p.burnFile, b.Bytes(), 0o600); err != nil {
		return captions.Errorf("writing the captions to burn in: %w", err)
	}
	return nil
}

// assStyle is how the captions are burned in: DejaVu Sans at 6 % of the
// picture height; with an interpreter, the side margin keeps the text off
// the interpreter's box.
func (p *Plan) assStyle() captions.ASSStyle {
	lay := p.layout
	st := captions.ASSStyle{Width: lay.W, Height: lay.H, Font: p.fontName}
	if p.Sign != nil {
		keep := lay.W - lay.Sign.X + lay.Sign.X/40 // the box, the margin and a little air
		if lay.Left {
			keep = lay.Sign.X + lay.Sign.W + (lay.W-lay.Sign.X-lay.Sign.W)/40
		}
		keep += int(math.Ceil(float64(lay.W) / 100))
		if lay.Left {
			st.MarginL = keep
		} else {
			st.MarginR = keep
		}
	}
	return st
}
