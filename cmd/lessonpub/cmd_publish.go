package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/captionsync"
	"github.com/lessonpub/lessonpub/pipeline/check"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

type publishOptions struct {
	dir     string
	course  bool // the whole course in dir, not one lesson
	dryRun  bool
	target  string
	json    bool
	jobs    int
	replace bool
	preset  string
	stream  bool
}

func newPublishCmd(e *env) *cobra.Command {
	opts := &publishOptions{}
	cmd := &cobra.Command{
		Use:   "publish LESSON_DIR",
		Short: "Check, render and publish one lesson into its course's playlist",
		Long: `Publish one lesson: check its captions, render it (sign-language interpreter,
even sound), upload it into the course's YouTube playlist at its place, add
its caption tracks and thumbnail, and print the video's address. On YouTube
the upload starts while the lesson renders (--stream=false waits for the
render to finish first).

The lesson's course is the folder above it, with course.yaml. What was
published is recorded in COURSE/.lessonpub/published.json (commit it with
the course); publishing again changes only what changed. --target dir:PATH
writes what would go to YouTube into a folder instead, and --target site:PATH
a web site of the course (see 'lessonpub preview'): no account needed.`,
		Example: `  # publish a lesson just recorded
  lessonpub publish bead-jewellery/03-earrings

  # see what would be done and what it costs, without doing it
  lessonpub publish bead-jewellery/03-earrings --dry-run

  # publish into a local folder instead of YouTube
  lessonpub publish bead-jewellery/03-earrings --target dir:out`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runPublish(cmd.Context(), e, opts)
		},
	}
	addPublishFlags(cmd.Flags(), opts)
	return cmd
}

func addPublishFlags(f *pflag.FlagSet, opts *publishOptions) {
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the plan and its quota cost; render and send nothing")
	f.StringVar(&opts.target, "target", "youtube", "where to publish: youtube, dir:PATH for a local folder, or site:PATH for a web site")
	f.BoolVar(&opts.json, "json", false, "print one JSON event per line on stdout, ending with a summary")
	f.IntVar(&opts.jobs, "jobs", defaultJobs(), "how many lessons render at once (while others upload)")
	f.BoolVar(&opts.replace, "replace", false, "delete the old video of a lesson whose recording changed (default: only take it out of the playlist)")
	f.StringVar(&opts.preset, "preset", "", "x264 `PRESET` for renders (default veryfast)")
	f.BoolVar(&opts.stream, "stream", true, "upload each lesson to YouTube while it renders (--stream=false: upload the finished file)")
}

// defaultJobs is one render per four cores: ffmpeg uses several cores for
// each render already.
func defaultJobs() int { return max(1, runtime.NumCPU()/4) }

func runPublish(ctx context.Context, e *env, opts *publishOptions) error {
	if opts.jobs < 1 {
		return newUsageError(e.p.Errorf("--jobs %d: give at least 1", opts.jobs))
	}
	course, only, blocked, err := loadForPublish(e.p, opts)
	if err != nil {
		return err
	}
	set, err := e.settings()
	if err != nil {
		return err
	}
	cfg := set.youtubeConfig(nil)
	cfg.Log = e.p.lineTo(e.stderr)
	ui := newPublishUI(e, opts.json)
	target, err := openTarget(ctx, opts.target, course, cfg, opts.dryRun, ui.warn)
	if err != nil {
		return err
	}
	if yt, ok := target.(*youtube.Target); ok {
		yt.ChunkSize = set.UploadChunk
	}
	probes := new(check.Probes) // the caption gate and the render read each recording once
	pub := pipeline.New(pipeline.Options{
		Target:   target,
		Renderer: pipeline.MediaRenderer{Preset: opts.preset, Probe: probes.Probe, Warn: func(lesson string, msg *captions.Text) { ui.warn(captions.Textf("%s: %s", lesson, msg)) }},
		Captions: pipeline.CaptionGate{Probe: probes.Probe, Sync: captionsync.OpenCache(cfg.StateDir).CheckLesson,
			Warn: func(l *lessons.Lesson, msg *captions.Text) { ui.warn(captions.Textf("%s: %s", l.Name, msg)) }},
		StateDir: cfg.StateDir,
		Jobs:     opts.jobs,
		Replace:  opts.replace,
		Stream:   opts.stream,
		Blocked:  blocked,
		Events:   ui.event,
	})
	if opts.dryRun {
		plan, err := pub.Plan(ctx, course, only, true)
		if err != nil {
			return err
		}
		if opts.json {
			return json.NewEncoder(e.stdout).Encode(pipeline.Event{Type: pipeline.EventPlan, Plan: plan})
		}
		_, err = io.WriteString(e.stdout, plan.Format(e.p.Sprintf))
		return err
	}

	sum, err := pub.Publish(ctx, course, only)
	ui.close()
	if sum != nil && !opts.json {
		printSummary(e, sum, opts.course)
	}
	if err != nil {
		return err
	}
	if sum.Failed > 0 {
		return &exitError{code: exitFailed, err: e.p.Errorf("%d lesson(s) failed; fix what is listed above and run the same command again", sum.Failed)}
	}
	return nil
}

