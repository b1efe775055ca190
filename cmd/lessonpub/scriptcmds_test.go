package main

import "github.com/rogpeppe/go-internal/testscript"

// scriptCmds gathers the custom testscript commands that the area test files
// define (media clips, the fake YouTube server...).
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, add := range []func(map[string]func(ts *testscript.TestScript, neg bool, args []string)){
		addMediaScriptCmds,
		addYouTubeScriptCmds,
		addSyncScriptCmds,
	} {
		add(cmds)
	}
	return cmds
}

// scriptSetup runs the area setups (for example requiring ffmpeg).
func scriptSetup(e *testscript.Env) error {
	return nil
}
