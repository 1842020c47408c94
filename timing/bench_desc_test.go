package timing

import (
	"fmt"
	"testing"
	"time"
)

var descBenchSizes = []int{1_000, 10_000, 100_000, 1_000_000}

// descBenchTimes is a 60-s timer with ±20 % jitter plus a share of extra
// events, spread over days, so every path (zones, sessions, floors) does
// real work.
func descBenchTimes(n int) []int64 {
	r := descRand(uint64(n))
	out := make([]int64, n)
	t := int64(1_780_000_000) * dSec
	for i := range out {
		if r.IntN(10) == 0 {
			t += int64(r.ExpFloat64() * 3600e9)
		} else {
			t += int64((48 + 24*r.Float64()) * 1e9)
		}
		out[i] = t
	}
	return out
}

func descBench(b *testing.B, name string, fn func(times []int64)) {
	for _, n := range descBenchSizes {
		times := descBenchTimes(n)
		b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fn(times)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkGapsSummary(b *testing.B) {
	var gaps, buf []float64
	descBench(b, "GapsSummarizeWith", func(times []int64) {
		gaps = Gaps(gaps[:0], times)
		_, buf = SummarizeWith(buf, gaps)
	})
}

func BenchmarkBurstinessMemory(b *testing.B) {
	var gaps []float64
	descBench(b, "GapsBurstinessMemory", func(times []int64) {
		gaps = Gaps(gaps[:0], times)
		Burstiness(gaps)
		Memory(gaps)
	})
}

func BenchmarkFold(b *testing.B) {
	var dst []int64
	descBench(b, "Fold", func(times []int64) { dst = Fold(dst[:0], times, 2*time.Second) })
}

func BenchmarkRhythmOf(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip(err)
	}
	descBench(b, "RhythmOf", func(times []int64) { RhythmOf(times, ny) })
}

func BenchmarkPersistenceOf(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip(err)
	}
	descBench(b, "PersistenceOf", func(times []int64) { PersistenceOf(times, ny) })
}

func BenchmarkSessionStatsOf(b *testing.B) {
	descBench(b, "SessionStatsOf", func(times []int64) { SessionStatsOf(times, 0) })
}

func BenchmarkCacheGating(b *testing.B) {
	descBench(b, "CacheGating", func(times []int64) { CacheGating(times, 300*time.Second) })
}
