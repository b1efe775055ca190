//go:build unix

// Command upload measures lessonpub's resumable video upload against the fake
// YouTube server over loopback, next to one plain HTTP PUT of the same file to
// the same server (an upload session taking the whole file in one request):
// throughput, and the peak RSS of the process that uploads.
//
// Run by hand (not part of make test):
//
//	go run ./bench/upload -size 1GiB -runs 3
//	go run ./bench/upload -size 1GiB -runs 1 -grow
//
// With -grow it measures an upload while the file is written instead
// (youtube.Client.UploadGrowing, as a streamed render is sent): the child
// process appends to a new file at -rate from a writer goroutine while it
// uploads, and reports its peak RSS and Go heap.
//
// Each kind runs twice: as is (on Linux the kernel sends the file with
// sendfile) and with sendfile off ("-copy"), the connection wrapped so that
// the file is copied through user space, as over TLS or where the OS has no
// sendfile; the -copy kinds are compared with each other.
//
// Each upload runs in a child process so its peak RSS (VmHWM) is its own; the
// server runs in this process. The time counts from before the upload
// session starts to the server's answer; CPU is the child's user+system time.
// It needs getrusage, so it builds on Unix only.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
	"golang.org/x/oauth2"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/upload:", err)
		os.Exit(1)
	}
}

func run() error {
	size := flag.String("size", "1GiB", "file size (KiB, MiB, GiB suffixes)")
	runs := flag.Int("runs", 3, "runs of each kind")
	chunk := flag.Int64("chunk", 0, "lessonpub chunk size in bytes (0: the whole file in one request, the default)")
	grow := flag.Bool("grow", false, "upload the file while a writer appends to it (UploadGrowing)")
	rate := flag.Int64("rate", 200<<20, "with -grow: bytes per second the writer appends")
	child := flag.String("child", "", "internal: lessonpub, put, lessonpub-copy, put-copy or growing")
	dir := flag.String("dir", "", "internal: work folder")
	endpoint := flag.String("endpoint", "", "internal: fake server URL")
	flag.Parse()
	switch *child {
	case "lessonpub":
		return childLessonpub(*dir, *endpoint, *chunk, http.DefaultClient)
	case "put":
		return childPut(*dir, *endpoint, http.DefaultClient)
	case "lessonpub-copy":
		return childLessonpub(*dir, *endpoint, *chunk, noSendfileClient())
	case "put-copy":
		return childPut(*dir, *endpoint, noSendfileClient())
	case "growing":
		return childGrowing(*dir, *endpoint, *chunk, *size, *rate)
	}

	n, err := parseSize(*size)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "lessonpub-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// A sparse file: the upload reads it like any file, the disk is not used.
	f, err := os.Create(filepath.Join(work, "lesson.mp4"))
	if err != nil {
		return err
	}
	if err := f.Truncate(n); err != nil {
		return err
	}
	f.Close()

	srv := youtubetest.NewServer(youtubetest.WithoutMediaContent(), youtubetest.WithTokenLifetime(24*time.Hour))
	defer srv.Close()
	if err := os.WriteFile(filepath.Join(work, "client_secret.json"), srv.ClientSecretsJSON(), 0o600); err != nil {
		return err
	}
	if err := youtube.SaveToken(filepath.Join(work, "token.json"), srv.IssueToken()); err != nil {
		return err
	}

	if *grow {
		return runGrowing(srv, work, *size, n, *rate, *chunk, *runs)
	}
	// Read the file once, so that no run pays for filling the page cache.
	if err := readAll(f.Name()); err != nil {
		return err
	}
	fmt.Printf("file %s (%d bytes), chunk %d MiB (0: one request), %d runs each\n", *size, n, *chunk>>20, *runs)
	results := map[string][]result{}
	kinds := []string{"put", "lessonpub", "put-copy", "lessonpub-copy"}
	for i := 0; i < *runs; i++ {
		for _, kind := range kinds {
			r, err := runChild(kind, work, srv.URL, *chunk, n)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", kind, i+1, err)
			}
			results[kind] = append(results[kind], r)
			fmt.Printf("  %-14s run %d: %7.1f MiB/s  peak RSS %5.1f MiB  CPU %.2f s\n", kind, i+1, r.mibps, r.rssMiB, r.cpuSec)
		}
	}
	if got, want := len(srv.Videos()), len(kinds)**runs; got != want {
		return fmt.Errorf("the server has %d videos, want %d", got, want)
	}
	for _, v := range srv.Videos() {
		if v.Size != n {
			return fmt.Errorf("video %s has %d bytes, want %d", v.ID, v.Size, n)
		}
	}
	for _, suffix := range []string{"", "-copy"} {
		put, lp := median(results["put"+suffix]), median(results["lessonpub"+suffix])
		how := "with sendfile"
		if suffix != "" {
			how = "without sendfile"
		}
		fmt.Printf("median %s: plain PUT %.1f MiB/s (RSS %.1f MiB, CPU %.2f s); lessonpub %.1f MiB/s (RSS %.1f MiB, CPU %.2f s): %.0f%% of PUT throughput\n",
			how, put.mibps, put.rssMiB, put.cpuSec, lp.mibps, lp.rssMiB, lp.cpuSec, 100*lp.mibps/put.mibps)
		ok := lp.mibps >= 0.9*put.mibps && lp.rssMiB < 64
		fmt.Printf("targets %s (within 10%% of PUT, peak RSS < 64 MiB): %v\n", how, map[bool]string{true: "met", false: "NOT met"}[ok])
	}
	return nil
}

