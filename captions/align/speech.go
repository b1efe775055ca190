// Package align hears where speech is in a lesson's sound and finds how a
// caption file's cues must move to match it: the offset and the frame-rate
// ratio (drift) that best line the cues up with the speech, and how sure
// that answer is. It is pure: samples and cues in, a Result out; decoding
// the sound is the caller's job (16 kHz mono, see SampleRate).
//
// The method is ffsubsync's: a voice activity detector turns the sound into
// a speech/no-speech signal every 10 ms, the cues into a captioned/not
// signal, and the offset that maximises their cross-correlation (computed
// with an FFT) is searched for each candidate frame-rate ratio.
package align

import (
	"math"
	"time"

	"gonum.org/v1/gonum/dsp/fourier"
)

// SampleRate is the rate of the samples Speech takes: 16 kHz mono.
const SampleRate = 16000

// Frame is the time resolution of the speech signal and of the offsets.
const Frame = 20 * time.Millisecond

const (
	hop   = SampleRate / 50 // one Frame
	win   = 400             // 25 ms analysis window
	nfft  = 512
	bins  = nfft/2 + 1
	binHz = float64(SampleRate) / nfft

	floorBlock  = 5  // frames per block of the noise floor's minimum: 0.1 s
	floorBlocks = 10 // blocks the minimum is taken over: 1 s
)

// Speech returns, for every Frame of samples (16 kHz mono), whether
// someone is speaking then. It is NewDetector, Write and Speech in one.
//
// The detector is spectral, not a loudness threshold: for each 25 ms
// window it compares every frequency band with its own noise floor (the
// minimum over the last second), and calls speech what rises above the
// floor mostly in the speech band (300–3400 Hz) and across many bands at
// once (30 bands of 31 Hz), as voiced speech with its harmonics does.
// Steady room noise and sustained music sink into the floor; a hammer's
// knock is broadband, so most of its energy lies outside the speech band;
// a ringing tone, a chord or a melody covers only a few bands. Runs shorter
// than 60 ms are dropped and pauses shorter than 300 ms inside speech are
// filled, as a cue spans the pauses between words.
func Speech(samples []int16) []bool {
	d := NewDetector()
	d.Write(samples)
	return d.Speech()
}

// Detector hears speech in sound written to it piece by piece, so that it
// can work while the sound is still being decoded.
type Detector struct {
	pending []int16 // samples not yet in a whole frame
	out     []bool

	lo, hi   int
	window   []float64
	fft      *fourier.FFT
	buf      []float64
	coef     []complex128
	smooth   []float64
	blockMin []float64
	ring     [][]float64
	floor    []float64
}

// NewDetector returns a detector for 16 kHz mono sound.
func NewDetector() *Detector {
	d := &Detector{
		lo: int(math.Ceil(300 / binHz)), hi: int(math.Floor(3400/binHz)) + 1,
		window: make([]float64, win), fft: fourier.NewFFT(nfft), buf: make([]float64, nfft),
		coef: make([]complex128, bins), smooth: make([]float64, bins), blockMin: make([]float64, bins),
		ring: make([][]float64, floorBlocks), floor: make([]float64, bins),
	}
	for i := range d.window {
		d.window[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(win-1))
	}
	for i := range d.ring {
		d.ring[i] = make([]float64, bins)
		for k := range d.ring[i] {
			d.ring[i][k] = math.Inf(1)
		}
	}
	for k := range d.blockMin {
		d.blockMin[k] = math.Inf(1)
	}
	return d
}

// Write adds samples to the sound heard.
func (d *Detector) Write(samples []int16) {
	d.pending = append(d.pending, samples...)
	p := d.pending
	for len(p) >= win {
		d.frame(p[:win])
		p = p[hop:]
	}
	d.pending = append(d.pending[:0], p...)
}

// Speech returns, for each Frame of the sound written, whether it is
// speech.
func (d *Detector) Speech() []bool {
	out := d.out
	dropShort(out, 3)
	fillGaps(out, 15)
	return out
}

// frame decides one window of samples.
func (d *Detector) frame(samples []int16) {
	f := len(d.out)
	for i, s := range samples {
		d.buf[i] = float64(s) * d.window[i]
	}
	clear(d.buf[win:])
	d.fft.Coefficients(d.coef, d.buf)
	smooth, blockMin, floor := d.smooth, d.blockMin, d.floor
	for k, c := range d.coef {
		p := real(c)*real(c) + imag(c)*imag(c)
		if f == 0 {
			smooth[k] = p
		} else {
			smooth[k] = 0.5*smooth[k] + 0.5*p
		}
		blockMin[k] = min(blockMin[k], smooth[k])
	}
	if f%floorBlock == floorBlock-1 {
		copy(d.ring[f/floorBlock%floorBlocks], blockMin)
		for k := range floor {
			m := math.Inf(1)
			for _, r := range d.ring {
				m = min(m, r[k])
			}
			floor[k] = m
			blockMin[k] = math.Inf(1)
		}
	}
	if f < floorBlock {
		// No floor yet: the first block's own minimum stands in.
		copy(floor, blockMin)
	}
	const tiny = 1e-3 // below anything a 16-bit recording holds: digital silence is not speech
	var inBand, outBand, bandFloor float64
	spread := 0
	for k := 1; k < bins; k++ {
		fl := max(floor[k], tiny)
		e := smooth[k] - 4*fl // the minimum of a noisy band sits well below its mean
		if k >= d.lo && k < d.hi {
			bandFloor += fl
			if e > 0 {
				inBand += e
				if smooth[k] > 8*fl {
					spread++
				}
			}
		} else if e > 0 {
			outBand += e
		}
	}
	d.out = append(d.out, inBand > 2*bandFloor && inBand > 1.5*outBand && spread >= 30)
}

// dropShort clears runs of true shorter than n.
func dropShort(a []bool, n int) {
	for i := 0; i < len(a); {
		if !a[i] {
			i++
			continue
		}
		j := i
		for j < len(a) && a[j] {
			j++
		}
		if j-i < n {
			clear(a[i:j])
		}
		i = j
	}
}

// fillGaps sets runs of false shorter than n that lie between trues.
func fillGaps(a []bool, n int) {
	last := -1 // index of the last true
	for i, v := range a {
		if !v {
			continue
		}
		if last >= 0 && i-last-1 < n {
			for j := last + 1; j < i; j++ {
				a[j] = true
			}
		}
		last = i
	}
}
