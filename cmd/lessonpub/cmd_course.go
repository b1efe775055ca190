package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/captionsync"
)

func newCourseCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "course",
		Short: "Publish a whole course, or see how far its publishing is",
		Example: `  lessonpub course publish bead-jewellery
  lessonpub course status bead-jewellery`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCoursePublishCmd(e), newCourseStatusCmd(e))
	return cmd
}

func newCoursePublishCmd(e *env) *cobra.Command {
	opts := &publishOptions{course: true}
	cmd := &cobra.Command{
		Use:   "publish COURSE_DIR",
		Short: "Publish every lesson of a course into its playlist, in order",
		Long: `Publish every lesson of a course, in order, into the course's playlist.

Lessons already published and unchanged cost nothing. A lesson whose captions,
thumbnail or lesson.yaml changed is updated in place; one whose recording or
interpreter clip changed is uploaded again, and its old video is taken out of
the playlist (deleted only with --replace). Lessons render while earlier ones
upload. A lesson that fails does not stop the others: they are listed at the
end and the exit code is 1.

YouTube allows little each day (a caption track costs 400 of 10,000 daily
units). The run publishes what fits, leaves the rest pending and exits with
75 and the time to rerun; running the same command again continues. Ctrl-C
stops cleanly; run it again to continue.

Output: a line per lesson (lesson, result, address) on stdout, progress on
stderr; with --json, JSON events on stdout, one per line, the last a summary.`,
		Example: `  # what would be done and what it costs
  lessonpub course publish bead-jewellery --dry-run

  # publish (and rerun the next day if YouTube's quota runs out)
  lessonpub course publish bead-jewellery

  # publish into a local folder, no YouTube account needed
  lessonpub course publish bead-jewellery --target dir:published`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runPublish(cmd.Context(), e, opts)
		},
	}
	addPublishFlags(cmd.Flags(), opts)
	return cmd
}

type courseStatusOptions struct {
	dir    string
	target string
	json   bool
	stream bool
}

