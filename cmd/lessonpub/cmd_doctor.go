package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
		for _, c := range checks {
			line := fmt.Sprintf("%-4s  %-15s %s", strings.ToUpper(string(c.Status)), c.Name, c.Detail)
			if c.Fix != "" {
				line += ". Fix: " + c.Fix
			}
			fmt.Fprintln(e.stdout, line)
		}
	}
	if !healthy {
		return &exitError{code: exitFailed}
	}
	return nil
}

// suggestDoctor points to 'lessonpub doctor' after an error it can explain
// in more detail: ffmpeg missing or too old, or the YouTube sign-in.
func suggestDoctor(e *env, err error) {
	if errors.Is(err, ffmpeg.ErrMissing) || errors.Is(err, youtube.ErrNotSignedIn) {
		fmt.Fprintln(e.stderr, "Run 'lessonpub doctor' to check everything lessonpub needs on this computer.")
	}
}
