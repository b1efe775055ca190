// Package sample writes a small, complete example course: three short
// lessons with Azerbaijani and English captions, one with a sign-language
// interpreter clip on a green screen. `make demo` publishes it to a local
// folder, and people use it to try lessonpub before recording their own.
// The videos are made by ffmpeg from its built-in test sources.
package sample

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

const courseYAML = `# A sample course made by 'lessonpub sample-course'.
title: Bead jewellery (sample)
description: |
  Muncuq zərgərliyi: alətlər, ilk düyün, bitirmə.
  Bead jewellery: tools, the first knot, finishing.
language: az
captions:
  required: [az, en]
privacy: private
made_for_kids: false
tags: [jewellery, beads, sample]
sign:
  layout: pip
  position: bottom-right
  key: green
`

type lesson struct {
	dir      string
	yaml     string
	picture  string // lavfi video source
	sound    string // lavfi audio source; "" for none
	sign     bool
	az, en   string
	duration string
}

var lessonsToMake = []lesson{
	{
		dir:      "01-tools-and-beads",
		yaml:     "title: Alətlər və muncuqlar\ndescription: Bu dərsdə lazım olan alətləri tanıyırıq.\ntags: [tools]\nsign_offset: 0.5s\n",
		picture:  "testsrc2=size=640x360:rate=25",
		sound:    "sine=frequency=440:sample_rate=48000",
		sign:     true,
		duration: "6",
		az: `1
00:00:00,500 --> 00:00:03,000
Salam! Bu gün alətlərlə tanış olacağıq.

2
00:00:03,100 --> 00:00:05,500
Kəlbətin, iynə və şüşə muncuqlar.
`,
		en: `WEBVTT

00:00.500 --> 00:03.000
Hello! Today we meet the tools.

00:03.100 --> 00:05.500
Pliers, a needle and glass beads.
`,
	},
	{
		dir:      "02-first-knot",
		yaml:     "description: İlk düyünü addım-addım bağlayırıq.\n",
		picture:  "smptebars=size=640x360:rate=30",
		sound:    "sine=frequency=220:sample_rate=44100,volume=0.05", // a quiet phone recording
		duration: "5",
		az: `1
00:00:00,400 --> 00:00:02,400
İpi iki dəfə qatlayın.

2
00:00:02,600 --> 00:00:04,600
Ucunu ilgəkdən keçirin.
`,
		en: `1
00:00:00,400 --> 00:00:02,400
Fold the thread twice.

2
00:00:02,600 --> 00:00:04,600
Pass the end through the loop.
`,
	},
	{
		dir:      "03-finishing",
		picture:  "testsrc=size=640x360:rate=25",
		duration: "4", // a signed-only lesson: no sound at all
		az: `1
00:00:00,500 --> 00:00:03,500
Qıfılı bərkidin: bilərzik hazırdır!
`,
		en: `1
00:00:00,500 --> 00:00:03,500
Fix the clasp: the bracelet is ready!
`,
	},
}

// Write creates the sample course in dir, which must not exist yet. The
// course is built in a temporary folder beside dir and renamed into place,
// so an interrupted run leaves nothing half made.
func Write(ctx context.Context, dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return captions.Errorf("%s already exists; give a new folder name, or delete it first", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".sample-course-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	if err := os.WriteFile(filepath.Join(tmp, "course.yaml"), []byte(courseYAML), 0o644); err != nil {
		return err
	}
	for _, l := range lessonsToMake {
		if err := writeLesson(ctx, filepath.Join(tmp, l.dir), l); err != nil {
			return captions.Errorf("making sample lesson %s: %w", l.dir, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

func writeLesson(ctx context.Context, dir string, l lesson) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{"lesson.az.srt": l.az}
	if l.yaml != "" {
		files["lesson.yaml"] = l.yaml
	}
	enName := "lesson.en.srt"
	if strings.HasPrefix(l.en, "WEBVTT") {
		enName = "lesson.en.vtt"
	}
	files[enName] = l.en
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}

	c := ffmpeg.New()
	c.InputFormat("lavfi", l.picture, "-t", l.duration)
	c.Map("0:v")
	if l.sound != "" {
		c.InputFormat("lavfi", l.sound, "-t", l.duration)
		c.Map("1:a")
	}
	c.Output(filepath.Join(dir, "lesson.mp4"), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1")
	if err := c.Run(ctx, nil); err != nil {
		return err
	}
	if !l.sign {
		return nil
	}
	// The interpreter: a figure (a skin-toned box with a dark top) moving on
	// a green screen, as a separate recording.
	s := ffmpeg.New()
	s.InputFormat("lavfi", "color=c=0x00FF00:size=360x640:rate=25", "-t", "5")
	g := &ffmpeg.Graph{}
	g.Add([]string{"0:v"}, []string{"v"},
		ffmpeg.F("drawbox", "x", "90", "y", "260", "w", "180", "h", "380", "color", "0x203060", "t", "fill"),
		ffmpeg.F("drawbox", "x", "130+30*sin(t*3)", "y", "120", "w", "100", "h", "130", "color", "0xE0B090", "t", "fill"),
	)
	s.Filter(g).Map("[v]")
	s.Output(filepath.Join(dir, "sign.mp4"), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
	return s.Run(ctx, nil)
}
