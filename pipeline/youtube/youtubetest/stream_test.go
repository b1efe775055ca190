package youtubetest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// startUnknown starts a resumable upload without X-Upload-Content-Length,
// as a client does that sends a file while it is still being written.
func startUnknown(t *testing.T, s *youtubetest.Server) *rawUpload {
	t.Helper()
	meta := `{"snippet":{"title":"Lesson","categoryId":"27"},"status":{"privacyStatus":"unlisted"}}`
	req, _ := http.NewRequest("POST", s.URL+"/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status", strings.NewReader(meta))
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("X-Upload-Content-Type", "video/mp4")
	c := s.Client()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Location") == "" {
		t.Fatalf("initiation answered %d with Location %q, want 200 and a session URI", resp.StatusCode, resp.Header.Get("Location"))
	}
	return &rawUpload{t: t, client: c, uri: resp.Header.Get("Location")}
}

func TestUnknownTotalChunks(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	const unit = 256 << 10
	content := randomBytes(3*unit + 100)
	size := len(content)
	u := startUnknown(t, s)
	kept := func(n int) string { return fmt.Sprintf("bytes=0-%d", n-1) }
	steps := []struct {
		name      string
		rng       string
		body      []byte
		header    []string
		wantCode  int
		wantRange string
		wantBody  string // part of the answer, for errors
	}{
		{name: "status before any byte", rng: "bytes */*", wantCode: 308},
		{name: "first chunk, total unknown", rng: fmt.Sprintf("bytes 0-%d/*", unit-1), body: content[:unit], wantCode: 308, wantRange: kept(unit)},
		{name: "100 bytes without a total", rng: fmt.Sprintf("bytes %d-%d/*", unit, unit+99), body: content[unit : unit+100],
			wantCode: 400, wantBody: "The received request contained 100 bytes"},
		{name: "one and a half units without a total", rng: fmt.Sprintf("bytes %d-%d/*", unit, unit+unit*3/2-1), body: content[unit : unit+unit*3/2],
			wantCode: 400, wantBody: "multiple of 262144"},
		{name: "status after the refused chunks", rng: "bytes */*", wantCode: 308, wantRange: kept(unit)},
		{name: "two units in the No-308 dialect", rng: fmt.Sprintf("bytes %d-%d/*", unit, 3*unit-1), body: content[unit : 3*unit],
			header: []string{"X-GUploader-No-308", "yes"}, wantCode: 308, wantRange: kept(3 * unit)},
		{name: "status", rng: "bytes */*", wantCode: 308, wantRange: kept(3 * unit)},
		{name: "last chunk with a total past its end", rng: fmt.Sprintf("bytes %d-%d/%d", 3*unit, size-1, size-1), body: content[3*unit:],
			wantCode: 400, wantBody: "goes past the end"},
	}
	for _, st := range steps {
		code, rng, body := u.put(st.rng, st.body, st.header...)
		if code != st.wantCode || rng != st.wantRange || !strings.Contains(string(body), st.wantBody) {
			t.Errorf("%s: got %d Range %q %s, want %d Range %q %q", st.name, code, rng, body, st.wantCode, st.wantRange, st.wantBody)
		}
	}
	if ss := s.UploadSessions(); len(ss) != 1 || ss[0].Stored != 3*unit || ss[0].Total != -1 {
		t.Errorf("sessions %+v, want one keeping %d bytes of an unknown total", ss, 3*unit)
	}
	if len(s.Videos()) != 0 {
		t.Fatal("a video exists before the last chunk")
	}

	code, _, body := u.put(fmt.Sprintf("bytes %d-%d/%d", 3*unit, size-1, size), content[3*unit:])
	if code != 201 || !bytes.Contains(body, []byte(`"uploaded"`)) {
		t.Fatalf("last chunk: %d %s, want 201 with an uploaded video", code, body)
	}
	// A finished session answers every later request with the video again,
	// a status query of an unknown total too.
	for _, rng := range []string{"bytes */*", fmt.Sprintf("bytes */%d", size)} {
		if code, _, again := u.put(rng, nil); code != 201 || !bytes.Equal(again, body) {
			t.Errorf("%s after completion: %d %s, want the same 201 answer", rng, code, again)
		}
	}
	if vs := s.Videos(); len(vs) != 1 || vs[0].SHA256 != hexSHA(content) {
		t.Errorf("server has %d videos, want 1 with identical content", len(vs))
	}
}

func TestUnknownTotalCutKeepsWholeBlocks(t *testing.T) {
	s := youtubetest.NewServer(youtubetest.WithUploadGranularity(256 << 10))
	defer s.Close()
	const unit = 256 << 10
	content := randomBytes(4*unit + 5)
	u := startUnknown(t, s)
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: 2*unit + 7})
	req, _ := http.NewRequest("PUT", u.uri, bytes.NewReader(content[:4*unit]))
	req.Header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/*", 4*unit-1))
	if resp, err := u.client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("cut request answered %d, want a connection error", resp.StatusCode)
	}
	if code, rng, _ := u.put("bytes */*", nil); code != 308 || rng != fmt.Sprintf("bytes=0-%d", 2*unit-1) {
		t.Errorf("status after the cut: %d Range %q, want 308 bytes=0-%d", code, rng, 2*unit-1)
	}
	// The client continues from what was kept, still without a total, and
	// ends with it.
	if code, rng, _ := u.put(fmt.Sprintf("bytes %d-%d/*", 2*unit, 4*unit-1), content[2*unit:4*unit]); code != 308 || rng != fmt.Sprintf("bytes=0-%d", 4*unit-1) {
		t.Errorf("continuing: %d Range %q", code, rng)
	}
	if code, _, body := u.put(fmt.Sprintf("bytes %d-%d/%d", 4*unit, len(content)-1, len(content)), content[4*unit:]); code != 201 {
		t.Fatalf("last chunk: %d %s", code, body)
	}
	if vs := s.Videos(); len(vs) != 1 || vs[0].SHA256 != hexSHA(content) {
		t.Errorf("server has %d videos, want 1 with identical content", len(vs))
	}
}
