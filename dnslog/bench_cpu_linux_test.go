package dnslog

import (
	"syscall"
	"time"
)

// cpuTimes returns the CPU time (user and system) of the whole process
// and of the calling OS thread, or false where they are not available.
func cpuTimes() (process, thread time.Duration, ok bool) {
	var p, t syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &p) != nil || syscall.Getrusage(syscall.RUSAGE_THREAD, &t) != nil {
		return 0, 0, false
	}
	return time.Duration(p.Utime.Nano() + p.Stime.Nano()), time.Duration(t.Utime.Nano() + t.Stime.Nano()), true
}
