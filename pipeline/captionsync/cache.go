package captionsync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// Cache keeps the verdicts of CheckLesson in the user's state folder, so
// that publishing listens to a recording again only when it or one of its
// caption files changed (by path, size and modification time): a course
// of twenty lessons is not decoded again on every run.
type Cache struct {
	path    string
	mu      sync.Mutex
	entries map[string][]cached
	listen  func(context.Context, *lessons.Lesson) ([]Result, error) // CheckLesson; tests count calls
}

// cached is a Result without its file, which the key already names.
type cached struct {
	Offset     time.Duration `json:"offset_ns"`
	Drift      float64       `json:"drift"`
	Confidence float64       `json:"confidence"`
	Decided    bool          `json:"decided"`
	InSync     bool          `json:"in_sync"`
	Part       *Part         `json:"part,omitempty"`
	Message    string        `json:"message"`
	Speech     time.Duration `json:"speech_ns,omitempty"`
}

// OpenCache reads the cache kept in stateDir; a missing or damaged cache is
// an empty one. An empty stateDir gives a cache kept in memory.
func OpenCache(stateDir string) *Cache {
	c := &Cache{entries: map[string][]cached{}, listen: CheckLesson}
	if stateDir == "" {
		return c
	}
	c.path = filepath.Join(stateDir, "caption-sync.json")
	if data, err := lessons.ReadFile(c.path); err == nil {
		json.Unmarshal(data, &c.entries) // a damaged cache is rebuilt
		if c.entries == nil {
			c.entries = map[string][]cached{}
		}
	}
	return c
}

// CheckLesson is CheckLesson of the package, answered from the cache when
// nothing it depends on changed. A failure to save the cache is not an
// error: the next run listens again.
func (c *Cache) CheckLesson(ctx context.Context, l *lessons.Lesson) ([]Result, error) {
	key, err := cacheKey(l)
	if err != nil {
		return c.listen(ctx, l)
	}
	c.mu.Lock()
	hit, ok := c.entries[key]
	c.mu.Unlock()
	if ok && len(hit) == len(l.Captions) {
		out := make([]Result, len(hit))
		for i, h := range hit {
			out[i] = Result{File: l.Captions[i], Offset: h.Offset, Drift: h.Drift, Confidence: h.Confidence,
				Decided: h.Decided, InSync: h.InSync, Part: h.Part, Message: h.Message, Speech: h.Speech}
			out[i].Text = retext(out[i])
		}
		return out, nil
	}
	rs, err := c.listen(ctx, l)
	if err != nil {
		return rs, err
	}
	entry := make([]cached, len(rs))
	for i, r := range rs {
		entry[i] = cached{r.Offset, r.Drift, r.Confidence, r.Decided, r.InSync, r.Part, r.Message, r.Speech}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = entry
	if c.path != "" {
		if data, err := json.Marshal(c.entries); err == nil {
			os.MkdirAll(filepath.Dir(c.path), 0o700)
			atomicfile.WriteFile(c.path, data, 0o600)
		}
	}
	return rs, nil
}

// cacheKey names what a lesson's verdicts depend on: the recording and each
// caption file, by absolute path, size and modification time.
func cacheKey(l *lessons.Lesson) (string, error) {
	h := sha256.New()
	for _, p := range append([]string{l.Recording}, captionPaths(l)...) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", abs, fi.Size(), fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func captionPaths(l *lessons.Lesson) []string {
	var ps []string
	for _, cf := range l.Captions {
		ps = append(ps, cf.Path)
	}
	return ps
}
