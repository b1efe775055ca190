package render

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// mainCommand is the ffmpeg run producing out. pass is 0 for a single
// pass, 1 or 2 for the share profile's two passes; passlog is the job's
// -passlogfile prefix; l is the sound's measurement (nil when unknown).
func (p *Plan) mainCommand(out string, pass int, passlog string, l *loudness) (*ffmpeg.Command, *captions.Text) {
	c := ffmpeg.New()
	c.Duration = p.duration
	rec := p.Recording
	c.Input(rec.Path)
	signIn := -1
	if p.Sign != nil && p.Mode != ModeCopy {
		var opts []string
		switch off := p.Lesson.SignOffset; {
		case off > 0:
			opts = []string{"-itsoffset", secs(off)}
		case off < 0:
			opts = []string{"-ss", secs(-off)}
		}
		signIn = c.Input(p.Sign.Path, opts...)
	}
	var trackIn []int
	if pass != 1 {
		for _, t := range p.trackFiles {
			trackIn = append(trackIn, c.Input(t))
		}
	}

	g := &ffmpeg.Graph{}
	if p.Mode == ModeCopy {
		c.Map(fmt.Sprintf("0:%d", rec.Video.Index))
		c.OutputOptions("-c:v", "copy")
		if rec.Video.Codec == "hevc" {
			c.OutputOptions("-tag:v", "hvc1")
		}
	} else {
		p.videoGraph(g, signIn)
		c.Map("[v]")
		c.OutputOptions("-fps_mode", "cfr", "-r", p.rate)
		if p.Mode == ModeTwoPass {
			c.OutputOptions("-c:v", "libx264", "-preset", p.Options.Preset, "-profile:v", "main",
				"-pix_fmt", "yuv420p", "-b:v", strconv.Itoa(p.videoKbps)+"k",
				"-maxrate", strconv.Itoa(p.videoKbps*2)+"k", "-bufsize", strconv.Itoa(p.videoKbps*2)+"k",
				"-pass", strconv.Itoa(pass), "-passlogfile", passlog)
		} else {
			c.OutputOptions("-c:v", "libx264", "-preset", p.Options.Preset, "-crf", "20", "-profile:v", "high",
				"-pix_fmt", "yuv420p", "-bf", "2", "-g", strconv.Itoa(p.gop))
		}
		if rec.Video.HDR() {
			c.OutputOptions("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709")
		}
	}

	audio := captions.Textf("no sound")
	if rec.Audio != nil && pass != 1 {
		norm, how := p.normalizer(l)
		audio = how
		var af []ffmpeg.Filter
		if norm != nil {
			af = append(af, *norm)
		}
		if rec.Audio.Channels == 1 {
			// Both speakers at full level: -ac 2 would mix the centre
			// channel in 3 dB lower.
			af = append(af, ffmpeg.F("pan", "", "stereo|c0=c0|c1=c0"))
		}
		in := []string{fmt.Sprintf("0:%d", rec.Audio.Index)}
		if len(af) > 0 {
			g.Add(in, []string{"a"}, af...)
			c.Map("[a]")
		} else {
			c.Map(in[0])
		}
		kbps := 192
		if p.Mode == ModeTwoPass {
			kbps = p.audioKbps
		}
		c.OutputOptions("-c:a", "aac", "-b:a", strconv.Itoa(kbps)+"k", "-ar", "48000", "-ac", "2")
		if p.Mode != ModeTwoPass {
			// At 192 kbit/s the fast coder sounds the same and is 4× quicker
			// (the copy path's cost is mostly this encode); YouTube
			// re-encodes the sound anyway.
			c.OutputOptions("-aac_coder", "fast")
		}
	}
	c.Filter(g)
	if pass == 1 {
		c.OutputOptions("-an", "-sn", "-dn")
		c.Output(os.DevNull, "-f", "null")
		return c, audio
	}
	for i, in := range trackIn {
		c.Map(strconv.Itoa(in) + ":0")
		c.OutputOptions(fmt.Sprintf("-metadata:s:s:%d", i), "language="+iso639_2(p.Tracks[i].Language))
	}
	if len(trackIn) > 0 {
		c.OutputOptions("-c:s", "mov_text")
	}
	c.OutputOptions("-map_metadata", "-1", "-map_chapters", "-1", "-dn")
	if p.Mode != ModeCopy {
		c.OutputOptions("-t", secs(p.duration))
	}
	c.OutputOptions("-max_muxing_queue_size", "4096")
	if p.Options.Fragmented {
		c.OutputOptions(fragmentedOptions(p.Mode != ModeCopy, p.Recording.Audio != nil, p.Options.Threads)...)
	} else {
		c.OutputOptions("-movflags", "+faststart")
	}
	c.OutputOptions("-f", "mp4")
	c.Output(out)
	return c, audio
}

