package youtubetest

import (
	"errors"
	"os"
	"sync"
)

// GrowingFile is a file written bit by bit, as a render writes its output,
// for tests and benchmarks of youtube.Client.UploadGrowing: it implements
// youtube.GrowingFile. Write appends, WriteAt changes bytes already written
// (which a well-behaved writer never does), Finish and Fail end it.
type GrowingFile struct {
	f    *os.File
	once sync.Once
	done chan struct{}
	mu   sync.Mutex
	err  error
}

// NewGrowingFile creates an empty file at path.
func NewGrowingFile(path string) (*GrowingFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &GrowingFile{f: f, done: make(chan struct{})}, nil
}

// Name is the file's path.
func (g *GrowingFile) Name() string { return g.f.Name() }

// Size is the file's size on disk.
func (g *GrowingFile) Size() (int64, error) {
	fi, err := os.Stat(g.f.Name())
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Done is closed by Finish or Fail.
func (g *GrowingFile) Done() <-chan struct{} { return g.done }

// Err is the error given to Fail.
func (g *GrowingFile) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Write appends p.
func (g *GrowingFile) Write(p []byte) (int, error) { return g.f.Write(p) }

// WriteAt overwrites bytes already written.
func (g *GrowingFile) WriteAt(p []byte, off int64) (int, error) { return g.f.WriteAt(p, off) }

// Finish ends the file: it is complete.
func (g *GrowingFile) Finish() error { return g.end(nil) }

// Fail ends the file with an error, as a render that failed.
func (g *GrowingFile) Fail(err error) {
	if err == nil {
		err = errors.New("the writer failed")
	}
	g.end(err)
}

func (g *GrowingFile) end(err error) error {
	cerr := g.f.Close()
	g.once.Do(func() {
		g.mu.Lock()
		g.err = err
		g.mu.Unlock()
		close(g.done)
	})
	return cerr
}
