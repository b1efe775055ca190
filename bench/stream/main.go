// Command stream measures what uploading while rendering saves (issue 12):
// the wall time of `lessonpub publish` with --stream against the render
// alone plus the upload alone, measured side by side in one run, with the
// fake YouTube throttled so that the upload alone takes about as long as the
// render alone. Then the same for `lessonpub course publish` of the course.
// Run it through run.sh, which builds lessonpub and makes the course.
//
//	go run ./bench/stream -lessonpub BIN -course DIR [-lesson 01-lesson-1]
//
// Steps: (1) `lessonpub render` of the lesson, timed (R) and its size S;
// (2) the fake server throttled to S/R bytes a second; (3) the rendered
// file uploaded by youtube.Client.Upload, the code publish uses, timed (U);
// (4) `lessonpub publish LESSON` with -publish-flags (default --stream) on
// a fresh copy of the course, with fresh state, timed (W); target W ≤ 0.6 ×
// (R + U); (5) with -baseline the same with --stream=false, which should
// be about R + U; (6) `lessonpub course publish` of a fresh copy of the
// whole course (every lesson like the first), against N × (R + U).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lessonpub/lessonpub/pipeline/atomicfile"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/stream:", err)
		os.Exit(1)
	}
}

type bench struct {
	bin, course, lesson, work string
	flags                     []string
	rate                      int64
}

func run() error {
	b := &bench{}
	flag.StringVar(&b.bin, "lessonpub", "", "the lessonpub binary")
	flag.StringVar(&b.course, "course", "", "the course folder")
	flag.StringVar(&b.lesson, "lesson", "01-lesson-1", "the lesson published alone (a folder of the course)")
	publishFlags := flag.String("publish-flags", "--stream", "flags of the streamed publish runs")
	baseline := flag.Bool("baseline", false, "also time publish with --stream=false")
	skipCourse := flag.Bool("skip-course", false, "do not time course publish")
	flag.Parse()
	if b.bin == "" || b.course == "" {
		return errors.New("give -lessonpub and -course (run bench/stream/run.sh)")
	}
	b.flags = strings.Fields(*publishFlags)
	work, err := os.MkdirTemp("", "lessonpub-bench-stream-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	b.work = work

	// (1) The render alone.
	alone := filepath.Join(work, "alone.mp4")
	r, err := b.time("render alone", "render", filepath.Join(b.course, b.lesson), "-o", alone)
	if err != nil {
		return err
	}
	fi, err := os.Stat(alone)
	if err != nil {
		return err
	}
	// (2) Upload rate: the upload alone takes as long as the render alone.
	b.rate = int64(float64(fi.Size()) / r.Seconds())
	fmt.Printf("render alone      %7.1f s  (%d MiB; the fake YouTube takes %.1f Mbit/s)\n", r.Seconds(), fi.Size()>>20, float64(b.rate)*8/1e6)

	// (3) The upload alone.
	u, err := b.uploadAlone(alone)
	if err != nil {
		return err
	}
	fmt.Printf("upload alone      %7.1f s\n", u.Seconds())

	// (4) The streamed publish.
	w, err := b.publish("publish "+strings.Join(b.flags, " "), append([]string{"publish"}, b.flags...), true)
	if err != nil {
		return err
	}
	ratio := w.Seconds() / (r + u).Seconds()
	fmt.Printf("publish %-9s %7.1f s  = %.2f × (render + upload)  target ≤ 0.60: %s\n", strings.Join(b.flags, " "), w.Seconds(), ratio, met(ratio <= 0.6))

	// (5) Baseline.
	if *baseline {
		w0, err := b.publish("publish --stream=false", []string{"publish", "--stream=false"}, true)
		if err != nil {
			return err
		}
		fmt.Printf("publish --stream=false %4.1f s  = %.2f × (render + upload)\n", w0.Seconds(), w0.Seconds()/(r+u).Seconds())
	}

	// (6) The course.
	if !*skipCourse {
		n := 0
		entries, _ := os.ReadDir(b.course)
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(b.course, e.Name(), "lesson.mp4")); err == nil {
				n++
			}
		}
		wc, err := b.publish("course publish", append([]string{"course", "publish"}, b.flags...), false)
		if err != nil {
			return err
		}
		sum := time.Duration(n) * (r + u)
		ratio := wc.Seconds() / sum.Seconds()
		fmt.Printf("course publish of %d lessons %7.1f s  = %.2f × %d × (render + upload of one)\n", n, wc.Seconds(), ratio, n)
	}
	return nil
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// time runs lessonpub with args and returns its wall time.
func (b *bench) time(what string, args ...string) (time.Duration, error) {
	return b.timeEnv(what, nil, args...)
}

