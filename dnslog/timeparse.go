package dnslog

import (
	"math"
	"time"
)

// parseRFC3339 parses the common ISO-8601 / RFC 3339 stamps found in logs
// without allocating: "2016-09-23T13:56:29Z", "…29.000Z", "…29.123456+03:00",
// "…29+0300", and the space-separated "2016-09-23 13:56:29[.fff]" form.
// A stamp without a zone is read in loc. The fraction may have 1 to 9
// digits.
func parseRFC3339(b []byte, loc *time.Location) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	mon, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hh, ok4 := digits(b[11:13])
	mm, ok5 := digits(b[14:16])
	ss, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mon < 1 || mon > 12 || day < 1 || day > daysIn(mon, year) || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			if i <= 9 {
				nsec += int(rest[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	zone := loc
	offset := 0
	hasOffset := false
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
		zone, hasOffset = time.UTC, true
	case (rest[0] == '+' || rest[0] == '-') && (len(rest) == 6 && rest[3] == ':' || len(rest) == 5 || len(rest) == 3):
		oh, ok := digits(rest[1:3])
		om, okm := 0, true
		if len(rest) == 6 {
			om, okm = digits(rest[4:6])
		} else if len(rest) == 5 {
			om, okm = digits(rest[3:5])
		}
		ok = ok && okm
		if !ok || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
		hasOffset = true
	default:
		return time.Time{}, false
	}
	if ss == 60 { // leap second: fold onto the next second
		ss = 59
		nsec = 999999999
	}
	if hasOffset {
		t := time.Date(year, time.Month(mon), day, hh, mm, ss, nsec, time.UTC)
		return inRange(t.Add(-time.Duration(offset) * time.Second))
	}
	return inRange(time.Date(year, time.Month(mon), day, hh, mm, ss, nsec, zone).UTC())
}

// Event times lie in [minTime, maxTime): from the Unix epoch to the last
// instant Unix nanoseconds can hold, so that every event time converts to
// the int64 nanoseconds the analysis packages work in. No DNS log predates
// 1970.
var (
	minTime = time.Unix(0, 0).UTC()
	maxTime = time.Unix(0, math.MaxInt64).UTC()
)

// inRange returns t and whether it is a valid event time.
func inRange(t time.Time) (time.Time, bool) {
	if t.Before(minTime) || !t.Before(maxTime) {
		return time.Time{}, false
	}
	return t, true
}

// parseEpoch parses decimal epoch seconds with an optional fraction
// ("1691577600", "1610645203.325590") into UTC. Values outside years
// 1970–2262 are rejected. Fraction digits past the ninth (below a
// nanosecond) are checked and dropped.
func parseEpoch(b []byte) (time.Time, bool) {
	var sec int64
	i := 0
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		if sec > math.MaxInt64/10-10 {
			return time.Time{}, false
		}
		sec = sec*10 + int64(c)
	}
	if i == 0 {
		return time.Time{}, false
	}
	var nsec int64
	if i < len(b) {
		if b[i] != '.' {
			return time.Time{}, false
		}
		i++
		start := i
		for ; i < len(b) && i-start < 9; i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			nsec = nsec*10 + int64(c)
		}
		nsec *= pow10ns[9-(i-start)]
		for ; i < len(b); i++ {
			if b[i]-'0' > 9 {
				return time.Time{}, false
			}
		}
		if i == start {
			return time.Time{}, false
		}
	}
	if sec > 9200000000 { // beyond 2261
		return time.Time{}, false
	}
	return time.Unix(sec, nsec).UTC(), true
}

// pow10ns[k] is 10^k, for scaling k missing fraction digits to nanoseconds.
var pow10ns = [10]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// digits parses an all-digit field.
func digits(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(mon, year int) int {
	switch mon {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var monthAbbr = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// parseMonth parses a three-letter English month abbreviation in any case.
func parseMonth(b []byte) (int, bool) {
	if len(b) != 3 {
		return 0, false
	}
	var l [3]byte
	for i, c := range b {
		l[i] = c | 0x20
	}
	for i, m := range monthAbbr {
		if string(l[:]) == m {
			return i + 1, true
		}
	}
	return 0, false
}

// yearTracker supplies years for year-less syslog stamps ("Jul  7
// 19:39:41"). It starts at the configured year and moves to the next year
// when the month goes back by more than six months (December → January),
// so a log that spans New Year keeps its order. One tracker per input.
type yearTracker struct {
	year      int
	lastMonth int
}

func newYearTracker(c *decodeConfig) yearTracker {
	y := c.year
	if y == 0 {
		y = time.Now().In(c.loc).Year()
	}
	return yearTracker{year: y}
}

// yearFor returns the year for a stamp in month mon (1–12).
func (y *yearTracker) yearFor(mon int) int {
	if y.lastMonth != 0 && mon+6 < y.lastMonth {
		y.year++
	}
	y.lastMonth = mon
	return y.year
}

// parseSyslogStamp parses "Jan _2 15:04:05" with an optional fraction
// (".651") at the start of b, returning the time in c.loc (as UTC) and the
// number of bytes consumed. Single-digit days may be space-padded.
func parseSyslogStamp(b []byte, y *yearTracker, loc *time.Location) (time.Time, int, bool) {
	if len(b) < 15 || b[3] != ' ' {
		return time.Time{}, 0, false
	}
	mon, ok := parseMonth(b[0:3])
	if !ok {
		return time.Time{}, 0, false
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	day, ok := digits(b[i:j])
	if !ok || day < 1 || day > 31 || j-i > 2 || j >= len(b) || b[j] != ' ' {
		return time.Time{}, 0, false
	}
	j++
	if len(b) < j+8 || b[j+2] != ':' || b[j+5] != ':' {
		return time.Time{}, 0, false
	}
	hh, ok1 := digits(b[j : j+2])
	mm, ok2 := digits(b[j+3 : j+5])
	ss, ok3 := digits(b[j+6 : j+8])
	if !(ok1 && ok2 && ok3) || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, 0, false
	}
	j += 8
	nsec := 0
	if j < len(b) && b[j] == '.' {
		k := j + 1
		scale := 100000000
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			if k-j <= 9 {
				nsec += int(b[k]-'0') * scale
				scale /= 10
			}
			k++
		}
		if k > j+1 {
			j = k
		}
	}
	year := y.yearFor(mon)
	if day > daysIn(mon, year) {
		return time.Time{}, 0, false
	}
	t, ok := inRange(time.Date(year, time.Month(mon), day, hh, mm, ss, nsec, loc).UTC())
	return t, j, ok
}
