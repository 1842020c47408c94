package timing

import (
	"math"
	"slices"
	"sort"
	"time"
)

// MaxGap is the largest gap magnitude, in seconds, that Summarize uses
// (about 31.7 million years). Larger or non-finite values are counted in
// Summary.Dropped and left out, which keeps every sum finite.
const MaxGap = 1e15

// Gaps appends to dst the n−1 gaps, in seconds, between consecutive events of
// times and returns the extended slice:
//
//	gap[i] = (times[i+1] − times[i]) / 1e9,   i = 0 … n−2
//
// If times is not sorted, the gaps of a
// sorted copy are returned (one allocation); sorted input allocates only when
// dst lacks capacity, so passing dst[:0] of a reused buffer makes the call
// allocation-free. Fewer than two events give no gaps.
//
// Each gap is converted from the exact int64 difference (a float64 holds it
// exactly up to 2⁵³ ns, about 104 days, and to 16 significant digits
// beyond); times more than 292 years apart, whose difference overflows
// int64, are subtracted in float64.
func Gaps(dst []float64, times []int64) []float64 {
	if len(times) < 2 {
		return dst
	}
	times = sortedView(times)
	dst = slices.Grow(dst, len(times)-1)
	for i := 1; i < len(times); i++ {
		dst = append(dst, diffSeconds(times[i-1], times[i]))
	}
	return dst
}

// Fold merges near-simultaneous events: an event closer than tol to the last
// kept event is dropped, so each kept event anchors a window [t, t+tol) that
// absorbs A/AAAA pairs, retries at +1 s and +2 s, duplicate log lines and
// timestamps rounded to the second. Because the window is anchored on the
// kept event and does not slide, a steady stream with gaps shorter than tol
// keeps one event per tol rather than collapsing into one.
//
// The kept events are appended to dst, which may be times[:0] to fold in
// place. tol ≤ 0 keeps every event. Unsorted input is folded from a sorted
// copy.
func Fold(dst, times []int64, tol time.Duration) []int64 {
	if len(times) == 0 {
		return dst
	}
	times = sortedView(times)
	if tol <= 0 {
		return append(dst, times...)
	}
	anchor := times[0]
	dst = append(dst, anchor)
	t := uint64(tol)
	for _, x := range times[1:] {
		// x ≥ anchor, so the unsigned difference is exact even when the
		// signed one would overflow.
		if uint64(x)-uint64(anchor) < t {
			continue
		}
		anchor = x
		dst = append(dst, x)
	}
	return dst
}

// Summary is a robust description of a sample of gaps (seconds). All fields
// are finite; a Summary of no usable values is the zero Summary.
//
// Quantiles use linear interpolation between order statistics (Hyndman and
// Fan type 7, the default of R and NumPy): for the sorted sample
// x[0] ≤ … ≤ x[N−1] and probability p,
//
//	h = (N−1)·p,  Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
type Summary struct {
	N       int     // values used
	Dropped int     // values left out: NaN, ±Inf or |x| > MaxGap
	Min     float64 // smallest value
	Max     float64 // largest value
	Mean    float64 // μ = Σx / N
	StdDev  float64 // population standard deviation σ = √(Σ(x−μ)² / N)
	Median  float64 // Q(0.5)
	MAD     float64 // raw median absolute deviation median(|x − Median|), not scaled by 1.4826
	Q1      float64 // Q(0.25)
	Q3      float64 // Q(0.75)
	IQR     float64 // Q3 − Q1
	// Bowley is the quartile skewness (Q3 + Q1 − 2·Median) / (Q3 − Q1), in
	// [−1, 1]; 0 when IQR is 0.
	Bowley float64
	// CV is the coefficient of variation σ/μ with the population σ; 0 when
	// μ ≤ 0, at most MaxRatio. A perfectly regular series has CV 0,
	// exponential gaps about 1.
	CV float64
	// MADRatio is the robust dispersion MAD / Median; 0 when Median ≤ 0, at
	// most MaxRatio.
	MADRatio float64
}

// Summarize describes gaps (see Summary for the formulas). It sorts one
// private copy of the usable values: a single allocation of 8·len(gaps)
// bytes, whatever the length. Use SummarizeWith to reuse a buffer and not
// allocate at all.
func Summarize(gaps []float64) Summary {
	s, _ := SummarizeWith(nil, gaps)
	return s
}

// SummarizeWith is Summarize with a caller-owned scratch buffer: the usable
// values are copied into buf[:0] (grown if needed) and sorted there, and the
// buffer is returned for the next call. gaps itself is never modified. With a
// buffer of sufficient capacity the call does not allocate.
func SummarizeWith(buf, gaps []float64) (Summary, []float64) {
	x := buf[:0]
	x = slices.Grow(x, len(gaps))
	var s Summary
	for _, g := range gaps {
		if math.IsNaN(g) || math.Abs(g) > MaxGap { // also catches ±Inf
			s.Dropped++
			continue
		}
		x = append(x, g)
	}
	n := len(x)
	s.N = n
	if n == 0 {
		return s, x
	}
	slices.Sort(x)
	s.Min, s.Max = x[0], x[n-1]
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean := sum / float64(n)
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	s.Mean = mean
	s.StdDev = math.Sqrt(ss / float64(n))
	s.Median = quantileSorted(x, 0.5)
	s.Q1 = quantileSorted(x, 0.25)
	s.Q3 = quantileSorted(x, 0.75)
	s.IQR = s.Q3 - s.Q1
	if s.IQR > 0 {
		s.Bowley = clamp((s.Q3+s.Q1-2*s.Median)/s.IQR, -1, 1)
	}
	s.CV = ratio(s.StdDev, mean)
	s.MAD = madSorted(x, s.Median)
	s.MADRatio = ratio(s.MAD, s.Median)
	return s, x
}

// quantileSorted is the type-7 quantile of a sorted non-empty sample.
func quantileSorted(x []float64, p float64) float64 {
	n := len(x)
	if n == 1 {
		return x[0]
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return x[n-1]
	}
	f := h - float64(lo)
	return x[lo] + f*(x[lo+1]-x[lo])
}

// madSorted returns median(|x − med|) for sorted x without allocating: the
// deviations to the left of med, read leftwards, and those to the right,
// read rightwards, are two ascending runs, merged until the middle.
func madSorted(x []float64, med float64) float64 {
	n := len(x)
	j := sort.SearchFloat64s(x, med) // first index with x[j] ≥ med
	l, r := j-1, j
	next := func() float64 {
		switch {
		case l < 0:
			r++
			return x[r-1] - med
		case r >= n:
			l--
			return med - x[l+1]
		case med-x[l] <= x[r]-med:
			l--
			return med - x[l+1]
		default:
			r++
			return x[r-1] - med
		}
	}
	a, b := (n-1)/2, n/2 // middle ranks of the merged deviations
	var da float64
	for k := 0; k < a; k++ {
		next()
	}
	da = next()
	if b == a {
		return da
	}
	return da + 0.5*(next()-da)
}

// MaxRatio caps the ratios of Summary (CV, MADRatio) so they stay finite
// when a positive mean or median is vanishingly small (below about 1e-285 s,
// which gaps between int64 nanosecond times never are).
const MaxRatio = 1e300

// ratio is num/den for den > 0, capped at MaxRatio, and 0 otherwise.
func ratio(num, den float64) float64 {
	if !(den > 0) {
		return 0
	}
	return math.Min(num/den, MaxRatio)
}

func clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}
