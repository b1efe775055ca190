package render

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// captionedSignLesson is a 4-second lesson with an interpreter and
// captions in two languages.
func captionedSignLesson(t *testing.T) *lessons.Lesson {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lesson")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	l := newLesson(dir, blueLesson(t, dir, 4))
	l.Sign = greenScreenSign(t, dir, 3)
	l.Captions = []lessons.CaptionFile{
		{Path: writeFile(t, filepath.Join(dir, "lesson.az.srt"), srtAz), Language: "az", Format: "srt"},
		{Path: writeFile(t, filepath.Join(dir, "lesson.ru.vtt"), vttRu), Language: "ru", Format: "vtt"},
	}
	return l
}

// topBoxes lists the top-level MP4 boxes of a file, in order.
func topBoxes(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var boxes []string
	var off int64
	hdr := make([]byte, 16)
	for {
		if _, err := f.ReadAt(hdr[:8], off); err != nil {
			return boxes
		}
		size := int64(binary.BigEndian.Uint32(hdr[:4]))
		if size == 1 {
			f.ReadAt(hdr[8:16], off+8)
			size = int64(binary.BigEndian.Uint64(hdr[8:16]))
		}
		if size < 8 {
			t.Fatalf("%s: box %q at %d has size %d", path, hdr[4:8], off, size)
		}
		boxes = append(boxes, string(hdr[4:8]))
		off += size
	}
}

// decodeAll decodes every stream of path and returns ffmpeg's complaints.
func decodeAll(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", "file:"+path, "-map", "0", "-c:s", "copy", "-f", "null", "-").CombinedOutput()
	if err != nil {
		return err.Error() + ": " + string(out)
	}
	return string(out)
}

func TestFragmentedRenderKeepsWhatFaststartHas(t *testing.T) {
	ffmpegtest.Require(t)
	l := captionedSignLesson(t)
	outDir := filepath.Join(t.TempDir(), "out")
	render := func(name string, fragmented bool) *Result {
		t.Helper()
		p, err := NewPlan(context.Background(), l, Options{Output: filepath.Join(outDir, name), Preset: "superfast", Fragmented: fragmented})
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Run(context.Background(), nil)
		if err != nil {
			t.Fatalf("%v\nplan:\n%s", err, p)
		}
		return res
	}
	fast := render("faststart.mp4", false)
	frag := render("fragmented.mp4", true)

	boxes := topBoxes(t, frag.Output)
	if len(boxes) < 4 || boxes[0] != "ftyp" || boxes[1] != "moov" || boxes[2] != "moof" {
		t.Errorf("fragmented boxes start %q, want ftyp moov moof ...", boxes[:min(len(boxes), 4)])
	}
	if n := strings.Count(strings.Join(boxes, " "), "moof"); n < 4 {
		t.Errorf("%d fragments in a 4 s render with a keyframe each half second, want at least 4", n)
	}
	if got := topBoxes(t, fast.Output); strings.Contains(strings.Join(got, " "), "moof") {
		t.Errorf("the faststart render has fragments: %q", got)
	}
	if complaints := decodeAll(t, frag.Output); complaints != "" {
		t.Errorf("decoding the fragmented render: %s", complaints)
	}
	checkYouTubeStreams(t, frag.Output, frag.Media)
	type track struct{ Codec, Language string }
	tracks := func(m *ffmpeg.Media) (out []track) {
		for _, s := range m.Streams {
			out = append(out, track{s.Codec, s.Language})
		}
		return out
	}
	if got, want := tracks(frag.Media), tracks(fast.Media); !equalTracks(got, want) || len(want) != 4 {
		t.Errorf("fragmented tracks %v, faststart tracks %v: want the same four", got, want)
	}
	// Durations: the video to the frame; the file within 0.1 s (without an
	// edit list the AAC priming counts).
	if d := frag.Media.Video.Duration - fast.Media.Video.Duration; d < -40*time.Millisecond || d > 40*time.Millisecond {
		t.Errorf("video duration %v, faststart %v", frag.Media.Video.Duration, fast.Media.Video.Duration)
	}
	if d := frag.Media.Duration - 4*time.Second; d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("duration %v, want 4s ± 0.1s", frag.Media.Duration)
	}
	if a, b := grabFrame(t, frag.Output, 2*time.Second), grabFrame(t, fast.Output, 2*time.Second); a.colour(545, 236) != "red" || b.colour(545, 236) != "red" {
		t.Errorf("the signer at 2 s: %s fragmented, %s faststart; want red", a.colour(545, 236), b.colour(545, 236))
	}
}

func equalTracks[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFragmentedRenderIsReproducible(t *testing.T) {
	ffmpegtest.Require(t)
	l := captionedSignLesson(t)
	outDir := filepath.Join(t.TempDir(), "out")
	for _, threads := range []int{2, 3} {
		var sums [2][32]byte
		for i := range sums {
			p, err := NewPlan(context.Background(), l, Options{Output: filepath.Join(outDir, "x.mp4"), Preset: "superfast", Fragmented: true, Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Run(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(res.Output)
			if err != nil {
				t.Fatal(err)
			}
			sums[i] = sha256.Sum256(b)
		}
		if sums[0] != sums[1] {
			t.Errorf("two fragmented renders with %d threads differ", threads)
		}
	}
}

// TestJobGrowsByAppending follows a fragmented render while it runs: every
// prefix seen while it grew is a prefix of the finished file, so the file
// can be sent front to back as it is written.
func TestJobGrowsByAppending(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "lesson")
	os.MkdirAll(dir, 0o755)
	l := newLesson(dir, makeClip(t, filepath.Join(dir, "lesson.mp4"),
		"-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=8",
		"-f", "lavfi", "-i", "sine=f=440:d=8",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"))
	l.Sign = greenScreenSign(t, dir, 8)
	p, err := NewPlan(context.Background(), l, Options{Output: filepath.Join(t.TempDir(), "out.mp4"), Fragmented: true})
	if err != nil {
		t.Fatal(err)
	}
	j, err := p.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	type prefix struct {
		n   int64
		sum [32]byte
	}
	var seen []prefix
	for done := false; !done; {
		select {
		case <-j.Done():
			done = true
		case <-time.After(20 * time.Millisecond):
		}
		n, err := j.Size()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || (len(seen) > 0 && seen[len(seen)-1].n == n) {
			continue
		}
		b, err := readPrefix(j.Name(), n)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, prefix{n, sha256.Sum256(b)})
	}
	if err := j.Err(); err != nil {
		t.Fatal(err)
	}
	name := j.Name()
	res, err := j.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary file %s is still there", name)
	}
	final, err := os.ReadFile(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 3 {
		t.Fatalf("saw the file at %d sizes while it was written, want at least 3", len(seen))
	}
	for _, s := range seen {
		if s.n > int64(len(final)) || sha256.Sum256(final[:s.n]) != s.sum {
			t.Errorf("the first %d bytes seen during the render changed by its end (%d bytes)", s.n, len(final))
		}
	}
}

func readPrefix(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	_, err = io.ReadFull(f, b)
	return b, err
}

func TestJobStoppedLeavesNothing(t *testing.T) {
	ffmpegtest.Require(t)
	dir := filepath.Join(t.TempDir(), "lesson")
	os.MkdirAll(dir, 0o755)
	l := newLesson(dir, blueLesson(t, dir, 20))
	l.Sign = greenScreenSign(t, dir, 20)
	out := filepath.Join(t.TempDir(), "out.mp4")
	p, err := NewPlan(context.Background(), l, Options{Output: out, Fragmented: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	j, err := p.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// ffmpeg stops midway (here cancelled, as when it is killed).
	for n, _ := j.Size(); n < 64<<10; n, _ = j.Size() {
		select {
		case <-j.Done():
			t.Fatalf("the render ended before it could be stopped: %v", j.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	<-j.Done()
	if err := j.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", err)
	}
	if _, err := j.Finish(); err == nil {
		t.Error("Finish of a stopped render succeeded")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Errorf("left in the output folder: %v", entries)
	}
}
