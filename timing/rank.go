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
// or, with dev, the deviations |x − center|; with dev and times (the event
// times whose gaps src holds), only the deviations of the gaps of at most
// lim nanoseconds, which are the gaps inside sessions.
type rankSource struct {
	src    []float64
	center float64
	dev    bool
	times  []int64
	lim    uint64
	n      int // number of values: len(src), or the gaps within lim
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
// modified.
func rankValues(dst []float64, s *rankSource, kmin, kmax uint64, ks []int, out []float64) bool {
	n := s.n
	if len(ks) == 0 {
		return true
	}
	if kmax < kmin || kmax-kmin >= 1<<63 || ks[len(ks)-1] >= n || ks[0] < 0 || cap(dst) < n || len(ks) > maxRanks {
		return false
	}
	nbits := min(histMaxBits, max(6, bits.Len(uint(n))-3))
	shift := 0
	if l := bits.Len64(kmax - kmin); l > nbits {
		shift = l - nbits
	}
	// Bucket 0 counts the values below kmin, bucket nb+2 those above kmax.
	nb := int64((kmax - kmin) >> shift)
	var cnt [1<<histMaxBits + 2]int32
	// One loop per kind of source: a test inside the loop costs more than
	// the loop.
	src, times, lim, center := s.src, s.times, s.lim, s.center
	switch {
	case !s.dev:
		for _, v := range src {
			d := int64(sortKey(v)-kmin) >> shift
			cnt[min(max(d, -1), nb+1)+1]++
		}
	case times == nil:
		for _, v := range src {
			d := int64(sortKey(math.Abs(v-center))-kmin) >> shift
			cnt[min(max(d, -1), nb+1)+1]++
		}
	default:
		times = times[:len(src)+1]
		for i, v := range src {
			if uint64(times[i+1])-uint64(times[i]) > lim {
				continue
			}
			d := int64(sortKey(math.Abs(v-center))-kmin) >> shift
			cnt[min(max(d, -1), nb+1)+1]++
		}
	}
	if under, over := int(cnt[0]), int(cnt[nb+2]); ks[0] < under || ks[len(ks)-1] >= n-over {
		return false
	}
	// The bucket of each rank and the values below that bucket.
	var want [1<<histMaxBits + 3]uint8
	var bucket, before [maxRanks]int
	c, b := 0, 0
	for i, k := range ks {
		for c+int(cnt[b]) <= k {
			c += int(cnt[b])
			b++
		}
		bucket[i], before[i] = b, c
		want[b] = 1
	}
	// Gather the values of the wanted buckets into dst without a branch:
	// every value is written, and the end advances past it only when it is
	// wanted.
	g := dst[:n]
	f := 0
	switch {
	case !s.dev:
		for _, v := range src {
			d := int64(sortKey(v)-kmin) >> shift
			g[f] = v
			f += int(want[min(max(d, -1), nb+1)+1])
		}
	case times == nil:
		for _, v := range src {
			v = math.Abs(v - center)
			d := int64(sortKey(v)-kmin) >> shift
			g[f] = v
			f += int(want[min(max(d, -1), nb+1)+1])
		}
	default:
		for i, v := range src {
			if uint64(times[i+1])-uint64(times[i]) > lim {
				continue
			}
			v = math.Abs(v - center)
			d := int64(sortKey(v)-kmin) >> shift
			g[f] = v
			f += int(want[min(max(d, -1), nb+1)+1])
		}
	}
	g = g[:f]
	// Gathered values below the bucket of rank i: those of the wanted
	// buckets before it (buckets ascend with i).
	lo, below := 0, 0
	for i, k := range ks {
		if i > 0 && bucket[i] != bucket[i-1] {
			below += int(cnt[bucket[i-1]])
		}
		r := k - before[i] + below
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
