//go:build unix

package youtube

import (
	"os"
	"syscall"
)

// sharedDescriptor returns a second descriptor of f sharing its position,
// so the HTTP transport may send (with sendfile) and close one while the
// other still tells how far it got.
func sharedDescriptor(f *os.File) (*os.File, bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, false
	}
	nfd := -1
	var derr error
	if err := rc.Control(func(fd uintptr) {
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
		if nfd, derr = syscall.Dup(int(fd)); derr == nil {
			syscall.CloseOnExec(nfd)
		}
	}); err != nil || derr != nil {
		return nil, false
	}
	return os.NewFile(uintptr(nfd), f.Name()), true
}
