package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lessonpub/lessonpub/lessons"
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
	// p prints what a person reads, in the language of LESSONPUB_LANG or
	// the locale; set by run and newRootCmd when nil.
	p *printer
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
	ctx, stop := stopOnSignal(e)
	defer stop()

	if e.p == nil {
		e.p = newPrinter(chooseLanguage(e.getenv, systemLanguages()))
	}
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
			e.p.Fprintf(e.stderr, "lessonpub: interrupted; what was finished is kept, run the same command again to continue\n")
		} else {
			fmt.Fprintf(e.stderr, "lessonpub: %s\n", localError(e.p, err))
		}
	}
	var ue *usageError
	if errors.As(err, &ue) {
		e.p.Fprintf(e.stderr, "Run 'lessonpub help' for usage.\n")
	}
	suggestDoctor(e, err)
	return code
}

// localError is the message of err in p's language (printer.errorText),
// the problems of a course or lesson one to a line.
func localError(p *printer, err error) string {
	var ps *lessons.Problems
	if !errors.As(err, &ps) || ps.Error() != err.Error() {
		return p.errorText(err)
	}
	lines := make([]string, len(ps.Items))
	for i, it := range ps.Items {
		m := p.Sprintf(it.Format, it.Args...)
		if it.Line > 0 {
			lines[i] = fmt.Sprintf("%s:%d: %s", it.File, it.Line, m)
		} else {
			lines[i] = fmt.Sprintf("%s: %s", it.File, m)
		}
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return p.Sprintf("%d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// forceExitAfter is how long lessonpub winds down after Ctrl-C or SIGTERM
// (recording what was finished) before it exits anyway.
const forceExitAfter = 5 * time.Second

// stopOnSignal returns a context cancelled by the first Ctrl-C or SIGTERM.
// A second signal, or forceExitAfter without the command returning, ends
// the process at once: something stuck (a blocked open, a server that never
// answers) must never keep lessonpub running. The record is written
// atomically after every step, so an exit at any moment leaves it true.
func stopOnSignal(e *env) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		cancel()
		select {
		case <-sigs:
		case <-time.After(forceExitAfter):
		case <-done:
			return
		}
		fmt.Fprintln(e.stderr, "lessonpub: stopped; what was finished is kept, run the same command again to continue")
		os.Exit(exitInterrupted)
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

func newRootCmd(e *env) *cobra.Command {
	if e.p == nil {
		e.p = newPrinter(chooseLanguage(e.getenv, systemLanguages()))
	}
	root := &cobra.Command{
		Use:   "lessonpub",
		Short: "Publish recorded craft lessons as accessible YouTube lessons",
		Long: `lessonpub turns a recorded lesson into a published, accessible lesson:
it checks the captions, renders the video with ffmpeg (sign-language
interpreter picture-in-picture, caption tracks, even sound), and uploads it
into the course's YouTube playlist in lesson order.

` + e.p.translate(exitCodesHelp),
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
				return newUsageError(e.p.Errorf("unknown command %q", args[0]))
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
		newPreviewCmd(e),
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
		Long:  e.p.translate(exitCodesHelp),
	})
	root.InitDefaultHelpCmd() // now, so that its short help is translated too
	translateShort(root, e.p)
	return root
}

// translateShort puts every command's short help in the printer's
// language; each Short is a key of the locale files.
func translateShort(c *cobra.Command, p *printer) {
	c.Short = p.translate(c.Short)
	for _, sub := range c.Commands() {
		translateShort(sub, p)
	}
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
