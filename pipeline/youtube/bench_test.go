package youtube_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
	"github.com/lessonpub/lessonpub/pipeline/youtube/youtubetest"
)

// BenchmarkPublishOverlap publishes a 6-lesson course (each with a
// sign-language overlay, so each is a full encode) to the fake YouTube
// throttled to a home uplink (calibrated so that one upload takes as long
// as one render, about 20 Mbit/s on a quiet 2-core machine), and reports the run's wall time
// against the sum of its render times and upload times, measured in the
// same run. With renders running ahead of uploads, wall/(render+send)
// approaches 0.5 when the two are equal; without overlap it would be 1.
//
//	go test ./pipeline -run '^$' -bench PublishOverlap -benchtime 1x
//
// BENCH_TIMELINE=1 prints when each lesson finished rendering and uploading.
func BenchmarkPublishOverlap(b *testing.B) {
	ffmpegtest.Require(b)
	dir := b.TempDir()
	clip := filepath.Join(dir, "lesson.mp4")
	sign := filepath.Join(dir, "sign.mp4")
	for _, c := range [][]string{
		// Noisy picture: the render's output is large enough that its upload
		// at 20 Mbit/s takes about as long as its encode.
		{"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=6,noise=alls=30:allf=t", "-f", "lavfi", "-i", "sine=frequency=300:duration=6",
			"-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac", "-shortest", clip},
		{"-f", "lavfi", "-i", "color=c=green:size=180x320:rate=25:duration=6", "-c:v", "libx264", "-preset", "ultrafast", sign},
	} {
		if out, err := exec.Command("ffmpeg", append([]string{"-v", "error", "-nostdin", "-y"}, c...)...).CombinedOutput(); err != nil {
			b.Fatalf("ffmpeg: %v: %s", err, out)
		}
	}
	for i := 0; i < b.N; i++ {
		course := filepath.Join(b.TempDir(), "bench-course")
		os.MkdirAll(course, 0o755)
		os.WriteFile(filepath.Join(course, "course.yaml"), []byte("title: Bench course\n"), 0o644)
		for n := 1; n <= 6; n++ {
			l := filepath.Join(course, fmt.Sprintf("%02d-lesson-%d", n, n))
			os.MkdirAll(l, 0o755)
			for src, dst := range map[string]string{clip: "lesson.mp4", sign: "sign.mp4"} {
				data, _ := os.ReadFile(src)
				// A different last byte per lesson keeps every recording's hash apart.
				os.WriteFile(filepath.Join(l, dst), append(data, byte(n)), 0o644)
			}
			os.WriteFile(filepath.Join(l, "lesson.az.srt"), []byte(pipelinetest.SRTAZ), 0o644)
		}
		c, err := lessons.LoadCourse(course)
		if err != nil {
			b.Fatal(err)
		}
		// Calibrate the uplink so one upload takes as long as one render on
		// this machine now (about 20 Mbit/s on a quiet 2-core machine): the
		// overlap shows best, and honestly, when the two are comparable.
		renderer := pipeline.MediaRenderer{Preset: "ultrafast"}
		probe := filepath.Join(b.TempDir(), "probe.mp4")
		start := time.Now()
		if err := renderer.Render(context.Background(), c.Lessons[0], probe, nil); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(probe)
		if err != nil {
			b.Fatal(err)
		}
		rate := int64(float64(fi.Size()) / time.Since(start).Seconds())
		srv := youtubetest.NewServer(youtubetest.WithUploadRate(rate), youtubetest.WithoutMediaContent())
		state := b.TempDir()
		cfgDir := b.TempDir()
		cfg := youtube.Config{
			ClientSecretsFile: filepath.Join(cfgDir, "client_secret.json"),
			TokenFile:         filepath.Join(cfgDir, "token.json"),
			StateDir:          state,
			Endpoint:          srv.URL + "/",
			Limits:            youtube.DefaultLimits(),
		}
		os.WriteFile(cfg.ClientSecretsFile, srv.ClientSecretsJSON(), 0o600)
		youtube.SaveToken(cfg.TokenFile, srv.IssueToken())
		client, err := youtube.New(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		var uploadStart = map[string]time.Time{}
		t0 := time.Now()
		var uploadTime time.Duration
		p := pipeline.New(pipeline.Options{
			Target:   youtube.NewTarget(client, nil),
			Renderer: renderer,
			Captions: pipeline.CaptionGate{},
			StateDir: state,
			Jobs:     1,
			Events: func(e pipeline.Event) {
				if os.Getenv("BENCH_TIMELINE") != "" && e.Type != pipeline.EventRender && e.Type != pipeline.EventUpload {
					fmt.Fprintf(os.Stderr, "%6.2fs %s %s %s\n", time.Since(t0).Seconds(), e.Type, e.Lesson, e.Step)
				}
				switch {
				case e.Type == pipeline.EventUpload && uploadStart[e.Lesson].IsZero():
					uploadStart[e.Lesson] = time.Now()
				case e.Type == pipeline.EventStep && e.Step == "uploaded":
					uploadTime += time.Since(uploadStart[e.Lesson])
				}
			},
		})
		b.ResetTimer()
		sum, err := p.Publish(context.Background(), c, nil)
		b.StopTimer()
		srv.Close()
		if err != nil {
			b.Fatal(err)
		}
		if sum.Failed > 0 || len(srv.Videos()) != 6 {
			b.Fatalf("published %d videos, %d failures: %+v", len(srv.Videos()), sum.Failed, sum.Lessons)
		}
		b.ReportMetric(float64(rate)*8/1e6, "uplink-Mbit/s")
		b.ReportMetric(sum.WallSeconds, "wall-s")
		b.ReportMetric(sum.RenderSeconds, "render-s")
		b.ReportMetric(sum.SendSeconds, "send-s")
		b.ReportMetric(uploadTime.Seconds(), "upload-s")
		b.ReportMetric(sum.WallSeconds/(sum.RenderSeconds+sum.SendSeconds), "wall/(render+send)")
	}
}
