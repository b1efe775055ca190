package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lessonpub/lessonpub/captions"
	"github.com/lessonpub/lessonpub/captions/captionstest"
	"github.com/lessonpub/lessonpub/pipeline/check"
)

// BenchmarkCaptionsCheck runs `lessonpub captions check` over a generated
// course tree of 1,000 lessons with 3 caption files of 150 cues each (no
// recordings, so no ffprobe). The target is under 2 s per run on 2 cores.
// Besides wall time it reports the CPU time of the process per run
// (cpu-s/op), which says more on a busy machine.
func BenchmarkCaptionsCheck(b *testing.B) {
	root := b.TempDir()
	writeCourseTree(b, root, 10, 100)
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv}
	opts := &captionsCheckOptions{paths: []string{root}, format: checkFormatJSON, probe: check.ProbeRecording}
	cpu0 := cpuTime()
	for b.Loop() {
		if err := runCaptionsCheck(context.Background(), e, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// writeCourseTree writes courses × lessons lessons, each with az, en and ru
// captions of 150 cues.
func writeCourseTree(tb testing.TB, root string, courses, lessons int) {
	tb.Helper()
	files := map[string][]byte{}
	for _, lang := range []string{"az", "en", "ru"} {
		format := "srt"
		if lang == "en" {
			format = "vtt"
		}
		files["lesson."+lang+"."+format] = captionstest.Cues(format, 150, len(files))
	}
	for c := range courses {
		dir := filepath.Join(root, fmt.Sprintf("course-%02d", c))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		yaml := fmt.Sprintf("title: Course %d\nlanguage: az\ncaptions:\n  required: [az, en, ru]\n", c)
		if err := os.WriteFile(filepath.Join(dir, "course.yaml"), []byte(yaml), 0o644); err != nil {
			tb.Fatal(err)
		}
		for l := range lessons {
			ldir := filepath.Join(dir, fmt.Sprintf("%03d-lesson", l))
			if err := os.MkdirAll(ldir, 0o755); err != nil {
				tb.Fatal(err)
			}
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(ldir, name), data, 0o644); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, property string }{
		{"plain", "plain", "plain"},
		{"a: b, c", "a: b, c", "a%3A b%2C c"},
		{"50% done\nnext\r", "50%25 done%0Anext%0D", "50%25 done%0Anext%0D"},
	}
	for _, tt := range tests {
		if got := ghData(tt.in); got != tt.data {
			t.Errorf("ghData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := ghProperty(tt.in); got != tt.property {
			t.Errorf("ghProperty(%q) = %q, want %q", tt.in, got, tt.property)
		}
	}
}

func TestCheckReportCounts(t *testing.T) {
	r := &checkReport{
		Files: []fileReport{
			{Path: "b/lesson.az.srt", Problems: []problemReport{{Severity: captions.Error}, {Severity: captions.Warning}}},
			{Path: "a/course.yaml", Problems: []problemReport{{Severity: captions.Error}}},
		},
		Lessons: []lessonReport{{Path: "b", MissingLanguages: []string{"en", "ru"}}},
	}
	r.finish()
	if r.Errors != 4 || r.Warnings != 1 {
		t.Errorf("errors, warnings = %d, %d; want 4, 1", r.Errors, r.Warnings)
	}
	if r.Files[0].Path != "a/course.yaml" {
		t.Errorf("files not in path order: %v", r.Files)
	}
	if got, want := r.summary(), "checked 1 caption file in 1 lesson: 4 errors, 1 warning"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
}
