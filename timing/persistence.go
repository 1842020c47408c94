package timing

import "time"

// Persistence describes how steadily a sequence is present over its span:
// calendar days (in the caller's location) and clock hours with events, the
// longest unbroken runs of them, and presence at night and at weekends. A
// beacon running 24/7 covers nearly every hour; interactive use covers
// working days and hours. All fields are finite; with no events it is the
// zero value.
type Persistence struct {
	N     int     // events
	Span  float64 // last − first, seconds
	Days  int     // local calendar days from the first event's date to the last's, inclusive
	Hours int     // clock hours from the first event's hour to the last's, inclusive

	ActiveDays  int // local dates with at least one event
	ActiveHours int // hours with at least one event
	// DayCoverage is ActiveDays/Days and HourCoverage ActiveHours/Hours, in
	// (0, 1] when N > 0.
	DayCoverage, HourCoverage float64
	// LongestRun is the longest run of consecutive active local dates, and
	// LongestHourRun the longest run of consecutive active hours.
	LongestRun, LongestHourRun int

	NightDays    int     // local dates with an event in 00:00–NightEnd:00
	WeekendDays  int     // active Saturdays and Sundays
	NightShare   float64 // share of events in 00:00–NightEnd:00 local
	WeekendShare float64 // share of events on Saturday or Sunday local
}

// PersistenceOf measures the Persistence of times in loc (nil means UTC).
// Dates are local calendar dates; hours are the hours [k·3600 s, (k+1)·3600 s)
// of Unix time, the same in every zone with whole-hour offsets and free of
// the repeated or missing hour of daylight-saving transitions. Unsorted input
// is read from a sorted copy. The work is O(n) with no allocation for sorted
// input, and the counts are bounded by n, whatever the span.
func PersistenceOf(times []int64, loc *time.Location) Persistence {
	_, p := rhythmPersistence(sortedView(times), loc)
	return p
}
