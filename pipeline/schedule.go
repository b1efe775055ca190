package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// renderJob is one lesson's render, run ahead of its upload. A streamed
// lesson's job is done as soon as its render has started (rendering); its
// upload follows the render as it grows.
type renderJob struct {
	done      chan struct{}
	file      string
	rendering Rendering
	err       error
}

// schedule renders ahead (at most Jobs at once, at most Jobs+1 videos waiting)
// and publishes the lessons in course order.
func (cr *courseRun) schedule(ctx context.Context, work []*LessonPlan, results []LessonResult) error {
	sum := cr.sum
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
	renderDir := filepath.Join(cr.opts.StateDir, "renders")
	if len(order) > 0 {
		if err := os.MkdirAll(renderDir, 0o700); err != nil {
			return captions.Errorf("making the folder for rendered videos: %w", err)
		}
		sweepRenders(renderDir, cr.opts.Now())
	}
	var timeMu sync.Mutex
	slots := make(chan struct{}, cr.opts.Jobs+1) // videos rendered or rendering, not yet uploaded
	running := make(chan struct{}, cr.opts.Jobs) // renders running
	// dispatch ends with the run: no render starts after it returns, while
	// the renders running then finish (a finished streamed one is kept
	// below). The dispatching goroutine is in wg too, so that its wg.Add
	// calls always come before the Wait (the WaitGroup rule).
	dispatch, stopDispatch := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		stopDispatch()
		wg.Wait()
		// A streamed render the run stopped before uploading is kept,
		// when it finished, for the next run's plain upload.
		for _, j := range jobs {
			select {
			case <-j.done:
				if j.rendering != nil {
					j.rendering.Finish()
					j.rendering.Close()
				}
			default: // never started
			}
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, lp := range order {
			j := jobs[lp]
			if !acquire(dispatch, slots) || !acquire(dispatch, running) {
				for _, lp := range order[i:] {
					jobs[lp].err = dispatch.Err()
					close(jobs[lp].done)
				}
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-running }()
				start := cr.opts.Now()
				if lp.Stream {
					j.file, j.rendering, j.err = cr.start(ctx, lp, renderDir)
					close(j.done)
					if j.rendering != nil {
						<-j.rendering.Done()
						if j.rendering.Err() == nil {
							cr.emit(Event{Type: EventRendered, Lesson: lp.Name, Seconds: cr.opts.Now().Sub(start).Seconds()})
						}
					}
				} else {
					j.file, j.err = cr.render(ctx, lp, renderDir)
				}
				timeMu.Lock()
				sum.RenderSeconds += cr.opts.Now().Sub(start).Seconds()
				timeMu.Unlock()
				if !lp.Stream {
					close(j.done)
				}
			}()
		}
	}()

	for _, lp := range work {
		i := lp.index
		j := jobs[lp]
		file := ""
		var growing Rendering
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
				if err := cr.fail(lp, &results[i], captions.Errorf("rendering: %w", j.err)); err != nil {
					return err
				}
				continue
			}
			file, growing = j.file, j.rendering
		}
		if b, err := cr.opts.Target.Budget(ctx); err == nil && !b.Fits(lp.Cost) {
			if j != nil {
				<-slots
			}
			if err := cr.saveLesson(lp, func(r *LessonRecord) { r.State = StatePending }); err != nil {
				return err
			}
			cr.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultPending, Text: captions.Textf("does not fit in today's quota")})
			return captions.Errorf("%s does not fit in what is left of today's %s quota: %w", lp.Name, b.Of, b.limitReached())
		}
		start := cr.opts.Now()
		result, err := cr.publishLesson(ctx, lp, file, growing)
		sum.SendSeconds += cr.opts.Now().Sub(start).Seconds()
		if growing != nil {
			err = cr.endStream(ctx, lp, growing, err)
		}
		if j != nil {
			if err == nil && file != "" {
				os.Remove(file)
				os.Remove(SignFile(file))
			}
			<-slots
		}
		switch {
		case err == nil:
			url := cr.dest.Lessons[lp.Key].URL
			results[i] = LessonResult{Lesson: lp.Name, Result: result, URL: url}
			cr.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: result, URL: url})
		case errors.Is(err, ErrDailyLimit), ctx.Err() != nil:
			results[i] = LessonResult{Lesson: lp.Name, Result: ResultPending, Error: err.Error(), Err: err}
			if serr := cr.saveLesson(lp, func(r *LessonRecord) { r.State, r.Error = StatePending, err.Error() }); serr != nil {
				return errors.Join(fmt.Errorf("%s: %w", lp.Name, err), serr)
			}
			cr.emit(Event{Type: EventLesson, Lesson: lp.Name, Result: ResultPending, Err: err})
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s: %w", lp.Name, err)
		default:
			if err := cr.fail(lp, &results[i], err); err != nil {
				return err
			}
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

