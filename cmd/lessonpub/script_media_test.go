package main

import "github.com/rogpeppe/go-internal/testscript"

// addMediaScriptCmds adds the testscript commands of its area.
func addMediaScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
}
