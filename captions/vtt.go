package captions

import (
	"strings"
	"time"
)

// ParseVTT parses a WebVTT file following the file-parsing algorithm of the
// W3C WebVTT specification: the WEBVTT header with any text after it, cue
// identifiers, cue settings, NOTE, STYLE and REGION blocks, and timestamps
// with or without hours. Where the specification silently skips something
// (a bad timing line, text outside any cue) a Problem says so.
func ParseVTT(b []byte) *File {
	s, probs := decode(b)
	f := &File{Format: VTT, Problems: probs}
	f.Cues = make([]Cue, 0, strings.Count(s, "-->"))
	p := vttParser{s: s, line: 1, f: f}

	if hasVTTSignature(s) {
		// The rest of the first line, then the header block.
		eol := strings.IndexByte(s, '\n')
		if eol < 0 {
			f.Header = s[6:]
			return f
		}
		p.pos, p.line = eol+1, 2
		if p.pos < len(s) && s[p.pos] != '\n' {
			if p.block(true) && !p.warnedHeader {
				// the header block ended at a timing line
				f.problem(Warning, RuleBlankLine, p.line, "no blank line between the WEBVTT line and this cue: add one; many players (video.js, ffmpeg) show no captions at all without it")
			}
		}
		f.Header = strings.TrimRight(s[6:p.pos], "\n")
	} else {
		hint := textf("add the line WEBVTT and a blank line at the top of the file")
		if looksLikeSRT(s) {
			hint = textf("this looks like a SubRip file: rename it to .srt, or convert it with 'lessonpub captions convert IN.srt OUT.vtt'")
		}
		f.problem(Error, RuleHeader, 1, "a WebVTT file must start with the line WEBVTT: %s", hint)
	}
	for p.pos < len(s) {
		p.skipBlankLines()
		if p.pos >= len(s) {
			break
		}
		p.block(false)
	}
	return f
}

func hasVTTSignature(s string) bool {
	if !strings.HasPrefix(s, "WEBVTT") {
		return false
	}
	return len(s) == 6 || s[6] == ' ' || s[6] == '\t' || s[6] == '\n'
}

func looksLikeSRT(s string) bool {
	first, _, _ := strings.Cut(s, "\n")
	if isDigits(strings.TrimSpace(first)) {
		return true
	}
	arrow := strings.Index(s, "-->")
	return arrow > 0 && strings.Contains(s[max(0, arrow-6):arrow], ",")
}

type vttParser struct {
	s       string
	pos     int // byte offset of the next line
	line    int // number of the line at pos
	f       *File
	seenCue bool

	warnedHeader bool // a blank-line warning was given for the header
}

func (p *vttParser) skipBlankLines() {
	for p.pos < len(p.s) && p.s[p.pos] == '\n' {
		p.pos++
		p.line++
	}
}

// block is the specification's "collect a WebVTT block".
// It reports whether the block ended at a timing line rather than at a
// blank line or the end of the file.
func (p *vttParser) block(inHeader bool) (atArrow bool) {
	s := p.s
	var (
		lineCount         int
		prevPos, prevLine = p.pos, p.line
		bufStart, bufEnd  = -1, -1
		seenArrow         bool
		cue               Cue
		isCue             bool
		timingFailed      bool
		isStyle, isRegion bool
		firstLine         = p.line
		endedByArrow      bool
		textLines         int
	)
	for {
		start, n := p.pos, p.line
		end := len(s)
		if i := strings.IndexByte(s[start:], '\n'); i >= 0 {
			end = start + i
		}
		line := s[start:end]
		lineCount++
		eof := end >= len(s)
		if eof {
			p.pos = len(s)
		} else {
			p.pos, p.line = end+1, p.line+1
		}
		if strings.Contains(line, "-->") {
			if !inHeader && (lineCount == 1 || (lineCount == 2 && !seenArrow)) {
				seenArrow = true
				prevPos, prevLine = p.pos, p.line
				id := ""
				if bufStart >= 0 {
					id = s[bufStart:bufEnd]
				}
				startT, endT, settings, err := parseVTTTiming(line)
				if err != nil {
					p.f.problem(Error, RuleTiming, n, "%v; this cue is left out until the line is fixed", err)
					isCue, timingFailed = false, true
				} else {
					cue, isCue = Cue{Start: startT, End: endT, Settings: settings, Line: n, ID: id}, true
					bufStart, bufEnd = -1, -1
					p.seenCue = true
				}
			} else {
				p.pos, p.line = prevPos, prevLine
				endedByArrow, atArrow = !inHeader, true
				break
			}
		} else if line == "" {
			break
		} else if !inHeader && !seenArrow && !timingFailed && lineCount <= 2 && nearMissArrow(line) != "" {
			p.f.nearMiss(n, nearMissArrow(line))
			timingFailed = true
		} else {
			if inHeader && isBlank(line) && !p.warnedHeader {
				p.warnedHeader = true
				p.f.problem(Warning, RuleBlankLine, n, "this line looks blank but holds spaces or a tab, so the header runs on into the cues: make it truly empty; many players (video.js, ffmpeg) show no captions at all otherwise")
			}
			if !inHeader && lineCount == 2 && bufStart >= 0 {
				buf := s[bufStart:bufEnd]
				if !p.seenCue && isBlockWord(buf, "STYLE") {
					isStyle, bufStart, bufEnd = true, -1, -1
				} else if !p.seenCue && isBlockWord(buf, "REGION") {
					isRegion, bufStart, bufEnd = true, -1, -1
				}
			}
			if bufStart < 0 {
				bufStart = start
			}
			bufEnd = end
			textLines++
			prevPos, prevLine = p.pos, p.line
		}
		if eof {
			break
		}
	}
	buf := ""
	if bufStart >= 0 {
		buf = s[bufStart:bufEnd]
	}
	switch {
	case isCue:
		cue.Text = buf
		p.f.Cues = append(p.f.Cues, cue)
		p.f.checkControl(cue)
	case isStyle:
		p.f.Styles = append(p.f.Styles, buf)
	case isRegion:
		p.f.Regions = append(p.f.Regions, buf)
	case inHeader, timingFailed:
	case isBlockWord(firstWordLine(buf), "NOTE"):
	case p.seenCue && (isBlockWord(firstWordLine(buf), "STYLE") || isBlockWord(firstWordLine(buf), "REGION")):
		p.f.problem(Warning, RuleIgnored, firstLine, "players ignore STYLE and REGION blocks after the first cue: move this block above the cues")
	default:
		p.f.strayText(firstLine, textLines, VTT)
	}
	if endedByArrow {
		p.f.problem(Warning, RuleBlankLine, p.line, "no blank line before this cue: add one, or players may show this cue's number or first line as part of the cue above")
	}
	return atArrow
}

func firstWordLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// isBlockWord reports whether s is word followed by nothing or by whitespace
// (STYLE, REGION) or, for NOTE, by a space, tab or the end.
func isBlockWord(s, word string) bool {
	if !strings.HasPrefix(s, word) {
		return false
	}
	rest := s[len(word):]
	if word == "NOTE" {
		return rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n'
	}
	return strings.Trim(rest, " \t\n\f\r") == ""
}

const vttTimeHint = "write times as hours:minutes:seconds.milliseconds, for example 00:01:02.500 or 01:02.500"

var errVTTTime = textf(vttTimeHint)

// parseVTTTiming is the specification's "collect WebVTT cue timings and settings".
func parseVTTTiming(line string) (start, end time.Duration, settings string, err error) {
	rest := skipVTTSpace(line)
	start, rest, err = vttTimestamp(rest)
	if err != nil {
		return 0, 0, "", textf("cannot read the start time: %v", err)
	}
	rest = skipVTTSpace(rest)
	if !strings.HasPrefix(rest, "-->") {
		return 0, 0, "", textf("expected --> after the start time: %s", errVTTTime)
	}
	rest = skipVTTSpace(rest[3:])
	end, rest, err = vttTimestamp(rest)
	if err != nil {
		return 0, 0, "", textf("cannot read the end time: %v", err)
	}
	return start, end, strings.TrimSpace(rest), nil
}

func skipVTTSpace(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t' || s[0] == '\f') {
		s = s[1:]
	}
	return s
}

func leadingDigits(s string) (string, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// vttTimestamp is the specification's "collect a WebVTT timestamp".
func vttTimestamp(s string) (time.Duration, string, error) {
	bad := errVTTTime
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, s, bad
	}
	d1, s := leadingDigits(s)
	hours := len(d1) != 2
	v1, ok := atoi(d1, 1, 6)
	if !ok {
		return 0, s, bad
	}
	if v1 > 59 {
		hours = true
	}
	if s == "" || s[0] != ':' {
		return 0, s, bad
	}
	d2, s := leadingDigits(s[1:])
	if len(d2) != 2 {
		return 0, s, bad
	}
	v2, _ := atoi(d2, 2, 2)
	var v3 int
	if hours || (s != "" && s[0] == ':') {
		if s == "" || s[0] != ':' {
			return 0, s, bad
		}
		var d3 string
		d3, s = leadingDigits(s[1:])
		if len(d3) != 2 {
			return 0, s, bad
		}
		v3, _ = atoi(d3, 2, 2)
	} else {
		v1, v2, v3 = 0, v1, v2
	}
	if s == "" || s[0] != '.' {
		if s != "" && s[0] == ',' {
			return 0, s, textf("WebVTT needs a dot before the milliseconds, not a comma: %s", errVTTTime)
		}
		return 0, s, bad
	}
	d4, s := leadingDigits(s[1:])
	if len(d4) != 3 {
		return 0, s, textf("WebVTT needs exactly 3 digits of milliseconds: %s", errVTTTime)
	}
	v4, _ := atoi(d4, 3, 3)
	if v2 > 59 || v3 > 59 {
		return 0, s, textf("minutes and seconds go up to 59: %s", errVTTTime)
	}
	return time.Duration(v1)*time.Hour + time.Duration(v2)*time.Minute + time.Duration(v3)*time.Second + time.Duration(v4)*time.Millisecond, s, nil
}
