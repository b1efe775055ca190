// Package captionstest generates realistic caption files for tests and
// benchmarks of caption tools.
package captionstest

import (
	"fmt"
	"strings"
	"time"
)

var phrases = []string{
	"Salam, bu gün muncuqlarla işləyəcəyik.",
	"Əvvəlcə alətlərə baxaq: qayçı və sap.",
	"İynəni sapa keçirin,",
	"sonra ilk muncuğu götürün.",
	"Diqqət edin, sap çox dartılmamalıdır.",
	"<i>Yavaş-yavaş</i> davam edirik.",
	"İndi ikinci sıraya keçək.",
	"Rəngləri növbə ilə düzürük: qırmızı, ağ.",
	"Hər sıranın sonunda düyün vururuq.",
	"Bax belə, çox gözəl alınır!",
}

// Cues returns the text of a caption file with n cues in format "srt" or
// "vtt": one or two lines each, at a comfortable reading speed, a quarter
// of a second apart, with a little markup, as a teacher's file would have.
// seed varies the text.
func Cues(format string, n, seed int) []byte {
	var b strings.Builder
	b.Grow(n * 90)
	sep := ","
	if format == "vtt" {
		sep = "."
		b.WriteString("WEBVTT\n\n")
	}
	start := time.Second
	for i := range n {
		text := phrases[(i+seed)%len(phrases)] + "\n"
		if (i+seed)%3 == 0 {
			text += phrases[(i+seed+3)%len(phrases)] + "\n"
		}
		// about 14 characters a second, as a careful captioner writes
		end := start + time.Duration(len([]rune(text)))*time.Second/14
		if format == "srt" {
			fmt.Fprintf(&b, "%d\n", i+1)
		}
		fmt.Fprintf(&b, "%s --> %s\n", stamp(start, sep), stamp(end, sep))
		b.WriteString(text)
		b.WriteByte('\n')
		start = end + 250*time.Millisecond
	}
	return []byte(b.String())
}

func stamp(d time.Duration, sep string) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}
