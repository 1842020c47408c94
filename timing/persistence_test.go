package timing

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPersistenceWorked in Europe/Berlin (CET, UTC+1, until 29 March 2026):
//
//	Mon 23 Mar 10:00, 10:30, 11:10 CET = 09:00, 09:30, 10:10 UTC
//	Wed 25 Mar 09:00 CET = 08:00 UTC;  Thu 26 Mar 09:00 CET = 08:00 UTC
//	Sat 28 Mar 23:30 UTC = Sun 29 Mar 00:30 CET (night, weekend)
//
//	N 6; Span = 5 d 14 h 30 min = 484,200 s. Local dates 23…29: Days 7;
//	active 23, 25, 26, 29: ActiveDays 4, LongestRun 2 (25–26).
//	UTC hours 23 Mar 09:00 … 28 Mar 23:00: Hours = 5·24 + 14 + 1 = 135;
//	active hours 23/09, 23/10, 25/08, 26/08, 28/23: ActiveHours 5,
//	LongestHourRun 2. NightDays 1, WeekendDays 1, both shares 1/6.
func TestPersistenceWorked(t *testing.T) {
	berlin := descZone(t, "Europe/Berlin")
	at := func(d, h, m int, loc *time.Location) int64 {
		return time.Date(2026, 3, d, h, m, 0, 0, loc).UnixNano()
	}
	times := []int64{
		at(23, 10, 0, berlin), at(23, 10, 30, berlin), at(23, 11, 10, berlin),
		at(25, 9, 0, berlin), at(26, 9, 0, berlin), at(28, 23, 30, time.UTC),
	}
	want := Persistence{
		N: 6, Span: 484200, Days: 7, Hours: 135,
		ActiveDays: 4, ActiveHours: 5, DayCoverage: 4.0 / 7, HourCoverage: 5.0 / 135,
		LongestRun: 2, LongestHourRun: 2,
		NightDays: 1, WeekendDays: 1, NightShare: 1.0 / 6, WeekendShare: 1.0 / 6,
	}
	if diff := cmp.Diff(want, PersistenceOf(times, berlin), descApprox); diff != "" {
		t.Errorf("PersistenceOf (-want +got):\n%s", diff)
	}
	// Read in UTC the last event is Saturday 23:30: weekend, not night.
	u := PersistenceOf(times, nil)
	if u.NightDays != 0 || u.WeekendDays != 1 || u.Days != 6 {
		t.Errorf("PersistenceOf(UTC): NightDays %d WeekendDays %d Days %d, want 0 1 6", u.NightDays, u.WeekendDays, u.Days)
	}
}

// TestPersistenceBeacon: an hourly timer for 30 days covers every day and
// every hour, while the same count of events on weekday mornings does not.
func TestPersistenceBeacon(t *testing.T) {
	start := time.Date(2026, 6, 1, 0, 20, 0, 0, time.UTC).UnixNano() // a Monday
	var beacon []int64
	for i := range 30 * 24 {
		beacon = append(beacon, start+int64(i)*3600*dSec)
	}
	p := PersistenceOf(beacon, time.UTC)
	want := Persistence{
		N: 720, Span: 719 * 3600, Days: 30, Hours: 720, ActiveDays: 30, ActiveHours: 720,
		DayCoverage: 1, HourCoverage: 1, LongestRun: 30, LongestHourRun: 720,
		NightDays: 30, WeekendDays: 8, NightShare: 6.0 / 24, WeekendShare: 8.0 / 30,
	}
	if diff := cmp.Diff(want, p, descApprox); diff != "" {
		t.Errorf("PersistenceOf(hourly) (-want +got):\n%s", diff)
	}
}

func TestPersistenceEdges(t *testing.T) {
	if got := PersistenceOf(nil, nil); got != (Persistence{}) {
		t.Errorf("PersistenceOf(nil) = %+v", got)
	}
	one := PersistenceOf([]int64{0}, nil) // Thursday 1970-01-01 00:00 UTC
	want := Persistence{N: 1, Days: 1, Hours: 1, ActiveDays: 1, ActiveHours: 1, DayCoverage: 1, HourCoverage: 1,
		LongestRun: 1, LongestHourRun: 1, NightDays: 1, NightShare: 1}
	if diff := cmp.Diff(want, one); diff != "" {
		t.Errorf("PersistenceOf(one) (-want +got):\n%s", diff)
	}
	// Two events 584 years apart: counts stay bounded by n.
	far := PersistenceOf([]int64{-1 << 63, 1<<63 - 1}, nil)
	if far.ActiveDays != 2 || far.ActiveHours != 2 || far.Days < 200000 {
		t.Errorf("PersistenceOf(extremes) = %+v", far)
	}
}
