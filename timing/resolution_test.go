package timing

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestResolution(t *testing.T) {
	for _, c := range []struct {
		times []int64
		want  time.Duration
	}{
		{[]int64{3e9, 17e9}, time.Second},
		{[]int64{3e9, 17_100_000_000}, 100 * time.Millisecond},
		{[]int64{1_000_001_000}, time.Microsecond},
		{[]int64{1}, time.Nanosecond},
		{nil, time.Nanosecond},
	} {
		if got := Resolution(c.times); got != c.want {
			t.Errorf("Resolution(%v) = %v, want %v", c.times, got, c.want)
		}
	}
}

// Poisson traffic logged with whole-second stamps: every gap is a whole
// number of seconds, a lattice that short periods seem to fit. With the
// resolution taken into account the test stays calibrated: at α = 0.01 the
// rejections over 100 sequences of 5,000 lookups are Binomial(100, ≤ 0.01),
// and more than 4 would happen with probability 0.34 %. (Read as exact
// stamps, most of these sequences are "significant" at a period of 2–9 s.)
func TestPeriodRoundedPoissonCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	rejected := 0
	for range 100 {
		var times []int64
		ts := int64(0)
		for range 5000 {
			ts += int64(rng.ExpFloat64() * 120e9)
			times = append(times, ts/1e9*1e9)
		}
		if p := DetectPeriod(times, PeriodOptions{}); p.P < 0.01 {
			rejected++
		}
	}
	if rejected > 4 {
		t.Errorf("rounded Poisson: %d of 100 sequences significant at 0.01", rejected)
	}
}
