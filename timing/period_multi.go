package timing

import "math"

// DetectPeriods reports up to MaxPeriods periods of the sorted event times, the
// strongest first: after each period is found, the events off its beat are
// searched again, so a heartbeat plus a slower tasking channel yields both. A
// further period is kept only when its P is at most Alpha, it has at least
// MinPeriodEvents events, and it differs by more than 10 % from the periods
// already found. The first period is always returned (possibly with OK false).
//
// The p-value of the first period is calibrated (see DetectPeriod); those of
// further periods are computed the same way on the left-over events, which were
// selected using the data, so they are approximate.
func DetectPeriods(times []int64, opts PeriodOptions) []Period {
	times = sortedCopy(times)
	limit := opts.MaxPeriods
	if limit <= 0 {
		limit = DefaultMaxPeriods
	}
	first, rest := detect(times, opts, nil)
	out := []Period{first}
	if !first.OK || first.P > opts.alpha() {
		return out
	}
	for len(out) < limit && len(rest) >= MinPeriodEvents {
		p, next := detect(rest, opts, make([]int64, 0, len(rest)))
		if !p.OK || p.P > opts.alpha() {
			break
		}
		dup := false
		for _, o := range out {
			if math.Abs(p.Seconds/o.Seconds-1) <= 0.1 {
				dup = true
			}
		}
		if dup {
			break
		}
		out = append(out, p)
		rest = next
	}
	return out
}

// Change is a change of period: the events before At beat with one period and
// the events from At on with another.
type Change struct {
	// At is the time of the first event of the new regime (Unix nanoseconds)
	// and Index its position in the sorted times.
	At    int64
	Index int
	// Before and After are the periods of the two sides, each detected and
	// tested on its own events.
	Before, After Period
}

// DetectChange looks for a single change of period in the sorted event times.
// Method: the strongest period T is estimated on all gaps; each gap is marked on
// or off the beat of T; the change index maximises the CUSUM |Σ_{i≤s} (h_i −
// h̄)| of the marks h_i ∈ {0, 1}. Both sides are then detected on their own and
// the split is moved to the index that maximises the number of gaps on the beat
// of the left period before it plus those on the beat of the right period after
// it. A change is reported (ok true) when both sides have at least 2 ×
// MinPeriodEvents events, both P are at most Alpha and the periods differ by more
// than 10 %. Cost O(n).
func DetectChange(times []int64, opts PeriodOptions) (Change, bool) {
	times = sortedCopy(times)
	if len(times) < 4*MinPeriodEvents {
		return Change{}, false
	}
	all, _ := detect(times, opts, nil)
	return detectChange(times, opts, all)
}

// detectChange is DetectChange on sorted times whose period is all.
func detectChange(times []int64, opts PeriodOptions, all Period) (Change, bool) {
	n := len(times)
	if n < 4*MinPeriodEvents || !all.OK {
		return Change{}, false
	}
	marks := beatMarks(times, all.Seconds, all.Tolerance)
	var mean float64
	for _, h := range marks {
		mean += h
	}
	mean /= float64(len(marks))
	best, at, run := -1.0, 0, 0.0
	for i, h := range marks {
		run += h - mean
		if math.Abs(run) > best {
			best, at = math.Abs(run), i+1
		}
	}
	// marks[i] is the gap ending at event i+1; the split index is an event.
	split := func(s int) (Period, Period, bool) {
		if s < 2*MinPeriodEvents || n-s < 2*MinPeriodEvents {
			return Period{}, Period{}, false
		}
		return DetectPeriod(times[:s], opts), DetectPeriod(times[s:], opts), true
	}
	b, a, ok := split(at)
	if !ok || !b.OK || !a.OK {
		return Change{}, false
	}
	// Refine the index with the two periods.
	left := beatMarks(times, b.Seconds, b.Tolerance)
	right := beatMarks(times, a.Seconds, a.Tolerance)
	var total float64
	for _, h := range right {
		total += h
	}
	bestHits, s := -1.0, at
	var lh float64
	for i := 0; i < len(left); i++ {
		// Split before event i+1: gaps 0..i-1 use left, i.. use right.
		if i >= 2*MinPeriodEvents && n-i >= 2*MinPeriodEvents {
			if v := lh + total; v > bestHits {
				bestHits, s = v, i
			}
		}
		lh += left[i]
		total -= right[i]
	}
	if s != at {
		if b2, a2, ok := split(s); ok && b2.OK && a2.OK {
			b, a, at = b2, a2, s
		}
	}
	alpha := opts.alpha()
	if b.P > alpha || a.P > alpha || math.Abs(a.Seconds/b.Seconds-1) <= 0.1 {
		return Change{}, false
	}
	return Change{At: times[at], Index: at, Before: b, After: a}, true
}

// beatMarks returns for each gap (ending at event i+1) 1 when it is on the beat
// of period t with tolerance delta, else 0.
func beatMarks(times []int64, t, delta float64) []float64 {
	out := make([]float64, len(times)-1)
	cb := newComb(t, delta)
	for i := 1; i < len(times); i++ {
		if _, ok := cb.on(secondsBetween(times[i-1], times[i])); ok {
			out[i-1] = 1
		}
	}
	return out
}
