package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// makeClip runs ffmpeg with args (lavfi inputs and output options) writing
// to path.
func makeClip(t testing.TB, path string, args ...string) string {
	t.Helper()
	argv := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)
	argv = append(argv, "file:"+path)
	if b, err := exec.Command("ffmpeg", argv...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", path, err, b)
	}
	return path
}

func writeFile(t testing.TB, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostile is a name with every character that breaks careless ffmpeg
// calls: quotes, colons, commas, brackets, semicolons, spaces, backslash,
// and Azerbaijani letters.
const hostile = `it's: a, [test]; \ ə ş ğ ı İ`

// blueLesson makes a solid blue 640x360 25 fps lesson with quiet mono sound.
func blueLesson(t *testing.T, dir string, d float64) string {
	return makeClip(t, filepath.Join(dir, "dərs: 'bir', [1];.mp4"),
		"-f", "lavfi", "-i", fmt.Sprintf("color=c=blue:s=640x360:r=25:d=%g", d),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=f=440:d=%g:sample_rate=44100,volume=0.05", d),
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", "-shortest")
}

// greenScreenSign makes an interpreter clip: a red "signer" on green.
func greenScreenSign(t *testing.T, dir string, d float64) string {
	return makeClip(t, filepath.Join(dir, "sign.mp4"),
		"-f", "lavfi", "-i", fmt.Sprintf("color=c=0x00FF00:s=240x320:r=25:d=%g,drawbox=x=60:y=80:w=120:h=160:color=red:t=fill", d),
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
}

const srtAz = "1\n00:00:00,000 --> 00:00:02,000\n████ Dərs şüşə ğ ı İ ████ ████ ████\n"
const vttRu = "WEBVTT\n\n00:00.000 --> 00:02.000\nУрок первый\n"

func newLesson(dir, rec string) *lessons.Lesson {
	c := &lessons.Course{Dir: filepath.Dir(dir), Language: "az", Sign: lessons.Sign{Key: "green"}}
	l := &lessons.Lesson{Course: c, Dir: dir, Name: filepath.Base(dir), Recording: rec}
	c.Lessons = []*lessons.Lesson{l}
	return l
}

// frame decodes one frame at t as RGB.
type frame struct {
	w, h int
	rgb  []byte
}

func grabFrame(t *testing.T, path string, at time.Duration) frame {
	t.Helper()
	m, err := ffmpeg.Probe(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
		"-i", "file:"+path, "-ss", secs(at), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil {
		t.Fatalf("decoding a frame of %s: %v", path, err)
	}
	f := frame{w: m.Video.Width, h: m.Video.Height, rgb: out}
	if len(out) != f.w*f.h*3 {
		t.Fatalf("frame is %d bytes, want %dx%dx3", len(out), f.w, f.h)
	}
	return f
}

func (f frame) at(x, y int) (r, g, b int) {
	i := (y*f.w + x) * 3
	return int(f.rgb[i]), int(f.rgb[i+1]), int(f.rgb[i+2])
}

func (f frame) colour(x, y int) string {
	r, g, b := f.at(x, y)
	switch {
	case r > 150 && g < 90 && b < 90:
		return "red"
	case b > 150 && r < 90 && g < 90:
		return "blue"
	case g > 150 && r < 90 && b < 90:
		return "green"
	case r > 180 && g > 180 && b > 180:
		return "white"
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", r, g, b)
}

// countWhite counts white pixels in the rectangle.
func (f frame) countWhite(x0, y0, x1, y1 int) int {
	n := 0
	for y := max(0, y0); y < min(f.h, y1); y++ {
		for x := max(0, x0); x < min(f.w, x1); x++ {
			if f.colour(x, y) == "white" {
				n++
			}
		}
	}
	return n
}

// ffprobeShow returns ffprobe's value for one entry, e.g. stream=profile.
func ffprobeShow(t *testing.T, path, stream, entry string) string {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", entry,
		"-of", "default=nw=1:nk=1", "file:"+path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", entry, err)
	}
	return strings.TrimSpace(string(out))
}

func TestRenderYouTubeOverlayCaptionsHostileNames(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), hostile)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	l := newLesson(dir, blueLesson(t, dir, 2))
	l.Sign = greenScreenSign(t, dir, 1)
	l.Captions = []lessons.CaptionFile{
		{Path: writeFile(t, filepath.Join(dir, "sub's: [x], y;.az.srt"), srtAz), Language: "az", Format: "srt"},
		{Path: writeFile(t, filepath.Join(dir, "sub, 'ru' [2];.ru.vtt"), vttRu), Language: "ru", Format: "vtt"},
	}
	out := filepath.Join(dir, "out [1]", "çıxış: 'ş' [1], a;b.mp4")
	var warnings []string
	// superfast: ultrafast leaves out the tools of the High profile.
	p, err := NewPlan(context.Background(), l, Options{Output: out, Preset: "superfast", BurnCaptions: "az", Warn: func(s *captions.Text) { warnings = append(warnings, s.String()) }})
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != ModeEncode {
		t.Fatalf("mode = %v, want encode", p.Mode)
	}
	var last ffmpeg.Progress
	res, err := p.Run(context.Background(), func(pr ffmpeg.Progress) {
		if pr.Percent < last.Percent {
			t.Errorf("progress went back from %.1f%% to %.1f%%", last.Percent, pr.Percent)
		}
		last = pr
	})
	if err != nil {
		t.Fatalf("%v\nplan:\n%s", err, p)
	}
	if !last.Done || last.Percent != 100 {
		t.Errorf("last progress = %+v, want done at 100%%", last)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	m := res.Media
	checkYouTubeStreams(t, out, m)
	if len(m.Subtitles) != 2 || m.Subtitles[0].Codec != "mov_text" || m.Subtitles[0].Language != "aze" || m.Subtitles[1].Language != "rus" {
		t.Errorf("subtitle tracks = %+v, want mov_text aze and rus", m.Subtitles)
	}
	// Duration within one frame (40 ms at 25 fps).
	if d := m.Video.Duration - 2*time.Second; d < -40*time.Millisecond || d > 40*time.Millisecond {
		t.Errorf("video duration %v, want 2s ± one frame", m.Video.Duration)
	}

	// The signer: 240x320 clip at 1/6 of 640x360 is a 170x228 box, 10 px
	// from the bottom-right corner. Its red middle shows, its green
	// background is keyed out to the blue lesson.
	box := p.layout.Sign
	if box != (rect{X: 460, Y: 122, W: 170, H: 228}) {
		t.Errorf("sign box = %+v", box)
	}
	f := grabFrame(t, out, 500*time.Millisecond)
	cx, cy := box.X+box.W/2, box.Y+box.H/2
	for _, c := range []struct {
		x, y int
		want string
	}{
		{cx, cy, "red"},                 // the signer
		{box.X + 5, box.Y + 5, "blue"},  // green screen keyed out
		{100, 60, "blue"},               // the lesson
		{box.X - 5, box.Y + 5, "blue"},  // just left of the box
		{box.X + box.W - 8, cy, "blue"}, // right part of the box, green keyed
	} {
		if got := f.colour(c.x, c.y); got != c.want {
			t.Errorf("at 0.5s pixel (%d,%d) = %s, want %s", c.x, c.y, got, c.want)
		}
	}
	// The burned-in captions are there, and none of their pixels fall on
	// the signer's box.
	if n := f.countWhite(0, 200, box.X, 360); n < 50 {
		t.Errorf("only %d white caption pixels left of the signer", n)
	}
	if n := f.countWhite(box.X, box.Y, box.X+box.W, box.Y+box.H); n > 0 {
		t.Errorf("%d caption pixels cover the signer's box", n)
	}
	// After the clip ends (1 s) the interpreter is gone, not frozen.
	f = grabFrame(t, out, 1500*time.Millisecond)
	if got := f.colour(cx, cy); got != "blue" {
		t.Errorf("at 1.5s, after the sign clip ended, the box centre is %s, want blue", got)
	}
	// No temporary file left beside the output.
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".partial-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// checkYouTubeStreams checks what the youtube profile promises.
func checkYouTubeStreams(t *testing.T, path string, m *ffmpeg.Media) {
	t.Helper()
	if !m.FastStart {
		t.Error("moov is not before mdat (+faststart missing)")
	}
	if v := m.Video; v == nil || v.Codec != "h264" || v.PixFmt != "yuv420p" || v.VFR || v.FrameRate != 25 {
		t.Errorf("video = %+v, want h264 yuv420p constant 25 fps", v)
	}
	if got := ffprobeShow(t, path, "v:0", "stream=profile"); got != "High" {
		t.Errorf("H.264 profile = %q, want High", got)
	}
	if a := m.Audio; a == nil || a.Codec != "aac" || a.Profile != "LC" || a.SampleRate != 48000 || a.Channels != 2 {
		t.Errorf("audio = %+v, want AAC-LC 48 kHz stereo", a)
	}
}

// integratedLoudness measures a file's loudness with ebur128.
func integratedLoudness(t *testing.T, path string) float64 {
	t.Helper()
	out, _ := exec.Command("ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-i", "file:"+path,
		"-map", "0:a:0", "-af", "ebur128=framelog=verbose", "-f", "null", "-").CombinedOutput()
	l, err := parseLoudness(string(out) + "\nLoudness range:\n LRA: 0.0 LU\nTrue peak:\n Peak: 0.0 dBFS")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return l.I
}

func TestRenderCopyPath(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "01-copy")
	os.MkdirAll(dir, 0o755)
	l := newLesson(dir, blueLesson(t, dir, 2))
	l.Captions = []lessons.CaptionFile{{Path: writeFile(t, filepath.Join(dir, "lesson.az.srt"), srtAz), Language: "az", Format: "srt"}}
	p, err := NewPlan(context.Background(), l, Options{Preset: "ultrafast"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != ModeCopy {
		t.Fatalf("mode = %v (%v), want copy", p.Mode, p.Reasons)
	}
	if want := filepath.Join(dir, "out", "01-copy.youtube.mp4"); p.Output != want {
		t.Errorf("default output = %s, want %s", p.Output, want)
	}
	if s := p.String(); !strings.Contains(s, "video copied") || !strings.Contains(s, "-c:v copy") {
		t.Errorf("plan description lacks the copy path:\n%s", s)
	}
	res, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// ultrafast writes Constrained Baseline; an encode would make High.
	if got := ffprobeShow(t, res.Output, "v:0", "stream=profile"); got != "Constrained Baseline" {
		t.Errorf("video profile = %q: the video was re-encoded, not copied", got)
	}
	m := res.Media
	if !m.FastStart || m.Audio == nil || m.Audio.SampleRate != 48000 || m.Audio.Channels != 2 || len(m.Subtitles) != 1 || m.Subtitles[0].Language != "aze" {
		t.Errorf("output = faststart %v audio %+v subtitles %+v", m.FastStart, m.Audio, m.Subtitles)
	}

	// Publishing leaves the caption tracks out: YouTube takes them apart.
	p, err = NewPlan(context.Background(), l, Options{Preset: "ultrafast", NoCaptionTracks: true, Output: filepath.Join(dir, "out", "publish.mp4")})
	if err != nil {
		t.Fatal(err)
	}
	if res, err = p.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(res.Media.Subtitles) != 0 || p.Mode != ModeCopy {
		t.Errorf("NoCaptionTracks: mode %v, subtitles %+v, want copy and none", p.Mode, res.Media.Subtitles)
	}
	// The quiet sine (about -35 LUFS) comes out at -16 LUFS.
	if got := integratedLoudness(t, res.Output); got < -17 || got > -15 {
		t.Errorf("loudness = %.1f LUFS, want -16 ± 1 (%s)", got, res.Sound)
	}
}

func TestRenderSharePicksSizeAndBurnsCaptions(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "02-share")
	os.MkdirAll(dir, 0o755)
	rec := makeClip(t, filepath.Join(dir, "lesson.mp4"),
		"-f", "lavfi", "-i", "color=c=blue:s=1280x960:r=25:d=2", "-f", "lavfi", "-i", "sine=d=2",
		"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest")
	l := newLesson(dir, rec)
	l.Captions = []lessons.CaptionFile{{Path: writeFile(t, filepath.Join(dir, "lesson.az.srt"), srtAz), Language: "az", Format: "srt"}}
	const maxSize = 200 << 10
	p, err := NewPlan(context.Background(), l, Options{Profile: ProfileShare, MaxSize: maxSize, Preset: "superfast"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Burn == nil || p.Burn.Language != "az" {
		t.Fatalf("share profile does not burn the course language's captions: %+v", p.Burn)
	}
	res, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Media
	if m.Size > maxSize {
		t.Errorf("size %d over the cap %d", m.Size, maxSize)
	}
	if m.Video.Width != 960 || m.Video.Height != 720 {
		t.Errorf("picture %dx%d, want 960x720", m.Video.Width, m.Video.Height)
	}
	if got := ffprobeShow(t, res.Output, "v:0", "stream=profile"); got != "Main" {
		t.Errorf("profile %q, want Main", got)
	}
	if len(m.Subtitles) != 0 {
		t.Errorf("share copy has subtitle tracks: %+v", m.Subtitles)
	}
	if f := grabFrame(t, res.Output, time.Second); f.countWhite(0, 500, 960, 720) < 100 {
		t.Error("no burned-in captions in the lower part of the picture")
	}
}

func TestRenderSideBySide(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "03-vertical")
	os.MkdirAll(dir, 0o755)
	rec := makeClip(t, filepath.Join(dir, "lesson.mp4"),
		"-f", "lavfi", "-i", "color=c=blue:s=180x320:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast")
	l := newLesson(dir, rec)
	l.Course.Sign = lessons.Sign{Layout: lessons.LayoutSideBySide}
	l.Sign = makeClip(t, filepath.Join(dir, "sign.mp4"),
		"-f", "lavfi", "-i", "color=c=red:s=180x320:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast")
	var warnings []string
	p, err := NewPlan(context.Background(), l, Options{Preset: "ultrafast", Warn: func(s *captions.Text) { warnings = append(warnings, s.String()) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "no sound") {
		t.Errorf("warnings = %q, want one about the missing sound", warnings)
	}
	res, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := grabFrame(t, res.Output, 500*time.Millisecond)
	if f.w*9 != f.h*16 {
		t.Errorf("canvas %dx%d is not 16:9", f.w, f.h)
	}
	if res.Media.Audio != nil {
		t.Error("silent lesson got a sound track")
	}
	for _, c := range []struct {
		x    int
		want string
	}{{f.w/2 - f.w/8, "blue"}, {f.w - 10, "red"}} {
		if got := f.colour(c.x, f.h/2); got != c.want {
			t.Errorf("pixel at x=%d = %s, want %s", c.x, got, c.want)
		}
	}
}

func TestRenderCancelLeavesNothing(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "04-long")
	os.MkdirAll(dir, 0o755)
	// A long lesson made cheaply: one coloured frame stretched over 10 minutes.
	rec := makeClip(t, filepath.Join(dir, "lesson.mkv"),
		"-f", "lavfi", "-i", "color=c=blue:s=320x180:r=1:d=600", "-c:v", "libx264", "-preset", "ultrafast", "-g", "600")
	l := newLesson(dir, rec)
	l.Sign = greenScreenSign(t, dir, 1)
	p, err := NewPlan(context.Background(), l, Options{Preset: "ultrafast"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = p.Run(ctx, func(pr ffmpeg.Progress) {
		if pr.Percent > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(p.Output); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output exists after cancel: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p.Output))
	for _, e := range entries {
		t.Errorf("left in the output folder: %s", e.Name())
	}
	if out, err := exec.Command("pgrep", "-P", strconv.Itoa(os.Getpid()), "ffmpeg").Output(); err == nil {
		t.Errorf("ffmpeg still running: %s", out)
	}
}

func TestNewPlanErrors(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	rec := blueLesson(t, dir, 1)
	tests := []struct {
		name  string
		setup func(l *lessons.Lesson)
		opts  Options
		want  *regexp.Regexp
	}{
		{"no recording", func(l *lessons.Lesson) { l.Recording = "" }, Options{}, regexp.MustCompile(`has no recording`)},
		{"text sign clip", func(l *lessons.Lesson) { l.Sign = writeFile(t, filepath.Join(dir, "sign.mp4"), "not a video\n") }, Options{},
			regexp.MustCompile(`interpreter clip: .*sign\.mp4: not a video or audio file: it is a text file`)},
		{"audio sign clip", func(l *lessons.Lesson) {
			l.Sign = makeClip(t, filepath.Join(dir, "sign.m4a"), "-f", "lavfi", "-i", "sine=d=1")
		}, Options{}, regexp.MustCompile(`interpreter clip .*sign\.m4a is not a video \(it holds audio \(aac\)\)`)},
		{"missing burn language", func(l *lessons.Lesson) {}, Options{BurnCaptions: "ru"}, regexp.MustCompile(`no captions in "ru" \(it has none\): add a file such as .*lesson\.ru\.srt`)},
		{"bad profile", func(l *lessons.Lesson) {}, Options{Profile: "tiktok"}, regexp.MustCompile(`unknown profile "tiktok"`)},
		{"too small", func(l *lessons.Lesson) {}, Options{Profile: ProfileShare, MaxSize: 5 << 10}, regexp.MustCompile(`cannot fit in 5K .*raise --max-size`)},
		{"output over recording", func(l *lessons.Lesson) {}, Options{Output: rec}, regexp.MustCompile(`is one of the lesson's own files`)},
		{"output beside the recording", func(l *lessons.Lesson) {}, Options{Output: filepath.Join(dir, "preview.mp4")},
			regexp.MustCompile(`preview\.mp4 is inside the lesson folder, where the next run would take it for a second recording; write it to .*out`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLesson(dir, rec)
			tt.setup(l)
			_, err := NewPlan(context.Background(), l, tt.opts)
			if err == nil || !tt.want.MatchString(err.Error()) {
				t.Errorf("NewPlan error = %v, want match for %s", err, tt.want)
			}
		})
	}
}

func TestRenderSignOffset(t *testing.T) {
	ffmpegtest.Require(t)
	tests := []struct {
		offset      time.Duration
		red, notRed time.Duration // times when the signer shows and does not
		explanation string
	}{
		{time.Second, 1500 * time.Millisecond, 500 * time.Millisecond, "starts 1s into the lesson"},
		{-500 * time.Millisecond, 200 * time.Millisecond, 800 * time.Millisecond, "its first 0.5s cut"},
	}
	for _, tt := range tests {
		t.Run(tt.offset.String(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "05-offset")
			os.MkdirAll(dir, 0o755)
			rec := makeClip(t, filepath.Join(dir, "lesson.mp4"),
				"-f", "lavfi", "-i", "color=c=blue:s=320x180:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast")
			l := newLesson(dir, rec)
			l.Course.Sign = lessons.Sign{}
			l.Sign = makeClip(t, filepath.Join(dir, "sign.mp4"),
				"-f", "lavfi", "-i", "color=c=red:s=120x160:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast")
			l.SignOffset = tt.offset
			p, err := NewPlan(context.Background(), l, Options{Preset: "ultrafast"})
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Run(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			b := p.layout.Sign
			cx, cy := b.X+b.W/2, b.Y+b.H/2
			if got := grabFrame(t, res.Output, tt.red).colour(cx, cy); got != "red" {
				t.Errorf("at %v the box is %s, want the red signer (clip %s)", tt.red, got, tt.explanation)
			}
			if got := grabFrame(t, res.Output, tt.notRed).colour(cx, cy); got != "blue" {
				t.Errorf("at %v the box is %s, want the blue lesson (clip %s)", tt.notRed, got, tt.explanation)
			}
		})
	}
}
