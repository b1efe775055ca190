package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Job is a render running in the background (Plan.Start). While it runs its
// output grows in a hidden temporary file beside Plan.Output (Name); with
// Options.Fragmented that file is only ever appended to, so it can be sent
// while it is written: Job implements youtube.GrowingFile.
type Job struct {
	plan   *Plan
	tmp    string
	start  time.Time
	agg    *aggregate
	cancel context.CancelFunc
	done   chan struct{}

	// Set before done is closed.
	err   error
	sound *captions.Text
	media *ffmpeg.Media

	finish sync.Once
	res    *Result
	ferr   error
}

// Start begins the render and returns at once. The loudness is measured
// first, so Size stays 0 until the encode starts. Done is closed when ffmpeg
// has finished and ffprobe has read the whole file back (or either failed:
// Err). Call Finish (after any upload of Name has returned) to move the
// file to Plan.Output, or Close to stop the render and remove it.
func (p *Plan) Start(ctx context.Context, progress func(ffmpeg.Progress)) (*Job, error) {
	start := time.Now()
	outDir := filepath.Dir(p.Output)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, atomicfile.Explain(captions.Errorf("creating the output folder: %w", err), outDir)
	}
	// Made like ffmpeg makes its output: 0666 less the umask, not 0600.
	tmp, err := atomicfile.CreateTemp(outDir, "."+strings.TrimSuffix(filepath.Base(p.Output), filepath.Ext(p.Output))+".partial-*.mp4")
	if err != nil {
		return nil, atomicfile.Explain(captions.Errorf("cannot write next to %s: %w", p.Output, err), outDir)
	}
	tmp.Close()
	ctx, cancel := context.WithCancel(ctx)
	j := &Job{
		plan: p, tmp: tmp.Name(), start: start, cancel: cancel, done: make(chan struct{}),
		agg: &aggregate{start: start, duration: p.duration, emit: progress},
	}
	go func() {
		defer close(j.done)
		j.sound, j.media, j.err = p.render(ctx, j.tmp, j.agg)
	}()
	return j, nil
}

// Name is the file being written.
func (j *Job) Name() string { return j.tmp }

// Size is how many bytes of the output are written so far.
func (j *Job) Size() (int64, error) {
	fi, err := os.Stat(j.tmp)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Done is closed when the render has stopped.
func (j *Job) Done() <-chan struct{} { return j.done }

// Err is why the render failed, once Done is closed; nil on success.
func (j *Job) Err() error {
	select {
	case <-j.done:
		return j.err
	default:
		return nil
	}
}

// Finish waits for the render and moves the file to Plan.Output. On failure
// the partial file is removed.
func (j *Job) Finish() (*Result, error) {
	j.finish.Do(func() {
		<-j.done
		defer j.cancel()
		if j.err != nil {
			os.Remove(j.tmp)
			j.ferr = j.err
			return
		}
		if err := os.Rename(j.tmp, j.plan.Output); err != nil {
			os.Remove(j.tmp)
			j.ferr = atomicfile.Explain(captions.Errorf("saving %s: %w", j.plan.Output, err), filepath.Dir(j.plan.Output))
			return
		}
		j.media.Path = j.plan.Output
		j.agg.finish()
		j.res = &Result{Output: j.plan.Output, Media: j.media, Elapsed: time.Since(j.start), Sound: j.sound, Warnings: j.plan.Warnings}
	})
	return j.res, j.ferr
}

// Close stops the render if it still runs (ffmpeg gets SIGINT) and removes
// its file, unless Finish has kept it. It waits for ffmpeg to exit.
func (j *Job) Close() {
	j.cancel()
	<-j.done
	j.finish.Do(func() {
		os.Remove(j.tmp)
		j.ferr = captions.Errorf("the render of %s was stopped", j.plan.Lesson.Dir)
		if j.err != nil {
			j.ferr = j.err
		}
	})
}
