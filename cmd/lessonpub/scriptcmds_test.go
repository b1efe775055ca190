package main

import (
	"os/exec"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds gathers the custom testscript commands that the area test files
// define (media clips, the fake YouTube server...).
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, add := range []func(map[string]func(ts *testscript.TestScript, neg bool, args []string)){
		addMediaScriptCmds,
		addYouTubeScriptCmds,
	} {
		add(cmds)
	}
	return cmds
}

// scriptSetup runs the area setups (for example requiring ffmpeg).
func scriptSetup(e *testscript.Env) error {
	// The folder holding the lessonpub command, for scripts that set a PATH
	// of their own (doctor_*.txtar: PATH=$LESSONPUB_BIN has no ffmpeg).
	if p, err := exec.LookPath("lessonpub"); err == nil {
		e.Setenv("LESSONPUB_BIN", filepath.Dir(p))
	}
	return nil
}
