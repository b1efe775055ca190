//go:build unix

package atomicfile

import (
	"errors"
	"syscall"
)

// isQuota reports a disk quota exceeded, which the user meets as a full disk.
func isQuota(err error) bool { return errors.Is(err, syscall.EDQUOT) }
