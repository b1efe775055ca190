package captions

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func addSeeds(f *testing.F) {
	for _, name := range testFiles(f) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzSRT: parsing never panics, and whatever parses is written as SRT
// and as WebVTT and read back to the same cues.
func FuzzSRT(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		file := ParseSRT(b)
		var out bytes.Buffer
		if err := WriteSRT(&out, file); err != nil {
			t.Fatal(err)
		}
		again := ParseSRT(out.Bytes())
		if diff := cmp.Diff(srtCues(file.Cues), srtCues(again.Cues)); diff != "" {
			t.Fatalf("SRT round trip changed the cues (-first +second):\n%s\nwritten:\n%s", diff, out.String())
		}
		out.Reset()
		if err := WriteVTT(&out, file); err != nil {
			t.Fatal(err)
		}
		vtt := ParseVTT(out.Bytes())
		if diff := cmp.Diff(timingTexts(file.Cues), timingTexts(vtt.Cues)); diff != "" {
			t.Fatalf("SRT to WebVTT changed the cues (-srt +vtt):\n%s\nwritten:\n%s", diff, out.String())
		}
		Lint(file, DefaultProfile(), LintOptions{Language: "az", VideoDuration: 10e9})
		StripTags(string(b))
	})
}

// FuzzVTT: parsing never panics, and whatever parses is written as
// WebVTT and read back to the same cues, identifiers and settings included.
func FuzzVTT(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		file := ParseVTT(b)
		var out bytes.Buffer
		if err := WriteVTT(&out, file); err != nil {
			t.Fatal(err)
		}
		again := ParseVTT(out.Bytes())
		if diff := cmp.Diff(vttCues(file.Cues), vttCues(again.Cues)); diff != "" {
			t.Fatalf("WebVTT round trip changed the cues (-first +second):\n%s\nwritten:\n%q", diff, out.String())
		}
		if diff := cmp.Diff(file.Styles, again.Styles); diff != "" {
			t.Fatalf("WebVTT round trip changed the styles (-first +second):\n%s", diff)
		}
		// The writer keeps the cue text as it is, so control characters
		// found in it are found again; nothing else may be.
		for _, p := range again.Problems {
			if p.Rule != RuleControl || !hasRule(file.Problems, RuleControl) {
				t.Fatalf("written WebVTT has problems %v:\n%q", again.Problems, out.String())
			}
		}
		Lint(file, DefaultProfile(), LintOptions{Language: "az"})
		if err := WriteASS(io.Discard, file, ASSStyle{Width: 640, Height: 360}); err != nil {
			t.Fatal(err)
		}
	})
}

// srtCues keeps what an SRT round trip preserves: timing, text and settings
// (cue numbers are rewritten).
func srtCues(cues []Cue) []Cue {
	out := make([]Cue, len(cues))
	for i, c := range cues {
		out[i] = Cue{Start: c.Start, End: c.End, Text: c.Text, Settings: c.Settings}
	}
	return out
}

// vttCues keeps what a WebVTT round trip preserves: all but line numbers.
func vttCues(cues []Cue) []Cue {
	out := make([]Cue, len(cues))
	for i, c := range cues {
		c.Line = 0
		out[i] = c
	}
	return out
}

func hasRule(probs []Problem, rule string) bool {
	for _, p := range probs {
		if p.Rule == rule {
			return true
		}
	}
	return false
}