// renderName is where the lesson's finished render is kept in dir until
// its upload is done: a fragmented (streamed) render under its own name.
func renderName(lp *LessonPlan, dir string, fragmented bool) string {
	name := strings.TrimPrefix(hashBytes([]byte(lp.Key+"\n"+lp.hashes.Video)), "sha256:")[:24]
	if fragmented {
		name += "-fragmented"
	}
	return filepath.Join(dir, name+".mp4")
}

// cached returns a finished render of the lesson that an interrupted run
// left in dir, of either kind, or "".
func (cr *courseRun) cached(lp *LessonPlan, dir string) string {
	for _, fragmented := range []bool{false, true} {
		if out := renderName(lp, dir, fragmented); fileExists(out) {
			cr.emit(Event{Type: EventRendered, Lesson: lp.Name, Text: captions.Textf("rendered by an earlier run")})
			return out
		}
	}
	return ""
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// start starts the lesson's streamed render into dir, or returns the file
// an interrupted run finished (uploaded as a whole).
func (cr *courseRun) start(ctx context.Context, lp *LessonPlan, dir string) (string, Rendering, error) {
	if out := cr.cached(lp, dir); out != "" {
		return out, nil, nil
	}
	r, err := cr.opts.Renderer.Start(ctx, lp.Lesson, renderName(lp, dir, true), func(done, total time.Duration) {
		cr.emit(Event{Type: EventRender, Lesson: lp.Name, Done: done.Seconds(), Length: total.Seconds()})
	})
	return "", r, err
}

// endStream ends a streamed lesson's render once its upload has returned
// uploadErr, and returns the lesson's error: the render's, when it failed
// (the target then made no video).
func (cr *courseRun) endStream(ctx context.Context, lp *LessonPlan, r Rendering, uploadErr error) error {
	if uploadErr == nil || ctx.Err() != nil {
		r.Close()
		return uploadErr
	}
	select {
	case <-r.Done():
		if err := r.Err(); err != nil {
			r.Close()
			return captions.Errorf("%w\n(the upload was stopped before its end, so no video was made: fix the problem and publish again)", err)
		}
	default:
	}
	r.Close()
	return uploadErr
}

// render renders the lesson into dir, or reuses the video an interrupted
// run rendered from the same inputs.
func (cr *courseRun) render(ctx context.Context, lp *LessonPlan, dir string) (string, error) {
	if out := cr.cached(lp, dir); out != "" {
		return out, nil
	}
	out := renderName(lp, dir, false)
	start := cr.opts.Now()
	err := cr.opts.Renderer.Render(ctx, lp.Lesson, out, func(done, total time.Duration) {
		cr.emit(Event{Type: EventRender, Lesson: lp.Name, Done: done.Seconds(), Length: total.Seconds()})
	})
	if err != nil {
		return "", err
	}
	cr.emit(Event{Type: EventRendered, Lesson: lp.Name, Seconds: cr.opts.Now().Sub(start).Seconds()})
	return out, nil
}
