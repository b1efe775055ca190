package align

import (
	"math"
	"slices"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"gonum.org/v1/gonum/dsp/fourier"
)

// Drifts are the frame-rate ratios tried, 1 first: captions timed for one
// frame rate and played at another (25 fps against 23.976, 24 against 25,
// 30 against 29.97) drift further off with every minute.
var Drifts = []float64{1, 25 / 23.976, 23.976 / 25, 24 / 25.0, 25 / 24.0, 24 / 23.976, 23.976 / 24, 30 / 29.97, 29.97 / 30}

// Options tune Align; the zero value means the defaults.
type Options struct {
	MaxOffset time.Duration // largest offset searched, either way; default 60 s
	Drifts    []float64     // ratios tried; default Drifts
}

// Thresholds of the verdict.
const (
	// SyncTolerance is how far off captions may be and still be in sync.
	SyncTolerance = 200 * time.Millisecond
	// MinConfidence is the confidence below which Align will not call
	// captions out of sync.
	MinConfidence = 0.5
	// minSpeech is the least speech, and the least captioned time, worth
	// aligning.
	minSpeech = 5 * time.Second
)

// Result is what Align found. Apply Offset and Drift to a cue time t as
// t×Drift + Offset to line it up with the speech.
type Result struct {
	Offset     time.Duration
	Drift      float64
	Confidence float64       // 0 (a guess) to 1 (certain)
	Speech     time.Duration // how much speech was heard
	// Decided is false when the sound cannot tell: too little speech
	// (music only, a signed lesson without sound) or no clear match. Offset
	// is then 0 and Drift 1: the captions are not called out of sync.
	Decided bool
	// Part, when not nil, says that only some cues are off: the cues in it
	// need PartOffset instead of Offset.
	Part       []captions.Cue
	PartOffset time.Duration
}

// InSync reports whether the captions match the speech: the answer is
// undecided, or the captions are within SyncTolerance everywhere.
func (r Result) InSync() bool {
	if !r.Decided {
		return true
	}
	return r.Part == nil && r.Drift == 1 && r.Offset > -SyncTolerance && r.Offset < SyncTolerance
}

// Align finds the offset and drift that best line cues up with speech
// (from Speech, one value per Frame).
func Align(speech []bool, cues []captions.Cue, opts Options) Result {
	if opts.MaxOffset <= 0 {
		opts.MaxOffset = 60 * time.Second
	}
	if len(opts.Drifts) == 0 {
		opts.Drifts = Drifts
	}
	res := Result{Drift: 1}
	heard := 0
	for _, v := range speech {
		if v {
			heard++
		}
	}
	res.Speech = time.Duration(heard) * Frame
	var captioned time.Duration
	var last time.Duration
	for _, c := range cues {
		if c.End > c.Start {
			captioned += c.End - c.Start
		}
		last = max(last, c.End)
	}
	if res.Speech < minSpeech || captioned < minSpeech {
		return res
	}

	maxLag := int(opts.MaxOffset / Frame)
	maxDrift := slices.Max(opts.Drifts)
	m := int(float64(last)*maxDrift/float64(Frame)) + 2
	n := len(speech)
	size := fftSize(n + m + maxLag)
	c := newCorrelator(speech, size)

	type found struct {
		drift  float64
		lag    int
		peak   float64 // correlation at lag, not normalised
		r      float64 // correlation coefficient at lag
		second float64 // the best coefficient more than 1 s from lag
	}
	search := func(cues []captions.Cue, d float64) found {
		corr, norm := c.correlate(cueSignal(cues, d, m))
		lag, peak := peakIn(corr, maxLag)
		return found{drift: d, lag: lag, peak: peak, r: peak / norm, second: secondPeak(corr, maxLag, lag) / norm}
	}
	var best, one found
	for i, d := range opts.Drifts {
		f := search(cues, d)
		if i == 0 || f.r > best.r {
			best = f
		}
		if d == 1 {
			one = f
		}
	}
	// A ratio close to 1 explains a short lesson about as well as 1 does:
	// prefer 1 unless the other is clearly better.
	if best.drift != 1 && one.drift == 1 && best.r < one.r*1.05+0.01 {
		best = one
	}
	conf := confidence(best.r, best.second)
	if conf >= MinConfidence {
		res.Decided, res.Confidence = true, conf
		res.Drift, res.Offset = best.drift, time.Duration(best.lag)*Frame
	}

	// Only part off? Each half of the cues, aligned on its own, tells.
	if len(cues) < 8 {
		return res
	}
	half := len(cues) / 2
	a, b := search(cues[:half], best.drift), search(cues[half:], best.drift)
	ca, cb := confidence(a.r*2, a.second*2), confidence(b.r*2, b.second*2) // each half has only half the speech
	if min(ca, cb) < MinConfidence || abs(a.lag-b.lag) <= int(SyncTolerance/Frame) {
		return res
	}
	main, part, partCues := a, b, cues[half:]
	if b.peak > a.peak {
		main, part, partCues = b, a, cues[:half]
	}
	res.Decided, res.Confidence = true, min(ca, cb)
	res.Drift, res.Offset = best.drift, time.Duration(main.lag)*Frame
	res.Part, res.PartOffset = partCues, time.Duration(part.lag)*Frame
	return res
}

