package nexus

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"
)

func scoreTimes(t *testing.T, times []int64, opts Options) Score {
	t.Helper()
	p := Pair{Client: netip.MustParseAddr("192.0.2.1"), Domain: "example.com", Events: int64(len(times)), Times: times}
	s, err := ScorePairs(context.Background(), []Pair{p}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s[0]
}

var week0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).UnixNano()

func TestVerdictBeacon(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var times []int64
	for ts := week0; ts < week0+int64(7*24*time.Hour); ts += int64(5*time.Minute) + rng.Int64N(int64(20*time.Second)) - int64(10*time.Second) {
		times = append(times, ts)
	}
	s := scoreTimes(t, times, Options{Location: time.UTC})
	if s.Verdict != VerdictBeacon || s.Beacon < 0.9 {
		t.Errorf("5-min beacon: verdict %s, beacon %.3f; want beacon, ≥ 0.9", s.Verdict, s.Beacon)
	}
	if d := s.Period - 5*time.Minute; d < -3*time.Second || d > 3*time.Second {
		t.Errorf("period %v, want 5m ± 1 %%", s.Period)
	}
}

func TestVerdictPoisson(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var times []int64
	for ts := week0; ts < week0+int64(7*24*time.Hour); ts += int64(rng.ExpFloat64() * float64(10*time.Minute)) {
		times = append(times, ts)
	}
	s := scoreTimes(t, times, Options{Location: time.UTC})
	if s.Verdict != VerdictAperiodic || s.Beacon > 0.1 {
		t.Errorf("Poisson: verdict %s, beacon %.3f; want aperiodic, ≤ 0.1", s.Verdict, s.Beacon)
	}
}

// Office hours: clicks in sessions starting at random on weekdays 09–17.
func TestVerdictHuman(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var times []int64
	for d := range 5 {
		for range 6 {
			start := week0 + int64(d)*int64(24*time.Hour) + int64(9*time.Hour) + rng.Int64N(int64(8*time.Hour))
			ts := start
			for range 1 + rng.IntN(8) {
				times = append(times, ts)
				ts += int64(rng.ExpFloat64() * float64(3*time.Minute))
			}
		}
	}
	s := scoreTimes(t, sorted(times), Options{Location: time.UTC})
	if s.Verdict != VerdictHuman {
		t.Errorf("office-hours sessions: verdict %s (beacon %.3f, human %.3f), want human; evidence %q", s.Verdict, s.Beacon, s.Human, s.Evidence)
	}
}

func TestVerdictInsufficient(t *testing.T) {
	s := scoreTimes(t, []int64{week0, week0 + 1e12, week0 + 2e12}, Options{})
	if s.Verdict != VerdictInsufficient || s.Beacon != 0 {
		t.Errorf("3 events: verdict %s, beacon %.3f; want insufficient, 0", s.Verdict, s.Beacon)
	}
}

func TestBestZone(t *testing.T) {
	msk, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Skip("no zone database")
	}
	// Weekday events 10:00–16:00 Moscow time (07:00–13:00 UTC).
	var times []int64
	for d := range 5 {
		for h := 7; h < 13; h++ {
			times = append(times, week0+int64(d)*int64(24*time.Hour)+int64(h)*int64(time.Hour))
		}
	}
	loc, _ := bestZone(times, []*time.Location{time.UTC, msk})
	if loc != msk {
		t.Errorf("bestZone = %v, want Europe/Moscow", loc)
	}
}

func sorted(x []int64) []int64 { slices.Sort(x); return x }
