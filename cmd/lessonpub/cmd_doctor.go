package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/pipeline/doctor"
	"github.com/lessonpub/lessonpub/pipeline/ffmpeg"
	"github.com/lessonpub/lessonpub/pipeline/youtube"
)

type doctorOptions struct {
	e      *env
	asJSON bool
}

func newDoctorCmd(e *env) *cobra.Command {
	opts := &doctorOptions{e: e}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that this computer has everything lessonpub needs",
		Long: `Check ffmpeg and ffprobe (found, version 5.1 or newer, the libx264 and aac
encoders), the caption font, the settings and state folders, the YouTube
OAuth client file and sign-in (renewing it and asking for the channel's
name), today's quota use, and the clock. Each check prints one line; a
check that fails says what to do.

Exit status 0 when nothing failed, 1 otherwise.`,
		Example: `  lessonpub doctor
  lessonpub doctor --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDoctor(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.asJSON, "json", false, "print the checks as JSON (names and statuses are stable)")
	return cmd
}

func runDoctor(ctx context.Context, opts *doctorOptions) error {
	e := opts.e
	// The same configuration every other command uses.
	set, err := e.settings()
	if err != nil {
		return err
	}
	checks := doctor.Run(ctx, doctor.Options{YouTube: set.youtubeConfig(nil)})
	healthy := doctor.Healthy(checks)
	if opts.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			OK     bool           `json:"ok"`
			Checks []doctor.Check `json:"checks"`
		}{healthy, checks}); err != nil {
			return err
		}
	} else {
		writeDoctorText(e, checks)
	}
	if !healthy {
		return &exitError{code: exitFailed}
	}
	return nil
}

// writeDoctorText writes one line per check, in the printer's language.
func writeDoctorText(e *env, checks []doctor.Check) {
	statusW, nameW := 4, 14
	for _, c := range checks {
		statusW = max(statusW, utf8.RuneCountInString(doctorStatus(e.p, c.Status)))
		nameW = max(nameW, utf8.RuneCountInString(doctorCheckName(e.p, c.Name)))
	}
	for _, c := range checks {
		detail := c.Detail
		if c.DetailText != nil {
			detail = e.p.Sprintf(c.DetailText.Format, c.DetailText.Args...)
		}
		// untranslated: columns of translated words, no words of its own
		line := fmt.Sprintf("%-*s  %-*s %s", statusW, doctorStatus(e.p, c.Status), nameW+1, doctorCheckName(e.p, c.Name), detail)
		if c.FixText != nil {
			line = e.p.Sprintf("%s. Fix: %s", line, c.FixText)
		}
		fmt.Fprintln(e.stdout, line)
	}
}

// doctorStatus names a check's outcome for a person.
func doctorStatus(p *printer, s doctor.Status) string {
	switch s {
	case doctor.OK:
		return p.Sprintf("OK")
	case doctor.Warn:
		return p.Sprintf("WARN")
	case doctor.Fail:
		return p.Sprintf("FAIL")
	case doctor.Skip:
		return p.Sprintf("SKIP")
	}
	return strings.ToUpper(string(s))
}

// doctorCheckName names a check for a person; --json keeps the ids.
func doctorCheckName(p *printer, name string) string {
	switch name {
	case "ffmpeg-version":
		return p.Sprintf("ffmpeg-version")
	case "encoders":
		return p.Sprintf("encoders")
	case "font":
		return p.Sprintf("font")
	case "config-folder":
		return p.Sprintf("config-folder")
	case "state-folder":
		return p.Sprintf("state-folder")
	case "oauth-client":
		return p.Sprintf("oauth-client")
	case "sign-in":
		return p.Sprintf("sign-in")
	case "channel":
		return p.Sprintf("channel")
	case "quota":
		return p.Sprintf("quota")
	case "clock":
		return p.Sprintf("clock")
	}
	return name // ffmpeg, ffprobe
}

// suggestDoctor points to 'lessonpub doctor' after an error it can explain
// in more detail: ffmpeg missing or too old, or the YouTube sign-in.
func suggestDoctor(e *env, err error) {
	if errors.Is(err, ffmpeg.ErrMissing) || errors.Is(err, youtube.ErrNotSignedIn) {
		e.p.Fprintf(e.stderr, "Run 'lessonpub doctor' to check everything lessonpub needs on this computer.\n")
	}
}
