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
// events. On a shared machine wall-clock benchmarks mostly measure the
// queue for a core, and even CPU time grows for seconds at a time while
// another thread shares the core, so each size runs in many rounds of a
// few milliseconds (the sizes up to 10⁴ taking turns) and the least time of
// each is reported: the figure closest to an idle machine. Run with DNSNEXUS_TIMING_CPU=1 -v.
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
	sizes := []int{30, 100, 300, 1e3, 1e4, 1e5, 1e6}
	seqs := make([][]int64, len(sizes))
	for i, n := range sizes {
		seqs[i] = benchSeq(n)
	}
	for _, s := range sets {
		best := make([]time.Duration, len(sizes))
		for i := range best {
			best[i] = 1 << 62
			Analyze(seqs[i], s.opts)
		}
		// Up to 10⁴ events the sizes take turns; 10⁵ and 10⁶, whose
		// buffers leave the caches cold and start collections, run apart.
		round := func(i int) {
			reps := max(1, 20_000/(sizes[i]+200))
			c0 := threadCPU()
			for range reps {
				Analyze(seqs[i], s.opts)
			}
			best[i] = min(best[i], (threadCPU()-c0)/time.Duration(reps))
		}
		for range 200 {
			for i, n := range sizes {
				if n <= 1e4 {
					round(i)
				}
			}
		}
		for i, n := range sizes {
			if n > 1e4 {
				for range 20 {
					round(i)
				}
			}
		}
		for i, n := range sizes {
			allocs := testing.AllocsPerRun(3, func() { Analyze(seqs[i], s.opts) })
			t.Logf("%-12s n=%-8d %12v/call %8.1f ns/event %6.0f allocs", s.name, n, best[i], float64(best[i])/float64(n), allocs)
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
