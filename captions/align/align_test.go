package align

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/align/aligntest"
)

// transform returns the cues with every time t made t×stretch + shift,
// only for cues before index upTo (all when upTo is 0).
func transform(cues []captions.Cue, stretch float64, shift time.Duration, upTo int) []captions.Cue {
	out := make([]captions.Cue, len(cues))
	for i, c := range cues {
		if upTo == 0 || i < upTo {
			c.Start = time.Duration(float64(c.Start)*stretch) + shift
			c.End = time.Duration(float64(c.End)*stretch) + shift
		}
		out[i] = c
	}
	return out
}

var (
	heardMu sync.Mutex
	heard   = map[string]heardLesson{}
)

type heardLesson struct {
	snd    aligntest.Sound
	speech []bool
}

// lesson returns the test lesson in lang and the speech heard in it, made
// once per test run.
func lesson(t *testing.T, lang string) (aligntest.Sound, []bool) {
	t.Helper()
	heardMu.Lock()
	defer heardMu.Unlock()
	h, ok := heard[lang]
	if !ok {
		h.snd = aligntest.Lesson(t, lang)
		h.speech = Speech(h.snd.Samples)
		heard[lang] = h
	}
	return h.snd, h.speech
}

func TestAlign(t *testing.T) {
	for _, lang := range []string{"az", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			snd, speech := lesson(t, lang)
			tests := []struct {
				name       string
				cues       []captions.Cue
				wantOffset time.Duration
				wantDrift  float64
			}{
				{"in sync", snd.Cues, 0, 1},
				{"2.3 s late", transform(snd.Cues, 1, 2300*time.Millisecond, 0), -2300 * time.Millisecond, 1},
				{"7 s early", transform(snd.Cues, 1, -7*time.Second, 0), 7 * time.Second, 1},
				{"45 s late", transform(snd.Cues, 1, 45*time.Second, 0), -45 * time.Second, 1},
				{"59 s early", transform(snd.Cues, 1, -59*time.Second, 0), 59 * time.Second, 1},
				{"made for 23.976 fps, played at 25", transform(snd.Cues, 25/23.976, 0, 0), 0, 23.976 / 25},
				{"made for 25 fps, played at 23.976", transform(snd.Cues, 23.976/25, 0, 0), 0, 25 / 23.976},
				// t' = t×k + 1.5 s, so t = t'/k − 1.5 s/k
				{"stretched and late", transform(snd.Cues, 25/23.976, 1500*time.Millisecond, 0), -time.Duration(1.5 * 23.976 / 25 * float64(time.Second)), 23.976 / 25},
			}
			for _, tt := range tests {
				r := Align(speech, tt.cues, Options{})
				if !r.Decided || r.Part != nil {
					t.Errorf("%s: undecided or partial: %+v", tt.name, r)
					continue
				}
				if d := r.Offset - tt.wantOffset; d < -100*time.Millisecond || d > 100*time.Millisecond || fmt.Sprintf("%.5f", r.Drift) != fmt.Sprintf("%.5f", tt.wantDrift) {
					t.Errorf("%s: offset %v drift %.5f (confidence %.2f), want offset %v ± 0.1 s drift %.5f", tt.name, r.Offset, r.Drift, r.Confidence, tt.wantOffset, tt.wantDrift)
				}
				if got, want := r.InSync(), tt.wantOffset == 0 && tt.wantDrift == 1; got != want {
					t.Errorf("%s: in sync %v, want %v", tt.name, got, want)
				}
				t.Logf("%s: offset %v drift %.5f confidence %.2f", tt.name, r.Offset, r.Drift, r.Confidence)
			}
		})
	}
}

// TestAlignPartlyWrong: when only the first half of the cues is shifted,
// the answer is unsure or names the part, and never "in sync".
func TestAlignPartlyWrong(t *testing.T) {
	for _, lang := range []string{"az", "ru", "en"} {
		snd, speech := lesson(t, lang)
		for _, shift := range []time.Duration{4 * time.Second, -6 * time.Second} {
			cues := transform(snd.Cues, 1, shift, len(snd.Cues)/2)
			r := Align(speech, cues, Options{})
			if r.InSync() {
				t.Errorf("%s, first half shifted by %v: called in sync: offset %v confidence %.2f", lang, shift, r.Offset, r.Confidence)
				continue
			}
			// Better than unsure: the part is found, and its offset.
			if len(r.Part) != len(cues)/2 || r.Part[0].Line != cues[0].Line {
				t.Errorf("%s, first half shifted by %v: part %d cues from line %d, want the first %d", lang, shift, len(r.Part), firstLine(r.Part), len(cues)/2)
			}
			if d := r.PartOffset + shift; d < -100*time.Millisecond || d > 100*time.Millisecond || r.Offset < -100*time.Millisecond || r.Offset > 100*time.Millisecond {
				t.Errorf("%s, first half shifted by %v: offset %v, part offset %v", lang, shift, r.Offset, r.PartOffset)
			}
		}
	}
}

// TestAlignNoSpeech: music and silence are never out of sync.
func TestAlignNoSpeech(t *testing.T) {
	snd, _ := lesson(t, "az")
	for _, tt := range []struct {
		name string
		s    aligntest.Sound
	}{{"music", aligntest.Music(120)}, {"plucked tune", aligntest.Plucked(120)}, {"silence", aligntest.Silence(120)}} {
		speech := Speech(tt.s.Samples)
		for _, shift := range []time.Duration{0, 2300 * time.Millisecond, -7 * time.Second} {
			r := Align(speech, transform(snd.Cues, 1, shift, 0), Options{})
			if shift == 0 && r.Speech > tt.s.Duration()/10 {
				t.Errorf("%s: heard %v of speech in %v", tt.name, r.Speech, tt.s.Duration())
			}
			if !r.InSync() || r.Decided {
				t.Errorf("%s, cues shifted %v: %+v, want undecided", tt.name, shift, r)
			}
		}
	}
}

// TestSpeech checks the detector against the known speech: most of the
// time inside cues is speech, little of the time outside.
func TestSpeech(t *testing.T) {
	for _, lang := range []string{"az", "ru", "en"} {
		snd, speech := lesson(t, lang)
		truth := cueSignal(snd.Cues, 1, len(speech))
		var in, inN, out, outN int
		for i, v := range speech {
			if truth[i] == 1 {
				inN++
				if v {
					in++
				}
			} else {
				outN++
				if v {
					out++
				}
			}
		}
		hit, falseAlarm := float64(in)/float64(inN), float64(out)/float64(outN)
		t.Logf("%s: speech heard in %.0f%% of cue time, in %.0f%% of the rest", lang, 100*hit, 100*falseAlarm)
		if hit < 0.7 || falseAlarm > 0.15 {
			t.Errorf("%s: speech heard in %.0f%% of cue time (want ≥ 70%%), in %.0f%% of the rest (want ≤ 15%%)", lang, 100*hit, 100*falseAlarm)
		}
	}
}

func firstLine(cues []captions.Cue) int {
	if len(cues) == 0 {
		return 0
	}
	return cues[0].Line
}

// TestDetectorPieces: sound written in odd-sized pieces, as a pipe
// delivers it, is heard exactly as sound written at once.
func TestDetectorPieces(t *testing.T) {
	snd, want := lesson(t, "en")
	d := NewDetector()
	for s := snd.Samples; len(s) > 0; {
		n := min(len(s), 1+len(s)%4099)
		d.Write(s[:n])
		s = s[n:]
	}
	got := d.Speech()
	if len(got) != len(want) {
		t.Fatalf("%d frames in pieces, %d at once", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("frame %d differs", i)
		}
	}
}
