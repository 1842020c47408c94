package timing

import (
	"math"
	"math/rand/v2"
	"time"
)

// Simulated signals for the tests. Jitter w is the total width of a uniform
// jitter relative to the nominal period P.
type jitterKind int

const (
	twoSided  jitterKind = iota // renewal: gap = P·(1 + w·(U − ½))
	oneSided                    // renewal: gap = P·(1 − w·U), mean P·(1 − w/2)
	scheduled                   // t_k = t_0 + k·P + w·P·(U − ½)
)

func (k jitterKind) String() string {
	return [...]string{"two-sided", "one-sided", "scheduled"}[k]
}

// simEpoch is Monday 2026-01-05 00:00 UTC.
var simEpoch = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).UnixNano()

// trueMean is the mean beat interval the detector should report.
func (k jitterKind) trueMean(p, w float64) float64 {
	if k == oneSided {
		return p * (1 - w/2)
	}
	return p
}

// simBeacon returns beats beats of a beacon with period p seconds, jitter w,
// each beat missed with probability missed (the first one is kept).
func simBeacon(rng *rand.Rand, kind jitterKind, p, w, missed float64, beats int) []int64 {
	out := make([]int64, 0, beats)
	t0 := float64(simEpoch)/1e9 + rng.Float64()*p
	cur := t0
	for k := 0; k < beats; k++ {
		var at float64
		switch kind {
		case twoSided:
			if k > 0 {
				cur += p * (1 + w*(rng.Float64()-0.5))
			}
			at = cur
		case oneSided:
			if k > 0 {
				cur += p * (1 - w*rng.Float64())
			}
			at = cur
		case scheduled:
			at = t0 + float64(k)*p + w*p*(rng.Float64()-0.5)
		}
		if k > 0 && rng.Float64() < missed {
			continue
		}
		out = append(out, int64(math.Round(at*1e9)))
	}
	return out
}

// simPoisson returns n sorted uniform times on [epoch, epoch+span).
func simPoisson(rng *rand.Rand, n int, span float64) []int64 {
	out := make([]int64, 0, n)
	// Exponential gaps: a Poisson process (not conditioned on the span).
	cur := float64(simEpoch)
	mean := span / float64(n)
	for range n {
		cur += rng.ExpFloat64() * mean * 1e9
		out = append(out, int64(cur))
	}
	return out
}
