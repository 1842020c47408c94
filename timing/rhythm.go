package timing

import (
	"math"
	"sync"
	"time"
)

// Local-time windows used by Rhythm and Persistence. Hours are wall-clock
// hours in the caller's location; weekdays are Monday to Friday.
const (
	BusinessStart = 9  // business hours start at 09:00 on weekdays …
	BusinessEnd   = 18 // … and end before 18:00
	NightEnd      = 6  // night is 00:00–05:59
)

// Circle is the circular summary of event phases at one period: each event at
// phase θᵢ = 2π·(tᵢ mod T)/T contributes a unit vector, and with
//
//	C = Σ cos θᵢ,  S = Σ sin θᵢ,  R̄ = √(C² + S²) / n
//
// R̄ ∈ [0, 1] is the mean resultant length (0 for phases spread evenly, 1 for
// all events at the same phase), the mean phase is atan2(S, C), and the
// Rayleigh statistic Z = n·R̄² tests uniformity of phase; see RayleighP.
type Circle struct {
	N      int     // events
	Period float64 // T in seconds
	Phase  float64 // mean phase as seconds into the period, in [0, Period); 0 when R is 0
	R      float64 // mean resultant length R̄
	Z      float64 // Rayleigh Z = n·R̄²
	P      float64 // RayleighP(n, Z); 1 when n < 2
}

// RayleighP is the p-value of the Rayleigh test of uniform phase for n
// events with statistic Z = n·R̄². It uses the expansion
//
//	p ≈ exp(−Z)·(1 + (2Z − Z²)/(4n) − (24Z − 132Z² + 76Z³ − 9Z⁴)/(288n²))
//
// for Z ≤ min(10, n/2), where it is accurate, and beyond that, where the
// expansion's correction loses accuracy and can turn negative, the
// approximation (Zar, Biostatistical Analysis)
//
//	p ≈ exp(√(1 + 4n + 4(n² − n·Z)) − (1 + 2n))
//
// The result is clamped to [0, 1]. n < 2 gives 1: a single phase carries no
// evidence of concentration.
func RayleighP(n int, z float64) float64 {
	if n < 2 || !(z > 0) {
		return 1
	}
	nf := float64(n)
	z = math.Min(z, nf) // Z ≤ n always holds; guard rounding
	var p float64
	if z <= math.Min(10, nf/2) {
		b := 1 + (2*z-z*z)/(4*nf) - (24*z-132*z*z+76*z*z*z-9*z*z*z*z)/(288*nf*nf)
		p = math.Exp(-z) * b
	} else {
		p = math.Exp(math.Sqrt(1+4*nf+4*(nf*nf-nf*z)) - (1 + 2*nf))
	}
	return clamp(p, 0, 1)
}

// circleAcc accumulates unit vectors for a Circle.
type circleAcc struct {
	c, s float64
	n    int
}

func (a *circleAcc) add(frac float64) { // frac = phase / period in [0, 1)
	sin, cos := math.Sincos(2 * math.Pi * frac)
	a.addUnit(cos, sin)
}

func (a *circleAcc) addUnit(cos, sin float64) {
	a.c += cos
	a.s += sin
	a.n++
}

// weekSteps is the resolution of weekTrig: one step per minute of the week.
const weekSteps = 7 * 24 * 60

// trigTables holds cos and sin of 2π·k/weekSteps for each minute k of the
// week, and for each minute m of the day the same values as week entry 7m
// (the same angle), copied into a table of their own: 23 KB that stay in
// the first-level cache, where entries 7 apart in the week's 160 KB do not.
type trigTables struct {
	week [weekSteps][2]float64
	day  [weekSteps / 7][2]float64
}

var weekTrig = sync.OnceValue(func() *trigTables {
	t := new(trigTables)
	for k := range t.week {
		t.week[k][1], t.week[k][0] = math.Sincos(2 * math.Pi * float64(k) / weekSteps)
	}
	for m := range t.day {
		t.day[m] = t.week[7*m]
	}
	return t
})

