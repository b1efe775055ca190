package ffmpeg

import "testing"

// The table of the reference (docs: ffmpeg-filters "Notes on filtergraph
// escaping"), each form measured to work with ffmpeg 5.1.
func TestFilterEscaping(t *testing.T) {
	tests := []struct{ value, want string }{
		{`it's: a, [test];.srt`, `it\\\'s\\: a\, \[test\]\;.srt`},
		{`back\slash 'q' %d.srt`, `back\\\\slash \\\'q\\\' %d.srt`},
		{`a=b:c=d.srt`, `a=b\\:c=d.srt`},
		{`end'.srt`, `end\\\'.srt`},
		{`C:/x/a.srt`, `C\\:/x/a.srt`},
		{`Dərs_şüğçöıƏ İ.srt`, `Dərs_şüğçöıƏ İ.srt`},
		{`FontName=DejaVu Sans,FontSize=28,Outline=2`, `FontName=DejaVu Sans\,FontSize=28\,Outline=2`},
	}
	for _, tt := range tests {
		f := F("subtitles", "filename", tt.value)
		want := "subtitles=filename=" + tt.want
		if got := f.String(); got != want {
			t.Errorf("value %q:\n got %s\nwant %s", tt.value, got, want)
		}
	}
}

func TestGraphString(t *testing.T) {
	var g Graph
	g.Add([]string{"1:v"}, []string{"pip"}, F("chromakey", "color", "0x00FF00", "similarity", "0.15"), F("scale", "w", "-2", "h", "ih/2"))
	g.Add([]string{"0:v", "pip"}, []string{"v"}, F("overlay", "x", "W-w-20", "y", "H-h-20", "eof_action", "pass"), F("format", "", "yuv420p"))
	want := "[1:v]chromakey=color=0x00FF00:similarity=0.15,scale=w=-2:h=ih/2[pip];" +
		"[0:v][pip]overlay=x=W-w-20:y=H-h-20:eof_action=pass,format=yuv420p[v]"
	if got := g.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Paths as they reach a filter option: Windows paths with drive letters,
// backslashes and UNC shares, and Unix paths, whose backslash is an
// ordinary character and is escaped, not turned into a separator.
func TestFilterPath(t *testing.T) {
	tests := []struct {
		sep        byte
		path, want string
	}{
		{'\\', `C:\Users\x\sub.ass`, `C\\:/Users/x/sub.ass`},
		{'\\', `D:\Dərslər\it's [1], a;b.srt`, `D\\:/Dərslər/it\\\'s \[1\]\, a\;b.srt`},
		{'\\', `\\server\share\fonts`, `//server/share/fonts`},
		{'\\', `C:/already/slashes.ass`, `C\\:/already/slashes.ass`},
		{'/', `/home/x/a\b.srt`, `/home/x/a\\\\b.srt`},
		{'/', `/home/x/C:/odd.srt`, `/home/x/C\\:/odd.srt`},
	}
	for _, tt := range tests {
		got := F("subtitles", "filename", filterPath(tt.path, tt.sep)).String()
		if want := "subtitles=filename=" + tt.want; got != want {
			t.Errorf("path %q (separator %c):\n got %s\nwant %s", tt.path, tt.sep, got, want)
		}
	}
}
