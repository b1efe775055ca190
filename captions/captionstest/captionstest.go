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
	"Əvvəlcə alətlərə baxaq: kəlbətin, qayçı və sap.",
	"İynəni sapa keçirin,",
	"sonra ilk muncuğu götürün.",
	"Diqqət edin, sap çox dartılmamalıdır.",
	"<i>Yavaş-yavaş</i> davam edirik.",
	"İndi ikinci sıraya keçək.",
	"Rəngləri növbə ilə düzürük: qırmızı, ağ, qırmızı.",
	"Hər sıranın sonunda düyün vururuq.",
	"Bax belə, çox gözəl alınır!",
}

// Cues returns the text of a caption file with n cues in format "srt" or
// "vtt": two-second cues half a second apart, one or two lines each, with a
// little markup, as a teacher's file would have. seed varies the text.
func Cues(format string, n, seed int) []byte {
	var b strings.Builder
	b.Grow(n * 90)
	sep := ","
	if format == "vtt" {
		sep = "."
		b.WriteString("WEBVTT\n\n")
	}
	for i := range n {
		start := time.Duration(i)*2500*time.Millisecond + time.Second
		end := start + 2*time.Second
		if format == "srt" {
			fmt.Fprintf(&b, "%d\n", i+1)
		}
		fmt.Fprintf(&b, "%s --> %s\n", stamp(start, sep), stamp(end, sep))
		b.WriteString(phrases[(i+seed)%len(phrases)])
		b.WriteByte('\n')
		if (i+seed)%3 == 0 {
			b.WriteString(phrases[(i+seed+3)%len(phrases)])
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func stamp(d time.Duration, sep string) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}
