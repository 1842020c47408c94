package timing

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchSeq is a 5-minute beacon with 20 % jitter and 25 % missed beats plus
// 10 % Poisson noise events, n events in all.
func benchSeq(n int) []int64 {
	rng := rand.New(rand.NewPCG(uint64(n), 99))
	ts := simBeacon(rng, twoSided, 300, 0.2, 0.25, n*4/3)
	if len(ts) > n {
		ts = ts[:n]
	}
	return ts
}

// BenchmarkAnalyze covers the sizes nexus meets per (client, domain) pair,
// 30 to 300 events, where the fixed cost of a call dominates, and large
// sequences, where the cost per event does. From ConcurrentEvents events on,
// "/serial" is the same call with Options.Serial, on one goroutine.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{30, 100, 300, 1e3, 1e4, 1e5, 1e6} {
		ts := benchSeq(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Analyze(ts, Options{})
			}
			b.ReportMetric(float64(len(ts)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
		if n < ConcurrentEvents {
			continue
		}
		b.Run(fmt.Sprintf("n=%d/serial", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Analyze(ts, Options{Serial: true})
			}
			b.ReportMetric(float64(len(ts)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkDetectPeriod(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		ts := benchSeq(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				DetectPeriod(ts, PeriodOptions{})
			}
			b.ReportMetric(float64(len(ts)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
