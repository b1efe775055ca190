package ffmpeg

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// ErrNoAudio is returned by DecodeAudio for a file without sound.
var ErrNoAudio = errors.New("the recording has no sound")

// DecodeAudio returns the sound of path's first audio stream as 16-bit
// mono samples at rate Hz, streamed from ffmpeg through a pipe (no
// temporary file). A file without sound gives ErrNoAudio. Cancelling ctx
// stops ffmpeg.
func DecodeAudio(ctx context.Context, path string, rate int) ([]int16, error) {
	bin, err := lookTool("ffmpeg")
	if err != nil {
		return nil, err
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-i", safeInput(path),
		"-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", strconv.Itoa(rate), "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1"}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = grace
	tail := &tailBuffer{max: 4096}
	cmd.Stderr = tail
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting ffmpeg: %w", err)
	}
	samples, readErr := readS16(out)
	err = cmd.Wait()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, fmt.Errorf("ffmpeg stopped: %w", ctxErr)
	}
	if err != nil {
		if strings.Contains(tail.String(), "matches no streams") {
			return nil, ErrNoAudio
		}
		ee := &ExitError{Args: args, ExitCode: -1, Tail: tail.String(), Err: err}
		var xe *exec.ExitError
		if errors.As(err, &xe) {
			ee.ExitCode = xe.ExitCode()
		}
		return nil, ee
	}
	if readErr != nil {
		return nil, fmt.Errorf("reading ffmpeg's output: %w", readErr)
	}
	return samples, nil
}

// readS16 reads little-endian 16-bit samples until EOF.
func readS16(r io.Reader) ([]int16, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	samples := make([]int16, 0, 1<<20)
	buf := make([]byte, 1<<16)
	carry := 0
	for {
		n, err := br.Read(buf[carry:])
		n += carry
		even := n &^ 1
		for i := 0; i < even; i += 2 {
			samples = append(samples, int16(binary.LittleEndian.Uint16(buf[i:])))
		}
		carry = n - even
		if carry > 0 {
			buf[0] = buf[even]
		}
		if err == io.EOF {
			return samples, nil
		}
		if err != nil {
			return samples, err
		}
	}
}
