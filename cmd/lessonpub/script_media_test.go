package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// addMediaScriptCmds adds the testscript commands of its area:
//
//	mkclip [-d SECONDS] [-s WxH] [-r FPS] [-color C] [-box C] [-noise N] [-audio mono|stereo|none] [-rotate DEG] [-vfr] [-pix_fmt F] [-codec C] [-hlg] FILE
//	    writes a clip made with lavfi (a solid colour, optionally a centred box, a quiet tone)
//	probe FILE [KEY=VALUE...]
//	    checks what ffprobe reads in FILE; with ! it expects FILE not to be a readable video
//
// Scripts that need ffmpeg start with the condition of scriptCondition:
//
//	[!ffmpeg] skip 'ffmpeg not installed'
func addMediaScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	cmds["mkclip"] = scriptMkclip
	cmds["probe"] = scriptProbe
}

// ffmpegCondition is the [ffmpeg] condition: true when ffmpeg and ffprobe
// are installed. In CI (CI=true) their absence fails the script instead of
// skipping it, as ffmpegtest.Require does for Go tests.
func ffmpegCondition() (bool, error) {
	if !ffmpegtest.Available() {
		if ffmpegtest.InCI() {
			return false, errors.New("ffmpeg and ffprobe must be installed in CI: apt-get install ffmpeg")
		}
		return false, nil
	}
	return true, nil
}

// requireFFmpegScript stops a script that forgot [!ffmpeg] skip.
func requireFFmpegScript(ts *testscript.TestScript) {
	if !ffmpegtest.Available() {
		ts.Fatalf("ffmpeg and ffprobe are not installed: start the script with [!ffmpeg] skip")
	}
}

func scriptMkclip(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! mkclip")
	}
	requireFFmpegScript(ts)
	fs := flag.NewFlagSet("mkclip", flag.ContinueOnError)
	d := fs.Float64("d", 2, "duration in seconds")
	size := fs.String("s", "320x180", "picture size")
	rate := fs.String("r", "25", "frame rate")
	colour := fs.String("color", "blue", "background colour")
	box := fs.String("box", "", "colour of a box in the middle")
	noise := fs.Int("noise", 0, "strength of moving noise (0-100), for a picture that compresses badly")
	audio := fs.String("audio", "mono", "mono, stereo or none")
	rotate := fs.Int("rotate", 0, "display rotation in degrees")
	vfr := fs.Bool("vfr", false, "variable frame rate (every third frame dropped)")
	pixFmt := fs.String("pix_fmt", "yuv420p", "pixel format")
	codec := fs.String("codec", "libx264", "video encoder, e.g. mjpeg")
	hlg := fs.Bool("hlg", false, "10-bit HDR (HLG) like a recent phone; sets -pix_fmt yuv420p10le")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		ts.Fatalf("usage: mkclip [-d SECONDS] [-s WxH] [-r FPS] [-color C] [-box C] [-noise N] [-audio mono|stereo|none] [-rotate DEG] [-vfr] [-pix_fmt F] [-codec C] [-hlg] FILE")
	}
	if *hlg {
		*pixFmt = "yuv420p10le"
	}
	out := ts.MkAbs(fs.Arg(0))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		ts.Fatalf("%v", err)
	}
	video := fmt.Sprintf("color=c=%s:s=%s:r=%s:d=%g", *colour, *size, *rate, *d)
	if *box != "" {
		video += fmt.Sprintf(",drawbox=x=iw/4:y=ih/4:w=iw/2:h=ih/2:color=%s:t=fill", *box)
	}
	if *noise > 0 {
		video += fmt.Sprintf(",noise=alls=%d:allf=t", *noise)
	}
	if *vfr {
		video += ",select='not(eq(mod(n,3),0))'"
	}
	var w, h int
	if _, err := fmt.Sscanf(*size, "%dx%d", &w, &h); err != nil {
		ts.Fatalf("mkclip: -s %q: want WxH", *size)
	}
	if w%2 != 0 || h%2 != 0 {
		// lavfi sources round odd sizes down: make it bigger, then crop.
		video = strings.Replace(video, "s="+*size, fmt.Sprintf("s=%dx%d", w+1, h+1), 1)
		video += fmt.Sprintf(",format=%s,crop=%d:%d:0:0", *pixFmt, w, h)
	}
	argv := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", video}
	switch *audio {
	case "none":
	case "mono", "stereo":
		argv = append(argv, "-f", "lavfi", "-i", fmt.Sprintf("sine=f=440:d=%g:sample_rate=44100,volume=0.1", *d))
		ch := "1"
		if *audio == "stereo" {
			ch = "2"
		}
		argv = append(argv, "-c:a", "aac", "-ac", ch, "-shortest")
	default:
		ts.Fatalf("mkclip: -audio %q: use mono, stereo or none", *audio)
	}
	argv = append(argv, "-c:v", *codec, "-pix_fmt", *pixFmt)
	if *codec == "libx264" {
		argv = append(argv, "-preset", "ultrafast")
	}
	if *vfr {
		argv = append(argv, "-fps_mode", "passthrough")
	}
	if *hlg {
		argv = append(argv, "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc")
	}
	tmp := out
	if *rotate != 0 {
		tmp = out + ".tmp" + filepath.Ext(out)
	}
	argv = append(argv, "file:"+tmp)
	if b, err := exec.Command("ffmpeg", argv...).CombinedOutput(); err != nil {
		ts.Fatalf("mkclip: ffmpeg: %v\n%s", err, b)
	}
	if *rotate != 0 {
		// ffmpeg 5.1 writes a display matrix only when copying.
		b, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", "file:"+tmp,
			"-c", "copy", "-metadata:s:v:0", "rotate="+strconv.Itoa(*rotate), "file:"+out).CombinedOutput()
		os.Remove(tmp)
		if err != nil {
			ts.Fatalf("mkclip: ffmpeg: %v\n%s", err, b)
		}
	}
}

