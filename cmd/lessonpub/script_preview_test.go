package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// addPreviewScriptCmds adds the testscript commands of lessonpub preview:
//
//	freeport VAR              sets $VAR to a TCP port free on 127.0.0.1
//	httpget URL FILE          fetches URL into FILE, retrying for up to two
//	                          minutes while nothing answers (the preview
//	                          renders before it serves)
//	loopbackonly PORT         checks that nothing answers on PORT at this
//	                          machine's other addresses (none: nothing to check)
func addPreviewScriptCmds(cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	cmds["freeport"] = scriptFreePort
	cmds["httpget"] = scriptHTTPGet
	cmds["loopbackonly"] = scriptLoopbackOnly
}

func scriptFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ts.Check(ln.Close())
	ts.Setenv(args[0], strconv.Itoa(port))
}

func scriptHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: httpget URL FILE")
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(args[0])
		if err == nil {
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			ts.Check(err)
			if resp.StatusCode != http.StatusOK {
				ts.Fatalf("GET %s: %s", args[0], resp.Status)
			}
			ts.Check(os.WriteFile(ts.MkAbs(args[1]), body, 0o644))
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("GET %s: nothing answered in two minutes: %v", args[0], err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func scriptLoopbackOnly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: loopbackonly PORT")
	}
	addrs, err := net.InterfaceAddrs()
	ts.Check(err)
	checked := 0
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		checked++
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), args[0]), time.Second)
		if err == nil {
			c.Close()
			ts.Fatalf("port %s answers on %s: the preview must listen on 127.0.0.1 only", args[0], ipn.IP)
		}
	}
	ts.Logf("checked %d address(es) besides the loopback", checked)
}
