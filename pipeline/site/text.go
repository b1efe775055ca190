package site

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// selfNames overrides CLDR where its name is the country's rather than
// the language's as people write it in a menu.
var selfNames = map[string]string{
	"az":      "Azərbaycanca",
	"az-latn": "Azərbaycanca",
	"az-cyrl": "Азәрбајҹанҹа",
}

func displaySelf(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	n := display.Self.Name(t)
	if n == "" {
		return tag
	}
	r, size := utf8.DecodeRuneInString(n)
	return string(unicode.ToUpper(r)) + n[size:]
}

// sameBase reports whether two tags share their base language ("az" and
// "az-Latn-AZ").
func sameBase(a, b string) bool {
	ta, err1 := language.Parse(a)
	tb, err2 := language.Parse(b)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(a, b)
	}
	ba, _ := ta.Base()
	bb, _ := tb.Base()
	return ba == bb
}

// paragraphs splits plain text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clock formats a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// ui is the text of the pages' own controls in one language.
type ui struct {
	Lang                           string
	Skip, AllLessons, Lessons      string
	Duration, Languages            string
	Transcript, TranscriptLang     string
	Follow                         string
	Prev, Next                     string
	Sign, SignHide, SignShow       string
	SignMove, SignResize, SignKeys string
	Video                          string
	Problems                       string
}

var uis = map[string]ui{
	"en": {Lang: "en", Skip: "Skip to the content", AllLessons: "All lessons", Lessons: "Lessons",
		Duration: "Duration", Languages: "Captions", Transcript: "Transcript", TranscriptLang: "Transcript language", Follow: "Follow the video",
		Prev: "Previous lesson", Next: "Next lesson",
		Sign: "Sign language interpreter", SignHide: "Hide the interpreter", SignShow: "Show the interpreter",
		SignMove: "Move the interpreter", SignResize: "Resize the interpreter",
		SignKeys: "Drag it, or focus it and use the arrow keys.", Video: "Lesson video", Problems: "Problems"},
	"az": {Lang: "az", Skip: "Məzmuna keç", AllLessons: "Bütün dərslər", Lessons: "Dərslər",
		Duration: "Müddət", Languages: "Subtitrlər", Transcript: "Dərsin mətni", TranscriptLang: "Mətnin dili", Follow: "Videonu izlə",
		Prev: "Əvvəlki dərs", Next: "Növbəti dərs",
		Sign: "İşarə dili tərcüməçisi", SignHide: "Tərcüməçini gizlət", SignShow: "Tərcüməçini göstər",
		SignMove: "Tərcüməçini köçür", SignResize: "Tərcüməçinin ölçüsünü dəyiş",
		SignKeys: "Sürüşdürün və ya seçib ox düymələrindən istifadə edin.", Video: "Dərsin videosu", Problems: "Problemlər"},
	"ru": {Lang: "ru", Skip: "Перейти к содержанию", AllLessons: "Все уроки", Lessons: "Уроки",
		Duration: "Длительность", Languages: "Субтитры", Transcript: "Текст урока", TranscriptLang: "Язык текста", Follow: "Следовать за видео",
		Prev: "Предыдущий урок", Next: "Следующий урок",
		Sign: "Сурдопереводчик", SignHide: "Скрыть сурдопереводчика", SignShow: "Показать сурдопереводчика",
		SignMove: "Переместить окно сурдопереводчика", SignResize: "Изменить размер окна сурдопереводчика",
		SignKeys: "Перетащите его или выберите и используйте клавиши со стрелками.", Video: "Видео урока", Problems: "Проблемы"},
}

// uiFor returns the control texts in the course language, or in English
// (marked lang="en" in the pages) when lessonpub has no translation.
func uiFor(tag string) ui {
	if t, err := language.Parse(tag); err == nil {
		b, _ := t.Base()
		if u, ok := uis[b.String()]; ok {
			return u
		}
	}
	return uis["en"]
}
