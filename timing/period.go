package timing

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Defaults of PeriodOptions.
const (
	// DefaultMinPeriod is the shortest period searched when PeriodOptions.Min is zero.
	DefaultMinPeriod = 2 * time.Second
	// DefaultMaxPeriods is the number of periods DetectPeriods reports at most when
	// PeriodOptions.MaxPeriods is zero.
	DefaultMaxPeriods = 3
	// DefaultAlpha is the significance level used to accept a further period or a
	// change of period when PeriodOptions.Alpha is zero.
	DefaultAlpha = 0.01
	// MinPeriodEvents is the fewest events for which a period is estimated.
	MinPeriodEvents = 6
)

// maxBeats is the largest number of beats one gap may span and still count as
// "on the beat" (k missed beats in a row, k < maxBeats). Longer silences are
// neither evidence for nor against a period.
const maxBeats = 16

// PeriodOptions configures DetectPeriod, DetectPeriods and DetectChange. The zero
// value is the documented default.
type PeriodOptions struct {
	// Min and Max bound the period searched. Zero Min means DefaultMinPeriod;
	// zero Max means half the span of the events (at least two beats).
	Min, Max time.Duration
	// MaxPeriods caps the number of periods DetectPeriods reports; zero means
	// DefaultMaxPeriods.
	MaxPeriods int
	// Alpha is the level a further period (DetectPeriods) or both sides of a
	// change (DetectChange) must reach; zero means DefaultAlpha.
	Alpha float64
	// Resolution is the clock resolution of the times (a log with
	// whole-second stamps has 1 s); zero means Resolution(times). Periods
	// shorter than 10 × Resolution are not searched, and the null
	// hypothesis's on-beat window is widened by Resolution/T, since a gap
	// between rounded stamps may be off by up to one unit: without this,
	// whole-second stamps put every gap on a one-second lattice that any
	// short period seems to fit.
	Resolution time.Duration
}

// resolution returns o.Resolution or, when zero, Resolution(times), in
// seconds.
func (o PeriodOptions) resolution(times []int64) float64 {
	if o.Resolution > 0 {
		return o.Resolution.Seconds()
	}
	return Resolution(times).Seconds()
}

// Resolution returns the clock resolution of times: the coarsest of 1 s,
// 100 ms, 10 ms, 1 ms and 1 µs that divides every time, or 1 ns. A log
// written with whole-second stamps gives 1 s; Zeek's microsecond stamps give
// 1 µs. No times give 1 ns.
func Resolution(times []int64) time.Duration {
	for _, unit := range []time.Duration{time.Second, 100 * time.Millisecond, 10 * time.Millisecond, time.Millisecond, time.Microsecond} {
		u := int64(unit)
		ok := len(times) > 0
		for _, t := range times {
			if t%u != 0 {
				ok = false
				break
			}
		}
		if ok {
			return unit
		}
	}
	return time.Nanosecond
}

func (o PeriodOptions) bounds(span float64) (lo, hi float64) {
	lo = DefaultMinPeriod.Seconds()
	if o.Min > 0 {
		lo = o.Min.Seconds()
	}
	hi = span / 2
	if o.Max > 0 {
		hi = o.Max.Seconds()
	}
	return lo, hi
}

func (o PeriodOptions) alpha() float64 {
	if o.Alpha > 0 && o.Alpha < 1 {
		return o.Alpha
	}
	return DefaultAlpha
}

