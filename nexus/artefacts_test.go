package nexus_test

import (
	"context"
	"math"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/internal/synth"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// scoreEvents groups synthetic events into pairs and scores them.
func scoreEvents(t *testing.T, events []synth.Event) map[netip.Addr]nexus.Score {
	t.Helper()
	c := &nexus.Collector{}
	for i := range events {
		e := &events[i]
		ev := dnslog.Event{Time: e.Time, Client: e.Client, Name: e.Name, Type: dnslog.Type(e.Type),
			RCode: dnslog.RCodeUnknown, Answers: []dnslog.Answer{{TTL: e.TTL, HasTTL: true}}}
		c.Add(&ev)
	}
	scores, err := nexus.ScorePairs(context.Background(), c.Pairs(), nexus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[netip.Addr]nexus.Score, len(scores))
	for _, s := range scores {
		out[s.Client] = s
	}
	return out
}

// TestArtefactsMoveMixedBeacon scores hourly beacons under a person's
// browsing, the pairs whose beacon score depended on which of two weak
// periods the search found first, with and without AAAA twins, retries,
// duplicate lines and stamps truncated to the second: no score may move by
// more than 0.05.
func TestArtefactsMoveMixedBeacon(t *testing.T) {
	w := synth.Window{Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)}
	var events []synth.Event
	for i := range 200 {
		rng := rand.New(rand.NewPCG(uint64(i), 5))
		tg := synth.Target{Client: netip.AddrFrom4([4]byte{10, 0, byte(i / 250), byte(1 + i%250)}), TTL: 300,
			Names: []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com"}}
		events = append(events, synth.Browse(rng, w, tg, synth.BrowseParams{Profile: synth.OfficeProfile(), Rate: 1})...)
		events = append(events, synth.Beacon(rng, w, tg, synth.BeaconParams{Period: time.Hour, Jitter: 0.1})...)
	}
	synth.SortEvents(events)
	art := synth.Typical
	art.Round = true
	art.Split = 0 // a split pair is two pairs: not the same pair moved
	dirty := synth.ApplyArtefacts(events, rand.New(rand.NewPCG(9, 9)), art)
	clean, moved := scoreEvents(t, events), scoreEvents(t, dirty)
	worst := 0.0
	for c, a := range clean {
		b, ok := moved[c]
		if !ok {
			t.Fatalf("%v: not scored with artefacts", c)
		}
		d := math.Abs(a.Beacon - b.Beacon)
		worst = math.Max(worst, d)
		if d > 0.05 {
			t.Errorf("%v: beacon %.3f without artefacts, %.3f with (period %v, %v)", c, a.Beacon, b.Beacon, a.Period, b.Period)
		}
	}
	t.Logf("largest move over %d pairs: %.3f", len(clean), worst)
}

// TestPoissonPairsCalibrated scores 3,000 pairs of Poisson lookups (50 to
// 449 over a week): the share whose P is at most α must lie within
// [0.5·α, 1.5·α] at α = 0.01 and 0.05, although the period each P tests was
// chosen on the same lookups, and none may be called a beacon.
func TestPoissonPairsCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).UnixNano()
	var pairs []nexus.Pair
	for i := range 3000 {
		n := 50 + rng.IntN(400)
		ts := make([]int64, n)
		cur, mean := float64(start), 7*86400e9/float64(n)
		for j := range ts {
			cur += rng.ExpFloat64() * mean
			ts[j] = int64(cur)
		}
		pairs = append(pairs, nexus.Pair{Client: netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}),
			Domain: "example.com", Times: ts, Events: int64(n)})
	}
	scores, err := nexus.ScorePairs(context.Background(), pairs, nexus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []float64{0.01, 0.05} {
		k := 0
		for _, s := range scores {
			if s.P <= a {
				k++
			}
		}
		r := float64(k) / float64(len(scores))
		t.Logf("P ≤ %g: %.4f", a, r)
		if r < 0.5*a || r > 1.5*a {
			t.Errorf("share of Poisson pairs with P ≤ %g: %.4f, want within [%g, %g]", a, r, 0.5*a, 1.5*a)
		}
	}
	for _, s := range scores {
		if s.Verdict == nexus.VerdictBeacon || s.Verdict == nexus.VerdictMixed {
			t.Errorf("%v: Poisson pair called %s (P %.2g, beacon %.3f)", s.Client, s.Verdict, s.P, s.Beacon)
		}
	}
}
