package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
)

// checkReport is what `lessonpub captions check` found; its JSON form is the
// --format json document.
type checkReport struct {
	Files    []fileReport   `json:"files"`
	Lessons  []lessonReport `json:"lessons"`
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
}

type fileReport struct {
	Path     string          `json:"path"`
	Language string          `json:"language"`
	Cues     int             `json:"cues"`
	Problems []problemReport `json:"problems"`
}

type problemReport struct {
	Severity captions.Severity `json:"severity"`
	Rule     string            `json:"rule"`
	Line     int               `json:"line"`
	Message  string            `json:"message"`
	text     translatable      // Message for a printer to translate; nil: show Message
}

type lessonReport struct {
	Path             string   `json:"path"`
	MissingLanguages []string `json:"missing_languages"`
	hint             msg      // what to do about the missing languages
	courseFile       string   // course.yaml, where the required languages are set
}

const ruleMissingLanguage = "missing-language"

// finish orders the report and counts its errors and warnings.
func (r *checkReport) finish() {
	if r.Files == nil {
		r.Files = []fileReport{}
	}
	slices.SortStableFunc(r.Files, func(a, b fileReport) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(r.Lessons, func(a, b lessonReport) int { return strings.Compare(a.Path, b.Path) })
	r.Errors, r.Warnings = 0, 0
	for _, f := range r.Files {
		for _, p := range f.Problems {
			if p.Severity == captions.Error {
				r.Errors++
			} else {
				r.Warnings++
			}
		}
	}
	for _, l := range r.Lessons {
		r.Errors += len(l.MissingLanguages)
	}
}

// summary counts what was checked and found, in p's language (English when
// p is nil).
func (r *checkReport) summary(p *printer) string {
	return p.Sprintf("checked %s in %s: %s, %s",
		counted(r.captionFiles(), "1 caption file", "%d caption files"), counted(len(r.Lessons), "1 lesson", "%d lessons"),
		counted(r.Errors, "1 error", "%d errors"), counted(r.Warnings, "1 warning", "%d warnings"))
}

func (r *checkReport) captionFiles() int {
	n := 0
	for _, f := range r.Files {
		if captions.FormatOf(f.Path) != "" {
			n++
		}
	}
	return n
}

// message says which languages are missing and what to do, in p's language
// (English when p is nil).
func (l *lessonReport) message(p *printer) string {
	return p.Sprintf("no captions in %s: %s", strings.Join(quoteAll(l.MissingLanguages), ", "), l.hint)
}

// severity names s for a person reading p's language.
func severity(p *printer, s captions.Severity) string {
	if s == captions.Error {
		return p.Sprintf("error")
	}
	return p.Sprintf("warning")
}

// message is the problem's message in p's language.
func (pr problemReport) message(p *printer) string {
	if pr.text == nil {
		return pr.Message
	}
	f, args := pr.text.Parts()
	return p.Sprintf(f, args...)
}

// writeText writes one line per problem, like a compiler, and a summary, in
// p's language; paths and rule ids stay as they are.
func (r *checkReport) writeText(w io.Writer, p *printer) error {
	for _, f := range r.Files {
		for _, pr := range f.Problems {
			if pr.Line > 0 {
				fmt.Fprintf(w, "%s:%d: %s: %s: %s\n", f.Path, pr.Line, severity(p, pr.Severity), pr.Rule, pr.message(p))
			} else {
				fmt.Fprintf(w, "%s: %s: %s: %s\n", f.Path, severity(p, pr.Severity), pr.Rule, pr.message(p))
			}
		}
	}
	for _, l := range r.Lessons {
		if len(l.MissingLanguages) > 0 {
			fmt.Fprintf(w, "%s: %s: %s: %s\n", l.Path, severity(p, captions.Error), ruleMissingLanguage, l.message(p))
		}
	}
	_, err := fmt.Fprintln(w, r.summary(p))
	return err
}

func (r *checkReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// writeGitHub writes GitHub Actions workflow commands, which show each
// problem as an annotation on its file and line in the pull request.
// With strict, warnings are shown as errors, since they fail the check.
func (r *checkReport) writeGitHub(w io.Writer, strict bool, notes []msg) error {
	for _, f := range r.Files {
		for _, p := range f.Problems {
			level := "error"
			if p.Severity == captions.Warning && !strict {
				level = "warning"
			}
			props := "file=" + ghProperty(f.Path)
			if p.Line > 0 {
				props += fmt.Sprintf(",line=%d", p.Line) // untranslated: a GitHub workflow command
			}
			props += ",title=" + ghProperty("captions: "+p.Rule)
			fmt.Fprintf(w, "::%s %s::%s\n", level, props, ghData(p.Message))
		}
	}
	for _, l := range r.Lessons {
		if len(l.MissingLanguages) > 0 {
			// untranslated: a GitHub workflow command, read by GitHub in English
			fmt.Fprintf(w, "::error file=%s,title=%s::%s\n", ghProperty(l.courseFile), ghProperty("captions: "+ruleMissingLanguage),
				ghData(l.Path+": "+l.message(nil)))
		}
	}
	for _, n := range shortNotes(notes) {
		// untranslated: a GitHub workflow command, read by GitHub in English
		fmt.Fprintf(w, "::notice title=%s::%s\n", ghProperty("captions: video length unknown"), ghData(n.String()))
	}
	_, err := fmt.Fprintln(w, r.summary(nil))
	return err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes a JUnit XML report: one test case per caption file and
// per lesson, failing when it has errors (or, with strict, warnings).
func (r *checkReport) writeJUnit(w io.Writer, strict bool) error {
	files := junitSuite{Name: "caption files"}
	for _, f := range r.Files {
		c := junitCase{Name: f.Path, Classname: "captions"}
		var failing, other []string
		firstRule := ""
		for _, p := range f.Problems {
			line := fmt.Sprintf("line %d: %s: %s: %s", p.Line, p.Severity, p.Rule, p.Message) // untranslated: JUnit XML for CI, English
			if p.Severity == captions.Error || strict {
				if firstRule == "" {
					firstRule = p.Rule
				}
				failing = append(failing, line)
			} else {
				other = append(other, line)
			}
		}
		if len(failing) > 0 {
			// untranslated: JUnit XML for CI, English
			c.Failure = &junitFailure{Message: fmt.Sprintf("%s, first: %s", plural(len(failing), "problem"), failing[0]), Type: firstRule, Text: strings.Join(failing, "\n")}
			files.Failures++
		}
		c.SystemOut = strings.Join(other, "\n")
		files.Cases = append(files.Cases, c)
	}
	files.Tests = len(files.Cases)
	lessonSuite := junitSuite{Name: "lessons"}
	for _, l := range r.Lessons {
		c := junitCase{Name: l.Path, Classname: "lessons"}
		if len(l.MissingLanguages) > 0 {
			c.Failure = &junitFailure{Message: l.message(nil), Type: ruleMissingLanguage, Text: l.message(nil)}
			lessonSuite.Failures++
		}
		lessonSuite.Cases = append(lessonSuite.Cases, c)
	}
	lessonSuite.Tests = len(lessonSuite.Cases)
	doc := junitSuites{Name: "lessonpub captions check", Suites: []junitSuite{files, lessonSuite},
		Tests: files.Tests + lessonSuite.Tests, Failures: files.Failures + lessonSuite.Failures}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
