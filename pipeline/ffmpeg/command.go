package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lessonpub/lessonpub/captions"
)

// Command is one ffmpeg invocation: inputs, an optional filter graph,
// explicit maps and one output. Build it with the methods, then Run it.
type Command struct {
	// Duration is the expected length of the output, for progress percent
	// and ETA; 0 when unknown.
	Duration time.Duration
	// Stderr, when set, receives everything ffmpeg writes to stderr (for
	// example loudnorm's measurement), besides the tail kept for errors.
	Stderr io.Writer
	// Dir is the working directory; "" for the current one.
	Dir string

	stop stopSteps

	inputs  []input
	graph   *Graph
	maps    []string
	outOpts []string
	output  string
}

type input struct {
	opts []string
	spec string // already made safe
}

// New returns an empty command.
func New() *Command { return &Command{} }

// Input adds a file input with options that apply to it (placed before its
// -i, e.g. "-itsoffset", "2.5") and returns its index for maps and filter
// labels. The path is made safe: names like "data:x.mp4" or "-x.mp4" are
// read as files.
func (c *Command) Input(path string, opts ...string) int {
	c.inputs = append(c.inputs, input{opts: opts, spec: safeInput(path)})
	return len(c.inputs) - 1
}

// InputFormat adds an input read by a given demuxer from a spec that is not
// a file name, e.g. InputFormat("lavfi", "testsrc2=d=1").
func (c *Command) InputFormat(format, spec string, opts ...string) int {
	o := append(append([]string{}, opts...), "-f", format)
	c.inputs = append(c.inputs, input{opts: o, spec: spec})
	return len(c.inputs) - 1
}

// Filter sets the filter graph passed with -filter_complex.
func (c *Command) Filter(g *Graph) *Command {
	c.graph = g
	return c
}

// Map adds an explicit -map: "0:v:0", "1:a:0?", or a graph label "[v]".
func (c *Command) Map(spec string) *Command {
	c.maps = append(c.maps, spec)
	return c
}

// Output sets the output file and adds output options. The path is made
// safe like an input path; "-" with "-f", "null" discards the output.
func (c *Command) Output(path string, opts ...string) *Command {
	if path == "-" || path == os.DevNull {
		c.output = path
	} else {
		c.output = safeInput(path)
	}
	c.outOpts = append(c.outOpts, opts...)
	return c
}

// OutputOptions adds options for the output.
func (c *Command) OutputOptions(opts ...string) *Command {
	c.outOpts = append(c.outOpts, opts...)
	return c
}

// Args is the argument vector after the program name.
func (c *Command) Args() []string {
	// No -nostdin: 'q' on standard input is how Run stops ffmpeg.
	args := []string{"-hide_banner", "-y", "-progress", "pipe:1", "-nostats", "-stats_period", "0.5"}
	for _, in := range c.inputs {
		args = append(args, in.opts...)
		args = append(args, "-i", in.spec)
	}
	if !c.graph.Empty() {
		args = append(args, "-filter_complex", c.graph.String())
	}
	for _, m := range c.maps {
		args = append(args, "-map", m)
	}
	args = append(args, c.outOpts...)
	if c.output != "" {
		args = append(args, c.output)
	}
	return args
}

// String is the command line for people to read and copy, each argument
// quoted for a POSIX shell where needed. It is never run through a shell.
func (c *Command) String() string {
	args := append([]string{"ffmpeg"}, c.Args()...)
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ExitError is ffmpeg failing. Its message carries the end of what ffmpeg
// wrote to stderr.
type ExitError struct {
	Args     []string
	ExitCode int
	Tail     string // the last lines of ffmpeg's stderr
	Err      error
}

func (e *ExitError) Error() string { return e.text().String() }

// Parts is the English format and arguments of Error, for a program that
// shows it translated; ffmpeg's own lines stay as ffmpeg wrote them.
func (e *ExitError) Parts() (string, []any) { return e.text().Parts() }

func (e *ExitError) text() *captions.Text {
	if e.Is(syscall.ENOSPC) {
		return captions.Textf("ffmpeg could not write its output: the disk is full; free some space on it (or write somewhere else) and run this again")
	}
	tail := strings.TrimSpace(e.Tail)
	if tail == "" {
		return captions.Textf("ffmpeg failed: %v", e.Err)
	}
	return captions.Textf("ffmpeg failed (%v):\n%s", e.Err, indent(tail))
}

func (e *ExitError) Unwrap() error { return e.Err }

// Is reports ffmpeg failing for want of space as syscall.ENOSPC (ffmpeg
// only says so on stderr), so that callers can say the disk is full
// instead of showing a page of ffmpeg's output.
func (e *ExitError) Is(target error) bool {
	return target == syscall.ENOSPC && (strings.Contains(e.Tail, "No space left on device") || strings.Contains(e.Tail, "Disk quota exceeded"))
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// Run runs ffmpeg and waits for it. progress, when not nil, is called from
// ffmpeg's -progress reports (about twice a second) and once at the end.
// When ctx is cancelled ffmpeg is told to stop ('q' on its standard input,
// then the interrupt signal where the OS has one), so that it finishes its
// output, and is killed if it is still running after the grace periods; Run
// then returns an error wrapping ctx's error.
func (c *Command) Run(ctx context.Context, progress func(Progress)) error {
	bin, err := lookTool("ffmpeg")
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	args := c.Args()
	cmd := exec.Command(bin, args...)
	cmd.Dir = c.Dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	tail := &tailBuffer{max: 4096}
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(tail, c.Stderr)
	} else {
		cmd.Stderr = tail
	}
	pp := &progressParser{duration: c.Duration, emit: progress}
	cmd.Stdout = pp
	if err := cmd.Start(); err != nil {
		return startError("ffmpeg", bin, err)
	}
	exited, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
			c.stop.stop(cmd.Process, stdin, exited)
		case <-exited:
		}
	}()
	err = cmd.Wait()
	close(exited)
	<-stopped
	if ctxErr := ctx.Err(); ctxErr != nil {
		return captions.Errorf("ffmpeg stopped: %w", ctxErr)
	}
	if err != nil {
		ee := &ExitError{Args: args, ExitCode: -1, Tail: tail.String(), Err: err}
		var xe *exec.ExitError
		if errors.As(err, &xe) {
			ee.ExitCode = xe.ExitCode()
		}
		return ee
	}
	pp.finish()
	return nil
}

// tailBuffer keeps the last max bytes written to it, cut at a line start.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - 2*t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > t.max {
		b = b[len(b)-t.max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	// Keep the last 15 lines: ffmpeg's reason is at the end.
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}
