package timing

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestGapSummariesMatchSummarize: Analyze summarizes all gaps and the gaps
// inside sessions together; both must equal SummarizeWith on all gaps and
// on the gaps of at most idle, field for field, whether every gap, none or
// some lie inside sessions.
func TestGapSummariesMatchSummarize(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	cases := map[string][]int64{
		"beacon 300 s":        simBeacon(rng, twoSided, 300, 0.2, 0.25, 12000),
		"hourly (none inner)": simBeacon(rng, twoSided, 3600, 0.1, 0, 3000),
		"poisson 20 min":      simPoisson(rng, 5000, 5000*1200),
		"human":               simHuman(rng, 200, 60),
		"whole seconds":       descBenchTimes(20000),
		"small":               simPoisson(rng, 300, 300*600),
		"duplicates": func() []int64 {
			ts := simBeacon(rng, scheduled, 60, 0.1, 0, 3000)
			ts = append(ts, ts[:1500]...)
			slices.Sort(ts)
			return ts
		}(),
	}
	for name, ts := range cases {
		for _, idle := range []time.Duration{0, 10 * time.Minute, 90 * time.Minute, time.Second} {
			gaps := Gaps(nil, ts)
			var sc scratch
			all, inner := sc.gapSummaries(ts, gaps, idle)
			wantAll := Summarize(gaps)
			lim := idle
			if lim <= 0 {
				lim = DefaultIdle
			}
			var in []float64
			for i, g := range gaps {
				if ts[i+1]-ts[i] <= int64(lim) {
					in = append(in, g)
				}
			}
			wantInner := Summarize(in)
			if diff := cmp.Diff(wantAll, all); diff != "" {
				t.Errorf("%s idle %v: all gaps (-want +got):\n%s", name, idle, diff)
			}
			if diff := cmp.Diff(wantInner, inner); diff != "" {
				t.Errorf("%s idle %v: gaps inside sessions (-want +got):\n%s", name, idle, diff)
			}
		}
	}
}
