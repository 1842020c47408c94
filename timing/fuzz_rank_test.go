package timing

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fuzzExpand turns fuzz bytes into at least histMinN values, so that the
// counting path of Summarize runs: byte 0 sets the count and the mixing,
// the rest gives up to 64 little-endian float64 base values, which are
// repeated (heavy ties) or spread by small factors.
func fuzzExpand(data []byte) []float64 {
	if len(data) < 9 {
		return nil
	}
	mode := data[0]
	var base []float64
	for d := data[1:]; len(d) >= 8 && len(base) < 64; d = d[8:] {
		base = append(base, math.Float64frombits(binary.LittleEndian.Uint64(d)))
	}
	n := histMinN + 37*int(mode&63)
	x := make([]float64, n)
	for i := range x {
		v := base[(i*7+i/len(base))%len(base)]
		if mode&64 != 0 {
			v *= 1 + float64(i%13)*0x1p-20
		}
		x[i] = v
	}
	return x
}

// FuzzSummarizeCounting: on at least histMinN values Summarize counts;
// the result must equal that of the selection path (taken when
// summarizing in place) field for field, and Analyze's joint summary of
// all gaps and of those inside sessions must equal Summarize of each.
func FuzzSummarizeCounting(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		x := fuzzExpand(data)
		if x == nil {
			return
		}
		got := Summarize(x)
		c := slices.Clone(x)
		want, _ := SummarizeWith(c[:0], c)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("counting vs selection (-selection +counting):\n%s", diff)
		}
		// Times from the magnitudes of the values as gaps (whole
		// nanoseconds, at most an hour each), idle from byte 0.
		times := make([]int64, len(x)+1)
		for i, v := range x {
			g := int64(math.Mod(math.Abs(v), 3600) * 1e9)
			if !(g >= 0) {
				g = 0
			}
			times[i+1] = times[i] + g
		}
		idle := time.Duration(data[0]) * 20 * time.Second
		gaps := Gaps(nil, times)
		var sc scratch
		all, inner := sc.gapSummaries(times, gaps, idle)
		if idle <= 0 {
			idle = DefaultIdle
		}
		var in []float64
		for i, g := range gaps {
			if times[i+1]-times[i] <= int64(idle) {
				in = append(in, g)
			}
		}
		if diff := cmp.Diff(Summarize(gaps), all); diff != "" {
			t.Fatalf("all gaps (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(Summarize(in), inner); diff != "" {
			t.Fatalf("gaps inside sessions (-want +got):\n%s", diff)
		}
	})
}
