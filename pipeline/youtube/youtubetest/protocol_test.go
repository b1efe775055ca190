package youtubetest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// rawUpload speaks the documented resumable protocol with plain HTTP.
type rawUpload struct {
	t      testing.TB
	client *http.Client
	uri    string
}

func startRaw(t testing.TB, s *youtubetest.Server, size int) *rawUpload {
	t.Helper()
	meta := `{"snippet":{"title":"Lesson","categoryId":"27"},"status":{"privacyStatus":"unlisted"}}`
	req, _ := http.NewRequest("POST", s.URL+"/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status", strings.NewReader(meta))
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("X-Upload-Content-Length", strconv.Itoa(size))
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

// put sends body with a Content-Range and returns the status and Range.
func (u *rawUpload) put(contentRange string, body []byte, header ...string) (int, string, []byte) {
	u.t.Helper()
	req, _ := http.NewRequest("PUT", u.uri, bytes.NewReader(body))
	req.Header.Set("Content-Range", contentRange)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := u.client.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	code := resp.StatusCode
	if o := resp.Header.Get("X-HTTP-Status-Code-Override"); o != "" {
		code, _ = strconv.Atoi(o)
	}
	return code, resp.Header.Get("Range"), b
}

func TestResumableProtocolPUT(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	const unit = 256 << 10
	content := randomBytes(2*unit + 100)
	size := len(content)
	u := startRaw(t, s, size)
	all := fmt.Sprintf("bytes */%d", size)

	type step struct {
		name      string
		rng       string
		body      []byte
		wantCode  int
		wantRange string
	}
	steps := []step{
		{"status before any byte", all, nil, 308, ""},
		{"first chunk", fmt.Sprintf("bytes 0-%d/%d", unit-1, size), content[:unit], 308, fmt.Sprintf("bytes=0-%d", unit-1)},
		{"chunk past the stored end", fmt.Sprintf("bytes %d-%d/%d", 2*unit, size-1, size), content[2*unit:], 308, fmt.Sprintf("bytes=0-%d", unit-1)},
		{"chunk not a multiple of 256 KiB", fmt.Sprintf("bytes %d-%d/%d", unit, unit+99, size), content[unit : unit+100], 400, ""},
		{"status", all, nil, 308, fmt.Sprintf("bytes=0-%d", unit-1)},
		{"overlapping chunk", fmt.Sprintf("bytes %d-%d/*", unit/2, unit/2+unit-1), content[unit/2 : unit/2+unit], 308, fmt.Sprintf("bytes=0-%d", unit/2+unit-1)},
	}
	for _, st := range steps {
		code, rng, _ := u.put(st.rng, st.body)
		if code != st.wantCode || rng != st.wantRange {
			t.Errorf("%s: got %d Range %q, want %d Range %q", st.name, code, rng, st.wantCode, st.wantRange)
		}
	}
	// The No-308 dialect answers 200 with the override header.
	req, _ := http.NewRequest("PUT", u.uri, nil)
	req.Header.Set("Content-Range", all)
	req.Header.Set("X-GUploader-No-308", "yes")
	resp, err := u.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-HTTP-Status-Code-Override") != "308" {
		t.Errorf("No-308 status query: %d, override %q; want 200 and 308", resp.StatusCode, resp.Header.Get("X-HTTP-Status-Code-Override"))
	}

	from := unit/2 + unit
	code, _, body := u.put(fmt.Sprintf("bytes %d-%d/%d", from, size-1, size), content[from:])
	var v struct {
		ID     string `json:"id"`
		Status struct {
			UploadStatus  string `json:"uploadStatus"`
			PrivacyStatus string `json:"privacyStatus"`
		} `json:"status"`
	}
	if err := json.Unmarshal(body, &v); err != nil || code != 201 || v.ID == "" || v.Status.UploadStatus != "uploaded" {
		t.Fatalf("last chunk: %d %s, want 201 with an uploaded video", code, body)
	}
	code, _, again := u.put(all, nil)
	if code != 201 || !bytes.Equal(again, body) {
		t.Errorf("status after completion: %d %s, want the same 201 answer", code, again)
	}
	if vs := s.Videos(); len(vs) != 1 || vs[0].SHA256 != hexSHA(content) || vs[0].PrivacyStatus != "unlisted" {
		t.Errorf("server has %d videos, want 1 unlisted with identical content", len(vs))
	}
}

func TestResumableSessionLostAndGranularity(t *testing.T) {
	s := youtubetest.NewServer(youtubetest.WithUploadGranularity(256 << 10))
	defer s.Close()
	const unit = 256 << 10
	content := randomBytes(3 * unit)
	u := startRaw(t, s, len(content))
	// Cut the first request 100 bytes into its second block: only the first
	// whole block stays.
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.ConnectionReset, Offset: unit + 100})
	req, _ := http.NewRequest("PUT", u.uri, bytes.NewReader(content[:2*unit]))
	req.Header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/*", 2*unit-1))
	if resp, err := u.client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("cut request answered %d, want a connection error", resp.StatusCode)
	}
	if code, rng, _ := u.put(fmt.Sprintf("bytes */%d", len(content)), nil); code != 308 || rng != fmt.Sprintf("bytes=0-%d", unit-1) {
		t.Errorf("status after the cut: %d Range %q, want 308 bytes=0-%d", code, rng, unit-1)
	}
	if ss := s.UploadSessions(); len(ss) != 1 || ss[0].Stored != unit {
		t.Errorf("sessions %+v, want one with %d bytes", ss, unit)
	}
	s.Fail(youtubetest.Fault{Method: "upload", Kind: youtubetest.SessionLost})
	for range 2 {
		if code, _, _ := u.put(fmt.Sprintf("bytes */%d", len(content)), nil); code != 404 {
			t.Errorf("lost session answered %d, want 404", code)
		}
	}
	if len(s.Videos()) != 0 {
		t.Error("a video exists")
	}
}

func TestUnauthenticated(t *testing.T) {
	s := youtubetest.NewServer()
	defer s.Close()
	resp, err := http.Get(s.URL + "/youtube/v3/channels?part=snippet&mine=true")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("call without a token: %d, WWW-Authenticate %q; want 401 Bearer", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