// loadForPublish reads the course (and the one lesson). Problems of one
// lesson's folder block that lesson only; problems of course.yaml stop.
// The errors say it in p's language.
func loadForPublish(p *printer, opts *publishOptions) (*lessons.Course, []*lessons.Lesson, map[*lessons.Lesson]error, error) {
	if !opts.course {
		l, err := lessons.LoadLesson(opts.dir)
		if err != nil {
			if ie := inputError(err); ie != err {
				return nil, nil, nil, ie
			}
			return nil, nil, nil, &exitError{code: exitFailed, err: err}
		}
		return l.Course, []*lessons.Lesson{l}, nil, nil
	}
	if !lessons.IsCourse(opts.dir) {
		return nil, nil, nil, newUsageError(p.Errorf("%s is not a course folder: it has no %s (to publish one lesson, use 'lessonpub publish LESSON_DIR')", opts.dir, lessons.CourseFile))
	}
	c, err := lessons.LoadCourse(opts.dir)
	var ps *lessons.Problems
	if err != nil && (c == nil || !errors.As(err, &ps)) {
		return nil, nil, nil, &exitError{code: exitFailed, err: err}
	}
	blocked, courseProblems := owners(c, ps)
	if len(courseProblems) > 0 {
		return nil, nil, nil, &exitError{code: exitFailed, err: p.Errorf("the course cannot be published:\n  %s", problemList{items: courseProblems, sep: "\n  "})}
	}
	return c, nil, blocked, nil
}

// owners is check.Owners keeping each problem's English format, so that
// the reasons a lesson is blocked, and the course's own problems, can be
// shown translated: the errors read as check.Owners's in English.
func owners(c *lessons.Course, ps *lessons.Problems) (map[*lessons.Lesson]error, []lessons.Problem) {
	blocked := map[*lessons.Lesson]error{}
	if ps == nil {
		return blocked, nil
	}
	byLesson := map[*lessons.Lesson][]lessons.Problem{}
	var course []lessons.Problem
	for _, it := range ps.Items {
		// check.Owners decides whose problem it is, one problem at a time.
		b, cp := check.Owners(c, &lessons.Problems{Items: []lessons.Problem{it}})
		if len(cp) > 0 {
			course = append(course, it)
		}
		for l := range b {
			byLesson[l] = append(byLesson[l], it)
		}
	}
	for l, items := range byLesson {
		blocked[l] = problemList{items: items, sep: "; "}
	}
	return blocked, course
}

