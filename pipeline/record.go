package pipeline

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// RecordDir is the folder inside a course folder where lessonpub keeps its
// record of what was published (fit to commit) and its lock (not).
const RecordDir = ".lessonpub"

// RecordFile is the record's name inside RecordDir.
const RecordFile = "published.json"

// recordVersion is the format of the record file.
const recordVersion = 1

// Lesson states in the record.
const (
	StatePublished = "published" // everything that went into the lesson is on the target
	StatePending   = "pending"   // not published yet (or only partly): a rerun continues
	StateFailed    = "failed"    // the last run failed on this lesson; Error says why
)

// Record is what was published of one course, per destination. It is a
// cache of the destination's state, not the truth: runs reconcile it with
// the destination before they add anything.
type Record struct {
	Version int `json:"version"`
	// CourseKey is the course's key (see CourseKey), kept from the first
	// publish on so that renaming the course folder changes nothing.
	CourseKey string `json:"course_key,omitempty"`
	// Destinations maps a target's name ("youtube", "dir:/path") to what it holds.
	Destinations map[string]*Destination `json:"destinations"`

	path   string
	mu     sync.Mutex
	writes int // Update calls, for crashPoint
}

// crashPoint is for the kill tests only: with the environment variable
// LESSONPUB_TEST_CRASHPOINT=record:N the process dies in the middle of the
// Nth write of a record (after a temporary file is half-written, before the
// rename), as a kill there would leave it. 0 when unset.
var crashPoint = sync.OnceValue(func() int {
	n, ok := strings.CutPrefix(os.Getenv("LESSONPUB_TEST_CRASHPOINT"), "record:")
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(n)
	if err != nil {
		return 0
	}
	return v
})

// Destination is the course as published on one target.
type Destination struct {
	PlaylistID string `json:"playlist_id,omitempty"`
	// PlaylistMeta is the hash of the title, description and privacy last
	// given to the playlist; a change of the course's means an update.
	PlaylistMeta string `json:"playlist_metadata_hash,omitempty"`
	// Order is the keys of the course's lessons in the playlist's order at
	// the end of the last run: a plan made from the record alone prices the
	// moves that put the playlist in lesson order.
	Order []string `json:"playlist_order,omitempty"`
	// Lessons maps a lesson key ("course/first-knot") to what was published
	// of it. Keys of an earlier lessonpub ("course/01-first-knot") are
	// matched to their lessons and rewritten on the next run (matchRecord).
	Lessons map[string]*LessonRecord `json:"lessons"`
}

// LessonRecord is one lesson on one destination.
type LessonRecord struct {
	Title  string `json:"title"`
	State  string `json:"state"`
	Error  string `json:"error,omitempty"`
	URL    string `json:"url,omitempty"`
	Video  string `json:"video_id,omitempty"`
	Item   string `json:"playlist_item_id,omitempty"`
	Hashes Hashes `json:"hashes"`
	// Captions maps a language to its track on the video.
	Captions map[string]CaptionRecord `json:"captions,omitempty"`
	// Thumbnail is the hash of the thumbnail set on the video; "" when none.
	Thumbnail string `json:"thumbnail_hash,omitempty"`
	// Metadata is the hash of the title, description and settings sent.
	Metadata string `json:"metadata_hash,omitempty"`
	// Replaced lists earlier videos of the lesson taken out of the playlist.
	Replaced  []ReplacedVideo `json:"replaced,omitempty"`
	Updated   time.Time       `json:"updated"`
	Published time.Time       `json:"published,omitzero"`
}

// Hashes are the content hashes of what went (or goes) into the uploaded
// video; a change in any means a new upload.
type Hashes struct {
	Video     string `json:"video"`               // of all below: recording, sign clip, render settings
	Recording string `json:"recording,omitempty"` // sha256 of the recording file
	Sign      string `json:"sign,omitempty"`      // sha256 of sign.*
	Render    string `json:"render,omitempty"`    // sha256 of the render settings
}

// CaptionRecord is one caption track on the video.
type CaptionRecord struct {
	Track string `json:"track_id"`
	Hash  string `json:"hash"` // sha256 of the caption file as uploaded
}

