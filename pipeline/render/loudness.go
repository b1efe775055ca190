package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// loudness is the EBU R128 measurement of the recording's sound.
type loudness struct {
	I, Thresh, LRA, TP float64 // LUFS, LUFS, LU, dBTP
}

var (
	integratedRE = regexp.MustCompile(`(?s)Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS\s*Threshold:\s*(-?[\d.]+|-inf) LUFS`)
	lraRE        = regexp.MustCompile(`(?s)Loudness range:\s*LRA:\s*(-?[\d.]+) LU`)
	peakRE       = regexp.MustCompile(`(?s)True peak:\s*Peak:\s*(-?[\d.]+|-inf) dBFS`)
)

// measureCommand measures the sound with ebur128 (true peak included),
// several times faster than a first loudnorm pass and giving the same
// figures.
func (p *Plan) measureCommand() *ffmpeg.Command {
	a := p.Recording.Audio
	c := ffmpeg.New()
	c.Input(p.Recording.Path)
	g := &ffmpeg.Graph{}
	opts := []string{"peak", "true", "framelog", "verbose"}
	if a.Channels == 1 {
		opts = append(opts, "dualmono", "true")
	}
	g.Add([]string{fmt.Sprintf("0:%d", a.Index)}, []string{"a"}, ffmpeg.F("ebur128", opts...))
	c.Filter(g).Map("[a]").Output(os.DevNull, "-f", "null")
	c.Duration = p.duration
	return c
}

func (p *Plan) measure(ctx context.Context, progress func(ffmpeg.Progress)) (*loudness, error) {
	c := p.measureCommand()
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Run(ctx, progress); err != nil {
		return nil, captions.Errorf(measuringFailed, p.Recording.Path, err)
	}
	l, err := parseLoudness(stderr.String())
	if err != nil {
		return nil, captions.Errorf(measuringFailed, p.Recording.Path, err)
	}
	return l, nil
}

// measuringFailed is the error of a loudness measurement that failed.
const measuringFailed = "measuring the loudness of %s: %w"

// parseLoudness reads the summary ebur128 prints at the end.
func parseLoudness(log string) (*loudness, error) {
	m := integratedRE.FindAllStringSubmatch(log, -1)
	lra := lraRE.FindAllStringSubmatch(log, -1)
	tp := peakRE.FindAllStringSubmatch(log, -1)
	if m == nil || lra == nil || tp == nil {
		return nil, captions.Errorf("ffmpeg printed no loudness summary; run the render again, and report it if it happens again")
	}
	last := func(ms [][]string, i int) float64 {
		s := ms[len(ms)-1][i]
		if s == "-inf" {
			return -120
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	return &loudness{I: last(m, 1), Thresh: last(m, 2), LRA: last(lra, 1), TP: last(tp, 1)}, nil
}

// normalizer is the filter bringing the sound to TargetLUFS, and a phrase
// saying how. A plain gain when it keeps the peaks under the ceiling and
// the range is speech-like (what loudnorm's linear mode does); loudnorm's
// dynamic mode with the measured values otherwise.
func (p *Plan) normalizer(l *loudness) (*ffmpeg.Filter, *captions.Text) {
	loudnorm := func(measured ...string) *ffmpeg.Filter {
		f := ffmpeg.F("loudnorm", append([]string{"I", ftoa(TargetLUFS), "TP", ftoa(targetTP), "LRA", ftoa(targetLRA)}, measured...)...)
		if p.Recording.Audio.Channels == 1 {
			f.Opts = append(f.Opts, ffmpeg.Opt{Key: "dual_mono", Value: "true"})
		}
		return &f
	}
	if l == nil {
		return loudnorm(), captions.Textf("normalized to -16 LUFS (gain from the measurement)")
	}
	if l.I < -60 {
		return nil, captions.Textf("left as it is: almost silent")
	}
	gain := TargetLUFS - l.I
	if l.TP+gain <= targetTP && l.LRA <= targetLRA {
		f := ffmpeg.F("volume", "volume", fmt.Sprintf("%.2fdB", gain))
		return &f, captions.Textf("linear gain %+.1f dB (measured %.1f LUFS) to -16 LUFS", gain, l.I)
	}
	f := loudnorm("measured_I", ftoa(l.I), "measured_TP", ftoa(l.TP), "measured_LRA", ftoa(l.LRA),
		"measured_thresh", ftoa(l.Thresh), "linear", "true")
	return f, captions.Textf("loudnorm dynamic (measured %.1f LUFS, peak %.1f dBTP, range %.1f LU) to -16 LUFS", l.I, l.TP, l.LRA)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
