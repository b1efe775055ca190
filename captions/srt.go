package captions

import (
	"strings"
	"time"
)

// ParseSRT parses a SubRip file leniently: cue numbers may be missing, the
// blank line between cues may be missing, "-->" may have no spaces around
// it, milliseconds may follow a dot instead of a comma, and hours may be
// omitted or have more than two digits. What cannot be read becomes a
// Problem; no cue is dropped without one.
func ParseSRT(b []byte) *File {
	s, probs := decode(b)
	f := &File{Format: SRT, Problems: probs}
	f.Cues = make([]Cue, 0, strings.Count(s, "-->"))

	var (
		cur        Cue    // the cue whose text is being read
		inCue      bool   // whether cur is being read
		textStart  = -1   // byte offsets of cur's text in s
		textEnd    int    //
		id         string // a cue number waiting for its timing line
		dropping   bool   // skipping the text of a cue whose timing failed
		strayLine  int    // first line of a run of text outside any cue
		strayLines int
	)
	finish := func() {
		if !inCue {
			return
		}
		if textStart >= 0 {
			cur.Text = s[textStart:textEnd]
		}
		f.Cues = append(f.Cues, cur)
		f.checkControl(cur)
		inCue, textStart = false, -1
	}
	flushStray := func() {
		if strayLine == 0 {
			return
		}
		f.strayText(strayLine, strayLines, SRT)
		strayLine, strayLines = 0, 0
	}

	ls := lines{s: s}
	for ls.next() {
		line := ls.line
		switch {
		case isBlank(line):
			finish()
			flushStray()
			dropping = false
		case strings.Contains(line, "-->"):
			finish()
			flushStray()
			start, end, settings, short, err := parseSRTTiming(line)
			if err != nil {
				f.problem(Error, RuleTiming, ls.n, "%v; this cue is left out until the line is fixed", err)
				dropping, id = true, ""
				continue
			}
			for _, t := range short {
				f.shortFraction(ls.n, t)
			}
			cur, inCue = Cue{Start: start, End: end, Settings: settings, Line: ls.n, ID: id}, true
			id, dropping = "", false
		case !inCue && nearMissArrow(line) != "":
			finish()
			flushStray()
			f.nearMiss(ls.n, nearMissArrow(line))
			dropping, id = true, ""
		case isDigits(strings.TrimSpace(line)) && (strings.Contains(ls.peek(), "-->") || nearMissArrow(ls.peek()) != ""):
			finish()
			flushStray()
			id = strings.TrimSpace(line)
		case inCue:
			if textStart < 0 {
				textStart = ls.start
			}
			textEnd = ls.start + len(line)
		case dropping:
		default:
			if strayLine == 0 {
				strayLine = ls.n
			}
			strayLines++
		}
	}
	finish()
	flushStray()
	return f
}

// strayText reports lines of text that belong to no cue.
func (f *File) strayText(line, n int, format string) {
	hint := textf("add a timing line (00:00:01,000 --> 00:00:02,000) above it, or remove the blank line that separates it from the cue above")
	if format == VTT {
		hint = textf("add a timing line (00:00:01.000 --> 00:00:02.000) above it, remove the blank line that separates it from the cue above, or start it with NOTE if it is a comment")
	}
	if n > 1 {
		f.problem(Error, RuleStrayText, line, "this line and the next %s are outside any cue, so viewers would never see it: %s", count(n-1, "1 line", "%d lines"), hint)
		return
	}
	f.problem(Error, RuleStrayText, line, "this line is outside any cue, so viewers would never see it: %s", hint)
}

// parseSRTTiming reads "START --> END [settings]". short lists the times
// written with only one or two digits after the comma.
func parseSRTTiming(line string) (start, end time.Duration, settings string, short []string, err error) {
	i := strings.Index(line, "-->")
	left := strings.TrimSpace(line[:i])
	right := strings.TrimLeft(line[i+3:], " \t")
	endText := right
	if j := indexSpace(right); j >= 0 {
		endText, settings = right[:j], strings.TrimSpace(right[j:])
	}
	if start, err = parseSRTTime(left); err != nil {
		return 0, 0, "", nil, textf("cannot read the start time %s: %v", quote(left), err)
	}
	if end, err = parseSRTTime(endText); err != nil {
		return 0, 0, "", nil, textf("cannot read the end time %s: %v", quote(endText), err)
	}
	for _, t := range [2]string{left, endText} {
		if k := lastIndexFraction(t); k >= 0 && len(t)-k-1 < 3 && len(t)-k-1 > 0 && strings.Count(t, ":") < 3 {
			short = append(short, t)
		}
	}
	return start, end, settings, short, nil
}

// shortFraction warns about a time with one or two digits of
// milliseconds, which readers disagree on.
func (f *File) shortFraction(line int, t string) {
	if f.full(Warning) {
		return
	}
	d, _ := parseSRTTime(t)
	k := lastIndexFraction(t)
	digits := t[k+1:]
	literal, _ := atoi(digits, 1, 3)
	other := d - d%time.Second + time.Duration(literal)*time.Millisecond
	sep := textf("comma")
	if t[k] == '.' {
		sep = textf("dot")
	}
	f.problem(Warning, RuleFraction, line, "the time %s has only %s after the %s: lessonpub reads it as %s, but ffmpeg and some players read %s; write all three digits of milliseconds (%s)",
		quote(t), count(len(digits), "1 digit", "%d digits"), sep, formatTime(d, SRT), formatTime(other, SRT), formatTime(d, SRT))
}

