package timing

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestAnalyzeConcurrentSameAsSerial checks that the second goroutine of
// Analyze changes nothing in the Result: on beacons, a change of period, two
// periods, Poisson and human-like sequences above ConcurrentEvents, in two
// zones, the concurrent and the serial call give equal Results, also when
// many calls run at once (run it with -race).
func TestAnalyzeConcurrentSameAsSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	rng := rand.New(rand.NewPCG(41, 42))
	n := 2 * ConcurrentEvents
	// A change to a multiple of the period shows in the level of the log
	// gaps, one to an unrelated period in the share of gaps on the beat.
	change := func(p1, p2 float64) []int64 {
		ts := simBeacon(rng, twoSided, p1, 0.1, 0.2, n/2)
		last := ts[len(ts)-1]
		for _, t := range simBeacon(rng, twoSided, p2, 0.1, 0.2, n/2) {
			ts = append(ts, last+(t-simEpoch))
		}
		return ts
	}
	two := append(simBeacon(rng, scheduled, 60, 0.05, 0.3, n), simBeacon(rng, twoSided, 3600, 0.05, 0, n/60)...)
	slices.Sort(two)
	seqs := map[string][]int64{
		"beacon":    simBeacon(rng, twoSided, 300, 0.2, 0.25, n),
		"one-sided": simBeacon(rng, oneSided, 90, 0.3, 0.4, n),
		"multiple":  change(300, 1800),
		"unrelated": change(300, 420),
		"two":       two,
		"poisson":   simPoisson(rng, n, 30*86400),
		"human":     simHuman(rng, 400, 60),
		"unsorted":  unsortedCopy(rng, simBeacon(rng, twoSided, 600, 0.1, 0, n)),
	}
	type job struct {
		name string
		opts Options
	}
	var jobs []job
	for name := range seqs {
		for _, loc := range []*time.Location{nil, berlin} {
			jobs = append(jobs, job{name, Options{Location: loc, Period: PeriodOptions{Min: 10 * time.Second}}})
		}
	}
	serial := make([]Result, len(jobs))
	for i, j := range jobs {
		o := j.opts
		o.Serial = true
		serial[i] = Analyze(seqs[j.name], o)
		if f := serial[i].Folded; f < ConcurrentEvents {
			t.Fatalf("%s: %d events after folding, want at least %d", j.name, f, ConcurrentEvents)
		}
	}
	changed := 0
	for _, r := range serial {
		if r.Changed {
			changed++
		}
	}
	if changed == 0 {
		t.Error("no sequence has a change of period: the test does not cover the change search")
	}
	done := make(chan error, len(jobs))
	for i, j := range jobs {
		go func() {
			got := Analyze(seqs[j.name], j.opts)
			if d := cmp.Diff(serial[i], got, cmpopts.EquateEmpty()); d != "" {
				done <- fmt.Errorf("%s in %v: concurrent Analyze differs (-serial +concurrent):\n%s", j.name, j.opts.Location, d)
				return
			}
			done <- nil
		}()
	}
	for range jobs {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func unsortedCopy(rng *rand.Rand, ts []int64) []int64 {
	out := slices.Clone(ts)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
