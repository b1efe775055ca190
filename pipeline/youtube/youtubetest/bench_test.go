package youtubetest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	youtube "google.golang.org/api/youtube/v3"
)

// BenchmarkServerUpload measures what the fake itself costs: the stock
// client's chunked upload next to one plain PUT of the same bytes to a
// session URI, both with content hashed but not stored.
func BenchmarkServerUpload(b *testing.B) {
	content := randomBytes(64 << 20)
	s := youtubetest.NewServer(youtubetest.WithoutMediaContent(), youtubetest.WithQuota(1<<30, 1<<30))
	defer s.Close()
	b.Run("chunked", func(b *testing.B) {
		svc, err := youtube.NewService(context.Background(), option.WithEndpoint(s.URL+"/"), option.WithHTTPClient(s.Client()))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(content)))
		for b.Loop() {
			v := &youtube.Video{Snippet: &youtube.VideoSnippet{Title: "bench"}}
			if _, err := svc.Videos.Insert([]string{"snippet"}, v).Media(bytes.NewReader(content), googleapi.ChunkSize(16<<20)).Do(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain-put", func(b *testing.B) {
		b.SetBytes(int64(len(content)))
		for b.Loop() {
			u := startRaw(b, s, len(content))
			req, _ := http.NewRequest("PUT", u.uri, bytes.NewReader(content))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 201 {
				b.Fatal(fmt.Sprint("PUT answered ", resp.StatusCode))
			}
		}
	})
}

func TestThrottledUploadIsComplete(t *testing.T) {
	s, svc := newService(t, youtubetest.WithUploadRate(50<<20))
	content := randomBytes(600 << 10)
	if _, err := uploadVideo(t, svc, content); err != nil {
		t.Fatal(err)
	}
	if vs := s.Videos(); len(vs) != 1 || vs[0].SHA256 != hexSHA(content) {
		t.Errorf("%d videos, want 1 with identical content", len(vs))
	}
}
