package timing

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var calibrate = flag.Bool("timing.calibrate", false, "run the 10,000-sequence Poisson calibration of the period p-value")

// TestPoissonCalibration checks that DetectPeriod's p-value is calibrated under
// its null: for Poisson sequences the rejection rate at α is close to α. By
// default 1,000 sequences are run and the counts must lie in the central 99.9 %
// range of Binomial(1000, α); with -timing.calibrate (or TIMING_CALIBRATE=1) and
// without -short, 10,000 sequences are run and the rate must lie in
// [0.5α, 1.5α].
func TestPoissonCalibration(t *testing.T) {
	seqs := 1000
	long := !testing.Short() && (*calibrate || os.Getenv("TIMING_CALIBRATE") != "")
	if long {
		seqs = 10000
	}
	sizes := []int{20, 50, 200, 1000}
	spans := []float64{3600, 86400, 7 * 86400}
	rng := rand.New(rand.NewPCG(42, 1))
	var rej01, rej05 int
	var hist [10]int
	for i := range seqs {
		n := sizes[i%len(sizes)]
		span := spans[(i/len(sizes))%len(spans)]
		p := DetectPeriod(simPoisson(rng, n, span), PeriodOptions{}).P
		if p <= 0.01 {
			rej01++
		}
		if p <= 0.05 {
			rej05++
		}
		hist[min(9, int(p*10))]++
	}
	t.Logf("%d Poisson sequences: rejected %d at α=0.01 (%.2f %%), %d at α=0.05 (%.2f %%); p-value deciles %v",
		seqs, rej01, 100*float64(rej01)/float64(seqs), rej05, 100*float64(rej05)/float64(seqs), hist)
	check := func(alpha float64, got int) {
		var lo, hi int
		if long {
			lo, hi = int(math.Ceil(0.5*alpha*float64(seqs))), int(1.5*alpha*float64(seqs))
		} else {
			// Central 99.9 % of Binomial(1000, α) by the normal approximation.
			m := alpha * float64(seqs)
			sd := math.Sqrt(m * (1 - alpha))
			lo, hi = int(math.Floor(m-3.29*sd)), int(math.Ceil(m+3.29*sd))
		}
		if got < lo || got > hi {
			t.Errorf("rejections at α=%g: %d of %d, want within [%d, %d]", alpha, got, seqs, lo, hi)
		}
	}
	check(0.01, rej01)
	check(0.05, rej05)
}

func TestOnBeatChance(t *testing.T) {
	// Values computed by hand from the formula in the doc comment:
	// a=1, δ=0.1: k=1: e^-0.9 − e^-1.1 = 0.0736986; all 15 terms sum to 0.1418812.
	// a=2, δ=0.45 (every window ±0.45): Σ_k e^{-2k}(e^{0.9} − e^{-0.9}) = 2 sinh(0.9)·e^{-2}/(1 − e^{-2})
	// = 2.053020·0.156518 = 0.321336 (the k ≥ 16 tail, e^{-32}, is negligible).
	got := []float64{OnBeatChance(1, 0.1), OnBeatChance(2, 0.45), OnBeatChance(0, 0.1), OnBeatChance(1, math.NaN())}
	want := []float64{0.1418812, 0.3213360, 0, 0}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
		t.Errorf("OnBeatChance (-want +got):\n%s", diff)
	}
}

func TestBinomialMidP(t *testing.T) {
	// n=4, p=½: P(X=k) = C(4,k)/16 = 1,4,6,4,1 /16.
	// x=3: P(X>3) + ½P(X=3) = 1/16 + 2/16 = 0.1875. x=4: ½/16 = 0.03125.
	// x=0: 1 − ½/16 = 0.96875. n=10, p=0.1, x=10: ½·1e-10.
	got := []float64{BinomialMidP(3, 4, 0.5), BinomialMidP(4, 4, 0.5), BinomialMidP(0, 4, 0.5), BinomialMidP(10, 10, 0.1), BinomialMidP(1, 0, 0.5)}
	want := []float64{0.1875, 0.03125, 0.96875, 0.5e-10, 1}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-9, 0)); diff != "" {
		t.Errorf("BinomialMidP (-want +got):\n%s", diff)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	// Worked example of the doc comment; NaN and >1 count as 1.
	got := BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.5, math.NaN(), 2})
	// m = 6, sorted 0.01, 0.03, 0.04, 0.5, 1, 1: 6p/j = 0.06, 0.09, 0.08, 0.75, 1.2, 1
	// running minimum from the right: 1, 1, 0.75, 0.08, 0.08, 0.06.
	want := []float64{0.06, 0.08, 0.08, 0.75, 1, 1}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("BenjaminiHochberg (-want +got):\n%s", diff)
	}
	if got := BenjaminiHochberg(nil); len(got) != 0 {
		t.Errorf("BenjaminiHochberg(nil) = %v, want empty", got)
	}
}

var _ = time.Second
