//go:build !windows

package main

// systemLanguages returns nothing outside Windows: the locale variables
// (LC_ALL, LC_MESSAGES, LANG) say it there.
func systemLanguages() []string { return nil }
