// Package captionsync checks that a lesson's caption files match the speech
// in its recording, and moves those that do not: it decodes the sound with
// ffmpeg, and captions/align hears the speech and finds the offset and
// frame-rate drift. `lessonpub captions sync` and the publish gate
// (course.yaml captions.sync) both use it.
package captionsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/align"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Result is the verdict on one caption file.
type Result struct {
	File lessons.CaptionFile
	// Offset and Drift are what to apply: corrected time = cue time ×
	// Drift + Offset. Offset 0 and Drift 1 when nothing is to be done or
	// the sound cannot tell.
	Offset     time.Duration
	Drift      float64
	Confidence float64 // 0..1
	// Decided is false when the sound cannot tell (too little speech, no
	// clear match); such a file is never called out of sync.
	Decided bool
	InSync  bool
	// Part is set when only some cues are off, by a different offset.
	Part *Part
	// Speech is how much speech was heard in the recording.
	Speech  time.Duration
	Message string // for the teacher: what is wrong and what to do, in English
	// Text is Message before formatting, for a program that shows it
	// translated.
	Text *captions.Text
}

func textf(format string, args ...any) *captions.Text {
	return &captions.Text{Format: format, Args: args}
}

// Part is a run of cues off by another offset than the rest.
type Part struct {
	FirstLine, LastLine int // timing lines of its first and last cue
	Cues                int
	Offset              time.Duration
}

// Speech decodes the sound of a recording and returns where speech is,
// one value per align.Frame; the detector listens while ffmpeg decodes. A
// recording without sound gives ffmpeg.ErrNoAudio.
func Speech(ctx context.Context, recording string) ([]bool, error) {
	d := align.NewDetector()
	if err := ffmpeg.DecodeAudio(ctx, recording, align.SampleRate, d.Write); err != nil {
		return nil, err
	}
	return d.Speech(), nil
}

