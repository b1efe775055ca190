package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// Options configure a Publisher.
type Options struct {
	Target   Target
	Renderer Renderer
	Captions CaptionSource
	// StateDir is the user's state folder: the hash cache and the rendered
	// videos waiting for upload live there.
	StateDir string
	// Jobs is how many renders run at once (at least 1). Rendered videos
	// wait for their upload; at most Jobs+1 of them exist at a time.
	Jobs int
	// Replace deletes the old video of a lesson whose recording changed,
	// instead of only taking it out of the playlist.
	Replace bool
	// Blocked lessons are not published: their error is reported as the
	// lesson's failure (for example a lesson.yaml problem).
	Blocked map[*lessons.Lesson]error
	// Events receives progress; calls come from one goroutine at a time.
	Events func(Event)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Publisher publishes courses to one target.
type Publisher struct {
	opts   Options
	hashes *HashCache

	evMu sync.Mutex

	// set for one run
	course *lessons.Course
	record *Record
	dest   *Destination // the record's part for the target
	items  []Item       // the playlist as it is now, in order
}

// New returns a Publisher.
func New(opts Options) *Publisher {
	if opts.Jobs < 1 {
		opts.Jobs = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Publisher{opts: opts, hashes: OpenHashCache(opts.StateDir)}
}

func (p *Publisher) emit(e Event) {
	if p.opts.Events == nil {
		return
	}
	p.evMu.Lock()
	defer p.evMu.Unlock()
	p.opts.Events(e)
}

// Plan says what publishing the lessons of c (all, or only those given)
// would do and cost, from the course's record alone: nothing is rendered,
// sent or read from the target. With describe, each render is described.
func (p *Publisher) Plan(ctx context.Context, c *lessons.Course, only []*lessons.Lesson, describe bool) (*Plan, error) {
	rec, err := LoadRecord(c.Dir)
	if err != nil {
		return nil, err
	}
	dest := rec.Destination(p.opts.Target.Name())
	pl := &Plan{Target: p.opts.Target.Name(), Course: c.Title}
	pl.playlistNeeds(dest, c)
	for i, l := range pickLessons(c, only) {
		lp := p.prepare(ctx, l, i)
		r := dest.Lessons[lp.Key]
		var items []Item
		if r != nil && r.Item != "" {
			items = []Item{{ID: r.Item, Video: r.Video, Key: lp.Key}}
		}
		p.decide(lp, r, items)
		if describe && lp.upload {
			if lp.Render, err = p.opts.Renderer.Describe(ctx, l); err != nil {
				lp.Render = "cannot plan the render: " + err.Error()
			}
		}
		pl.Lessons = append(pl.Lessons, lp)
	}
	p.hashes.Save()
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
// others. The error wraps youtube.ErrLimit when a daily limit stopped the
// run (the rest is left pending for a rerun), or the context's error when
// the run was interrupted; the record on disk is true in every case.
func (p *Publisher) Publish(ctx context.Context, c *lessons.Course, only []*lessons.Lesson) (*Summary, error) {
	start := p.opts.Now()
	unlock, err := lockCourse(ctx, c.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	defer p.hashes.Save()

	p.course = c
	if p.record, err = LoadRecord(c.Dir); err != nil {
		return nil, err
	}
	t := p.opts.Target
	p.dest = p.record.Destination(t.Name())

	plan := &Plan{Target: t.Name(), Course: c.Title}
	for i, l := range pickLessons(c, only) {
		plan.Lessons = append(plan.Lessons, p.prepare(ctx, l, i))
	}
	if err := p.reconcile(ctx, plan); err != nil {
		return nil, err
	}
	if plan.Budget, err = t.Budget(ctx); err != nil {
		return nil, err
	}
	plan.playlistNeeds(p.dest, c)
	plan.finish(t)
	p.emit(Event{Type: EventPlan, Plan: plan})

	sum := &Summary{Target: t.Name()}
	results := make([]LessonResult, len(plan.Lessons))
	var work []*LessonPlan
	for i, lp := range plan.Lessons {
		results[i] = LessonResult{Lesson: lp.Name}
		switch lp.Action {
		case ActionBlocked:
			p.fail(lp, &results[i], lp.Err)
		case ActionNone:
			results[i].Result, results[i].URL = ResultUnchanged, p.dest.Lessons[lp.Key].URL
			p.saveLesson(lp, func(r *LessonRecord) { r.State, r.Error = StatePublished, "" })
			p.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultUnchanged, URL: results[i].URL})
		default:
			work = append(work, lp)
		}
	}

	var stopErr error
	if plan.UpdatePlaylist {
		stopErr = p.updatePlaylist(ctx)
	}
	if stopErr == nil && plan.CreatePlaylist {
		stopErr = p.createPlaylist(ctx)
	}
	if stopErr == nil && len(work) > 0 {
		stopErr = p.run(ctx, work, results, sum)
	}
	if stopErr != nil {
		for i, lp := range plan.Lessons {
			if results[i].Result == "" {
				results[i].Result = ResultPending
				p.saveLesson(lp, func(r *LessonRecord) { r.State = StatePending })
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
	case errors.Is(stopErr, youtube.ErrLimit):
		sum.Stopped = "quota"
		if b, err := t.Budget(context.WithoutCancel(ctx)); err == nil {
			sum.Rerun = b.Reset
		}
	case stopErr != nil && ctx.Err() != nil:
		sum.Stopped = "interrupted"
	}
	sum.WallSeconds = p.opts.Now().Sub(start).Seconds()
	p.emit(Event{Type: EventSummary, Summary: sum})
	if stopErr != nil && sum.Stopped == "quota" && !sum.Rerun.IsZero() {
		stopErr = fmt.Errorf("%w; %d lesson(s) left pending: run the same command again after %s",
			stopErr, sum.Pending, sum.Rerun.Local().Format("Mon 2 Jan 15:04 MST"))
	}
	return sum, stopErr
}

// reconcile brings the record in line with the playlist on the target: the
// playlist's items carry lesson keys in their descriptions, so a lost or
// stale record, or another machine's run, never leads to a duplicate.
func (p *Publisher) reconcile(ctx context.Context, plan *Plan) error {
	t := p.opts.Target
	meta := playlistMeta(p.course)
	pl, err := t.Playlist(ctx, p.dest.PlaylistID, meta, false)
	if err != nil {
		return fmt.Errorf("looking for the course's playlist: %w", err)
	}
	p.items = nil
	id := ""
	if pl != nil {
		id = pl.ID
		if p.items, err = t.Items(ctx, id); err != nil {
			return fmt.Errorf("reading the course's playlist: %w", err)
		}
	}
	byKey := itemsByKey(p.items)
	// A recorded video that is not in the playlist may have been deleted
	// on the target (or its folder removed): then the lesson is published
	// anew instead of failing on every run.
	gone := map[string]bool{}
	for _, lp := range plan.Lessons {
		r := p.dest.Lessons[lp.Key]
		if r == nil || r.Video == "" || len(byKey[lp.Key]) > 0 || lp.Action == ActionBlocked {
			continue
		}
		ok, err := t.VideoExists(ctx, r.Video)
		if err != nil {
			return fmt.Errorf("looking for the video of %s: %w", lp.Name, err)
		}
		if !ok {
			gone[r.Video] = true
			p.emit(Event{Type: EventWarning, Lesson: lp.Name, Video: r.Video,
				Message: fmt.Sprintf("its video %s is no longer on %s; it is published again", r.Video, t.Name())})
		}
	}
	now := p.opts.Now()
	return p.record.Update(func() {
		if p.dest.PlaylistID != id {
			p.dest.PlaylistMeta = "" // another playlist: what it was given is not known
		}
		if pl != nil && pl.PlaylistMeta == meta {
			p.dest.PlaylistMeta = hashJSON(meta)
		}
		p.dest.PlaylistID = id
		for _, lp := range plan.Lessons {
			its := byKey[lp.Key]
			r := p.dest.Lessons[lp.Key]
			switch {
			case r != nil && r.Video != "" && hasVideo(its, r.Video):
				for _, it := range its {
					if it.Video == r.Video {
						r.Item = it.ID
						break
					}
				}
			case r != nil && r.Video != "" && len(its) > 0:
				// Another run placed another video of this lesson: that one
				// is what people see; ours is kept aside.
				old := r.Video
				*r = LessonRecord{Title: r.Title, State: StatePending, Video: its[0].Video, Item: its[0].ID, URL: t.URL(its[0].Video),
					Replaced: append(r.Replaced, ReplacedVideo{Video: old, URL: r.URL, When: now}), Updated: now}
			case r != nil && gone[r.Video]:
				*r = LessonRecord{Title: r.Title, State: StatePending, Updated: now,
					Replaced: append(r.Replaced, ReplacedVideo{Video: r.Video, URL: r.URL, Deleted: true, When: now})}
			case r != nil && r.Video != "":
				r.Item = ""
			case len(its) > 0:
				p.dest.Lessons[lp.Key] = &LessonRecord{Title: lp.Lesson.Title, State: StatePending,
					Video: its[0].Video, Item: its[0].ID, URL: t.URL(its[0].Video), Updated: now}
			}
			p.decide(lp, p.dest.Lessons[lp.Key], its)
		}
	})
}

func hasVideo(items []Item, video string) bool {
	for _, it := range items {
		if it.Video == video {
			return true
		}
	}
	return false
}

// createPlaylist makes the course's playlist, which reconcile did not find.
func (p *Publisher) createPlaylist(ctx context.Context) error {
	t := p.opts.Target
	meta := playlistMeta(p.course)
	if b, err := t.Budget(ctx); err == nil && !b.Fits(t.Cost(OpCreatePlaylist)) {
		return fmt.Errorf("creating the course's playlist: %w", youtube.ErrLimit)
	}
	pl, err := t.Playlist(ctx, "", meta, true)
	if err != nil {
		return fmt.Errorf("creating the course's playlist: %w", err)
	}
	p.emit(Event{Type: EventStep, Message: fmt.Sprintf("playlist %q ready", pl.Title)})
	return p.record.Update(func() {
		p.dest.PlaylistID = pl.ID
		if pl.PlaylistMeta == meta {
			p.dest.PlaylistMeta = hashJSON(meta)
		}
	})
}

// updatePlaylist gives the playlist the course's title, description and
// privacy. Only a daily limit or an interruption stops the run; another
// failure is a warning, and the next run tries again.
func (p *Publisher) updatePlaylist(ctx context.Context) error {
	t := p.opts.Target
	meta := playlistMeta(p.course)
	if b, err := t.Budget(ctx); err == nil && !b.Fits(t.Cost(OpUpdatePlaylist)) {
		return fmt.Errorf("updating the course's playlist: %w", youtube.ErrLimit)
	}
	if err := t.UpdatePlaylist(ctx, p.dest.PlaylistID, meta); err != nil {
		if ctx.Err() != nil || errors.Is(err, youtube.ErrLimit) {
			return fmt.Errorf("updating the course's playlist: %w", err)
		}
		p.emit(Event{Type: EventWarning, Message: fmt.Sprintf("could not give the course's playlist the title %q and the description and privacy of course.yaml (%v); the next run tries again", meta.Title, err)})
		return nil
	}
	p.emit(Event{Type: EventStep, Message: fmt.Sprintf("playlist %q updated from course.yaml", meta.Title)})
	return p.record.Update(func() { p.dest.PlaylistMeta = hashJSON(meta) })
}

// saveLesson changes the lesson's record and writes the record to disk.
func (p *Publisher) saveLesson(lp *LessonPlan, change func(r *LessonRecord)) error {
	return p.record.Update(func() {
		r := p.dest.Lessons[lp.Key]
		if r == nil {
			r = &LessonRecord{}
			p.dest.Lessons[lp.Key] = r
		}
		r.Title = lp.Lesson.Title
		change(r)
		r.Updated = p.opts.Now()
	})
}

// renderJob is one lesson's render, run ahead of its upload.
type renderJob struct {
	done chan struct{}
	file string
	err  error
}

// run renders ahead (at most Jobs at once, at most Jobs+1 videos waiting)
// and publishes the lessons in course order.
func (p *Publisher) run(ctx context.Context, work []*LessonPlan, results []LessonResult, sum *Summary) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := map[*LessonPlan]*renderJob{}
	var order []*LessonPlan
	for _, lp := range work {
		if lp.upload {
			jobs[lp] = &renderJob{done: make(chan struct{})}
			order = append(order, lp)
		}
	}
	renderDir := filepath.Join(p.opts.StateDir, "renders")
	if len(order) > 0 {
		if err := os.MkdirAll(renderDir, 0o700); err != nil {
			return fmt.Errorf("making the folder for rendered videos: %w", err)
		}
		sweepRenders(renderDir, time.Now())
	}
	var timeMu sync.Mutex
	slots := make(chan struct{}, p.opts.Jobs+1) // videos rendered or rendering, not yet uploaded
	running := make(chan struct{}, p.opts.Jobs) // renders running
	var wg sync.WaitGroup
	defer wg.Wait()
	go func() {
		for i, lp := range order {
			j := jobs[lp]
			if !acquire(ctx, slots) || !acquire(ctx, running) {
				for _, lp := range order[i:] {
					jobs[lp].err = ctx.Err()
					close(jobs[lp].done)
				}
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-running }()
				start := time.Now()
				j.file, j.err = p.render(ctx, lp, renderDir)
				timeMu.Lock()
				sum.RenderSeconds += time.Since(start).Seconds()
				timeMu.Unlock()
				close(j.done)
			}()
		}
	}()

	for _, lp := range work {
		i := lp.index
		j := jobs[lp]
		file := ""
		if j != nil {
			select {
			case <-j.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if j.err != nil {
				<-slots
				if ctx.Err() != nil {
					return ctx.Err()
				}
				p.fail(lp, &results[i], fmt.Errorf("rendering: %w", j.err))
				continue
			}
			file = j.file
		}
		if b, err := p.opts.Target.Budget(ctx); err == nil && !b.Fits(lp.Cost) {
			if j != nil {
				<-slots
			}
			p.saveLesson(lp, func(r *LessonRecord) { r.State = StatePending })
			p.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultPending, Message: "does not fit in today's quota"})
			return fmt.Errorf("%s does not fit in what is left of today's YouTube quota: %w", lp.Name, youtube.ErrLimit)
		}
		start := time.Now()
		result, err := p.publishLesson(ctx, lp, file, sum)
		sum.SendSeconds += time.Since(start).Seconds()
		if j != nil {
			if err == nil {
				os.Remove(file)
			}
			<-slots
		}
		switch {
		case err == nil:
			url := p.dest.Lessons[lp.Key].URL
			results[i] = LessonResult{Lesson: lp.Name, Result: result, URL: url}
			p.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: result, URL: url})
		case errors.Is(err, youtube.ErrLimit), ctx.Err() != nil:
			results[i] = LessonResult{Lesson: lp.Name, Result: ResultPending, Error: err.Error()}
			p.saveLesson(lp, func(r *LessonRecord) { r.State, r.Error = StatePending, err.Error() })
			p.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultPending, Error: err.Error()})
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s: %w", lp.Name, err)
		default:
			p.fail(lp, &results[i], err)
		}
	}
	return nil
}

