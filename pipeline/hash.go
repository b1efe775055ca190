package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// HashCache remembers file hashes by path, size and modification time, so a
// rerun does not read gigabytes of recordings again. It lives in the user's
// state folder; a file whose size or time changed is hashed again.
type HashCache struct {
	path    string
	mu      sync.Mutex
	entries map[string]hashEntry
	dirty   bool
}

type hashEntry struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns"`
	SHA256  string `json:"sha256"`
}

// OpenHashCache reads the cache kept in stateDir; a missing or unreadable
// cache is an empty one. An empty stateDir gives a cache kept in memory.
func OpenHashCache(stateDir string) *HashCache {
	c := &HashCache{entries: map[string]hashEntry{}}
	if stateDir == "" {
		return c
	}
	c.path = filepath.Join(stateDir, "hashes.json")
	if data, err := os.ReadFile(c.path); err == nil {
		json.Unmarshal(data, &c.entries) // a damaged cache is rebuilt
		if c.entries == nil {
			c.entries = map[string]hashEntry{}
		}
	}
	return c
}

// File returns the sha256 of the file at path, as "sha256:HEX", reading it
// as a stream when the cache does not know it.
func (c *HashCache) File(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	e, ok := c.entries[abs]
	c.mu.Unlock()
	if ok && e.Size == fi.Size() && e.ModTime == fi.ModTime().UnixNano() {
		return e.SHA256, nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", captions.Errorf("reading %s: %w", path, err)
	}
	sum := "sha256:" + hex.EncodeToString(h.Sum(nil))
	c.mu.Lock()
	c.entries[abs] = hashEntry{Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), SHA256: sum}
	c.dirty = true
	c.mu.Unlock()
	return sum, nil
}

// Save writes the cache back to the state folder when it changed.
func (c *HashCache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" || !c.dirty {
		return nil
	}
	data, err := json.Marshal(c.entries)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(c.path, data, 0o600); err != nil {
		return err
	}
	c.dirty = false
	return nil
}

// hashBytes returns the sha256 of data as "sha256:HEX".
func hashBytes(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// hashJSON returns the sha256 of v's JSON encoding.
func hashJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are hashed
	}
	return hashBytes(data)
}
