package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// env is everything a command takes from the process around it. Tests build
// their own; nothing reads os.Stdout or os.Getenv directly.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stderrTTY is true when stderr is a terminal: live progress bars are
	// drawn only then; otherwise progress is plain log lines.
	stderrTTY bool
	// stdinTTY is true when stdin is a terminal: only then may a command ask.
	stdinTTY bool
	// settingsCache holds the settings read from getenv (env.settings).
	settingsCache
}

func newSystemEnv() *env {
	return &env{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())) && os.Getenv("CI") == "" && os.Getenv("TERM") != "dumb",
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
	}
}

// run executes one lessonpub command line and returns the exit code.
func run(args []string, e *env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("%w: %w", context.Canceled, err)
	}
	code := exitCode(err)
	if msg := err.Error(); msg != "" {
		if code == exitInterrupted {
			fmt.Fprintln(e.stderr, "lessonpub: interrupted; what was finished is kept, run the same command again to continue")
		} else {
			fmt.Fprintf(e.stderr, "lessonpub: %s\n", msg)
		}
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(e.stderr, "Run 'lessonpub help' for usage.")
	}
	suggestDoctor(e, err)
	return code
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "lessonpub",
		Short: "Publish recorded craft lessons as accessible YouTube lessons",
		Long: `lessonpub turns a recorded lesson into a published, accessible lesson:
it checks the captions, renders the video with ffmpeg (sign-language
interpreter picture-in-picture, caption tracks, even sound), and uploads it
into the course's YouTube playlist in lesson order.

` + exitCodesHelp,
		Example: `  # check every caption file of every course under the current folder
  lessonpub captions check

  # render one lesson to watch it before publishing
  lessonpub render bead-jewellery/01-tools-and-beads -o preview.mp4

  # publish one lesson, or a whole course, to YouTube
  lessonpub publish bead-jewellery/01-tools-and-beads
  lessonpub course publish bead-jewellery`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return newUsageError(fmt.Errorf("unknown command %q", args[0]))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return newUsageError(err) })

	root.AddCommand(
		newVersionCmd(e),
		newDoctorCmd(e),
		newCaptionsCmd(e),
		newRenderCmd(e),
		newAuthCmd(e),
		newPublishCmd(e),
		newCourseCmd(e),
		newSampleCourseCmd(e),
	)
	// cobra's own completion command, made now so it can carry examples.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = `  # bash, for this shell
  source <(lessonpub completion bash)

  # bash, for every new shell (Debian)
  lessonpub completion bash > /etc/bash_completion.d/lessonpub

  # zsh and fish
  lessonpub completion zsh > "${fpath[1]}/_lessonpub"
  lessonpub completion fish > ~/.config/fish/completions/lessonpub.fish`
		}
	}
	root.AddCommand(&cobra.Command{
		Use:   "exit-codes",
		Short: "What lessonpub's exit codes mean",
		Long:  exitCodesHelp,
	})
	return root
}

// exactArgs is cobra.ExactArgs reporting a usage error (exit 2).
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return newUsageError(err)
		}
		return nil
	}
}
