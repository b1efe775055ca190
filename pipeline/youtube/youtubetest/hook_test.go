package youtubetest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/api/youtube/v3"

	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// A held call is performed, and its answer never comes.
func TestHoldPerformsAndNeverAnswers(t *testing.T) {
	s, svc := newService(t)
	s.Fail(youtubetest.Fault{Method: "playlists.insert", Kind: youtubetest.Hold})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := svc.Playlists.Insert([]string{"snippet"}, &youtube.Playlist{Snippet: &youtube.PlaylistSnippet{Title: "Held"}}).Context(ctx).Do()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want no answer until the deadline", err)
	}
	if pls := s.Playlists(); len(pls) != 1 || pls[0].Title != "Held" {
		t.Errorf("playlists %+v, want the held insert done", pls)
	}
}

// The request hook runs once, at the request and moment asked.
func TestOnRequest(t *testing.T) {
	s, svc := newService(t)
	for _, when := range []youtubetest.Moment{youtubetest.BeforeAnswer, youtubetest.AfterAnswer} {
		var at []int
		s.OnRequest(2, when, func() { at = append(at, s.Requests()) })
		for range 3 {
			if _, err := svc.Channels.List([]string{"snippet"}).Mine(true).Do(); err != nil {
				t.Fatal(err)
			}
		}
		if len(at) != 1 || at[0] != 2 {
			t.Errorf("%v: hook ran at requests %v, want once at 2", when, at)
		}
		if got := s.Requests(); got != 3 {
			t.Errorf("Requests = %d, want 3", got)
		}
	}
}
