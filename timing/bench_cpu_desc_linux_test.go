package timing

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// descThreadCPU is the CPU time (user + system) of the calling OS thread.
func descThreadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestDescCPUTime measures the descriptive functions in thread CPU time per
// event (best of 3 rounds) at 10³…10⁶ events: on a shared, loaded machine
// wall-clock benchmarks mostly measure the queue for a core, while CPU time
// of the locked thread does not. Run with DNSNEXUS_TIMING_CPU=1 -v.
func TestDescCPUTime(t *testing.T) {
	if os.Getenv("DNSNEXUS_TIMING_CPU") == "" {
		t.Skip("set DNSNEXUS_TIMING_CPU=1 to measure CPU time per event")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	var gaps, buf []float64
	var dst []int64
	fns := []struct {
		name string
		fn   func([]int64)
	}{
		{"Gaps+SummarizeWith", func(ts []int64) { gaps = Gaps(gaps[:0], ts); _, buf = SummarizeWith(buf, gaps) }},
		{"Gaps+Burstiness+Memory", func(ts []int64) { gaps = Gaps(gaps[:0], ts); Burstiness(gaps); Memory(gaps) }},
		{"Fold", func(ts []int64) { dst = Fold(dst[:0], ts, 2*time.Second) }},
		{"RhythmOf", func(ts []int64) { RhythmOf(ts, ny) }},
		{"PersistenceOf", func(ts []int64) { PersistenceOf(ts, ny) }},
		{"SessionStatsOf", func(ts []int64) { SessionStatsOf(ts, 0) }},
		{"CacheGating", func(ts []int64) { CacheGating(ts, 300*time.Second) }},
	}
	for _, f := range fns {
		line := fmt.Sprintf("%-24s", f.name)
		for _, n := range descBenchSizes {
			ts := descBenchTimes(n)
			reps := max(3, 3_000_000/n)
			f.fn(ts)
			best := time.Duration(1 << 62)
			for range 3 {
				c0 := descThreadCPU()
				for range reps {
					f.fn(ts)
				}
				best = min(best, (descThreadCPU()-c0)/time.Duration(reps))
			}
			line += fmt.Sprintf(" | n=%-7d %10v %6.1f ns/ev", n, best, float64(best)/float64(n))
		}
		t.Log(line)
	}
}