// Period describes the strongest periodic component of a sequence of events:
// a train of beats every Seconds, of which some are missed and some carry
// jitter, possibly with extra events off the beat.
//
// The beat model: an event whose gap g to the previous beat event satisfies
// |g/T − k| ≤ δ_k for an integer 1 ≤ k < 16 is "on the beat" and k−1 beats were
// missed, where T is the period, δ_k = min(0.45, δ·√k) and δ (Tolerance) is
// estimated from the spread of the one-beat gaps. The √k widening follows the
// accumulation of renewal jitter over k beats.
//
// All float fields are finite (never NaN or Inf). When OK is false the
// sequence was too short or no period fits; then P is 1 and the figures are zero.
type Period struct {
	// OK reports that a period was estimated.
	OK bool
	// Seconds is the period T: the mean interval between beats,
	// T = Σ g_i / Σ k_i over the on-beat gaps g_i spanning k_i beats. For
	// one-sided jitter (sleep S minus a uniform share up to j·S) this is the mean
	// beat interval S·(1 − j/2), not S.
	Seconds float64
	// RelErr is the standard error of Seconds relative to Seconds under renewal
	// jitter: Jitter / √(Σ k_i). It overstates the error of scheduled
	// (non-accumulating) jitter.
	RelErr float64
	// P is the p-value of the period under the null hypothesis that the events
	// are a homogeneous Poisson process on their span (see PeriodPValue).
	P float64
	// Hits, Tested and Expected are the figures of the test behind P, summed
	// over both halves: Hits of Tested gaps were on the beat where a Poisson
	// process would put Expected of them on it.
	Hits, Tested int
	// Expected is the number of on-beat gaps expected under the null.
	Expected float64
	// Beats counts events on the beat; Missed counts beats with no event
	// (Σ (k_i − 1)); MissedFrac = Missed / Σ k_i.
	Beats, Missed int
	// MissedFrac is the fraction of beats without an event.
	MissedFrac float64
	// Extra counts events off the beat (other traffic, retries, a second
	// process). Breaks counts the times the beat was lost and picked up again
	// at a new phase.
	Extra, Breaks int
	// Jitter is the spread of one beat interval relative to Seconds: a
	// normal-consistent mean absolute deviation, 1.2533 · mean |(g_i − k_i·T) /
	// (√k_i · T)|. Uniform jitter of total width w·T gives about 0.31·w.
	Jitter float64
	// Tolerance is δ, the half-width of the one-beat window relative to the
	// period.
	Tolerance float64
	// Score is the comb score of all gaps at the period, in [−3.5, 1]: the mean
	// of s(g) = 1 − 12·r² − 0.1·(k − 1) for a gap g = (k + r)·T with
	// 1 ≤ k < 16 and |r| ≤ ½, s = −1 for gaps shorter than T/2 and 0 for
	// longer ones. A residual r uniform on [−½, ½] scores 0 on average, so a
	// finer comb gains nothing by chance, and each implied missed beat costs
	// 0.1, so T/2 does not win by absorbing a few extra events. A perfect
	// beacon scores 1; Poisson traffic scores below 0.
	Score float64
	// OnBeat is the fraction of all gaps that are on the beat (relative to the
	// previous event, not the previous beat).
	OnBeat float64
	// Start and End are the first and last on-beat events (Unix nanoseconds).
	Start, End int64
}

// DetectPeriod estimates the strongest period of the sorted event times (Unix
// nanoseconds) and its p-value. Unsorted input is sorted in a copy; fewer than
// MinPeriodEvents events, or no period in [Min, Max], give a Period with OK false
// and P 1.
//
// Method: (1) the gaps are binned on a logarithmic scale (64 bins per octave);
// (2) candidate periods are the mode and deciles of the gaps and their halves and
// thirds, each refined by the fixed point T ← Σ g / Σ round(g/T) over gaps
// within 0.3·√k of a multiple; (3) the candidate with the highest comb Score
// wins, and among candidates within 0.03 of the best the longest wins, so a
// sub-multiple T/2 (which fits every gap that T fits) is reported only when it
// fits strictly better, and a multiple 2T is penalised by its odd gaps; (4) the
// events are walked once to assign beats and gather Beats, Missed, Jitter and
// the final T = Σ g / Σ k; (5) P comes from PeriodPValue.
//
// Cost: O(n) time plus O(n log n) for sorting unsorted input; memory O(n).
func DetectPeriod(times []int64, opts PeriodOptions) Period {
	times = sortedCopy(times)
	p, _ := detect(times, nil, opts, nil)
	return p
}

// sortedCopy returns times itself when sorted, else a sorted copy.
func sortedCopy(times []int64) []int64 {
	for i := 1; i < len(times); i++ {
		if times[i] < times[i-1] {
			c := append([]int64(nil), times...)
			slices.Sort(c)
			return c
		}
	}
	return times
}

