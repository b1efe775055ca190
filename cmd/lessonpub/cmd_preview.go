package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/captionsync"
	"github.com/lessonpub/lessonpub/pipeline/check"
	"github.com/lessonpub/lessonpub/pipeline/site"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

type previewOptions struct {
	dir    string
	port   int
	open   bool
	jobs   int
	preset string
}

func newPreviewCmd(e *env) *cobra.Command {
	opts := &previewOptions{}
	cmd := &cobra.Command{
		Use:   "preview COURSE_DIR",
		Short: "See a course as students will, as a web site on this computer",
		Long: `Build the course's web site (as --target site:PATH would) in the state
folder, rendering the lessons not rendered for it yet, and serve it on
127.0.0.1 only, so that you can watch every lesson with its captions and
interpreter before publishing. The address is printed on stdout; Ctrl-C
stops the server.

The index also shows what 'lessonpub course status' knows about YouTube:
each lesson's caption problems, whether it is published, changed or
pending there, and the quota publishing the rest will cost. A lesson that
cannot be published (for example a caption error) is listed with why.`,
		Example: `  lessonpub preview bead-jewellery
  lessonpub preview bead-jewellery --port 8080 --open`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runPreview(cmd.Context(), e, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.port, "port", 0, "port to serve on, on 127.0.0.1 (0: any free port)")
	f.BoolVar(&opts.open, "open", false, "open the preview in the web browser")
	f.IntVar(&opts.jobs, "jobs", defaultJobs(), "how many lessons render at once")
	f.StringVar(&opts.preset, "preset", "", "x264 `PRESET` for renders (default veryfast)")
	return cmd
}

func runPreview(ctx context.Context, e *env, opts *previewOptions) error {
	if opts.port < 0 || opts.port > 65535 {
		return newUsageError(e.p.Errorf("--port %d: give a port from 1 to 65535, or 0 for any free one", opts.port))
	}
	if opts.jobs < 1 {
		return newUsageError(e.p.Errorf("--jobs %d: give at least 1", opts.jobs))
	}
	course, _, blocked, err := loadForPublish(e.p, &publishOptions{dir: opts.dir, course: true})
	if err != nil {
		return err
	}
	set, err := e.settings()
	if err != nil {
		return err
	}
	cfg := set.youtubeConfig(nil)
	dir := previewDir(cfg.StateDir, course.Dir)
	target, err := site.NewTarget(dir)
	if err != nil {
		return err
	}
	ui := newPublishUI(e, false)
	probes := new(check.Probes)
	pub := pipeline.New(pipeline.Options{
		Target:   target,
		Renderer: pipeline.MediaRenderer{Preset: opts.preset, Probe: probes.Probe, Warn: func(lesson string, msg *captions.Text) { ui.warn(captions.Textf("%s: %s", lesson, msg)) }},
		Captions: pipeline.CaptionGate{Probe: probes.Probe, Sync: captionsync.OpenCache(cfg.StateDir).CheckLesson,
			Warn: func(l *lessons.Lesson, msg *captions.Text) { ui.warn(captions.Textf("%s: %s", l.Name, msg)) }},
		StateDir: cfg.StateDir,
		// The preview's own record: the course's published.json is left alone.
		RecordDir: dir + ".record",
		Jobs:      opts.jobs,
		Blocked:   blocked,
		Events:    ui.event,
	})
	e.p.Fprintf(e.stderr, "building the preview in %s\n", target.Dir())
	sum, err := pub.Publish(ctx, course, nil)
	ui.close()
	if err != nil {
		return err
	}
	for _, r := range sum.Lessons {
		if r.Result == pipeline.ResultFailed {
			e.p.Fprintf(e.stderr, "not in the preview: %s\n", resultError(r))
		}
	}
	if err := writePreviewIndex(ctx, e.p, cfg, course, blocked, probes, sum, target); err != nil {
		return err
	}
	return servePreview(ctx, e, target.Dir(), opts)
}

// previewDir is the course's preview site in the state folder: one per
// course folder.
func previewDir(stateDir, courseDir string) string {
	abs, err := filepath.Abs(courseDir)
	if err != nil {
		abs = courseDir
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(stateDir, "preview", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:4]))
}

// maxPreviewProblems is how many caption problems of a lesson the index lists.
const maxPreviewProblems = 8

