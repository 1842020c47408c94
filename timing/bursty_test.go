package timing

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBurstinessWorked checks hand-computed values (σ is the population
// standard deviation, r = σ/μ):
//
//	{1, 3}: μ 2, σ 1, r ½; B = (1−2)/(1+2) = −⅓;
//	        A₂ = (√3·½ − 1)/((√3−2)·½ + 1) = (√3−2)/√3 = 1 − 2/√3 = −0.154700538.
//	{1, 2, 3}: μ 2, σ = √(2/3), r = 0.408248290; √(n+1) − 2 = 0, so
//	        A₃ = (2r − √2)/√2 = √2·r − 1 = 1/√3 − 1 = −0.422649731;
//	        B = (r−1)/(r+1) = −0.420204103.
//	{0, 0, 0, 4}: μ 1, σ = √3 = √(n−1), the most bursty series of 4 gaps:
//	        A₄ = 1; B = (√3−1)/(√3+1) = 0.267949192.
//	{5, 5, 5, 5}: σ 0: A = B = −1.
func TestBurstinessWorked(t *testing.T) {
	r3 := math.Sqrt(2.0/3) / 2
	for _, tc := range []struct {
		name    string
		in      []float64
		wantA   float64
		wantRaw float64
	}{
		{"two", []float64{1, 3}, 1 - 2/math.Sqrt(3), -1.0 / 3},
		{"three", []float64{1, 2, 3}, 1/math.Sqrt(3) - 1, (r3 - 1) / (r3 + 1)},
		{"most bursty", []float64{0, 0, 0, 4}, 1, (math.Sqrt(3) - 1) / (math.Sqrt(3) + 1)},
		{"regular", []float64{5, 5, 5, 5}, -1, -1},
		{"one gap", []float64{5}, 0, 0},
		{"empty", nil, 0, 0},
		{"zero mean", []float64{0, 0, 0}, 0, 0},
		{"bad values skipped", []float64{1, math.NaN(), 3, math.Inf(1)}, 1 - 2/math.Sqrt(3), -1.0 / 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := [2]float64{Burstiness(tc.in), RawBurstiness(tc.in)}
			want := [2]float64{tc.wantA, tc.wantRaw}
			if diff := cmp.Diff(want, got, descApprox); diff != "" {
				t.Errorf("[Burstiness, RawBurstiness] (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMemoryWorked checks hand-computed memory coefficients.
//
//	{1, 2, 3, 4}: pairs (1,2) (2,3) (3,4) lie on a line: M = 1.
//	{1, 3, 1, 3, 1}: pairs alternate (1,3) (3,1): M = −1.
//	{1, 2, 4, 3}: x₁ = 1 2 4 (m₁ = 7/3), x₂ = 2 4 3 (m₂ = 3);
//	  d₁ = −4/3 −1/3 5/3, d₂ = −1 1 0; Σd₁d₂ = 4/3 − 1/3 = 1;
//	  Σd₁² = 42/9, Σd₂² = 2; M = 1/√(84/9) = 0.327326835.
func TestMemoryWorked(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want float64
	}{
		{"linear", []float64{1, 2, 3, 4}, 1},
		{"alternating", []float64{1, 3, 1, 3, 1}, -1},
		{"mixed", []float64{1, 2, 4, 3}, 1 / math.Sqrt(84.0/9)},
		{"constant", []float64{2, 2, 2, 2}, 0},
		{"two gaps", []float64{1, 2}, 0},
		{"bad values join neighbours", []float64{1, math.NaN(), 2, 4, math.Inf(-1), 3}, 1 / math.Sqrt(84.0/9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Memory(tc.in), descApprox); diff != "" {
				t.Errorf("Memory (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBurstinessKnownSignals: exponential gaps (Poisson) give A ≈ 0 and
// M ≈ 0; a regular series gives −1; sessions of short gaps separated by long
// idle gaps are bursty (A > 0); runs of gaps with a drifting mean have
// positive memory of a predictable size.
func TestBurstinessKnownSignals(t *testing.T) {
	r := descRand(7)
	const n = 20000
	exp := make([]float64, n)
	for i := range exp {
		exp[i] = r.ExpFloat64() * 60
	}
	// For n = 20,000 Poisson gaps r = σ/μ has standard error about
	// 1/√n ≈ 0.007, so A ≈ (r−1)/2 is within ±0.02 well beyond 4σ.
	if a := Burstiness(exp); math.Abs(a) > 0.02 {
		t.Errorf("Burstiness(exponential) = %.4f, want ≈ 0", a)
	}
	if m := Memory(exp); math.Abs(m) > 0.03 {
		t.Errorf("Memory(exponential) = %.4f, want ≈ 0", m)
	}
	regular := make([]float64, 1000)
	for i := range regular {
		regular[i] = 3600
	}
	if a := Burstiness(regular); a != -1 {
		t.Errorf("Burstiness(regular) = %v, want -1", a)
	}
	// Sessions: 20 gaps of Exp(mean 1…21 s) then one idle gap of Exp(6 h),
	// repeated: strongly bursty.
	var bursty []float64
	for range 500 {
		mean := 1 + 20*r.Float64()
		for range 20 {
			bursty = append(bursty, r.ExpFloat64()*mean)
		}
		bursty = append(bursty, r.ExpFloat64()*6*3600)
	}
	if a := Burstiness(bursty); a < 0.5 {
		t.Errorf("Burstiness(sessions) = %.3f, want > 0.5", a)
	}
	// Memory: runs of 50 gaps τ = m·E with E ~ Exp(1) and a run mean
	// m ~ U(1, 1001) s. Inside a run corr(τᵢ, τᵢ₊₁) = Var m / (Var m + E[m²])
	// = 83,333 / (83,333 + 334,334) = 0.1995 (Var m = 1000²/12,
	// E[m²] = Var m + 501²); run boundaries change little.
	var drift []float64
	for range 500 {
		mean := 1 + 1000*r.Float64()
		for range 50 {
			drift = append(drift, r.ExpFloat64()*mean)
		}
	}
	if m := Memory(drift); math.Abs(m-0.1995) > 0.08 {
		t.Errorf("Memory(drifting runs) = %.3f, want ≈ 0.20", m)
	}
}