func (b *bench) timeEnv(what string, env []string, args ...string) (time.Duration, error) {
	fmt.Fprintf(os.Stderr, "%s: lessonpub %s…\n", what, strings.Join(args, " "))
	cmd := exec.Command(b.bin, args...)
	cmd.Env = append(os.Environ(), env...)
	log, err := os.Create(filepath.Join(b.work, strings.ReplaceAll(what, " ", "-")+".log"))
	if err != nil {
		return 0, err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	start := time.Now()
	if err := cmd.Run(); err != nil {
		data, _ := os.ReadFile(log.Name())
		return 0, fmt.Errorf("%s: %v\n%s", what, err, data)
	}
	return time.Since(start), nil
}

// server starts a throttled fake YouTube and returns the environment that
// points lessonpub at it, with its own state folder.
func (b *bench) server(name string) (*youtubetest.Server, []string, youtube.Config, error) {
	srv := youtubetest.NewServer(youtubetest.WithUploadRate(b.rate), youtubetest.WithoutMediaContent(), youtubetest.WithTokenLifetime(24*time.Hour))
	dir := filepath.Join(b.work, name)
	cfg := youtube.Config{
		ClientSecretsFile: filepath.Join(dir, "client_secret.json"),
		TokenFile:         filepath.Join(dir, "token.json"),
		StateDir:          filepath.Join(dir, "state"),
		Endpoint:          srv.URL + "/",
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		srv.Close()
		return nil, nil, cfg, err
	}
	if err := os.WriteFile(cfg.ClientSecretsFile, srv.ClientSecretsJSON(), 0o600); err != nil {
		srv.Close()
		return nil, nil, cfg, err
	}
	if err := youtube.SaveToken(cfg.TokenFile, srv.IssueToken()); err != nil {
		srv.Close()
		return nil, nil, cfg, err
	}
	env := []string{
		"LESSONPUB_YOUTUBE_ENDPOINT=" + cfg.Endpoint,
		"LESSONPUB_CLIENT_SECRETS=" + cfg.ClientSecretsFile,
		"LESSONPUB_TOKEN=" + cfg.TokenFile,
		"LESSONPUB_STATE_DIR=" + cfg.StateDir,
	}
	return srv, env, cfg, nil
}

// uploadAlone uploads file to a fresh throttled server as publish does.
func (b *bench) uploadAlone(file string) (time.Duration, error) {
	srv, _, cfg, err := b.server("upload-alone")
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	ctx := context.Background()
	c, err := youtube.New(ctx, cfg)
	if err != nil {
		return 0, err
	}
	fmt.Fprintln(os.Stderr, "upload alone…")
	start := time.Now()
	if _, err := c.Upload(ctx, file, youtube.NewVideo(youtube.Metadata{Title: "bench", Key: "bench/alone"}), youtube.UploadOptions{Key: "bench/alone"}); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// publish runs a publish command on a fresh copy of the course against a
// fresh throttled server; lesson says whether it publishes the lesson
// alone or the whole course.
func (b *bench) publish(what string, args []string, lesson bool) (time.Duration, error) {
	name := strings.NewReplacer(" ", "-", "=", "-").Replace(what)
	srv, env, _, err := b.server(name)
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	course := filepath.Join(b.work, name, filepath.Base(b.course))
	if err := copyTree(b.course, course); err != nil {
		return 0, err
	}
	target := course
	if lesson {
		target = filepath.Join(course, b.lesson)
	}
	d, err := b.timeEnv(what, env, append(args, target)...)
	if err != nil {
		return 0, err
	}
	if len(srv.Videos()) == 0 {
		return 0, fmt.Errorf("%s made no video", what)
	}
	return d, nil
}

// copyTree copies the folder src to dst (which must not exist), skipping
// what earlier runs left (out/, .lessonpub/).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() && (d.Name() == "out" || d.Name() == ".lessonpub") {
			return filepath.SkipDir
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		return atomicfile.Copy(context.Background(), path, to, 0o644, nil)
	})
}
