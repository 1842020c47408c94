package timing

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCacheGatingWorked: 6 sessions of 6 events 330 s apart, separated by
// 5,000 s of idle time, with TTL 300 s.
//
//	Gaps 35 (30 of 330 s, 5 of 5,000 s); Floor = 1st smallest = 330.
//	Tolerance = max(1, 0.02·300) = 6, L = 294: BelowTTL 0; NearTTL (< 588) 30;
//	LowerHalf (< 441) 30; Residual = 330 − 300 = 30.
//	P = Pr[Binomial(30, ½) ≤ 0] = 2⁻³⁰ = 9.31322575e-10 → Floored.
//	Sessions at idle max(30 min, 4·300 s) = 30 min: 6, each 1,650 s long;
//	Active = 9,900 / (9,900 + 25,000) = 0.283667622 → Intermittent, Gated.
//
// With the TTL estimated: TTL = ⌊330⌋ s, Tolerance 6.6, L = 323.4, the same
// 30 near gaps, Residual 0, the same P.
func TestCacheGatingWorked(t *testing.T) {
	var times []int64
	t0 := int64(1_780_000_000) * dSec
	for range 6 {
		for k := range 6 {
			times = append(times, t0+int64(k)*330*dSec)
		}
		t0 += (5*330 + 5000) * dSec
	}
	ignore := cmpopts.IgnoreFields(Cache{}, "Evidence")
	want := Cache{
		TTL: 300 * time.Second, Gaps: 35, Floor: 330, Tolerance: 6, NearTTL: 30, LowerHalf: 30,
		Residual: 30, P: math.Pow(2, -30), Floored: true, Sessions: 6, Active: 9900.0 / 34900,
		Intermittent: true, Gated: true,
	}
	got := CacheGating(times, 300*time.Second)
	if diff := cmp.Diff(want, got, ignore, cmpopts.EquateApprox(1e-9, 0)); diff != "" {
		t.Errorf("CacheGating (-want +got):\n%s", diff)
	}
	if len(got.Evidence) == 0 || !strings.HasPrefix(got.Evidence[0], "gaps gated by a cache") {
		t.Errorf("Evidence = %q", got.Evidence)
	}
	want.TTL, want.Estimated, want.Tolerance, want.Residual = 330*time.Second, true, 6.6, 0
	got = CacheGating(times, 0)
	if diff := cmp.Diff(want, got, ignore, cmpopts.EquateApprox(1e-9, 0)); diff != "" {
		t.Errorf("CacheGating(estimated) (-want +got):\n%s", diff)
	}

	// Five of the 330-s gaps shortened to 100 s: 5 of 35 gaps (14 %) are
	// below L, far over the 1 % allowed. P = Σᵢ₌₀⁵ C(30, i)/2³⁰ … with
	// m = 5 + 25 = 30: (1 + 30 + 435 + 4060 + 27405 + 142506)/2³⁰
	// = 174437/1073741824 = 1.62457e-4.
	short := slices.Clone(times)
	for s := range 5 {
		i := s*6 + 1
		d := 230 * dSec
		for j := i; j < s*6+6; j++ {
			short[j] -= d
		}
	}
	got = CacheGating(short, 300*time.Second)
	if got.BelowTTL != 5 || got.NearTTL != 25 || got.Floored || got.Gated {
		t.Errorf("CacheGating(short gaps): BelowTTL %d NearTTL %d Floored %v Gated %v, want 5 25 false false",
			got.BelowTTL, got.NearTTL, got.Floored, got.Gated)
	}
	if math.Abs(got.P-174437.0/1073741824) > 1e-12 {
		t.Errorf("P = %.6g, want 1.62457e-4", got.P)
	}
}

func TestCacheGatingEdges(t *testing.T) {
	for _, tc := range []struct {
		name  string
		times []int64
		ttl   time.Duration
		want  string
	}{
		{"empty", nil, 300 * time.Second, "no gaps"},
		{"few", []int64{0, 400 * dSec, 800 * dSec}, 300 * time.Second, "too few gaps (2)"},
		{"identical", make([]int64, 50), 0, "no cache floor"},
		{"short TTL", descSeq(50, 10*dSec), time.Second, "too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := CacheGating(tc.times, tc.ttl)
			if c.Gated || c.Floored || c.P != 1 || len(c.Evidence) != 1 || !strings.Contains(c.Evidence[0], tc.want) {
				t.Errorf("CacheGating = %+v, want untested with evidence %q", c, tc.want)
			}
		})
	}
}

func descSeq(n int, step int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i) * step
	}
	return out
}

