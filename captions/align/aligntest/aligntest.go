// Package aligntest makes lesson sound for tests of caption alignment:
// sentences spoken by espeak-ng in Azerbaijani, Russian or English, placed
// at known times among room noise, a hammer's knocks and a little music,
// with the cues that match them. espeak-ng's output is cached under the
// user's cache folder, keyed by voice and text, so only a first run pays
// for the speech.
package aligntest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// SampleRate of everything made here: 16 kHz mono, as align wants.
const SampleRate = 16000

// Sentences are the lines spoken, by language.
var Sentences = map[string][]string{
	"az": {
		"Salam, bu gün muncuqlarla işləyəcəyik.",
		"Əvvəlcə alətlərə baxaq: qayçı, iynə və sap.",
		"İynəni sapa keçirin.",
		"Sonra ilk muncuğu götürün və düyün vurun.",
		"Diqqət edin, sap çox dartılmamalıdır.",
		"Yavaş-yavaş davam edirik, tələsmək lazım deyil.",
		"İndi ikinci sıraya keçək.",
		"Rəngləri növbə ilə düzürük: qırmızı, ağ, yenə qırmızı.",
		"Hər sıranın sonunda kiçik bir düyün vururuq.",
		"Bax belə, çox gözəl alınır!",
		"Əgər sap qırılsa, narahat olmayın.",
		"Yeni sapı köhnəsinə bağlayın və işə davam edin.",
	},
	"ru": {
		"Здравствуйте, сегодня мы работаем с бисером.",
		"Сначала посмотрим на инструменты: ножницы, игла и нитка.",
		"Проденьте нитку в иголку.",
		"Затем возьмите первую бусину и завяжите узел.",
		"Обратите внимание, нитку нельзя сильно натягивать.",
		"Продолжаем медленно, спешить не нужно.",
		"Теперь перейдём ко второму ряду.",
		"Цвета чередуем: красный, белый, снова красный.",
		"В конце каждого ряда завязываем маленький узелок.",
		"Вот так, получается очень красиво!",
		"Если нитка порвётся, не волнуйтесь.",
		"Привяжите новую нитку к старой и продолжайте работу.",
	},
	"en": {
		"Hello, today we are working with beads.",
		"First let us look at the tools: scissors, a needle and thread.",
		"Thread the needle.",
		"Then take the first bead and tie a knot.",
		"Be careful not to pull the thread too tight.",
		"We carry on slowly, there is no need to hurry.",
		"Now let us move on to the second row.",
		"We alternate the colours: red, white, red again.",
		"At the end of every row we tie a small knot.",
		"There we are, it looks lovely!",
		"If the thread breaks, do not worry.",
		"Tie the new thread to the old one and carry on.",
	},
}

// T is what aligntest needs of a test: *testing.T and *testing.B have it,
// and so can a testscript command.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// Require skips the test when espeak-ng is missing, and fails it in CI
// (CI=true), where it must be installed.
func Require(t T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("espeak-ng must be installed in CI (apt-get install espeak-ng; see .ci/run)")
	}
	t.Skipf("espeak-ng is not installed (apt-get install espeak-ng)")
}

// Sound is a made lesson's sound and the cues that match it.
type Sound struct {
	Samples []int16 // 16 kHz mono
	Cues    []captions.Cue
}

// Duration of the sound.
func (s Sound) Duration() time.Duration {
	return time.Duration(len(s.Samples)) * time.Second / SampleRate
}

