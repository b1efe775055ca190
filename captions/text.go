package captions

import (
	"strings"
)

// StripTags returns text without markup: WebVTT and SubRip tags (<i>, <b>,
// <u>, <c.class>, <v Speaker>, <lang xx>, <ruby>, <font ...>, timestamps),
// SSA override codes such as {\an8}, and with the entities &amp; &lt; &gt;
// &nbsp; &lrm; &rlm; decoded. Line breaks are kept. This is what viewers
// read, what the reading-speed rules count and what YouTube wants in an
// uploaded SRT file.
func StripTags(text string) string {
	if !hasMarkup(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '<':
			if j := strings.IndexByte(text[i:], '>'); j > 0 && isTag(text[i+1:i+j]) {
				i += j + 1
				continue
			}
		case '{':
			if strings.HasPrefix(text[i:], `{\`) {
				if j := strings.IndexByte(text[i:], '}'); j > 0 {
					i += j + 1
					continue
				}
			}
		case '&':
			if r, n := entity(text[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// isTag reports whether the text between < and > is a tag rather than, say,
// a "<" used as less-than.
func isTag(inner string) bool {
	if inner == "" || strings.ContainsAny(inner, "<\n") {
		return false
	}
	c := inner[0]
	if c == '/' {
		inner = inner[1:]
		if inner == "" {
			return false
		}
		c = inner[0]
	}
	return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9'
}

var entities = []struct{ name, text string }{
	{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", "\u00a0"}, {"&lrm;", "\u200e"}, {"&rlm;", "\u200f"},
	{"&quot;", `"`}, {"&apos;", "'"},
}

func entity(s string) (string, int) {
	for _, e := range entities {
		if strings.HasPrefix(s, e.name) {
			return e.text, len(e.name)
		}
	}
	return "", 0
}

func hasMarkup(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '<', '&', '{':
			return true
		}
	}
	return false
}