// detect estimates the period of sorted times. gaps, when not nil, are
// their gaps (Gaps(nil, times)), which saves computing them again. When
// offBeat is non-nil the events off the beat are appended to it and
// returned.
func detect(times []int64, gaps []float64, opts PeriodOptions, offBeat []int64) (Period, []int64) {
	n := len(times)
	if n < MinPeriodEvents {
		return Period{P: 1}, offBeat
	}
	span := secondsBetween(times[0], times[n-1])
	lo, hi := opts.bounds(span)
	res := opts.resolution(times)
	lo = math.Max(lo, 10*res)
	if !(span > 0) || !(hi >= lo) || !(lo > 0) {
		return Period{P: 1}, offBeat
	}
	if len(gaps) != n-1 {
		gaps = gapsSorted(nil, times)
	}
	all, odd, even := binGaps(times, gaps, lo, hi)
	defer all.release()
	defer odd.release()
	defer even.release()
	best, ok := all.search(lo, hi)
	if !ok {
		return Period{P: 1}, offBeat
	}
	delta := all.tolerance(best)
	per, offBeat := walkBeats(times, gaps, best, delta, offBeat)
	if !per.OK {
		return Period{P: 1}, offBeat
	}
	per.Score = all.score(per.Seconds)
	per.OnBeat = all.onBeatFraction(per.Seconds, delta)
	mean := span / float64(n-1)
	t1 := splitTest(times, gaps, 0, &odd, lo, hi, mean, res)
	t2 := splitTest(times, gaps, 1, &even, lo, hi, mean, res)
	per.P = math.Min(1, 2*math.Min(t1.p, t2.p))
	per.Hits = t1.hits + t2.hits
	per.Tested = t1.tested + t2.tested
	per.Expected = t1.expected + t2.expected
	return per, offBeat
}

func secondsBetween(a, b int64) float64 {
	// Difference in float to survive int64 overflow on hostile input.
	d := float64(b) - float64(a)
	if b >= a && b-a >= 0 {
		d = float64(b - a)
	}
	return d / 1e9
}

// gapBins is a histogram of gaps on a logarithmic scale. Bins are indexed by the
// top bits of the float64 representation (exponent and 6 mantissa bits), so one
// octave has 64 bins of relative width at most 1/64. Each bin keeps the count and
// the sum of its gaps, so the bin mean is exact for a single repeated value.
type gapBins struct {
	base  uint64    // key of bin 0
	cnt   []float64 // per bin
	sum   []float64 // per bin
	idx   []int     // non-empty bins, ascending (filled by finish)
	cum   []float64 // cum[j]: gaps in the bins idx[:j]
	mean  []float64 // mean[j]: mean gap of bin idx[j]
	n     []float64 // n[j]: gaps in bin idx[j]
	mn    []float64 // mn[j]: mean[j]·n[j]
	short float64   // gaps below the histogram range (counted as off-beat)
	long  float64   // gaps above it (neutral)
	total float64
	buf   *binBuf // where the slices come from, returned by release
}

// binBuf holds the storage of a gapBins for reuse: a histogram covers about
// 1,300 bins for a week of events, far more than a short sequence fills, so
// the bins are taken zeroed from a pool and only the filled ones are cleared
// on release.
type binBuf struct {
	cnt, sum         []float64 // all zero while pooled
	idx              []int
	cum, mean, n, mn []float64
}

var binPool = sync.Pool{New: func() any { return new(binBuf) }}

const binShift = 52 - 6

func binKey(g float64) uint64 { return math.Float64bits(g) >> binShift }

func newGapBins(lo, hi float64) gapBins {
	a, b := binKey(lo), binKey(hi)
	m := int(b - a + 1)
	buf := binPool.Get().(*binBuf)
	if cap(buf.cnt) < m {
		buf.cnt, buf.sum = make([]float64, m), make([]float64, m)
	}
	return gapBins{base: a, cnt: buf.cnt[:m], sum: buf.sum[:m], idx: buf.idx[:0],
		cum: buf.cum[:0], mean: buf.mean[:0], n: buf.n[:0], mn: buf.mn[:0], buf: buf}
}

// release clears the filled bins and returns the storage to the pool; h
// must not be used afterwards.
func (h *gapBins) release() {
	buf := h.buf
	if buf == nil {
		return
	}
	for _, i := range h.idx {
		h.cnt[i], h.sum[i] = 0, 0
	}
	buf.idx, buf.cum, buf.mean, buf.n, buf.mn = h.idx, h.cum, h.mean, h.n, h.mn
	*h = gapBins{}
	binPool.Put(buf)
}

// finish sorts the filled bins and computes their running counts, means
// and the products mean·count that step sums.
//
// The means ascend with the bins (never strictly descend): the gaps of a
// bin lie in [L, U), where L and U have few mantissa bits, so c·L and c·U
// are exact and the rounded mean of c gaps lies in [L, U]. Hence x = mean/t
// and its beat count never decrease along the bins, which step and score
// rely on.
func (h *gapBins) finish() {
	slices.Sort(h.idx)
	h.fill()
}

