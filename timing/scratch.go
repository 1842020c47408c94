package timing

import "sync"

// scratch holds the buffers of one Analyze call, so that the sequence is
// folded, differenced and summarized without allocating per event. Analyze
// takes one from scratchPool and returns it; no Result refers to it.
type scratch struct {
	times []int64   // folded times
	gaps  []float64 // their gaps
	work  []float64 // reordered by summaries and selections, then the beat marks of the change search
	inner []float64 // gaps inside sessions
	logs  []float64 // log gaps of the change search

	off      [2][]int64 // events off the beat, alternately (DetectPeriods)
	restGaps []float64  // gaps of those events

	hist    keyHist // counts of the gaps (gapSummaries)
	floor   float64 // the cache floor among them, when floorOK
	floorOK bool
	memory  float64 // Memory of the gaps, NaN when not computed

	sessions              []Session
	events, durs, between []float64

	lines lines // evidence text
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled is the largest sequence whose buffers go back to the pool: at
// most eight slices of 8 bytes per event, so under 10 MB are kept per pooled
// scratch between calls (and the pool lets go of them at a collection).
const maxPooled = 1 << 17

func (sc *scratch) release() {
	if max(cap(sc.times), cap(sc.gaps), cap(sc.work), cap(sc.inner)) > maxPooled {
		return
	}
	scratchPool.Put(sc)
}
