package timing

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOnBeatWorked(t *testing.T) {
	s := int64(time.Second)
	times := []int64{0, 10 * s, 20 * s, 23 * s, 40 * s, 50 * s}
	p := Period{OK: true, Seconds: 10, Tolerance: 0.05}
	want := []bool{true, true, true, false, true, true}
	if diff := cmp.Diff(want, OnBeat(times, p, -1)); diff != "" {
		t.Errorf("OnBeat (-want +got):\n%s", diff)
	}
	// An AAAA twin 30 ms after an on-beat event takes its label.
	times = []int64{0, 10 * s, 10*s + 30e6, 20 * s, 23 * s}
	want = []bool{true, true, true, true, false}
	if diff := cmp.Diff(want, OnBeat(times, p, 0)); diff != "" {
		t.Errorf("OnBeat with folding (-want +got):\n%s", diff)
	}
	if got := OnBeat([]int64{5, 1}, p, 0); got[0] || got[1] {
		t.Errorf("unsorted input: %v, want all false", got)
	}
	if got := OnBeat(times, Period{}, 0); got[1] {
		t.Errorf("period not OK: %v, want all false", got)
	}
}

// A 5-minute beacon mixed with Poisson clicks: the labels agree with the
// truth for at least 90 % of the events.
func TestOnBeatMixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	type ev struct {
		t        int64
		periodic bool
	}
	var evs []ev
	for ts := int64(0); ts < int64(3*24*time.Hour); ts += int64(300*time.Second) + rng.Int64N(int64(20*time.Second)) - int64(10*time.Second) {
		evs = append(evs, ev{ts, true})
	}
	for ts := int64(0); ts < int64(3*24*time.Hour); ts += int64(rng.ExpFloat64() * float64(20*time.Minute)) {
		evs = append(evs, ev{ts + 1, false})
	}
	sortEv := func(a, b ev) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	}
	slices.SortFunc(evs, sortEv)
	times := make([]int64, len(evs))
	for i, e := range evs {
		times[i] = e.t
	}
	p := DetectPeriod(times, PeriodOptions{})
	lab := OnBeat(times, p, -1)
	right := 0
	for i, e := range evs {
		if lab[i] == e.periodic {
			right++
		}
	}
	if acc := float64(right) / float64(len(evs)); acc < 0.9 {
		t.Errorf("labelling accuracy %.3f (period %.1f s), want ≥ 0.9", acc, p.Seconds)
	}
}
