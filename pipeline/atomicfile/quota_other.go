//go:build !unix

package atomicfile

func isQuota(err error) bool { return false }
