package main

import "github.com/rogpeppe/go-internal/testscript"

// addYouTubeScriptCmds adds the testscript commands of its area.
func addYouTubeScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
}
