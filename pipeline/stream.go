package pipeline

// StepStreaming is the Step of the event that says a lesson's upload has
// started with its render: its render and upload events then interleave.
const StepStreaming = "uploading while it renders"

// GrowingFile is a video still being rendered: the renderer only appends to
// it, so a target can send it front to back while it grows. It has the
// method set of youtube.GrowingFile.
type GrowingFile interface {
	// Name is the file's path.
	Name() string
	// Size is how many bytes are written so far.
	Size() (int64, error)
	// Done is closed when the render has stopped; Size is then final.
	Done() <-chan struct{}
	// Err, once Done is closed, is why the render failed; nil when the
	// file is complete.
	Err() error
}

// Rendering is a render running in the background (Renderer.Start).
type Rendering interface {
	GrowingFile
	// Finish waits for the render and moves the finished file to the
	// output path given to Start; on failure the partial file is removed.
	Finish() error
	// Close stops the render if it still runs and removes its file, unless
	// Finish has kept it. It may be called after Finish.
	Close()
}

// Streamer is implemented by a target that can upload a video while it is
// rendered (Upload.Growing). Targets without it, or whose Streams is false,
// get finished files.
type Streamer interface {
	Streams() bool
}

// streams reports whether the run uploads t's lessons while they render.
func (p *Publisher) streams() bool {
	s, ok := p.opts.Target.(Streamer)
	return p.opts.Stream && ok && s.Streams()
}
