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
