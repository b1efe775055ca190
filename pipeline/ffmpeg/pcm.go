package ffmpeg

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
)

// ErrNoAudio is returned by DecodeAudio for a file without sound.
var ErrNoAudio = captions.Errorf("the recording has no sound")

// DecodeAudio streams the sound of path's first audio stream, as 16-bit
// mono samples at rate Hz, from ffmpeg through a pipe (no temporary file)
// to sink, piece by piece while ffmpeg decodes; sink must not keep the
// slice it is given. A file without sound gives ErrNoAudio. Cancelling ctx
// stops ffmpeg.
func DecodeAudio(ctx context.Context, path string, rate int, sink func([]int16)) error {
	bin, err := lookTool("ffmpeg")
	if err != nil {
		return err
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-i", safeInput(path),
		"-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", strconv.Itoa(rate), "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1"}
	cmd := exec.CommandContext(ctx, bin, args...)
	// Nothing is written but the pipe, so a cancelled decode is simply
	// killed, the same on every OS.
	cmd.Cancel = func() error { return cmd.Process.Kill() }
	cmd.WaitDelay = signalGrace
	tail := &tailBuffer{max: 4096}
	cmd.Stderr = tail
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return startError("ffmpeg", bin, err)
	}
	readErr := readS16(out, sink)
	if readErr != nil {
		io.Copy(io.Discard, out) // let ffmpeg finish or fail
	}
	err = cmd.Wait()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return captions.Errorf("ffmpeg stopped: %w", ctxErr)
	}
	if err != nil {
		if strings.Contains(tail.String(), "matches no streams") {
			return ErrNoAudio
		}
		ee := &ExitError{Args: args, ExitCode: -1, Tail: tail.String(), Err: err}
		var xe *exec.ExitError
		if errors.As(err, &xe) {
			ee.ExitCode = xe.ExitCode()
		}
		return ee
	}
	if readErr != nil {
		return captions.Errorf("reading ffmpeg's output: %w", readErr)
	}
	return nil
}

// readS16 reads little-endian 16-bit samples until EOF, handing them to
// sink a buffer at a time.
func readS16(r io.Reader, sink func([]int16)) error {
	buf := make([]byte, 1<<15)
	samples := make([]int16, len(buf)/2)
	carry := 0
	for {
		n, err := r.Read(buf[carry:])
		n += carry
		even := n &^ 1
		for i := 0; i < even; i += 2 {
			samples[i/2] = int16(binary.LittleEndian.Uint16(buf[i:]))
		}
		if even > 0 {
			sink(samples[:even/2])
		}
		carry = n - even
		if carry > 0 {
			buf[0] = buf[even]
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