// confidence maps the correlation coefficient at the best offset and the
// best one elsewhere (more than 1 s away) to 0..1: a clear answer needs
// speech that matches the cues well, and no other offset nearly as good.
func confidence(r, second float64) float64 {
	a := clamp01((r - 0.2) / 0.3)
	b := clamp01((r - second) / 0.25)
	return math.Round(min(a, b)*100) / 100
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// cueSignal is 1 while a cue, stretched by drift, shows, else 0; m long.
func cueSignal(cues []captions.Cue, drift float64, m int) []float64 {
	s := make([]float64, m)
	for _, c := range cues {
		a := int(math.Round(float64(c.Start) * drift / float64(Frame)))
		b := int(math.Round(float64(c.End) * drift / float64(Frame)))
		for i := max(0, a); i < min(b, m); i++ {
			s[i] = 1
		}
	}
	return s
}

// correlator cross-correlates one speech signal with many cue signals.
type correlator struct {
	fft    *fourier.FFT
	speech []complex128 // spectrum of the centred speech signal
	energy float64      // of the centred speech signal
	size   int
}

func newCorrelator(speech []bool, size int) *correlator {
	mean := 0.0
	for _, v := range speech {
		if v {
			mean++
		}
	}
	mean /= float64(len(speech))
	x := make([]float64, size)
	energy := 0.0
	for i, v := range speech {
		x[i] = -mean
		if v {
			x[i] = 1 - mean
		}
		energy += x[i] * x[i]
	}
	fft := fourier.NewFFT(size)
	return &correlator{fft: fft, speech: fft.Coefficients(nil, x), energy: energy, size: size}
}

// correlate returns r[lag] = Σ speech[j+lag]·cue[j] for the centred cue
// signal (lags below zero wrap to the end), and the product of the two
// signals' norms, which turns a value of r into a correlation coefficient.
func (c *correlator) correlate(cue []float64) ([]float64, float64) {
	mean := 0.0
	for _, v := range cue {
		mean += v
	}
	mean /= float64(len(cue))
	x := make([]float64, c.size)
	energy := 0.0
	for i, v := range cue {
		x[i] = v - mean
		energy += x[i] * x[i]
	}
	spec := c.fft.Coefficients(nil, x)
	for i, v := range spec {
		spec[i] = c.speech[i] * complex(real(v), -imag(v))
	}
	r := c.fft.Sequence(x, spec)
	scale := 1 / float64(c.size)
	for i := range r {
		r[i] *= scale
	}
	norm := math.Sqrt(c.energy * energy)
	if norm == 0 {
		norm = 1
	}
	return r, norm
}

func wrap(lag, n int) int {
	if lag < 0 {
		return n + lag
	}
	return lag
}

// peakIn returns the lag in [-maxLag, maxLag] where r is largest, the
// smaller lag on a tie.
func peakIn(r []float64, maxLag int) (int, float64) {
	best, at := math.Inf(-1), 0
	for lag := -maxLag; lag <= maxLag; lag++ {
		if v := r[wrap(lag, len(r))]; v > best || v == best && abs(lag) < abs(at) {
			best, at = v, lag
		}
	}
	return at, best
}

// fftSize returns a size ≥ n whose only prime factors are 2, 3 and 5.
func fftSize(n int) int {
	for m := n; ; m++ {
		k := m
		for _, p := range []int{2, 3, 5} {
			for k%p == 0 {
				k /= p
			}
		}
		if k == 1 {
			return m
		}
	}
}

// secondPeak is the largest value of r at lags more than 1 s from lag.
func secondPeak(r []float64, maxLag, lag int) float64 {
	far := int(time.Second / Frame)
	best := math.Inf(-1)
	for l := -maxLag; l <= maxLag; l++ {
		if abs(l-lag) > far {
			best = max(best, r[wrap(l, len(r))])
		}
	}
	return best
}