func newCourseStatusCmd(e *env) *cobra.Command {
	opts := &courseStatusOptions{}
	cmd := &cobra.Command{
		Use:   "status COURSE_DIR",
		Short: "Show each lesson as published, changed, pending or failed, and what the rest costs",
		Long: `Show, from the course's record, each lesson as
  published  on the target and unchanged since
  changed    published, but something changed since: publish again to update it
  pending    not published yet (or only partly)
  failed     the last run failed on it (the reason is shown)
with its video's address, and what publishing the rest costs in YouTube quota
and days. Nothing is sent to YouTube.`,
		Example: `  lessonpub course status bead-jewellery
  lessonpub course status bead-jewellery --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runCourseStatus(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().StringVar(&opts.target, "target", "youtube", "which destination's record: youtube, dir:PATH or site:PATH")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the status as one JSON object")
	cmd.Flags().BoolVar(&opts.stream, "stream", true, "say which lessons publish would upload while they render (as publish --stream does)")
	return cmd
}

// Lesson states shown by course status.
type courseStatus struct {
	Course  string                  `json:"course"`
	Target  string                  `json:"target"`
	Lessons []pipeline.LessonStatus `json:"lessons"`
	// UpdatePlaylist: course.yaml's title, description or privacy changed
	// since they were given to the playlist.
	UpdatePlaylist bool            `json:"update_playlist"`
	Cost           pipeline.Cost   `json:"cost"`
	Budget         pipeline.Budget `json:"budget"`
	Days           int             `json:"days"`
	// UploadsLookup: lessons the next publish first looks for among all
	// the target's videos, and what that costs at least.
	UploadsLookup *pipeline.Lookup `json:"uploads_lookup,omitempty"`
	// Moves: playlist items publishing moves into lesson order.
	Moves int `json:"moves,omitempty"`
}

func runCourseStatus(ctx context.Context, e *env, opts *courseStatusOptions) error {
	popts := &publishOptions{dir: opts.dir, course: true}
	course, _, blocked, err := loadForPublish(e.p, popts)
	if err != nil {
		return err
	}
	set, err := e.settings()
	if err != nil {
		return err
	}
	cfg := set.youtubeConfig(nil)
	target, err := openTarget(ctx, opts.target, course, cfg, true, nil)
	if err != nil {
		return err
	}
	pub := pipeline.New(pipeline.Options{Target: target, Renderer: pipeline.MediaRenderer{}, Captions: pipeline.CaptionGate{Sync: captionsync.OpenCache(cfg.StateDir).CheckLesson}, StateDir: cfg.StateDir, Blocked: blocked, Stream: opts.stream})
	plan, err := pub.Plan(ctx, course, nil, false)
	if err != nil {
		return err
	}
	rec, err := pipeline.LoadRecord(course.Dir)
	if err != nil {
		return err
	}
	dest := rec.Destination(target.Name())
	st := courseStatus{Course: course.Title, Target: target.Name(), UpdatePlaylist: plan.UpdatePlaylist, Cost: plan.Cost, Budget: plan.Budget, Days: plan.Days, UploadsLookup: plan.UploadsLookup, Moves: plan.Moves}
	st.Lessons = pipeline.Status(plan, dest)
	if opts.json {
		return json.NewEncoder(e.stdout).Encode(st)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, ls := range st.Lessons {
		stream := ""
		if ls.Stream {
			stream = "\t" + e.p.Sprintf("uploaded while it renders")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s%s\n", ls.Lesson, stateWord(e.p, ls.State), ls.URL, stream)
	}
	tw.Flush()
	failed := 0
	for _, ls := range st.Lessons {
		if ls.Error != "" {
			failed++
			var reason any = ls.Error // from the record: English
			if ls.Err != nil {        // found by this run: translated
				reason = ls.Err
			}
			e.p.Fprintf(e.stdout, "%s failed: %s\n", ls.Lesson, reason)
		}
	}
	if plan.UpdatePlaylist {
		e.p.Fprintf(e.stdout, "The playlist does not have the title %q, or the description or privacy, of course.yaml yet: publish to update it.\n", course.Title)
	}
	if l := plan.UploadsLookup; l != nil && plan.Budget.Limited {
		e.p.Fprintf(e.stdout, "Publishing first looks for %d lesson(s) among all the videos on %s, in case an earlier run made them: %d units at least, 1 more per 50 videos (included below).\n", l.Lessons, target.Name(), l.Cost.Units)
	}
	if plan.Moves > 0 {
		e.p.Fprintf(e.stdout, "The playlist is not in lesson order: publishing moves %d video(s) (%d units).\n", plan.Moves, plan.Moves*target.Cost(pipeline.OpMoveItem).Units)
	}
	if failed > 0 {
		e.p.Fprintf(e.stdout, "%d lesson(s) cannot be published until the problems above are fixed.\n", failed)
	}
	switch {
	case plan.Work == 0 && (plan.UpdatePlaylist || failed > 0 || plan.Moves > 0):
	case plan.Work == 0:
		e.p.Fprintf(e.stdout, "Everything is published and up to date.\n")
	case !plan.Budget.Limited:
		e.p.Fprintf(e.stdout, "%d lesson(s) to publish or update.\n", plan.Work)
	default:
		e.p.Fprintf(e.stdout, "%d lesson(s) to publish or update: %d units and %d upload(s); %d fit today, about %d day(s) in all.\n",
			plan.Work, plan.Cost.Units, plan.Cost.Uploads, plan.FitsToday, plan.Days)
	}
	return nil
}

// stateWord names where a lesson stands (pipeline.Status*) for a person;
// the JSON keeps the English word.
func stateWord(p *printer, state string) string {
	switch state {
	case pipeline.StatusPublished:
		return p.Sprintf("published")
	case pipeline.StatusChanged:
		return p.Sprintf("changed")
	case pipeline.StatusPending:
		return p.Sprintf("pending")
	case pipeline.StatusFailed:
		return p.Sprintf("failed")
	}
	return state
}
