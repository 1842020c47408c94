package timing

import (
	"math"
	"time"
)

// rhythmPersistence is RhythmOf and PersistenceOf of sorted times in one
// pass, converting each time to wall-clock time once. The figures are those
// of the two functions; the circles' sums C and S are summed in another
// order, so they agree with RhythmOf's to rounding.
//
// The times are taken in blocks that share the local hour, the Unix hour
// and the zone offset: everything but the phases is the same for every
// time of a block, so the counts and the persistence runs are updated once
// per block. The loop over the times of a block only sums the powers of
// their angle u past the middle of the hour θ; the block then adds
// Σ cos(θ + u) = cos θ·Σ cos u − sin θ·Σ sin u (and the like for sin) to
// C and S, with Σ cos u and Σ sin u from the power sums by the Taylor
// series of cos and sin, the same for the week's angle u/7.
func rhythmPersistence(times []int64, loc *time.Location) (Rhythm, Persistence) {
	if loc == nil {
		loc = time.UTC
	}
	r := Rhythm{N: len(times), Location: loc.String()}
	var p Persistence
	var day, week circleAcc
	var business, weekday, night int
	clk := newClock(loc)
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
		// Seconds since local midnight are sec + base. The phases of the
		// block are taken from the middle of its local hour, mid (Unix
		// seconds): each time is u = 2π·(t − mid)/86400 s past it on the day's
		// circle, |u| ≤ π/24, and u/7 on the week's.
		base := off - dayStart
		mid := int64(h)*3600 + 1800 - base
		midNs := mid * 1e9 // wraps at the ends of int64; t − midNs fits and is exact
		lastNs := int64(math.MaxInt64)
		if end <= int64(math.MaxInt64)/1e9 {
			lastNs = end*1e9 - 1
		}
		first := i
		cnt, dc, ds, wc, ws := hourPhases(times[i:], lastNs, midNs)
		i += cnt
		// Rotated to the middle of the hour: cos(θ + u) = cos θ cos u − sin θ sin u, …
		dt, wt := &midTrig.day[h], &midTrig.week[wd*24+h]
		dayC += dt[0]*dc - dt[1]*ds
		dayS += dt[1]*dc + dt[0]*ds
		weekC += wt[0]*wc - wt[1]*ws
		weekS += wt[1]*wc + wt[0]*ws
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

// hourPhases takes the leading times of ts up to lastNs, n of them, each
// within half an hour of mid (midNs, Unix nanoseconds, may have wrapped:
// tᵢ − midNs is exact), and returns n, Σ cos uᵢ and Σ sin uᵢ of their angles
// uᵢ = 2π·(tᵢ − mid)/86400 s, each |uᵢ| ≤ π/24, and the same sums of uᵢ/7,
// by the Taylor series of cos and sin from the power sums Uₖ = Σ uᵢᵏ, k ≤ 10:
//
//	Σ cos uᵢ = n − U₂/2! + U₄/4! − … − U₁₀/10!,  Σ sin uᵢ = U₁ − U₃/3! + … + U₉/9!
//
// (the terms left out are below 5e-18 a time). A function of its own, so
// that its ten sums stay in registers rather than the caller's figures.
//
//go:noinline
func hourPhases(ts []int64, lastNs, midNs int64) (n int, dc, ds, wc, ws float64) {
	var u1, u2, u3, u4, u5, u6, u7, u8, u9, u10 float64
	for _, t := range ts {
		if t > lastNs {
			break
		}
		n++
		u := float64(t-midNs) * (2 * math.Pi / 86400e9)
		x2 := u * u
		x3 := x2 * u
		x4 := x2 * x2
		u1 += u
		u2 += x2
		u3 += x3
		u4 += x4
		u5 += x4 * u
		u6 += x4 * x2
		u7 += x4 * x3
		x8 := x4 * x4
		u8 += x8
		u9 += x8 * u
		u10 += x8 * x2
	}
	ds = u1 - u3*(1.0/6) + u5*(1.0/120) - u7*(1.0/5040) + u9*(1.0/362880)
	ws = u1*(1.0/7) - u3*(1.0/(6*343)) + u5*(1.0/(120*16807)) - u7*(1.0/(5040*823543.0)) + u9*(1.0/(362880*40353607.0))
	k := float64(n)
	dc = k - u2*(1.0/2) + u4*(1.0/24) - u6*(1.0/720) + u8*(1.0/40320) - u10*(1.0/3628800)
	wc = k - u2*(1.0/(2*49)) + u4*(1.0/(24*2401)) - u6*(1.0/(720*117649)) + u8*(1.0/(40320*5764801.0))
	return n, dc, ds, wc, ws
}
