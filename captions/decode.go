package captions

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// decode turns the raw bytes of a caption file into text with "\n" line
// ends and NUL characters replaced by U+FFFD (the first reported). UTF-8 (with or without a byte order mark) is normal; UTF-16 with a
// byte order mark is decoded with a warning, and so is UTF-32 (whose byte
// order mark starts like UTF-16's, so it is checked first); anything else gets an error
// problem naming the likely legacy code page and is decoded with it, so the
// rest of the file can still be checked.
func decode(b []byte) (string, []Problem) {
	var probs []Problem
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(b, []byte{0, 0, 0xFE, 0xFF}):
		order, name, iconv := utf32.LittleEndian, "UTF-32 little-endian", "UTF-32LE"
		if b[0] == 0 {
			order, name, iconv = utf32.BigEndian, "UTF-32 big-endian", "UTF-32BE"
		}
		d, err := utf32.UTF32(order, utf32.ExpectBOM).NewDecoder().Bytes(b)
		if err == nil {
			b = d
			probs = append(probs, newProblem(Warning, RuleEncoding, 1,
				"the file is %s; lessonpub reads it, but YouTube takes only UTF-8 and most players "+
					"cannot read it: convert it with 'lessonpub captions convert' (which writes UTF-8) or with "+
					"'iconv -f %s -t UTF-8 old.srt > new.srt'", name, iconv))
		}
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		order, name := unicode.LittleEndian, "UTF-16 little-endian"
		if b[0] == 0xFE {
			order, name = unicode.BigEndian, "UTF-16 big-endian"
		}
		d, err := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err == nil {
			b = d
			probs = append(probs, newProblem(Warning, RuleEncoding, 1,
				"the file is %s; lessonpub reads it, but YouTube takes only UTF-8: "+
					"convert it with 'lessonpub captions convert' (which writes UTF-8) or save it as UTF-8 in your editor", name))
		}
	}
	if !utf8.Valid(b) {
		bad := firstInvalid(b)
		line := 1 + bytes.Count(b[:bad], []byte{'\n'})
		if bytes.IndexByte(b, '\n') < 0 {
			line = 1 + bytes.Count(b[:bad], []byte{'\r'})
		}
		name, iconv, cm := guessCodePage(b)
		probs = append(probs, newProblem(Error, RuleEncoding, line,
			"the file is not UTF-8 (this line has bytes that are not UTF-8); it looks like %s"+
				"; YouTube takes only UTF-8: convert it with 'iconv -f %s -t UTF-8 old.srt > new.srt'"+
				" or open it in your editor and save it with the UTF-8 encoding", name, iconv))
		if d, err := cm.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	s := string(b)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		probs = append(probs, newProblem(Error, RuleControl, 1+strings.Count(s[:i], "\n"),
			"this line holds the invisible control character U+0000 (NUL): YouTube rejects it or shows a box; delete it (your editor may show it as ^@)"))
		s = strings.ReplaceAll(s, "\x00", "\uFFFD") // as WebVTT requires
	}
	return s, probs
}

// firstInvalid returns the offset of the first byte of b that is not part of
// valid UTF-8.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// guessCodePage tells Windows-1251 (Cyrillic) from Windows-1254 (Turkish,
// used for Azerbaijani without ə) by how the bytes above 0x7F sit: Cyrillic
// words are runs of such bytes, Turkish words are ASCII letters with a few
// of them in between.
func guessCodePage(b []byte) (name *Text, iconv string, cm encoding.Encoding) {
	var runs, mixed int
	for i := 1; i < len(b); i++ {
		hi0, hi1 := b[i-1] >= 0x80, b[i] >= 0x80
		switch {
		case hi0 && hi1:
			runs++
		case hi0 && isASCIILetter(b[i]), hi1 && isASCIILetter(b[i-1]):
			mixed++
		}
	}
	if runs > mixed {
		return textf("Windows-1251 (Cyrillic)"), "WINDOWS-1251", charmap.Windows1251
	}
	return textf("Windows-1254 (Turkish)"), "WINDOWS-1254", charmap.Windows1254
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
