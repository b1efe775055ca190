package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/lessonpub/lessonpub/captions"
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
	if e.p == nil {
		e.p = newPrinter(chooseLanguage(e.getenv, systemLanguages()))
	}
	ctx, stop := stopOnSignal(e)
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
			e.p.Fprintf(e.stderr, "lessonpub: interrupted; what was finished is kept, run the same command again to continue\n")
		} else {
			// untranslated: the program's name before a message already in the person's language
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
	if len(ps.Items) == 1 {
		return p.text(problemText(ps.Items[0]))
	}
	return p.Sprintf("%d problems:\n  %s", len(ps.Items), problemList{items: ps.Items, sep: "\n  "})
}

// problemText is a problem of a course or lesson as its String says it,
// for a printer to translate.
func problemText(it lessons.Problem) msg {
	var m any = it.Message
	if it.Format != "" {
		m = msgf(it.Format, it.Args...)
	}
	if it.Line > 0 {
		return msgf("%s:%d: %s", it.File, it.Line, m)
	}
	return msgf("%s: %s", it.File, m)
}

// problemList is problems of a course or lesson as one error: its Error is
// their English one after the other, sep between them; a printer
// translates each.
type problemList struct {
	items []lessons.Problem
	sep   string
}

func (l problemList) Error() string {
	lines := make([]string, len(l.items))
	for i, it := range l.items {
		lines[i] = it.String()
	}
	return strings.Join(lines, l.sep)
}

func (l problemList) Parts() (string, []any) {
	args := make([]any, len(l.items))
	for i, it := range l.items {
		args[i] = problemText(it)
	}
	return strings.TrimSuffix(strings.Repeat("%s"+strings.ReplaceAll(l.sep, "%", "%%"), len(args)), strings.ReplaceAll(l.sep, "%", "%%")), args
}

// pathErrorText says the system's most common refusals to read in the
// printer's language: a file or folder that is not there, or may not be
// read. Others keep the system's English.
func pathErrorText(p *printer, e *fs.PathError) (string, bool) {
	switch {
	case errors.Is(e.Err, fs.ErrNotExist):
		return p.Sprintf("%s: there is no such file or folder", e.Path), true
	case errors.Is(e.Err, fs.ErrPermission):
		return p.Sprintf("%s: you may not open this (permission denied)", e.Path), true
	}
	return "", false
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
		e.p.Fprintf(e.stderr, "lessonpub: stopped; what was finished is kept, run the same command again to continue\n")
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
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return newUsageError(flagError(err)) })

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
	translateFlags(root, e.p)
	root.SetUsageTemplate(usageTemplate(root.UsageTemplate(), e.p))
	if e.p != nil && e.p.p != nil {
		usage := root.UsageFunc()
		root.SetUsageFunc(func(c *cobra.Command) error {
			// pflag writes "(default …)" itself: say it in the same language
			out := c.OutOrStderr()
			var b bytes.Buffer
			c.SetOut(&b)
			err := usage(c)
			c.SetOut(out)
			_, werr := io.WriteString(out, flagDefault.ReplaceAllStringFunc(b.String(), func(m string) string {
				return " " + e.p.Sprintf("(default %s)", flagDefault.FindStringSubmatch(m)[1])
			}))
			return errors.Join(err, werr)
		})
	}
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

// flagDefault is how pflag ends a flag's line with its default value.
var flagDefault = regexp.MustCompile(`(?m) \(default (.*)\)$`)

// usageTemplate is cobra's help template with its headings in the
// printer's language.
func usageTemplate(tmpl string, p *printer) string {
	if p == nil || p.p == nil {
		return tmpl
	}
	for _, h := range []struct{ english, local string }{
		{"Usage:", p.Sprintf("Usage:")},
		{"Aliases:", p.Sprintf("Aliases:")},
		{"Examples:", p.Sprintf("Examples:")},
		{"Available Commands:", p.Sprintf("Available Commands:")},
		{"Additional Commands:", p.Sprintf("Additional Commands:")},
		{"\nFlags:", "\n" + p.Sprintf("Flags:")},
		{"Global Flags:", p.Sprintf("Global Flags:")},
		{"Additional help topics:", p.Sprintf("Additional help topics:")},
		{`Use "{{.CommandPath}} [command] --help" for more information about a command.`,
			p.Sprintf("Use \"%s\" for more information about a command.", "{{.CommandPath}} [command] --help")},
	} {
		tmpl = strings.Replace(tmpl, h.english, h.local, 1)
	}
	return tmpl
}

