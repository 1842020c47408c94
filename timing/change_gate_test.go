package timing

import (
	"math"
	"math/rand/v2"
	"testing"
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