// videoGraph adds the chains making [v]: the lesson brought to a clean
// 8-bit SDR picture of the planned size, the interpreter keyed, scaled and
// overlaid, captions burned in after the overlay.
func (p *Plan) videoGraph(g *ffmpeg.Graph, signIn int) {
	v := p.Recording.Video
	lay := p.layout
	var base []ffmpeg.Filter
	if v.HDR() {
		base = append(base,
			ffmpeg.F("zscale", "t", "linear", "npl", "100"),
			ffmpeg.F("format", "", "gbrpf32le"),
			ffmpeg.F("zscale", "p", "bt709"),
			ffmpeg.F("tonemap", "tonemap", "hable", "desat", "0"),
			ffmpeg.F("zscale", "t", "bt709", "m", "bt709", "r", "tv"),
			ffmpeg.F("format", "", "yuv420p"))
	}
	if v.Interlaced() {
		base = append(base, ffmpeg.F("yadif"))
	}
	base = append(base, ffmpeg.F("scale", "w", strconv.Itoa(lay.Lesson.W), "h", strconv.Itoa(lay.Lesson.H)), ffmpeg.F("setsar", "", "1"))
	if lay.W != lay.Lesson.W || lay.H != lay.Lesson.H {
		base = append(base, ffmpeg.F("pad", "w", strconv.Itoa(lay.W), "h", strconv.Itoa(lay.H),
			"x", strconv.Itoa(lay.Lesson.X), "y", strconv.Itoa(lay.Lesson.Y), "color", "black"))
	}
	in := []string{fmt.Sprintf("0:%d", v.Index)}
	chain := base
	if signIn >= 0 {
		g.Add(in, []string{"base"}, base...)
		var sf []ffmpeg.Filter
		if key, _ := keyColour(p.SignCfg.Key); key != "" {
			// Key before scaling: edges are cleaner at full size.
			sf = append(sf, ffmpeg.F("chromakey", "color", key, "similarity", "0.15", "blend", "0.05"))
		}
		sf = append(sf, ffmpeg.F("scale", "w", strconv.Itoa(lay.Sign.W), "h", strconv.Itoa(lay.Sign.H)), ffmpeg.F("setsar", "", "1"))
		g.Add([]string{fmt.Sprintf("%d:%d", signIn, p.Sign.Video.Index)}, []string{"sign"}, sf...)
		in = []string{"base", "sign"}
		// eof_action=pass: the interpreter disappears when the clip ends
		// instead of freezing on its last frame.
		chain = []ffmpeg.Filter{ffmpeg.F("overlay", "x", strconv.Itoa(lay.Sign.X), "y", strconv.Itoa(lay.Sign.Y), "eof_action", "pass")}
	}
	if p.Burn != nil {
		chain = append(chain, p.subtitlesFilter())
	}
	chain = append(chain, ffmpeg.F("format", "", "yuv420p"))
	g.Add(in, []string{"v"}, chain...)
}

// subtitlesFilter burns in the ASS script writeCaptions wrote, with the
// caption font built into lessonpub.
func (p *Plan) subtitlesFilter() ffmpeg.Filter {
	return ffmpeg.F("subtitles",
		"filename", ffmpeg.FilterPath(p.burnFile),
		"fontsdir", ffmpeg.FilterPath(p.fontsDir))
}

// secs formats a duration as seconds for ffmpeg.
func secs(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
