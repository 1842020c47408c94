package timing

import (
	"math"
	"slices"
	"time"
)

// Event times throughout this package are Unix nanoseconds (int64), in
// ascending order. The range of int64 nanoseconds covers the years 1678 to
// 2262, so times decades apart are represented exactly.

// FromTimes returns the instants of ts as Unix nanoseconds, sorted ascending,
// in a newly allocated slice. The location of each time.Time is irrelevant:
// an instant is the same in every zone. Instants before 1678 or after 2262,
// which int64 nanoseconds cannot hold, saturate to math.MinInt64 and
// math.MaxInt64 respectively. A nil or empty ts gives a nil slice.
func FromTimes(ts []time.Time) []int64 {
	if len(ts) == 0 {
		return nil
	}
	lo := time.Unix(0, math.MinInt64)
	hi := time.Unix(0, math.MaxInt64)
	out := make([]int64, len(ts))
	for i, t := range ts {
		switch {
		case t.Before(lo):
			out[i] = math.MinInt64
		case t.After(hi):
			out[i] = math.MaxInt64
		default:
			out[i] = t.UnixNano()
		}
	}
	slices.Sort(out)
	return out
}

// Sorted reports whether times is in ascending (non-decreasing) order.
// Equal neighbours count as sorted. It is O(n) and does not allocate.
func Sorted(times []int64) bool {
	for i := 1; i < len(times); i++ {
		if times[i] < times[i-1] {
			return false
		}
	}
	return true
}

// sortedView returns times if it is sorted and otherwise a sorted copy. The
// functions of this package that depend on order call it, so unsorted input
// costs one O(n) check and, only when unsorted, one copy and one sort.
func sortedView(times []int64) []int64 {
	if Sorted(times) {
		return times
	}
	c := slices.Clone(times)
	slices.Sort(c)
	return c
}

// diffSeconds returns b−a in seconds. It is exact to the nanosecond when the
// int64 difference does not overflow and falls back to float64 otherwise.
func diffSeconds(a, b int64) float64 {
	d := b - a
	if (b >= a) != (d >= 0) { // overflow
		return (float64(b) - float64(a)) / 1e9
	}
	return float64(d) / 1e9
}
