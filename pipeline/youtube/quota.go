package youtube

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
	_ "time/tzdata" // midnight Pacific time, even where the system has no tz database

	"github.com/gofrs/flock"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
)

// Limits are a Cloud project's daily YouTube quota.
type Limits struct {
	Units   int // units shared by every method but videos.insert; 10,000 by default
	Uploads int // videos.insert calls (their own bucket); 100 by default
}

// DefaultLimits are the limits of a project that never asked for more.
func DefaultLimits() Limits { return Limits{Units: 10000, Uploads: 100} }

// MethodUpload is the method name of a video upload (videos.insert), which
// counts against Limits.Uploads instead of the units.
const MethodUpload = "videos.insert"

// costs are the units each method costs (developers.google.com/youtube/v3/determine_quota_cost).
var costs = map[string]int{
	"captions.insert":      400,
	"captions.update":      450,
	"captions.list":        50,
	"captions.delete":      50,
	"playlists.insert":     50,
	"playlists.update":     50,
	"playlists.delete":     50,
	"playlistItems.insert": 50,
	"playlistItems.update": 50,
	"playlistItems.delete": 50,
	"thumbnails.set":       50,
	"videos.update":        50,
	"videos.delete":        50,
	"playlists.list":       1,
	"playlistItems.list":   1,
	"videos.list":          1,
	"channels.list":        1,
	"videoCategories.list": 1,
}

// Cost returns the units one call of method costs (0 for videos.insert,
// which has its own bucket; 1 for a method not in the table, the least any
// request costs).
func Cost(method string) int {
	if method == MethodUpload {
		return 0
	}
	if c, ok := costs[method]; ok {
		return c
	}
	return 1
}

// Usage is what lessonpub counted against the quota on one Pacific day.
type Usage struct {
	Day     string `json:"day"` // 2006-01-02 in America/Los_Angeles
	Units   int    `json:"units"`
	Uploads int    `json:"uploads"`
	// UnitsExhausted and UploadsExhausted are set when YouTube said so, even
	// if lessonpub counted less (other tools may share the project).
	UnitsExhausted   bool `json:"units_exhausted,omitempty"`
	UploadsExhausted bool `json:"uploads_exhausted,omitempty"`
}

// pacific is YouTube's quota clock.
var pacific = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*60*60)
	}
	return loc
}()

// NextReset is the next midnight Pacific time after now, when YouTube's
// daily quota starts afresh.
func NextReset(now time.Time) time.Time {
	p := now.In(pacific)
	return time.Date(p.Year(), p.Month(), p.Day()+1, 0, 0, 0, 0, pacific)
}

func quotaDay(now time.Time) string { return now.In(pacific).Format(time.DateOnly) }

// Quota counts every call lessonpub makes against the project's daily limits,
// in a file of the state folder shared by every lessonpub run.
type Quota struct {
	path   string
	limits Limits
	now    func() time.Time
	mu     sync.Mutex
}

// OpenQuota returns the counter kept in stateDir.
func OpenQuota(stateDir string, limits Limits, now func() time.Time) *Quota {
	if now == nil {
		now = time.Now
	}
	if limits.Units <= 0 {
		limits.Units = DefaultLimits().Units
	}
	if limits.Uploads <= 0 {
		limits.Uploads = DefaultLimits().Uploads
	}
	return &Quota{path: filepath.Join(stateDir, "quota.json"), limits: limits, now: now}
}

// Limits returns the configured daily limits.
func (q *Quota) Limits() Limits { return q.limits }

// NextReset is when today's counts go back to zero.
func (q *Quota) NextReset() time.Time { return NextReset(q.now()) }

// Today returns today's counted use.
func (q *Quota) Today() (Usage, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.load()
}

// Spend counts one call of method, made or about to be made.
func (q *Quota) Spend(method string) error {
	return q.update(func(u *Usage) {
		if method == MethodUpload {
			u.Uploads++
		} else {
			u.Units += Cost(method)
		}
	})
}

// exhausted records that YouTube said the bucket of method is used up.
func (q *Quota) exhausted(method string) error {
	return q.update(func(u *Usage) {
		if method == MethodUpload {
			u.UploadsExhausted = true
		} else {
			u.UnitsExhausted = true
		}
	})
}

func (q *Quota) update(f func(*Usage)) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(q.path), 0o700); err != nil {
		return captions.Errorf("counting quota: %w", err)
	}
	lock := flock.New(q.path + ".lock")
	if err := lock.Lock(); err != nil {
		return captions.Errorf("counting quota: %w", err)
	}
	defer lock.Unlock()
	u, err := q.load()
	if err != nil {
		return err
	}
	f(&u)
	data, _ := json.Marshal(u)
	if err := atomicfile.WriteFile(q.path, data, 0o600); err != nil {
		return captions.Errorf("counting quota: %w", err)
	}
	return nil
}

func (q *Quota) load() (Usage, error) {
	today := Usage{Day: quotaDay(q.now())}
	data, err := os.ReadFile(q.path)
	if errors.Is(err, fs.ErrNotExist) {
		return today, nil
	}
	if err != nil {
		return today, captions.Errorf("reading the quota count: %w", err)
	}
	var u Usage
	if json.Unmarshal(data, &u) != nil || u.Day != today.Day {
		return today, nil // a damaged count or yesterday's: start the day afresh
	}
	return u, nil
}

// Left is what is left of today's quota as lessonpub counted it; nothing of
// a bucket YouTube said is used up.
type Left struct {
	Units, Uploads int
	Reset          time.Time // when the quota starts afresh
}

// Left returns what is left of today's quota. A plan prices its calls with
// Cost and compares.
func (q *Quota) Left() (Left, error) {
	u, err := q.Today()
	if err != nil {
		return Left{}, err
	}
	l := Left{
		Units:   max(0, q.limits.Units-u.Units),
		Uploads: max(0, q.limits.Uploads-u.Uploads),
		Reset:   q.NextReset(),
	}
	if u.UnitsExhausted {
		l.Units = 0
	}
	if u.UploadsExhausted {
		l.Uploads = 0
	}
	return l, nil
}
