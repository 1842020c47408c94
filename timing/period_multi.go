package timing

import (
	"math"
	"slices"
)

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
	var sc scratch
	return sc.detectPeriods(times, nil, opts)
}

// detectPeriods is DetectPeriods on sorted times; gaps, when not nil, are
// their gaps. The events off the beats go to buffers of sc.
func (sc *scratch) detectPeriods(times []int64, gaps []float64, opts PeriodOptions) []Period {
	limit := opts.MaxPeriods
	if limit <= 0 {
		limit = DefaultMaxPeriods
	}
	first, rest := detect(times, gaps, opts, sc.off[0][:0])
	sc.off[0] = rest
	out := []Period{first}
	if !first.OK || first.P > opts.alpha() {
		return out
	}
	for b := 1; len(out) < limit && len(rest) >= MinPeriodEvents; b ^= 1 {
		sc.restGaps = Gaps(sc.restGaps[:0], rest)
		p, next := detect(rest, sc.restGaps, opts, sc.off[b][:0])
		sc.off[b] = next
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
	// At is the time of the first event of the new regime, the first whose
	// gap from its predecessor follows the new period (Unix nanoseconds), and
	// Index its position in the sorted times.
	At    int64
	Index int
	// Before and After are the periods of the two sides, each detected and
	// tested on its own events.
	Before, After Period
}

// DetectChange looks for a single change of period in the sorted event times.
// Method: the strongest period T is estimated on all gaps and each gap is
// marked on or off its beat; two candidate splits maximise the CUSUM
// |Σ_{i≤s} (x_i − x̄)|, one of the marks and one of the log gaps (a new period
// that is a multiple of T keeps every gap on T's beat but changes the level of
// the gaps). A candidate is examined only when its CUSUM, divided by sd(x)·√m
// for m gaps, exceeds 1.628, the 99 % point of the supremum of a Brownian
// bridge. For each candidate both sides are detected on their own, and the
// split is moved to the index that maximises the gaps spanning exactly one beat
// of the left period before it plus those of the right period after it. A
// change is reported (ok true) when both sides have at least 2 ×
// MinPeriodEvents events, both P are at most Alpha and the periods differ by
// more than 10 %; of two valid candidates the one with the smaller larger
// p-value wins. Cost O(n) plus a few DetectPeriod calls.
func DetectChange(times []int64, opts PeriodOptions) (Change, bool) {
	times = sortedCopy(times)
	if len(times) < 4*MinPeriodEvents {
		return Change{}, false
	}
	all, _ := detect(times, nil, opts, nil)
	var sc scratch
	return sc.detectChange(times, nil, opts, all)
}

// detectChange is DetectChange on sorted times whose period is all; gaps,
// when not nil, are their gaps.
func (sc *scratch) detectChange(times []int64, gaps []float64, opts PeriodOptions, all Period) (Change, bool) {
	n := len(times)
	if n < 4*MinPeriodEvents || !all.OK {
		return Change{}, false
	}
	split := func(s int) (Period, Period, bool) {
		if s < 2*MinPeriodEvents || n-s < 2*MinPeriodEvents {
			return Period{}, Period{}, false
		}
		var gb, ga []float64
		if gaps != nil {
			gb, ga = gaps[:s-1], gaps[s:]
		}
		b, _ := detect(times[:s], gb, opts, nil)
		a, _ := detect(times[s:], ga, opts, nil)
		ok := b.OK && a.OK && b.P <= opts.alpha() && a.P <= opts.alpha() &&
			math.Abs(a.Seconds/b.Seconds-1) > 0.1
		return b, a, ok
	}
	// Candidate splits: a change in the share of gaps on the beat, and a
	// change in the level of the log gaps (a new period that is a multiple of
	// the old one keeps every gap on the old beat).
	// The logarithms cost more than the rest of the search: they are
	// skipped when an approximation proves their CUSUM below the gate.
	marksBelow, logsBelow := sc.marksAndLogGate(times, gaps, all.Seconds, all.Tolerance)
	var best Change
	found := false
	for c := range 2 {
		var x []float64
		if c == 0 {
			if marksBelow {
				continue
			}
			x = sc.beatMarks(times, gaps, all.Seconds, all.Tolerance)
		} else {
			if logsBelow {
				continue
			}
			x = slices.Grow(sc.logs[:0], n-1)
			for i := 1; i < n; i++ {
				x = append(x, math.Log(math.Max(gapAt(times, gaps, i), 1e-3)))
			}
			sc.logs = x
		}
		s, stat := cusum(x)
		if stat < cusumGate {
			continue
		}
		b, a, ok := split(s)
		if !ok {
			continue
		}
		// Move the split to the index that puts most one-beat gaps of each
		// side's period on its side.
		if r := refineSplit(times, b, a); r != s {
			if b2, a2, ok := split(r); ok {
				s, b, a = r, b2, a2
			}
		}
		c := Change{At: times[s], Index: s, Before: b, After: a}
		if !found || math.Max(b.P, a.P) < math.Max(best.Before.P, best.After.P) {
			best, found = c, true
		}
	}
	return best, found
}

// cusumGate is the 99 % quantile of sup |B(t)| for a Brownian bridge B
// (Kolmogorov distribution): a standardised CUSUM below it shows no change
// worth splitting for.
const cusumGate = 1.628

// cusum returns the index of the event after the gap where the cumulative sum
// of x − mean(x) is largest in absolute value (x[i] is the gap ending at event
// i+1), and that maximum standardised by sd(x)·√len(x); 0 when x is constant.
func cusum(x []float64) (int, float64) {
	var mean, ss float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	best, at, run := -1.0, 0, 0.0
	for i, v := range x {
		ss += (v - mean) * (v - mean)
		run += v - mean
		if math.Abs(run) > best {
			best, at = math.Abs(run), i+1
		}
	}
	if !(ss > 0) {
		return at, 0
	}
	// sd·√n = √(ss/n)·√n = √ss.
	return at, best / math.Sqrt(ss)
}

// refineSplit returns the split index s maximising the number of gaps before s
// that span exactly one beat of b plus those from s on that span one beat of a.
func refineSplit(times []int64, b, a Period) int {
	n := len(times)
	left := beatMarks(times, b.Seconds, b.Tolerance, true)
	right := beatMarks(times, a.Seconds, a.Tolerance, true)
	var rt float64
	for _, h := range right {
		rt += h
	}
	best, at := -1.0, 0
	var lt float64
	for s := 1; s < n; s++ {
		// Gaps 0..s-2 end before event s and count for the left period;
		// gap s-1 (ending at event s) and later ones for the right period.
		if s >= 2 {
			lt += left[s-2]
			rt -= right[s-2]
		}
		if s >= 2*MinPeriodEvents && n-s >= 2*MinPeriodEvents && lt+rt > best {
			best, at = lt+rt, s
		}
	}
	return at
}

// marksAndLogGate reports whether the standardised CUSUM (cusum) of the
// beat marks beatMarks(times, t, delta, false) and that of the log gaps are
// certainly below cusumGate (see marksBelowGate and logCUSUMBelowGate),
// from one pass over the gaps. gaps, when not nil, are the gaps of times.
func (sc *scratch) marksAndLogGate(times []int64, gaps []float64, t, delta float64) (marksBelow, logsBelow bool) {
	n := len(times) - 1
	marks := slices.Grow(sc.marks[:0], n)[:n]
	y := slices.Grow(sc.logs[:0], n)[:n]
	sc.marks, sc.logs = marks, y
	if len(gaps) != n {
		gaps = gapsSorted(nil, times)
	}
	cb := newComb(t, delta)
	var sum, big float64
	ones := 0
	for i, g := range gaps {
		_, ok := cb.on(g)
		marks[i] = uint8(b2i(ok))
		ones += b2i(ok)
		// math.Max(g, 1e-3) for every g (a NaN stays one), in fewer
		// instructions than either max; gaps below 1 ms are rare, so the
		// branch is predicted.
		if g < 1e-3 {
			g = 1e-3
		}
		v := approxLog(g)
		y[i] = v
		sum += v
		if a := math.Abs(v); a > big { // a branch, not max: no chain through big
			big = a
		}
	}
	return marksBelowGate(marks, ones), logCUSUMBelowGate(y, sum, big)
}

// beatMarks is beatMarks(times, t, delta, false) in sc.beats, from the
// gaps when given.
func (sc *scratch) beatMarks(times []int64, gaps []float64, t, delta float64) []float64 {
	n := len(times) - 1
	marks := slices.Grow(sc.beats[:0], n)[:n]
	sc.beats = marks
	cb := newComb(t, delta)
	for i := range marks {
		_, ok := cb.on(gapAt(times, gaps, i+1))
		marks[i] = float64(b2i(ok))
	}
	return marks
}

// marksBelowGate reports whether cusum of the n = len(marks) beat marks
// (0 or 1, ones of them 1) is certainly below cusumGate, from the exact
// running deviations: with S_i the marks up to i, n·S_i − i·ones is an
// integer, n times the running deviation that cusum sums, and the exact
// sum of squared deviations is ones·(n − ones)/n. cusum rounds: with
// u = 2⁻⁵³ its mean is within u of ones/n, each deviation within 2.1u of
// the exact one, so its running sums are within 1.01n²u + 2.1nu of the
// exact ones (bounded here by 2n²u + 3nu), and its sum of squares is at
// least the exact one less a share (n+2)u of it and 4.5nu (bounded by
// (n+4)u and 5nu). The statistic's bound from these is compared with the
// gate, so true means cusum's statistic is below the gate too. false
// means nothing.
func marksBelowGate(marks []uint8, ones int) bool {
	n := len(marks)
	if n == 0 || ones == 0 || ones == n {
		return true // cusum's sum of squares is 0: statistic 0
	}
	// e = n·S_i − i·ones grows by n − ones at a mark of 1, falls by
	// ones at a 0.
	var e, hi, lo int64
	step := [2]int64{-int64(ones), int64(n - ones)}
	for _, m := range marks {
		e += step[m&1]
		hi = max(hi, e)
		lo = min(lo, e)
	}
	nf := float64(n)
	const u = 0x1p-53
	best := float64(max(hi, -lo))/nf + 2*nf*nf*u + 3*nf*u
	ss := float64(ones)*float64(n-ones)/nf*(1-(nf+4)*u) - 5*nf*u
	if !(ss > 0) {
		return false
	}
	return best/math.Sqrt(ss) < cusumGate*(1-1e-9)
}

// logCUSUMBelowGate reports whether the standardised CUSUM (cusum) of the
// log gaps math.Log(max(g, 1e-3)) is certainly below cusumGate, from their
// approximations y, each within logApproxErr of what math.Log returns, with
// their sum (in order) and largest magnitude: the bound below covers that
// error and the rounding of both computations, so true means the exact
// statistic is below the gate too. false means nothing.
//
// With n gaps, u = 2⁻⁵³, ε = logApproxErr and M bounding |y| and the mean,
// the running sums of the exact and the approximate logs differ by at most
// 2nε plus, in each, the rounding 5n²uM; the root of the sum of squares of
// the exact logs is at least that of the approximations less 2ε√n, with
// relative rounding (n+4)u on either side and the rounded mean's share
// n·((n+1)uM)².
func logCUSUMBelowGate(y []float64, sum, big float64) bool {
	n := len(y)
	nf := float64(n)
	mean := sum / nf
	var ss, run, best float64
	for _, v := range y {
		d := v - mean
		ss += d * d
		run += d
		if a := math.Abs(run); a > best {
			best = a
		}
	}
	const u = 0x1p-53
	const eps = logApproxErr
	m := big + math.Abs(mean) + eps
	errSum := 2*nf*eps + 2*5*nf*nf*u*m
	rel := (nf + 4) * u
	sLow := ss/(1+rel) - nf*math.Pow((nf+1)*u*m, 2)
	if !(sLow > 0) {
		return false
	}
	rootLow := (math.Sqrt(sLow) - 2*eps*math.Sqrt(nf)) * math.Sqrt(1-rel)
	if !(rootLow > 0) {
		return false
	}
	return (best+errSum)/rootLow < cusumGate*(1-1e-9)
}

// logApproxErr bounds |approxLog(x) − math.Log(x)| for normal x > 0.
const logApproxErr = 1e-12

// logTable[j] holds ln(1 + j/128) and 1/(1 + j/128).
var logTable = func() (t [128][2]float64) {
	for j := range t {
		c := 1 + float64(j)/128
		t[j] = [2]float64{math.Log(c), 1 / c}
	}
	return t
}()

// approxLog is ln x for normal x > 0 to within 1e-13: with x = 2ᵉ·m,
// m ∈ [1, 2), c = 1 + ⌊128·(m − 1)⌋/128 and r = (m − c)/c ∈ [0, 2⁻⁷),
//
//	ln x = e·ln 2 + ln c + ln(1 + r),  ln(1 + r) ≈ r − r²/2 + r³/3 − r⁴/4 + r⁵/5,
//
// whose truncation is below r⁶/6 < 4e-14, the table and ln 2 being exact to
// half an ulp. It is a fraction of the cost of math.Log.
func approxLog(x float64) float64 {
	b := math.Float64bits(x)
	t := &logTable[b>>45&127]
	r := float64(b&(1<<45-1)) * 0x1p-52 * t[1] // m − c is exact: the low 45 bits of m
	return float64(int(b>>52)-1023)*math.Ln2 + t[0] + r*(1-r*(1.0/2-r*(1.0/3-r*(1.0/4-r*(1.0/5)))))
}

// beatMarks returns for each gap (ending at event i+1) 1 when it is on the beat
// of period t with tolerance delta (and spans exactly one beat if one), else 0.
func beatMarks(times []int64, t, delta float64, one bool) []float64 {
	out := make([]float64, len(times)-1)
	cb := newComb(t, delta)
	for i := 1; i < len(times); i++ {
		if k, ok := cb.on(secondsBetween(times[i-1], times[i])); ok && (!one || k == 1) {
			out[i-1] = 1
		}
	}
	return out
}
