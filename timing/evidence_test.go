package timing

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The evidence lines are written with strconv into one buffer; these are
// the fmt formulas they must reproduce byte for byte.

func refGroupInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func refGroupFloat(v float64) string {
	if math.Abs(v) < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	if math.Abs(v) >= 1e18 {
		return fmt.Sprintf("%.3g", v)
	}
	return refGroupInt(int(math.Round(v)))
}

func refFig(v float64) string {
	if math.Abs(v) >= 10 {
		return refGroupFloat(v)
	}
	return fmt.Sprintf("%.2g", v)
}

func refP(p float64) string {
	if p < 0.01 {
		return fmt.Sprintf("%.1g", p)
	}
	return fmt.Sprintf("%.2f", p)
}

func refSecs(s float64) string {
	a := math.Abs(s)
	switch {
	case a >= 2*86400:
		return fmt.Sprintf("%.3g d", s/86400)
	case a >= 2*3600:
		return fmt.Sprintf("%.3g h", s/3600)
	case a >= 10*60:
		return fmt.Sprintf("%.3g min", s/60)
	case a >= 10:
		return fmt.Sprintf("%.0f s", s)
	default:
		return fmt.Sprintf("%.2g s", s)
	}
}

func TestEvidenceFormatsMatchFmt(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	vals := []float64{0, math.Copysign(0, -1), 0.001, 0.00999, 0.01, 0.015, 0.5, 0.95, 0.995, 1, 9.94, 9.95, 9.96, 9.999, 10,
		10.5, 99.5, 999.5, 1e3, 9999.5, 1e6, 1e17, 1e18, 1e19, 1e300, -1, -9.96, -10, -1234.5, -1e18, -1e300,
		1e-300, 5e-324, 599.9, 600, 7199, 7200, 172799, 172800, 1e9,
		math.Inf(1), math.Inf(-1), math.NaN(), 0.3, 1.0 / 3, 2.0 / 3}
	for range 20000 {
		e := rng.IntN(30) - 12
		v := rng.Float64() * math.Pow(10, float64(e))
		if rng.IntN(4) == 0 {
			v = -v
		}
		vals = append(vals, v)
	}
	var l lines
	for _, v := range vals {
		check := func(name, want string, write func()) {
			t.Helper()
			l.reset()
			write()
			l.end()
			if got := l.to(nil)[0]; got != want {
				t.Errorf("%s(%v) = %q, want %q", name, v, got, want)
			}
		}
		check("groupFloat", refGroupFloat(v), func() { l.groupFloat(v) })
		check("fig", refFig(v), func() { l.fig(v) })
		check("p", refP(v), func() { l.p(v) })
		check("secs", refSecs(v), func() { l.secs(v) })
		check("pct", fmt.Sprintf("%.0f %%", 100*v), func() { l.pct(v) })
		check("%.2g", fmt.Sprintf("%.2g", v), func() { l.float(v, 'g', 2) })
		if math.Abs(v) < 1e15 {
			n := int(v)
			check("groupInt", refGroupInt(n), func() { l.groupInt(n) })
			check("int", fmt.Sprintf("%d", n), func() { l.int(n) })
			check("int2", fmt.Sprintf("%02d", n%100), func() { l.int2(n % 100) })
		}
	}
	for _, n := range []int{math.MinInt64, math.MaxInt64, -1, 0, 5, 99, 100, -100} {
		var l lines
		l.groupInt(n).end()
		if got, want := l.to(nil)[0], refGroupInt(n); got != want {
			t.Errorf("groupInt(%d) = %q, want %q", n, got, want)
		}
	}
	for _, d := range []time.Duration{0, DefaultIdle, DefaultFold, 300 * time.Second, -time.Second, 1} {
		var l lines
		l.dur(d).end()
		if got, want := l.to(nil)[0], d.String(); got != want {
			t.Errorf("dur(%d) = %q, want %q", d, got, want)
		}
	}
}

// TestLinesShareOneString: the lines are substrings of one string, in order.
func TestLinesShareOneString(t *testing.T) {
	var l lines
	l.str("a").int(1).end()
	l.end()
	l.str("bc").end()
	got := l.to([]string{"x"})
	if want := []string{"x", "a1", "", "bc"}; strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
		t.Errorf("to = %q, want %q", got, want)
	}
	l.reset()
	if got := l.to(nil); got != nil {
		t.Errorf("to after reset = %q, want nil", got)
	}
}
