package timing

import (
	"math"
	"math/bits"
	"slices"
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
// If times is not sorted, the gaps of a sorted copy are returned (one
// allocation); sorted input allocates only when dst lacks capacity, so
// passing dst[:0] of a reused buffer makes the call allocation-free. Fewer
// than two events give no gaps.
//
// Each gap is converted from the exact int64 difference (a float64 holds it
// exactly up to 2⁵³ ns, about 104 days, and to 16 significant digits
// beyond); times more than 292 years apart, whose difference overflows
// int64, are subtracted in float64.
func Gaps(dst []float64, times []int64) []float64 {
	if len(times) < 2 {
		return dst
	}
	return gapsSorted(dst, sortedView(times))
}

// gapsSorted is Gaps of sorted times.
func gapsSorted(dst []float64, times []int64) []float64 {
	if len(times) < 2 {
		return dst
	}
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
	return foldSorted(dst, sortedView(times), tol)
}

// foldSorted is Fold of sorted times.
func foldSorted(dst, times []int64, tol time.Duration) []int64 {
	if len(times) == 0 {
		return dst
	}
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

// Summarize describes gaps (see Summary for the formulas). It works on one
// private copy of the usable values — a single allocation of 8·len(gaps)
// bytes, whatever the length — and finds the order statistics without
// sorting: O(n) expected time, O(n log n) at worst. From 1,024 values on it
// counts the values into buckets by their bits and selects only among those
// of the buckets that hold the wanted ranks; below that, and in rare cases
// (values dropped, or far apart on both sides of zero), it selects among
// all of them. Use SummarizeWith to reuse a buffer and not allocate at all.
func Summarize(gaps []float64) Summary {
	s, _ := SummarizeWith(nil, gaps)
	return s
}

// SummarizeWith is Summarize with a caller-owned scratch buffer: the usable
// values are copied into buf[:0] (grown if needed) and reordered there, and
// the buffer is returned for the next call (its contents are unspecified).
// Otherwise gaps is not modified; buf may be gaps[:0] to summarize in place,
// which reorders gaps. With a buffer of sufficient capacity the call does not
// allocate.
func SummarizeWith(buf, gaps []float64) (Summary, []float64) {
	x := buf[:0]
	x = slices.Grow(x, len(gaps))
	var s Summary
	for _, g := range gaps {
		if !(g >= -MaxGap && g <= MaxGap) { // NaN, ±Inf, too large
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
	s.Min, s.Max = x[0], x[0]
	var sum float64
	for _, v := range x {
		if v < s.Min {
			s.Min = v
		}
		if v > s.Max {
			s.Max = v
		}
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
	if n < histMinN || s.Dropped > 0 || overlaps(x, gaps) || !s.byCount(x, gaps) {
		s.quartilesBySelection(x)
		for i, v := range x { // x is private: reuse it for the deviations
			x[i] = math.Abs(v - s.Median)
		}
		s.MAD = selectQuantile(x, 0, n-1, n, 0.5)
	}
	s.finish()
	return s, x
}

// finish sets the figures of s derived from its moments, quartiles and MAD.
func (s *Summary) finish() {
	s.IQR = math.Max(0, s.Q3-s.Q1)
	if s.IQR > 0 {
		s.Bowley = clamp((s.Q3+s.Q1-2*s.Median)/s.IQR, -1, 1)
	}
	s.CV = ratio(s.StdDev, s.Mean)
	s.MADRatio = ratio(s.MAD, s.Median)
}

// quartilesBySelection sets Median, Q1 and Q3 of the values x by selection,
// median first so that Q1 is selected left of it and Q3 right of it.
func (s *Summary) quartilesBySelection(x []float64) {
	n := len(x)
	mi := quantileRank(n, 0.5)
	s.Median = selectQuantile(x, 0, n-1, n, 0.5)
	s.Q1 = selectQuantile(x, 0, mi, n, 0.25)
	s.Q3 = selectQuantile(x, mi, n-1, n, 0.75)
}

// byCount sets Median, Q1, Q3 and MAD of the values gaps, all usable, whose
// extremes are s.Min and s.Max, with rankValues and buf (len(gaps) values
// not overlapping gaps) as scratch. It reports false, with the quartiles
// and MAD unset and buf untouched, when the quartiles cannot be counted
// (only values both sides of zero over a vast range); the MAD is found by
// selection in buf when it lies outside the range counted.
func (s *Summary) byCount(buf, gaps []float64) bool {
	n := len(gaps)
	var ks [6]int
	var vs [6]float64
	ps := [3]float64{0.25, 0.5, 0.75}
	for i, p := range ps {
		k := quantileRank(n, p)
		ks[2*i], ks[2*i+1] = k, min(k+1, n-1)
	}
	var h keyHist
	if !rankValues(buf, &rankSource{src: gaps, n: n}, sortKey(s.Min), sortKey(s.Max), ks[:], vs[:], &h) {
		return false
	}
	var q [3]float64
	for i, p := range ps {
		q[i] = interpolate(n, p, vs[2*i], vs[2*i+1])
	}
	s.Q1, s.Median, s.Q3 = q[0], q[1], q[2]
	s.MAD = madOf(buf, &rankSource{src: gaps, n: n}, s, &h, 0)
	return true
}

// madOf returns the median of the deviations src (with dev set and center
// s.Median) by rankValues, counting between a quarter of the smaller and four
// times the larger distance from the median to a quartile, where the MAD
// lies for all but odd samples; else, or when that fails, by selection
// among all deviations gathered in buf.
func madOf(buf []float64, src *rankSource, s *Summary, h *keyHist, extra int) float64 {
	if v, ok := madByHist(buf, src, s, h, extra); ok {
		return v
	}
	src.center, src.dev = s.Median, true
	n := src.n
	a, b := s.Median-s.Q1, s.Q3-s.Median
	lo, hi := math.Min(a, b)/4, 4*math.Max(a, b)
	k := quantileRank(n, 0.5)
	mk := [2]int{k, min(k+1, n-1)}
	var vs [2]float64
	if hi > 0 && hi <= MaxGap && rankValues(buf, src, sortKey(lo), sortKey(hi), mk[:], vs[:], nil) {
		return interpolate(n, 0.5, vs[0], vs[1])
	}
	x := buf[:0]
	for _, g := range src.src {
		if src.inner && g > src.thr {
			continue
		}
		x = append(x, math.Abs(g-src.center))
	}
	return selectQuantile(x, 0, n-1, n, 0.5)
}

// interpolate is the type-7 quantile p of n values whose order statistics
// of rank ⌊(n−1)·p⌋ and the next are v and next.
func interpolate(n int, p, v, next float64) float64 {
	h := float64(n-1) * p
	k := quantileRank(n, p)
	f := h - float64(k)
	if f == 0 || k+1 >= n {
		return v
	}
	return v + f*(next-v)
}

// quantileRank is ⌊(n−1)·p⌋, the lower order statistic (0-based) that the
// type-7 quantile p of n values interpolates from.
func quantileRank(n int, p float64) int {
	return min(n-1, int(math.Floor(float64(n-1)*p)))
}

// selectQuantile returns the type-7 quantile p of the n values of x, given
// that its lower order statistic lies in x[lo..hi] (true for the whole of x,
// and for the parts left or right of an order statistic already selected).
// It reorders x[lo..hi] and takes O(n) expected time.
func selectQuantile(x []float64, lo, hi, n int, p float64) float64 {
	h := float64(n-1) * p
	k := quantileRank(n, p)
	v := selectKth(x, lo, hi, k)
	f := h - float64(k)
	if f == 0 || k+1 >= n {
		return v
	}
	// After selection every value right of k is ≥ x[k], so the next order
	// statistic is their minimum; when k < hi it lies in x[k+1..hi], since
	// values beyond hi are ≥ every value in [lo, hi].
	rest := x[k+1:]
	if k < hi {
		rest = x[k+1 : hi+1]
	}
	next := rest[0]
	for _, w := range rest[1:] {
		if w < next {
			next = w
		}
	}
	return v + f*(next-v)
}

// selectKth places the k-th smallest value (0-based) of x[lo..hi] at x[k],
// with smaller-or-equal values left of it and greater-or-equal right of it
// within [lo, hi], and returns it. It is the Floyd–Rivest selection: on
// large ranges the pivot is first selected, recursively, from a small
// sample around the expected position of rank k, so each partition leaves
// little beyond rank k (about 1.5·n comparisons in all, against about 3·n
// for median-of-three quickselect). If partitioning fails to shrink the
// range fast enough (hostile input), the rest of the range is sorted, so the
// worst case is O(n log n). x must not hold NaN.
func selectKth(x []float64, lo, hi, k int) float64 {
	budget := 4 * (bits.Len(uint(hi-lo+1)) + 1)
	for hi > lo {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			return x[k]
		}
		budget--
		if hi-lo > 600 {
			n := float64(hi - lo + 1)
			i := float64(k - lo + 1)
			z := math.Log(n)
			sz := 0.5 * math.Exp(2*z/3)
			sd := 0.5 * math.Sqrt(z*sz*(n-sz)/n)
			if i < n/2 {
				sd = -sd
			}
			nlo := max(lo, int(float64(k)-i*sz/n+sd))
			nhi := min(hi, int(float64(k)+(n-i)*sz/n+sd))
			selectKth(x, nlo, nhi, k)
		}
		// Partition x[lo..hi] around t = x[k].
		t := x[k]
		i, j := lo, hi
		x[lo], x[k] = x[k], x[lo]
		if x[hi] > t {
			x[hi], x[lo] = x[lo], x[hi]
		}
		for i < j {
			x[i], x[j] = x[j], x[i]
			i++
			j--
			for x[i] < t {
				i++
			}
			for x[j] > t {
				j--
			}
		}
		if x[lo] == t {
			x[lo], x[j] = x[j], x[lo]
		} else {
			j++
			x[j], x[hi] = x[hi], x[j]
		}
		// x[j] == t now, with x[lo..j-1] ≤ t ≤ x[j+1..hi].
		if j <= k {
			lo = j + 1
		}
		if k <= j {
			hi = j - 1
		}
	}
	return x[k]
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
