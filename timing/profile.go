package timing

import (
	"math"
	"time"
)

// rhythmPersistence is RhythmOf and PersistenceOf of sorted times in one
// pass, converting each time to wall-clock time once. The figures are those
// of the two functions, computed in the same order.
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
	// Sorted times stay long in one local day and one hour: the divisions
	// that find them are made only when a time leaves the current ones.
	dayStart, dayEnd := int64(1), int64(0) // local seconds of the current day
	var curDay int64
	var curWd int
	hourStart, hourEnd := int64(1), int64(0) // Unix nanoseconds of the current hour
	var hr int64
	// The zone offset holds over [zoneStart, zoneEnd): clk.offset, a call,
	// is asked again only when a time leaves it.
	zoneStart, zoneEnd := int64(1), int64(0)
	var off int64
	for i, t := range times {
		sec := floorDiv(t, 1e9)
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
		lt := localTime{day: curDay, sod: ls - dayStart, nsec: t - sec*1e9}
		h := lt.hour()
		wd := curWd
		// Rhythm.
		r.HourOfDay[h]++
		r.HourOfWeek[wd*24+h]++
		if wd < 5 {
			weekday++
			if h >= BusinessStart && h < BusinessEnd {
				business++
			}
		}
		if h < NightEnd {
			night++
		}
		minute := lt.sod / 60
		rest := float64(lt.sod-minute*60) + float64(lt.nsec)*1e-9
		dc, ds := rotate(tab.day[minute][0], tab.day[minute][1], rest*(2*math.Pi/86400))
		day.addUnit(dc, ds)
		wk := int64(wd)*1440 + minute
		wc, ws := rotate(tab.week[wk][0], tab.week[wk][1], rest*(2*math.Pi/604800))
		week.addUnit(wc, ws)
		// Persistence.
		d := lt.civilDay()
		if t < hourStart || t >= hourEnd {
			hr = floorDiv(t, 3600e9)
			hourStart = hr * 3600e9
			hourEnd = hourStart + 3600e9 // may overflow at the top of int64: then compared wrongly, and recomputed
		}
		if h < NightEnd && (!haveNight || d > nightDay) {
			p.NightDays++
			nightDay, haveNight = d, true
		}
		if i == 0 || d > prevDay {
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
		if i == 0 || hr != prevHour {
			p.ActiveHours++
			if i > 0 && hr == prevHour+1 {
				hourRun++
			} else {
				hourRun = 1
			}
			p.LongestHourRun = max(p.LongestHourRun, hourRun)
			prevHour = hr
		}
	}
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
