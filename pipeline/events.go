package pipeline

import (
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// Event types, in the order a lesson meets them.
const (
	EventPlan     = "plan"     // Plan is set
	EventRender   = "render"   // render progress: Done and Length in seconds
	EventRendered = "rendered" // the lesson's video is rendered (Seconds it took)
	EventUpload   = "upload"   // upload progress: Bytes of Total
	EventStep     = "step"     // a step is done (Message)
	EventRemoved  = "removed"  // an old video was taken out of the playlist (Video, URL)
	EventLesson   = "lesson"   // the lesson is finished: Result, URL or Error
	EventWarning  = "warning"  // something to know that does not stop the run
	EventSummary  = "summary"  // the last event: Summary is set
)

// Event is one thing that happened in a run, for progress bars, log lines
// or --json output.
type Event struct {
	Type    string `json:"type"`
	Lesson  string `json:"lesson,omitempty"`
	Step    string `json:"step,omitempty"`
	Message string `json:"message,omitempty"`
	// Text is Message kept as its English format, for a person's language
	// (Publisher.emit sets Message from it).
	Text    *captions.Text `json:"-"`
	Bytes   int64          `json:"bytes,omitempty"`
	Total   int64          `json:"total,omitempty"`
	Done    float64        `json:"done,omitempty"`   // seconds rendered
	Length  float64        `json:"length,omitempty"` // seconds to render
	Seconds float64        `json:"seconds,omitempty"`
	Result  string         `json:"result,omitempty"`
	Video   string         `json:"video_id,omitempty"`
	URL     string         `json:"url,omitempty"`
	Error   string         `json:"error,omitempty"`
	// Err is the error whose English Error is (set by Publisher.emit).
	Err     error    `json:"-"`
	Plan    *Plan    `json:"plan,omitempty"`
	Summary *Summary `json:"summary,omitempty"`
}

// Lesson results in a summary.
const (
	ResultPublished = "published" // newly uploaded
	ResultReplaced  = "replaced"  // uploaded again because the recording changed
	ResultUpdated   = "updated"   // metadata, captions or thumbnail updated in place
	ResultUnchanged = "unchanged"
	ResultPending   = "pending" // left for a later run (quota, interruption)
	ResultFailed    = "failed"
)

// Summary is how a run ended.
type Summary struct {
	Target  string         `json:"target"`
	Lessons []LessonResult `json:"lessons"`
	Removed []Removed      `json:"removed,omitempty"`
	Failed  int            `json:"failed"`
	Pending int            `json:"pending"`
	// Stopped is "quota" or "interrupted" when the run ended early.
	Stopped string    `json:"stopped,omitempty"`
	Rerun   time.Time `json:"rerun_after,omitzero"`
	// Times in seconds: all renders added up, all sending added up, and the
	// run's wall time (smaller than their sum when they overlap).
	RenderSeconds float64 `json:"render_seconds"`
	SendSeconds   float64 `json:"send_seconds"`
	WallSeconds   float64 `json:"wall_seconds"`
}

// LessonResult is how one lesson ended.
type LessonResult struct {
	Lesson string `json:"lesson"`
	Result string `json:"result"`
	URL    string `json:"url,omitempty"`
	Error  string `json:"error,omitempty"`
	// Err is the error Error is the English of, for a person's language.
	Err error `json:"-"`
}

// Removed is an old video taken out of the playlist.
type Removed struct {
	Lesson  string `json:"lesson"`
	Video   string `json:"video_id"`
	URL     string `json:"url"`
	Deleted bool   `json:"deleted"`
}
