package captions

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Rule ids of the lint rules.
const (
	RuleEndBeforeStart = "end-before-start" // error: a cue ends before (or when) it starts
	RuleOverlap        = "overlap"          // error: a cue starts while another is still showing
	RuleOrder          = "order"            // error: a cue starts before the cue above it
	RuleEmpty          = "empty"            // error: the file has no cues
	RulePastEnd        = "past-end"         // error: a cue runs past the end of the video
	RuleCPS            = "cps"              // warning: reading speed above Profile.MaxCPS
	RuleLineLength     = "line-length"      // warning: a line longer than Profile.MaxLineLength
	RuleLines          = "lines"            // warning: more than Profile.MaxLines lines
	RuleMinDuration    = "min-duration"     // warning: shorter than Profile.MinDuration
	RuleMaxDuration    = "max-duration"     // warning: longer than Profile.MaxDuration
	RuleGap            = "gap"              // warning: a gap shorter than Profile.MinGapFrames frames
	RuleMixedScript    = "mixed-script"     // warning: Latin and Cyrillic letters mixed in a word, or ä in Azerbaijani
)

// LintOptions describes what Lint knows about the file's lesson.
type LintOptions struct {
	Language      string        // BCP 47 tag of the captions, e.g. "az"; enables the Azerbaijani letter checks
	VideoDuration time.Duration // length of the lesson's video; 0 when unknown (past-end is then skipped)
	FrameRate     float64       // frames per second of the video; 0 uses Profile.FrameRate
}

// Lint checks f against the thresholds of p and returns every problem:
// those found while parsing f and those of the lint rules, ordered by line.
// A zero threshold in p turns its rule off.
func Lint(f *File, p Profile, opts LintOptions) []Problem {
	probs := slices.Clone(f.Problems)
	omitted, omitSev := f.Omitted, f.omitSev
	add := func(sev Severity, rule string, line int, format string, args ...any) {
		if len(probs) >= MaxProblems {
			omitted++
			omitSev = max(omitSev, sev)
			return
		}
		probs = append(probs, newProblem(sev, rule, line, format, args...))
	}
	if len(f.Cues) == 0 {
		add(Error, RuleEmpty, 1, "the file has no cues: add the captions, or delete the file if the lesson needs none in this language")
	}
	fps := opts.FrameRate
	if fps <= 0 {
		fps = p.FrameRate
	}
	if fps <= 0 {
		fps = 25
	}
	frame := time.Duration(float64(time.Second) / fps)
	minGap := time.Duration(float64(p.MinGapFrames) * float64(time.Second) / fps)
	az := isLatinAzerbaijani(opts.Language)
	tf := func(d time.Duration) string {
		if len(probs) >= MaxProblems {
			return "" // the message will not be kept: spare the work
		}
		return formatTime(d, f.Format)
	}

	last := -1 // index of the cue that ends last so far
	for i := range f.Cues {
		c := &f.Cues[i]
		dur := c.End - c.Start
		if dur <= 0 {
			add(Error, RuleEndBeforeStart, c.Line, "the cue ends at %s, not after it starts at %s: fix the end time", tf(c.End), tf(c.Start))
		}
		if i > 0 {
			prev := &f.Cues[i-1]
			l := &f.Cues[last]
			switch {
			case c.Start < prev.Start:
				add(Error, RuleOrder, c.Line, "the cue starts at %s, before the cue above (line %d) at %s: put the cues in time order", tf(c.Start), prev.Line, tf(prev.Start))
			case c.Start < l.End:
				add(Error, RuleOverlap, c.Line, "the cue starts at %s while the cue at line %d is still showing (until %s): end that cue by %s or start this one at %s or later", tf(c.Start), l.Line, tf(l.End), tf(c.Start), tf(l.End))
			case minGap > 0 && c.Start-l.End > 0 && c.Start-l.End < minGap:
				gap := c.Start - l.End
				add(Warning, RuleGap, c.Line, "the cue starts %d ms after the cue above ends (%.1f frames at %g fps): leave at least %d frames (%d ms), or let the cues touch", gap.Milliseconds(), gap.Seconds()*fps, fps, p.MinGapFrames, minGap.Milliseconds())
			}
		}
		if last < 0 || c.End > f.Cues[last].End {
			last = i
		}
		if opts.VideoDuration > 0 && c.End > opts.VideoDuration+frame {
			if c.Start >= opts.VideoDuration {
				add(Error, RulePastEnd, c.Line, "the cue starts at %s, after the video ends at %s: remove it, or check that these captions belong to this lesson", tf(c.Start), tf(opts.VideoDuration))
			} else {
				add(Error, RulePastEnd, c.Line, "the cue ends at %s, after the video ends at %s: end it by %s", tf(c.End), tf(opts.VideoDuration), tf(opts.VideoDuration))
			}
		}

		plain := StripTags(c.Text)
		st := scanText(plain, p.MaxLineLength, az,
			func(line, chars int) {
				add(Warning, RuleLineLength, c.Line+1+line, "the line has %d characters, more than %d: break it into two lines or shorten it", chars, p.MaxLineLength)
			},
			func(line int, msg *Text) { add(Warning, RuleMixedScript, c.Line+1+line, msg.Format, msg.Args...) })
		if dur > 0 {
			if p.MinDuration > 0 && dur < p.MinDuration {
				add(Warning, RuleMinDuration, c.Line, "the cue shows for %s, less than %s: viewers cannot read it; show it longer or join it to a neighbour", seconds(dur), seconds(p.MinDuration))
			}
			if p.MaxDuration > 0 && dur > p.MaxDuration {
				add(Warning, RuleMaxDuration, c.Line, "the cue shows for %s, more than %s: split it into shorter cues", seconds(dur), seconds(p.MaxDuration))
			}
			if p.MaxCPS > 0 {
				if cps := float64(st.chars) / dur.Seconds(); cps > p.MaxCPS {
					add(Warning, RuleCPS, c.Line, "the cue needs %.1f characters per second to read, more than %g: shorten the text or show it longer", cps, p.MaxCPS)
				}
			}
		}
		if p.MaxLines > 0 && st.lines > p.MaxLines {
			add(Warning, RuleLines, c.Line, "the cue has %d lines, more than %d: split it into two cues", st.lines, p.MaxLines)
		}
	}
	slices.SortStableFunc(probs, func(a, b Problem) int { return a.Line - b.Line })
	if omitted > 0 {
		probs = append(probs, omittedProblem(omitted, omitSev))
	}
	return probs
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(time.Millisecond).Seconds(), 'f', -1, 64) + " s"
}

