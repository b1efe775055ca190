package captions

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// ASSStyle is how captions burned into a picture look. Sizes are in pixels
// of the picture, which is also the script's resolution (PlayResX and
// PlayResY), so what is asked for is what is drawn.
type ASSStyle struct {
	Width, Height int     // the picture
	Font          string  // font family, e.g. "DejaVu Sans"; "" for DejaVu Sans
	Size          float64 // text height as a fraction of the picture height; 0 for 0.06 (BBC: 7–8 % line height)
	Outline       float64 // outline width in pixels; 0 for 1/16 of the text height
	// Margins keep the text off the picture's edges and off an
	// interpreter's box: left, right and bottom, in pixels; 0 for 3 % of
	// the width (sides) and 5 % of the height (bottom).
	MarginL, MarginR, MarginV int
}

// WriteASS writes the cues of f as an Advanced SubStation Alpha script for
// burning in with libass: one style, one Dialogue line per cue. <i>, <b>
// and <u> become italics, bold and underline; every other tag (voices
// such as <v Teacher>, classes, SSA codes like {\an8}) is dropped, as
// StripTags drops it, and entities are decoded. Braces and backslashes in
// the text are shown as written.
func WriteASS(w io.Writer, f *File, st ASSStyle) error {
	if st.Width <= 0 || st.Height <= 0 {
		// untranslated: a caller's mistake (render always gives the size), not the teacher's
		return errors.New("captions: WriteASS needs the picture's size")
	}
	if st.Font == "" {
		st.Font = "DejaVu Sans"
	}
	if st.Size <= 0 {
		st.Size = 0.06
	}
	size := math.Round(st.Size * float64(st.Height))
	if st.Outline <= 0 {
		st.Outline = math.Max(1, math.Round(size/16*10)/10)
	}
	if st.MarginL <= 0 {
		st.MarginL = st.Width * 3 / 100
	}
	if st.MarginR <= 0 {
		st.MarginR = st.Width * 3 / 100
	}
	if st.MarginV <= 0 {
		st.MarginV = st.Height * 5 / 100
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	var b strings.Builder
	b.WriteString("[Script Info]\nScriptType: v4.00+\nPlayResX: " + strconv.Itoa(st.Width) +
		"\nPlayResY: " + strconv.Itoa(st.Height) + "\nWrapStyle: 0\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n")
	b.WriteString("[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, " +
		"Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, " +
		"MarginL, MarginR, MarginV, Encoding\n")
	// White text, a half-transparent black outline, bottom centre.
	b.WriteString("Style: Default," + strings.NewReplacer(",", " ", "\n", " ").Replace(st.Font) + "," + num(size) +
		",&H00FFFFFF,&H000000FF,&H80000000,&H80000000,0,0,0,0,100,100,0,0,1," + num(st.Outline) + ",0,2," +
		strconv.Itoa(st.MarginL) + "," + strconv.Itoa(st.MarginR) + "," + strconv.Itoa(st.MarginV) + ",1\n\n")
	b.WriteString("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n")
	for _, c := range f.Cues {
		text := assText(c.Text)
		if text == "" || c.End <= c.Start {
			continue
		}
		b.WriteString("Dialogue: 0,")
		b.WriteString(assTime(c.Start))
		b.WriteByte(',')
		b.WriteString(assTime(c.End))
		b.WriteString(",Default,,0,0,0,,")
		b.WriteString(text)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// assTime writes d as H:MM:SS.cc, rounded to the centisecond.
func assTime(d time.Duration) string {
	cs := (d.Milliseconds() + 5) / 10
	h, m, s := cs/360000, cs/6000%60, cs/100%60
	cs %= 100
	return strconv.FormatInt(h, 10) + ":" + two(m) + ":" + two(s) + "." + two(cs)
}

func two(v int64) string {
	return string([]byte{byte('0' + v/10), byte('0' + v%10)})
}

// assText turns cue text into ASS event text (see WriteASS).
func assText(text string) string {
	var b strings.Builder
	lines := strings.Split(text, "\n")
	first := true
	for _, line := range lines {
		var lb strings.Builder
		for i := 0; i < len(line); {
			c := line[i]
			switch c {
			case '<':
				if j := strings.IndexByte(line[i:], '>'); j > 0 && isTag(line[i+1:i+j]) {
					lb.WriteString(assOverride(line[i+1 : i+j]))
					i += j + 1
					continue
				}
			case '{':
				if strings.HasPrefix(line[i:], `{\`) {
					if j := strings.IndexByte(line[i:], '}'); j > 0 {
						i += j + 1
						continue
					}
				}
			case '&':
				if r, n := entity(line[i:]); n > 0 {
					lb.WriteString(assEscape(r))
					i += n
					continue
				}
			}
			lb.WriteString(assEscape(line[i : i+1]))
			i++
		}
		l := lb.String()
		if strings.TrimSpace(StripTags(line)) == "" {
			continue // a line with nothing to read would only lift the text
		}
		if !first {
			b.WriteString(`\N`)
		}
		first = false
		b.WriteString(l)
	}
	return b.String()
}

// assOverride returns the ASS override for a tag's inside ("i", "/b",
// "v Teacher"): italics, bold and underline are kept, the rest dropped.
func assOverride(tag string) string {
	closing := strings.HasPrefix(tag, "/")
	name := strings.TrimPrefix(tag, "/")
	if i := strings.IndexAny(name, ". \t"); i >= 0 {
		name = name[:i]
	}
	switch strings.ToLower(name) {
	case "i", "b", "u":
		v := "1"
		if closing {
			v = "0"
		}
		return `{\` + strings.ToLower(name) + v + `}`
	}
	return ""
}

// assEscape keeps libass from reading s as markup: braces become \{ and
// \}, and a backslash that would start \N, \n or \h is followed by a word
// joiner, which shows nothing.
func assEscape(s string) string {
	switch s {
	case "{":
		return `\{`
	case "}":
		return `\}`
	case `\`:
		return "\\\u2060"
	}
	return s
}
