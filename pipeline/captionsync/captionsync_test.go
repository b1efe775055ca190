package captionsync

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/align/aligntest"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

var (
	soundOnce sync.Once
	sound     aligntest.Sound
	wavPath   string
)

// lessonSound is the Azerbaijani test lesson's sound, as a WAV file made
// once per test run.
func lessonSound(t *testing.T) (aligntest.Sound, string) {
	t.Helper()
	ffmpegtest.Require(t)
	aligntest.Require(t)
	soundOnce.Do(func() {
		sound = aligntest.Lesson(t, "az")
		dir, err := os.MkdirTemp("", "captionsync-test-*")
		if err != nil {
			t.Fatal(err)
		}
		wavPath = filepath.Join(dir, "lesson.wav")
		if err := os.WriteFile(wavPath, aligntest.WAV(sound.Samples), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	if wavPath == "" {
		t.Fatal("making the test lesson failed earlier")
	}
	return sound, wavPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if wavPath != "" {
		os.RemoveAll(filepath.Dir(wavPath))
	}
	os.Exit(code)
}

// writeCues writes cues moved by shift as a caption file of format, with
// line ends eol and, when bom, a UTF-8 byte order mark.
func writeCues(t *testing.T, path string, cues []captions.Cue, shift time.Duration, eol string, bom bool) lessons.CaptionFile {
	t.Helper()
	f := &captions.File{Format: captions.FormatOf(path)}
	for _, c := range cues {
		c.Start += shift
		c.End += shift
		f.Cues = append(f.Cues, c)
	}
	var b bytes.Buffer
	if err := captions.Write(&b, f, f.Format); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(b.String(), "\n", eol)
	if bom {
		out = "\uFEFF" + out
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return lessons.CaptionFile{Path: path, Language: "az", Format: f.Format}
}

func TestCheckLessonAndFix(t *testing.T) {
	snd, wav := lessonSound(t)
	dir := t.TempDir()
	late := writeCues(t, filepath.Join(dir, "lesson.az.srt"), snd.Cues, 2300*time.Millisecond, "\r\n", true)
	good := writeCues(t, filepath.Join(dir, "lesson.en.vtt"), snd.Cues, 0, "\n", false)
	l := &lessons.Lesson{Dir: dir, Recording: wav, Captions: []lessons.CaptionFile{late, good}}
	res, err := CheckLesson(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("got %d results", len(res))
	}
	r := res[0]
	if r.InSync || !r.Decided || r.Offset > -2200*time.Millisecond || r.Offset < -2400*time.Millisecond {
		t.Errorf("late file: %+v", r)
	}
	if want := "the captions are 2.3 s late: run lessonpub captions sync --fix, or captions convert --shift -2.3s"; r.Message != want {
		t.Errorf("message = %q, want %q", r.Message, want)
	}
	if !res[1].InSync || !res[1].Decided || res[1].Message != "in sync with the speech" {
		t.Errorf("good file: %+v", res[1])
	}
	if _, err := Fix(res[1]); err == nil {
		t.Error("Fix of a file in sync: no error")
	}

	before, _ := os.ReadFile(late.Path)
	bak, err := Fix(r)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(bak); !bytes.Equal(b, before) {
		t.Error("the .bak is not the file as it was")
	}
	after, _ := os.ReadFile(late.Path)
	if !bytes.HasPrefix(after, []byte("\uFEFF1\r\n")) || bytes.Count(after, []byte("\n")) != bytes.Count(after, []byte("\r\n")) {
		t.Errorf("fixed file lost its byte order mark or CRLF line ends: %q", after[:min(40, len(after))])
	}
	res, err = CheckLesson(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].InSync || !res[0].Decided {
		t.Errorf("after --fix: %+v", res[0])
	}
}

func TestCheckLessonNoSound(t *testing.T) {
	ffmpegtest.Require(t)
	dir := t.TempDir()
	video := filepath.Join(dir, "lesson.mp4")
	if err := silentVideo(video); err != nil {
		t.Fatal(err)
	}
	cf := writeCues(t, filepath.Join(dir, "lesson.az.srt"), []captions.Cue{{Start: time.Second, End: 2 * time.Second, Text: "Salam"}}, 0, "\n", false)
	res, err := CheckLesson(context.Background(), &lessons.Lesson{Dir: dir, Recording: video, Captions: []lessons.CaptionFile{cf}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].InSync || res[0].Decided || !strings.Contains(res[0].Message, "no sound") {
		t.Errorf("no sound: %+v", res)
	}
}

// silentVideo makes a one-second video without sound.
func silentVideo(path string) error {
	b, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=64x64:r=25:d=1",
		"-c:v", "libx264", "-preset", "ultrafast", "file:"+path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, b)
	}
	return nil
}
