package pipeline

import (
	"context"
	"strings"

	"github.com/lessonpub/lessonpub/captions"
)

// ErrUnknownTarget is wrapped by Targets.Open when no destination is
// registered under the value's scheme.
var ErrUnknownTarget = captions.Errorf("unknown target")

// OpenFunc opens a destination from what follows its scheme and a colon in
// a --target value: "PATH" of "dir:PATH", "" of "youtube".
type OpenFunc func(ctx context.Context, arg string) (Target, error)

// Targets chooses a destination from a --target value ("youtube",
// "dir:PATH", "site:PATH") by its scheme, the part before the first colon,
// as restic chooses a backend from a repository location. The core
// registers nothing: cmd/lessonpub registers each destination package, so
// that adding one is a package and one Register call.
type Targets struct {
	schemes []targetScheme
}

type targetScheme struct {
	name, usage string
	open        OpenFunc
}

// Register adds the destination called scheme; usage shows the form of
// the value for people ("dir:PATH"). A later Register of the same scheme
// replaces the earlier one.
func (r *Targets) Register(scheme, usage string, open OpenFunc) {
	for i, s := range r.schemes {
		if s.name == scheme {
			r.schemes[i] = targetScheme{scheme, usage, open}
			return
		}
	}
	r.schemes = append(r.schemes, targetScheme{scheme, usage, open})
}

// Open opens the destination that spec names. An unregistered scheme is an
// error wrapping ErrUnknownTarget.
func (r *Targets) Open(ctx context.Context, spec string) (Target, error) {
	name, arg, _ := strings.Cut(spec, ":")
	for _, s := range r.schemes {
		if s.name == name {
			return s.open(ctx, arg)
		}
	}
	return nil, captions.Errorf("%w %q: use %s", ErrUnknownTarget, spec, r.UsageText())
}

// Usage lists the registered forms for people: "youtube or dir:PATH".
func (r *Targets) Usage() string { return r.UsageText().String() }

// UsageText is Usage kept as its English format and arguments, for a
// program that shows it translated.
func (r *Targets) UsageText() *captions.Text {
	var forms []string
	for _, s := range r.schemes {
		forms = append(forms, s.usage)
	}
	switch len(forms) {
	case 0:
		return captions.Textf("no destination (none is registered)")
	case 1:
		return captions.Textf("%s", forms[0])
	}
	return captions.Textf("%s or %s", strings.Join(forms[:len(forms)-1], ", "), forms[len(forms)-1])
}
