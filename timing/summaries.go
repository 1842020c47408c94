package timing

import (
	"math"
	"slices"
	"time"
)

// gapSummaries returns the Summary of the gaps of sorted times and that of
// the gaps inside sessions split at idle (SessionStats.Inner), the same as
// SummarizeWith on each. The gaps inside sessions are those of at most idle,
// the smallest ones, so their order statistics are order statistics of all
// the gaps: one count finds the quartiles of both, and the sums of both
// are taken in the same passes, in the same order as SummarizeWith.
func (sc *scratch) gapSummaries(times []int64, gaps []float64, idle time.Duration) (all, inner Summary) {
	if idle <= 0 {
		idle = DefaultIdle
	}
	lim := uint64(idle)
	n := len(gaps)
	sc.work = slices.Grow(sc.work[:0], n)
	sc.floorOK = false
	sc.memory = math.NaN()
	if n >= histMinN && sc.bothByCount(gaps, lim, &all, &inner) {
		return all, inner
	}
	all, sc.work = SummarizeWith(sc.work, gaps)
	in := slices.Grow(sc.inner[:0], n)
	for i, g := range gaps {
		if uint64(times[i+1])-uint64(times[i]) <= lim {
			in = append(in, g)
		}
	}
	sc.inner = in
	if len(in) == len(gaps) {
		// No gap ends a session: the same values in the same order.
		return all, all
	}
	inner, sc.work = SummarizeWith(sc.work, in)
	return all, inner
}

// innerByValue is the largest idle, in nanoseconds, below which a gap is
// inside a session exactly when its value in seconds is at most
// float64(lim)/1e9: below 2²² s a nanosecond exceeds the spacing of
// float64 values, so a gap of lim+1 ns converts to a larger value than one
// of lim ns (and a conversion never reverses the order).
const innerByValue = 1 << 22 * 1e9