// rotate returns cos and sin of θ + δ from those of θ, for |δ| ≤ 0.005 rad,
// by the Taylor series of cos δ and sin δ to δ⁵ (truncation below 2e-17),
// with the factorials as reciprocals: multiplications, not divisions.
func rotate(cos, sin, d float64) (float64, float64) {
	d2 := d * d
	cd := 1 - d2*(1.0/2) + d2*d2*(1.0/24)
	sd := d * (1 - d2*(1.0/6) + d2*d2*(1.0/120))
	return cos*cd - sin*sd, sin*cd + cos*sd
}

func (a *circleAcc) circle(period float64) Circle {
	c := Circle{N: a.n, Period: period, P: 1}
	if a.n == 0 {
		return c
	}
	c.R = clamp(math.Hypot(a.c, a.s)/float64(a.n), 0, 1)
	c.Z = float64(a.n) * c.R * c.R
	c.P = RayleighP(a.n, c.Z)
	if c.R > 0 {
		ang := math.Atan2(a.s, a.c)
		if ang < 0 {
			ang += 2 * math.Pi
		}
		c.Phase = ang / (2 * math.Pi) * period
		if c.Phase >= period { // rounding of ang just below 2π
			c.Phase = 0
		}
	}
	return c
}

// CircleOf places each event of times on a circle of the given period,
// measured from the Unix epoch (phase = t mod period), and summarizes the
// phases (see Circle). Order does not matter. period ≤ 0 gives a Circle with
// N = len(times), P = 1 and no phase. Use it to test a candidate period on raw
// times; RhythmOf does the same at 24 h and 7 d in local time.
func CircleOf(times []int64, period time.Duration) Circle {
	if period <= 0 {
		return Circle{N: len(times), P: 1}
	}
	p := int64(period)
	var acc circleAcc
	for _, t := range times {
		m := t % p
		if m < 0 {
			m += p
		}
		acc.add(float64(m) / float64(p))
	}
	return acc.circle(period.Seconds())
}

// Rhythm is the daily and weekly profile of events in a location. Hour
// indices are wall-clock hours in that location; the week starts on Monday
// (HourOfWeek index = 24·(weekday, Monday = 0) + hour). All fields are
// finite; with no events every share is 0 and both circles have P = 1.
type Rhythm struct {
	N           int      // events
	Location    string   // name of the location used
	HourOfDay   [24]int  // events per local hour of day
	HourOfWeek  [168]int // events per local hour of the week, Monday 00:00 first
	Business    float64  // share of events Monday–Friday, BusinessStart:00–BusinessEnd:00
	Weekday     float64  // share of events Monday–Friday
	Weekend     float64  // share of events Saturday and Sunday (1 − Weekday)
	Night       float64  // share of events 00:00–NightEnd:00, any day
	Day         Circle   // phases at T = 24 h of wall-clock time of day (Phase 36000 is 10:00)
	Week        Circle   // phases at T = 7 d from Monday 00:00 wall-clock time
	Entropy     float64  // normalized entropy of HourOfDay, see below
	WeekEntropy float64  // normalized entropy of HourOfWeek
}

// RhythmOf builds the Rhythm of times in loc (nil means UTC). Each event's
// wall-clock time in loc is used, so on daylight-saving transitions an event
// keeps its local hour: 09:30 local is business hours both in winter and in
// summer. The wall-clock day phase is seconds since local midnight over 86,400
// (a 23- or 25-hour transition day is not stretched).
//
// Entropy is the Shannon entropy of the hour profile normalized by its
// maximum,
//
//	H = −Σ pₖ·ln pₖ / ln K,  pₖ = countₖ / N,  K = 24 (168 for the week),
//
// in [0, 1]: 0 when every event falls in one hour, 1 for a flat profile.
// Order of times does not matter. The work is O(n) with no allocation
// (the first call in a process builds shared tables of cosines, 184 KB).
func RhythmOf(times []int64, loc *time.Location) Rhythm {
	if loc == nil {
		loc = time.UTC
	}
	r := Rhythm{N: len(times), Location: loc.String()}
	var day, week circleAcc
	var business, weekday, night int
	clk := newClock(loc)
	tab := weekTrig()
	for _, t := range times {
		lt := clk.local(t)
		h := lt.hour()
		wd := lt.weekday()
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
		// Phases from the minute table and a small rotation: the same
		// value as Sincos to within 1e-16, at a fraction of the cost.
		minute := lt.sod / 60
		rest := float64(lt.sod-minute*60) + float64(lt.nsec)*1e-9 // seconds into the minute
		dc, ds := rotate(tab.day[minute][0], tab.day[minute][1], rest*(2*math.Pi/86400))
		day.addUnit(dc, ds)
		wk := int64(wd)*1440 + minute
		wc, ws := rotate(tab.week[wk][0], tab.week[wk][1], rest*(2*math.Pi/604800))
		week.addUnit(wc, ws)
	}
	r.finish(&day, &week, business, weekday, night)
	return r
}

