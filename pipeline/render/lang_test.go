package render

import "testing"

func TestISO639_2(t *testing.T) {
	for tag, want := range map[string]string{"az": "aze", "az-Latn": "aze", "ru": "rus", "en-GB": "eng", "tr": "tur", "xx-invalid-!": "und"} {
		if got := iso639_2(tag); got != want {
			t.Errorf("iso639_2(%q) = %q, want %q", tag, got, want)
		}
	}
	if !sameLanguage("az", "az-Latn") || sameLanguage("az", "ru") {
		t.Error("sameLanguage")
	}
}
