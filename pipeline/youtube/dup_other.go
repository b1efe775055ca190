//go:build !unix

package youtube

import "os"

// sharedDescriptor is not available here: uploads copy through user space.
func sharedDescriptor(f *os.File) (*os.File, bool) { return nil, false }
