package main

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"

	cldr "golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/lessonpub/lessonpub/captions"
)

// The languages lessonpub speaks to people. What programs read (--json,
// --format json|junit|github, rule ids, exit codes) stays English.
var languages = []language.Tag{language.English, language.Azerbaijani, language.Russian}

var languageMatcher = language.NewMatcher(languages)

// chooseLanguage returns the language of LESSONPUB_LANG, else of the locale
// (LC_ALL, LC_MESSAGES, LANG: the first one set decides, as in POSIX), else
// the first of the system's languages lessonpub speaks (Windows sets no
// LANG), else English. A locale lessonpub does not speak gives English.
func chooseLanguage(getenv func(string) string, system []string) language.Tag {
	if tag, ok := matchLanguage(getenv("LESSONPUB_LANG")); ok {
		return tag
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			tag, _ := matchLanguage(v)
			return tag
		}
	}
	for _, l := range system {
		if tag, ok := matchLanguage(l); ok {
			return tag
		}
	}
	return language.English
}

// matchLanguage reads a language tag (az, ru-RU) or a locale name
// (az_AZ.UTF-8, ru_RU.KOI8-R@euro, C, POSIX) and returns the language
// lessonpub speaks that fits it; ok is false when s names none.
func matchLanguage(s string) (tag language.Tag, ok bool) {
	s, _, _ = strings.Cut(s, ".")
	s, _, _ = strings.Cut(s, "@")
	if s == "" || s == "C" || s == "POSIX" {
		return language.English, false
	}
	t, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return language.English, false
	}
	_, i, conf := languageMatcher.Match(t)
	if conf == language.No {
		return language.English, false
	}
	return languages[i], true
}

// locales holds the translations: locales/LANG.json and locales/LANG.*.json
// (one file per part of lessonpub, so that a change to one part touches
// its own file) map each English format string (the key) to its
// translation, or, for a message that counts (its first argument a number),
// to an object of CLDR plural forms: {"one": …, "few": …, "many": …,
// "other": …}.
//
//go:embed locales/*.json
var locales embed.FS

// translations is what the locale files hold, by language.
type translations map[language.Tag]map[string]json.RawMessage

var loadTranslations = sync.OnceValues(func() (translations, error) {
	out := translations{}
	entries, err := locales.ReadDir("locales")
	if err != nil {
		return nil, err
	}
	for _, tag := range languages[1:] {
		m := map[string]json.RawMessage{}
		from := map[string]string{}
		for _, ent := range entries {
			base := ent.Name()
			if lang, _, _ := strings.Cut(base, "."); lang != tag.String() || path.Ext(base) != ".json" {
				continue
			}
			name := path.Join("locales", base)
			b, err := locales.ReadFile(name)
			if err != nil {
				return nil, err
			}
			part := map[string]json.RawMessage{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for k, v := range part {
				if other, ok := from[k]; ok {
					return nil, fmt.Errorf("%s: %q is translated in %s too: keep one", name, k, other)
				}
				m[k], from[k] = v, name
			}
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("locales/%s.json: no translations", tag)
		}
		out[tag] = m
	}
	return out, nil
})

// pluralForms is a translation that depends on its first argument's number.
type pluralForms map[string]string

// the CLDR plural categories, in the order plural.Selectf tries them
var pluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// translation reads one value of a locale file: a string or plural forms.
func translation(raw json.RawMessage) (text string, forms pluralForms, err error) {
	if err := json.Unmarshal(raw, &text); err == nil {
		return text, nil, nil
	}
	if err := json.Unmarshal(raw, &forms); err != nil {
		return "", nil, errors.New("a translation must be a string or an object of plural forms")
	}
	if forms["other"] == "" {
		return "", nil, errors.New(`plural forms need at least "other"`)
	}
	return "", forms, nil
}

// catalogs is the x/text catalog built from the locale files, and the keys
// whose translations count (their first argument must stay a number).
type catalogs struct {
	cat      *catalog.Builder
	counting map[string]bool
}

var loadCatalog = sync.OnceValues(func() (*catalogs, error) {
	all, err := loadTranslations()
	if err != nil {
		return nil, err
	}
	c := &catalogs{cat: catalog.NewBuilder(catalog.Fallback(language.English)), counting: map[string]bool{}}
	for tag, m := range all {
		for key, raw := range m {
			text, forms, err := translation(raw)
			if err != nil {
				return nil, fmt.Errorf("locales/%s.json: %q: %w", tag, key, err)
			}
			var msg catalog.Message = catalog.String(wrapVerbs(text))
			if forms != nil {
				var cases []any
				for _, cat := range pluralCategories {
					if f, ok := forms[cat]; ok {
						cases = append(cases, cat, wrapVerbs(f))
					}
				}
				msg = cldr.Selectf(1, "%d", cases...)
				c.counting[key] = true
			}
			// Errorf formats with %v what its key says with %w.
			for _, k := range []string{key, strings.ReplaceAll(key, "%w", "%v")} {
				if err := c.cat.Set(tag, k, msg); err != nil {
					return nil, fmt.Errorf("locales/%s.json: %q: %w", tag, key, err)
				}
			}
		}
	}
	return c, nil
})

// wrapVerbs turns the %w of a translation (%w, %[2]w) into %v: x/text
// formats no %w, and Errorf and captions.Errorf translate what they wrap
// with %v.
func wrapVerbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("+-# 0123456789.[]", s[j]) >= 0 {
			j++
		}
		if j < len(s) && s[j] == 'w' {
			b.WriteString(s[i:j])
			b.WriteByte('v')
		} else if j < len(s) {
			b.WriteString(s[i : j+1])
		} else {
			b.WriteString(s[i:])
		}
		i = j
	}
	return b.String()
}

