package captions

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAssText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<i>Əla</i> və <b>şüşə</b>", `{\i1}Əla{\i0} və {\b1}şüşə{\b0}`},
		{"<v Teacher>Salam</v>", "Salam"},
		{"<v.loud Rəşad>Mən</v> <c.yellow>sarı</c>", "Mən sarı"},
		{`{\an8}yuxarı`, "yuxarı"},
		{"two\nlines", `two\Nlines`},
		{"a {b} c", `a \{b\} c`},
		{`C:\new\hello`, "C:\\\u2060new\\\u2060hello"},
		{"a &lt; b &amp; c", "a < b & c"},
		{"<i></i>\nonly", "only"},
		{"Урок <u>первый</u>", `Урок {\u1}первый{\u0}`},
	}
	for _, tt := range tests {
		if got := assText(tt.in); got != tt.want {
			t.Errorf("assText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteASS(t *testing.T) {
	f := ParseSRT([]byte("00:00:01,5 --> 00:00:02,04\n<v Müəllim>Salam</v>\n\n00:01:02,345 --> 01:00:00,000\nİkinci\nsətir\n"))
	var b bytes.Buffer
	if err := WriteASS(&b, f, ASSStyle{Width: 1280, Height: 720, MarginR: 400}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"PlayResX: 1280\nPlayResY: 720\n",
		"Style: Default,DejaVu Sans,43,&H00FFFFFF,&H000000FF,&H80000000,&H80000000,0,0,0,0,100,100,0,0,1,2.7,0,2,38,400,36,1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	_, events, _ := strings.Cut(out, "[Events]\n")
	want := "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n" +
		"Dialogue: 0,0:00:01.50,0:00:02.04,Default,,0,0,0,,Salam\n" +
		"Dialogue: 0,0:01:02.35,1:00:00.00,Default,,0,0,0,,İkinci\\Nsətir\n"
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if err := WriteASS(&b, f, ASSStyle{}); err == nil {
		t.Error("WriteASS without a picture size: no error")
	}
}

// TestAssTextSameWordsAsStripTags: burned-in captions show the words
// YouTube and the video's tracks get (StripTags), only styled.
func TestAssTextSameWordsAsStripTags(t *testing.T) {
	overrides := regexp.MustCompile(`\{\\[a-z0-9]+\}`)
	for _, in := range []string{
		"<v Müəllim><i>Əla</i>, <b>şüşə</b></v>",
		"<c.loud>Урок</c> <u>первый</u>\n<lang en>second line</lang>",
		"<v.first.loud Esme>It's <00:00:01.500>a blue apple tree!",
		`{\an8}yuxarı &amp; aşağı`,
	} {
		got := strings.ReplaceAll(overrides.ReplaceAllString(assText(in), ""), `\N`, "\n")
		if want := StripTags(in); got != want {
			t.Errorf("assText(%q) shows %q, StripTags gives %q", in, got, want)
		}
	}
}