// writePreviewIndex rewrites the preview's index with what course status
// says about YouTube and what the caption check finds in each lesson, in
// p's language (the lesson states stay the English words that course
// status --json gives: the page styles them by that word).
func writePreviewIndex(ctx context.Context, p *printer, cfg youtube.Config, course *lessons.Course, blocked map[*lessons.Lesson]error, probes *check.Probes, sum *pipeline.Summary, target *site.Target) error {
	yt, err := openTarget(ctx, "youtube", course, cfg, true, nil)
	if err != nil {
		return err
	}
	ypub := pipeline.New(pipeline.Options{Target: yt, Renderer: pipeline.MediaRenderer{}, Captions: pipeline.CaptionGate{Probe: probes.Probe}, StateDir: cfg.StateDir, Blocked: blocked})
	plan, err := ypub.Plan(ctx, course, nil, false)
	if err != nil {
		return err
	}
	rec, err := pipeline.LoadRecord(course.Dir)
	if err != nil {
		return err
	}
	states := map[string]pipeline.LessonStatus{}
	for _, ls := range pipeline.Status(plan, rec.Destination(yt.Name())) {
		states[ls.Lesson] = ls
	}
	c, err := target.Course()
	if err != nil {
		return err
	}
	c.NotesLang = p.lang.String()
	c.Notes = []string{p.Sprintf("Each lesson's state is its state on YouTube (lessonpub course status): published, changed (publish again to update it) or pending.")}
	switch {
	case plan.Work == 0:
		c.Notes = append(c.Notes, p.Sprintf("YouTube: everything that can be published is published and up to date."))
	case plan.Budget.Limited:
		c.Notes = append(c.Notes, p.Sprintf("YouTube: %d lesson(s) to publish or update, costing %d quota units and %d upload(s); %d fit today, about %d day(s) in all.",
			plan.Work, plan.Cost.Units, plan.Cost.Uploads, plan.FitsToday, plan.Days))
	default:
		c.Notes = append(c.Notes, p.Sprintf("YouTube: %d lesson(s) to publish or update.", plan.Work))
	}
	for _, r := range sum.Lessons {
		if r.Result == pipeline.ResultFailed {
			c.Notes = append(c.Notes, p.Sprintf("Not in this preview: %s", resultError(r)))
		}
	}
	reasons := map[string]error{}
	for _, lp := range plan.Lessons {
		if lp.Err != nil {
			reasons[lp.Name] = lp.Err
		}
	}
	for _, l := range course.Lessons {
		i := slugIndex(c, site.LessonSlug(pipeline.LessonKey("", l)))
		if i < 0 {
			continue
		}
		ls := states[l.Name]
		st := &site.Status{State: ls.State, Problems: captionProblems(ctx, p, l, probes)}
		if ls.Error != "" && len(st.Problems) == 0 {
			st.Problems = []string{ls.Error} // from the record: English
			if err := reasons[l.Name]; err != nil && err.Error() == ls.Error {
				st.Problems = []string{p.errorText(err)}
			}
		}
		c.Lessons[i].Status = st
	}
	return site.WriteIndex(ctx, target.Dir(), c)
}

func slugIndex(c *site.Course, slug string) int {
	for i := range c.Lessons {
		if c.Lessons[i].Slug == slug {
			return i
		}
	}
	return -1
}

// captionProblems is what lessonpub captions check says about the lesson,
// a line per problem, in p's language.
func captionProblems(ctx context.Context, p *printer, l *lessons.Lesson, probes *check.Probes) []string {
	chk := check.ForLesson(l)
	chk.Probe = probes.Probe
	r := chk.Run(ctx)
	var out []string
	for _, lang := range r.Missing {
		out = append(out, p.Sprintf("no captions in %s, which course.yaml requires", lang))
	}
	n := 0
	for _, f := range r.Files {
		for _, pr := range f.Problems {
			n++
			if len(out) < maxPreviewProblems {
				var message any = pr.Message
				if pr.Format != "" {
					message = msgf(pr.Format, pr.Args...)
				}
				out = append(out, p.Sprintf("%s line %d: %s: %s", filepath.Base(f.File.Path), pr.Line, severity(p, pr.Severity), message))
			}
		}
	}
	if more := len(r.Missing) + n - len(out); more > 0 {
		out = append(out, p.Sprintf("and %d more: run lessonpub captions check %s", more, l.Dir))
	}
	return out
}

// resultError is why a lesson failed, as an error to translate when the
// run kept it.
func resultError(r pipeline.LessonResult) any {
	if r.Err != nil {
		return r.Err
	}
	return r.Error
}

// servePreview serves the site in dir on 127.0.0.1 until ctx ends (Ctrl-C).
func servePreview(ctx context.Context, e *env, dir string, opts *previewOptions) error {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.port)))
	if err != nil {
		return newUsageError(e.p.Errorf("cannot serve the preview on 127.0.0.1:%d: %w; give another --port, or --port 0 for any free one", opts.port, err))
	}
	url := "http://" + ln.Addr().String() + "/"
	srv := &http.Server{Handler: site.Handler(dir), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintln(e.stdout, url)
	e.p.Fprintf(e.stderr, "serving the preview on this computer only; press Ctrl-C to stop\n")
	if opts.open {
		if err := openBrowser(url); err != nil {
			e.p.Fprintf(e.stderr, "note: could not open a web browser (%v): open %s yourself\n", err, url)
		}
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e.p.Fprintf(e.stderr, "preview stopped\n")
	return nil
}

// openBrowser asks the system to open url in the user's web browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
