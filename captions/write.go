package captions

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// Write writes f to w in format (SRT or VTT), always as UTF-8 with "\n" line ends.
func Write(w io.Writer, f *File, format string) error {
	switch format {
	case SRT:
		return WriteSRT(w, f)
	case VTT:
		return WriteVTT(w, f)
	}
	return Errorf("unknown caption format %q: use srt or vtt", format)
}

// WriteSRT writes the cues of f as SubRip, numbered from 1. Text lines that
// SubRip cannot carry (blank lines, lines containing "-->") are left out.
func WriteSRT(w io.Writer, f *File) error {
	b := make([]byte, 0, 64*len(f.Cues)+len(f.Cues)*avgText(f))
	for i, c := range f.Cues {
		if i > 0 {
			b = append(b, '\n')
		}
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, '\n')
		b = appendTiming(b, c, ',', f.Format == SRT)
		b = appendText(b, c.Text, isBlank)
	}
	_, err := w.Write(b)
	return err
}

// WriteVTT writes f as WebVTT: the header, STYLE and REGION blocks, and the
// cues with their identifiers and settings. Cues from a SubRip file are
// numbered from 1, as WriteSRT numbers them.
func WriteVTT(w io.Writer, f *File) error {
	b := make([]byte, 0, 16+64*len(f.Cues)+len(f.Cues)*avgText(f))
	b = append(b, "WEBVTT"...)
	if h := f.Header; f.Format == VTT && h != "" && (h[0] == ' ' || h[0] == '\t' || h[0] == '\n') &&
		!strings.Contains(h, "-->") && !strings.Contains(h, "\n\n") {
		for i, line := range strings.Split(h, "\n") {
			if i > 0 && isBlank(line) {
				continue // a line of spaces would read as part of the header, not as the blank line after it
			}
			if i > 0 {
				b = append(b, '\n')
			}
			b = append(b, line...)
		}
	}
	b = append(b, '\n')
	for _, st := range f.Styles {
		b = append(b, "\nSTYLE\n"...)
		b = appendText(b, st, isEmpty)
	}
	for _, r := range f.Regions {
		b = append(b, "\nREGION\n"...)
		b = appendText(b, r, isEmpty)
	}
	for i, c := range f.Cues {
		b = append(b, '\n')
		if f.Format == SRT {
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, '\n')
		} else if id := oneLine(c.ID); id != "" && !strings.Contains(id, "-->") {
			b = append(b, id...)
			b = append(b, '\n')
		}
		b = appendTiming(b, c, '.', f.Format == VTT)
		b = appendText(b, c.Text, isEmpty)
	}
	_, err := w.Write(b)
	return err
}

// appendTiming appends the cue's timing line, "START --> END", with sep
// before the milliseconds and, when settings is true, the cue's settings
// (which belong to the format the file was read in).
func appendTiming(b []byte, c Cue, sep byte, settings bool) []byte {
	b = appendTime(b, c.Start, sep)
	b = append(b, " --> "...)
	b = appendTime(b, c.End, sep)
	if settings && c.Settings != "" {
		b = append(b, ' ')
		b = append(b, oneLine(c.Settings)...)
	}
	return append(b, '\n')
}

func avgText(f *File) int {
	if len(f.Cues) == 0 {
		return 0
	}
	return len(f.Cues[0].Text) + 2
}

func isEmpty(s string) bool { return s == "" }

// appendText appends text line by line, each followed by "\n", leaving out
// lines the format cannot carry: those skip reports and those with "-->".
func appendText(b []byte, text string, skip func(string) bool) []byte {
	if !strings.ContainsAny(text, "\n\r") && !strings.Contains(text, "-->") && !skip(text) {
		return append(append(b, text...), '\n')
	}
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimRight(line, "\r")
		if skip(line) || strings.Contains(line, "-->") {
			continue
		}
		b = append(b, line...)
		b = append(b, '\n')
	}
	return b
}

func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// appendTime appends d as HH:MM:SS,mmm (sep ',') or HH:MM:SS.mmm (sep '.'),
// with more hour digits when needed.
func appendTime(b []byte, d time.Duration, sep byte) []byte {
	if d < 0 {
		d = 0
	}
	ms := int64(d / time.Millisecond)
	h := ms / 3600000
	m := ms / 60000 % 60
	s := ms / 1000 % 60
	ms %= 1000
	if h < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, h, 10)
	b = append(b, ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10), sep,
		byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	return b
}

// formatTime writes d the way the file's format does, for messages.
func formatTime(d time.Duration, format string) string {
	sep := byte(',')
	if format == VTT {
		sep = '.'
	}
	return string(appendTime(nil, d, sep))
}

func quote(s string) string { return strconv.Quote(s) }