type result struct{ mibps, rssMiB, cpuSec float64 }

func median(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int {
		switch {
		case a.mibps < b.mibps:
			return -1
		case a.mibps > b.mibps:
			return 1
		}
		return 0
	})
	m := s[len(s)/2]
	for _, r := range rs {
		m.rssMiB = max(m.rssMiB, r.rssMiB) // the worst peak, not the median
	}
	return m
}

func runChild(kind, dir, endpoint string, chunk, size int64) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(self, "-child", kind, "-dir", dir, "-endpoint", endpoint, "-chunk", strconv.FormatInt(chunk, 10))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%v: %s", err, out.String())
	}
	var secs float64
	var rssKiB int64
	if _, err := fmt.Sscan(out.String(), &secs, &rssKiB); err != nil {
		return result{}, fmt.Errorf("child said %q", out.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	return result{mibps: float64(size) / (1 << 20) / secs, rssMiB: float64(rssKiB) / 1024, cpuSec: cpu}, nil
}

// childLessonpub uploads with youtube.Client.Upload and prints the seconds.
func childLessonpub(dir, endpoint string, chunk int64, client *http.Client) error {
	cfg := youtube.Config{
		ClientSecretsFile: filepath.Join(dir, "client_secret.json"),
		TokenFile:         filepath.Join(dir, "token.json"),
		StateDir:          filepath.Join(dir, "state"),
		Endpoint:          endpoint + "/",
		HTTPClient:        client,
	}
	ctx := context.Background()
	c, err := youtube.New(ctx, cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	_, err = c.Upload(ctx, filepath.Join(dir, "lesson.mp4"), youtube.NewVideo(youtube.Metadata{Title: "bench"}), youtube.UploadOptions{ChunkSize: chunk})
	if err != nil {
		return err
	}
	fmt.Println(time.Since(start).Seconds(), peakRSS())
	return nil
}

// childPut starts an upload session and PUTs the whole file in one plain
// request, timed the same way.
func childPut(dir, endpoint string, client *http.Client) error {
	data, err := os.ReadFile(filepath.Join(dir, "token.json"))
	if err != nil {
		return err
	}
	var tok oauth2.Token
	if err := json.Unmarshal(data, &tok); err != nil {
		return err
	}
	start := time.Now()
	f, err := os.Open(filepath.Join(dir, "lesson.mp4"))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	meta := `{"snippet":{"title":"bench","categoryId":"27"},"status":{"privacyStatus":"private","selfDeclaredMadeForKids":false}}`
	req, _ := http.NewRequest("POST", endpoint+"/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status", strings.NewReader(meta))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Upload-Content-Length", strconv.FormatInt(fi.Size(), 10))
	req.Header.Set("X-Upload-Content-Type", "video/mp4")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("no session: HTTP %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("PUT", loc, f)
	req.ContentLength = fi.Size()
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 && resp.StatusCode != 201 {
		return fmt.Errorf("PUT: HTTP %d", resp.StatusCode)
	}
	fmt.Println(time.Since(start).Seconds(), peakRSS())
	return nil
}

// noSendfileClient is an HTTP client whose connections hide their
// ReadFrom, so the transport cannot hand a file to sendfile and copies it
// through user space instead, as it does over TLS.
func noSendfileClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	var d net.Dialer
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return struct{ net.Conn }{c}, nil
	}
	return &http.Client{Transport: t}
}

func readAll(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// peakRSS is the process's peak resident set in KiB (VmHWM, which starts
// afresh at exec, unlike getrusage's maxrss that counts the parent's pages
// at fork); getrusage when /proc is missing.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				if n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64); err == nil {
					return n
				}
			}
		}
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for suf, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if strings.HasSuffix(s, suf) {
			s, mult = strings.TrimSuffix(s, suf), m
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("bad -size: want e.g. 1GiB or 500MiB")
	}
	return n * mult, nil
}