// fill computes the running counts, means and products of the filled
// bins h.idx, ascending.
func (h *gapBins) fill() {
	h.cum = append(h.cum, 0)
	for _, i := range h.idx {
		c := h.cnt[i]
		h.cum = append(h.cum, h.cum[len(h.cum)-1]+c)
		m := h.sum[i] / c
		h.mean = append(h.mean, m)
		h.n = append(h.n, c)
		h.mn = append(h.mn, m*c)
	}
}

// finishParts is finish for a histogram of some of the gaps of one whose
// filled bins, ascending, are idx: its own filled bins are those of idx
// it counted, in the same order.
func (h *gapBins) finishParts(idx []int) {
	for _, i := range idx {
		if h.cnt[i] != 0 {
			h.idx = append(h.idx, i)
		}
	}
	h.fill()
}

// gapAt is the gap ending at event i of sorted times: gaps[i-1] when the
// gaps are given, else computed.
func gapAt(times []int64, gaps []float64, i int) float64 {
	if gaps != nil {
		return gaps[i-1]
	}
	return secondsBetween(times[i-1], times[i])
}

// binGaps bins all gaps, the odd ones and the even ones. The range covers gaps
// from lo/2 to maxBeats·hi. gaps, when not nil, are the gaps of times.
func binGaps(times []int64, gaps []float64, lo, hi float64) (all, odd, even gapBins) {
	all = newGapBins(lo/2, hi*maxBeats)
	odd = newGapBins(lo/2, hi*maxBeats)
	even = newGapBins(lo/2, hi*maxBeats)
	if gaps == nil || len(gaps) != len(times)-1 {
		gaps = gapsSorted(nil, times)
	}
	// As add on all and on the gaps of each parity, with the bin found once
	// and the counters outside the histograms (exact in float64). The gaps
	// are taken in pairs, odd (gap i ends at event i) then even, so that
	// each parity's histogram is named in the code; only all's list of
	// filled bins is kept here, and each parity's is the part of it that
	// the parity filled (see finishParts).
	base, m := all.base, uint64(len(all.cnt))
	cnt, sum := all.cnt[:m], all.sum[:m]
	oc, os := odd.cnt[:m], odd.sum[:m]
	ec, es := even.cnt[:m], even.sum[:m]
	idx := all.idx
	var short, long [2]int
	// bin returns the bin of g, or m with short or long counted (in
	// slot s): a positive g has a key below 2¹⁷, every other one at or
	// above it (sign bit or exponent of NaN and Inf), past the range.
	bin := func(g float64, s int) uint64 {
		j := binKey(g) - base
		if j < m {
			return j
		}
		if !(g > 0) || binKey(g) < base {
			short[s]++
		} else {
			long[s]++
		}
		return m
	}
	for i := 0; i < len(gaps); i += 2 {
		// gaps[i] ends at event i+1 (odd), gaps[i+1] at event i+2 (even).
		g := gaps[i]
		if j := bin(g, 1); j < m {
			if cnt[j] == 0 {
				idx = append(idx, int(j))
			}
			cnt[j]++
			sum[j] += g
			oc[j]++
			os[j] += g
		}
		if i+1 == len(gaps) {
			break
		}
		g = gaps[i+1]
		if j := bin(g, 0); j < m {
			if cnt[j] == 0 {
				idx = append(idx, int(j))
			}
			cnt[j]++
			sum[j] += g
			ec[j]++
			es[j] += g
		}
	}
	all.idx = idx
	n := len(gaps)
	nOdd := (n + 1) / 2 // gaps i = 1, 3, …
	odd.total, odd.short, odd.long = float64(nOdd), float64(short[1]), float64(long[1])
	even.total, even.short, even.long = float64(n-nOdd), float64(short[0]), float64(long[0])
	all.total, all.short, all.long = float64(n), float64(short[0]+short[1]), float64(long[0]+long[1])
	all.finish()
	odd.finishParts(all.idx)
	even.finishParts(all.idx)
	return all, odd, even
}

// beatOf splits x = g/T into the nearest beat count k and the residual r.
func beatOf(x float64) (k, r float64) {
	if x >= 0 && x < 1<<52 {
		k = float64(int64(x + 0.5)) // truncation is floor for x ≥ 0
	} else {
		k = math.Floor(x + 0.5)
	}
	return k, x - k
}

