package timing

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRhythmPersistenceMatches: Analyze profiles rhythm and persistence in
// one pass; the result must equal RhythmOf and persistenceRef, field for
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
			if diff := cmp.Diff(persistenceRef(ts, loc), p); diff != "" {
				t.Errorf("%s, sequence %d: Persistence (-want +got):\n%s", name, i, diff)
			}
		}
	}
	if r, _ := rhythmPersistence(nil, nil); r.Location != time.UTC.String() {
		t.Errorf("nil location: %q, want UTC", r.Location)
	}
}

// persistenceRef is Persistence by its definition, one time after another
// with a wall-clock conversion each: the reference the one-pass
// rhythmPersistence (behind PersistenceOf and Analyze) is checked against.
func persistenceRef(times []int64, loc *time.Location) Persistence {
	var p Persistence
	if len(times) == 0 {
		return p
	}
	if loc == nil {
		loc = time.UTC
	}
	times = sortedView(times)
	clk := newClock(loc)
	p.N = len(times)
	first, last := times[0], times[len(times)-1]
	p.Span = diffSeconds(first, last)
	firstDay := clk.local(first).civilDay()
	lastDay := clk.local(last).civilDay()
	p.Days = int(lastDay - firstDay + 1)
	firstHour, lastHour := floorDiv(first, 3600e9), floorDiv(last, 3600e9)
	p.Hours = int(lastHour - firstHour + 1)

	var night, weekend int
	prevDay, prevHour := int64(0), int64(0)
	dayRun, hourRun := 0, 0
	nightDay := int64(0)
	haveNight := false
	for i, t := range times {
		lt := clk.local(t)
		d := lt.civilDay()
		h := floorDiv(t, 3600e9)
		wd := lt.weekday()
		hod := lt.hour()
		if hod < NightEnd {
			night++
			if !haveNight || d > nightDay {
				p.NightDays++
				nightDay, haveNight = d, true
			}
		}
		if wd >= 5 {
			weekend++
		}
		if i == 0 || d > prevDay { // local dates can step back on a midnight DST change
			p.ActiveDays++
			if wd >= 5 {
				p.WeekendDays++
			}
			if i > 0 && d == prevDay+1 {
				dayRun++
			} else {
				dayRun = 1
			}
			p.LongestRun = max(p.LongestRun, dayRun)
			prevDay = d
		}
		if i == 0 || h != prevHour {
			p.ActiveHours++
			if i > 0 && h == prevHour+1 {
				hourRun++
			} else {
				hourRun = 1
			}
			p.LongestHourRun = max(p.LongestHourRun, hourRun)
			prevHour = h
		}
	}
	n := float64(p.N)
	p.NightShare = float64(night) / n
	p.WeekendShare = float64(weekend) / n
	p.DayCoverage = float64(p.ActiveDays) / float64(p.Days)
	p.HourCoverage = float64(p.ActiveHours) / float64(p.Hours)
	return p
}