// runGrowing runs -grow: each run a child writes and uploads n bytes.
func runGrowing(srv *youtubetest.Server, work, sizeFlag string, n, rate, chunk int64, runs int) error {
	fmt.Printf("growing file %s (%d bytes) written at %d MiB/s, chunk %d MiB (0: youtube.StreamChunk), %d runs\n", sizeFlag, n, rate>>20, chunk>>20, runs)
	worst := 0.0
	for i := 0; i < runs; i++ {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		cmd := exec.Command(self, "-child", "growing", "-dir", work, "-endpoint", srv.URL,
			"-chunk", strconv.FormatInt(chunk, 10), "-size", sizeFlag, "-rate", strconv.FormatInt(rate, 10))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("run %d: %v: %s", i+1, err, out.String())
		}
		var secs, heapMiB float64
		var rssKiB int64
		if _, err := fmt.Sscan(out.String(), &secs, &rssKiB, &heapMiB); err != nil {
			return fmt.Errorf("child said %q", out.String())
		}
		rss := float64(rssKiB) / 1024
		worst = max(worst, rss)
		fmt.Printf("  growing run %d: %5.1f s (%6.1f MiB/s)  peak RSS %5.1f MiB  peak Go heap %5.1f MiB\n", i+1, secs, float64(n)/(1<<20)/secs, rss, heapMiB)
	}
	vs := srv.Videos()
	if len(vs) != runs {
		return fmt.Errorf("the server has %d videos, want %d", len(vs), runs)
	}
	for _, v := range vs {
		if v.Size != n {
			return fmt.Errorf("video %s has %d bytes, want %d", v.ID, v.Size, n)
		}
	}
	fmt.Printf("target (peak RSS < 64 MiB while streaming): %v\n", map[bool]string{true: "met", false: "NOT met"}[worst < 64])
	return nil
}

// childGrowing appends n bytes to a new file at rate from a goroutine while
// youtube.Client.UploadGrowing sends it, and prints the seconds, the peak
// RSS in KiB and the peak Go heap in MiB.
func childGrowing(dir, endpoint string, chunk int64, sizeFlag string, rate int64) error {
	n, err := parseSize(sizeFlag)
	if err != nil {
		return err
	}
	cfg := youtube.Config{
		ClientSecretsFile: filepath.Join(dir, "client_secret.json"),
		TokenFile:         filepath.Join(dir, "token.json"),
		StateDir:          filepath.Join(dir, "state"),
		Endpoint:          endpoint + "/",
	}
	ctx := context.Background()
	c, err := youtube.New(ctx, cfg)
	if err != nil {
		return err
	}
	g, err := youtubetest.NewGrowingFile(filepath.Join(dir, "growing.mp4"))
	if err != nil {
		return err
	}
	defer os.Remove(g.Name())
	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	defer close(stop)
	go func() { // samples the Go heap
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peakHeap.Load() {
					peakHeap.Store(ms.HeapInuse)
				}
			}
		}
	}()
	start := time.Now()
	go func() { // the writer: 1 MiB pieces at rate, each a little different
		buf := make([]byte, 1<<20)
		var written int64
		for written < n {
			k := min(int64(len(buf)), n-written)
			binary.BigEndian.PutUint64(buf, uint64(written))
			if _, err := g.Write(buf[:k]); err != nil {
				g.Fail(err)
				return
			}
			written += k
			if ahead := time.Duration(float64(written)/float64(rate)*float64(time.Second)) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
		}
		g.Finish()
	}()
	_, err = c.UploadGrowing(ctx, g, youtube.NewVideo(youtube.Metadata{Title: "bench"}), youtube.UploadOptions{ChunkSize: chunk})
	if err != nil {
		return err
	}
	fmt.Println(time.Since(start).Seconds(), peakRSS(), float64(peakHeap.Load())/(1<<20))
	return nil
}
