package timing

import (
	"math"
	"math/bits"
	"unsafe"
)

// Order statistics of large samples by counting. The values are counted
// into at most 2¹¹ buckets of equal width in the order-preserving integer
// image of float64 (sortKey), which on the positive gaps of this package
// is close to a logarithmic scale; the cumulative counts name the bucket of
// each rank exactly, only the values of those few buckets are gathered, and
// the rank is selected among them. Two passes over the data and a selection
// among a few per cent of it replace the partitions of a selection over all
// of it, whose comparisons the processor cannot predict.

// histMinN is the smallest sample for which rankValues counts; smaller ones
// are selected directly.
const histMinN = 1024

const histMaxBits = 11

// sortKey maps a float64 other than NaN to a uint64 in the same order:
// a < b implies sortKey(a) < sortKey(b) (−0 comes just before +0).
func sortKey(v float64) uint64 {
	b := math.Float64bits(v)
	return b ^ (uint64(int64(b)>>63) | 1<<63)
}

// rankSource names the values that rankValues ranks: the elements x of src
// or, with dev, the deviations |x − center|; with dev and inner, only the
// deviations of the elements x ≤ thr (the gaps inside sessions, see
// innerByValue).
type rankSource struct {
	src    []float64
	center float64
	dev    bool
	inner  bool
	thr    float64
	n      int // number of values: len(src), or the elements ≤ thr
	// within reports that every value's sortKey lies in [kmin, kmax] of
	// the histogram that counts them (the values are not deviations): no
	// value needs to be clamped into the slots below kmin or above kmax.
	within bool
}

// maxRanks is the most ranks one rankValues call finds.
const maxRanks = 16

// rankValues sets out[i] to the ks[i]-th smallest (0-based) of the values of
// s, for ranks ks in ascending order (at most maxRanks). Values whose
// sortKey lies outside [kmin, kmax] are only counted; every sortKey of a
// value must lie within 2⁶³ of kmin, and no value may be NaN. It returns
// false, with out unspecified, when a rank falls outside [kmin, kmax] or
// kmax − kmin ≥ 2⁶³. dst, of capacity at least s.n and not overlapping
// s.src, receives the values of the buckets examined; s.src is not
// modified. h, when not nil, receives the bucket counts, with which
// h.ranks answers further ranks of the same values in one pass each.
func rankValues(dst []float64, s *rankSource, kmin, kmax uint64, ks []int, out []float64, h *keyHist) bool {
	n := s.n
	if len(ks) == 0 {
		return true
	}
	if kmax < kmin || kmax-kmin >= 1<<63 || ks[len(ks)-1] >= n || ks[0] < 0 || cap(dst) < n || len(ks) > maxRanks {
		return false
	}
	if h == nil {
		h = new(keyHist) // does not escape: on the stack
	}
	nbits := min(histMaxBits, max(6, bits.Len(uint(n))-3))
	shift := 0
	if l := bits.Len64(kmax - kmin); l > nbits {
		shift = l - nbits
	}
	// Slot 0 counts the values below kmin, slot nb+2 those above kmax.
	nb := int64((kmax - kmin) >> shift)
	var cnt [1<<histMaxBits + 3]int32
	// One loop per kind of source: a test inside the loop costs more than
	// the loop.
	src, thr, center := s.src, s.thr, s.center
	switch {
	case !s.dev && s.within:
		for _, v := range src {
			cnt[(sortKey(v)-kmin)>>shift+1]++
		}
	case !s.dev:
		for _, v := range src {
			d := int64(sortKey(v)-kmin) >> shift
			cnt[min(max(d, -1), nb+1)+1]++
		}
	case !s.inner:
		for _, v := range src {
			d := int64(sortKey(math.Abs(v-center))-kmin) >> shift
			cnt[min(max(d, -1), nb+1)+1]++
		}
	default:
		for _, v := range src {
			if v > thr {
				continue
			}
			d := int64(sortKey(math.Abs(v-center))-kmin) >> shift
			cnt[min(max(d, -1), nb+1)+1]++
		}
	}
	h.kmin, h.shift, h.nb, h.n = kmin, shift, nb, n
	h.cum[0] = 0
	for j := range nb + 3 {
		h.cum[j+1] = h.cum[j] + cnt[j]
	}
	return h.ranks(dst, s, ks, out)
}

