package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// addLangScriptCmds adds the testscript command of the language tests:
//
//	jsonwords IN OUT   writes to OUT what the --json events in IN say in
//	                   words (their type, lesson, step, result, message
//	                   and error, the plan's lessons and the summary's), one a
//	                   line, sorted: what must not depend on the language,
//	                   without what changes from run to run (times, bytes,
//	                   addresses, the order of lessons done side by side)
func addLangScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	cmds["jsonwords"] = scriptJSONWords
}

func scriptJSONWords(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonwords IN OUT")
	}
	in := ts.ReadFile(args[0])
	words := func(m map[string]any) string {
		var parts []string
		for _, k := range []string{"type", "lesson", "step", "result", "message", "error"} {
			if s, ok := m[k].(string); ok && s != "" {
				parts = append(parts, k+"="+s)
			}
		}
		return strings.Join(parts, " ")
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(in))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			ts.Fatalf("%s: not a JSON event: %q: %v", args[0], sc.Text(), err)
		}
		if plan, ok := ev["plan"].(map[string]any); ok {
			ls, _ := plan["lessons"].([]any)
			for _, l := range ls {
				if m, ok := l.(map[string]any); ok {
					steps, _ := json.Marshal(m["steps"])
					lines = append(lines, fmt.Sprintf("plan lesson=%v action=%v error=%v steps=%s", m["lesson"], m["action"], m["error"], steps))
				}
			}
		}
		if ev["message"] == nil && ev["error"] == nil && ev["step"] == nil && ev["result"] == nil && ev["summary"] == nil {
			continue // progress: how often it comes depends on the machine
		}
		lines = append(lines, words(ev))
		if sum, ok := ev["summary"].(map[string]any); ok {
			ls, _ := sum["lessons"].([]any)
			for _, l := range ls {
				if m, ok := l.(map[string]any); ok {
					lines = append(lines, "summary "+words(m))
				}
			}
		}
	}
	ts.Check(sc.Err())
	sort.Strings(lines)
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b.Bytes(), 0o644))
}
