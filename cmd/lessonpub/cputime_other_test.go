//go:build !unix

package main

import "time"

// cpuTime is 0 where getrusage is missing: the benchmark's cpu-s/op then
// reads 0 and only its wall time counts.
func cpuTime() time.Duration { return 0 }
