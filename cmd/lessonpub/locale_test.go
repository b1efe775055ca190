package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/text/language"

	"github.com/lessonpub/lessonpub/captions"
)

// messageCalls says, per package folder, which calls take a message to
// translate and at which arguments: every message a person reads is passed
// to one of these as a constant string (or a constant), so scanning the
// source finds them all. A call with a format that is not constant fails the
// test, unless it passes on a format already found (see passOn).
var messageCalls = map[string]map[string][]int{
	".": {
		"Sprintf": {0}, "Fprintf": {1}, "Errorf": {0}, "translate": {0}, // printer methods
		"msgf": {0}, "counted": {1, 2}, "Textf": {0},
		"logf": {0}, // publishUI.logf
		// flags' usages (translateFlags)
		"BoolVar": {3}, "StringVar": {3}, "IntVar": {3}, "DurationVar": {3}, "StringVarP": {4},
	},
	"../../pipeline/doctor": {
		"textf": {0}, "detail": {0}, "fix": {0},
	},
	"../../pipeline/check":       {"Errorf": {0}, "Textf": {0}},
	"../../pipeline":             {"Errorf": {0}, "Textf": {0}, "tr": {0}}, // tr: Plan.Format
	"../../pipeline/youtube":     {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/folder":      {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/site":        {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/render":      {"Errorf": {0}, "Textf": {0}, "tr": {0}},
	"../../pipeline/render/font": {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/ffmpeg":      {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/atomicfile":  {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/sample":      {"Errorf": {0}, "Textf": {0}},
	"../../pipeline/captionsync": {
		"textf": {0}, "Errorf": {0},
	},
	"../../lessons": {
		"textf": {0}, "add": {2}, "Errorf": {0}, "Textf": {0},
	},
	"../../captions": {
		"Errorf": {0}, "Textf": {0}, "textf": {0}, "count": {1, 2}, "newProblem": {3}, "problem": {3}, "add": {3},
	},
}

// passOn reports whether a non-constant format only passes on one that was
// found where it was made.
func passOn(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "format" || e.Name == "f" || e.Name == "one" || e.Name == "other" || e.Name == "notWritable"
	case *ast.SelectorExpr:
		// Shorts are found as Short: fields, flags' usages in the calls
		// that make the flags
		return e.Sel.Name == "Format" || e.Sel.Name == "Short" || e.Sel.Name == "Usage"
	case *ast.CallExpr: // strings.ReplaceAll(format, "%w", "%v")
		return len(e.Args) > 0 && passOn(e.Args[0])
	}
	return false
}

// skipFile lists files that do not print messages of their own: the printer
// itself and the tests.
func skipFile(name string) bool {
	return strings.HasSuffix(name, "_test.go") || name == "locale.go"
}

// sourceMessages returns every message of the folders in messageCalls, with
// where it is used.
func sourceMessages(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	for dir, calls := range messageCalls {
		fset := token.NewFileSet()
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		var files []*ast.File
		consts := map[string]ast.Expr{}
		for _, name := range names {
			if skipFile(filepath.Base(name)) {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, s := range g.Specs {
						vs := s.(*ast.ValueSpec)
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								consts[n.Name] = vs.Values[i]
							}
						}
					}
				}
			}
		}
		var value func(e ast.Expr) (string, bool)
		value = func(e ast.Expr) (string, bool) {
			switch e := e.(type) {
			case *ast.BasicLit:
				if e.Kind != token.STRING {
					return "", false
				}
				s, err := strconv.Unquote(e.Value)
				return s, err == nil
			case *ast.Ident:
				if v, ok := consts[e.Name]; ok {
					return value(v)
				}
			case *ast.ParenExpr:
				return value(e.X)
			case *ast.BinaryExpr:
				if e.Op == token.ADD {
					x, okx := value(e.X)
					y, oky := value(e.Y)
					return x + y, okx && oky
				}
			}
			return "", false
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					var name string
					switch fun := n.Fun.(type) {
					case *ast.Ident:
						name = fun.Name
					case *ast.SelectorExpr:
						if x, ok := fun.X.(*ast.Ident); ok && x.Name == "fmt" {
							return true // English by design: paths, rule ids, machine formats
						}
						name = fun.Sel.Name
					}
					for _, i := range calls[name] {
						if i >= len(n.Args) {
							continue
						}
						s, ok := value(n.Args[i])
						if !ok {
							if !passOn(n.Args[i]) {
								t.Errorf("%s: %s with a format that is not a constant string: the test cannot see that message", fset.Position(n.Pos()), name)
							}
							continue
						}
						found[s] = fset.Position(n.Pos()).String()
					}
				case *ast.CompositeLit:
					// a message kept for later: captions.Text{Format: "…"}
					name := ""
					switch typ := n.Type.(type) {
					case *ast.Ident:
						name = typ.Name
					case *ast.SelectorExpr:
						name = typ.Sel.Name
					}
					if name != "Text" {
						return true
					}
					for _, el := range n.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "Format" {
							continue
						}
						if s, ok := value(kv.Value); ok {
							found[s] = fset.Position(kv.Pos()).String()
						} else if !passOn(kv.Value) {
							t.Errorf("%s: a Text whose format is not a constant string: the test cannot see that message", fset.Position(kv.Pos()))
						}
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Short" {
						if s, ok := value(n.Value); ok {
							found[s] = fset.Position(n.Pos()).String()
						}
					}
				}
				return true
			})
		}
	}
	// the short help of commands cobra makes (help, completion)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		found[c.Short] = "cobra: " + c.CommandPath()
		// and the usage of their flags (completion --no-descriptions); the
		// help flags' is "help for %s"
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" {
				found[f.Usage] = "cobra: " + c.CommandPath() + " --" + f.Name
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&env{getenv: func(string) string { return "" }}))
	return found
}

