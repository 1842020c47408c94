package timing

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const dSec = int64(time.Second)

var descApprox = cmpopts.EquateApprox(1e-9, 1e-12)

func TestGaps(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []int64
		want []float64
	}{
		{"none", nil, nil},
		{"one", []int64{7}, nil},
		{"sorted", []int64{0, 1 * dSec, 3 * dSec, 3 * dSec, 10 * dSec}, []float64{1, 2, 0, 7}},
		{"unsorted", []int64{10 * dSec, 0, 3 * dSec, 1 * dSec, 3 * dSec}, []float64{1, 2, 0, 7}},
		{"nanoseconds", []int64{1, 2, 1_000_000_002}, []float64{1e-9, 1}},
		// 1700-01-01 to 2250-01-01 is 200,883 days (Python: (date(2250,1,1) -
		// date(1700,1,1)).days), 17,356,291,200 s: the int64 difference
		// overflows and the float path is used.
		{"centuries", []int64{
			time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(),
			time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(),
		}, []float64{17356291200}},
		// (2⁶⁴ − 1) ns.
		{"extremes", []int64{math.MinInt64, math.MaxInt64}, []float64{18446744073.709551615}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Gaps(nil, tc.in)
			if diff := cmp.Diff(tc.want, got, descApprox); diff != "" {
				t.Errorf("Gaps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGapsAppends(t *testing.T) {
	got := Gaps([]float64{-1}, []int64{0, 2 * dSec})
	if diff := cmp.Diff([]float64{-1, 2}, got); diff != "" {
		t.Errorf("Gaps (-want +got):\n%s", diff)
	}
}

// TestSummarizeWorked checks a hand-computed example. Sample 1 2 4 8 16 32:
//
//	mean = 63/6 = 10.5; squared deviations 90.25 72.25 42.25 6.25 30.25
//	462.25 sum to 703.5, σ² = 703.5/6 = 117.25, σ = 10.8282039139.
//	CV = σ/10.5 = 1.03125751561.
//	Type-7 quantiles: median h = 2.5 → 4 + 0.5·(8−4) = 6;
//	Q1 h = 1.25 → 2 + 0.25·(4−2) = 2.5; Q3 h = 3.75 → 8 + 0.75·(16−8) = 14.
//	IQR = 11.5; Bowley = (14 + 2.5 − 12)/11.5 = 4.5/11.5 = 0.391304347826.
//	|x − 6| = 5 4 2 2 10 26 → sorted 2 2 4 5 10 26 → MAD = (4+5)/2 = 4.5
//	(raw, unscaled); MAD/median = 0.75.
func TestSummarizeWorked(t *testing.T) {
	want := Summary{
		N: 6, Min: 1, Max: 32, Mean: 10.5, StdDev: 10.8282039139, Median: 6, MAD: 4.5,
		Q1: 2.5, Q3: 14, IQR: 11.5, Bowley: 0.391304347826, CV: 1.03125751561, MADRatio: 0.75,
	}
	in := []float64{16, 1, 32, 4, 2, 8}
	got := Summarize(in)
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-11, 0)); diff != "" {
		t.Errorf("Summarize (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{16, 1, 32, 4, 2, 8}, in); diff != "" {
		t.Errorf("Summarize modified its input (-want +got):\n%s", diff)
	}
	// Unusable values are dropped and counted, the rest unchanged.
	want.Dropped = 3
	got = Summarize([]float64{16, math.NaN(), 1, 32, math.Inf(1), 4, 2, 8, 2e15})
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-11, 0)); diff != "" {
		t.Errorf("Summarize with bad values (-want +got):\n%s", diff)
	}
}

// TestSummarizeSmall checks odd sizes and degenerate samples by hand.
// 1 2 3 4 10: mean 4, squared deviations 9 4 1 0 36 → σ² = 10, σ = √10,
// CV = √10/4; median 3, Q1 2, Q3 4 (h = 1, 2, 3 exactly), Bowley
// (4+2−6)/2 = 0; |x−3| = 2 1 0 1 7 → MAD 1.
func TestSummarizeSmall(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want Summary
	}{
		{"empty", nil, Summary{}},
		{"all bad", []float64{math.NaN(), math.Inf(-1)}, Summary{Dropped: 2}},
		{"one", []float64{5}, Summary{N: 1, Min: 5, Max: 5, Mean: 5, Median: 5, Q1: 5, Q3: 5}},
		{"zeros", []float64{0, 0, 0}, Summary{N: 3}},
		{"odd", []float64{10, 4, 3, 2, 1}, Summary{
			N: 5, Min: 1, Max: 10, Mean: 4, StdDev: math.Sqrt(10), Median: 3, MAD: 1,
			Q1: 2, Q3: 4, IQR: 2, CV: math.Sqrt(10) / 4, MADRatio: 1.0 / 3,
		}},
		// Left-skewed: 1 9 10 10: Q1 h=0.75 → 1+0.75·8 = 7, median 9.5,
		// Q3 h=2.25 → 10; Bowley (10+7−19)/3 = −2/3.
		{"left skew", []float64{1, 9, 10, 10}, Summary{
			N: 4, Min: 1, Max: 10, Mean: 7.5, StdDev: math.Sqrt((42.25 + 2.25 + 6.25 + 6.25) / 4),
			Median: 9.5, MAD: 0.5, Q1: 7, Q3: 10, IQR: 3, Bowley: -2.0 / 3,
			CV: math.Sqrt((42.25+2.25+6.25+6.25)/4) / 7.5, MADRatio: 0.5 / 9.5,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.in)
			if diff := cmp.Diff(tc.want, got, descApprox); diff != "" {
				t.Errorf("Summarize (-want +got):\n%s", diff)
			}
		})
	}
}