// bothByCount is gapSummaries by counting; it reports false, with a and in
// unspecified, for a gap SummarizeWith would drop or when counting fails.
func (sc *scratch) bothByCount(gaps []float64, lim uint64, a, in *Summary) bool {
	if lim >= innerByValue {
		return false
	}
	n := len(gaps)
	thr := float64(lim) / 1e9 // gap i is inside a session when gaps[i] ≤ thr
	a.Min, a.Max = math.Inf(1), math.Inf(-1)
	// The sums of Memory come along: Σ gaps[:n−1] is sum before its last
	// term, and m2 is Σ gaps[1:]. The first and the last gap are taken
	// apart, so that the loop tests neither.
	var sum, sumIn, m1, m2 float64
	var nIn int
	g := gaps[0]
	if !(math.Abs(g) <= MaxGap) {
		return false
	}
	sum += g
	mn, mx := g, g // a.Min and a.Max, in registers
	if g <= thr {
		sumIn += g
		nIn++
	}
	if n > 1 {
		for _, g := range gaps[1 : n-1] {
			if !(math.Abs(g) <= MaxGap) {
				return false
			}
			m2 += g
			sum += g
			mn, mx = minGap(mn, g), maxGap(mx, g)
			if g <= thr {
				sumIn += g
				nIn++
			}
		}
		g := gaps[n-1]
		if !(math.Abs(g) <= MaxGap) {
			return false
		}
		m1 = sum
		m2 += g
		sum += g
		mn, mx = minGap(mn, g), maxGap(mx, g)
		if g <= thr {
			sumIn += g
			nIn++
		}
	}
	a.Min, a.Max = mn, mx
	// The gaps inside sessions are the nIn smallest: their Min is that of
	// all (the first of its value is one of them), and their Max is the
	// order statistic of rank nIn − 1, found with the quartiles below.
	in.Min, in.Max = a.Min, math.Inf(-1)
	a.N, in.N = n, nIn
	a.Mean = sum / float64(n)
	if nIn > 0 {
		in.Mean = sumIn / float64(nIn)
	}
	m1 /= float64(n - 1)
	m2 /= float64(n - 1)
	// When every gap is inside a session (no gap above thr) the inner
	// summary is the same values in the same order: it is copied at the
	// end instead of computed again.
	same := nIn == n
	ss, ssIn, s1, s2, cov := secondMoments(gaps, a.Mean, in.Mean, m1, m2, thr, same)
	sc.memory = memoryOf(s1, s2, cov)
	a.StdDev = math.Sqrt(ss / float64(n))
	// The quartile ranks of both, the rank of the cache floor and that of
	// the inner Max, merged in ascending order.
	ps := [3]float64{0.25, 0.5, 0.75}
	var ks [14]int
	var vs [14]float64
	for i, p := range ps {
		k := quantileRank(n, p)
		ks[2*i], ks[2*i+1] = k, min(k+1, n-1)
		if nIn > 0 {
			k := quantileRank(nIn, p)
			ks[6+2*i], ks[6+2*i+1] = k, min(k+1, nIn-1)
		}
	}
	m := 6
	if nIn > 0 {
		m = 12
	}
	ks[m] = cacheFloorRank(n)
	floorAt := m
	m++
	inMaxAt := -1
	if nIn > 0 && !same {
		ks[m] = nIn - 1
		inMaxAt = m
		m++
	}
	sorted := ks
	slices.Sort(sorted[:m])
	var out [14]float64
	h := &sc.hist
	// Every gap's sortKey lies in [kmin, kmax] (within): a zero extreme
	// takes in both zeros, which compare equal but have keys of their own.
	kmin, kmax := sortKey(a.Min), sortKey(a.Max)
	if a.Min == 0 {
		kmin = sortKey(math.Copysign(0, -1))
	}
	if a.Max == 0 {
		kmax = sortKey(0)
	}
	if !rankValues(sc.work, &rankSource{src: gaps, n: n, within: true}, kmin, kmax, sorted[:m], out[:m], h) {
		return false
	}
	for i := range m {
		j, _ := slices.BinarySearch(sorted[:m], ks[i])
		vs[i] = out[j]
	}
	var q [3]float64
	for i, p := range ps {
		q[i] = interpolate(n, p, vs[2*i], vs[2*i+1])
	}
	a.Q1, a.Median, a.Q3 = q[0], q[1], q[2]
	sc.floor, sc.floorOK = vs[floorAt], true
	if inMaxAt >= 0 {
		in.Max = vs[inMaxAt]
	}
	a.MAD = madOf(sc.work, &rankSource{src: gaps, n: n}, a, h, 0)
	a.finish()
	if nIn == 0 {
		*in = Summary{}
		return true
	}
	if same {
		*in = *a
		return true
	}
	in.StdDev = math.Sqrt(ssIn / float64(nIn))
	for i, p := range ps {
		q[i] = interpolate(nIn, p, vs[6+2*i], vs[6+2*i+1])
	}
	in.Q1, in.Median, in.Q3 = q[0], q[1], q[2]
	in.MAD = madOf(sc.work, &rankSource{src: gaps, inner: true, thr: thr, n: nIn}, in, h, n-nIn)
	in.finish()
	return true
}

// minGap and maxGap keep the first of equal values, as SummarizeWith does.
func minGap(m, g float64) float64 {
	if g < m {
		return g
	}
	return m
}

func maxGap(m, g float64) float64 {
	if g > m {
		return g
	}
	return m
}

// secondMoments is the second pass of bothByCount over the n ≥ 1 gaps: the
// sums of squared deviations from the mean of all gaps, ss, and of those
// at most thr from their mean inMean, ssIn (0 when same: all are), and the
// lag-1 sums of Memory around m1 (gaps 0…n−2) and m2 (gaps 1…n−1):
// s1 = Σ (gᵢ − m1)², s2 = Σ (gᵢ₊₁ − m2)², cov = Σ (gᵢ − m1)(gᵢ₊₁ − m2).
// A function of its own with no call in its loops, so that their figures
// stay in registers.
func secondMoments(gaps []float64, mean, inMean, m1, m2, thr float64, same bool) (ss, ssIn, s1, s2, cov float64) {
	prev := gaps[0]
	d := prev - mean
	ss = d * d
	if same {
		for _, g := range gaps[1:] {
			d := g - mean
			ss += d * d
			d1, d2 := prev-m1, g-m2
			s1 += d1 * d1
			s2 += d2 * d2
			cov += d1 * d2
			prev = g
		}
		return ss, 0, s1, s2, cov
	}
	if prev <= thr {
		d := prev - inMean
		ssIn = d * d
	}
	for _, g := range gaps[1:] {
		d := g - mean
		ss += d * d
		if g <= thr {
			d := g - inMean
			ssIn += d * d
		}
		d1, d2 := prev-m1, g-m2
		s1 += d1 * d1
		s2 += d2 * d2
		cov += d1 * d2
		prev = g
	}
	return ss, ssIn, s1, s2, cov
}
