package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary stand in for the lessonpub binary inside the
// testscript files under testdata/script.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"lessonpub": func() { os.Exit(run(os.Args[1:], newSystemEnv())) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("HOME", e.WorkDir+"/home")
			e.Setenv("XDG_CONFIG_HOME", e.WorkDir+"/home/.config")
			e.Setenv("XDG_STATE_HOME", e.WorkDir+"/home/.local/state")
			e.Setenv("XDG_CACHE_HOME", e.WorkDir+"/home/.cache")
			return scriptSetup(e)
		},
		Cmds:                scriptCmds(),
		Condition:           scriptCondition,
		RequireExplicitExec: true,
	})
}
