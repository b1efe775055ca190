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
const Frame = 10 * time.Millisecond

const (
	hop   = SampleRate / 100 // 10 ms
	win   = 400              // 25 ms analysis window
	nfft  = 512
	binHz = float64(SampleRate) / nfft

	floorBlock  = 10 // frames per block of the noise floor's minimum
	floorBlocks = 10 // blocks the minimum is taken over: 1 s
)

// Speech returns, for every 10 ms of samples (16 kHz mono), whether
// someone is speaking then.
//
// The detector is spectral, not a loudness threshold: for each 25 ms
// window it compares every frequency band with its own noise floor (the
// minimum over the last second), and calls speech what rises above the
// floor mostly in the speech band (300–3400 Hz) and across many bands at
// once (30 bands of 31 Hz), as voiced speech with its harmonics does.
// Steady room noise and sustained music sink into the floor; a hammer's
// knock is broadband, so most of its energy lies outside the speech band;
// a ringing tone, a chord or a melody covers only a few bands. Runs shorter than 60 ms are dropped and
// pauses shorter than 300 ms inside speech are filled, as a cue spans the
// pauses between words.
func Speech(samples []int16) []bool {
	n := 0
	if len(samples) >= win {
		n = (len(samples)-win)/hop + 1
	}
	out := make([]bool, n)
	if n == 0 {
		return out
	}
	const bins = nfft/2 + 1
	lo, hi := int(math.Ceil(300/binHz)), int(math.Floor(3400/binHz))+1
	window := make([]float64, win)
	for i := range window {
		window[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(win-1))
	}
	fft := fourier.NewFFT(nfft)
	buf := make([]float64, nfft)
	coef := make([]complex128, bins)
	smooth := make([]float64, bins)
	blockMin := make([]float64, bins)
	ring := make([][]float64, floorBlocks)
	for i := range ring {
		ring[i] = make([]float64, bins)
		for k := range ring[i] {
			ring[i][k] = math.Inf(1)
		}
	}
	floor := make([]float64, bins)
	for k := range blockMin {
		blockMin[k] = math.Inf(1)
	}
	const tiny = 1e-3 // below anything a 16-bit recording holds: digital silence is not speech
	for f := 0; f < n; f++ {
		frame := samples[f*hop : f*hop+win]
		for i, s := range frame {
			buf[i] = float64(s) * window[i]
		}
		clear(buf[win:])
		fft.Coefficients(coef, buf)
		for k, c := range coef {
			p := real(c)*real(c) + imag(c)*imag(c)
			if f == 0 {
				smooth[k] = p
			} else {
				smooth[k] = 0.6*smooth[k] + 0.4*p
			}
			blockMin[k] = min(blockMin[k], smooth[k])
		}
		if f%floorBlock == floorBlock-1 {
			copy(ring[f/floorBlock%floorBlocks], blockMin)
			for k := range floor {
				m := math.Inf(1)
				for _, r := range ring {
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
		var inBand, outBand, bandFloor float64
		spread := 0
		for k := 1; k < bins; k++ {
			fl := max(floor[k], tiny)
			e := smooth[k] - 4*fl // the minimum of a noisy band sits well below its mean
			if k >= lo && k < hi {
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
		out[f] = inBand > 2*bandFloor && inBand > 1.5*outBand && spread >= 30
	}
	dropShort(out, 6)
	fillGaps(out, 30)
	return out
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
