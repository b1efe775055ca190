package main

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds gathers the custom testscript commands that the area test files
// define (media clips, the fake YouTube server...).
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, add := range []func(map[string]func(ts *testscript.TestScript, neg bool, args []string)){
		addMediaScriptCmds,
		addYouTubeScriptCmds,
		addSyncScriptCmds,
		addPreviewScriptCmds,
		addLangScriptCmds,
	} {
		add(cmds)
	}
	cmds["exitcode"] = scriptExitcode
	return cmds
}

// scriptExitcode is the command
//
//	exitcode N PROGRAM [ARGS...]
//
// which runs PROGRAM like exec and checks that it exits with code N; its
// stdout and stderr are there for the next stdout and stderr commands.
func scriptExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode %q: N must be a number", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("running %s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with code %d, want %d", args[1], got, want)
	}
}

// scriptCondition adds the conditions [ffmpeg] (see ffmpegCondition).
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "ffmpeg":
		return ffmpegCondition()
	}
	return false, fmt.Errorf("unknown condition %q", cond)
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