// acquire takes a place in sem, or reports false when ctx ends first.
func acquire(ctx context.Context, sem chan<- struct{}) bool {
	select {
	case sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *Publisher) fail(lp *LessonPlan, res *LessonResult, err error) {
	msg := fmt.Sprintf("%s: %v", lp.Name, err)
	*res = LessonResult{Lesson: lp.Name, Result: ResultFailed, Error: msg}
	p.saveLesson(lp, func(r *LessonRecord) { r.State, r.Error = StateFailed, msg })
	p.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultFailed, Error: msg})
}

// render renders the lesson into dir, or reuses the video an interrupted
// run rendered from the same inputs.
func (p *Publisher) render(ctx context.Context, lp *LessonPlan, dir string) (string, error) {
	name := strings.TrimPrefix(hashBytes([]byte(lp.Key+"\n"+lp.hashes.Video)), "sha256:")[:24]
	out := filepath.Join(dir, name+".mp4")
	if _, err := os.Stat(out); err == nil {
		p.emit(Event{Type: EventRendered, Lesson: lp.Name, Message: "rendered by an earlier run"})
		return out, nil
	}
	start := time.Now()
	err := p.opts.Renderer.Render(ctx, lp.Lesson, out, func(done, total time.Duration) {
		p.emit(Event{Type: EventRender, Lesson: lp.Name, Done: done.Seconds(), Length: total.Seconds()})
	})
	if err != nil {
		return "", err
	}
	p.emit(Event{Type: EventRendered, Lesson: lp.Name, Seconds: time.Since(start).Seconds()})
	return out, nil
}

