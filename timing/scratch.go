package timing

import (
	"slices"
	"sync"
	"time"
)

// scratch holds the buffers of one Analyze call, so that the sequence is
// folded, differenced and summarized without allocating per event. Analyze
// takes one from scratchPool and returns it; no Result refers to it.
type scratch struct {
	times []int64   // folded times
	gaps  []float64 // their gaps
	work  []float64 // reordered by summaries and selections
	inner []float64 // gaps inside sessions
	logs  []float64 // log gaps of the change search
	marks []uint8   // beat marks of the change search
	beats []float64 // the same as floats, for its CUSUM

	off      [2][]int64 // events off the beat, alternately (DetectPeriods)
	restGaps []float64  // gaps of those events

	hist    keyHist // counts of the gaps (gapSummaries)
	floor   float64 // the cache floor among them, when floorOK
	floorOK bool
	memory  float64 // Memory of the gaps, NaN when not computed

	sessions              []Session
	events, durs, between []float64
	cover                 sessionsAt // the sessions Analyze found, for cacheGating

	lines lines // evidence text
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled is the largest sequence whose buffers go back to the pool: at
// most nine slices of 8 bytes and one of 1 byte per event, so under 10 MB
// are kept per pooled scratch between calls (and the pool lets go of them
// at a collection).
const maxPooled = 1 << 17

func (sc *scratch) release() {
	if max(cap(sc.times), cap(sc.gaps), cap(sc.work), cap(sc.inner)) > maxPooled {
		return
	}
	scratchPool.Put(sc)
}

// sessionsAt is the count of sessions at an idle threshold and the share of
// the span they cover (sessionCover's figures).
type sessionsAt struct {
	idle   time.Duration
	count  int
	active float64
}

// foldGaps folds times (any order, at least two) at tol into sc.times and
// writes their gaps into sc.gaps, in one pass: foldSorted and gapsSorted
// of the folded times, with the same values. The pass checks the order as
// it goes; unsorted times are folded again from a sorted copy.
func (sc *scratch) foldGaps(times []int64, tol time.Duration) ([]int64, []float64) {
	ts := slices.Grow(sc.times[:0], len(times))[:len(times)]
	gaps := slices.Grow(sc.gaps[:0], len(times))[:len(times)]
	k, sorted := foldGapsSorted(ts, gaps, times, uint64(tol))
	if !sorted {
		ts = foldSorted(ts[:0], sortedCopy(times), tol)
		k = len(ts)
		gaps = gapsSorted(gaps[:0], ts)
	}
	sc.times, sc.gaps = ts[:k], gaps[:k-1]
	return sc.times, sc.gaps
}

// foldGapsSorted is the pass of foldGaps over times while they are sorted:
// it writes the folded times to ts and their gaps to gaps (both of
// len(times)), and returns how many times it kept, or false at the first
// time out of order. A loop with no call in it, its figures in registers.
func foldGapsSorted(ts []int64, gaps []float64, times []int64, tol uint64) (int, bool) {
	anchor := times[0]
	ts[0] = anchor
	ts, gaps = ts[:len(times)], gaps[:len(times)]
	k := 1
	prev := anchor
	for _, x := range times[1:] {
		if x < prev {
			return k, false
		}
		prev = x
		// x ≥ anchor, so the unsigned difference is exact even when the
		// signed one would overflow.
		if uint64(x)-uint64(anchor) < tol {
			continue
		}
		// diffSeconds(anchor, x), whose signed difference overflows only
		// when it is negative here.
		g := float64(x-anchor) / 1e9
		if x-anchor < 0 {
			g = (float64(x) - float64(anchor)) / 1e9
		}
		gaps[k-1] = g
		anchor = x
		ts[k] = x
		k++
	}
	return k, true
}