// missPenalty is the score lost per missed beat a gap implies. It makes a
// sub-multiple T/2, which turns every gap into one with a missed beat, lose to
// T when a few extra events off the beat fit T/2 slightly better.
const missPenalty = 0.1

// score is the comb score of the histogram at period t (see Period.Score).
//
// Only the bins that can hold gaps in [t/2, (maxBeats − ½)·t] are visited
// (before them every gap is below t/2). The bins ascend, so k never
// decreases (see finish): the first bin of 16 beats or more ends the sum.
// Each bin's k is int64(x + 0.5), as in beatOf (0 ≤ x < 17 here): a
// conversion, with no branch that depends on the data.
func (h *gapBins) score(t float64) float64 {
	if h.total == 0 {
		return 0
	}
	a, b := h.between(t/2, (maxBeats-0.5)*t)
	s := -h.short - h.cum[a] // bins before a hold gaps below t/2
	inv := 1 / t
	mean, n := h.mean[a:b], h.n[a:b]
	n = n[:len(mean)]
	for j := range mean {
		x := mean[j] * inv
		k := float64(int64(x + 0.5))
		switch {
		case k == 0:
			s -= n[j]
		case k < maxBeats:
			r := x - k
			s += n[j] * (1 - 12*r*r - missPenalty*(k-1))
		default:
			return s / h.total
		}
	}
	return s / h.total
}

// refine runs the fixed point T ← Σ g / Σ k from t. m, when not nil,
// remembers the steps taken (see stepMemo).
func (h *gapBins) refine(t float64, m *stepMemo) float64 {
	for range 5 {
		nt, ok := m.step(h, t)
		if !ok {
			return t
		}
		if math.Abs(nt-t) <= 1e-7*t {
			return nt
		}
		t = nt
	}
	return t
}

// step is one step of refine: Σ g / Σ k over the gaps within 0.3·√k of
// the k-th multiple of t (ok false when there are none).
//
// The bins are visited in ascending order, so their beat counts k never
// decrease (see finish). Those of one or two beats are tested one by one;
// from three beats on the window 0.3·√k ≥ 0.52 covers every residual
// (|r| ≤ ½), so each bin counts without a test until k reaches maxBeats,
// after which none does: the same bins, summed in the same order, as
// testing every bin of the range. Each bin's k is int64(x + 0.5), as in
// beatOf (0 ≤ x < 17 in the range): a conversion, with no branch that
// depends on the data but the two that end the loops.
func (h *gapBins) step(t float64) (float64, bool) {
	var sg, sk float64
	a, b := h.between(t/2, (maxBeats-0.5)*t)
	inv := 1 / t
	mean, n, mn := h.mean[a:b], h.n[a:b], h.mn[a:b]
	n, mn = n[:len(mean)], mn[:len(mean)]
	j := 0
	for ; j < len(mean); j++ {
		x := mean[j] * inv
		k := float64(int64(x + 0.5))
		if k >= 3 {
			break
		}
		if r := x - k; k >= 1 && r*r <= 0.09*k {
			sg += mn[j]
			sk += n[j] * k
		}
	}
	for ; j < len(mean); j++ {
		k := float64(int64(mean[j]*inv + 0.5))
		if k >= maxBeats {
			break
		}
		sg += mn[j]
		sk += n[j] * k
	}
	if sk == 0 {
		return 0, false
	}
	return sg / sk, true
}

// stepMemo remembers the results of gapBins.step for one histogram during
// one search. A step's result depends on t only through which bins fall
// near which multiple, so the refinements from different seeds often
// reach the very same value after a step or two and then repeat each
// other's steps: those are looked up here instead of recomputed, with
// the same result.
type stepMemo struct {
	key  [64]uint64 // math.Float64bits(t); 0 marks an empty slot
	val  [64]float64
	ok   [64]bool
	used int
}

func (m *stepMemo) step(h *gapBins, t float64) (float64, bool) {
	if m == nil {
		return h.step(t)
	}
	k := math.Float64bits(t)
	if k == 0 { // t = +0 never happens (t > 0); keep the empty mark unambiguous
		return h.step(t)
	}
	i := int(k * 0x9e3779b97f4a7c15 >> 58)
	for range len(m.key) {
		switch m.key[i] {
		case k:
			return m.val[i], m.ok[i]
		case 0:
			v, ok := h.step(t)
			if m.used < len(m.key)*3/4 {
				m.key[i], m.val[i], m.ok[i] = k, v, ok
				m.used++
			}
			return v, ok
		}
		i = (i + 1) % len(m.key)
	}
	return h.step(t)
}