// printSummary writes each lesson's result on stdout; failures and removed
// videos go to stderr.
func printSummary(e *env, sum *pipeline.Summary, course bool) {
	if !course {
		for _, l := range sum.Lessons {
			if l.URL != "" && l.Result != pipeline.ResultFailed && l.Result != pipeline.ResultPending {
				fmt.Fprintln(e.stdout, l.URL)
			}
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, l := range sum.Lessons {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Lesson, resultWord(e.p, l.Result), l.URL)
		}
		tw.Flush()
	}
	for _, r := range sum.Removed {
		if r.Deleted {
			e.p.Fprintf(e.stderr, "%s: old video %s deleted\n", r.Lesson, r.URL)
		} else {
			e.p.Fprintf(e.stderr, "%s: old video %s taken out of the playlist; still on the channel\n", r.Lesson, r.URL)
		}
	}
	for _, l := range sum.Lessons {
		if l.Result == pipeline.ResultFailed {
			var reason any = l.Error
			if l.Err != nil {
				reason = l.Err
			}
			e.p.Fprintf(e.stderr, "failed: %s\n", reason)
		}
	}
	if sum.Pending > 0 {
		e.p.Fprintf(e.stderr, "%d lesson(s) left pending\n", sum.Pending)
	}
}

// resultWord names a lesson's result (pipeline.Result*) for a person; the
// JSON keeps the English word.
func resultWord(p *printer, result string) string {
	switch result {
	case pipeline.ResultPublished:
		return p.Sprintf("published")
	case pipeline.ResultReplaced:
		return p.Sprintf("replaced")
	case pipeline.ResultUpdated:
		return p.Sprintf("updated")
	case pipeline.ResultUnchanged:
		return p.Sprintf("unchanged")
	case pipeline.ResultPending:
		return p.Sprintf("pending")
	case pipeline.ResultFailed:
		return p.Sprintf("failed")
	}
	return result
}

// publishUI shows a run's events: JSON lines on stdout with --json, live
// bars on a terminal, plain log lines otherwise.
type publishUI struct {
	e    *env
	json bool
	enc  *json.Encoder

	mu      sync.Mutex
	bars    *mpb.Progress
	overall *mpb.Bar
	lesson  map[string]*mpb.Bar
	phase   map[string]string
	// streaming: lessons whose upload follows their render, not yet rendered.
	streaming map[string]bool
	// shown is each bar's phase as its decorator reads it, without u.mu:
	// the bars draw from their own goroutines.
	shown map[string]*atomic.Value
}

func newPublishUI(e *env, jsonOut bool) *publishUI {
	u := &publishUI{e: e, json: jsonOut, lesson: map[string]*mpb.Bar{}, phase: map[string]string{}, streaming: map[string]bool{}, shown: map[string]*atomic.Value{}}
	if jsonOut {
		u.enc = json.NewEncoder(e.stdout)
	} else if e.stderrTTY {
		u.bars = mpb.New(mpb.WithOutput(e.stderr), mpb.WithWidth(32))
	}
	return u
}

func (u *publishUI) warn(msg *captions.Text) {
	u.event(pipeline.Event{Type: pipeline.EventWarning, Text: msg})
}

// message is ev's message in the person's language.
func (u *publishUI) message(ev pipeline.Event) string {
	if ev.Text != nil {
		return u.e.p.text(ev.Text)
	}
	return ev.Message
}

// logf writes a line: format translated, args as the printer does.
func (u *publishUI) logf(format string, args ...any) {
	line := u.e.p.Sprintf(format, args...) + "\n"
	if u.bars != nil {
		io.WriteString(u.bars, line)
		return
	}
	io.WriteString(u.e.stderr, line)
}

