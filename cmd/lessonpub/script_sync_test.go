package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/align/aligntest"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// addSyncScriptCmds adds the testscript commands of its area:
//
//	mkspeech LANG FILE.mp4
//	    writes a recording of sentences spoken by espeak-ng in LANG among
//	    noise, knocks and music (see aligntest.Lesson)
//	mkcues [-shift DURATION] [-stretch RATIO] [-crlf] [-bom] LANG FILE
//	    writes the caption file (.srt or .vtt) of mkspeech's recording in
//	    LANG, its times made t×RATIO + DURATION
//	needspeech
//	    fails in CI (CI=true) when espeak-ng or ffmpeg is missing; scripts
//	    follow it with [!exec:espeak-ng] skip
func addSyncScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	cmds["mkspeech"] = scriptMkspeech
	cmds["mkcues"] = scriptMkcues
	cmds["needspeech"] = func(ts *testscript.TestScript, neg bool, args []string) {
		_, err := exec.LookPath("espeak-ng")
		if (err != nil || !ffmpegtest.Available()) && ffmpegtest.InCI() {
			ts.Fatalf("espeak-ng and ffmpeg must be installed in CI: apt-get install espeak-ng ffmpeg")
		}
	}
}

func scriptMkspeech(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkspeech LANG FILE.mp4")
	}
	requireFFmpegScript(ts)
	snd := aligntest.Lesson(tsT{ts}, args[0])
	out := ts.MkAbs(args[1])
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		ts.Fatalf("%v", err)
	}
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "wav", "-i", "pipe:0",
		"-c:a", "aac", "-b:a", "64k", "file:"+out)
	cmd.Stdin = bytes.NewReader(aligntest.WAV(snd.Samples))
	if b, err := cmd.CombinedOutput(); err != nil {
		ts.Fatalf("mkspeech: %v\n%s", err, b)
	}
}

func scriptMkcues(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("mkcues", flag.ContinueOnError)
	shift := fs.Duration("shift", 0, "")
	stretch := fs.Float64("stretch", 1, "")
	crlf := fs.Bool("crlf", false, "")
	bom := fs.Bool("bom", false, "")
	if neg || fs.Parse(args) != nil || fs.NArg() != 2 {
		ts.Fatalf("usage: mkcues [-shift DURATION] [-stretch RATIO] [-crlf] [-bom] LANG FILE")
	}
	snd := aligntest.Lesson(tsT{ts}, fs.Arg(0))
	out := ts.MkAbs(fs.Arg(1))
	f := &captions.File{Format: captions.FormatOf(out)}
	for _, c := range snd.Cues {
		c.Start = time.Duration(float64(c.Start)**stretch) + *shift
		c.End = time.Duration(float64(c.End)**stretch) + *shift
		if c.Start >= 0 {
			f.Cues = append(f.Cues, c)
		}
	}
	var b bytes.Buffer
	if err := captions.Write(&b, f, f.Format); err != nil {
		ts.Fatalf("%v", err)
	}
	data := b.Bytes()
	if *crlf {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	if *bom {
		data = append([]byte("\uFEFF"), data...)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		ts.Fatalf("%v", err)
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		ts.Fatalf("%v", err)
	}
}

// tsT lets aligntest report through a script.
type tsT struct{ ts *testscript.TestScript }

func (t tsT) Helper()                           {}
func (t tsT) Fatalf(format string, args ...any) { t.ts.Fatalf(format, args...) }
func (t tsT) Skipf(format string, args ...any)  { t.ts.Fatalf("skip: "+format, args...) }
