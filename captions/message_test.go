package captions

import (
	"errors"
	"io/fs"
	"testing"
)

func TestErrorf(t *testing.T) {
	base := &fs.PathError{Op: "open", Path: "a.srt", Err: fs.ErrPermission}
	other := errors.New("second")
	err := Errorf("cannot read %s: %w (and %w)", "a.srt", base, other)
	if got, want := err.Error(), "cannot read a.srt: open a.srt: permission denied (and second)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, fs.ErrPermission) || !errors.Is(err, other) {
		t.Errorf("Errorf does not wrap what %%w names: %v", err)
	}
	var te *TextError
	if !errors.As(err, &te) {
		t.Fatal("not a *TextError")
	}
	format, args := te.Parts()
	if format != "cannot read %s: %v (and %v)" || len(args) != 3 {
		t.Errorf("Parts() = %q, %v: want the format with %%v for %%w and its three arguments", format, args)
	}
	if one := Errorf("no wrap %d", 1); errors.Unwrap(one) != nil || len(one.(*TextError).Unwrap()) != 0 {
		t.Errorf("an Errorf without %%w wraps something: %v", one.(*TextError).Unwrap())
	}
}