func (u *publishUI) event(ev pipeline.Event) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.json {
		if ev.Message == "" && ev.Text != nil { // a warning of the command's own
			ev.Message = ev.Text.String()
		}
		u.enc.Encode(ev)
		return
	}
	switch ev.Type {
	case pipeline.EventPlan:
		pl := ev.Plan
		if pl.Work == 0 {
			switch {
			case pl.Blocked() > 0:
				u.logf("nothing can be published until the problems listed at the end are fixed")
			case !pl.UpdatePlaylist:
				u.logf("everything is up to date")
			}
			return
		}
		if pl.Budget.Limited {
			u.logf("%d lesson(s) to publish, costing %d units and %d upload(s); %d fit in today's quota", pl.Work, pl.Cost.Units, pl.Cost.Uploads, pl.FitsToday)
		} else {
			u.logf("%d lesson(s) to publish to %s", pl.Work, pl.Target)
		}
		if u.bars != nil {
			p := u.e.p
			u.overall = u.bars.AddBar(int64(pl.Work), mpb.BarPriority(1<<30),
				mpb.PrependDecorators(decor.Name(p.Sprintf("course")+" ", decor.WCSyncSpaceR)),
				mpb.AppendDecorators(decor.Any(func(s decor.Statistics) string {
					return p.Sprintf("%d/%d lessons", s.Current, s.Total)
				})))
		}
	case pipeline.EventRender, pipeline.EventUpload:
		// phase is shown as it is: translated here.
		phase := u.e.p.Sprintf("rendering")
		var cur int64
		if ev.Type == pipeline.EventUpload {
			phase = u.e.p.Sprintf("uploading")
			if ev.Total > 0 {
				cur = 500 + 500*ev.Bytes/ev.Total
			}
		} else if ev.Length > 0 {
			cur = int64(500 * ev.Done / ev.Length)
		}
		if u.streaming[ev.Lesson] {
			// One phase, measured by the render: the upload's total is
			// unknown until the render ends.
			phase, cur = u.e.p.Sprintf("rendering and uploading"), 0
			if ev.Type == pipeline.EventRender && ev.Length > 0 {
				cur = int64(1000 * ev.Done / ev.Length)
			}
		}
		if u.bars == nil {
			if u.phase[ev.Lesson] != phase {
				u.phase[ev.Lesson] = phase
				u.logf("%s: %s", ev.Lesson, phase)
			}
			return
		}
		b := u.lesson[ev.Lesson]
		if b == nil {
			shown := &atomic.Value{}
			shown.Store(phase)
			u.shown[ev.Lesson] = shown
			b = u.bars.AddBar(1000, mpb.BarRemoveOnComplete(),
				mpb.PrependDecorators(decor.Name(ev.Lesson, decor.WCSyncSpaceR), decor.Any(func(decor.Statistics) string {
					return shown.Load().(string)
				}, decor.WCSyncSpaceR)),
				mpb.AppendDecorators(decor.Percentage()))
			u.lesson[ev.Lesson] = b
		}
		u.shown[ev.Lesson].Store(phase)
		if cur > b.Current() {
			b.SetCurrent(cur)
		}
	case pipeline.EventRendered:
		delete(u.streaming, ev.Lesson)
		if u.bars == nil {
			u.logf("%s: rendered", ev.Lesson)
		}
	case pipeline.EventStep:
		if ev.Step == pipeline.StepStreaming {
			u.streaming[ev.Lesson] = true
		}
		switch {
		case ev.Lesson == "": // the course's own steps, such as its playlist
			u.logf("%s", u.message(ev))
		case u.bars == nil:
			u.logf("%s: %s", ev.Lesson, u.message(ev))
		}
	case pipeline.EventRemoved, pipeline.EventWarning:
		if ev.Lesson != "" {
			u.logf("%s: %s", ev.Lesson, u.message(ev))
		} else {
			u.logf("warning: %s", u.message(ev))
		}
	case pipeline.EventLesson:
		if b := u.lesson[ev.Lesson]; b != nil {
			if ev.Result == pipeline.ResultFailed || ev.Result == pipeline.ResultPending {
				b.Abort(true)
			} else {
				b.SetTotal(-1, true)
			}
			delete(u.lesson, ev.Lesson)
		}
		if u.overall != nil && ev.Result != pipeline.ResultUnchanged {
			u.overall.Increment()
		}
		switch ev.Result {
		case pipeline.ResultFailed:
			// listed with every other failure at the end
		case pipeline.ResultPending:
			u.logf("%s: left pending", ev.Lesson)
		case pipeline.ResultUnchanged:
		default:
			u.logf("%s: %s %s", ev.Lesson, resultWord(u.e.p, ev.Result), ev.URL)
		}
	}
}

// close stops the bars (after the last event).
func (u *publishUI) close() {
	u.mu.Lock()
	bars, overall := u.bars, u.overall
	for _, b := range u.lesson {
		b.Abort(true)
	}
	u.mu.Unlock()
	if bars == nil {
		return
	}
	if overall != nil {
		overall.Abort(false)
	}
	bars.Wait()
}