// publishLesson does the lesson's steps on the target, writing the record
// after each, and says how the lesson ended.
func (p *Publisher) publishLesson(ctx context.Context, lp *LessonPlan, file string, sum *Summary) (string, error) {
	t := p.opts.Target
	var r LessonRecord // a copy, read under the record's lock
	p.record.View(func() {
		if cur := p.dest.Lessons[lp.Key]; cur != nil {
			r = *cur
		}
	})
	step := func(msg string) { p.emit(Event{Type: EventStep, Lesson: lp.Name, Step: msg, Message: msg}) }
	result := ResultUpdated
	if lp.upload {
		result = ResultPublished
		if lp.Action == ActionReplace {
			result = ResultReplaced
		}
		id, err := t.Upload(ctx, file, lp.meta, func(sent, total int64) {
			p.emit(Event{Type: EventUpload, Lesson: lp.Name, Bytes: sent, Total: total})
		})
		if err != nil {
			return "", fmt.Errorf("uploading: %w", err)
		}
		now := p.opts.Now()
		if err := p.saveLesson(lp, func(r *LessonRecord) {
			if r.Video != "" {
				r.Replaced = append(r.Replaced, ReplacedVideo{Video: r.Video, URL: r.URL, When: now})
			}
			r.Video, r.URL, r.Item = id, t.URL(id), ""
			r.Hashes, r.Metadata = lp.hashes, lp.metaHash
			r.Captions, r.Thumbnail = nil, ""
			r.State, r.Error = StatePending, ""
		}); err != nil {
			return "", err
		}
		r.Video = id
		p.emit(Event{Type: EventStep, Lesson: lp.Name, Step: "uploaded", Video: id, URL: t.URL(id), Message: "uploaded"})
	} else if lp.updMeta {
		if err := t.UpdateMetadata(ctx, r.Video, lp.meta); err != nil {
			return "", fmt.Errorf("updating the title and description: %w", err)
		}
		if err := p.saveLesson(lp, func(r *LessonRecord) { r.Metadata = lp.metaHash }); err != nil {
			return "", err
		}
		step("metadata updated")
	}

	// The new video takes its place before the old ones leave the playlist
	// or the channel, so the course never has a gap.
	if lp.insert {
		pos := p.position(lp.Lesson.Name)
		id, err := t.InsertItem(ctx, p.dest.PlaylistID, r.Video, pos)
		if err != nil {
			return "", fmt.Errorf("putting the video into the playlist: %w", err)
		}
		p.insertItem(pos, Item{ID: id, Video: r.Video, Key: lp.Key})
		if err := p.saveLesson(lp, func(r *LessonRecord) { r.Item = id }); err != nil {
			return "", err
		}
		step(fmt.Sprintf("placed at position %d of the playlist", pos+1))
	}

	for _, it := range lp.stale {
		if it.Video == r.Video {
			continue
		}
		if err := t.RemoveItem(ctx, it.ID); err != nil {
			return "", fmt.Errorf("taking the old video %s out of the playlist: %w", it.Video, err)
		}
		p.removeItem(it.ID)
		now := p.opts.Now()
		if err := p.saveLesson(lp, func(r *LessonRecord) {
			if r.Item == it.ID {
				r.Item = ""
			}
			for _, old := range r.Replaced {
				if old.Video == it.Video {
					return
				}
			}
			r.Replaced = append(r.Replaced, ReplacedVideo{Video: it.Video, URL: t.URL(it.Video), When: now})
		}); err != nil {
			return "", err
		}
		sum.Removed = append(sum.Removed, Removed{Lesson: lp.Name, Video: it.Video, URL: t.URL(it.Video)})
		msg := fmt.Sprintf("old video %s taken out of the playlist", t.URL(it.Video))
		if !slices.Contains(lp.deleteOld, it.Video) {
			msg += "; it is still on the channel (delete it there, or rerun with --replace)"
		}
		p.emit(Event{Type: EventRemoved, Lesson: lp.Name, Video: it.Video, URL: t.URL(it.Video), Message: msg})
	}
	for _, v := range lp.deleteOld {
		if v == r.Video {
			continue
		}
		if err := t.DeleteVideo(ctx, v); err != nil {
			if ctx.Err() != nil || errors.Is(err, youtube.ErrLimit) {
				return "", fmt.Errorf("deleting the old video %s: %w", v, err)
			}
			// The new video is in place; the old one is only clutter.
			p.emit(Event{Type: EventWarning, Lesson: lp.Name, Video: v, Message: fmt.Sprintf("could not delete the old video %s: %v", v, err)})
			continue
		}
		if err := p.saveLesson(lp, func(r *LessonRecord) {
			for i := range r.Replaced {
				if r.Replaced[i].Video == v {
					r.Replaced[i].Deleted = true
				}
			}
		}); err != nil {
			return "", err
		}
		for i := range sum.Removed {
			if sum.Removed[i].Video == v {
				sum.Removed[i].Deleted = true
			}
		}
		step("old video " + v + " deleted")
	}

	var tracks map[string]string
	for _, c := range lp.captions {
		if !c.send {
			continue
		}
		track := c.track
		if track == "" && lp.adopted { // the video may have tracks already
			if tracks == nil {
				var err error
				if tracks, err = t.Captions(ctx, r.Video); err != nil {
					return "", fmt.Errorf("listing the video's caption tracks: %w", err)
				}
			}
			track = tracks[c.lang]
		}
		id, err := t.SetCaption(ctx, r.Video, Caption{Language: c.lang, Name: youtube.TrackName(c.lang), SRT: c.srt}, track)
		if err != nil {
			return "", fmt.Errorf("sending the %s captions: %w", c.lang, err)
		}
		if err := p.saveLesson(lp, func(r *LessonRecord) {
			if r.Captions == nil {
				r.Captions = map[string]CaptionRecord{}
			}
			r.Captions[c.lang] = CaptionRecord{Track: id, Hash: c.hash}
		}); err != nil {
			return "", err
		}
		step(c.lang + " captions sent")
	}
	for _, d := range lp.drop {
		if err := t.DeleteCaption(ctx, r.Video, d.lang, d.track); err != nil {
			return "", fmt.Errorf("deleting the %s caption track, whose file is no longer in %s: %w", d.lang, lp.Lesson.Dir, err)
		}
		if err := p.saveLesson(lp, func(r *LessonRecord) { delete(r.Captions, d.lang) }); err != nil {
			return "", err
		}
		step("caption track " + d.lang + " deleted")
	}

	if lp.thumb {
		if err := t.SetThumbnail(ctx, r.Video, lp.Lesson.Thumbnail); err != nil {
			return "", fmt.Errorf("setting the thumbnail from %s: %w", lp.Lesson.Thumbnail, err)
		}
		if err := p.saveLesson(lp, func(r *LessonRecord) { r.Thumbnail = lp.thumbHash }); err != nil {
			return "", err
		}
		step("thumbnail set")
	}

	now := p.opts.Now()
	err := p.saveLesson(lp, func(r *LessonRecord) {
		r.State, r.Error = StatePublished, ""
		r.Hashes, r.Metadata = lp.hashes, lp.metaHash
		if lp.upload || r.Published.IsZero() {
			r.Published = now
		}
	})
	return result, err
}