// descRefQuantile is the type-7 quantile of a sorted sample, written
// straight from the definition as a reference for the selection code.
func descRefQuantile(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	lo := math.Floor(h)
	if int(lo)+1 >= len(x) {
		return x[int(lo)]
	}
	return x[int(lo)] + (h-lo)*(x[int(lo)+1]-x[int(lo)])
}

// TestSummarizeAgainstDefinition compares the selection-based quantiles and
// MAD with sort-then-read on random samples with ties and negative values,
// and on patterns that defeat naive pivots (sorted, reversed, constant,
// organ pipe, sawtooth).
func TestSummarizeAgainstDefinition(t *testing.T) {
	r := descRand(1)
	var samples [][]float64
	for range 3000 {
		n := 1 + r.IntN(60)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(r.IntN(20) - 5)
		}
		samples = append(samples, x)
	}
	for _, n := range []int{1000, 20000, 100000} { // large enough to sample pivots
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Round(r.NormFloat64() * 50)
		}
		samples = append(samples, x)
	}
	for _, n := range []int{2, 3, 10, 1001, 4096} {
		var asc, desc, flat, pipe, saw []float64
		for i := range n {
			asc = append(asc, float64(i))
			desc = append(desc, float64(n-i))
			flat = append(flat, 7)
			pipe = append(pipe, float64(min(i, n-1-i)))
			saw = append(saw, float64(i%17))
		}
		samples = append(samples, asc, desc, flat, pipe, saw)
	}
	for trial, x := range samples {
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		med := descRefQuantile(sorted, 0.5)
		dev := make([]float64, len(x))
		for i, v := range x {
			dev[i] = math.Abs(v - med)
		}
		slices.Sort(dev)
		want := [5]float64{sorted[0], descRefQuantile(sorted, 0.25), med, descRefQuantile(sorted, 0.75), descRefQuantile(dev, 0.5)}
		s := Summarize(x)
		got := [5]float64{s.Min, s.Q1, s.Median, s.Q3, s.MAD}
		if diff := cmp.Diff(want, got, descApprox); diff != "" {
			t.Fatalf("sample %d (n=%d): [Min Q1 Median Q3 MAD] (-want +got):\n%s", trial, len(x), diff)
		}
	}
}

func TestSummaryAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	times := make([]int64, 10000)
	for i := range times {
		times[i] = int64(i) * 3 * dSec
	}
	dst := make([]float64, 0, len(times))
	buf := make([]float64, 0, len(times))
	if a := testing.AllocsPerRun(20, func() { dst = Gaps(dst[:0], times) }); a != 0 {
		t.Errorf("Gaps with a reused buffer: %v allocations, want 0", a)
	}
	if a := testing.AllocsPerRun(20, func() { _, buf = SummarizeWith(buf, dst) }); a != 0 {
		t.Errorf("SummarizeWith with a reused buffer: %v allocations, want 0", a)
	}
	if a := testing.AllocsPerRun(20, func() { Summarize(dst) }); a != 1 {
		t.Errorf("Summarize: %v allocations, want 1", a)
	}
}

func TestFold(t *testing.T) {
	ms := int64(time.Millisecond)
	in := []int64{0, 200 * ms, 1 * dSec, 2500 * ms, 3 * dSec, 10 * dSec, 10 * dSec, 11900 * ms, 12 * dSec}
	for _, tc := range []struct {
		name string
		in   []int64
		tol  time.Duration
		want []int64
	}{
		// Anchors: 0 absorbs 0.2 and 1; 2.5 absorbs 3; 10 absorbs 10 and
		// 11.9; 12 is exactly tol after 10 and is kept.
		{"anchored", in, 2 * time.Second, []int64{0, 2500 * ms, 10 * dSec, 12 * dSec}},
		{"zero tol", in, 0, in},
		{"duplicates only", []int64{5, 5, 5, 6}, 1, []int64{5, 6}},
		{"steady stream", []int64{0, 1 * dSec, 2 * dSec, 3 * dSec, 4 * dSec, 5 * dSec, 6 * dSec, 7 * dSec, 8 * dSec, 9 * dSec}, 3 * time.Second, []int64{0, 3 * dSec, 6 * dSec, 9 * dSec}},
		{"unsorted", []int64{3 * dSec, 0, 1 * dSec}, 2 * time.Second, []int64{0, 3 * dSec}},
		{"extremes", []int64{math.MinInt64, math.MaxInt64}, time.Hour, []int64{math.MinInt64, math.MaxInt64}},
		{"empty", nil, time.Second, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Fold(nil, tc.in, tc.tol)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Fold (-want +got):\n%s", diff)
			}
		})
	}
	// In place.
	c := append([]int64(nil), in...)
	got := Fold(c[:0], c, 2*time.Second)
	if diff := cmp.Diff([]int64{0, 2500 * ms, 10 * dSec, 12 * dSec}, got); diff != "" {
		t.Errorf("Fold in place (-want +got):\n%s", diff)
	}
}

func TestSummarizeInPlace(t *testing.T) {
	x := []float64{16, math.NaN(), 1, 32, 4, 2, 8}
	want := Summarize(slices.Clone(x))
	got, _ := SummarizeWith(x[:0], x)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SummarizeWith in place (-want +got):\n%s", diff)
	}
}
