package timing

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFromTimes(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*3600)
	ts := []time.Time{
		time.Date(2026, 3, 1, 12, 0, 0, 5, time.UTC),
		time.Date(2026, 3, 1, 12, 0, 0, 0, moscow),  // 09:00 UTC: earlier
		time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), // before 1678: saturates
		time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), // after 2262: saturates
	}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	want := []int64{math.MinInt64, base + 9*3600e9, base + 12*3600e9 + 5, math.MaxInt64}
	if diff := cmp.Diff(want, FromTimes(ts)); diff != "" {
		t.Errorf("FromTimes (-want +got):\n%s", diff)
	}
	if got := FromTimes(nil); got != nil {
		t.Errorf("FromTimes(nil) = %v, want nil", got)
	}
}

func TestSorted(t *testing.T) {
	for _, tc := range []struct {
		in   []int64
		want bool
	}{
		{nil, true},
		{[]int64{5}, true},
		{[]int64{1, 1, 2}, true},
		{[]int64{2, 1}, false},
		{[]int64{math.MinInt64, 0, math.MaxInt64}, true},
	} {
		if got := Sorted(tc.in); got != tc.want {
			t.Errorf("Sorted(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// descRand is a seeded generator for reproducible simulations.
func descRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }
