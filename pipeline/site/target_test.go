package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/site"
)

// siteRun is a pipelinetest.Run publishing into a site target over Out.
func siteRun(t *testing.T, n int) *pipelinetest.Run {
	tr := pipelinetest.NewRun(t, n)
	tr.Target = func() pipeline.Target {
		st, err := site.NewTarget(tr.Out)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	return tr
}

// siteFiles maps each file of the site's pages (not its store) to its
// modification time.
func siteFiles(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".videos" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			m[rel] = fi.ModTime()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func changed(before, after map[string]time.Time) []string {
	var out []string
	for f, t := range after {
		if b, ok := before[f]; !ok || !b.Equal(t) {
			out = append(out, f)
		}
	}
	for f := range before {
		if _, ok := after[f]; !ok {
			out = append(out, f+" (removed)")
		}
	}
	sort.Strings(out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTargetPublishesTheSite(t *testing.T) {
	t.Parallel()
	tr := siteRun(t, 3)
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"01-lesson-1": pipeline.ResultPublished, "02-lesson-2": pipeline.ResultPublished, "03-lesson-3": pipeline.ResultPublished}
	if diff := cmp.Diff(want, pipelinetest.Results(sum)); diff != "" {
		t.Fatalf("first run (-want +got):\n%s", diff)
	}
	index := readFile(t, filepath.Join(tr.Out, "index.html"))
	last := -1
	for _, slug := range []string{"lesson-1", "lesson-2", "lesson-3"} {
		at := strings.Index(index, `href="`+slug+`/index.html"`)
		if at < last {
			t.Errorf("index: %s missing or out of order", slug)
		}
		last = at
		page := readFile(t, site.PagePath(tr.Out, slug))
		for _, lang := range []string{"az", "en"} {
			if !strings.Contains(page, "captions."+lang+".vtt") {
				t.Errorf("%s: no %s track in the page", slug, lang)
			}
		}
		vtt := readFile(t, filepath.Join(tr.Out, slug, "captions.az.vtt"))
		if !strings.HasPrefix(vtt, "WEBVTT") || !strings.Contains(vtt, "Salam, dərs başlayır.") || !strings.Contains(vtt, "00:00:00.000 --> 00:00:01.000") {
			t.Errorf("%s: captions.az.vtt is not the lesson's captions as WebVTT:\n%s", slug, vtt)
		}
		if _, err := os.Stat(filepath.Join(tr.Out, slug, "video.mp4")); err != nil {
			t.Errorf("%s: %v", slug, err)
		}
		if strings.Contains(page, pipeline.KeyPrefix) {
			t.Errorf("%s: the page shows the key line of the description", slug)
		}
	}
	rec, err := pipeline.LoadRecord(tr.Course)
	if err != nil {
		t.Fatal(err)
	}
	dest := rec.Destination(tr.Target().Name())
	if r := dest.Lessons["bead-jewellery/lesson-2"]; r == nil || r.URL != "file://"+filepath.ToSlash(site.PagePath(tr.Out, "lesson-2")) {
		t.Errorf("record of 02-lesson = %+v, want its page as URL", r)
	}

	// A rerun copies nothing and writes no page.
	before := siteFiles(t, tr.Out)
	renders := tr.Renderer.Count()
	time.Sleep(10 * time.Millisecond) // a rewrite would show in the times
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := changed(before, siteFiles(t, tr.Out)); len(got) > 0 || tr.Renderer.Count() != renders {
		t.Errorf("rerun changed %v and rendered %d time(s), want nothing", got, tr.Renderer.Count()-renders)
	}

	// A changed caption file rewrites that lesson's track and page only.
	if err := os.WriteFile(filepath.Join(tr.Course, "02-lesson-2", "lesson.en.srt"), []byte("1\n00:00:00,000 --> 00:00:00,800\nThe <b>new</b> line & more.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"lesson-2/captions.en.vtt", "lesson-2/index.html"}, changed(before, siteFiles(t, tr.Out))); diff != "" {
		t.Errorf("files changed by a new caption file (-want +got):\n%s", diff)
	}
	if vtt := readFile(t, filepath.Join(tr.Out, "lesson-2", "captions.en.vtt")); !strings.Contains(vtt, "The new line") {
		t.Errorf("captions.en.vtt after the change:\n%s", vtt)
	}
	if tr.Renderer.Count() != renders {
		t.Errorf("a caption change rendered again")
	}
}

func TestTargetReplacesAVideoInPlace(t *testing.T) {
	t.Parallel()
	tr := siteRun(t, 2)
	tr.Replace = true
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	// A new recording: the lesson is uploaded again and keeps its page.
	rec := filepath.Join(tr.Course, "01-lesson-1", "lesson.mp4")
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rec, append(b, 0), 0o644); err != nil { // trailing byte: still playable, another hash
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := pipelinetest.Results(sum)["01-lesson-1"]; got != pipeline.ResultReplaced {
		t.Fatalf("01-lesson: %s, want %s", got, pipeline.ResultReplaced)
	}
	index := readFile(t, filepath.Join(tr.Out, "index.html"))
	if n := strings.Count(index, `href="lesson-1/index.html"`); n != 1 {
		t.Errorf("index links 01-lesson %d times, want once", n)
	}
	page, err := os.Stat(filepath.Join(tr.Out, "lesson-1", "video.mp4"))
	if err != nil || page.Size() != int64(len(b)+1) {
		t.Errorf("01-lesson/video.mp4 is not the new render: %v", err)
	}
	stored, _ := filepath.Glob(filepath.Join(tr.Out, ".videos", "lesson-1-*"))
	if len(stored) != 1 {
		t.Errorf("store holds %v for 01-lesson, want the new video only (--replace)", stored)
	}
}

// killer is a site target whose process "dies" right after its n-th call
// that changes the site: the call is done, then the context is cancelled
// and the call reports it, as if the process had been killed there.
type killer struct {
	*site.Target
	n, calls int
	cancel   func()
}

func (k *killer) after(err error) error {
	k.calls++
	if err == nil && k.calls == k.n {
		k.cancel()
		return context.Canceled
	}
	return err
}

func (k *killer) Playlist(ctx context.Context, id string, p pipeline.PlaylistMeta, create bool) (*pipeline.Playlist, error) {
	pl, err := k.Target.Playlist(ctx, id, p, create)
	if !create {
		return pl, err
	}
	return pl, k.after(err)
}

func (k *killer) Upload(ctx context.Context, u pipeline.Upload) (string, error) {
	id, err := k.Target.Upload(ctx, u)
	return id, k.after(err)
}

func (k *killer) InsertItem(ctx context.Context, pl, video string, pos int) (string, error) {
	id, err := k.Target.InsertItem(ctx, pl, video, pos)
	return id, k.after(err)
}

func (k *killer) SetCaption(ctx context.Context, video string, c pipeline.Caption, track string) (string, error) {
	id, err := k.Target.SetCaption(ctx, video, c, track)
	return id, k.after(err)
}

// TestTargetKilledAtEachStep kills the run after each call that changes
// the site, reruns it, and counts what the site holds: every lesson once,
// in order, with its page and tracks, and no video uploaded twice.
func TestTargetKilledAtEachStep(t *testing.T) {
	t.Parallel()
	const lessons = 2
	// Per lesson: upload, insert, two caption tracks; and the playlist.
	for n := 1; n <= 1+4*lessons; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			tr := siteRun(t, lessons)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tr.Ctx = ctx
			tr.Target = func() pipeline.Target {
				st, err := site.NewTarget(tr.Out)
				if err != nil {
					t.Fatal(err)
				}
				return &killer{Target: st, n: n, cancel: cancel}
			}
			if _, err := tr.Publish(); err == nil {
				t.Fatalf("the run killed at call %d reported no error", n)
			}
			tr.Ctx = nil
			tr.Target = func() pipeline.Target {
				st, err := site.NewTarget(tr.Out)
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			sum, err := tr.Publish()
			if err != nil || sum.Failed > 0 {
				t.Fatalf("rerun: %v, %+v", err, sum)
			}
			index := readFile(t, filepath.Join(tr.Out, "index.html"))
			for i := 1; i <= lessons; i++ {
				slug := fmt.Sprintf("lesson-%d", i)
				if c := strings.Count(index, `href="`+slug+`/index.html"`); c != 1 {
					t.Errorf("index links %s %d times, want once", slug, c)
				}
				for _, f := range []string{"index.html", "video.mp4", "captions.az.vtt", "captions.en.vtt"} {
					if _, err := os.Stat(filepath.Join(tr.Out, slug, f)); err != nil {
						t.Error(err)
					}
				}
			}
			if stored, _ := filepath.Glob(filepath.Join(tr.Out, ".videos", "*")); len(stored) != lessons {
				t.Errorf("the store holds %d videos, want %d (one upload per lesson): %v", len(stored), lessons, stored)
			}
			st, err := site.NewTarget(tr.Out)
			if err != nil {
				t.Fatal(err)
			}
			c, err := st.Course()
			if err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, l := range c.Lessons {
				order = append(order, l.Slug)
			}
			if diff := cmp.Diff([]string{"lesson-1", "lesson-2"}, order); diff != "" {
				t.Errorf("lessons on the site (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTargetUpdatesInPlace: a thumbnail, a new title and a caption file
// taken away reach the lesson's page without a new upload.
func TestTargetUpdatesInPlace(t *testing.T) {
	t.Parallel()
	tr := siteRun(t, 2)
	if _, err := tr.Publish(); err != nil {
		t.Fatal(err)
	}
	renders := tr.Renderer.Count()
	l1 := filepath.Join(tr.Course, "01-lesson-1")
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{200, 30, 30, 255}}, image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"thumbnail.png": b.Bytes(),
		"lesson.yaml":   []byte("title: Alətlər & \"muncuqlar\"\n"),
	} {
		if err := os.WriteFile(filepath.Join(l1, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(l1, "lesson.en.srt")); err != nil {
		t.Fatal(err)
	}
	sum, err := tr.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if got := pipelinetest.Results(sum)["01-lesson-1"]; got != pipeline.ResultUpdated || tr.Renderer.Count() != renders {
		t.Fatalf("01-lesson: %s after %d more render(s), want %s and none", got, tr.Renderer.Count()-renders, pipeline.ResultUpdated)
	}
	if thumb := readFile(t, filepath.Join(tr.Out, "lesson-1", "thumb.png")); thumb != b.String() {
		t.Errorf("01-lesson/thumb.png is not the lesson's thumbnail")
	}
	if _, err := os.Stat(filepath.Join(tr.Out, "lesson-1", "thumb.jpg")); err == nil {
		t.Errorf("the frame taken before the thumbnail came is still there")
	}
	page := readFile(t, site.PagePath(tr.Out, "lesson-1"))
	if !strings.Contains(page, "Alətlər &amp; &#34;muncuqlar&#34;") {
		t.Errorf("the page does not show the new title, escaped")
	}
	if strings.Contains(page, "captions.en.vtt") {
		t.Errorf("the page still offers the English track whose file is gone")
	}
	if _, err := os.Stat(filepath.Join(tr.Out, "lesson-1", "captions.en.vtt")); err == nil {
		t.Errorf("captions.en.vtt is still in the lesson's folder")
	}
	index := readFile(t, filepath.Join(tr.Out, "index.html"))
	if !strings.Contains(index, `lesson-1/thumb.png`) || !strings.Contains(index, "Alətlər &amp; &#34;muncuqlar&#34;") {
		t.Errorf("the index shows neither the new thumbnail nor the new title")
	}
}
