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

// FuzzAnalyzeConcurrent compares concurrent and serial Analyze on
// sequences of ConcurrentEvents to 3 × ConcurrentEvents events built from
// the input: a beacon (period, jitter kind and width, missed share), a
// change to a second period part-way, Poisson noise and duplicated events,
// in a zone and with options taken from the input.
func FuzzAnalyzeConcurrent(f *testing.F) {
	f.Fuzz(func(t *testing.T, seed uint64, period, period2 uint32, shape, noise uint8, split uint16) {
		rng := rand.New(rand.NewPCG(seed, uint64(shape)<<8|uint64(noise)))
		n := ConcurrentEvents + int(split)%(2*ConcurrentEvents)
		p := 1 + float64(period%86400)
		w := float64(shape%8) / 8
		kind := jitterKind(shape / 8 % 3)
		ts := simBeacon(rng, kind, p, w, float64(shape/24%5)/10, n)
		if k := int(split) % len(ts); period2%3 == 0 && k > 0 {
			// From event k on, the beat has a second period.
			p2 := 1 + float64(period2%7200)
			rest := simBeacon(rng, kind, p2, w, 0, len(ts)-k)
			for i, x := range rest {
				ts[k+i] = ts[k-1] + (x - simEpoch) + int64(p2*1e9)
			}
		}
		for range int(noise) * n / 512 {
			ts = append(ts, ts[0]+rng.Int64N(max(1, ts[len(ts)-1]-ts[0])))
		}
		for i := range int(noise%16) * 8 {
			ts = append(ts, ts[i*n/128%len(ts)])
		}
		opts := Options{
			Location:      time.FixedZone("F", int(seed%25)*3600-12*3600),
			TTL:           time.Duration(shape%5) * 60 * time.Second,
			FoldTolerance: time.Duration(int(noise%4)-1) * time.Second,
			Period:        PeriodOptions{Min: time.Duration(period2%4) * 10 * time.Second},
		}
		got := Analyze(ts, opts)
		opts.Serial = true
		want := Analyze(ts, opts)
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("concurrent Analyze differs (-serial +concurrent):\n%s", d)
		}
	})
}
