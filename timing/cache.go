package timing

import (
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Thresholds of CacheGating.
const (
	// CacheMinGaps is the fewest gaps on which CacheGating decides.
	CacheMinGaps = 20
	// CacheAlpha is the significance level of the floor test.
	CacheAlpha = 1e-3
	// CacheMaxActive is the largest share of the span that sessions may
	// cover for the activity to count as intermittent.
	CacheMaxActive = 0.75
	// CacheMinTTL is the smallest TTL that CacheGating estimates: a lower
	// floor of the gaps is more likely the fold tolerance (see Fold), retries
	// or clock rounding than a cache, and is not tested.
	CacheMinTTL = 10 * time.Second
)

// Cache reports whether the gaps of a sequence look gated by a DNS cache.
//
// Behind a cache with time-to-live T a name is asked upstream only at the
// first use after the cached answer expires, so during activity the gaps are
// T plus a residual (the wait for the next use) and never shorter than T.
// Interactive use then looks periodic at about T, but only inside sessions.
// CacheGating tests the three signs:
//
//  1. Floor and pile-up. With L = T − Tolerance, the windows below = [0, L)
//     and near = [L, 2L) have equal length, so for any gap density that is
//     non-increasing on [0, 2L) — Poisson traffic, bursty traffic without a
//     cache — a gap in either window falls below with probability ≥ ½. The
//     one-sided p-value is P = Pr[X ≤ BelowTTL], X ~ Binomial(BelowTTL +
//     NearTTL, ½); Floored requires P < CacheAlpha, BelowTTL ≤ 1 % of the
//     gaps, and the near gaps piled against the floor (LowerHalf, those in
//     [L, 1.5L), at least half of NearTTL), which a jittered timer whose
//     period lies well inside the window does not show.
//  2. Residual: Residual = median(near gaps) − T, the typical wait past
//     expiry.
//  3. Intermittence: the events split (idle gap max(DefaultIdle, 4T)) into at
//     least two sessions that cover at most CacheMaxActive of the span.
//
// Gated is Floored and Intermittent. A sequence that is Floored but runs
// continuously is a steady client behind a cache (or a timer whose interval
// is the floor) rather than interactive use.
type Cache struct {
	TTL          time.Duration // T: given, or estimated from the floor
	Estimated    bool          // TTL was estimated (CacheGating with ttl ≤ 0)
	Gaps         int           // gaps examined
	Floor        float64       // k-th smallest gap, k = max(1, ⌈Gaps/100⌉), seconds
	Tolerance    float64       // slack below T for clock rounding: max(1 s, 2 % of T), seconds
	BelowTTL     int           // gaps in [0, L)
	NearTTL      int           // gaps in [L, 2L)
	LowerHalf    int           // gaps in [L, 1.5L)
	Residual     float64       // median(near gaps) − T, seconds; 0 without near gaps
	P            float64       // p-value of the floor test; 1 when not tested
	Floored      bool          // sign 1 holds
	Sessions     int           // sessions at idle max(DefaultIdle, 4T)
	Active       float64       // share of the span covered by those sessions
	Intermittent bool          // sign 3 holds
	Gated        bool          // Floored && Intermittent
	Evidence     []string      // human-readable findings with figures
}

// CacheGating tests whether the gaps of times are gated by a cache with the
// given TTL (see Cache for the method). With ttl ≤ 0 the TTL is estimated as
// the Floor rounded down to whole seconds; in that mode any sequence with a
// sharp minimum gap, a regular timer included, can be Floored, and the
// distinction rests on Intermittent. Fewer than CacheMinGaps gaps, or an
// estimated floor under CacheMinTTL, give an untested Cache (P = 1, nothing
// true) with an evidence line saying why.
//
// Pass times folded (see Fold) so that A/AAAA pairs and retries do not count
// as short gaps. Unsorted input is read from a sorted copy. It allocates one
// gap buffer of 8·n bytes and takes O(n) expected time.
func CacheGating(times []int64, ttl time.Duration) Cache {
	times = sortedView(times)
	return cacheGating(times, Gaps(nil, times), ttl, nil)
}

// cacheFloorRank is the rank (0-based) of Cache.Floor among n gaps.
func cacheFloorRank(n int) int { return max(1, (n+99)/100) - 1 }

// cacheGating is CacheGating on sorted times and their gaps. Without sc it
// reorders gaps; with sc, whose gapSummaries counted these gaps (and found
// the floor when sc.floorOK), it reads the order statistics from those
// counts and leaves gaps as they are.
func cacheGating(times []int64, gaps []float64, ttl time.Duration, sc *scratch) Cache {
	c := Cache{TTL: ttl, P: 1}
	var l *lines
	if sc != nil {
		l = &sc.lines
	} else {
		l = new(lines)
	}
	l.reset()
	c.Gaps = len(gaps)
	if c.Gaps == 0 {
		c.Evidence = append(c.Evidence, "no gaps to test for a cache floor")
		return c
	}
	k := max(1, (c.Gaps+99)/100)
	if sc != nil && !sc.floorOK {
		sc.work = append(sc.work[:0], gaps...)
		gaps, sc = sc.work, nil
	}
	if sc != nil {
		c.Floor = sc.floor
	} else {
		c.Floor = selectKth(gaps, 0, len(gaps)-1, k-1)
	}
	if ttl <= 0 {
		c.Estimated = true
		c.TTL = time.Duration(math.Floor(math.Min(c.Floor, 1e9))) * time.Second
		if c.TTL < CacheMinTTL {
			l.str("no cache floor: ").pct(float64(k) / float64(c.Gaps)).str(" of gaps are under ").secs(c.Floor).
				str(", below the smallest TTL tested (").secs(CacheMinTTL.Seconds()).str(")").end()
			c.Evidence = l.to(nil)
			c.TTL = 0
			return c
		}
	}
	if c.Gaps < CacheMinGaps {
		l.str("too few gaps (").int(c.Gaps).str(") to test a cache floor").end()
		c.Evidence = l.to(nil)
		return c
	}
	T := c.TTL.Seconds()
	c.Tolerance = math.Max(1, 0.02*T)
	L := T - c.Tolerance
	if L <= 0 {
		l.str("TTL ").secs(T).str(" too short to test a cache floor").end()
		c.Evidence = l.to(nil)
		return c
	}
	if sc != nil {
		// Counted without branches, which the processor cannot predict
		// when the gaps straddle 2L: g < v exactly when g − v, never a
		// zero unless g = v, has its sign bit set.
		var below, under2, under15 uint64
		l2, l15 := 2*L, 1.5*L
		for _, g := range gaps {
			below += math.Float64bits(g-L) >> 63
			under2 += math.Float64bits(g-l2) >> 63
			under15 += math.Float64bits(g-l15) >> 63
		}
		c.BelowTTL = int(below)
		c.NearTTL = int(under2 - below)
		c.LowerHalf = int(under15 - below)
		// The near gaps are the order statistics of ranks BelowTTL to
		// BelowTTL+NearTTL−1 of all gaps.
		if c.NearTTL > 0 {
			r := c.BelowTTL + quantileRank(c.NearTTL, 0.5)
			ks := [2]int{r, min(r+1, c.BelowTTL+c.NearTTL-1)}
			var vs [2]float64
			if sc.hist.ranks(slices.Grow(sc.work[:0], len(gaps)), &rankSource{src: gaps, n: len(gaps), within: true}, ks[:], vs[:]) {
				c.Residual = interpolate(c.NearTTL, 0.5, vs[0], vs[1]) - T
			} else {
				near := sc.work[:0]
				for _, g := range gaps {
					if g >= L && g < 2*L {
						near = append(near, g)
					}
				}
				c.Residual = selectQuantile(near, 0, len(near)-1, len(near), 0.5) - T
			}
		}
	} else {
		near := gaps[:0] // reuse the buffer: gaps are not needed after this pass
		for _, g := range gaps {
			switch {
			case g < L:
				c.BelowTTL++
			case g < 2*L:
				if g < 1.5*L {
					c.LowerHalf++
				}
				c.NearTTL++
				near = append(near, g)
			}
		}
		if c.NearTTL > 0 {
			c.Residual = selectQuantile(near, 0, len(near)-1, len(near), 0.5) - T
		}
	}
	m := c.BelowTTL + c.NearTTL
	if m > 0 {
		c.P = clamp(distuv.Binomial{N: float64(m), P: 0.5}.CDF(float64(c.BelowTTL)), 0, 1)
	}
	c.Floored = c.P < CacheAlpha && c.BelowTTL*100 <= c.Gaps && 2*c.LowerHalf >= c.NearTTL

	idle := max(DefaultIdle, 4*c.TTL)
	if sc != nil && sc.cover.idle == idle {
		c.Sessions, c.Active = sc.cover.count, sc.cover.active // Analyze's sessions: the same split
	} else {
		c.Sessions, c.Active = sessionCover(times, idle)
	}
	c.Intermittent = c.Sessions >= 2 && c.Active <= CacheMaxActive
	c.Gated = c.Floored && c.Intermittent

	what := "given"
	if c.Estimated {
		what = "estimated"
	}
	floor := func() {
		l.int(c.BelowTTL).str(" of ").int(c.Gaps).str(" gaps below ").secs(L).str(" (").str(what).str(" TTL ").secs(T).
			str("), ").pct(float64(c.NearTTL)/float64(c.Gaps)).str(" in [").secs(L).str(", ").secs(2*L).
			str(") with median residual ").secs(c.Residual).str(", floor test p = ").float(c.P, 'g', 2)
	}
	act := func() {
		l.int(c.Sessions).str(" session(s) (idle > ").secs(idle.Seconds()).str(") cover ").pct(c.Active).str(" of the span")
	}
	switch {
	case c.Gated:
		l.str("gaps gated by a cache: ")
		floor()
		l.end()
		l.str("regular only inside activity: ")
		act()
		l.end()
	case c.Floored:
		l.str("gap floor like a cache: ")
		floor()
		l.end()
		l.str("but activity is continuous: ")
		act()
		l.end()
	default:
		l.str("no cache floor: ")
		floor()
		l.end()
	}
	c.Evidence = l.to(make([]string, 0, len(l.ends)))
	return c
}
