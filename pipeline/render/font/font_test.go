package font

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"

	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg/ffmpegtest"
)

// letters are the Azerbaijani letters beyond ASCII and the Russian alphabet.
const letters = "əƏğĞıİöÖüÜçÇşŞ" + "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"

func TestFontHasEveryLetter(t *testing.T) {
	f, err := sfnt.Parse(TTF())
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	family, err := f.Name(&buf, sfnt.NameIDFamily)
	if err != nil || family != Name {
		t.Errorf("family name = %q, %v; want %q", family, err, Name)
	}
	for _, r := range letters {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			t.Errorf("no glyph for %c (U+%04X): index %d, %v", r, r, i, err)
		}
	}
}

func TestInstall(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "fonts")
	got, err := Install(dir)
	if err != nil || got != dir {
		t.Fatalf("Install = %q, %v; want %q", got, err, dir)
	}
	path := filepath.Join(dir, FileName)
	if !Installed(path) {
		t.Fatal("the written font is not the shipped one")
	}
	// An intact font is left alone: its time does not change.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(dir); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); !fi.ModTime().Equal(old) {
		t.Errorf("an intact font was written again (time %v, want %v)", fi.ModTime(), old)
	}
	// A damaged one, of the same size or not, is replaced.
	for _, bad := range [][]byte{[]byte("half a font"), append([]byte("X"), TTF()[1:]...)} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if Installed(path) {
			t.Fatalf("a damaged font of %d bytes counts as installed", len(bad))
		}
		if _, err := Install(dir); err != nil {
			t.Fatal(err)
		}
		if !Installed(path) {
			t.Errorf("a damaged font of %d bytes was not replaced", len(bad))
		}
	}
}

// TestBurnInWithoutSystemFonts burns captions in with the installed font
// while fontconfig knows no font at all (FONTCONFIG_FILE names an empty
// configuration), one letter a second, and takes one frame a second. Each frame must have text drawn and
// differ from every other: a missing glyph draws the same empty box
// ("tofu") for every letter.
func TestBurnInWithoutSystemFonts(t *testing.T) {
	ffmpegtest.Require(t)
	tmp := t.TempDir()
	fonts, err := Install(filepath.Join(tmp, "fonts"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(tmp, "fonts.conf")
	if err := os.WriteFile(conf, []byte("<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FONTCONFIG_FILE", conf)
	t.Setenv("FONTCONFIG_PATH", tmp)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))

	sample := []rune("əğıöüçşİЖщЯы")
	var srt strings.Builder
	for i, r := range sample {
		fmt.Fprintf(&srt, "%d\n00:00:%02d,000 --> 00:00:%02d,900\n%c\n\n", i+1, i, i, r)
	}
	subs := filepath.Join(tmp, "letters.srt")
	if err := os.WriteFile(subs, []byte(srt.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	const w, h = 320, 180
	out := filepath.Join(tmp, "frames.gray")
	c := ffmpeg.New()
	c.InputFormat("lavfi", fmt.Sprintf("color=c=black:s=%dx%d:r=1:d=%d", w, h, len(sample)))
	var g ffmpeg.Graph
	g.Add([]string{"0:v"}, []string{"v"},
		ffmpeg.F("subtitles", "filename", ffmpeg.FilterPath(subs), "charenc", "UTF-8", "fontsdir", ffmpeg.FilterPath(fonts),
			"force_style", "FontName="+Name+",FontSize=80,Alignment=5,Outline=0,Shadow=0"),
		ffmpeg.F("format", "", "gray"))
	c.Filter(&g).Map("[v]").Output(out, "-f", "rawvideo")
	if err := c.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < len(sample)*w*h {
		t.Fatalf("got %d bytes of frames, want %d frames of %d×%d", len(raw), len(sample), w, h)
	}
	frames := make([]string, len(sample))
	for i := range sample {
		f := raw[i*w*h : (i+1)*w*h]
		lit := 0
		for _, p := range f {
			if p > 128 {
				lit++
			}
		}
		if lit < 20 {
			t.Errorf("frame %d (%c): %d lit pixels, want the letter drawn", i, sample[i], lit)
		}
		frames[i] = string(f)
	}
	for i := range frames {
		for j := i + 1; j < len(frames); j++ {
			if frames[i] == frames[j] {
				t.Errorf("%c and %c drew the same picture: a missing glyph's box", sample[i], sample[j])
			}
		}
	}
}
