//go:build unix

// Command sync measures `lessonpub captions sync` on a 10-minute lesson next
// to ffmpeg decoding the same sound alone (ffmpeg -i lesson.mp4 -vn -ar
// 16000 -ac 1 -f null -), so the ratio shows what listening for speech and
// aligning the captions add to the decode. Target: under 3 s on 2 cores.
//
// Run by hand (not part of make test); needs ffmpeg, espeak-ng and Go:
//
//	go run ./bench/sync -runs 3
//
// The lesson is five copies of aligntest's two-minute Azerbaijani lesson
// (espeak-ng speech among noise, knocks and chords) with a small video
// track, its captions 2.3 s late.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/align/aligntest"
)

type fatal struct{}

func (fatal) Helper()                           {}
func (fatal) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }
func (fatal) Skipf(format string, args ...any)  { log.Fatalf(format, args...) }

func main() {
	runs := flag.Int("runs", 3, "rounds; each runs both, alternating which goes first")
	minutes := flag.Int("minutes", 10, "length of the lesson, made of whole copies of a 2-minute lesson")
	flag.Parse()
	log.SetFlags(0)

	work, err := os.MkdirTemp("", "lessonpub-bench-sync-*")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "lessonpub")
	log.Print("building lessonpub…")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/lessonpub").CombinedOutput(); err != nil {
		log.Fatalf("%v\n%s", err, out)
	}

	log.Printf("making a %d-minute lesson…", *minutes)
	one := aligntest.Lesson(fatal{}, "az")
	var samples []int16
	var cues []captions.Cue
	copies := max(1, int(math.Round(float64(*minutes)*float64(time.Minute)/float64(one.Duration()))))
	for range copies {
		at := time.Duration(len(samples)) * time.Second / aligntest.SampleRate
		for _, c := range one.Cues {
			c.Start += at + 2300*time.Millisecond // the captions are 2.3 s late
			c.End += at + 2300*time.Millisecond
			cues = append(cues, c)
		}
		samples = append(samples, one.Samples...)
	}
	lesson := filepath.Join(work, "course", "01-lesson")
	if err := os.MkdirAll(lesson, 0o755); err != nil {
		log.Fatal(err)
	}
	os.WriteFile(filepath.Join(work, "course", "course.yaml"), []byte("title: Bench\n"), 0o644)
	video := filepath.Join(lesson, "lesson.mp4")
	secs := fmt.Sprint(len(samples) / aligntest.SampleRate)
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
		"-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d="+secs, "-f", "wav", "-i", "pipe:0",
		"-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-shortest", video)
	cmd.Stdin = bytes.NewReader(aligntest.WAV(samples))
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%v\n%s", err, out)
	}
	var b bytes.Buffer
	captions.WriteSRT(&b, &captions.File{Format: captions.SRT, Cues: cues})
	srt := filepath.Join(lesson, "lesson.az.srt")
	if err := os.WriteFile(srt, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}

	decode := []string{"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", video, "-vn", "-ar", "16000", "-ac", "1", "-f", "null", "-"}
	syncCmd := []string{bin, "captions", "sync", "--format", "json", filepath.Join(work, "course")}
	var dWall, dCPU, sWall, sCPU time.Duration
	var verdict string
	for i := range *runs {
		order := [][]string{decode, syncCmd}
		if i%2 == 1 {
			order = [][]string{syncCmd, decode}
		}
		for _, argv := range order {
			wall, cpu, out := run(argv)
			if argv[0] == bin {
				sWall, sCPU = sWall+wall, sCPU+cpu
				verdict = out
			} else {
				dWall, dCPU = dWall+wall, dCPU+cpu
			}
		}
	}
	n := time.Duration(*runs)
	dWall, dCPU, sWall, sCPU = dWall/n, dCPU/n, sWall/n, sCPU/n
	fmt.Printf("lesson: %s of sound, %d cues 2.3 s late\n", time.Duration(len(samples))*time.Second/aligntest.SampleRate, len(cues))
	fmt.Printf("decode alone (ffmpeg … -ar 16000 -ac 1 -f null -): %.2f s wall, %.2f CPU-s\n", dWall.Seconds(), dCPU.Seconds())
	fmt.Printf("lessonpub captions sync:                          %.2f s wall, %.2f CPU-s\n", sWall.Seconds(), sCPU.Seconds())
	fmt.Printf("ratio: %.2f× the decode (wall), %.2f× (CPU); target: under 3 s wall\n", sWall.Seconds()/dWall.Seconds(), sCPU.Seconds()/dCPU.Seconds())
	for _, line := range strings.Split(verdict, "\n") {
		if strings.Contains(line, `"offset"`) || strings.Contains(line, `"message"`) {
			fmt.Println("verdict:", strings.TrimSpace(line))
		}
	}
}

// run runs argv and returns its wall time, the CPU time of it and its
// children, and its stdout. Exit status 1 (captions out of sync) is
// expected.
func run(argv []string) (time.Duration, time.Duration, string) {
	cmd := exec.Command(argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		log.Fatalf("%s: %v\n%s", argv[0], err, errb.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, out.String()
}