// between returns the positions [a, b) in idx of the bins that can hold gaps
// in [lo, hi]: every bin before a holds only gaps below lo, every bin from b
// on only gaps above hi.
//
// Few bins are scanned from both ends (most seeds drop only a few at each
// end); many are searched by bisection.
func (h *gapBins) between(lo, hi float64) (int, int) {
	kl, kh := h.keyOf(lo), h.keyOf(hi)
	idx := h.idx
	if len(idx) <= 32 {
		a := 0
		for a < len(idx) && idx[a] < kl {
			a++
		}
		b := len(idx)
		for b > a && idx[b-1] > kh {
			b--
		}
		return a, b
	}
	return lowerBound(idx, kl), lowerBound(idx, kh+1)
}

// lowerBound returns the first position in ascending a whose element is at
// least x (len(a) if none), by a bisection whose steps are arithmetic
// rather than branches, which the processor cannot predict on a search.
// The answer lies in [base, base+n] throughout.
func lowerBound(a []int, x int) int {
	if len(a) == 0 {
		return 0
	}
	base, n := 0, len(a)
	for n > 1 {
		half := n / 2
		base += half & -b2i(a[base+half] < x)
		n -= half
	}
	return base + b2i(a[base] < x)
}

// keyOf is the bin of a value v in the histogram: -1 below it, len(h.cnt)
// above it.
func (h *gapBins) keyOf(v float64) int {
	k := binKey(v)
	if k < h.base {
		return -1
	}
	return int(min(k-h.base, uint64(len(h.cnt))))
}

// quantiles calls fn with the q-quantile of the binned gaps (the mean of
// the first bin whose running count reaches q times the total, 0 if none)
// for q = 0.05, 0.15, …, 0.95, in one pass over the running counts.
func (h *gapBins) quantiles(fn func(float64)) {
	total := h.cum[len(h.cum)-1]
	j := 0
	for q := 0.05; q < 1; q += 0.1 {
		target := q * total
		for j < len(h.mean) && h.cum[j+1] < target {
			j++
		}
		if j == len(h.mean) {
			fn(0)
			continue
		}
		fn(h.mean[j])
	}
}

// mode returns the centre of the densest window of ±8 bins (about ±12 %).
func (h *gapBins) mode() float64 {
	best, at := 0.0, -1
	var run float64
	j := 0
	for _, i := range h.idx {
		run += h.cnt[i]
		for h.idx[j] < i-16 {
			run -= h.cnt[h.idx[j]]
			j++
		}
		if run > best {
			best, at = run, i
		}
	}
	if at < 0 {
		return 0
	}
	var sg, sc float64
	for _, i := range h.idx {
		if i >= at-16 && i <= at {
			sg += h.sum[i]
			sc += h.cnt[i]
		}
	}
	return sg / sc
}

