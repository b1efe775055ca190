package site

// The site as a student meets it: Debian's chromium, headless, opens the
// pages of a generated course over http and from file://, and the tests
// check what a person would (the video plays with every caption language,
// the transcript seeks, the keyboard reaches the controls, axe-core finds
// no WCAG 2.1 A/AA violation, nothing is fetched from outside the site).
//
// One browser serves the whole test binary. Without chromium, ffmpeg or
// axe-core the tests skip on a laptop and fail in CI (CI=true).

import (
	"context"
	"flag"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

var updatePreview = flag.Bool("update-preview", false, "write the screenshot of a lesson page to docs/preview.png")

// browser is the chromedp context of the one browser the tests share,
// started by the first test that needs it; browserErr says why there is
// none.
var (
	browserOnce sync.Once
	browser     context.Context
	browserErr  error
	stopBrowser = func() {}
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	stopBrowser()
	if courseDir != "" {
		os.RemoveAll(courseDir)
	}
	os.Exit(code)
}

// chromiumPath finds Debian's chromium or another Chrome on the PATH.
func chromiumPath() string {
	if p := os.Getenv("LESSONPUB_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func startBrowser() (context.Context, func(), error) {
	path := chromiumPath()
	if path == "" {
		return nil, func() {}, fmt.Errorf("chromium is not installed (apt-get install chromium, or set LESSONPUB_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(1000, 800),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		acancel()
		return nil, func() {}, fmt.Errorf("starting %s: %w", path, err)
	}
	return ctx, func() { cancel(); acancel() }, nil
}

func requireBrowser(t *testing.T) {
	t.Helper()
	ffmpegtest.Require(t)
	browserOnce.Do(func() { browser, stopBrowser, browserErr = startBrowser() })
	if browserErr == nil {
		return
	}
	if ffmpegtest.InCI() {
		t.Fatalf("%v; CI must install chromium (see .ci/run)", browserErr)
	}
	t.Skip(browserErr)
}

// axeSource is axe-core's axe.min.js, installed by `make web-deps`.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("LESSONPUB_AXE")
	if path == "" {
		path = filepath.Join("..", "..", ".cache", "npm", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("axe-core is not installed (%v): run  make web-deps  or set LESSONPUB_AXE to axe.min.js", err)
		if ffmpegtest.InCI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(b)
}

// The generated course: made once per test binary.
var (
	courseOnce sync.Once
	courseDir  string
	course     *Course
	courseErr  error
)

const (
	hostileLesson = `Bead & "thread" <script>window.pwned=1</script> Muncuq ğışçöüə`
	hostileCue    = `&lt;script&gt;alert("ə")&lt;/script&gt; & <script>window.pwned=2</script>`
)

// testCourse renders three short lessons with lavfi, with az, ru and en
// captions (the last lesson az and en only), the second with a sign window,
// and writes the site.
func testCourse(t *testing.T) (*Course, string) {
	t.Helper()
	courseOnce.Do(func() {
		courseDir, courseErr = os.MkdirTemp("", "lessonpub-site-test-")
		if courseErr != nil {
			return
		}
		courseErr = makeCourse(courseDir)
	})
	if courseErr != nil {
		t.Fatal(courseErr)
	}
	return course, filepath.Join(courseDir, "site")
}

func makeCourse(dir string) error {
	clip := func(name string, secs float64, video string, audio bool) (string, error) {
		out := filepath.Join(dir, name)
		args := []string{"-v", "error", "-nostdin", "-y",
			"-f", "lavfi", "-i", fmt.Sprintf("%s:rate=25:duration=%g", video, secs)}
		if audio {
			args = append(args, "-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:duration=%g", secs), "-c:a", "aac", "-b:a", "64k")
		}
		args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-shortest", out)
		if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
			return "", fmt.Errorf("making %s: %v\n%s", name, err, b)
		}
		return out, nil
	}
	type spec struct {
		slug, title string
		secs        float64
		langs       []string
		sign        bool
	}
	texts := map[string][]string{
		"az": {"Salam! Bu gün muncuq düzəldirik.", "İpi iynəyə keçirin.", "Çox gözəl, əla iş!"},
		"ru": {"Здравствуйте! Сегодня делаем бусы.", "Проденьте нитку в иголку.", "Очень красиво!"},
		"en": {"Hello! Today we make beads.", "Thread the needle.", "Very nice, well done!"},
	}
	course = &Course{
		Title:       `Muncuq işi & "Beads": a short course`,
		Description: "Üç qısa dərs: <script>window.pwned=3</script> & ipliklər.\n\nİkinci abzas.",
		Language:    "az",
	}
	for i, s := range []spec{
		{"01-hello", hostileLesson, 3, []string{"az", "ru", "en"}, false},
		{"02-needle", "İynə və sap", 2.5, []string{"az", "ru", "en"}, true},
		{"03-end", "Son", 2, []string{"az", "en"}, false},
	} {
		video, err := clip(s.slug+".mp4", s.secs, "testsrc2=size=320x180", true)
		if err != nil {
			return err
		}
		l := Lesson{Slug: s.slug, Title: s.title, Description: "Dərs " + s.slug + ": <i>ipi</i> & \"iynə\".", Video: video}
		if s.sign {
			if l.SignVideo, err = clip(s.slug+"-sign.mp4", s.secs, "smptebars=size=120x160", false); err != nil {
				return err
			}
			l.SignOffset = 400 * time.Millisecond
		}
		step := time.Duration(s.secs * float64(time.Second) / 3)
		for _, lang := range s.langs {
			tr := Track{Language: lang}
			for k, text := range texts[lang] {
				if i == 0 && k == 0 && lang != "ru" {
					text = hostileCue
				}
				tr.Cues = append(tr.Cues, captions.Cue{Start: time.Duration(k)*step + 100*time.Millisecond, End: time.Duration(k+1) * step, Text: text})
			}
			l.Tracks = append(l.Tracks, tr)
		}
		course.Lessons = append(course.Lessons, l)
	}
	return Write(context.Background(), filepath.Join(dir, "site"), course)
}

func TestBrowser(t *testing.T) {
	requireBrowser(t)
	axe := axeSource(t)
	c, dir := testCourse(t)
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()

	shots := os.Getenv("LESSONPUB_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "lessonpub-site-screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots of the pages are in %s", shots)

	for _, mode := range []struct{ name, base string }{
		{"http", srv.URL + "/"},
		{"file", "file://" + filepath.ToSlash(dir) + "/"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Run("index", func(t *testing.T) {
				p := open(t, mode.base, "index.html", axe)
				p.dir = dir
				p.checkIndex(c)
				p.checkPhone(filepath.Join(shots, mode.name+"-index-phone.png"))
				p.screenshot(filepath.Join(shots, mode.name+"-index.png"))
			})
			for i := range c.Lessons {
				l := &c.Lessons[i]
				t.Run(l.Slug, func(t *testing.T) {
					p := open(t, mode.base, l.Slug+"/index.html", axe)
					p.dir = dir
					p.checkLesson(c, l)
					if l.SignVideo != "" {
						p.checkSign(l.SignOffset)
					}
					p.checkKeyboard(l)
					p.checkPhone(filepath.Join(shots, mode.name+"-"+l.Slug+"-phone.png"))
					p.showDefaultTrack()
					p.screenshot(filepath.Join(shots, mode.name+"-"+l.Slug+".png"))
					if *updatePreview && mode.name == "http" && l.SignVideo != "" {
						p.do(chromedp.EmulateViewport(900, 1240, chromedp.EmulateScale(0.7)))
						p.poll(`(b => b.offsetLeft + b.offsetWidth <= b.parentElement.clientWidth)(document.getElementById("sign"))`)
						p.screenshot(filepath.Join("..", "..", "docs", "preview.png"))
					}
				})
			}
		})
	}
}

// page is one tab showing one page of the site, with what it logged and
// fetched since it opened.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // the site's folder

	mu       sync.Mutex
	requests []string
	failed   []string
	console  []string
}

// open loads base+rel in a new tab, waits for it to load, then checks what
// every page must satisfy: no console error, no failed request, no request
// outside the site, no injected script run, no axe-core violation.
func open(t *testing.T, base, rel, axe string) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(cancelTimeout)
	p := &page{t: t, ctx: ctx, base: base}
	if err := chromedp.Listen(ctx, p.event); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.EmulateViewport(1000, 800), chromedp.Navigate(base+rel))
	if strings.HasPrefix(rel, "0") {
		p.poll(`document.getElementById("video").readyState >= 1`)
	}
	t.Cleanup(p.checkLog)

	if pwned := eval[bool](p, `window.pwned !== undefined`); pwned {
		t.Errorf("an injected <script> ran: window.pwned = %v", eval[any](p, `window.pwned`))
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []string
	}
	// axe-core reads the stylesheets again with XMLHttpRequest (for the
	// orientation rule), which Chromium refuses on file:// pages: the test's
	// request, not the site's, so there axe works from the applied styles.
	preload := strings.HasPrefix(base, "http")
	p.do(chromedp.Evaluate[chromedp.Void](axe))
	vs := eval[[]violation](p, `axe.run(document, {preload: `+fmt.Sprint(preload)+`, runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))`, chromedp.EvalAwaitPromise)
	for _, v := range vs {
		t.Errorf("axe-core: %s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	return p
}

func (p *page) event(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			p.failed = append(p.failed, fmt.Sprintf("%s %s %s", ev.RequestID, ev.Type, ev.ErrorText))
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" || ev.Type == "assert" {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			p.console = append(p.console, "console."+string(ev.Type)+": "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		p.console = append(p.console, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *log.EventEntryAdded:
		if ev.Entry.Level == "error" {
			p.console = append(p.console, fmt.Sprintf("%s error: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	}
}

// checkLog fails the test for console errors, failed requests and requests
// that leave the site.
func (p *page) checkLog() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.console {
		p.t.Errorf("console: %s", c)
	}
	for _, f := range p.failed {
		p.t.Errorf("failed request: %s", f)
	}
	for _, u := range p.requests {
		if !strings.HasPrefix(u, p.base) && !strings.HasPrefix(u, "data:") {
			p.t.Errorf("request outside the site: %s", u)
		}
	}
	if len(p.requests) == 0 {
		p.t.Errorf("no request was seen: the network events are not being recorded")
	}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) poll(cond string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		p.t.Fatalf("waiting for %s: %v", cond, err)
	}
}

func eval[T any](p *page, js string, opts ...chromedp.EvaluateOption) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (p *page) screenshot(path string) {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) checkIndex(c *Course) {
	t := p.t
	p.poll(`Array.from(document.images).every(i => i.complete)`)
	if broken := eval[[]string](p, `Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.src)`); len(broken) > 0 {
		t.Errorf("thumbnails that did not load: %v", broken)
	}
	if got := eval[string](p, `document.querySelector("h1").textContent`); got != c.Title {
		t.Errorf("h1 = %q, want the course title %q as text", got, c.Title)
	}
	type item struct{ Title, Href, Langs string }
	items := eval[[]item](p, `Array.from(document.querySelectorAll(".lesson")).map(li => ({
		title: li.querySelector("h3 a").textContent, href: li.querySelector("h3 a").getAttribute("href"),
		langs: Array.from(li.querySelectorAll("dd span[lang]")).map(s => s.lang).join(" ")}))`)
	if len(items) != len(c.Lessons) {
		t.Fatalf("the index lists %d lessons, want %d", len(items), len(c.Lessons))
	}
	for i, l := range c.Lessons {
		var langs []string
		for _, tr := range l.Tracks {
			langs = append(langs, tr.Language)
		}
		want := item{l.Title, l.Slug + "/index.html", strings.Join(langs, " ")}
		if items[i] != want {
			t.Errorf("lesson %d on the index = %+v, want %+v", i+1, items[i], want)
		}
	}
}

func (p *page) checkLesson(c *Course, l *Lesson) {
	t := p.t
	if got := eval[string](p, `document.querySelector("h1").textContent`); got != l.Title {
		t.Errorf("h1 = %q, want the lesson title %q as text", got, l.Title)
	}
	if got := eval[string](p, `document.documentElement.lang`); got != c.Language {
		t.Errorf("html lang = %q, want %q", got, c.Language)
	}

	// The video and its duration.
	m, err := ffmpeg.Probe(context.Background(), l.Video)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[float64](p, `document.getElementById("video").duration`); math.Abs(got-m.Duration.Seconds()) > 0.1 {
		t.Errorf("video duration = %.3f s, ffprobe says %.3f s", got, m.Duration.Seconds())
	}

	// One text track per language, each with the cues of its caption file.
	if n := eval[int](p, `document.getElementById("video").textTracks.length`); n != len(l.Tracks) {
		t.Fatalf("video.textTracks.length = %d, want %d", n, len(l.Tracks))
	}
	type cue struct {
		Lang, Label, Kind, Text string
		N                       int
		Start, End              float64
	}
	for i, tr := range l.Tracks {
		// What the browser shows is compared with the caption file the site
		// holds, read back with lessonpub's own parser.
		vtt, err := os.ReadFile(filepath.Join(p.dir, l.Slug, captionName(tr.Language)))
		if err != nil {
			t.Fatal(err)
		}
		file := captions.ParseVTT(vtt)
		if len(file.Problems) > 0 || len(file.Cues) != len(tr.Cues) {
			t.Fatalf("%s: %d cues, problems %v; want %d cues and no problem", captionName(tr.Language), len(file.Cues), file.Problems, len(tr.Cues))
		}
		first := file.Cues[0]
		p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById("video").textTracks[%d].mode = "showing"`, i)))
		// The cues arrive as the track file is parsed: wait for all of them
		// (a count taken at the first cue once came out one short).
		p.poll(fmt.Sprintf(`(t => t.cues && t.cues.length >= %d)(document.getElementById("video").textTracks[%d])`, len(file.Cues), i))
		got := eval[cue](p, fmt.Sprintf(`(t => ({lang: t.language, label: t.label, kind: t.kind, n: t.cues.length,
			text: t.cues[0].text, start: t.cues[0].startTime, end: t.cues[0].endTime}))(document.getElementById("video").textTracks[%d])`, i))
		want := cue{tr.Language, LanguageName(tr.Language), "captions", first.Text, len(file.Cues), first.Start.Seconds(), first.End.Seconds()}
		if math.Abs(got.Start-want.Start) < 0.001 && math.Abs(got.End-want.End) < 0.001 {
			got.Start, got.End = want.Start, want.End
		}
		if got != want {
			t.Errorf("text track %d:\n got %+v\nwant %+v", i, got, want)
		}
	}

	// The transcript: every cue of the shown language; a click seeks.
	lang := eval[string](p, `document.getElementById("transcript-lang").value`)
	if lang != c.Language {
		t.Errorf("the transcript starts in %q, want the course language %q", lang, c.Language)
	}
	for _, tr := range l.Tracks {
		p.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(s => { s.value = %q; s.dispatchEvent(new Event("change")) })(document.getElementById("transcript-lang"))`, tr.Language)))
		lines := eval[[]string](p, `Array.from(document.querySelectorAll(".cues:not([hidden]) .text")).map(e => e.textContent)`)
		if len(lines) != len(tr.Cues) {
			t.Errorf("the %s transcript has %d lines, want %d", tr.Language, len(lines), len(tr.Cues))
			continue
		}
		for k, q := range tr.Cues {
			if want := captions.StripTags(q.Text); lines[k] != want {
				t.Errorf("the %s transcript line %d = %q, want %q", tr.Language, k+1, lines[k], want)
			}
		}
		k := len(tr.Cues) - 1
		p.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cues-%s li:nth-child(%d) button`, tr.Language, k+1))))
		if got, want := eval[float64](p, `document.getElementById("video").currentTime`), tr.Cues[k].Start.Seconds(); math.Abs(got-want) > 0.05 {
			t.Errorf("after a click on the %s transcript line %d the video is at %.3f s, want %.3f s", tr.Language, k+1, got, want)
		}
		p.poll(fmt.Sprintf(`document.querySelector("#cues-%s li:nth-child(%d) button").getAttribute("aria-current") === "true"`, tr.Language, k+1))
	}
	if l.Title == hostileLesson {
		if got := eval[string](p, `document.querySelector("#cues-az .text").textContent`); !strings.Contains(got, `<script>alert("ə")</script>`) {
			t.Errorf("the transcript shows %q, want the escaped <script> as text", got)
		}
	}
}

// checkSign checks the interpreter window follows the lesson, and can be
// hidden and moved from the keyboard.
func (p *page) checkSign(offset time.Duration) {
	t := p.t
	off := fmt.Sprintf("%.3f", offset.Seconds())
	p.poll(`document.getElementById("sign-video").readyState >= 1`)
	drift := eval[float64](p, `new Promise(done => {
		const v = document.getElementById("video"), s = document.getElementById("sign-video");
		v.pause();
		v.addEventListener("seeked", () => {
			const settle = () => done(Math.abs(s.currentTime - (v.currentTime - `+off+`)));
			s.seeking ? s.addEventListener("seeked", settle, {once: true}) : settle();
		}, {once: true});
		v.currentTime = 1.7;
	})`, chromedp.EvalAwaitPromise)
	if drift > 0.2 {
		t.Errorf("after seeking, the sign video is %.3f s away from the lesson", drift)
	}
	drift = eval[float64](p, `new Promise(done => {
		const v = document.getElementById("video"), s = document.getElementById("sign-video");
		v.currentTime = 0.1;
		v.play().then(() => setTimeout(() => {
			v.pause();
			setTimeout(() => done(Math.abs(s.currentTime - (v.currentTime - `+off+`))), 300);
		}, 600));
	})`, chromedp.EvalAwaitPromise)
	if drift > 0.2 {
		t.Errorf("after playing, the sign video is %.3f s away from the lesson", drift)
	}

	p.do(chromedp.Click(chromedp.CSS("#sign-toggle")))
	if hidden := eval[bool](p, `document.getElementById("sign").hidden && document.getElementById("sign-toggle").getAttribute("aria-pressed") === "false"`); !hidden {
		t.Errorf("the hide button did not hide the interpreter")
	}
	p.do(chromedp.Click(chromedp.CSS("#sign-toggle")))
	if hidden := eval[bool](p, `document.getElementById("sign").hidden`); hidden {
		t.Errorf("the show button did not show the interpreter again")
	}
	before := eval[float64](p, `document.getElementById("sign").offsetLeft`)
	p.do(chromedp.Focus(chromedp.CSS("#sign-move")), chromedp.KeyEvent(kb.ArrowLeft))
	if after := eval[float64](p, `document.getElementById("sign").offsetLeft`); after >= before {
		t.Errorf("ArrowLeft on the move button left the interpreter at x=%v (was %v)", after, before)
	}
	w := eval[float64](p, `document.getElementById("sign").offsetWidth`)
	p.do(chromedp.Focus(chromedp.CSS("#sign-resize")), chromedp.KeyEvent(kb.ArrowUp)) // smaller
	if after := eval[float64](p, `document.getElementById("sign").offsetWidth`); after >= w {
		t.Errorf("ArrowUp on the resize button left the interpreter %v px wide (was %v)", after, w)
	}
}

// checkPhone shows the page on a phone-sized screen: the text is large
// enough to read and nothing is wider than the screen. It saves a
// screenshot in shot and puts the viewport back afterwards.
func (p *page) checkPhone(shot string) {
	t := p.t
	p.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))
	type metrics struct {
		Font        float64
		ScrollWidth int
		Width       int
		Sign        bool
	}
	// two frames: the page's resize observers run before the first
	m := eval[metrics](p, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))).then(() => {
		const b = document.getElementById("sign"), pl = document.getElementById("player");
		return {font: parseFloat(getComputedStyle(document.body).fontSize),
			scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
			sign: !b || ((r, p) => r.left >= p.left && r.right <= p.right && r.top >= p.top && r.bottom <= p.bottom + 1)(
				b.getBoundingClientRect(), pl.getBoundingClientRect()) && b.offsetWidth >= 0.5 * pl.clientWidth};
	})`, chromedp.EvalAwaitPromise)
	if m.Font < 18 {
		t.Errorf("on a phone the text is %.1f px, want at least 18 px", m.Font)
	}
	if m.ScrollWidth > m.Width {
		wide := eval[[]string](p, `Array.from(document.querySelectorAll("body *"))
			.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
			.map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("on a phone the page is %d px wide in a %d px screen: readers must scroll sideways; too wide: %v", m.ScrollWidth, m.Width, wide)
	}
	if !m.Sign {
		t.Errorf("on a phone the interpreter window leaves the player or is less than half its width")
	}
	p.screenshot(shot)
	p.do(chromedp.EmulateViewport(1000, 800))
}

// showDefaultTrack leaves only the course language's captions on screen,
// as a viewer first sees the page, for the screenshot.
func (p *page) showDefaultTrack() {
	p.do(chromedp.Evaluate[chromedp.Void](`(v => {
		v.pause(); v.currentTime = 0.5;
		for (const t of v.textTracks) t.mode = t.language === document.documentElement.lang ? "showing" : "hidden";
		const b = document.getElementById("sign");
		if (b) b.removeAttribute("style");
		const s = document.getElementById("transcript-lang");
		s.value = document.documentElement.lang;
		s.dispatchEvent(new Event("change"));
	})(document.getElementById("video"))`))
	p.poll(`!document.getElementById("video").seeking`)
}

// checkKeyboard presses Tab from the top of the page and checks that focus
// reaches the player and the transcript language.
func (p *page) checkKeyboard(l *Lesson) {
	t := p.t
	p.do(chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
	want := map[string]bool{"video": false, "transcript-lang": false, "transcript-follow": false}
	if l.SignVideo != "" {
		want["sign-toggle"] = false
	}
	var seen []string
	for range 40 {
		p.do(chromedp.KeyEvent(kb.Tab))
		id := eval[string](p, `document.activeElement.id || document.activeElement.tagName`)
		seen = append(seen, id)
		if _, ok := want[id]; ok {
			want[id] = true
			if id != "video" { // the browser draws the focus inside the video's own controls
				if style := eval[string](p, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
					t.Errorf("#%s has the focus but no visible outline", id)
				}
			}
		}
	}
	for id, ok := range want {
		if !ok {
			t.Errorf("Tab never reached #%s; focus went through %v", id, seen)
		}
	}

	// The transcript from the keyboard: Tab past the "follow" box to its
	// list, Home, Down to the second line, Enter seeks there.
	if len(l.Tracks) == 0 {
		return
	}
	lang := eval[string](p, `document.getElementById("transcript-lang").value`)
	var cues []captions.Cue
	for _, tr := range l.Tracks {
		if tr.Language == lang {
			cues = tr.Cues
		}
	}
	if len(cues) < 2 {
		t.Fatalf("the transcript shows %q, which the lesson has no two cues in", lang)
	}
	p.do(chromedp.Focus(chromedp.CSS("#transcript-follow")), chromedp.KeyEvent(kb.Tab))
	if got := eval[string](p, `document.activeElement.closest(".cues") ? document.activeElement.dataset.start : ""`); got == "" {
		t.Fatalf("Tab after the transcript's controls does not reach its lines")
	}
	p.do(chromedp.KeyEvent(kb.Home), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	cue := cues[1]
	if got := eval[float64](p, `document.getElementById("video").currentTime`); math.Abs(got-cue.Start.Seconds()) > 0.05 {
		t.Errorf("Down and Enter in the transcript left the video at %.3f s, want the second cue at %.3f s", got, cue.Start.Seconds())
	}
}
