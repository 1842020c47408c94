package timing

import (
	"math"
	"time"
)

// rhythmPersistence is RhythmOf and PersistenceOf of sorted times in one
// pass, converting each time to wall-clock time once. The figures are those
// of the two functions, computed in the same order.
//
// The times are taken in blocks that share the local hour, the Unix hour
// and the zone offset: everything but the phases is the same for every
// time of a block, so the counts and the persistence runs are updated once
// per block, and the loop over the times of a block only places them on
// the two circles (the sums in the same order as RhythmOf).
func rhythmPersistence(times []int64, loc *time.Location) (Rhythm, Persistence) {
	if loc == nil {
		loc = time.UTC
	}
	r := Rhythm{N: len(times), Location: loc.String()}
	var p Persistence
	var day, week circleAcc
	var business, weekday, night int
	clk := newClock(loc)
	tab := weekTrig()
	var prevDay, prevHour, nightDay int64
	var dayRun, hourRun int
	haveNight := false
	// The current local day, found again only when a block leaves it.
	dayStart, dayEnd := int64(1), int64(0) // local seconds
	var curDay int64
	var curWd int
	// The zone offset holds over [zoneStart, zoneEnd): clk.offset, a call,
	// is asked again only when a time leaves it.
	zoneStart, zoneEnd := int64(1), int64(0)
	var off int64
	var dayC, dayS, weekC, weekS float64
	for i := 0; i < len(times); {
		sec := floorDiv(times[i], 1e9)
		if sec < zoneStart || sec >= zoneEnd {
			off = clk.offset(sec)
			zoneStart, zoneEnd = clk.start, clk.end
		}
		ls := sec + off
		if ls < dayStart || ls >= dayEnd {
			curDay = floorDiv(ls, 86400)
			dayStart = curDay * 86400
			dayEnd = dayStart + 86400
			curWd = localTime{day: curDay}.weekday()
		}
		h := localTime{sod: ls - dayStart}.hour()
		hr := floorDiv(sec, 3600) // the Unix hour: ⌊t / 3600 s⌋
		wd, d := curWd, curDay
		// The block ends at the first second of the next local hour, of
		// the next Unix hour or of the next zone period.
		// (At least one second on, so that each block takes a time
		// whatever the zone bounds say.)
		end := max(sec+1, min(dayStart+int64(h+1)*3600-off, (hr+1)*3600, zoneEnd))
		// Seconds since local midnight are sec + base; the week's minutes
		// of this day start at wk.
		base := off - dayStart
		wk := tab.week[wd*1440 : wd*1440+1440]
		first := i
		for ; i < len(times); i++ {
			t := times[i]
			var s int64
			if t >= 0 {
				s = int64(uint64(t) / 1e9) // floorDiv, without its sign fix
			} else {
				s = floorDiv(t, 1e9)
			}
			if s >= end {
				break
			}
			sod := s + base // in [0, 86400)
			minute := int64(uint64(sod) / 60)
			rest := float64(sod-minute*60) + float64(t-s*1e9)*1e-9 // seconds into the minute
			c, sn := rotate(tab.day[minute][0], tab.day[minute][1], rest*(2*math.Pi/86400))
			dayC += c
			dayS += sn
			c, sn = rotate(wk[minute][0], wk[minute][1], rest*(2*math.Pi/604800))
			weekC += c
			weekS += sn
		}
		cnt := i - first
		// Rhythm.
		r.HourOfDay[h] += cnt
		r.HourOfWeek[wd*24+h] += cnt
		if wd < 5 {
			weekday += cnt
			if h >= BusinessStart && h < BusinessEnd {
				business += cnt
			}
		}
		if h < NightEnd {
			night += cnt
		}
		// Persistence.
		if h < NightEnd && (!haveNight || d > nightDay) {
			p.NightDays++
			nightDay, haveNight = d, true
		}
		if first == 0 || d > prevDay {
			p.ActiveDays++
			if wd >= 5 {
				p.WeekendDays++
			}
			if first > 0 && d == prevDay+1 {
				dayRun++
			} else {
				dayRun = 1
			}
			p.LongestRun = max(p.LongestRun, dayRun)
			prevDay = d
		}
		if first == 0 || hr != prevHour {
			p.ActiveHours++
			if first > 0 && hr == prevHour+1 {
				hourRun++
			} else {
				hourRun = 1
			}
			p.LongestHourRun = max(p.LongestHourRun, hourRun)
			prevHour = hr
		}
	}
	day = circleAcc{c: dayC, s: dayS, n: len(times)}
	week = circleAcc{c: weekC, s: weekS, n: len(times)}
	r.finish(&day, &week, business, weekday, night)
	if r.N == 0 {
		return r, p
	}
	n := float64(r.N)
	p.N = len(times)
	first, last := times[0], times[len(times)-1]
	p.Span = diffSeconds(first, last)
	p.Days = int(clk.local(last).civilDay() - clk.local(first).civilDay() + 1)
	p.Hours = int(floorDiv(last, 3600e9) - floorDiv(first, 3600e9) + 1)
	p.NightShare = float64(night) / n
	weekend := r.N - weekday
	p.WeekendShare = float64(weekend) / n
	p.DayCoverage = float64(p.ActiveDays) / float64(p.Days)
	p.HourCoverage = float64(p.ActiveHours) / float64(p.Hours)
	return r, p
}