// finish sets the circles and shares of r from the sums of its events (r.N
// of them, their hour profiles already counted).
func (r *Rhythm) finish(day, week *circleAcc, business, weekday, night int) {
	r.Day = day.circle(86400)
	r.Week = week.circle(604800)
	if r.N == 0 {
		return
	}
	n := float64(r.N)
	r.Business = float64(business) / n
	r.Weekday = float64(weekday) / n
	r.Weekend = float64(r.N-weekday) / n
	r.Night = float64(night) / n
	r.Entropy = entropy(r.HourOfDay[:], r.N)
	r.WeekEntropy = entropy(r.HourOfWeek[:], r.N)
}

// entropy is −Σ p ln p / ln len(counts). The term p ln p of a small count
// is computed once and reused for its repeats (most counts of a short
// sequence are 1 or 2): the same terms, summed in the same order.
func entropy(counts []int, n int) float64 {
	if n == 0 {
		return 0
	}
	var h float64
	var small [16]float64 // p ln p of count c, when nonzero
	for _, c := range counts {
		if c <= 0 {
			continue
		}
		if c < len(small) {
			if small[c] == 0 {
				p := float64(c) / float64(n)
				small[c] = p * math.Log(p)
				if small[c] == 0 { // p = 1: recompute each time (once at most)
					continue
				}
			}
			h -= small[c]
			continue
		}
		p := float64(c) / float64(n)
		h -= p * math.Log(p)
	}
	return clamp(h/math.Log(float64(len(counts))), 0, 1)
}

// localTime is a wall-clock reading in a location.
type localTime struct {
	day  int64 // civil day number: days since 1970-01-01 local
	sod  int64 // whole seconds since local midnight, [0, 86400)
	nsec int64 // nanoseconds, [0, 1e9)
}

func (l localTime) civilDay() int64 { return l.day }
func (l localTime) hour() int       { return int(l.sod / 3600) }

// weekday is 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
func (l localTime) weekday() int { return int(floorMod(l.day+3, 7)) }

// clock converts Unix nanoseconds to wall-clock time in a location, caching
// the offset of the current zone period so a sorted stream costs one zone
// lookup per transition rather than per event.
type clock struct {
	loc        *time.Location
	start, end int64 // Unix seconds [start, end) where off holds
	off        int64
	ok         bool
}

func newClock(loc *time.Location) *clock { return &clock{loc: loc} }

func (c *clock) local(tns int64) localTime {
	sec := floorDiv(tns, 1e9)
	nsec := tns - sec*1e9
	ls := sec + c.offset(sec)
	day := floorDiv(ls, 86400)
	return localTime{day: day, sod: ls - day*86400, nsec: nsec}
}

// offset returns the zone offset in seconds at Unix second sec.
func (c *clock) offset(sec int64) int64 {
	if !c.ok || sec < c.start || sec >= c.end {
		t := time.Unix(sec, 0).In(c.loc)
		_, off := t.Zone()
		s, e := t.ZoneBounds()
		c.off = int64(off)
		c.start, c.end = math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			c.start = s.Unix()
		}
		if !e.IsZero() {
			c.end = e.Unix()
		}
		c.ok = true
	}
	return c.off
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