// descCachedUse simulates interactive use of one name behind a cache with the
// given TTL. On each of the weekdays of `days` there are 2–6 sessions
// starting between 08:00 and 18:00 UTC, lasting 10–90 minutes, in which the
// name is used at Poisson times with a mean gap drawn from [meanLo, meanHi)
// seconds per session. A use reaches the
// resolver (and is logged) only if the cached answer has expired, and the
// answer is then cached for ttl.
func descCachedUse(seed uint64, days int, ttl time.Duration, meanLo, meanHi float64) []int64 {
	r := descRand(seed)
	day0 := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC) // a Monday
	var uses []int64
	for d := range days {
		day := day0.AddDate(0, 0, d)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for range 2 + r.IntN(5) {
			start := day.UnixNano() + int64(8*3600+r.IntN(10*3600))*dSec
			end := start + int64(600+r.IntN(80*60))*dSec
			mean := meanLo + (meanHi-meanLo)*r.Float64()
			for u := start; u < end; u += int64(r.ExpFloat64() * mean * 1e9) {
				uses = append(uses, u)
			}
		}
	}
	slices.Sort(uses)
	var logged []int64
	expiry := int64(math.MinInt64)
	for _, u := range uses {
		if u >= expiry {
			logged = append(logged, u)
			expiry = u + int64(ttl)
		}
	}
	return logged
}

func descPoisson(seed uint64, n int, mean float64) []int64 {
	r := descRand(seed)
	out := make([]int64, n)
	t := int64(1_780_000_000) * dSec
	for i := range out {
		t += int64(r.ExpFloat64() * mean * 1e9)
		out[i] = t
	}
	return out
}

// TestCacheGatingKnownSignals: interactive use behind a TTL-300 cache is
// detected as gated, with the TTL given and estimated; raw Poisson traffic
// at rates from 1/2 s to 1/6 h never is, nor is uncached use folded at 5 s
// (its floor is the fold tolerance); a jittered 600-s timer is not
// floored at TTL 300; a 60-s poller running 24/7 behind the cache is floored
// but, being continuous, not gated.
func TestCacheGatingKnownSignals(t *testing.T) {
	const ttl = 300 * time.Second
	var gated, gatedEst, seqs int
	for seed := range uint64(20) {
		times := descCachedUse(seed, 28, ttl, 5, 40)
		seqs++
		c := CacheGating(times, ttl)
		if c.Gated {
			gated++
		} else {
			t.Logf("seed %d: not gated: %s", seed, strings.Join(c.Evidence, "; "))
		}
		e := CacheGating(times, 0)
		if e.Gated {
			gatedEst++
			if e.TTL != ttl {
				t.Errorf("seed %d: estimated TTL %v, want %v", seed, e.TTL, ttl)
			}
		}
	}
	if gated < seqs || gatedEst < seqs {
		t.Errorf("cached interactive use: gated %d/%d with TTL given, %d/%d estimated; want all", gated, seqs, gatedEst, seqs)
	}

	for _, mean := range []float64{2, 30, 300, 3600, 6 * 3600} {
		var fp, fpEst int
		for seed := range uint64(50) {
			times := descPoisson(1000+seed, 500, mean)
			if c := CacheGating(times, ttl); c.Gated || c.Floored {
				fp++
			}
			if c := CacheGating(times, 0); c.Gated || c.Floored {
				fpEst++
			}
		}
		if fp > 0 || fpEst > 0 {
			t.Errorf("Poisson, mean gap %v s: floored %d/50 with TTL given, %d/50 estimated; want 0", mean, fp, fpEst)
		}
	}

	// Interactive use without a cache (uses every 1–3 s in sessions), folded
	// at 5 s (retries at +1, +2 and +4 s): folding acts like a 5-s cache, so
	// the gaps pile up just above 5 s. That floor must not pass for a cache
	// when the TTL is estimated (CacheMinTTL), nor at TTL 300 s.
	for seed := range uint64(10) {
		uses := descCachedUse(500+seed, 7, 0, 1, 3) // TTL 0: every use is logged
		folded := Fold(nil, uses, 5*time.Second)
		if c := CacheGating(folded, 0); c.Floored || c.Gated {
			t.Errorf("seed %d: folded uncached use floored: %s", seed, strings.Join(c.Evidence, "; "))
		}
		if c := CacheGating(folded, ttl); c.Floored || c.Gated {
			t.Errorf("seed %d: folded uncached use floored at TTL 300 s: %s", seed, strings.Join(c.Evidence, "; "))
		}
	}

	r := descRand(99)
	var timer, poller []int64
	t0 := int64(1_780_000_000) * dSec
	for i := range 500 {
		timer = append(timer, t0+int64(i)*600*dSec+int64((r.Float64()-0.5)*120e9))
	}
	slices.Sort(timer)
	if c := CacheGating(timer, ttl); c.Floored || c.Gated {
		t.Errorf("600-s timer: %s", strings.Join(c.Evidence, "; "))
	}
	expiry := int64(math.MinInt64)
	for i := range 14 * 24 * 60 {
		u := t0 + int64(i)*60*dSec + int64(r.Float64()*10e9)
		if u >= expiry {
			poller = append(poller, u)
			expiry = u + int64(ttl)
		}
	}
	c := CacheGating(poller, ttl)
	if !c.Floored || c.Intermittent || c.Gated {
		t.Errorf("24/7 poller behind the cache: Floored %v Intermittent %v Gated %v, want true false false: %s",
			c.Floored, c.Intermittent, c.Gated, strings.Join(c.Evidence, "; "))
	}
}