// ranks sets out[i] to the ks[i]-th smallest of the values of s, which h
// counted, for ranks ks in ascending order (at most maxRanks), in one pass
// over s and a selection among the values of the buckets that hold the
// ranks (gathered in dst, of capacity at least s.n). It returns false when
// a rank is below kmin or above kmax.
func (h *keyHist) ranks(dst []float64, s *rankSource, ks []int, out []float64) bool {
	n, nb, kmin, shift := s.n, h.nb, h.kmin, h.shift
	if len(ks) == 0 {
		return true
	}
	if n != h.n || cap(dst) < n || len(ks) > maxRanks || ks[0] < int(h.cum[1]) || ks[len(ks)-1] >= int(h.cum[nb+2]) {
		return false
	}
	// The slot of each rank and the values below that slot.
	var want [1<<histMaxBits + 3]uint8
	var slot [maxRanks]int
	b := 0
	for i, k := range ks {
		for int(h.cum[b+1]) <= k {
			b++
		}
		slot[i] = b
		want[b] = 1
	}
	// Gather the values of the wanted slots into dst without a branch:
	// every value is written, and the end advances past it only when it is
	// wanted.
	g := dst[:n]
	f := 0
	src, thr, center := s.src, s.thr, s.center
	switch {
	case !s.dev && s.within:
		for _, v := range src {
			g[f] = v
			f += int(want[(sortKey(v)-kmin)>>shift+1])
		}
	case !s.dev:
		for _, v := range src {
			d := int64(sortKey(v)-kmin) >> shift
			g[f] = v
			f += int(want[min(max(d, -1), nb+1)+1])
		}
	case !s.inner:
		for _, v := range src {
			v = math.Abs(v - center)
			d := int64(sortKey(v)-kmin) >> shift
			g[f] = v
			f += int(want[min(max(d, -1), nb+1)+1])
		}
	default:
		for _, v := range src {
			if v > thr {
				continue
			}
			v = math.Abs(v - center)
			d := int64(sortKey(v)-kmin) >> shift
			g[f] = v
			f += int(want[min(max(d, -1), nb+1)+1])
		}
	}
	g = g[:f]
	// Gathered values below the slot of rank i: those of the wanted slots
	// before it (slots ascend with i).
	lo, below := 0, 0
	for i, k := range ks {
		if i > 0 && slot[i] != slot[i-1] {
			below += int(h.cum[slot[i-1]+1] - h.cum[slot[i-1]])
		}
		r := k - int(h.cum[slot[i]]) + below
		out[i] = selectKth(g, lo, f-1, r)
		lo = r
	}
	return true
}

// overlaps reports whether the arrays behind a (up to its capacity) and b
// share memory.
func overlaps(a, b []float64) bool {
	if cap(a) == 0 || len(b) == 0 {
		return false
	}
	a0 := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	a1 := a0 + uintptr(cap(a))*8
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	b1 := b0 + uintptr(len(b))*8
	return a0 < b1 && b0 < a1
}

// keyHist is the histogram rankValues counted: cum[j] values fall in the
// slots before slot j, where slot 0 holds the values below kmin, slot
// nb+2 those above kmax and slot b+1 those whose sortKey − kmin, shifted
// right by shift, is b.
type keyHist struct {
	kmin  uint64
	shift int
	nb    int64
	n     int // values counted
	cum   [1<<histMaxBits + 4]int32
}

// slot is the slot of value v.
func (h *keyHist) slot(v float64) int64 {
	return min(max(int64(sortKey(v)-h.kmin)>>h.shift, -1), h.nb+1) + 1
}

// madByHist returns the median of the deviations |x − s.Median| of the
// values of src (src.dev false; with src.inner only those ≤ src.thr),
// whose sortKeys h counted for all of src, of which extra values are not
// among those of src.n. From h it brackets the deviations of rank k and
// k+1 (k = ⌊(src.n−1)/2⌋) between dlo and dhi, then in one pass counts the
// deviations up to dlo and gathers those strictly between into dst, and
// selects the two ranks among them. It reports false when the bracket
// misses, which the counts show exactly.
func madByHist(dst []float64, src *rankSource, s *Summary, h *keyHist, extra int) (float64, bool) {
	n := src.n
	k := quantileRank(n, 0.5)
	k1 := min(k+1, n-1)
	m := s.Median
	top := math.Max(m-s.Min, s.Max-m)
	if !(top > 0) || top > MaxGap || cap(dst) < n {
		return 0, false
	}
	// Values within d of the median: at most those of the slots that meet
	// [m−d, m+d], at least those of the slots strictly inside.
	upper := func(d float64) int {
		a, b := h.slot(math.Max(m-d, s.Min)), h.slot(math.Min(m+d, s.Max))
		return int(h.cum[b+1] - h.cum[a])
	}
	lower := func(d float64) int {
		a, b := h.slot(math.Max(m-d, s.Min)), h.slot(math.Min(m+d, s.Max))
		if b <= a+1 {
			return 0
		}
		return int(h.cum[b]-h.cum[a+1]) - extra
	}
	// dlo: the largest d with upper(d) ≤ k; dhi: the smallest with
	// lower(d) ≥ k1+1. Both by bisection over the bits of d ≥ 0.
	lo, hi := uint64(0), math.Float64bits(top)
	if upper(0) > k {
		return 0, false
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if upper(math.Float64frombits(mid)) <= k {
			lo = mid
		} else {
			hi = mid
		}
	}
	dlo := math.Float64frombits(lo)
	lo, hi = 0, math.Float64bits(top)
	if lower(top) < k1+1 {
		hi = math.Float64bits(math.Inf(1))
	} else {
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if lower(math.Float64frombits(mid)) >= k1+1 {
				hi = mid
			} else {
				lo = mid
			}
		}
	}
	dhi := math.Float64frombits(hi)
	// One pass: count the deviations ≤ dlo, gather those in (dlo, dhi).
	g := dst[:n]
	f, below := 0, 0
	if !src.inner {
		for _, x := range src.src {
			v := math.Abs(x - m)
			below += b2i(v <= dlo)
			g[f] = v
			f += b2i(v > dlo) & b2i(v < dhi)
		}
	} else {
		thr := src.thr
		for _, x := range src.src {
			if x > thr {
				continue
			}
			v := math.Abs(x - m)
			below += b2i(v <= dlo)
			g[f] = v
			f += b2i(v > dlo) & b2i(v < dhi)
		}
	}
	if below > k || below+f <= k1 {
		return 0, false
	}
	g = g[:f]
	v := selectKth(g, 0, f-1, k-below)
	next := v
	if k1 > k {
		next = selectKth(g, k-below, f-1, k1-below)
	}
	return interpolate(n, 0.5, v, next), true
}

// b2i is 1 for true and 0 for false, without a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
