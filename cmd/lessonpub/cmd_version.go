package main

import (
	"encoding/json"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at build time by the Makefile and by goreleaser:
//
//	-ldflags "-X main.version=v1.2.0 -X main.commit=abc1234 -X main.date=2026-12-01T21:00:00Z"
//
// When they are not set (go install, go build), versionInfo falls back to
// what the Go toolchain recorded in the binary.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo is what `lessonpub version` reports.
type buildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// versionInfo combines the -X values with the module version and the VCS
// stamp that `go build` and `go install` put into the binary.
func versionInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if b.Commit == "none" { // goreleaser's value when it could not read git
		b.Commit = ""
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version // go install …@v1.2.0
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && b.Commit != "" && b.Commit != commit {
			b.Commit += "-dirty"
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = unknown
	}
	if b.Date == "" {
		b.Date = unknown
	}
	return b
}

// unknown is what --json says of a commit or date the build did not record.
const unknown = "unknown"

func newVersionCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print lessonpub's version, commit, build date and Go version",
		Example: `  lessonpub version
  lessonpub version --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			b := versionInfo()
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			}
			commit, date := any(b.Commit), any(b.Date)
			if b.Commit == unknown {
				commit = msgf("unknown")
			}
			if b.Date == unknown {
				date = msgf("unknown")
			}
			_, err := e.p.Fprintf(e.stdout, "lessonpub %s\ncommit %s\nbuilt %s\n%s %s/%s\n", b.Version, commit, date, b.Go, b.OS, b.Arch)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object instead")
	return cmd
}
