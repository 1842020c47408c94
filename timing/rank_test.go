package timing

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSummarizeCountingExact: from histMinN values on, Summarize counts
// instead of selecting. Its quartiles and MAD must be exactly (bit for bit)
// the type-7 quantiles read from a sorted copy, and the whole Summary must
// equal that of the selection path (taken when summarizing in place), on
// shapes that stress the buckets: heavy ties, one value, far outliers, a
// MAD outside the range counted for it, both signs, tiny and huge scales.
func TestSummarizeCountingExact(t *testing.T) {
	r := descRand(5)
	gen := map[string]func(i, n int) float64{
		"uniform":     func(int, int) float64 { return r.Float64() * 100 },
		"exponential": func(int, int) float64 { return r.ExpFloat64() * 300 },
		"beacon":      func(int, int) float64 { return 300 * (1 + 0.2*(r.Float64()-0.5)) * float64(1+r.IntN(3)) },
		"ties":        func(int, int) float64 { return float64(270 + r.IntN(61)) },
		"two values":  func(i, _ int) float64 { return float64(3 + 297*(i%2)) },
		"constant":    func(int, int) float64 { return 42 },
		"outliers": func(int, int) float64 {
			if r.IntN(50) == 0 {
				return 1e9 * r.Float64()
			}
			return 60 + r.Float64()
		},
		// Half the values at the median, the rest far off: the MAD is 0
		// or far outside the range counted for it.
		"spike": func(i, _ int) float64 {
			if i%2 == 0 {
				return 10
			}
			return 10 + 1000*r.Float64()
		},
		"both signs": func(int, int) float64 { return r.NormFloat64() },
		"huge both":  func(int, int) float64 { return r.NormFloat64() * 1e14 },
		"tiny":       func(int, int) float64 { return r.Float64() * 1e-300 },
		"zeros":      func(i, _ int) float64 { return float64(i%3) * 0 },
		"sorted":     func(i, _ int) float64 { return float64(i) },
		"reversed":   func(i, n int) float64 { return float64(n - i) },
	}
	for name, f := range gen {
		for _, n := range []int{histMinN, 1500, 10_000, 65_537} {
			x := make([]float64, n)
			for i := range x {
				x[i] = f(i, n)
			}
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			med := descRefQuantile(sorted, 0.5)
			dev := make([]float64, n)
			for i, v := range x {
				dev[i] = math.Abs(v - med)
			}
			slices.Sort(dev)
			want := [4]float64{descRefQuantile(sorted, 0.25), med, descRefQuantile(sorted, 0.75), descRefQuantile(dev, 0.5)}
			s := Summarize(x)
			got := [4]float64{s.Q1, s.Median, s.Q3, s.MAD}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s n=%d: [Q1 Median Q3 MAD] (-want +got):\n%s", name, n, diff)
			}
			inPlace, _ := SummarizeWith(x[:0], slices.Clone(x))
			if diff := cmp.Diff(inPlace, s); diff != "" {
				t.Errorf("%s n=%d: counting vs selection (-selection +counting):\n%s", name, n, diff)
			}
		}
	}
}

// TestRankValues checks the counting selection against a sorted copy for
// every rank pattern, including ranks outside the range counted.
func TestRankValues(t *testing.T) {
	r := descRand(6)
	src := make([]float64, 5000)
	for i := range src {
		src[i] = math.Round(r.ExpFloat64()*1000) / 10
	}
	sorted := slices.Clone(src)
	slices.Sort(sorted)
	dst := make([]float64, len(src))
	for range 200 {
		ks := []int{r.IntN(len(src)), r.IntN(len(src)), r.IntN(len(src))}
		slices.Sort(ks)
		lo, hi := sorted[r.IntN(len(src))], sorted[r.IntN(len(src))]
		if lo > hi {
			lo, hi = hi, lo
		}
		out := make([]float64, len(ks))
		ok := rankValues(dst, &rankSource{src: src, n: len(src)}, sortKey(lo), sortKey(hi), ks, out, nil)
		// A value equal to a bound has the bound's key: it is in range.
		inRange := sorted[ks[0]] >= lo && sorted[ks[len(ks)-1]] <= hi
		if ok != inRange {
			t.Fatalf("ranks %v (values %v…%v) in [%v, %v]: found %v, want %v", ks, sorted[ks[0]], sorted[ks[len(ks)-1]], lo, hi, ok, inRange)
		}
		if !ok {
			continue
		}
		for i, k := range ks {
			if out[i] != sorted[k] {
				t.Fatalf("rank %d: %v, want %v", k, out[i], sorted[k])
			}
		}
	}
}
