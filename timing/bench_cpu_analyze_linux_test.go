package timing

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestAnalyzeCPUTime measures Analyze on benchSeq(n) in thread CPU time per
// call, with the default options and with those nexus uses (a zone, periods
// from 10 s), from the 30 to 300 events of one (client, domain) pair to 10⁶
// events. The figure is the least of 15 rounds of about 20 ms: on a shared
// machine wall-clock benchmarks mostly measure the queue for a core, and
// even CPU time grows when another thread shares the core, so the least is
// the one closest to an idle machine. Run with DNSNEXUS_TIMING_CPU=1 -v.
func TestAnalyzeCPUTime(t *testing.T) {
	if os.Getenv("DNSNEXUS_TIMING_CPU") == "" {
		t.Skip("set DNSNEXUS_TIMING_CPU=1 to measure CPU time per call")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	sets := []struct {
		name string
		opts Options
	}{
		{"default", Options{}},
		{"zone+min10s", Options{Location: ny, Period: PeriodOptions{Min: 10 * time.Second}}},
	}
	for _, s := range sets {
		for _, n := range []int{30, 100, 300, 1e3, 1e4, 1e5, 1e6} {
			ts := benchSeq(n)
			Analyze(ts, s.opts)
			reps := max(2, 1_500_000/(n+2000))
			best := time.Duration(1 << 62)
			for range 15 {
				c0 := threadCPU()
				for range reps {
					Analyze(ts, s.opts)
				}
				best = min(best, (threadCPU()-c0)/time.Duration(reps))
			}
			allocs := testing.AllocsPerRun(3, func() { Analyze(ts, s.opts) })
			t.Logf("%-12s n=%-8d %12v/call %8.1f ns/event %6.0f allocs", s.name, n, best, float64(best)/float64(n), allocs)
		}
	}
}

// threadCPU is the CPU time of the calling OS thread from
// CLOCK_THREAD_CPUTIME_ID, to the nanosecond (getrusage counts in ticks).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
