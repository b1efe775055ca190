package pipeline_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/folder"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
)

// streamingFolder is a folder target that takes growing files: it waits for
// the render and copies the finished file, counting what it got.
type streamingFolder struct {
	*folder.Target
	mu      sync.Mutex
	growing int
	files   int
}

func (t *streamingFolder) Streams() bool { return true }

func (t *streamingFolder) Upload(ctx context.Context, u pipeline.Upload) (string, error) {
	t.mu.Lock()
	if u.Growing != nil {
		t.growing++
	} else {
		t.files++
	}
	t.mu.Unlock()
	if g := u.Growing; g != nil {
		if u.File != "" {
			return "", errors.New("an upload with both a file and a growing file")
		}
		select {
		case <-g.Done():
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if err := g.Err(); err != nil {
			return "", err
		}
		u.File = g.Name()
	}
	return t.Target.Upload(ctx, u)
}

func TestStreamingTargetGetsGrowingFiles(t *testing.T) {
	t.Parallel()
	for _, stream := range []bool{true, false} {
		tr := pipelinetest.NewRun(t, 3)
		tr.Stream = stream
		target := &streamingFolder{Target: tr.FolderTarget()}
		tr.Target = func() pipeline.Target { return target }
		sum, err := tr.Publish()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultPublished, "03-lesson-3": pipeline.ResultPublished}
		if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
			t.Fatalf("stream=%v: results (-want +got):\n%s", stream, diff)
		}
		wantGrowing, wantFiles := 3, 0
		if !stream {
			wantGrowing, wantFiles = 0, 3
		}
		if target.growing != wantGrowing || target.files != wantFiles {
			t.Errorf("stream=%v: %d growing uploads and %d of files, want %d and %d", stream, target.growing, target.files, wantGrowing, wantFiles)
		}
		var plan *pipeline.Plan
		for _, e := range tr.Events {
			if e.Type == pipeline.EventPlan {
				plan = e.Plan
			}
		}
		for _, lp := range plan.Lessons {
			if lp.Stream != stream {
				t.Errorf("stream=%v: the plan says %s streams: %v", stream, lp.Name, lp.Stream)
			}
		}
	}
}

func TestFolderTargetNeverStreams(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 1)
	tr.Stream = true
	sum, err := tr.Publish()
	if err != nil || sum.Failed > 0 {
		t.Fatalf("publish: %v %+v", err, sum)
	}
	for _, e := range tr.Events {
		if e.Type == pipeline.EventPlan && e.Plan.Lessons[0].Stream {
			t.Error("the folder target's plan says the lesson streams")
		}
		if e.Type == pipeline.EventStep && e.Step == pipeline.StepStreaming {
			t.Error("the folder target got a growing file")
		}
	}
}
