package check

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
)

// Probes remembers what ffprobe read of each file during one run, so that
// the caption gate and the render read a lesson's recording once. A file
// changed since (other size or modification time) is read again; failed
// reads are not remembered. The zero value is ready to use, and safe for
// use by several goroutines.
type Probes struct {
	// Read reads a file the first time it is asked for; ffmpeg.Probe when
	// nil. Set it before the first Probe.
	Read ProbeFunc

	mu    sync.Mutex
	files map[probeKey]*probeEntry
}

type probeKey struct {
	path  string
	size  int64
	mtime time.Time
}

type probeEntry struct {
	mu sync.Mutex // held while the file is probed, so it is probed once
	m  *ffmpeg.Media
}

// Probe is a ProbeFunc: what Read reads of path, remembered.
func (p *Probes) Probe(ctx context.Context, path string) (*ffmpeg.Media, error) {
	read := p.Read
	if read == nil {
		read = ffmpeg.Probe
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fi, err := os.Stat(path)
	if err != nil {
		return read(ctx, path) // its error names the file
	}
	key := probeKey{path, fi.Size(), fi.ModTime()}
	p.mu.Lock()
	if p.files == nil {
		p.files = make(map[probeKey]*probeEntry)
	}
	e := p.files[key]
	if e == nil {
		e = new(probeEntry)
		p.files[key] = e
	}
	p.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		m, err := read(ctx, path)
		if err != nil {
			return nil, err
		}
		e.m = m
	}
	return e.m, nil
}
