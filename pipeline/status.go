package pipeline

// Where a lesson stands on a target (LessonStatus.State).
const (
	StatusPublished = "published" // on the target and up to date
	StatusChanged   = "changed"   // published, but the lesson changed since
	StatusPending   = "pending"   // not yet (completely) published
	StatusFailed    = "failed"    // cannot be published until a problem is fixed
)

// LessonStatus is where one lesson stands on a target.
type LessonStatus struct {
	Lesson string `json:"lesson"`
	State  string `json:"state"`
	URL    string `json:"url,omitempty"`
	Error  string `json:"error,omitempty"`
	// Err is the error Error is the English of, for a person's language;
	// nil for a failure read from the record, which keeps only the English.
	Err error `json:"-"`
	// Stream: publishing would upload the lesson while it renders.
	Stream bool `json:"stream,omitempty"`
}

// Status says where each lesson of plan stands, from the plan and the
// target's part of the record (dest), in the plan's order.
func Status(plan *Plan, dest *Destination) []LessonStatus {
	var out []LessonStatus
	for _, lp := range plan.Lessons {
		ls := LessonStatus{Lesson: lp.Name, Stream: lp.Stream}
		r := dest.Lessons[lp.Key]
		if r != nil {
			ls.URL = r.URL
		}
		switch {
		case lp.Action == ActionBlocked:
			ls.State, ls.Error, ls.Err = StatusFailed, lp.Error, lp.Err
		case r != nil && r.State == StateFailed:
			ls.State, ls.Error = StatusFailed, r.Error
		case r == nil || r.Video == "":
			ls.State = StatusPending
		case lp.Action == ActionNone:
			ls.State = StatusPublished
		case r.State == StatePublished:
			ls.State = StatusChanged
		default:
			ls.State = StatusPending
		}
		out = append(out, ls)
	}
	return out
}