// readLocale returns every translation of lang, from all its files.
func readLocale(t *testing.T, lang string) map[string]json.RawMessage {
	t.Helper()
	all, err := loadTranslations()
	if err != nil {
		t.Fatal(err)
	}
	m := all[language.Make(lang)]
	if len(m) == 0 {
		t.Fatalf("locales/%s*.json: no translations", lang)
	}
	return m
}

// TestLocales checks that every message has a translation in every
// language, with the placeholders of the English, and that no translation
// is left over from a message that is gone.
func TestLocales(t *testing.T) {
	if _, err := loadCatalog(); err != nil {
		t.Fatal(err)
	}
	msgs := sourceMessages(t)
	for _, lang := range []string{"az", "ru"} {
		m := readLocale(t, lang)
		var missing []string
		for key, where := range msgs {
			if !hasLetters(verbPattern.ReplaceAllString(key, "")) {
				continue
			}
			raw, ok := m[key]
			if !ok {
				missing = append(missing, fmt.Sprintf("%s: %q", where, key))
				continue
			}
			text, forms, err := translation(raw)
			if err != nil {
				t.Errorf("locales/%s.json: %q: %v", lang, key, err)
				continue
			}
			texts := []string{text}
			if forms != nil {
				texts = slices.Collect(mapValues(forms))
			}
			for _, tr := range texts {
				if strings.HasSuffix(key, "\n") != strings.HasSuffix(tr, "\n") {
					t.Errorf("locales/%s.json: %q: the English ends a line, the translation not, or the other way round", lang, tr)
				}
				if diff := cmp.Diff(verbs(key), verbs(tr)); diff != "" {
					t.Errorf("locales/%s.json: the placeholders of %q differ from the English (-english +translation):\n%s", lang, tr, diff)
				}
				checkAlphabet(t, lang, key, tr)
				if diff := cmp.Diff(backquoted.FindAllString(key, -1), backquoted.FindAllString(tr, -1)); diff != "" {
					t.Errorf("locales/%s.json: %q: keep the `NAME` of a flag's value as in the English (-english +translation):\n%s", lang, tr, diff)
				}
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			t.Errorf("locales/%s.json: no translation of %s", lang, k)
		}
		for key := range m {
			if _, ok := msgs[key]; !ok {
				t.Errorf("locales/%s.json: %q is no message of lessonpub's any more: remove it", lang, key)
			}
		}
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// backquoted matches the `NAME` of a flag's value in its usage: pflag
// shows it as the value's name in --help.
var backquoted = regexp.MustCompile("`[^`]*`")

// englishWord matches a word of three Latin letters or more.
var englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// verbPattern matches a placeholder of a format.
var verbPattern = regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*(\[\d+\])?[a-zA-Z%]`)

func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// checkAlphabet fails on Azerbaijani with Cyrillic letters or the Turkish
// code pages' ä instead of ə, and on Russian with no Cyrillic at all, unless
// the English has them too (a message about those very letters).
func checkAlphabet(t *testing.T, lang, english, s string) {
	t.Helper()
	isCyrillic := func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }
	cyrillic := strings.ContainsFunc(s, isCyrillic)
	switch {
	case lang == "az" && cyrillic && !strings.ContainsFunc(english, isCyrillic):
		t.Errorf("locales/az.json: %q has Cyrillic letters: Azerbaijani here is written in the Latin alphabet", s)
	case lang == "az" && strings.ContainsAny(s, "äÄ") && !strings.ContainsAny(english, "äÄ"):
		t.Errorf("locales/az.json: %q has ä: write ə", s)
	case lang == "az" && s == english && len(englishWord.FindAllString(verbPattern.ReplaceAllString(s, ""), 2)) == 2:
		t.Errorf("locales/az.json: %q is the English as it is: is it translated?", s)
	case lang == "ru" && !cyrillic && hasLetters(s):
		t.Errorf("locales/ru.json: %q has no Cyrillic letters: is it translated?", s)
	}
}

// verbs lists the placeholders of a format as "argument number: verb",
// sorted, so that translations may reorder them with %[n]s.
func verbs(format string) []string {
	var out []string
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return append(out, "bad index")
			}
			n, err := strconv.Atoi(format[i+1 : i+end])
			if err != nil {
				return append(out, "bad index")
			}
			arg = n
			i += end + 1
			for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
				i++
			}
		}
		if i >= len(format) {
			return append(out, "% at the end")
		}
		if format[i] == '%' {
			continue
		}
		out = append(out, fmt.Sprintf("%d:%c", arg, format[i]))
		arg++
	}
	sort.Strings(out)
	return out
}

func TestVerbs(t *testing.T) {
	for _, tt := range []struct {
		format string
		want   []string
	}{
		{"line %d of %s", []string{"1:d", "2:s"}},
		{"%[2]s: sətir %[1]d", []string{"1:d", "2:s"}},
		{"100%% %.1f %-5q", []string{"1:f", "2:q"}},
		{"U+%04X", []string{"1:X"}},
	} {
		if diff := cmp.Diff(tt.want, verbs(tt.format)); diff != "" {
			t.Errorf("verbs(%q) (-want +got):\n%s", tt.format, diff)
		}
	}
}

func TestChooseLanguage(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want language.Tag
	}{
		{nil, language.English},
		{map[string]string{"LANG": "az_AZ.UTF-8"}, language.Azerbaijani},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, language.Russian},
		{map[string]string{"LANG": "ru_UA.KOI8-U@euro"}, language.Russian},
		{map[string]string{"LANG": "de_DE.UTF-8"}, language.English},
		{map[string]string{"LANG": "C.UTF-8"}, language.English},
		{map[string]string{"LANG": "az_AZ.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, language.Russian},
		{map[string]string{"LANG": "az_AZ.UTF-8", "LC_ALL": "C"}, language.English},
		{map[string]string{"LANG": "az_AZ.UTF-8", "LC_ALL": "POSIX", "LESSONPUB_LANG": "ru"}, language.Russian},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LESSONPUB_LANG": "en"}, language.English},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LESSONPUB_LANG": "az-Latn-AZ"}, language.Azerbaijani},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LESSONPUB_LANG": "xx"}, language.Russian},
	} {
		got := chooseLanguage(func(k string) string { return tt.env[k] }, nil)
		if got != tt.want {
			t.Errorf("chooseLanguage(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
	// Windows: no LANG, the display languages in order of preference
	system := []string{"de-DE", "az-Latn-AZ", "ru-RU"}
	if got := chooseLanguage(func(string) string { return "" }, system); got != language.Azerbaijani {
		t.Errorf("display languages %v: got %v, want az", system, got)
	}
	if got := chooseLanguage(func(k string) string { return map[string]string{"LESSONPUB_LANG": "ru"}[k] }, system); got != language.Russian {
		t.Errorf("LESSONPUB_LANG=ru before the display languages: got %v", got)
	}
}

// TestPrinter checks what the printer adds to x/text: nested messages are
// translated, line numbers keep their digits together, counts choose the
// plural form, and Errorf still wraps.
func TestPrinter(t *testing.T) {
	ru := newPrinter(language.Russian)
	for _, tt := range []struct{ files, errors int }{{1, 1}, {4, 22}, {1234, 5}} {
		got := ru.Sprintf("checked %s in %s: %s, %s", counted(tt.files, "1 caption file", "%d caption files"), counted(1, "1 lesson", "%d lessons"),
			counted(tt.errors, "1 error", "%d errors"), counted(0, "1 warning", "%d warnings"))
		want := map[int]string{
			1:    "проверено 1 файл субтитров в 1 уроке: 1 ошибка, 0 предупреждений",
			4:    "проверено 4 файла субтитров в 1 уроке: 22 ошибки, 0 предупреждений",
			1234: "проверено 1\u00a0234 файла субтитров в 1 уроке: 5 ошибок, 0 предупреждений",
		}[tt.files]
		if got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	}
	az := newPrinter(language.Azerbaijani)
	const order = "the cue starts at %s, before the cue above (line %d) at %s: put the cues in time order"
	if got, want := az.Sprintf(order, "00:20:00,000", 1234, "00:21:00,000"), "subtitr 00:20:00,000 anında başlayır, yəni yuxarıdakı subtitrdən (sətir 1234, başlanğıcı 00:21:00,000) əvvəl: subtitrləri vaxt sırası ilə düzün"; got != want {
		t.Errorf("a line number is not a count: got  %q\nwant %q", got, want)
	}
	const gap = "the cue starts %d ms after the cue above ends (%.1f frames at %g fps): leave at least %d frames (%d ms), or let the cues touch"
	if got, want := ru.Sprintf(gap, 40, 1.0, 25.0, 2, 80), "субтитр начинается через 40 мс после конца предыдущего (1,0 кадра при 25 кадр/с): оставьте промежуток не короче 80 мс (кадров: 2) или поставьте субтитры вплотную"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// a nested message is translated too
	if got, want := az.Sprintf("%s: not converted: fix the %s above and run the command again", "a.srt", counted(3, "1 error", "%d errors")), "a.srt: fayl çevrilmədi (3 xəta): yuxarıdakı xətaları düzəldin və əmri yenidən işə salın"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// an error kept by captions.Errorf is translated inside the plain
	// wrappers around it, and the system's own text stays as it is
	inner := captions.Errorf("%s: not converted: fix the %s above and run the command again", "a.srt", counted(3, "1 error", "%d errors"))
	wrapped := fmt.Errorf("%w: %w", os.ErrPermission, fmt.Errorf("course/01: %w", inner))
	if got, want := az.errorText(wrapped), "permission denied: course/01: a.srt: fayl çevrilmədi (3 xəta): yuxarıdakı xətaları düzəldin və əmri yenidən işə salın"; got != want {
		t.Errorf("errorText:\ngot  %q\nwant %q", got, want)
	}
	if got, want := (*printer)(nil).errorText(wrapped), wrapped.Error(); got != want {
		t.Errorf("English errorText = %q, want Error() %q", got, want)
	}
	// the system's "no such file" and "permission denied" read in the
	// person's language; the rest of its text stays as the system wrote it
	_, statErr := os.Stat(filepath.Join(t.TempDir(), "nowhere"))
	if got := ru.errorText(fmt.Errorf("lesson folder x: %w", statErr)); !strings.HasSuffix(got, "nowhere: такого файла или папки нет") {
		t.Errorf("a missing folder in Russian: %q", got)
	}
	denied := &fs.PathError{Op: "open", Path: "a.srt", Err: fs.ErrPermission}
	if got, want := az.errorText(denied), "a.srt: bunu açmağa icazəniz yoxdur (giriş qadağandır)"; got != want {
		t.Errorf("permission denied in Azerbaijani: got %q, want %q", got, want)
	}
	if got := az.errorText(&fs.PathError{Op: "read", Path: "a.srt", Err: syscall.EIO}); got != "read a.srt: input/output error" {
		t.Errorf("another system error should stay as the system says it: %q", got)
	}
	base := os.ErrNotExist
	if err := az.Errorf("%s: %w", "x.srt", base); !errors.Is(err, base) {
		t.Errorf("Errorf(%%w) does not wrap: %v", err)
	}
	var en *printer
	if got, want := en.Sprintf(order, "00:20:00,000", 1234, "00:21:00,000"), "the cue starts at 00:20:00,000, before the cue above (line 1234) at 00:21:00,000: put the cues in time order"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// untranslatedCalls are the calls that make a message for a person in
// English only: an error (everywhere), and printing (in the command, which
// prints). A call whose constant format has words must go through the
// printer or captions.Errorf/Textf instead, or say why it stays English
// in a comment "untranslated: why" on its line or the line above (JSON,
// junit and GitHub output, paths, lines sent to ffmpeg or a server).
var untranslatedCalls = map[string]map[string]bool{
	"errors": {"New": true},
	"fmt":    {"Errorf": true},
}

var untranslatedPrint = map[string]bool{"Sprintf": true, "Fprintf": true, "Printf": true, "Fprintln": true, "Println": true, "Sprint": true, "Fprint": true, "Print": true, "Sprintln": true}

// TestEveryMessageTranslatable fails on a message made without the
// printer or captions.Errorf/Textf: TestLocales could not see it, so it
// would stay English whatever the language.
func TestEveryMessageTranslatable(t *testing.T) {
	for dir := range messageCalls {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if skipFile(filepath.Base(name)) {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			excused := map[int]bool{}
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					if strings.Contains(c.Text, "untranslated:") {
						line := fset.Position(c.Pos()).Line
						excused[line], excused[line+1] = true, true
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				arg := 0
				switch {
				case untranslatedCalls[pkg.Name][sel.Sel.Name]:
				case dir == "." && pkg.Name == "fmt" && untranslatedPrint[sel.Sel.Name]:
					if strings.HasPrefix(sel.Sel.Name, "F") {
						arg = 1
					}
				default:
					return true
				}
				if arg >= len(call.Args) {
					return true
				}
				lit, ok := call.Args[arg].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				format, err := strconv.Unquote(lit.Value)
				if err != nil || !hasLetters(verbPattern.ReplaceAllString(format, "")) {
					return true
				}
				pos := fset.Position(call.Pos())
				if !excused[pos.Line] {
					t.Errorf("%s: %s.%s(%q) is English only: use the printer (e.p.Sprintf, e.p.Errorf…) or captions.Errorf/Textf, or mark it \"// untranslated: why\"", pos, pkg.Name, sel.Sel.Name, format)
				}
				return true
			})
		}
	}
}

// TestWrappedErrorTranslated checks that an error wrapping another with
// %w comes out translated with the error inside, through captions.Errorf
// and printer.Errorf alike.
func TestWrappedErrorTranslated(t *testing.T) {
	inner := captions.Errorf("neither $%s nor $HOME is set", "XDG_STATE_HOME")
	err := captions.Errorf("finding the state folder: %w (set LESSONPUB_STATE_DIR)", inner)
	for lang, want := range map[language.Tag]string{
		language.English:     "finding the state folder: neither $XDG_STATE_HOME nor $HOME is set (set LESSONPUB_STATE_DIR)",
		language.Azerbaijani: "vəziyyət qovluğunu tapmaq olmur: nə $XDG_STATE_HOME, nə də $HOME dəyişəni təyin olunub (LESSONPUB_STATE_DIR dəyişənini təyin edin)",
		language.Russian:     "не удаётся найти папку состояния: не задана ни $XDG_STATE_HOME, ни $HOME (задайте LESSONPUB_STATE_DIR)",
	} {
		p := newPrinter(lang)
		if got := p.errorText(err); got != want {
			t.Errorf("%v: got  %q\nwant %q", lang, got, want)
		}
		perr := p.Errorf("cannot serve the preview on 127.0.0.1:%d: %w; give another --port, or --port 0 for any free one", 80, inner)
		if strings.Contains(perr.Error(), "%!") || !errors.Is(perr, inner) {
			t.Errorf("%v: Errorf with %%w: %q", lang, perr)
		}
	}
	if !errors.Is(err, inner) {
		t.Error("captions.Errorf does not wrap")
	}
}

// TestWrapVerbs checks that a translation may keep the %w of its English:
// x/text formats no %w, so the catalog reads it as %v.
func TestWrapVerbs(t *testing.T) {
	for in, want := range map[string]string{
		"a %w b":        "a %v b",
		"%[3]w, %[1]q":  "%[3]v, %[1]q",
		"100%% %w %-5w": "100%% %v %-5v",
		"50%":           "50%",
	} {
		if got := wrapVerbs(in); got != want {
			t.Errorf("wrapVerbs(%q) = %q, want %q", in, got, want)
		}
	}
}
