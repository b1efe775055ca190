package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// TestClock runs the clock check against the fake YouTube with the
// computer's clock set off by various amounts. (The server's Date has whole
// seconds, so the amount reported may be a second off.)
func TestClock(t *testing.T) {
	srv := youtubetest.NewServer()
	defer srv.Close()
	tests := []struct {
		off    time.Duration
		status Status
		want   string
	}{
		{0, OK, "within"},
		{2 * time.Minute, OK, "within"},
		{10 * time.Minute, Fail, "ahead of"},
		{-time.Hour, Fail, "behind"},
	}
	for _, tt := range tests {
		cfg := youtube.Config{Endpoint: srv.URL + "/", Now: func() time.Time { return time.Now().Add(tt.off) }}
		c := clock(context.Background(), cfg)
		if c.Status != tt.status || !strings.Contains(c.Detail, tt.want) {
			t.Errorf("clock off by %v: %s %q, want %s and %q", tt.off, c.Status, c.Detail, tt.status, tt.want)
		}
		if tt.status == Fail && !strings.Contains(c.Fix, "automatically") {
			t.Errorf("clock off by %v: fix %q does not say how to set the clock", tt.off, c.Fix)
		}
	}
}

func TestHealthy(t *testing.T) {
	if !Healthy([]Check{{Status: OK}, {Status: Warn}, {Status: Skip}}) {
		t.Error("warnings and skipped checks made the report unhealthy")
	}
	if Healthy([]Check{{Status: OK}, {Status: Fail}}) {
		t.Error("a failed check left the report healthy")
	}
}