// translateFlags puts the usage of every command's flags, cobra's help
// flag's too, in the printer's language; each usage is a key of the locale
// files. The flag names and the `NAME` of a flag's value stay as they are.
func translateFlags(c *cobra.Command, p *printer) {
	c.InitDefaultHelpFlag() // now, to translate it
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if _, cobras := f.Annotations[cobra.FlagSetByCobraAnnotation]; cobras && f.Name == "help" {
			f.Usage = p.Sprintf("help for %s", c.DisplayName())
			return
		}
		f.Usage = p.translate(f.Usage)
	})
	for _, sub := range c.Commands() {
		translateFlags(sub, p)
	}
}

// exactArgs is cobra.ExactArgs reporting a usage error (exit 2), in words
// a printer can translate.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			if own := captions.Errorf("accepts %d arg(s), received %d", n, len(args)); own.Error() == err.Error() {
				err = own
			}
			return newUsageError(err)
		}
		return nil
	}
}

// flagError is the error of a command line's flags that pflag made, in
// words a printer can translate; the English stays pflag's.
func flagError(err error) error {
	var own error
	var notExist *pflag.NotExistError
	var noValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	var syntax *pflag.InvalidSyntaxError
	switch {
	case errors.As(err, &notExist):
		if short, name := notExist.GetSpecifiedShortnames(), notExist.GetSpecifiedName(); short != "" && name != "" {
			own = captions.Errorf("unknown shorthand flag: %q in -%s", rune(name[0]), short)
		} else {
			own = captions.Errorf("unknown flag: --%s", notExist.GetSpecifiedName())
		}
	case errors.As(err, &noValue):
		if short, name := noValue.GetSpecifiedShortnames(), noValue.GetSpecifiedName(); short != "" && name != "" {
			own = captions.Errorf("flag needs an argument: %q in -%s", rune(name[0]), short)
		} else {
			own = captions.Errorf("flag needs an argument: --%s", noValue.GetSpecifiedName())
		}
	case errors.As(err, &invalid):
		name := "--" + invalid.GetFlag().Name
		if f := invalid.GetFlag(); f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "-" + f.Shorthand + ", " + name
		}
		cause := errors.Unwrap(invalid)
		if hint, ok := flagValueHint(invalid.GetFlag().Value.Type()); ok && cause != nil {
			cause = &hintedError{err: cause, hint: hint}
		}
		own = captions.Errorf("invalid argument %q for %q flag: %w", invalid.GetValue(), name, cause)
	case errors.As(err, &syntax):
		own = captions.Errorf("bad flag syntax: %s", syntax.GetSpecifiedFlag())
	}
	if own == nil || own.Error() != err.Error() {
		return err // a message of pflag's this does not know
	}
	return own
}

// flagValueHint says what a flag of the pflag type typ takes, for a person
// reading a parser's message (strconv.ParseInt: parsing "x": invalid
// syntax) in another language.
func flagValueHint(typ string) (msg, bool) {
	switch typ {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return msgf("give a whole number, such as 2"), true
	case "float32", "float64":
		return msgf("give a number, such as 1.5"), true
	case "duration":
		return msgf("give a duration, such as 1.5s or -500ms"), true
	case "bool":
		return msgf("give true or false"), true
	}
	return msg{}, false
}

// hintedError reads as err in English; a printer shows hint instead.
type hintedError struct {
	err  error
	hint msg
}

func (e *hintedError) Error() string          { return e.err.Error() }
func (e *hintedError) Unwrap() error          { return e.err }
func (e *hintedError) Parts() (string, []any) { return e.hint.Parts() }
