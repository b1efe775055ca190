//go:build ignore

// gen writes the caption test files whose exact bytes matter (byte order
// marks, line ends, legacy code pages), which editors would otherwise
// change. Run it from this folder: go run gen.go
package main

import (
	"log"
	"os"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const az = `1
00:00:01,000 --> 00:00:03,500
Salam, bu gün muncuqlarla işləyəcəyik.

2
00:00:04,000 --> 00:00:06,000
Əvvəlcə alətlərə baxaq.
`

const ru = `1
00:00:01,000 --> 00:00:03,500
Здравствуйте, сегодня мы работаем с бисером.

2
00:00:04,000 --> 00:00:06,000
Сначала посмотрим на инструменты.
`

// vttTimes turns the SubRip times of az into WebVTT ones.
var vttTimes = strings.NewReplacer(",000 ", ".000 ", ",000\n", ".000\n", ",500\n", ".500\n")

func main() {
	write("bom.srt", append([]byte("\xEF\xBB\xBF"), az...))
	write("crlf.srt", []byte(strings.ReplaceAll(az, "\n", "\r\n")))
	write("cr-only.srt", []byte(strings.ReplaceAll(az, "\n", "\r")))
	write("cr-only.vtt", []byte(strings.ReplaceAll("WEBVTT\n\n"+vttTimes.Replace(az), "\n", "\r")))
	write("utf16le.srt", encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), strings.ReplaceAll(az, "\n", "\r\n")))
	write("utf16be.vtt", encode(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "WEBVTT\n\n"+vttTimes.Replace(az)))
	write("windows-1251.srt", encode(charmap.Windows1251, strings.ReplaceAll(ru, "\n", "\r\n")))
	// Azerbaijani typed in a Turkish code page: ə became ä.
	write("windows-1254.srt", encode(charmap.Windows1254, strings.NewReplacer("ə", "ä", "Ə", "Ä").Replace(az)))
}

func encode(e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func write(name string, b []byte) {
	if err := os.WriteFile(name, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
