package youtubetest

import (
	"sync"
	"time"
)

// Costs are the quota units each method costs, from
// developers.google.com/youtube/v3/determine_quota_cost. videos.insert is
// not in the table: it counts in its own bucket of calls a day.
var Costs = map[string]int{
	"channels.list":        1,
	"videos.list":          1,
	"videos.update":        50,
	"videos.delete":        50,
	"playlists.list":       1,
	"playlists.insert":     50,
	"playlists.update":     50,
	"playlists.delete":     50,
	"playlistItems.list":   1,
	"playlistItems.insert": 50,
	"playlistItems.update": 50,
	"playlistItems.delete": 50,
	"captions.list":        50,
	"captions.insert":      400,
	"captions.update":      450,
	"captions.delete":      50,
	"captions.download":    200,
	"thumbnails.set":       50,
}

type quota struct {
	day     string // Pacific date the counters belong to
	units   int
	uploads int
}

var pacific = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*60*60)
	}
	return loc
})

// rollover resets the counters at midnight Pacific time. s.mu is held.
func (s *Server) rollover() {
	day := s.cfg.now().In(pacific()).Format(time.DateOnly)
	if s.quota.day != day {
		s.quota = quota{day: day}
	}
}

// charge counts the cost of a call, or returns the error YouTube gives when
// the day's quota is used up. s.mu is held.
func (s *Server) charge(method string) *apiError {
	s.rollover()
	if method == "videos.insert" {
		if s.quota.uploads >= s.cfg.uploadLimit {
			msg := "Quota exceeded for quota metric 'Video Uploads' and limit 'Video Uploads per day' of service 'youtube.googleapis.com' for consumer 'project_number:1234567890'."
			return &apiError{code: 429, reason: "rateLimitExceeded", domain: "global", message: msg}
		}
		s.quota.uploads++
		return nil
	}
	cost := Costs[method]
	if s.quota.units+cost > s.cfg.unitLimit {
		return &apiError{code: 403, reason: "quotaExceeded", domain: "youtube.quota",
			message: `The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.`}
	}
	s.quota.units += cost
	return nil
}

// QuotaUsed reports today's use: units and videos.insert calls.
func (s *Server) QuotaUsed() (units, uploads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rollover()
	return s.quota.units, s.quota.uploads
}

// SetQuotaUsed sets today's use, for instance to start a test near the limit.
func (s *Server) SetQuotaUsed(units, uploads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rollover()
	s.quota.units, s.quota.uploads = units, uploads
}

// SetQuotaLimits changes the daily limits (units, videos.insert calls).
func (s *Server) SetQuotaLimits(units, uploads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.unitLimit, s.cfg.uploadLimit = units, uploads
}

// tokenBucket limits a byte rate.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64 // bytes per second
	burst  float64
	tokens float64
	last   time.Time
}

func newTokenBucket(rate int64) *tokenBucket {
	burst := float64(rate) / 20 // 50 ms worth
	if burst < 32<<10 {
		burst = 32 << 10
	}
	return &tokenBucket{rate: float64(rate), burst: burst, tokens: burst, last: time.Now()}
}

// take waits until n bytes may pass. n must not exceed the burst.
func (b *tokenBucket) take(n int) {
	b.mu.Lock()
	now := time.Now()
	b.tokens += now.Sub(b.last).Seconds() * b.rate
	if b.tokens > b.burst {
		b.tokens = b.burst
	}
	b.last = now
	b.tokens -= float64(n)
	var wait time.Duration
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	b.mu.Unlock()
	if wait > 0 {
		time.Sleep(wait)
	}
}