// printer formats messages for a person in one language. Every message
// shown to a person goes through it; the English format string is the key
// of its translation. A nil *printer prints English.
type printer struct {
	lang     language.Tag
	p        *message.Printer // nil for English
	counting map[string]bool
}

func newPrinter(lang language.Tag) *printer {
	pr := &printer{lang: lang}
	if lang == language.English {
		return pr
	}
	c, err := loadCatalog()
	if err != nil {
		panic(err) // the locale files are built in: TestLocales keeps them readable
	}
	pr.p = message.NewPrinter(lang, message.Catalog(c.cat))
	pr.counting = c.counting
	return pr
}

// translatable is a message kept as its English format and arguments
// (captions.Text, lessons.Text, msg), for a printer to translate.
type translatable interface {
	Parts() (format string, args []any)
}

// Sprintf formats the translation of format with args. An argument that is
// a translatable is translated first.
func (pr *printer) Sprintf(format string, args ...any) string {
	if pr == nil || pr.p == nil {
		return fmt.Sprintf(format, args...) // a translatable argument prints its English
	}
	local := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case translatable:
			f, as := a.Parts()
			local[i] = pr.Sprintf(f, as...)
		case error:
			local[i] = pr.errorText(a)
		case captions.Time:
			// 02.01.2006: the order both Azerbaijani and Russian write
			local[i] = a.Local().Format("02.01.2006 15:04 MST")
		case int, int64, int32, uint, uint64:
			// a line number reads 1234, not 1 234
			if i == 0 && pr.counting[format] {
				local[i] = a
			} else {
				local[i] = plainNumber{a}
			}
		default:
			local[i] = a
		}
	}
	return pr.p.Sprintf(format, local...)
}

// errorText is err's message in the printer's language. An error made by
// captions.Errorf (or any translatable) is translated with its arguments;
// an error that only wraps others with no words of its own (fmt.Errorf("%s:
// %w", path, err)) keeps its own text and has the errors it wraps
// translated inside it; anything else (the system's own messages) stays as
// it is.
func (pr *printer) errorText(err error) string {
	if pr == nil || pr.p == nil {
		return err.Error()
	}
	switch e := err.(type) {
	case translatable:
		f, as := e.Parts()
		return pr.Sprintf(f, as...)
	case *translatedError:
		return e.msg
	case *fs.PathError:
		if s, ok := pathErrorText(pr, e); ok {
			return s
		}
	}
	s := err.Error()
	var inner []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if w := u.Unwrap(); w != nil {
			inner = []error{w}
		}
	case interface{ Unwrap() []error }:
		inner = u.Unwrap()
	}
	for _, w := range inner {
		if ws := w.Error(); ws != "" && strings.Contains(s, ws) {
			s = strings.Replace(s, ws, pr.errorText(w), 1)
		}
	}
	return s
}

// text is t (a captions.Text, a msg) in the printer's language; "" for a
// nil *captions.Text.
func (pr *printer) text(t translatable) string {
	f, args := t.Parts()
	if f == "" {
		return ""
	}
	return pr.Sprintf(f, args...)
}

// lineTo returns a function that writes each message it is given to w in
// the printer's language, one to a line: for the notes of a package below.
func (pr *printer) lineTo(w io.Writer) func(*captions.Text) {
	return func(t *captions.Text) { io.WriteString(w, pr.text(t)+"\n") }
}

// translate returns the translation of s, a text with no arguments.
func (pr *printer) translate(s string) string {
	if pr == nil || pr.p == nil {
		return s
	}
	return pr.p.Sprintf(message.Key(s, s))
}

// Fprintf writes the translation of format with args to w.
func (pr *printer) Fprintf(w io.Writer, format string, args ...any) (int, error) {
	return io.WriteString(w, pr.Sprintf(format, args...))
}

// Errorf is fmt.Errorf with the format translated; %w wraps as there.
func (pr *printer) Errorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	if pr == nil || pr.p == nil {
		return err
	}
	return &translatedError{msg: pr.Sprintf(strings.ReplaceAll(format, "%w", "%v"), args...), err: err}
}

// translatedError reads as its translation and unwraps as the English error.
type translatedError struct {
	msg string
	err error
}

func (e *translatedError) Error() string { return e.msg }
func (e *translatedError) Unwrap() error { return e.err }

// plainNumber prints an integer as fmt does, without a locale's digit
// grouping: file:1234, line 1234.
type plainNumber struct{ v any }

func (n plainNumber) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), n.v)
}

// msg is a message kept as its English format and arguments, for a printer
// to translate later; its String is the English.
type msg struct {
	format string
	args   []any
}

func msgf(format string, args ...any) msg { return msg{format: format, args: args} }

func (m msg) Parts() (string, []any) { return m.format, m.args }
func (m msg) String() string         { return fmt.Sprintf(m.format, m.args...) }

// counted says how many of a thing there are: one when n is 1, else other,
// a format taking n.
func counted(n int, one, other string) msg {
	if n == 1 {
		return msgf(one)
	}
	return msgf(other, n)
}
