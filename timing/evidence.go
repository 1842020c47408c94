package timing

import (
	"math"
	"strconv"
	"time"
)

// lines builds evidence lines in one byte buffer, so that a set of lines
// costs one string allocation for its text rather than a formatted string,
// and its boxed arguments, per line. Each method appends to the current
// line; end closes it.
type lines struct {
	buf  []byte
	ends []int
}

func (l *lines) reset() { l.buf, l.ends = l.buf[:0], l.ends[:0] }

// end closes the current line.
func (l *lines) end() { l.ends = append(l.ends, len(l.buf)) }

// to appends the lines to dst as substrings of one string.
func (l *lines) to(dst []string) []string {
	if len(l.ends) == 0 {
		return dst
	}
	s := string(l.buf)
	start := 0
	for _, e := range l.ends {
		dst = append(dst, s[start:e])
		start = e
	}
	return dst
}

func (l *lines) str(s string) *lines { l.buf = append(l.buf, s...); return l }

// int writes n as %d.
func (l *lines) int(n int) *lines { l.buf = strconv.AppendInt(l.buf, int64(n), 10); return l }

// int2 writes n as %02d.
func (l *lines) int2(n int) *lines {
	if n >= 0 && n < 10 {
		l.buf = append(l.buf, '0', byte('0'+n))
		return l
	}
	return l.int(n)
}

// float writes v as strconv.FormatFloat(v, f, prec, 64), which is what %.{prec}{f}
// prints.
func (l *lines) float(v float64, f byte, prec int) *lines {
	l.buf = strconv.AppendFloat(l.buf, v, f, prec, 64)
	return l
}

// groupInt writes n with its thousands grouped: 1234567 → "1,234,567".
func (l *lines) groupInt(n int) *lines {
	var tmp [24]byte
	d := strconv.AppendInt(tmp[:0], int64(n), 10)
	if d[0] == '-' {
		l.buf = append(l.buf, '-')
		d = d[1:]
	}
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			l.buf = append(l.buf, ',')
		}
		l.buf = append(l.buf, c)
	}
	return l
}

// groupFloat writes groupFloat(v).
func (l *lines) groupFloat(v float64) *lines {
	switch a := math.Abs(v); {
	case a < 10:
		return l.float(v, 'f', 1)
	case a >= 1e18:
		return l.float(v, 'g', 3)
	}
	return l.groupInt(int(math.Round(v)))
}

// fig writes fmtFig(v).
func (l *lines) fig(v float64) *lines {
	if math.Abs(v) >= 10 {
		return l.groupFloat(v)
	}
	return l.float(v, 'g', 2)
}

// p writes fmtP(p).
func (l *lines) p(p float64) *lines {
	if p < 0.01 {
		return l.float(p, 'g', 1)
	}
	return l.float(p, 'f', 2)
}

// dur writes d.String(), without allocating for the defaults.
func (l *lines) dur(d time.Duration) *lines {
	switch d {
	case DefaultIdle:
		return l.str(defaultIdleString)
	case DefaultFold:
		return l.str(defaultFoldString)
	}
	return l.str(d.String())
}

var defaultIdleString, defaultFoldString = DefaultIdle.String(), DefaultFold.String()

// secs writes cacheSecs(s): "300 s", "1.5 s", "30 min", "2.5 h".
func (l *lines) secs(s float64) *lines {
	switch a := math.Abs(s); {
	case a >= 2*86400:
		return l.float(s/86400, 'g', 3).str(" d")
	case a >= 2*3600:
		return l.float(s/3600, 'g', 3).str(" h")
	case a >= 10*60:
		return l.float(s/60, 'g', 3).str(" min")
	case a >= 10:
		return l.float(s, 'f', 0).str(" s")
	default:
		return l.float(s, 'g', 2).str(" s")
	}
}

// pct writes cachePct(f): a share as a whole percentage, "63 %".
func (l *lines) pct(f float64) *lines { return l.float(100*f, 'f', 0).str(" %") }
