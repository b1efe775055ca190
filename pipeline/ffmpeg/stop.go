package ffmpeg

import (
	"io"
	"os"
	"time"
)

// A cancelled ffmpeg is stopped in up to three steps, each given time to
// work before the next: 'q' on its standard input, on which ffmpeg finishes
// the file it is writing and exits, on every OS; then the interrupt signal,
// which has the same effect, where the OS has one (not Windows); then kill,
// which leaves an MP4 without its index ("moov atom not found").
const (
	// quitGrace is how long ffmpeg gets to finish after 'q'.
	quitGrace = 10 * time.Second
	// signalGrace is how long it gets after the interrupt signal.
	signalGrace = 5 * time.Second
)

// stopSteps says how a cancelled ffmpeg is stopped. The zero value is the
// order above; tests switch a step off to show that another works alone.
type stopSteps struct {
	skipQuit, skipSignal   bool
	quitGrace, signalGrace time.Duration // 0: the constants
}

// stop ends the process p, whose standard input is stdin, and returns
// once exited is closed (the caller closes it when Wait returns).
func (s stopSteps) stop(p *os.Process, stdin io.Writer, exited <-chan struct{}) {
	wait := func(d, def time.Duration) bool {
		if d == 0 {
			d = def
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-exited:
			return true
		case <-t.C:
			return false
		}
	}
	if !s.skipQuit {
		// An error means ffmpeg has already closed its input or exited.
		if _, err := io.WriteString(stdin, "q"); err == nil && wait(s.quitGrace, quitGrace) {
			return
		}
	}
	if !s.skipSignal {
		// Windows has no interrupt signal: Signal fails there and the
		// kill follows at once.
		if err := p.Signal(os.Interrupt); err == nil && wait(s.signalGrace, signalGrace) {
			return
		}
	}
	p.Kill()
	<-exited
}
