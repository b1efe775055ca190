package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
)

// Options configure a Publisher.
type Options struct {
	Target   Target
	Renderer Renderer
	Captions CaptionSource
	// StateDir is the user's state folder: the hash cache and the rendered
	// videos waiting for upload live there.
	StateDir string
	// RecordDir holds the record (RecordPath); the course folder when "".
	// lessonpub preview keeps its record in the state folder, so that a
	// preview never changes the published.json committed with a course.
	RecordDir string
	// Jobs is how many renders run at once (at least 1). Rendered videos
	// wait for their upload; at most Jobs+1 of them exist at a time.
	Jobs int
	// Replace deletes the old video of a lesson whose recording changed,
	// instead of only taking it out of the playlist.
	Replace bool
	// Stream uploads each lesson while it renders, on a target that is a
	// Streamer. Otherwise a lesson is uploaded once its render is finished.
	Stream bool
	// Blocked lessons are not published: their error is reported as the
	// lesson's failure (for example a lesson.yaml problem).
	Blocked map[*lessons.Lesson]error
	// Events receives progress; calls come from one goroutine at a time.
	Events func(Event)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (p *Publisher) recordDir(c *lessons.Course) string {
	if p.opts.RecordDir != "" {
		return p.opts.RecordDir
	}
	return c.Dir
}

// courseRun is one run of a Publisher over a course: the state that lives
// from the lock to the summary.
type courseRun struct {
	*Publisher
	course *lessons.Course
	key    string // the course's key
	record *Record
	dest   *Destination // the record's part for the target
	items  []Item       // the playlist as it is now, in order
	sum    *Summary     // what the run did so far
}

// Publisher publishes courses to one target. It holds no state of a run:
// one Publisher can serve several runs, one after the other or at once on
// different courses.
type Publisher struct {
	opts   Options
	hashes *HashCache

	evMu sync.Mutex
}

// New returns a Publisher.
func New(opts Options) *Publisher {
	if opts.Jobs < 1 {
		opts.Jobs = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if rr, ok := opts.Renderer.(RenditionRenderer); ok && opts.Target != nil {
		opts.Renderer = rr.ForRendition(RenditionOf(opts.Target))
	}
	return &Publisher{opts: opts, hashes: OpenHashCache(opts.StateDir)}
}

func (p *Publisher) emit(e Event) {
	if p.opts.Events == nil {
		return
	}
	if e.Message == "" && e.Text != nil {
		e.Message = e.Text.String()
	}
	if e.Error == "" && e.Err != nil {
		e.Error = e.Err.Error()
	}
	p.evMu.Lock()
	defer p.evMu.Unlock()
	p.opts.Events(e)
}

// Plan says what publishing the lessons of c (all, or only those given)
// would do and cost, from the course's record alone: nothing is rendered,
// sent or read from the target. With describe, each render is described.
func (p *Publisher) Plan(ctx context.Context, c *lessons.Course, only []*lessons.Lesson, describe bool) (*Plan, error) {
	rec, err := LoadRecord(p.recordDir(c))
	if err != nil {
		return nil, err
	}
	dest := rec.Destination(p.opts.Target.Name())
	ck := CourseKey(c, rec.CourseKey)
	pl := &Plan{Target: p.opts.Target.Name(), Course: c.Title}
	pl.playlistNeeds(dest, c, ck)
	for i, l := range pickLessons(c, only) {
		pl.Lessons = append(pl.Lessons, p.prepare(ctx, l, i, ck))
	}
	matchRecord(dest, c, ck, pl.Lessons) // in memory only: a plan writes nothing
	for _, lp := range pl.Lessons {
		l := lp.Lesson
		r := dest.Lessons[lp.Key]
		var items []Item
		if r != nil && r.Item != "" {
			items = []Item{{ID: r.Item, Video: r.Video, Key: lp.Key}}
		}
		p.decide(lp, r, items)
		if lp.Action == ActionNew {
			// A run that publishes it first looks for it on the target.
			if pl.UploadsLookup == nil {
				pl.UploadsLookup = &Lookup{Cost: p.opts.Target.Cost(OpFindUploads)}
			}
			pl.UploadsLookup.Lessons++
		}
		if describe && lp.upload {
			if lp.render, err = p.opts.Renderer.Describe(ctx, l); err != nil {
				lp.renderErr = err
				lp.Render = "cannot plan the render: " + err.Error()
			} else {
				lp.Render = lp.render.Format(fmt.Sprintf)
			}
		}
	}
	p.hashes.Save()
	if len(dest.Order) > 0 {
		order := map[string]int{}
		for i, l := range c.Lessons {
			order[LessonKey(ck, l)] = i
		}
		var items []Item
		for _, k := range dest.Order {
			items = append(items, Item{ID: k, Key: k})
		}
		pl.Moves = len(moves(items, order))
	}
	if pl.Budget, err = p.opts.Target.Budget(ctx); err != nil {
		return nil, err
	}
	pl.finish(p.opts.Target)
	return pl, nil
}

func pickLessons(c *lessons.Course, only []*lessons.Lesson) []*lessons.Lesson {
	if len(only) > 0 {
		return only
	}
	return c.Lessons
}

// Publish publishes the lessons of c (all, or only those given) in course
// order. Lessons that fail are reported in the summary and do not stop the
// others. The error wraps ErrDailyLimit when a daily limit stopped the
// run (the rest is left pending for a rerun), or the context's error when
// the run was interrupted; the record on disk is true in every case.
func (p *Publisher) Publish(ctx context.Context, c *lessons.Course, only []*lessons.Lesson) (*Summary, error) {
	start := p.opts.Now()
	unlock, err := lockCourseWaiting(ctx, c.Dir, func(t *captions.Text) {
		p.emit(Event{Type: EventWarning, Text: t})
	})
	if err != nil {
		return nil, err
	}
	defer unlock()
	defer p.hashes.Save()

	rec, err := LoadRecord(p.recordDir(c))
	if err != nil {
		return nil, err
	}
	t := p.opts.Target
	cr := &courseRun{Publisher: p, course: c, record: rec, dest: rec.Destination(t.Name()), key: CourseKey(c, rec.CourseKey)}
	return cr.publish(ctx, only, start)
}

// publish is Publish once the course is locked and its record read.
func (cr *courseRun) publish(ctx context.Context, only []*lessons.Lesson, start time.Time) (*Summary, error) {
	c, t := cr.course, cr.opts.Target
	plan := &Plan{Target: t.Name(), Course: c.Title}
	for i, l := range pickLessons(c, only) {
		plan.Lessons = append(plan.Lessons, cr.prepare(ctx, l, i, cr.key))
	}
	if err := cr.record.Update(func() {
		cr.record.CourseKey = cr.key
		matchRecord(cr.dest, c, cr.key, plan.Lessons)
	}); err != nil {
		return nil, err
	}
	if err := cr.reconcile(ctx, plan); err != nil {
		return nil, err
	}
	var err error
	if plan.Budget, err = t.Budget(ctx); err != nil {
		return nil, err
	}
	plan.playlistNeeds(cr.dest, c, cr.key)
	plan.Moves = len(cr.moves())
	plan.finish(t)
	cr.emit(Event{Type: EventPlan, Plan: plan})

	sum := &Summary{Target: t.Name()}
	cr.sum = sum
	results := make([]LessonResult, len(plan.Lessons))
	var work []*LessonPlan
	for i, lp := range plan.Lessons {
		results[i] = LessonResult{Lesson: lp.Name}
		switch lp.Action {
		case ActionBlocked:
			if err := cr.fail(lp, &results[i], lp.Err); err != nil {
				return nil, err
			}
		case ActionNone:
			results[i].Result, results[i].URL = ResultUnchanged, cr.dest.Lessons[lp.Key].URL
			if err := cr.saveLesson(lp, func(r *LessonRecord) { r.State, r.Error = StatePublished, "" }); err != nil {
				return nil, err
			}
			cr.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultUnchanged, URL: results[i].URL})
		default:
			work = append(work, lp)
		}
	}

	var stopErr error
	if plan.UpdatePlaylist {
		stopErr = cr.updatePlaylist(ctx)
	}
	if stopErr == nil && plan.CreatePlaylist {
		stopErr = cr.createPlaylist(ctx)
	}
	if stopErr == nil && len(work) > 0 {
		stopErr = cr.schedule(ctx, work, results)
	}
	if stopErr == nil && cr.dest.PlaylistID != "" {
		stopErr = cr.reorder(ctx)
	}
	if cr.dest.PlaylistID != "" {
		if err := cr.saveOrder(); err != nil {
			stopErr = errors.Join(stopErr, err)
		}
	}
	if stopErr != nil {
		for i, lp := range plan.Lessons {
			if results[i].Result == "" {
				results[i].Result = ResultPending
				if err := cr.saveLesson(lp, func(r *LessonRecord) { r.State = StatePending }); err != nil {
					stopErr = errors.Join(stopErr, err)
				}
			}
		}
	}
	sum.Lessons = results
	for _, r := range results {
		switch r.Result {
		case ResultFailed:
			sum.Failed++
		case ResultPending:
			sum.Pending++
		}
	}
	switch {
	case errors.Is(stopErr, ErrDailyLimit):
		sum.Stopped = "quota"
		if b, err := t.Budget(context.WithoutCancel(ctx)); err == nil {
			sum.Rerun = b.Reset
		}
	case stopErr != nil && ctx.Err() != nil:
		sum.Stopped = "interrupted"
	}
	sum.WallSeconds = cr.opts.Now().Sub(start).Seconds()
	cr.emit(Event{Type: EventSummary, Summary: sum})
	if stopErr != nil && sum.Stopped == "quota" && !sum.Rerun.IsZero() {
		stopErr = captions.Errorf("%w; %d lesson(s) left pending: run the same command again after %s",
			stopErr, sum.Pending, captions.Time{Time: sum.Rerun})
	}
	return sum, stopErr
}
