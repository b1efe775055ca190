package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/lessonpub/lessonpub/lessons"
	"github.com/lessonpub/lessonpub/pipeline"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/folder"
	"github.com/lessonpub/lessonpub/pipeline/pipelinetest"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

// localeCourse writes a course of three lessons, the last without a
// recording, and loads it. The recordings are not videos: nothing here
// renders or probes them.
func localeCourse(t *testing.T) *lessons.Course {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "course")
	files := map[string]string{
		"course.yaml":             "title: Bead jewellery\nlanguage: az\n",
		"01-tools/lesson.mp4":     "not a video 1",
		"01-tools/lesson.az.srt":  pipelinetest.SRTAZ,
		"02-knots/lesson.mp4":     "not a video 2",
		"02-knots/lesson.az.srt":  pipelinetest.SRTAZ,
		"03-finish/lesson.az.srt": pipelinetest.SRTAZ,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := lessons.LoadCourse(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func noProbe(context.Context, string) (*ffmpeg.Media, error) {
	return nil, os.ErrNotExist
}

// TestPlanInEveryLanguage: the dry-run plan of the publishing core reads
// in the person's language, English word for word as String() wrote it,
// while its JSON (--dry-run --json) stays English whatever the language.
func TestPlanInEveryLanguage(t *testing.T) {
	c := localeCourse(t)
	state := t.TempDir()
	now := func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	target := youtube.NewTarget(nil, youtube.OpenQuota(state, youtube.Limits{Units: 1000, Uploads: 1}, now))
	p := pipeline.New(pipeline.Options{Target: target, Renderer: &pipelinetest.Renderer{},
		Captions: pipeline.CaptionGate{Probe: noProbe}, StateDir: state, Now: now})
	plan, err := p.Plan(context.Background(), c, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	jsonBefore, err := json.Marshal(pipeline.Event{Type: pipeline.EventPlan, Plan: plan})
	if err != nil {
		t.Fatal(err)
	}

	if got, want := plan.Format(newPrinter(language.English).Sprintf), plan.String(); got != want {
		t.Errorf("in English, Format differs from String:\n%s\nwant\n%s", got, want)
	}
	for _, tc := range []struct {
		lang  language.Tag
		words []string
	}{
		{language.English, []string{
			"Plan for Bead jewellery → youtube\n", "  create the course's playlist\n",
			"  01-tools: new (", " units, 1 upload(s))\n", "      - render and upload the video\n", "      - add the az captions\n",
			"  03-finish: cannot be published: ", "03-finish: no recording; put the lesson's video",
			"Cost: ", "1 of 2 lesson(s) fit today; the rest needs about 1 more day(s)",
		}},
		{language.Azerbaijani, []string{
			"Plan: Bead jewellery → youtube\n", "  kursun pleylistini yaratmaq\n",
			"  01-tools: yeni dərs (", " vahid, 1 yükləmə)\n", "      - videonu hazırlamaq və yükləmək\n", "      - az dilində subtitrləri əlavə etmək\n",
			"  03-finish: dərc etmək olmur: ", "03-finish: video yazısı yoxdur; dərsin videosunu",
			"Xərc: ", "Bu gün 1/2 dərs kvotaya sığır; qalanı üçün təxminən daha 1 gün lazımdır",
		}},
		{language.Russian, []string{
			"План: Bead jewellery → youtube\n", "  создать плейлист курса\n",
			"  01-tools: новый урок (", " единица, 1 загрузка)\n", "      - собрать и загрузить видео\n", "      - добавить субтитры на языке az\n",
			"  03-finish: нельзя опубликовать: ", "03-finish: нет видеозаписи; положите видео урока",
			"Стоимость: ", "Сегодня в квоту умещается уроков: 1 из 2; для остальных нужно ещё примерно дней: 1",
		}},
	} {
		out := plan.Format(newPrinter(tc.lang).Sprintf)
		for _, w := range tc.words {
			if !strings.Contains(out, w) {
				t.Errorf("%v: the plan does not say %q:\n%s", tc.lang, w, out)
			}
		}
	}

	jsonAfter, err := json.Marshal(pipeline.Event{Type: pipeline.EventPlan, Plan: plan})
	if err != nil {
		t.Fatal(err)
	}
	if string(jsonBefore) != string(jsonAfter) {
		t.Errorf("formatting the plan changed its JSON:\n%s\n%s", jsonBefore, jsonAfter)
	}
	for _, w := range []string{`"render and upload the video"`, `no recording; put the lesson's video`, `"action":"new"`} {
		if !strings.Contains(string(jsonAfter), w) {
			t.Errorf("the plan's JSON does not say %s in English: %s", w, jsonAfter)
		}
	}
}

// TestPublishEventsInEveryLanguage: the events and the summary of a run say
// their messages and a lesson's failure in the person's language through
// Text and Err, while the JSON of every event (--json) is the same English
// whatever the language.
func TestPublishEventsInEveryLanguage(t *testing.T) {
	c := localeCourse(t)
	target, err := folder.New(filepath.Join(t.TempDir(), "published"))
	if err != nil {
		t.Fatal(err)
	}
	var events []pipeline.Event
	p := pipeline.New(pipeline.Options{Target: target, Renderer: &pipelinetest.Renderer{},
		Captions: pipeline.CaptionGate{Probe: noProbe}, StateDir: t.TempDir(),
		Events: func(e pipeline.Event) { events = append(events, e) }})
	sum, err := p.Publish(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	var failed pipeline.LessonResult
	for _, l := range sum.Lessons {
		if l.Result == pipeline.ResultFailed {
			failed = l
		}
	}
	if failed.Err == nil || failed.Error != failed.Err.Error() || !strings.HasPrefix(failed.Error, "03-finish: ") {
		t.Fatalf("the failed lesson's result: Error %q, Err %v; want the same English in both", failed.Error, failed.Err)
	}
	for lang, want := range map[language.Tag]string{
		language.English:     "03-finish: " + filepath.Join(c.Dir, "03-finish") + ": no recording; put the lesson's video (such as lesson.mp4) into the folder",
		language.Azerbaijani: "03-finish: " + filepath.Join(c.Dir, "03-finish") + ": video yazısı yoxdur; dərsin videosunu (məsələn, lesson.mp4) qovluğa qoyun",
		language.Russian:     "03-finish: " + filepath.Join(c.Dir, "03-finish") + ": нет видеозаписи; положите видео урока (например, lesson.mp4) в папку",
	} {
		if got := newPrinter(lang).errorText(failed.Err); got != want {
			t.Errorf("%v: the failure reads\n%q, want\n%q", lang, got, want)
		}
	}

	said := map[language.Tag][]string{}
	var jsonLines []string
	for _, ev := range events {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		jsonLines = append(jsonLines, string(b))
		if ev.Text == nil {
			if ev.Type == pipeline.EventStep || ev.Type == pipeline.EventWarning {
				t.Errorf("a %s event with no Text to translate: %+v", ev.Type, ev)
			}
			continue
		}
		if ev.Message != ev.Text.String() {
			t.Errorf("Message %q is not the English of Text %q", ev.Message, ev.Text)
		}
		for _, lang := range []language.Tag{language.Azerbaijani, language.Russian} {
			said[lang] = append(said[lang], newPrinter(lang).text(ev.Text))
		}
	}
	all := strings.Join(jsonLines, "\n")
	for _, w := range []string{`"message":"playlist \"Bead jewellery\" ready"`, `"message":"az captions sent"`, `"error":"03-finish: `, `no recording`} {
		if !strings.Contains(all, w) {
			t.Errorf("the events' JSON does not say %s:\n%s", w, all)
		}
	}
	for lang, want := range map[language.Tag][]string{
		language.Azerbaijani: {`"Bead jewellery" pleylisti hazırdır`, "az dilində subtitrlər göndərildi", "pleylistdə 1 nömrəli yerə qoyuldu"},
		language.Russian:     {`плейлист "Bead jewellery" готов`, "субтитры на языке az отправлены", "поставлено на позицию 1 в плейлисте"},
	} {
		got := strings.Join(said[lang], "\n")
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%v: the events do not say %q:\n%s", lang, w, got)
			}
		}
	}
}
