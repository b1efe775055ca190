package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/render"
)

type renderOptions struct {
	dir          string
	output       string
	profile      string
	burnCaptions string
	maxSize      string
	preset       string
	dryRun       bool
}

func newRenderCmd(e *env) *cobra.Command {
	opts := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render LESSON_DIR",
		Short: "Render one lesson to a video file to watch before publishing",
		Long: `Render one lesson to a video file, without publishing it, so you can watch
the result first. Publishing renders the same way, except that the captions
go to YouTube as separate tracks instead of inside the video.

Profiles:
  youtube (default)  MP4 for YouTube: H.264 High, AAC 48 kHz stereo, sound at
                     -16 LUFS, the lesson's caption files as subtitle tracks,
                     the sign-language interpreter (sign.mp4) in a corner of
                     the picture, or beside it with sign: layout: side-by-side
                     in course.yaml. With nothing to add to the picture and a
                     recording YouTube takes as it is (H.264 or HEVC, 8-bit
                     4:2:0, progressive, constant frame rate), the video is
                     copied, which takes seconds instead of minutes.
  share              A copy for WhatsApp: captions in the course language burned
                     into the picture, 720p at most, under --max-size.

The output goes to LESSON_DIR/out/NAME.PROFILE.mp4 unless -o is given; it is
written to a hidden temporary file first, so an interrupted render (Ctrl-C)
leaves nothing behind. The path of the finished file is printed on stdout,
progress on stderr. --dry-run prints the plan and the ffmpeg command instead.`,
		Example: `  # render for YouTube into bead-jewellery/01-tools/out/01-tools.youtube.mp4
  lessonpub render bead-jewellery/01-tools

  # show what would be done, without doing it
  lessonpub render bead-jewellery/01-tools --dry-run

  # a WhatsApp copy of at most 32 MB
  lessonpub render bead-jewellery/01-tools --profile share --max-size 32M -o tools.mp4

  # burn the Azerbaijani captions into the YouTube video too
  lessonpub render bead-jewellery/01-tools --burn-captions az`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runRender(cmd.Context(), e, opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", "output `FILE` (.mp4); default LESSON_DIR/out/NAME.PROFILE.mp4")
	f.StringVar(&opts.profile, "profile", render.ProfileYouTube, "what the file is for, its `PROFILE`: youtube, or share (a WhatsApp copy)")
	f.StringVar(&opts.burnCaptions, "burn-captions", "", "burn the captions of language `LANG` (such as az) into the picture; share does this for the course language")
	f.StringVar(&opts.maxSize, "max-size", "64M", "share: largest file `SIZE`, such as 64M, 500K or 1.5G (M = 1024×1024 bytes)")
	f.StringVar(&opts.preset, "preset", render.DefaultPreset, "x264 speed `PRESET`: ultrafast … veryfast … medium (slower is smaller, not better on YouTube)")
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the plan and the ffmpeg command without rendering")
	return cmd
}

func runRender(ctx context.Context, e *env, opts *renderOptions) error {
	maxSize, err := parseSize(opts.maxSize)
	if err != nil {
		return newUsageError(fmt.Errorf("--max-size: %w", err)) // untranslated: a flag's name before err, which the printer translates
	}
	switch opts.profile {
	case render.ProfileYouTube, render.ProfileShare:
	default:
		return newUsageError(e.p.Errorf("--profile %q: use youtube or share", opts.profile))
	}
	lesson, err := lessons.LoadLesson(opts.dir)
	if err != nil {
		return inputError(err)
	}
	plan, err := render.NewPlan(ctx, lesson, render.Options{
		Profile:      opts.profile,
		Output:       opts.output,
		BurnCaptions: opts.burnCaptions,
		MaxSize:      maxSize,
		Preset:       opts.preset,
		Warn: func(msg *captions.Text) {
			if !opts.dryRun { // the plan lists them
				e.p.Fprintf(e.stderr, "lessonpub: warning: %s\n", msg)
			}
		},
	})
	if err != nil {
		return err
	}
	if opts.dryRun {
		_, err := io.WriteString(e.stdout, plan.Format(e.p.Sprintf))
		return err
	}
	e.p.Fprintf(e.stderr, "rendering %s (%s) -> %s\n", lesson.Name, plan.Mode, plan.Output)
	report, stop := renderProgress(ctx, e, lesson.Name)
	res, err := plan.Run(ctx, report)
	stop()
	if err != nil {
		return err
	}
	e.p.Fprintf(e.stderr, "rendered %s in %s; sound: %s\n", lesson.Name, res.Elapsed.Round(100*time.Millisecond), res.Sound)
	_, err = fmt.Fprintln(e.stdout, res.Output)
	return err
}

// renderProgress returns the progress callback for a render and a func to
// call when it ends: a live bar on a terminal, a line every 10% otherwise.
func renderProgress(ctx context.Context, e *env, name string) (func(ffmpeg.Progress), func()) {
	if !e.stderrTTY {
		next := 10.0
		return func(p ffmpeg.Progress) {
			if p.Done || p.Percent < next {
				return
			}
			for next <= p.Percent {
				next += 10
			}
			fmt.Fprintf(e.stderr, "%s: %3.0f%%%s\n", name, p.Percent, speedETA(e.p, p))
		}, func() {}
	}
	bars := mpb.NewWithContext(ctx, mpb.WithOutput(e.stderr), mpb.WithWidth(40))
	var mu sync.Mutex
	var last ffmpeg.Progress
	bar := bars.AddBar(1000,
		mpb.PrependDecorators(decor.Name(name+" "), decor.Percentage(decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
			mu.Lock()
			defer mu.Unlock()
			return speedETA(e.p, last)
		})),
	)
	return func(p ffmpeg.Progress) {
			mu.Lock()
			last = p
			mu.Unlock()
			bar.SetCurrent(int64(p.Percent * 10))
		}, func() {
			if !bar.Completed() {
				bar.Abort(false)
			}
			bars.Wait()
		}
}

// speedETA says how fast the render goes and how long it has left, in
// pr's language: " (speed 2.5x, about 1m4s left)".
func speedETA(pr *printer, p ffmpeg.Progress) string {
	var parts []string
	if p.Speed > 0 {
		if p.Speed >= 10 {
			parts = append(parts, pr.Sprintf("speed %.0fx", p.Speed))
		} else {
			parts = append(parts, pr.Sprintf("speed %.1fx", p.Speed))
		}
	}
	if p.ETA > 0 {
		parts = append(parts, pr.Sprintf("about %s left", p.ETA.Round(time.Second)))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// parseSize reads sizes such as 64M, 500K, 1.5G, 64MB or 1000000 (bytes).
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "IB"), "B")
	mult := int64(1)
	switch {
	case strings.HasSuffix(t, "K"):
		mult = 1 << 10
	case strings.HasSuffix(t, "M"):
		mult = 1 << 20
	case strings.HasSuffix(t, "G"):
		mult = 1 << 30
	}
	if mult > 1 {
		t = t[:len(t)-1]
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || f <= 0 {
		return 0, captions.Errorf("%q is not a size; write it like 64M, 500K or 1.5G", s)
	}
	return int64(f * float64(mult)), nil
}