// search returns the best period in [lo, hi] (see DetectPeriod).
func (h *gapBins) search(lo, hi float64) (float64, bool) {
	if len(h.idx) == 0 {
		return 0, false
	}
	var seeds [3 * 11]float64
	ns := 0
	add := func(c float64) {
		// c, c/2 and c/3 are each dropped when within 0.5 % of a seed
		// already taken (they refine to the same fixed point). For a
		// normal c > 0 they lie too far apart to drop one another, so one
		// pass over the seeds tests all three.
		if !(c >= 0x1p-1000) {
		next:
			for d := 1.0; d <= 3; d++ {
				v := c / d
				for _, o := range seeds[:ns] {
					if math.Abs(o-v) <= 0.005*v {
						continue next
					}
				}
				seeds[ns] = v
				ns++
			}
			return
		}
		v1, v2, v3 := c, c/2, c/3
		e1, e2, e3 := 0.005*v1, 0.005*v2, 0.005*v3
		var near1, near2, near3 bool
		for _, o := range seeds[:ns] {
			near1 = near1 || math.Abs(o-v1) <= e1
			near2 = near2 || math.Abs(o-v2) <= e2
			near3 = near3 || math.Abs(o-v3) <= e3
		}
		if !near1 {
			seeds[ns] = v1
			ns++
		}
		if !near2 {
			seeds[ns] = v2
			ns++
		}
		if !near3 {
			seeds[ns] = v3
			ns++
		}
	}
	add(h.mode())
	last := math.NaN()
	h.quantiles(func(c float64) {
		// The same c again would only meet its own seeds.
		if c != last {
			add(c)
			last = c
		}
	})
	type cand struct{ t, s float64 }
	var cands [len(seeds)]cand
	nc := 0
	bestS := math.Inf(-1)
	var memo stepMemo
	for _, c := range seeds[:ns] {
		if !(c >= lo/1.5 && c <= hi*1.5) {
			continue
		}
		t := h.refine(c, &memo)
		if !(t >= lo && t <= hi) {
			continue
		}
		dup := false
		for _, o := range cands[:nc] {
			if math.Abs(o.t-t) <= 1e-6*t {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		s := h.score(t)
		cands[nc] = cand{t, s}
		nc++
		bestS = math.Max(bestS, s)
	}
	if nc == 0 {
		return 0, false
	}
	t := 0.0
	for _, c := range cands[:nc] {
		if c.s >= bestS-0.03 && c.t > t {
			t = c.t
		}
	}
	return t, true
}

// tolerance estimates δ: 2.5 × the mean |r| of the one-beat gaps (|r| < 0.45),
// which covers uniform jitter of any width, clamped to [max(0.02, 0.5 s / T),
// 0.35].
//
// Only the bins that can hold gaps in [t/2, 1.5·t] are visited: the others
// have x = mean/t ≤ 0.5 or ≥ 1.5 up to rounding, so |r| ≥ 0.45.
func (h *gapBins) tolerance(t float64) float64 {
	var sr, sc float64
	a, b := h.between(t/2, 1.5*t)
	mean, n := h.mean[a:b], h.n[a:b]
	n = n[:len(mean)]
	for j := range mean {
		k, r := beatOf(mean[j] / t)
		if k == 1 && math.Abs(r) < 0.45 {
			sr += n[j] * math.Abs(r)
			sc += n[j]
		}
	}
	d := 0.35
	if sc > 0 {
		d = 2.5 * sr / sc
	}
	return math.Min(0.35, math.Max(d, math.Max(0.02, 0.5/t)))
}

// window returns δ_k.
func window(delta, k float64) float64 { return math.Min(0.45, delta*math.Sqrt(k)) }

// comb is the beat test of a period t with tolerance δ, with the windows δ_k
// precomputed.
type comb struct {
	inv float64 // 1/t
	// win[k] is δ_k for 1 ≤ k < maxBeats and −1 (no gap fits) for k = 0
	// and k ≥ maxBeats, so that the test needs no range check.
	win [2 * maxBeats]float64
}

func newComb(t, delta float64) comb {
	c := comb{inv: 1 / t}
	for k := range c.win {
		c.win[k] = -1
	}
	for k := 1; k < maxBeats; k++ {
		c.win[k] = window(delta, float64(k))
	}
	return c
}

// on reports whether a gap g ≥ 0 (seconds) is on the beat and how many
// beats k it spans: |x − k| ≤ δ_k for x = g/t and k = ⌊x + ½⌋, with
// 1 ≤ k < maxBeats. Without a branch: k is capped at maxBeats, whose
// window, like that of k = 0, refuses every gap; so does that of the
// conversion of a NaN or of x ≥ 2⁶³ (the least int64, 0 in the low bits),
// and a negative x, whose truncation is its ceiling, lies at least ½ from
// it.
func (c *comb) on(g float64) (float64, bool) {
	x := g * c.inv
	ki := min(int(x+0.5), maxBeats) // x ≥ 0: truncation is floor
	k := float64(ki)
	return k, math.Abs(x-k) <= c.win[ki&(2*maxBeats-1)]
}

// onBeatFraction is the share of all gaps on the beat of period t.
func (h *gapBins) onBeatFraction(t, delta float64) float64 {
	if h.total == 0 {
		return 0
	}
	var c float64
	cb := newComb(t, delta)
	for j, m := range h.mean {
		if _, ok := cb.on(m); ok {
			c += h.n[j]
		}
	}
	return c / h.total
}

// sqrtBeats[k] is √k for the beat counts 1 ≤ k < maxBeats.
var sqrtBeats = func() (s [maxBeats]float64) {
	for k := range s {
		s[k] = math.Sqrt(float64(k))
	}
	return s
}()

// walkBeats assigns events to beats of period t (see Period) and refines t.
// Off-beat events are appended to off. gaps, when not nil, are the gaps of
// times (else they are computed, once).
func walkBeats(times []int64, gaps []float64, t, delta float64, off []int64) (Period, []int64) {
	var p Period
	mark := len(off)
	if len(gaps) != len(times)-1 {
		gaps = gapsSorted(nil, times)
	}
	for iter := 0; iter < 3; iter++ {
		var w beatWalk
		w, off = walkOnce(times, gaps, t, delta, off[:mark])
		p = w.Period
		if w.sk == 0 {
			return Period{P: 1}, off[:mark]
		}
		nt := w.sg / w.sk
		p.Seconds = nt
		p.Jitter = 1.2533 * w.sabs / float64(p.Beats-1-p.Breaks)
		p.RelErr = p.Jitter / math.Sqrt(w.sk)
		p.MissedFrac = float64(p.Missed) / w.sk
		p.OK = true
		if math.Abs(nt-t) <= 1e-9*t {
			break
		}
		t = nt
	}
	return p, off
}

// beatWalk is one walk of walkBeats: the counts of its Period and the
// sums Σ g, Σ k and Σ |g − k·t| / (t·√k) over the beats.
type beatWalk struct {
	Period
	sg, sk, sabs float64
}

// walkOnce walks the events once with period t: each event whose gap from
// the last beat event is on the beat is accepted; an event off the beat
// is kept pending, and when the next event is on the beat from the
// pending one but not from the last beat event, the beat moves to the
// pending event's phase (a break). Events off the beat are appended to
// off. gaps are the gaps of times.
//
// Runs of beats, each on the beat of the previous event, take an inner
// loop that reads the gaps; the gap from a last beat event further back is
// the difference of the times. The counts follow from the accepted beats
// (acc), the breaks and the events set off: Beats = 1 + acc + breaks,
// Missed = Σ k − acc and Extra = the events left in off.
func walkOnce(times []int64, gaps []float64, t, delta float64, off []int64) (beatWalk, []int64) {
	cb := newComb(t, delta)
	var w beatWalk
	w.Tolerance = delta
	if len(times) == 0 {
		return w, off
	}
	// inv[k] is 1/(t·√k): a multiplication per beat, not a division.
	var inv [maxBeats]float64
	for k := 1; k < maxBeats; k++ {
		inv[k] = 1 / (t * sqrtBeats[k])
	}
	mark := len(off)
	var sg, sk, sabs float64
	var acc, breaks int
	last, pending := 0, -1
	n := len(times)
	for i := 1; i < n; {
		if last == i-1 {
			// A run of beats, each event's gap from the previous one on
			// the beat (nothing is pending after a beat).
			for ; i < n; i++ {
				g := gaps[i-1]
				k, ok := cb.on(g)
				if !ok {
					break
				}
				sg += g
				sk += k
				sabs += math.Abs(g-k*t) * inv[int(k)&(maxBeats-1)]
				acc++
			}
			last = i - 1
			if i == n {
				break
			}
			// Event i is off the beat of the previous one.
			off = append(off, times[i])
			pending = i
			i++
			continue
		}
		g := secondsBetween(times[last], times[i])
		if k, ok := cb.on(g); ok {
			sg += g
			sk += k
			sabs += math.Abs(g-k*t) * inv[int(k)&(maxBeats-1)]
			acc++
			last = i
			pending = -1
			i++
			continue
		}
		if pending >= 0 {
			g := secondsBetween(times[pending], times[i])
			if pending == i-1 {
				g = gaps[i-1]
			}
			if k, ok := cb.on(g); ok {
				// The beat moved to the pending event's phase.
				breaks++
				off = off[:len(off)-1]
				sg += g
				sk += k
				sabs += math.Abs(g-k*t) * inv[int(k)&(maxBeats-1)]
				acc++
				last = i
				pending = -1
				i++
				continue
			}
		}
		off = append(off, times[i])
		pending = i
		i++
	}
	w.Start = times[0]
	if acc > 0 {
		w.End = times[last]
	}
	w.Beats = 1 + acc + breaks
	w.Missed = int(sk) - acc
	w.Extra = len(off) - mark // appended, less those taken back by breaks
	w.Breaks = breaks
	w.sg, w.sk, w.sabs = sg, sk, sabs
	return w, off
}
