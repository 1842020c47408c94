package timing

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRhythmPersistenceMatches: Analyze profiles rhythm and persistence in
// one pass; the result must equal RhythmOf and PersistenceOf, field for
// field, in zones with and without daylight saving and across its
// transitions.
func TestRhythmPersistenceMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	seqs := [][]int64{
		nil,
		{simEpoch},
		simBeacon(rng, twoSided, 300, 0.2, 0.25, 5000),
		simHuman(rng, 60, 300),
		simPoisson(rng, 3000, 86400*400), // across both DST changes
		{-86400e9 * 400, -1, 0, 1e9, 1e18},
		{math.MinInt64, math.MinInt64 + 5, math.MinInt64 + 3600e9, 0, math.MaxInt64 - 3600e9, math.MaxInt64 - 5, math.MaxInt64},
	}
	for _, name := range []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
		loc := descZone(t, name)
		for i, ts := range seqs {
			r, p := rhythmPersistence(ts, loc)
			if diff := cmp.Diff(RhythmOf(ts, loc), r); diff != "" {
				t.Errorf("%s, sequence %d: Rhythm (-want +got):\n%s", name, i, diff)
			}
			if diff := cmp.Diff(PersistenceOf(ts, loc), p); diff != "" {
				t.Errorf("%s, sequence %d: Persistence (-want +got):\n%s", name, i, diff)
			}
		}
	}
	if r, _ := rhythmPersistence(nil, nil); r.Location != time.UTC.String() {
		t.Errorf("nil location: %q, want UTC", r.Location)
	}
}