// CheckLesson checks every caption file of l against its recording, whose
// sound is decoded once. A lesson without a recording is an error; one
// whose recording has no sound gets undecided results.
func CheckLesson(ctx context.Context, l *lessons.Lesson) ([]Result, error) {
	if l.Recording == "" {
		return nil, captions.Errorf("lesson %s has no recording to check the captions against", l.Dir)
	}
	speech, err := Speech(ctx, l.Recording)
	noSound := errors.Is(err, ffmpeg.ErrNoAudio)
	if err != nil && !noSound {
		return nil, captions.Errorf("decoding the sound of %s: %w", l.Recording, err)
	}
	var out []Result
	for _, cf := range l.Captions {
		if noSound {
			t := noSoundText()
			out = append(out, Result{File: cf, Drift: 1, InSync: true, Message: t.String(), Text: t})
			continue
		}
		r, err := CheckFile(speech, cf)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// CheckFile checks one caption file against speech (from Speech).
func CheckFile(speech []bool, cf lessons.CaptionFile) (Result, error) {
	f, _, err := read(cf)
	if err != nil {
		return Result{File: cf}, err
	}
	a := align.Align(speech, f.Cues, align.Options{})
	r := Result{File: cf, Offset: a.Offset, Drift: a.Drift, Confidence: a.Confidence, Decided: a.Decided, InSync: a.InSync(), Speech: a.Speech}
	if len(a.Part) > 0 {
		r.Part = &Part{FirstLine: a.Part[0].Line, LastLine: a.Part[len(a.Part)-1].Line, Cues: len(a.Part), Offset: a.PartOffset}
	}
	r.Text = message(r, a.Speech)
	r.Message = r.Text.String()
	return r, nil
}

func read(cf lessons.CaptionFile) (*captions.File, []byte, error) {
	raw, err := lessons.ReadFile(cf.Path)
	if err != nil {
		return nil, nil, err
	}
	format := cf.Format
	if format == "" {
		format = captions.FormatOf(cf.Path)
	}
	f, err := captions.Parse(raw, format)
	return f, raw, err
}

func noSoundText() *captions.Text {
	return textf("cannot tell: the recording has no sound (a signed lesson?), so there is no speech to check the captions against")
}

// retext makes again the Text of a result kept only as its English
// (Message) and its numbers: nil when the English is not what lessonpub
// says now, as in a cache written by an older lessonpub.
func retext(r Result) *captions.Text {
	for _, t := range []*captions.Text{message(r, r.Speech), noSoundText()} {
		if t.String() == r.Message {
			return t
		}
	}
	return nil
}

// message says what r means for the teacher, and what to do.
func message(r Result, heard time.Duration) *captions.Text {
	switch {
	case !r.Decided && heard < 10*time.Second:
		return textf("cannot tell: only %s of speech was heard (music, or a signed lesson without sound?), so the captions were not checked", seconds(heard))
	case !r.Decided:
		return textf("cannot tell: the speech does not clearly match these captions at any offset (confidence %.2f); check a few cues by hand against the video", r.Confidence)
	case r.Part != nil:
		rest := textf("in sync")
		if late := lateness(r.Offset); late != nil {
			rest = late
		}
		part := lateness(r.Part.Offset)
		if part == nil {
			part = textf("in sync")
		}
		return textf("only part of the file is off: the %d cues from line %d to line %d are %s, the others are %s; --fix cannot mend that: move those cues by hand", r.Part.Cues, r.Part.FirstLine, r.Part.LastLine, part, rest)
	case r.InSync:
		return textf("in sync with the speech")
	}
	late := lateness(r.Offset)
	switch {
	case r.Drift != 1 && late != nil:
		return textf("%s, and the captions are %s: run lessonpub captions sync --fix", driftText(r.Drift), late)
	case r.Drift != 1:
		return textf("%s: run lessonpub captions sync --fix", driftText(r.Drift))
	case late != nil:
		return textf("the captions are %s: run lessonpub captions sync --fix, or captions convert --shift %s", late, shiftFlag(r.Offset))
	}
	return textf(": run lessonpub captions sync --fix, or captions convert --shift %s", shiftFlag(r.Offset))
}

// lateness says "2.3 s late" for an offset of -2.3 s (the cues must move
// earlier), "1.5 s early" for +1.5 s, nil within the tolerance.
func lateness(offset time.Duration) *captions.Text {
	switch {
	case offset <= -align.SyncTolerance:
		return textf("%s late", seconds(-offset))
	case offset >= align.SyncTolerance:
		return textf("%s early", seconds(offset))
	}
	return nil
}

// seconds is d to a tenth of a second, for a person: "2.3 s" ("2,3 с").
func seconds(d time.Duration) *captions.Text {
	return textf("%g s", math.Round(d.Seconds()*10)/10)
}

func shiftFlag(d time.Duration) string {
	return strconv.FormatFloat(math.Round(d.Seconds()*10)/10, 'f', -1, 64) + "s"
}

// driftText names the frame-rate mix-up a drift ratio comes from.
func driftText(d float64) *captions.Text {
	rates := []struct {
		ratio    float64
		made, at string
	}{
		{23.976 / 25, "25", "23.976"}, {25 / 23.976, "23.976", "25"},
		{24 / 25.0, "25", "24"}, {25 / 24.0, "24", "25"},
		{23.976 / 24, "24", "23.976"}, {24 / 23.976, "23.976", "24"},
		{29.97 / 30, "30", "29.97"}, {30 / 29.97, "29.97", "30"},
	}
	way := textf("later and later")
	if d > 1 {
		way = textf("earlier and earlier")
	}
	perTen := seconds(time.Duration(math.Abs(1-d) * 600 * float64(time.Second)))
	for _, r := range rates {
		if math.Abs(r.ratio-d) < 1e-9 {
			return textf("the captions come %s (%s every 10 minutes): they were timed for %s frames a second and the video has %s", way, perTen, r.made, r.at)
		}
	}
	return textf("the captions come %s (%s every 10 minutes)", way, perTen)
}

// Fix rewrites the file of r in place with the cues moved as r says
// (Drift, then Offset): same format, line ends and byte order mark as
// before, the old file kept beside it as NAME.bak. It returns the backup's
// path. It refuses a file that is in sync or undecided, only partly off,
// or has errors that would lose cues when rewritten. WebVTT NOTE comments
// are not kept (the .bak has them).
func Fix(r Result) (backup string, err error) {
	switch {
	case !r.Decided || r.InSync:
		return "", textf("%s: nothing to fix: %s", r.File.Path, r.Text)
	case r.Part != nil:
		return "", textf("%s: %s", r.File.Path, r.Text)
	}
	f, raw, err := read(r.File)
	if err != nil {
		return "", err
	}
	for _, p := range f.Problems {
		if p.Severity == captions.Error {
			return "", textf("%s:%d: %s; fix the errors 'lessonpub captions check' reports first, then run --fix again", r.File.Path, p.Line, &captions.Text{Format: p.Format, Args: p.Args})
		}
	}
	if err := f.Retime(r.Drift, r.Offset); err != nil {
		return "", fmt.Errorf("%s: %w", r.File.Path, err)
	}
	var b bytes.Buffer
	if err := captions.Write(&b, f, f.Format); err != nil {
		return "", err
	}
	out := b.Bytes()
	switch {
	case bytes.Contains(raw, []byte("\r\n")):
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	case bytes.Contains(raw, []byte("\r")):
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r"))
	}
	if bom := []byte{0xEF, 0xBB, 0xBF}; bytes.HasPrefix(raw, bom) {
		out = append(bom, out...)
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(r.File.Path); err == nil {
		perm = fi.Mode().Perm()
	}
	backup = r.File.Path + ".bak"
	if err := atomicfile.WriteFile(backup, raw, perm); err != nil {
		return "", captions.Errorf("keeping a copy of %s: %w", r.File.Path, err)
	}
	if err := atomicfile.WriteFile(r.File.Path, out, perm); err != nil {
		return "", err
	}
	return backup, nil
}
