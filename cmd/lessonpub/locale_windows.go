package main

import "golang.org/x/sys/windows"

// systemLanguages returns the user's display languages, most preferred
// first ("az-Latn-AZ", "ru-RU"): Windows sets no LANG.
func systemLanguages() []string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil {
		return nil
	}
	return langs
}