// ReplacedVideo is an old video of a lesson that is no longer in the
// playlist.
type ReplacedVideo struct {
	Video   string    `json:"video_id"`
	URL     string    `json:"url,omitempty"`
	Deleted bool      `json:"deleted"`
	When    time.Time `json:"when"`
}

// RecordPath is where the record of the course in courseDir lives.
func RecordPath(courseDir string) string {
	return filepath.Join(courseDir, RecordDir, RecordFile)
}

// LoadRecord reads the course's record; a missing record is an empty one.
func LoadRecord(courseDir string) (*Record, error) {
	path := RecordPath(courseDir)
	r := &Record{Version: recordVersion, Destinations: map[string]*Destination{}, path: path}
	data, err := lessons.ReadFile(path) // a named pipe here would hang the run, holding the lock
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, captions.Errorf("%s is damaged (%v): restore it from version control, or delete it and lessonpub will find the published videos on YouTube again", path, err)
	}
	if r.Version > recordVersion {
		return nil, captions.Errorf("%s was written by a newer lessonpub (format %d); update lessonpub", path, r.Version)
	}
	if r.Destinations == nil {
		r.Destinations = map[string]*Destination{}
	}
	return r, nil
}

// Destination returns the part of the record for the target named name,
// creating it when missing.
func (r *Record) Destination(name string) *Destination {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.Destinations[name]
	if d == nil {
		d = &Destination{Lessons: map[string]*LessonRecord{}}
		r.Destinations[name] = d
	}
	if d.Lessons == nil {
		d.Lessons = map[string]*LessonRecord{}
	}
	return d
}

// Update changes the record under its lock and writes it to disk
// atomically, so that the file on disk always matches a finished step.
func (r *Record) Update(change func()) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	change()
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(r.path), 0o755); err != nil {
		return captions.Errorf("saving the record of what was published: %w", err)
	}
	r.writes++
	if r.writes == crashPoint() {
		// Test-only: die half-way through the write, as a kill would.
		os.WriteFile(r.path+".crash.tmp", data[:len(data)/2], 0o644)
		os.Exit(137)
	}
	if err := atomicfile.WriteFile(r.path, append(data, '\n'), 0o644); err != nil {
		return captions.Errorf("saving the record of what was published: %w", err)
	}
	return nil
}

// View runs read under the record's lock.
func (r *Record) View(read func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	read()
}

// Path is the record file's path.
func (r *Record) Path() string { return r.path }

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// matchRecord gives the lessons of plan their entries in dest when these are
// kept under another key: a key written by an earlier lessonpub (with the
// lesson's order number, or another course folder's name), or the key of a
// lesson folder renamed since (found by its recording's hash, when exactly
// one lesson without an entry has it). The entries are moved to the
// lessons' keys; the caller writes the record.
func matchRecord(dest *Destination, c *lessons.Course, courseKey string, plan []*LessonPlan) {
	current := map[string]bool{}
	for _, l := range c.Lessons {
		current[LessonKey(courseKey, l)] = true
	}
	var orphans []string // entries of no lesson of the course
	for _, k := range sortedKeys(dest.Lessons) {
		if !current[k] {
			orphans = append(orphans, k)
		}
	}
	if len(orphans) == 0 {
		return
	}
	want := map[string]*LessonPlan{} // lessons without an entry
	for _, lp := range plan {
		if dest.Lessons[lp.Key] == nil {
			want[lp.Key] = lp
		}
	}
	move := func(from, to string) {
		dest.Lessons[to] = dest.Lessons[from]
		delete(dest.Lessons, from)
		delete(want, to)
	}
	var left []string
	for _, k := range orphans {
		_, id, _ := strings.Cut(NormalizeLegacy(k), "/")
		if to := courseKey + "/" + id; want[to] != nil {
			move(k, to)
			continue
		}
		left = append(left, k)
	}
	for _, k := range left {
		rec := dest.Lessons[k]
		if rec.Hashes.Recording == "" {
			continue
		}
		var match []string
		for to, lp := range want {
			if lp.hashes.Recording == rec.Hashes.Recording {
				match = append(match, to)
			}
		}
		if len(match) == 1 {
			move(k, match[0])
		}
	}
}
