package timing_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/dnsnexus/dnsnexus/timing"
)

// secs turns offsets in seconds from 2026-01-05 00:00 UTC into event times.
func secs(offsets ...float64) []int64 {
	base := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).UnixNano()
	out := make([]int64, len(offsets))
	for i, s := range offsets {
		out[i] = base + int64(s*1e9)
	}
	return out
}

// A 10 s beacon that missed two beats: the gaps 10, 10, 20, 10, 10, 20, 10
// span 9 beats in 90 s.
func ExampleDetectPeriod() {
	// The stamps are exact: say so, or whole-second stamps are read as
	// rounded to the second (see PeriodOptions.Resolution).
	exact := timing.PeriodOptions{Resolution: time.Nanosecond}
	p := timing.DetectPeriod(secs(0, 10, 20, 40, 50, 60, 80, 90), exact)
	fmt.Printf("period %.1f s, %d beats, %d missed (%.0f %%), p = %.1e\n", p.Seconds, p.Beats, p.Missed, 100*p.MissedFrac, p.P)
	// Output: period 10.0 s, 8 beats, 2 missed (22 %), p = 5.5e-05
}

// A one-minute heartbeat for a day plus an hourly task: the task events are off
// the heartbeat's beat and form the second period.
func ExampleDetectPeriods() {
	var s []float64
	for i := range 24 * 60 {
		s = append(s, float64(i)*60)
	}
	for h := range 24 {
		s = append(s, float64(h)*3600+1234)
	}
	slices.Sort(s)
	for _, p := range timing.DetectPeriods(secs(s...), timing.PeriodOptions{}) {
		fmt.Printf("%.0f s (%d beats, p < 1e-6: %v)\n", p.Seconds, p.Beats, p.P < 1e-6)
	}
	// Output:
	// 60 s (1440 beats, p < 1e-6: true)
	// 3600 s (24 beats, p < 1e-6: true)
}

// A beacon that slows from 60 s to 300 s after 100 beats.
func ExampleDetectChange() {
	var s []float64
	for i := range 100 {
		s = append(s, float64(i)*60)
	}
	for i := range 60 {
		s = append(s, 99*60+float64(i+1)*300)
	}
	c, ok := timing.DetectChange(secs(s...), timing.PeriodOptions{})
	fmt.Println(ok, c.Index, time.Unix(0, c.At).UTC().Format(time.TimeOnly), c.Before.Seconds, c.After.Seconds)
	// Output: true 100 01:44:00 60 300
}

// Four p-values: sorted 0.01, 0.03, 0.04, 0.5 scale by m/rank = 4, 2, 4/3, 1
// to 0.04, 0.06, 0.0533, 0.5; the running minimum from the right gives the
// q-values.
func ExampleBenjaminiHochberg() {
	q := timing.BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.5})
	fmt.Printf("%.4f\n", q)
	// Output: [0.0400 0.0533 0.0533 0.5000]
}

// The chance that an exponential gap lands within ±10 % (widening as √k) of a
// multiple of a period equal to the mean gap.
func ExampleOnBeatChance() {
	fmt.Printf("%.4f\n", timing.OnBeatChance(1, 0.1))
	// Output: 0.1419
}

// Three hits of four at p = ½: P(X > 3) + ½·P(X = 3) = 1/16 + 2/16.
func ExampleBinomialMidP() {
	fmt.Printf("%.4f\n", timing.BinomialMidP(3, 4, 0.5))
	// Output: 0.1875
}

// A two-week hourly beacon with 10 % jitter and a third of its beats missed.
func ExampleAnalyze() {
	rng := rand.New(rand.NewPCG(1, 1))
	var s []float64
	for t := 0.0; t < 14*86400; t += 3600 * (0.95 + 0.1*rng.Float64()) {
		if rng.Float64() >= 1.0/3 {
			s = append(s, t)
		}
	}
	r := timing.Analyze(secs(s...), timing.Options{Location: time.UTC})
	fmt.Printf("%d events, period %.0f s, p < 1e-9: %v, missed %.0f %%\n", r.Folded, r.Period.Seconds, r.Period.P < 1e-9, 100*r.Period.MissedFrac)
	fmt.Println(r.Evidence[0])
	// Output:
	// 217 events, period 3606 s, p < 1e-9: true, missed 36 %
	// period 3,606 s ± 0.16 %, p = 1e-100, 216 beats, 36 % missed, jitter 2.9 %
}

func ExampleOnBeat() {
	s := int64(time.Second)
	// A 10 s timer with one beat missed (30 s) and one stray event (23 s).
	times := []int64{0, 10 * s, 20 * s, 23 * s, 40 * s, 50 * s, 60 * s}
	p := timing.Period{OK: true, Seconds: 10, Tolerance: 0.05}
	fmt.Println(timing.OnBeat(times, p, -1))
	// Output:
	// [true true true false true true true]
}
