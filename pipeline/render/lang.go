package render

import "golang.org/x/text/language"

// iso639_2 maps a BCP 47 tag ("az", "ru-RU") to the three-letter code MP4
// metadata uses ("aze", "rus"); "und" when unknown.
func iso639_2(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return "und"
	}
	base, conf := t.Base()
	if conf == language.No {
		return "und"
	}
	if code := base.ISO3(); code != "" {
		return code
	}
	return "und"
}

// sameLanguage reports whether two BCP 47 tags name the same language:
// exactly, or by their base language when either has no region or script.
func sameLanguage(a, b string) bool {
	if a == b {
		return true
	}
	ta, err1 := language.Parse(a)
	tb, err2 := language.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if ta == tb {
		return true
	}
	ba, _ := ta.Base()
	bb, _ := tb.Base()
	return ba == bb
}
