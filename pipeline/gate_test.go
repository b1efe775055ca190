package pipeline_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/captionsync"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
)

// TestGateSync: course.yaml captions.sync decides what captions out of
// sync with the speech do to a lesson: error stops it, warn lets it through
// with a warning, off does not listen; a file the sound cannot decide about
// is never held against the lesson.
func TestGateSync(t *testing.T) {
	c, err := lessons.LoadCourse(pipelinetest.MakeCourse(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	l := c.Lessons[0]
	if len(l.Captions) == 0 {
		t.Fatal("the test course's lesson has no caption file")
	}
	late := captionsync.Result{File: l.Captions[0], Offset: -2300 * time.Millisecond, Drift: 1, Decided: true,
		Message: "the captions are 2.3 s late: run lessonpub captions sync --fix"}
	unsure := captionsync.Result{File: l.Captions[0], Drift: 1, InSync: true, Message: "cannot tell"}
	for _, tc := range []struct {
		mode       string
		verdict    captionsync.Result
		wantErr    bool
		wantWarn   bool
		wantListen bool
	}{
		{lessons.SyncError, late, true, false, true},
		{lessons.SyncWarn, late, false, true, true},
		{lessons.SyncOff, late, false, false, false},
		{lessons.SyncError, unsure, false, false, true},
	} {
		t.Run(tc.mode+"/"+tc.verdict.Message[:8], func(t *testing.T) {
			c.CaptionSync = tc.mode
			listened := false
			var warned []string
			g := pipeline.CaptionGate{
				Sync: func(context.Context, *lessons.Lesson) ([]captionsync.Result, error) {
					listened = true
					return []captionsync.Result{tc.verdict}, nil
				},
				Warn: func(_ *lessons.Lesson, msg *captions.Text) { warned = append(warned, msg.String()) },
			}
			err := g.Check(context.Background(), l)
			if (err != nil) != tc.wantErr || (err != nil && !strings.Contains(err.Error(), "2.3 s late")) {
				t.Errorf("error = %v, want an error saying how late: %v", err, tc.wantErr)
			}
			if (len(warned) > 0) != tc.wantWarn || (tc.wantWarn && !strings.Contains(warned[0], l.Captions[0].Path)) {
				t.Errorf("warnings = %q, want one naming the file: %v", warned, tc.wantWarn)
			}
			if listened != tc.wantListen {
				t.Errorf("listened = %v, want %v", listened, tc.wantListen)
			}
		})
	}
}
