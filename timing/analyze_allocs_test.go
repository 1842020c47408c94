package timing

import (
	"runtime/debug"
	"testing"
	"time"
)

// TestAnalyzeAllocs: with its buffers pooled, an Analyze call allocates
// only what its Result keeps: the periods, and the evidence lines of the
// result and of its cache test (a slice and one string each).
func TestAnalyzeAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers at random")
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	// A collection empties the pools; none may run while counting.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for _, n := range []int{30, 100, 300, 3000} {
		ts := benchSeq(n)
		opts := Options{Location: ny, Period: PeriodOptions{Min: 10 * time.Second}}
		Analyze(ts, opts)
		if got := testing.AllocsPerRun(20, func() { Analyze(ts, opts) }); got > 5 {
			t.Errorf("n=%d: %v allocations per call, want at most 5", n, got)
		}
	}
}
