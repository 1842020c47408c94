package timing

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestApproxLog: the fast logarithm of the change search is within 1e-13
// of math.Log over the range of gaps (1 ms to centuries), at octave and
// table-step boundaries, and at random points.
func TestApproxLog(t *testing.T) {
	r := descRand(9)
	var xs []float64
	for e := -10; e <= 40; e++ {
		for j := range 129 {
			c := math.Ldexp(1+float64(j)/128, e)
			xs = append(xs, c, math.Nextafter(c, 0), math.Nextafter(c, math.Inf(1)))
		}
	}
	for range 200_000 {
		xs = append(xs, 1e-3*math.Pow(10, 14*r.Float64()))
	}
	worst := 0.0
	for _, x := range xs {
		if x < 1e-3 {
			continue
		}
		d := math.Abs(approxLog(x) - math.Log(x))
		worst = math.Max(worst, d)
		if d > 1e-13 {
			t.Fatalf("approxLog(%v) = %v, math.Log = %v: off by %g", x, approxLog(x), math.Log(x), d)
		}
	}
	t.Logf("worst error %g over %d values", worst, len(xs))
}

// TestLogCUSUMGateSound: whenever the approximation declares the CUSUM of
// the log gaps below the gate, the exact statistic is below it; and on
// steady beacons and Poisson traffic it does declare so (the shortcut
// works), while on a change of period it does not.
func TestLogCUSUMGateSound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	exact := func(ts []int64) float64 {
		x := make([]float64, len(ts)-1)
		for i := range x {
			x[i] = math.Log(math.Max(secondsBetween(ts[i], ts[i+1]), 1e-3))
		}
		_, stat := cusum(x)
		return stat
	}
	var certified, steady, changes int
	check := func(name string, ts []int64) bool {
		var sc scratch
		_, below := sc.marksAndLogGate(ts, nil, 60, 0.1)
		st := exact(ts)
		if below && !(st < cusumGate) {
			t.Fatalf("%s: gate claimed below %v, exact statistic %v", name, cusumGate, st)
		}
		if below {
			certified++
		}
		return below
	}
	for i := range 300 {
		n := 30 + rng.IntN(5000)
		var ts []int64
		switch i % 5 {
		case 0:
			ts = simBeacon(rng, twoSided, 60+rng.Float64()*600, rng.Float64()*0.5, rng.Float64()*0.5, n)
		case 1:
			ts = simPoisson(rng, n, float64(n)*100)
		case 2: // whole-second beacon: few distinct gaps
			ts = simBeacon(rng, scheduled, 300, 0.02, 0, n)
			for j := range ts {
				ts[j] = ts[j] / 1e9 * 1e9
			}
		case 3: // exact beacon: constant gaps
			ts = descSeq(n, 60e9)
		case 4: // a change of period halfway
			a := simBeacon(rng, twoSided, 60, 0.1, 0.1, n/2)
			b := simBeacon(rng, twoSided, 600, 0.1, 0.1, n/2)
			off := a[len(a)-1] - b[0] + 600e9
			for j := range b {
				b[j] += off
			}
			ts = append(a, b...)
		}
		if len(ts) < 3 {
			continue
		}
		below := check("sequence", ts)
		if i%5 < 2 && exact(ts) < 0.9*cusumGate {
			steady++
			if !below {
				t.Errorf("sequence %d (kind %d, %d events): exact statistic %.3f well below the gate, not certified", i, i%5, len(ts), exact(ts))
			}
		}
		if i%5 == 4 && below {
			changes++
		}
	}
	if changes > 0 {
		t.Errorf("%d changes of period certified as below the gate", changes)
	}
	t.Logf("certified %d sequences; %d steady ones", certified, steady)
}

// TestMarksGateSound: whenever the exact integer form declares the CUSUM
// of the beat marks below the gate, cusum's statistic is below it; it
// declares so for most sequences well below the gate, never for a
// change of the share of marks; and the change search's marks are
// beatMarks', value for value.
func TestMarksGateSound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var certified, steady, missed int
	for i := range 2000 {
		n := 2 + rng.IntN(3000)
		if i%10 == 0 {
			n = 2 + rng.IntN(20)
		}
		p := rng.Float64()
		q := p // share of ones after the change, if any
		if i%3 == 2 {
			q = rng.Float64()
		}
		marks := make([]uint8, n)
		x := make([]float64, n)
		ones := 0
		for j := range marks {
			r := p
			if j >= n/2 {
				r = q
			}
			if rng.Float64() < r {
				marks[j], x[j] = 1, 1
				ones++
			}
		}
		_, stat := cusum(x)
		below := marksBelowGate(marks, ones)
		if below && !(stat < cusumGate) {
			t.Fatalf("n %d, %d ones: gate claimed below, cusum statistic %v", n, ones, stat)
		}
		if below {
			certified++
		}
		if stat < 0.999*cusumGate {
			steady++
			if !below {
				missed++
			}
		}
	}
	if missed > 0 {
		t.Errorf("%d of %d sequences below 0.999 × the gate not certified", missed, steady)
	}
	t.Logf("certified %d of 2000 sequences", certified)

	ts := simBeacon(rng, twoSided, 60, 0.3, 0.3, 3000)
	var sc scratch
	gaps := Gaps(nil, ts)
	for _, gs := range [][]float64{gaps, nil} {
		got := sc.beatMarks(ts, gs, 60, 0.1)
		if diff := cmp.Diff(beatMarks(ts, 60, 0.1, false), got); diff != "" {
			t.Errorf("marks, gaps given %v (-want +got):\n%s", gs != nil, diff)
		}
	}
}
