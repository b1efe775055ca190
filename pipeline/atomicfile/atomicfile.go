// Package atomicfile writes files so that a crash, a kill or a full disk at
// any instant leaves the old content or the new, never half of either, and
// says in one line what to do when the disk is full or the folder is not
// writable (Explain).
//
// The new content goes to a temporary file beside the destination, which is
// synced to disk and renamed over it; then the folder is synced, so the
// rename itself survives a power cut. The folder must exist: callers create
// it with the permissions it needs (0700 for secrets).
package atomicfile

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lessonpub/lessonpub/captions"
)

// WriteFile is os.WriteFile made atomic: afterwards path holds data and
// has permissions perm exactly (the umask does not reduce them).
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// File is a file being written in the place of another. Nothing is seen at
// its path until Commit; Abort, or a crash, leaves the path as it was.
type File struct {
	path string
	perm fs.FileMode
	tmp  *os.File
	done bool
	err  error // the first write error, returned again by Commit
}

// Create starts writing a file that will replace path, with permissions
// perm, once committed. Until then the content is readable by its owner
// only. Always call Abort (deferred) or Commit.
func Create(path string, perm fs.FileMode) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, Explain(captions.Errorf("writing %s: %w", path, err), filepath.Dir(path))
	}
	return &File{path: path, perm: perm, tmp: tmp}, nil
}

// Write writes to the new content.
func (f *File) Write(p []byte) (int, error) {
	if f.done {
		return 0, captions.Errorf("writing %s: %w", f.path, fs.ErrClosed)
	}
	n, err := f.tmp.Write(p)
	if err != nil && f.err == nil {
		f.err = Explain(captions.Errorf("writing %s: %w", f.path, err), f.path)
		return n, f.err
	}
	return n, err
}

// Commit puts the new content in place of the old: after it returns nil,
// the path has the new content and perm, and keeps them through a crash.
// On an error the old content stays and the temporary file is removed.
func (f *File) Commit() error {
	if f.done {
		return captions.Errorf("writing %s: %w", f.path, fs.ErrClosed)
	}
	if f.err != nil {
		f.Abort()
		return f.err
	}
	err := f.tmp.Chmod(f.perm)
	if err == nil {
		err = f.tmp.Sync()
	}
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	where := f.path
	if err == nil {
		err = os.Rename(f.tmp.Name(), f.path)
		where = filepath.Dir(f.path)
	}
	f.done = true
	if err != nil {
		os.Remove(f.tmp.Name())
		return Explain(captions.Errorf("writing %s: %w", f.path, err), where)
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// Abort drops the new content and leaves the path as it was. After Commit
// it does nothing, so it can be deferred right after Create.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	return errors.Join(f.tmp.Close(), os.Remove(f.tmp.Name()))
}

// syncDir makes a rename in dir durable. Some systems and filesystems
// cannot sync a folder; the rename has happened either way.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// Copy copies the file src to path the way Create writes: the old content
// or the new, never half. It reports progress (bytes copied, src's size)
// after each piece when progress is not nil, and stops when ctx is
// cancelled, leaving path as it was.
func Copy(ctx context.Context, src, path string, perm fs.FileMode, progress func(sent, total int64)) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer out.Abort()
	buf := make([]byte, 1<<20)
	var sent int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := in.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				return err
			}
			sent += int64(n)
			if progress != nil {
				progress(sent, fi.Size())
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	return out.Commit()
}