// nearMissArrows are what people type instead of "-->", longest first.
var nearMissArrows = []string{"-- >", "- ->", "==>", "—>", "–>", "->", "=>"}

// nearMissArrow returns the arrow of line when line is a timing line with a
// wrong arrow ("00:00:01,000 -> 00:00:02,000"), or "".
func nearMissArrow(line string) string {
	if strings.Contains(line, "-->") {
		return ""
	}
	for _, a := range nearMissArrows {
		i := strings.Index(line, a)
		if i < 0 {
			continue
		}
		left := strings.TrimSpace(line[:i])
		right := strings.TrimLeft(line[i+len(a):], " \t")
		if j := indexSpace(right); j >= 0 {
			right = right[:j]
		}
		if _, err := parseSRTTime(left); err != nil {
			return ""
		}
		if _, err := parseSRTTime(right); err != nil {
			return ""
		}
		return a
	}
	return ""
}

// nearMiss reports a timing line whose arrow is not "-->".
func (f *File) nearMiss(line int, arrow string) {
	f.problem(Error, RuleTiming, line, "this looks like a timing line but the arrow is %s; write --> (two hyphens and >); this cue is left out until the line is fixed", quote(arrow))
}

// checkControl reports control characters in the text of c: YouTube
// rejects them or shows them as boxes.
func (f *File) checkControl(c Cue) {
	text := c.Text
	for i := 0; i < len(text); i++ {
		ch := text[i]
		if ch >= 0x20 && ch != 0x7f || ch == '\t' || ch == '\n' {
			continue
		}
		line := c.Line + 1 + strings.Count(text[:i], "\n")
		f.problem(Error, RuleControl, line, "the cue text holds the invisible control character U+%04X: YouTube rejects it or shows a box; delete it (your editor may show it as %s)", ch, controlPicture(ch))
		return
	}
}

// controlPicture returns how editors commonly show control character c.
func controlPicture(c byte) string {
	if c == 0x7f {
		return "^?"
	}
	return "^" + string(rune('@'+c))
}

const srtTimeHint = "write times as hours:minutes:seconds,milliseconds, for example 00:01:02,500"

// parseSRTTime reads H:MM:SS,mmm leniently: a dot (or a third colon) instead
// of the comma, 1 to 3 fraction digits or none, up to 5 hour digits, hours
// omitted, one-digit minutes and seconds.
func parseSRTTime(s string) (time.Duration, error) {
	if s == "" {
		return 0, textf("it is missing; %s", textf(srtTimeHint))
	}
	hms, frac := s, ""
	hasFrac := false
	if k := lastIndexFraction(s); k >= 0 {
		hms, frac, hasFrac = s[:k], s[k+1:], true
	}
	var f [4]string
	n := 0
	for {
		k := strings.IndexByte(hms, ':')
		if n == len(f) {
			return 0, textf(srtTimeHint)
		}
		if k < 0 {
			f[n] = hms
			n++
			break
		}
		f[n] = hms[:k]
		n++
		hms = hms[k+1:]
	}
	if n == 4 && !hasFrac { // HH:MM:SS:mmm
		frac, hasFrac, n = f[3], true, 3
	}
	var h int
	var ok bool
	switch n {
	case 3:
		if h, ok = atoi(f[0], 1, 5); !ok {
			return 0, textf(srtTimeHint)
		}
		f[0], f[1] = f[1], f[2]
	case 2:
	default:
		return 0, textf(srtTimeHint)
	}
	m, ok1 := atoi(f[0], 1, 2)
	sec, ok2 := atoi(f[1], 1, 2)
	switch {
	case !ok1 || !ok2:
		return 0, textf(srtTimeHint)
	case m > 59 || sec > 59:
		return 0, textf("%s (minutes and seconds go up to 59)", textf(srtTimeHint))
	}
	ms := 0
	if hasFrac {
		if ms, ok = atoi(frac, 1, 3); !ok {
			return 0, textf("%s (1 to 3 digits of milliseconds)", textf(srtTimeHint))
		}
		for k := len(frac); k < 3; k++ {
			ms *= 10
		}
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond, nil
}

// indexSpace returns the index of the first space or tab in s, or -1.
func indexSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			return i
		}
	}
	return -1
}

// lastIndexFraction returns the index of the last comma or dot in s, or -1.
func lastIndexFraction(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ',' || s[i] == '.' {
			return i
		}
	}
	return -1
}

// atoi reads a decimal of min to max ASCII digits.
func atoi(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isBlank reports whether an SRT line is empty or only spaces and tabs.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\f', '\v':
		default:
			return false
		}
	}
	return true
}

// lines walks the lines of a "\n"-separated text without allocating.
type lines struct {
	s     string
	pos   int    // start of the next line
	start int    // start of line
	line  string // the current line, without "\n"
	n     int    // 1-based number of the current line
}

func (l *lines) next() bool {
	if l.pos >= len(l.s) {
		return false
	}
	l.start = l.pos
	l.n++
	if i := strings.IndexByte(l.s[l.pos:], '\n'); i >= 0 {
		l.line = l.s[l.pos : l.pos+i]
		l.pos += i + 1
	} else {
		l.line = l.s[l.pos:]
		l.pos = len(l.s)
	}
	return true
}

// peek returns the line after the current one.
func (l *lines) peek() string {
	if l.pos >= len(l.s) {
		return ""
	}
	rest := l.s[l.pos:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		return rest[:i]
	}
	return rest
}