// Lesson speaks every sentence of lang twice over (24 cues, about two
// minutes), starting at 3 s with pauses of 0.6 to 3 s, over room noise,
// hammer knocks and a quiet chord; the cues are where the speech is.
func Lesson(t T, lang string) Sound {
	t.Helper()
	Require(t)
	rng := rand.New(rand.NewPCG(1, uint64(len(lang))))
	var clips [][]float64
	for _, s := range Sentences[lang] {
		clips = append(clips, speak(t, lang, s))
	}
	if len(clips) == 0 {
		t.Fatalf("aligntest: no sentences for %q", lang)
	}
	type placed struct {
		at   int
		clip []float64
	}
	var ps []placed
	var cues []captions.Cue
	pos := 3 * SampleRate
	for i := range 2 * len(clips) {
		clip := clips[i%len(clips)]
		ps = append(ps, placed{pos, clip})
		start := time.Duration(pos) * time.Second / SampleRate
		end := time.Duration(pos+len(clip)) * time.Second / SampleRate
		text := Sentences[lang][i%len(clips)]
		cues = append(cues, captions.Cue{Start: start.Round(time.Millisecond), End: end.Round(time.Millisecond), Text: text, Line: 4*i + 2})
		pos += len(clip) + int((0.6+2.4*rng.Float64())*SampleRate)
	}
	n := pos + 3*SampleRate
	mix := make([]float64, n)
	for _, p := range ps {
		for i, v := range p.clip {
			mix[p.at+i] += v
		}
	}
	speechRMS := rms(clips)
	addNoise(mix, rng, speechRMS*0.2) // about 14 dB below the speech
	addKnocks(mix, rng, speechRMS*4)  // a hammer, louder than the voice
	addChords(mix, speechRMS*0.15, 3) // a little music in the background
	return Sound{Samples: toInt16(mix), Cues: cues}
}

// Music is n seconds of music only: chords changing every second and a
// melody of short notes, over room noise.
func Music(seconds int) Sound {
	rng := rand.New(rand.NewPCG(7, 7))
	mix := make([]float64, seconds*SampleRate)
	addNoise(mix, rng, 200)
	addChords(mix, 3000, 1)
	notes := []float64{523.25, 587.33, 659.25, 698.46, 783.99, 880}
	note := SampleRate * 3 / 10
	for i := 0; i+note <= len(mix); i += note {
		f := notes[rng.IntN(len(notes))]
		for j := range note {
			env := math.Min(1, float64(note-j)/float64(note)*3)
			mix[i+j] += 2500 * env * math.Sin(2*math.Pi*f*float64(j)/SampleRate)
		}
	}
	return Sound{Samples: toInt16(mix)}
}

// Plucked is n seconds of a plucked instrument playing a tune of quarter
// seconds: notes rich in harmonics (up to 3 kHz, like a voice), each
// fading out.
func Plucked(seconds int) Sound {
	rng := rand.New(rand.NewPCG(5, 5))
	n := seconds * SampleRate
	mix := make([]float64, n)
	notes := []float64{130.8, 146.8, 164.8, 174.6, 196, 220, 246.9, 261.6}
	note := SampleRate / 4
	for i := 0; i+note <= n; i += note {
		f := notes[rng.IntN(len(notes))]
		for j := range note {
			env := math.Exp(-float64(j) / float64(note) * 2)
			for h := 1; h <= 12; h++ {
				mix[i+j] += 4000 * env * math.Sin(2*math.Pi*f*float64(h)*float64(j)/SampleRate) / float64(h)
			}
		}
	}
	addNoise(mix, rng, 100)
	return Sound{Samples: toInt16(mix)}
}

// Silence is n seconds of a quiet room.
func Silence(seconds int) Sound {
	mix := make([]float64, seconds*SampleRate)
	addNoise(mix, rand.New(rand.NewPCG(3, 3)), 30)
	return Sound{Samples: toInt16(mix)}
}

func rms(clips [][]float64) float64 {
	var sum float64
	var n int
	for _, c := range clips {
		for _, v := range c {
			sum += v * v
		}
		n += len(c)
	}
	return math.Sqrt(sum / float64(max(n, 1)))
}

func addNoise(mix []float64, rng *rand.Rand, level float64) {
	for i := range mix {
		mix[i] += level * rng.NormFloat64()
	}
}

// addKnocks adds a hammer's knock every 0.5 to 2 s: a 30 ms broadband
// burst and a short metallic ring at 2.6 kHz.
func addKnocks(mix []float64, rng *rand.Rand, level float64) {
	for at := SampleRate; at < len(mix); at += int((0.5 + 1.5*rng.Float64()) * SampleRate) {
		for j := 0; j < SampleRate/5 && at+j < len(mix); j++ {
			tt := float64(j) / SampleRate
			mix[at+j] += level * (math.Exp(-tt/0.008)*rng.NormFloat64() + 0.3*math.Exp(-tt/0.05)*math.Sin(2*math.Pi*2600*tt))
		}
	}
}

