package timing

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestAnalyzeCPUTime measures Analyze on benchSeq(n) in thread CPU time per
// call (best of 5 rounds of about 0.05 s each), with the default options and
// with those nexus uses (a zone, periods from 10 s), from the 30 to 300
// events of one (client, domain) pair to 10⁶ events: wall-clock benchmarks
// on a shared machine mostly measure the queue for a core. Run with
// DNSNEXUS_TIMING_CPU=1 -v.
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
			reps := max(2, 4_000_000/(n+2000))
			best := time.Duration(1 << 62)
			for range 5 {
				c0 := descThreadCPU()
				for range reps {
					Analyze(ts, s.opts)
				}
				best = min(best, (descThreadCPU()-c0)/time.Duration(reps))
			}
			allocs := testing.AllocsPerRun(3, func() { Analyze(ts, s.opts) })
			t.Log(fmt.Sprintf("%-12s n=%-8d %12v/call %8.1f ns/event %6.0f allocs", s.name, n, best, float64(best)/float64(n), allocs))
		}
	}
}