// position is where a lesson goes in the playlist: after every item of an
// earlier lesson of the course.
func (p *Publisher) position(name string) int {
	prefix := ""
	if len(p.course.Lessons) > 0 {
		k := p.course.Lessons[0].Key()
		prefix = k[:strings.LastIndexByte(k, '/')+1]
	}
	pos := 0
	for i, it := range p.items {
		if other, ok := strings.CutPrefix(it.Key, prefix); ok && it.Key != "" && other < name {
			pos = i + 1
		}
	}
	return pos
}

func (p *Publisher) insertItem(pos int, it Item) {
	pos = max(0, min(pos, len(p.items)))
	p.items = append(p.items[:pos], append([]Item{it}, p.items[pos:]...)...)
}

func (p *Publisher) removeItem(id string) {
	for i, it := range p.items {
		if it.ID == id {
			p.items = append(p.items[:i], p.items[i+1:]...)
			return
		}
	}
}

// Renders left behind are swept from the state folder: a partial file that
// nothing has written to for an hour belongs to a run that was killed (with
// -9, or by a crash, so nothing removed it), and a finished render older
// than 8 days outlived the upload session it was kept for (YouTube keeps
// sessions about a week).
const (
	stalePartial = time.Hour
	staleRender  = 8 * 24 * time.Hour
)

func sweepRenders(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		age := now.Sub(info.ModTime())
		if (strings.Contains(e.Name(), ".partial-") && age > stalePartial) || age > staleRender {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