// addChords adds major triads changing every period seconds.
func addChords(mix []float64, level float64, period float64) {
	chords := [][]float64{{220, 277.18, 329.63}, {196, 246.94, 293.66}, {174.61, 220, 261.63}, {246.94, 311.13, 369.99}}
	p := int(period * SampleRate)
	for i := range mix {
		ch := chords[i/p%len(chords)]
		tt := float64(i) / SampleRate
		for _, f := range ch {
			mix[i] += level / 3 * math.Sin(2*math.Pi*f*tt)
		}
	}
}

func toInt16(mix []float64) []int16 {
	out := make([]int16, len(mix))
	for i, v := range mix {
		out[i] = int16(max(-32768, min(32767, math.Round(v))))
	}
	return out
}

// speak returns text spoken by espeak-ng with voice lang, without the
// silence espeak-ng puts around it, at 16 kHz.
func speak(t T, lang, text string) []float64 {
	t.Helper()
	sum := sha256.Sum256([]byte("espeak-ng\x00" + lang + "\x00" + text))
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "lessonpub-tests", "espeak")
	cached := filepath.Join(dir, hex.EncodeToString(sum[:12])+".s16")
	if b, err := os.ReadFile(cached); err == nil && len(b) > 0 {
		return fromS16(b)
	}
	wav, err := exec.Command("espeak-ng", "-v", lang, "--stdout", text).Output()
	if err != nil {
		t.Fatalf("espeak-ng -v %s: %v", lang, err)
	}
	samples, rate, err := readWAV(wav)
	if err != nil {
		t.Fatalf("espeak-ng -v %s: %v", lang, err)
	}
	clip := resample(trim(samples), rate, SampleRate)
	if len(clip) == 0 {
		t.Fatalf("espeak-ng -v %s said nothing for %q", lang, text)
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		tmp := fmt.Sprintf("%s.%d.tmp", cached, os.Getpid())
		if os.WriteFile(tmp, toS16(clip), 0o644) == nil {
			os.Rename(tmp, cached)
		}
	}
	return clip
}

// readWAV reads a 16-bit mono PCM WAV file (espeak-ng writes its data size
// as unknown when writing to a pipe: the data runs to the end).
func readWAV(b []byte) ([]float64, int, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a WAV file")
	}
	rate := 0
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8:]
		switch id {
		case "fmt ":
			if len(body) < 16 || binary.LittleEndian.Uint16(body[0:]) != 1 || binary.LittleEndian.Uint16(body[2:]) != 1 || binary.LittleEndian.Uint16(body[14:]) != 16 {
				return nil, 0, errors.New("not 16-bit mono PCM")
			}
			rate = int(binary.LittleEndian.Uint32(body[4:]))
		case "data":
			if rate == 0 {
				return nil, 0, errors.New("data before format")
			}
			if size > len(body) || size == 0 {
				size = len(body)
			}
			return fromS16(body[:size&^1]), rate, nil
		}
		p += 8 + size + size&1
	}
	return nil, 0, errors.New("no data")
}

func trim(s []float64) []float64 {
	const quiet = 200
	a, b := 0, len(s)
	for a < b && math.Abs(s[a]) < quiet {
		a++
	}
	for b > a && math.Abs(s[b-1]) < quiet {
		b--
	}
	return s[a:b]
}

// resample converts by linear interpolation: good enough for speech that
// only a detector hears.
func resample(s []float64, from, to int) []float64 {
	if from == to || len(s) == 0 {
		return s
	}
	n := int(int64(len(s)) * int64(to) / int64(from))
	out := make([]float64, n)
	for i := range out {
		x := float64(i) * float64(from) / float64(to)
		j := int(x)
		if j+1 >= len(s) {
			out[i] = s[len(s)-1]
			continue
		}
		f := x - float64(j)
		out[i] = s[j]*(1-f) + s[j+1]*f
	}
	return out
}

func fromS16(b []byte) []float64 {
	out := make([]float64, len(b)/2)
	for i := range out {
		out[i] = float64(int16(binary.LittleEndian.Uint16(b[2*i:])))
	}
	return out
}

func toS16(s []float64) []byte {
	var buf bytes.Buffer
	for _, v := range s {
		binary.Write(&buf, binary.LittleEndian, int16(max(-32768, min(32767, math.Round(v)))))
	}
	return buf.Bytes()
}

// WAV returns samples as a 16 kHz mono 16-bit WAV file.
func WAV(samples []int16) []byte {
	var b bytes.Buffer
	data := 2 * len(samples)
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(SampleRate), uint32(2 * SampleRate), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, samples)
	return b.Bytes()
}