func scriptProbe(ts *testscript.TestScript, neg bool, args []string) {
	requireFFmpegScript(ts)
	if len(args) < 1 {
		ts.Fatalf("usage: probe FILE [KEY=VALUE...]")
	}
	m, err := ffmpeg.Probe(context.Background(), ts.MkAbs(args[0]))
	if err == nil {
		err = m.RequireVideo()
	}
	if neg {
		if err == nil {
			ts.Fatalf("%s is a readable video", args[0])
		}
		return
	}
	ts.Check(err)
	for _, kv := range args[1:] {
		key, want, ok := strings.Cut(kv, "=")
		if !ok {
			ts.Fatalf("probe: %q is not KEY=VALUE", kv)
		}
		got, ok := probeValue(m, key)
		if !ok {
			ts.Fatalf("probe: unknown key %q", key)
		}
		if key == "duration" {
			g, _ := strconv.ParseFloat(got, 64)
			w, _ := strconv.ParseFloat(want, 64)
			if math.Abs(g-w) > 0.05 {
				ts.Fatalf("%s: duration %s, want %s ± 0.05", args[0], got, want)
			}
			continue
		}
		if got != want {
			ts.Fatalf("%s: %s = %q, want %q", args[0], key, got, want)
		}
	}
}

func probeValue(m *ffmpeg.Media, key string) (string, bool) {
	itoa := strconv.Itoa
	v, a := m.Video, m.Audio
	if a == nil {
		a = &ffmpeg.Stream{}
	}
	switch key {
	case "video.codec":
		return v.Codec, true
	case "video.size":
		return fmt.Sprintf("%dx%d", v.Width, v.Height), true
	case "video.pix_fmt":
		return v.PixFmt, true
	case "video.fps":
		return strconv.FormatFloat(v.FrameRate, 'f', -1, 64), true
	case "video.vfr":
		return strconv.FormatBool(v.VFR), true
	case "video.transfer":
		return v.ColorTransfer, true
	case "video.rotation":
		return itoa(v.Rotation), true
	case "audio":
		return strconv.FormatBool(m.Audio != nil), true
	case "audio.codec":
		return a.Codec, true
	case "audio.rate":
		return itoa(a.SampleRate), true
	case "audio.channels":
		return itoa(a.Channels), true
	case "subs":
		return itoa(len(m.Subtitles)), true
	case "faststart":
		return strconv.FormatBool(m.FastStart), true
	case "duration":
		return strconv.FormatFloat(v.Duration.Seconds(), 'f', 3, 64), true
	}
	if rest, ok := strings.CutPrefix(key, "sub"); ok {
		if i, lang, ok := strings.Cut(rest, "."); ok && lang == "lang" {
			n, err := strconv.Atoi(i)
			if err != nil || n >= len(m.Subtitles) {
				return "(none)", true
			}
			return m.Subtitles[n].Language, true
		}
	}
	return "", false
}