// isLatinAzerbaijani reports whether tag is Azerbaijani in the Latin
// alphabet (the default script of "az").
func isLatinAzerbaijani(tag string) bool {
	lang, rest, _ := strings.Cut(strings.ToLower(tag), "-")
	return lang == "az" && !strings.Contains(rest, "cyrl")
}

// lookalikes maps letters to their twin in the other alphabet.
var lookalikes = map[rune]rune{
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'һ': 'h', 'ә': 'ə', 'ө': 'ö', 'ү': 'ü',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ә': 'Ə', 'Ө': 'Ö', 'Ү': 'Ü',
}

var latinToCyrillic = func() map[rune]rune {
	m := make(map[rune]rune, len(lookalikes))
	for c, l := range lookalikes {
		m[l] = c
	}
	return m
}()

// textStats is what Lint needs to know about a cue's plain text.
type textStats struct {
	chars int // characters a viewer reads: letters, spaces, punctuation; not line breaks
	lines int
}

// scanText walks plain text once. It counts characters and lines, calls
// longLine for every line of more than maxLine characters (0: no limit), and
// calls mixed for every word that mixes Latin and Cyrillic letters and, in
// Latin Azerbaijani text (az), for Cyrillic ә and for ä used in place of ə.
// Lines are numbered from 0.
func scanText(plain string, maxLine int, az bool, longLine func(line, chars int), mixed func(line int, msg *Text)) textStats {
	var st textStats
	if plain == "" {
		return st
	}
	st.lines = 1
	line, lineChars := 0, 0
	start := -1 // start of the current word
	var latin, cyrillic int
	var schwa, aUmlaut bool
	endWord := func(end int) {
		if (latin > 0 && cyrillic > 0) || (az && (schwa || aUmlaut)) {
			reportWord(plain[start:end], line, latin, cyrillic, az && schwa, az && aUmlaut, mixed)
		}
		start, latin, cyrillic, schwa, aUmlaut = -1, 0, 0, false, false
	}
	for i := 0; i < len(plain); {
		c := plain[i]
		if c < 0x80 {
			if l := c | 0x20; l >= 'a' && l <= 'z' {
				if start < 0 {
					start = i
				}
				latin++
			} else {
				if start >= 0 {
					endWord(i)
				}
				if c == '\n' {
					if maxLine > 0 && lineChars > maxLine {
						longLine(line, lineChars)
					}
					line++
					st.lines++
					lineChars = 0
					i++
					continue
				}
			}
			st.chars++
			lineChars++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(plain[i:])
		st.chars++
		lineChars++
		switch scriptOf(r) {
		case latinScript:
			latin++
			aUmlaut = aUmlaut || r == 'ä' || r == 'Ä'
		case cyrillicScript:
			cyrillic++
			schwa = schwa || r == 'ә' || r == 'Ә'
		case otherLetter:
		default:
			if start >= 0 {
				endWord(i)
			}
			i += size
			continue
		}
		if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		endWord(len(plain))
	}
	if maxLine > 0 && lineChars > maxLine {
		longLine(line, lineChars)
	}
	return st
}

func reportWord(word string, line, latin, cyrillic int, schwa, aUmlaut bool, report func(int, *Text)) {
	if latin > 0 && cyrillic > 0 {
		report(line, mixedWordMessage(word, latin >= cyrillic))
	} else if schwa {
		report(line, textf("the word %q has the Cyrillic letter ә (U+04D9); Azerbaijani in the Latin alphabet uses ə (U+0259): replace it", word))
	}
	if aUmlaut {
		report(line, textf("the word %q has ä, which old Turkish code pages used in place of ə: replace it with ə (U+0259), or Ä with Ə (U+018F)", word))
	}
}

const (
	notLetter = iota
	latinScript
	cyrillicScript
	otherLetter
)

// scriptOf classifies r, quickly for the letters captions here are made of.
func scriptOf(r rune) int {
	switch {
	case r < 0x80:
		if c := r | 0x20; c >= 'a' && c <= 'z' {
			return latinScript
		}
		return notLetter
	case r >= 0x0410 && r <= 0x044F: // А..я
		return cyrillicScript
	case r >= 0x00C0 && r <= 0x02AF && r != 0xD7 && r != 0xF7: // Latin-1 letters, Latin Extended-A and -B, IPA (ə)
		return latinScript
	case r >= 0x0400 && r <= 0x052F:
		if unicode.IsLetter(r) {
			return cyrillicScript
		}
		if unicode.Is(unicode.Mn, r) {
			return otherLetter
		}
		return notLetter
	case unicode.IsLetter(r):
		if unicode.Is(unicode.Latin, r) {
			return latinScript
		}
		if unicode.Is(unicode.Cyrillic, r) {
			return cyrillicScript
		}
		return otherLetter
	case unicode.Is(unicode.Mn, r):
		return otherLetter
	}
	return notLetter
}

func mixedWordMessage(word string, latinWord bool) *Text {
	for _, r := range word {
		if latinWord && unicode.Is(unicode.Cyrillic, r) {
			if l, ok := lookalikes[r]; ok {
				return textf("the Latin word %q has the Cyrillic letter %c (U+%04X): replace it with the Latin %c (U+%04X)", word, r, r, l, l)
			}
			return textf("the Latin word %q has the Cyrillic letter %c (U+%04X): retype the word in one alphabet", word, r, r)
		}
		if !latinWord && (r < 0x80 || unicode.Is(unicode.Latin, r)) && unicode.IsLetter(r) {
			if c, ok := latinToCyrillic[r]; ok {
				return textf("the Cyrillic word %q has the Latin letter %c (U+%04X): replace it with the Cyrillic %c (U+%04X)", word, r, r, c, c)
			}
			return textf("the Cyrillic word %q has the Latin letter %c (U+%04X): retype the word in one alphabet", word, r, r)
		}
	}
	return textf("the word %q mixes Latin and Cyrillic letters: retype it in one alphabet", word)
}
