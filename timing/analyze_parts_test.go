package timing

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestAnalyzeEqualsItsParts: Analyze shares work between its parts (one
// fold, one set of gaps, summaries counted together, rhythm and persistence
// in one pass, the change search's shortcuts); every figure must still equal
// what the exported function gives on the folded times, bit for bit.
func TestAnalyzeEqualsItsParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	ny := descZone(t, "America/New_York")
	change := func() []int64 {
		a := simBeacon(rng, twoSided, 60, 0.1, 0.1, 3000)
		b := simBeacon(rng, twoSided, 300, 0.1, 0.1, 1500)
		off := a[len(a)-1] - b[0] + 300e9
		for j := range b {
			b[j] += off
		}
		return append(a, b...)
	}
	seqs := map[string][]int64{
		"beacon":        benchSeq(12000),
		"whole seconds": descBenchTimes(5000),
		"human":         simHuman(rng, 120, 300),
		"poisson":       simPoisson(rng, 4000, 4000*90),
		"change":        change(),
		"two beacons": func() []int64 {
			ts := append(simBeacon(rng, twoSided, 60, 0.1, 0.1, 4000), simBeacon(rng, scheduled, 1800, 0.02, 0, 130)...)
			slices.Sort(ts)
			return ts
		}(),
		"small": simBeacon(rng, twoSided, 300, 0.2, 0.25, 200),
	}
	opts := []Options{{}, {Location: ny, TTL: 300 * time.Second}, {FoldTolerance: -1, Idle: 5 * time.Minute}, {TTL: 60 * time.Second, Idle: 72 * time.Hour}}
	for name, ts := range seqs {
		// Shuffled input must not matter either.
		in := slices.Clone(ts)
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		for oi, o := range opts {
			got := Analyze(in, o)
			folded := slices.Sorted(slices.Values(ts))
			if tol := o.foldTolerance(); tol > 0 {
				folded = Fold(nil, folded, tol)
			}
			gaps := Gaps(nil, folded)
			periods := DetectPeriods(folded, o.Period)
			chg, changed := DetectChange(folded, o.Period)
			if len(folded) < MinPeriodEvents {
				periods = []Period{{P: 1}}
				chg, changed = Change{}, false
			}
			want := got
			want.Gaps = Summarize(gaps)
			want.Burstiness = Burstiness(gaps)
			want.Memory = Memory(gaps)
			want.Rhythm = RhythmOf(folded, o.Location)
			want.Persistence = PersistenceOf(folded, o.Location)
			want.Sessions = SessionStatsOf(folded, o.Idle)
			want.Cache = CacheGating(folded, o.TTL)
			want.Periods = periods
			want.Period = periods[0]
			want.Change, want.Changed = chg, changed
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s, options %d (-parts +Analyze):\n%s", name, oi, diff)
			}
		}
	}
}

// TestAnalyzeConcurrent: Analyze reuses pooled buffers; calls from many
// goroutines on sequences of different sizes must give the results of
// serial calls.
func TestAnalyzeConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	var seqs [][]int64
	for i := range 12 {
		seqs = append(seqs, simBeacon(rng, twoSided, 60+30*float64(i), 0.2, 0.2, 200+i*700))
	}
	want := make([]Result, len(seqs))
	for i, ts := range seqs {
		want[i] = Analyze(ts, Options{})
	}
	got := make([]Result, len(seqs)*4)
	var wg sync.WaitGroup
	for j := range got {
		wg.Go(func() { got[j] = Analyze(seqs[j%len(seqs)], Options{}) })
	}
	wg.Wait()
	for j, r := range got {
		if diff := cmp.Diff(want[j%len(seqs)], r); diff != "" {
			t.Fatalf("call %d (-serial +concurrent):\n%s", j, diff)
		}
	}
}
