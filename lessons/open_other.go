//go:build !unix

package lessons

import "os"

// openNoBlock opens path for reading after checking that it is a regular
// file, so that a named pipe is not opened; Open checks the opened file again.
func openNoBlock(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	return os.Open(path)
}
