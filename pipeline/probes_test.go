package pipeline_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/check"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/folder"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
)

// probeCounter counts, per file name, the calls the caption gate and the
// renderer make (asked) and the ffprobe runs they cost (read).
type probeCounter struct {
	mu          sync.Mutex
	asked, read map[string]int
}

func (c *probeCounter) count(m map[string]int, path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m[filepath.Base(filepath.Dir(path))]++
}

// probes returns the check.ProbeFunc to give the gate and the renderer: a
// check.Probes whose reads are counted, itself counted.
func (c *probeCounter) probes() check.ProbeFunc {
	c.asked, c.read = map[string]int{}, map[string]int{}
	memo := &check.Probes{Read: func(ctx context.Context, path string) (*ffmpeg.Media, error) {
		c.count(c.read, path)
		return ffmpeg.Probe(ctx, path)
	}}
	return func(ctx context.Context, path string) (*ffmpeg.Media, error) {
		c.count(c.asked, path)
		return memo.Probe(ctx, path)
	}
}

func TestPublishProbesEachRecordingOnce(t *testing.T) {
	t.Parallel()
	tr := pipelinetest.NewRun(t, 2)
	c, err := lessons.LoadCourse(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	var pc probeCounter
	publisher := func() *pipeline.Publisher {
		probe := pc.probes()
		target, err := folder.New(tr.Out)
		if err != nil {
			t.Fatal(err)
		}
		return pipeline.New(pipeline.Options{Target: target, StateDir: tr.State,
			Renderer: pipeline.MediaRenderer{Preset: "ultrafast", Probe: probe}, Captions: pipeline.CaptionGate{Probe: probe}})
	}
	// Both the caption gate and the render ask; ffprobe runs once.
	wantAsked := map[string]int{"01-lesson-1": 2, "02-lesson-2": 2}
	wantRead := map[string]int{"01-lesson-1": 1, "02-lesson-2": 1}

	if _, err := publisher().Plan(context.Background(), c, nil, true); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantAsked, pc.asked); diff != "" {
		t.Errorf("dry run: probes asked for per lesson (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRead, pc.read); diff != "" {
		t.Errorf("dry run: ffprobe runs per lesson (-want +got):\n%s", diff)
	}

	sum, err := publisher().Publish(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultPublished}, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantAsked, pc.asked); diff != "" {
		t.Errorf("publish: probes asked for per lesson (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRead, pc.read); diff != "" {
		t.Errorf("publish: ffprobe runs per lesson (-want +got):\n%s", diff)
	}
}
