package nexus

import (
	"context"
	"github.com/google/go-cmp/cmp"
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

// businessShareIn is the definition businessShare implements: one
// time.Time.In conversion per read time.
func businessShareIn(times []int64, loc *time.Location) float64 {
	step := max(1, len(times)/4096)
	n, in := 0, 0
	for i := 0; i < len(times); i += step {
		t := time.Unix(0, times[i]).In(loc)
		n++
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday && t.Hour() >= 9 && t.Hour() < 18 {
			in++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(in) / float64(n)
}

// businessShare and weekSlots.businessShare give exactly the share of
// per-time conversions, across daylight-saving transitions, half-hour and
// quarter-hour zones, negative Unix times and sub-second stamps.
func TestBusinessShareMatchesTimeIn(t *testing.T) {
	zones := slices.Clone(DefaultZones)
	for _, name := range []string{"Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "Europe/Dublin", "Africa/Casablanca"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	if len(zones) < 10 {
		t.Skip("no zone database")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	fast, slow := 0, 0
	starts := []int64{
		time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC).UnixNano(),  // spring forward in Europe
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixNano(),  // fall back in America
		time.Date(1969, 12, 28, 0, 0, 0, 0, time.UTC).UnixNano(), // across the epoch
		time.Date(1931, 6, 1, 0, 0, 0, 0, time.UTC).UnixNano(),   // old offsets
	}
	for trial := range 200 {
		start := starts[trial%len(starts)]
		n := 1 + rng.IntN(9000)
		times := make([]int64, n)
		span := rng.Int64N(int64(60 * 24 * time.Hour))
		for i := range times {
			times[i] = start + rng.Int64N(span+1)
			if rng.IntN(2) == 0 {
				times[i] -= times[i] % int64(15*time.Minute) // on quarter hours, where zones change
			}
		}
		slices.Sort(times)
		var slots weekSlots
		slots.count(times)
		for _, z := range zones {
			want := businessShareIn(times, z)
			if got := businessShare(times, z); got != want {
				t.Fatalf("trial %d, %s: businessShare = %v, want %v", trial, z, got, want)
			}
			if got, ok := slots.businessShare(z); ok {
				fast++
				if got != want {
					t.Fatalf("trial %d, %s: weekSlots.businessShare = %v, want %v", trial, z, got, want)
				}
			} else {
				slow++
			}
		}
	}
	// Both ways must have been tried: zones whose offset holds over the
	// times, and zones that change it (or have odd offsets).
	if fast < 100 || slow < 100 {
		t.Errorf("weekSlots answered for %d zone/trial cases and declined %d; want both ≥ 100", fast, slow)
	}
}

// A log with whole-second stamps and one with microsecond stamps of the same
// lookups must score the same at the default resolution; a negative
// Resolution keeps the logged precision.
func TestResolutionTruncates(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var fine []int64
	for ts := week0; ts < week0+int64(3*24*time.Hour); ts += int64(2*time.Minute) + rng.Int64N(int64(40*time.Second)) - int64(20*time.Second) {
		fine = append(fine, ts+rng.Int64N(int64(time.Second))/1000*1000)
		if rng.IntN(3) == 0 { // a twin 1.5–2.5 s later: folded or not depending on the stamps
			fine = append(fine, ts+int64(1500*time.Millisecond)+rng.Int64N(int64(time.Second)))
		}
	}
	coarse := make([]int64, len(fine))
	for i, ts := range fine {
		coarse[i] = ts - ts%int64(time.Second)
	}
	if slices.Equal(coarse, fine) {
		t.Fatal("test input has no sub-second stamps")
	}
	type fig struct {
		Beacon, Human, P float64
		Period           time.Duration
		Verdict          Verdict
		Folded           int
	}
	figs := func(s Score) fig {
		return fig{s.Beacon, s.Human, s.P, s.Period, s.Verdict, s.Features.Folded}
	}
	opts := Options{Location: time.UTC}
	fs, cs := scoreTimes(t, fine, opts), scoreTimes(t, coarse, opts)
	if diff := cmp.Diff(figs(cs), figs(fs)); diff != "" {
		t.Errorf("microsecond stamps score differently from whole seconds (-seconds +microseconds):\n%s", diff)
	}
	if !slices.Equal(fs.Times, fine) {
		t.Error("Score.Times lost the logged precision")
	}
	// Keeping the precision analyses the fine stamps: the fitted period is
	// then not a whole-second figure of the truncated stamps.
	keep := opts
	keep.Resolution = -1
	ks := scoreTimes(t, fine, keep)
	if ks.Features.Folded == cs.Features.Folded && ks.P == cs.P && ks.Period == cs.Period {
		t.Errorf("Resolution −1 gave the same figures as truncation (folded %d, P %g, period %v)", ks.Features.Folded, ks.P, ks.Period)
	}
}

func TestTruncateTimes(t *testing.T) {
	in := []int64{-1, 0, 999_999_999, 1_000_000_000, 1_500_000_000, -1_000_000_001}
	want := []int64{-1_000_000_000, 0, 0, 1_000_000_000, 1_000_000_000, -2_000_000_000}
	if diff := cmp.Diff(want, truncateTimes(in, 1e9)); diff != "" {
		t.Errorf("truncateTimes (-want +got):\n%s", diff)
	}
	whole := []int64{0, 1e9, 5e9}
	if got := truncateTimes(whole, 1e9); &got[0] != &whole[0] {
		t.Error("whole-second times were copied")
	}
	if got := truncateTimes(in, 0); &got[0] != &in[0] {
		t.Error("resolution 0 copied the times")
	}
}
