package labbench

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestBaselineKnownSignals(t *testing.T) {
	// A perfect 5-minute beacon over a day: skew 0 and MAD 0 give a timing
	// sub-score of 1; 24 equal hourly bins give CV 0, so 1; full coverage
	// gives 1; data size is 1. Score 1.
	var beacon []int64
	for i := range 288 {
		beacon = append(beacon, int64(i)*int64(5*time.Minute))
	}
	if got := Baseline(beacon); math.Abs(got-1) > 1e-12 {
		t.Errorf("perfect beacon: %g, want 1", got)
	}
	// Three timestamps are too few.
	if got := Baseline(beacon[:3]); got != 0 {
		t.Errorf("3 events: %g, want 0", got)
	}
	// Hand-checked: events at 0, 60, 120, 240 s. Gaps 60, 60, 120: Q1 = 60,
	// Q2 = 60, Q3 = 90 → Q2 = Q1, skew 0 → 1; MAD = median(0, 0, 60) = 0 → 1;
	// timing 1. Bins: all 4 in the last hour, mean 1/6, σ = √(16/24 − 1/36),
	// CV = 4.796…, so 0; 1 active hour < 11, no bimodal: hist 0. Coverage
	// 1/24, longest run 1/12: duration 1/12. Score (1 + 0 + 1/12 + 1)/4.
	got := Baseline([]int64{0, 60e9, 120e9, 240e9})
	if want := (2 + 1.0/12) / 4; math.Abs(got-want) > 1e-12 {
		t.Errorf("worked example: %g, want %g", got, want)
	}
	// Poisson traffic at one per 10 minutes scores well below the beacon.
	rng := rand.New(rand.NewPCG(1, 1))
	var poisson []int64
	for ts := int64(0); ts < int64(24*time.Hour); ts += int64(rng.ExpFloat64() * float64(10*time.Minute)) {
		poisson = append(poisson, ts)
	}
	if got := Baseline(poisson); got > 0.9 {
		t.Errorf("Poisson: %g, want well below 1", got)
	}
}
