package timing

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The worked example of MeasurePeriod's doc comment.
func TestMeasurePeriodWorked(t *testing.T) {
	var ts []int64
	for s := int64(0); s <= 1800; s += 60 {
		ts = append(ts, simEpoch+s*1e9)
		if s == 60 {
			ts = append(ts, simEpoch+80*1e9)
		}
	}
	p := MeasurePeriod(ts, 55*time.Second, PeriodOptions{})
	type figures struct {
		OK                   bool
		Seconds              float64
		Beats, Missed, Extra int
	}
	want := figures{OK: true, Seconds: 60, Beats: 31, Missed: 0, Extra: 1}
	got := figures{p.OK, p.Seconds, p.Beats, p.Missed, p.Extra}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MeasurePeriod (-want +got):\n%s", d)
	}
	if !(p.P < 1e-6) {
		t.Errorf("P = %g for 31 exact beats, want < 1e-6", p.P)
	}
}

// Measured at the period DetectPeriod found, a beacon gives DetectPeriod's
// figures: the same fixed point, walk and comb.
func TestMeasurePeriodAgreesWithDetect(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, c := range []struct {
		kind           jitterKind
		p, w, missed   float64
		beats, extraPc int
	}{
		{twoSided, 60, 0.1, 0, 500, 0},
		{twoSided, 300, 0.3, 0.2, 400, 10},
		{oneSided, 3600, 0.2, 0.1, 168, 0},
		{scheduled, 14400, 0.05, 0, 60, 20},
	} {
		ts := simBeacon(rng, c.kind, c.p, c.w, c.missed, c.beats)
		span := float64(ts[len(ts)-1]-ts[0]) / 1e9
		ts = append(ts, simPoisson(rng, len(ts)*c.extraPc/100, span)...)
		ts = sortedCopy(ts)
		d := DetectPeriod(ts, PeriodOptions{})
		m := MeasurePeriod(ts, time.Duration(d.Seconds*1.05*1e9), PeriodOptions{})
		if !d.OK || !m.OK {
			t.Fatalf("%v P=%g: detect OK %v, measure OK %v", c.kind, c.p, d.OK, m.OK)
		}
		keep := func(p Period) Period {
			p.P, p.Hits, p.Tested, p.Expected = 0, 0, 0, 0
			return p
		}
		close := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a)) })
		if diff := cmp.Diff(keep(d), keep(m), close); diff != "" {
			t.Errorf("%v P=%g j=%g: MeasurePeriod differs from DetectPeriod (-detect +measure):\n%s", c.kind, c.p, c.w, diff)
		}
		// Measured near the true period, wherever the search went.
		truth := c.kind.trueMean(c.p, c.w)
		a := MeasurePeriod(ts, time.Duration(truth*0.95*1e9), PeriodOptions{})
		if rel := math.Abs(a.Seconds/truth - 1); !a.OK || rel > 0.02 {
			t.Errorf("%v P=%g: measured %.2f s near the true %.2f s, relative error %.3f", c.kind, c.p, a.Seconds, truth, rel)
		}
	}
}

// With the period fixed in advance (not chosen on the data), P is the split
// test's: under a Poisson null its rejection rate at α is close to α.
func TestMeasurePeriodNull(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	const runs = 3000
	rej := map[float64]int{0.01: 0, 0.05: 0}
	for range runs {
		ts := simPoisson(rng, 200, 7*86400)
		near := time.Duration((600 + rng.Float64()*6000) * 1e9)
		p := MeasurePeriod(ts, near, PeriodOptions{Resolution: time.Nanosecond}).P
		for a := range rej {
			if p <= a {
				rej[a]++
			}
		}
	}
	for a, n := range rej {
		t.Logf("α = %g: %.4f", a, float64(n)/runs)
		// Bounds of [0.4α, 1.6α] for 3,000 runs: the binomial sd at α =
		// 0.01 is 0.18 %, so a calibrated test falls outside with
		// probability below 1e-3.
		if r := float64(n) / runs; r < 0.4*a || r > 1.6*a {
			t.Errorf("rejection rate at α = %g: %.4f, want within [%.4f, %.4f]", a, r, 0.4*a, 1.6*a)
		}
	}
}

func TestMeasurePeriodBadInput(t *testing.T) {
	beat := simBeacon(rand.New(rand.NewPCG(1, 1)), twoSided, 60, 0, 0, 50)
	same := make([]int64, 20)
	reversed := make([]int64, len(beat))
	for i, v := range beat {
		reversed[len(beat)-1-i] = v
	}
	for name, c := range map[string]struct {
		ts     []int64
		near   time.Duration
		wantOK bool
	}{
		"nil":          {nil, time.Minute, false},
		"one":          {beat[:1], time.Minute, false},
		"too few":      {beat[:MinPeriodEvents-1], time.Minute, false},
		"zero period":  {beat, 0, false},
		"negative":     {beat, -time.Minute, false},
		"identical":    {same, time.Minute, false},
		"unsorted":     {reversed, time.Minute, true},
		"far off beat": {beat, 7 * time.Second, true},
		"decades":      {[]int64{math.MinInt64, -1, 0, 1, 1 << 40, math.MaxInt64}, time.Hour, false},
	} {
		p := MeasurePeriod(c.ts, c.near, PeriodOptions{})
		if s := finiteResult(reflect.ValueOf(p), "Period"); s != "" {
			t.Errorf("%s: non-finite %s", name, s)
		}
		if p.OK != c.wantOK || !(p.P >= 0 && p.P <= 1) || (!p.OK && p.P != 1) {
			t.Errorf("%s: OK %v P %g, want OK %v", name, p.OK, p.P, c.wantOK)
		}
	}
	if got := MeasurePeriod(reversed, time.Minute, PeriodOptions{}); got != MeasurePeriod(beat, time.Minute, PeriodOptions{}) {
		t.Errorf("unsorted input measured differently from sorted")
	}
}

// FuzzMeasurePeriod feeds arbitrary times and periods to MeasurePeriod: no
// panic, finite figures, P in [0, 1], OK only with a positive period.
func FuzzMeasurePeriod(f *testing.F) {
	f.Fuzz(func(t *testing.T, near int64, data []byte) {
		if len(data) > 1<<14 {
			data = data[:1<<14]
		}
		ts := make([]int64, len(data)/8)
		for i := range ts {
			ts[i] = int64(binary.LittleEndian.Uint64(data[8*i:]))
		}
		p := MeasurePeriod(ts, time.Duration(near), PeriodOptions{})
		if s := finiteResult(reflect.ValueOf(p), "Period"); s != "" {
			t.Fatalf("non-finite %s for %v near %d", s, ts, near)
		}
		if !(p.P >= 0 && p.P <= 1) || (p.OK && !(p.Seconds > 0)) {
			t.Fatalf("bad period %+v", p)
		}
	})
}
