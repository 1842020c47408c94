package timing

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// finiteResult walks every float field of r (recursively) and reports the
// first one that is NaN or infinite.
func finiteResult(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Float64, reflect.Float32:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return path
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if s := finiteResult(v.Field(i), path+"."+v.Type().Field(i).Name); s != "" {
				return s
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s := finiteResult(v.Index(i), path+"[]"); s != "" {
				return s
			}
		}
	}
	return ""
}

func TestAnalyzeBeacon(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ts := simBeacon(rng, twoSided, 3600, 0.1, 0.3, 24*14)
	// A/AAAA pairs: every event doubled 30 ms later; must fold away.
	var all []int64
	for _, x := range ts {
		all = append(all, x, x+30e6)
	}
	r := Analyze(all, Options{})
	if r.Insufficient || r.Folded != len(ts) || r.N != len(all) {
		t.Fatalf("N %d Folded %d Insufficient %v, want %d, %d, false", r.N, r.Folded, r.Insufficient, len(all), len(ts))
	}
	if math.Abs(r.Period.Seconds/3600-1) > 0.02 || r.Period.P > 1e-6 {
		t.Errorf("period %.1f s p %.2g, want 3600 s and p ≤ 1e-6", r.Period.Seconds, r.Period.P)
	}
	if math.Abs(r.Period.MissedFrac-0.3) > 0.1 {
		t.Errorf("missed fraction %.2f, want 0.3 ± 0.1", r.Period.MissedFrac)
	}
	if s := finiteResult(reflect.ValueOf(r), "Result"); s != "" {
		t.Errorf("non-finite %s", s)
	}
	if !slices.ContainsFunc(r.Evidence, func(s string) bool { return strings.HasPrefix(s, "period 3,") && strings.Contains(s, "p = ") }) {
		t.Errorf("no period evidence line in %q", r.Evidence)
	}
}

// TestAnalyzePoisson: 24/7 Poisson traffic is not periodic.
func TestAnalyzePoisson(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	sig := 0
	for range 100 {
		r := Analyze(simPoisson(rng, 300, 7*86400), Options{})
		if r.Period.P <= 0.01 {
			sig++
		}
	}
	// Binomial(100, 0.01): more than 5 has probability below 0.1 %.
	if sig > 5 {
		t.Errorf("%d of 100 Poisson sequences periodic at 1 %%", sig)
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	for name, ts := range map[string][]int64{
		"nil": nil, "one": {7}, "same": {3, 3, 3, 3, 3, 3, 3, 3, 3},
		"extremes": {math.MaxInt64, math.MinInt64, 0, 1, -1, math.MaxInt64, 5e18, -5e18},
	} {
		r := Analyze(ts, Options{Location: time.FixedZone("X", 3600)})
		if s := finiteResult(reflect.ValueOf(r), "Result"); s != "" {
			t.Errorf("%s: non-finite %s", name, s)
		}
		if r.Folded < MinPeriodEvents && (!r.Insufficient || r.Period.OK || r.Period.P != 1) {
			t.Errorf("%s: %d events: Insufficient %v, Period %+v", name, r.Folded, r.Insufficient, r.Period)
		}
	}
}

// TestAnalyzeDoesNotModify checks the caller's slice is untouched.
func TestAnalyzeDoesNotModify(t *testing.T) {
	ts := []int64{9e9, 1e9, 1e9, 5e9, 3e9, 7e9, 11e9, 13e9}
	want := slices.Clone(ts)
	Analyze(ts, Options{})
	if !slices.Equal(ts, want) {
		t.Errorf("input modified: %v, want %v", ts, want)
	}
}

// simHuman is browsing behind a cache with the given TTL: on weekdays one or
// two sessions between 09:00 and 18:00 UTC, clicks at exponential intervals
// (mean 40 s) inside a session; a query reaches the log only when the cached
// answer has expired, so no logged gap is shorter than the TTL.
func simHuman(rng *rand.Rand, days int, ttl float64) []int64 {
	var clicks []float64
	for d := range days {
		if wd := (d % 7); wd >= 5 { // simEpoch is a Monday
			continue
		}
		for range 1 + rng.IntN(2) {
			start := float64(d)*86400 + 9*3600 + rng.Float64()*7*3600
			end := start + 1800 + rng.Float64()*3600
			for t := start; t < end; t += rng.ExpFloat64() * 40 {
				clicks = append(clicks, t)
			}
		}
	}
	slices.Sort(clicks)
	var out []int64
	expires := math.Inf(-1)
	for _, t := range clicks {
		if t >= expires {
			out = append(out, simEpoch+int64(t*1e9))
			expires = t + ttl
		}
	}
	return out
}

// TestAnalyzeCacheGatedHuman: cache-gated browsing looks quasi-periodic at about
// the TTL; the result must expose the figures that tell it from a beacon
// running around the clock at the same period.
func TestAnalyzeCacheGatedHuman(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	human := Analyze(simHuman(rng, 28, 300), Options{TTL: 300 * time.Second})
	beacon := Analyze(simBeacon(rng, twoSided, 330, 0.2, 0.1, 28*86400/330), Options{TTL: 300 * time.Second})
	t.Logf("human:  period %.0f s p %.2g TTLRatio %.2f jitter %.2f gated %v business %.2f night %.2f active %.2f",
		human.Period.Seconds, human.Period.P, human.TTLRatio, human.Period.Jitter, human.Cache.Gated,
		human.Rhythm.Business, human.Rhythm.Night, human.Sessions.Active)
	t.Logf("beacon: period %.0f s p %.2g TTLRatio %.2f jitter %.2f gated %v business %.2f night %.2f active %.2f",
		beacon.Period.Seconds, beacon.Period.P, beacon.TTLRatio, beacon.Period.Jitter, beacon.Cache.Gated,
		beacon.Rhythm.Business, beacon.Rhythm.Night, beacon.Sessions.Active)
	if !human.Cache.Gated || beacon.Cache.Gated {
		t.Errorf("Cache.Gated: human %v, beacon %v; want true, false", human.Cache.Gated, beacon.Cache.Gated)
	}
	if human.Rhythm.Business < 0.9 || beacon.Rhythm.Night < 0.15 {
		t.Errorf("business share of the human %.2f (want ≥ 0.9), night share of the beacon %.2f (want ≥ 0.15)",
			human.Rhythm.Business, beacon.Rhythm.Night)
	}
	if human.Period.OK && (human.TTLRatio < 0.95 || human.TTLRatio > 1.5) {
		t.Errorf("human period %.0f s: TTLRatio %.2f, want near 1", human.Period.Seconds, human.TTLRatio)
	}
	if human.Period.OK && human.Period.Jitter <= beacon.Period.Jitter {
		t.Errorf("human jitter %.3f not above the beacon's %.3f", human.Period.Jitter, beacon.Period.Jitter)
	}
}
