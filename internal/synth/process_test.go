package synth

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// year is a long window for statistical tests: a year from DefaultStart.
var year = Window{Start: DefaultStart, End: DefaultStart.AddDate(1, 0, 0)}

var testTarget = Target{
	Client: netip.MustParseAddr("192.0.2.10"),
	Server: Resolver4,
	Names:  []string{"www.d0001.example", "cdn.d0001.example", "img.d0001.example"},
	TTL:    30,
}

func testRNG(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(42, stream)) }

// gapsOf returns the gaps between consecutive events, in seconds.
func gapsOf(ev []Event) []float64 {
	var g []float64
	for i := 1; i < len(ev); i++ {
		g = append(g, ev[i].Time.Sub(ev[i-1].Time).Seconds())
	}
	return g
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func cvOf(x []float64) float64 {
	m := meanOf(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s/float64(len(x)-1)) / m
}

func within(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func checkSorted(t *testing.T, ev []Event) {
	t.Helper()
	for i := 1; i < len(ev); i++ {
		if ev[i].Time.Before(ev[i-1].Time) {
			t.Fatalf("event %d at %v is before event %d at %v", i, ev[i].Time, i-1, ev[i-1].Time)
		}
	}
}

func TestBeaconPeriods(t *testing.T) {
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 7)}
	for _, p := range beaconPeriods {
		ev := Beacon(testRNG(1), w, testTarget, BeaconParams{Period: p})
		checkSorted(t, ev)
		g := gapsOf(ev)
		wantN := int(7 * 24 * time.Hour / p)
		if len(ev) < wantN || len(ev) > wantN+1 {
			t.Errorf("P=%v: %d beats in 7 days, want %d or %d", p, len(ev), wantN, wantN+1)
		}
		if m := meanOf(g); !within(m, p.Seconds(), 0.01) {
			t.Errorf("P=%v: mean gap %.3f s, want within 1%% of %.0f s", p, m, p.Seconds())
		}
		for _, e := range ev {
			if e.Label != Periodic || e.Name != testTarget.Names[0] || e.Type != TypeA || e.Client != testTarget.Client {
				t.Fatalf("P=%v: bad event %+v", p, e)
			}
			if e.Time.Before(w.Start) || !e.Time.Before(w.End) {
				t.Fatalf("P=%v: event at %v outside the window", p, e.Time)
			}
		}
	}
}

func TestBeaconJitterModels(t *testing.T) {
	const P = time.Hour
	for _, j := range []float64{0.1, 0.25, 0.5} {
		for _, m := range []JitterModel{Renewal, OneSided, Scheduled} {
			ev := Beacon(testRNG(2), year, testTarget, BeaconParams{Period: P, Jitter: j, Model: m})
			checkSorted(t, ev)
			g := gapsOf(ev)
			lo, hi, mean := 1-j, 1+j, 1.0
			switch m {
			case OneSided:
				hi, mean = 1, 1-j/2
			case Scheduled:
				lo, hi = 1-2*j, 1+2*j
			}
			if got := meanOf(g) / P.Seconds(); !within(got, mean, 0.01) {
				t.Errorf("%v j=%v: mean gap %.4f·P, want %.4f·P ± 1%%", m, j, got, mean)
			}
			for i, x := range g {
				if r := x / P.Seconds(); r < lo-1e-9 || r > hi+1e-9 {
					t.Errorf("%v j=%v: gap %d is %.4f·P, outside [%.2f, %.2f]", m, j, i, r, lo, hi)
					break
				}
			}
			// Drift from the grid set by the first beat: bounded by 2j·P for
			// scheduled beats, a random walk (≈ √n·j·P/√3) for the others.
			t0 := ev[0].Time
			maxDev := 0.0
			for k, e := range ev {
				d := math.Abs(e.Time.Sub(t0).Seconds()-float64(k)*P.Seconds()*mean) / P.Seconds()
				maxDev = max(maxDev, d)
			}
			if m == Scheduled && maxDev > 2*j {
				t.Errorf("scheduled j=%v: a beat is %.2f·P off the grid, want ≤ %.2f", j, maxDev, 2*j)
			}
			if m == Renewal && maxDev < 2 {
				t.Errorf("renewal j=%v: beats stay within %.2f·P of the grid over a year; a renewal process drifts", j, maxDev)
			}
		}
	}
}

func TestBeaconMissed(t *testing.T) {
	const P = time.Hour
	full := year.End.Sub(year.Start).Hours()
	for _, m := range []float64{0, 0.1, 0.25, 0.5} {
		ev := Beacon(testRNG(3), year, testTarget, BeaconParams{Period: P, Missed: m})
		want := full * (1 - m)
		if got := float64(len(ev)); !within(got, want, 0.05) {
			t.Errorf("m=%v: %v beats in a year, want %.0f ± 5%%", m, got, want)
		}
		// Every gap is a whole number of periods.
		for _, g := range gapsOf(ev) {
			if r := g / P.Seconds(); math.Abs(r-math.Round(r)) > 1e-6 {
				t.Fatalf("m=%v: gap of %.4f periods", m, r)
			}
		}
	}
}

func TestBeaconOfficeHours(t *testing.T) {
	loc := time.FixedZone("UTC+3", 3*3600)
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 28), Zone: loc}
	ev := Beacon(testRNG(4), w, testTarget, BeaconParams{Period: 5 * time.Minute, Jitter: 0.1, Hours: &Office})
	days := map[int]int{}
	for _, e := range ev {
		lt := e.Time.In(loc)
		if wd := lt.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Fatalf("event on %v at %v", wd, lt)
		}
		if lt.Hour() < 9 || lt.Hour() >= 18 {
			t.Fatalf("event at %v, outside 09–18", lt)
		}
		days[lt.YearDay()]++
	}
	// 20 working days of 9 h at 5 min: about 108 beats a day.
	if len(days) != 20 {
		t.Errorf("events on %d days, want 20", len(days))
	}
	for d, n := range days {
		if n < 95 || n > 120 {
			t.Errorf("day %d: %d beats, want about 108", d, n)
		}
	}
}

func TestDaily(t *testing.T) {
	loc := time.FixedZone("UTC-5", -5*3600)
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 30), Zone: loc}
	ev := Daily(testRNG(5), w, testTarget, DailyParams{Hour: 3, Spread: 5 * time.Minute})
	if len(ev) != 30 {
		t.Errorf("%d runs in 30 days, want 30", len(ev))
	}
	for _, e := range ev {
		lt := e.Time.In(loc)
		at := time.Date(lt.Year(), lt.Month(), lt.Day(), 3, 0, 0, 0, loc)
		if d := lt.Sub(at); d < -5*time.Minute || d > 5*time.Minute {
			t.Errorf("run at %v, %v from 03:00", lt, d)
		}
	}
}

func TestPoisson(t *testing.T) {
	hours := year.End.Sub(year.Start).Hours()
	for _, r := range []float64{0.5, 4, 30} {
		ev := Poisson(testRNG(6), year, testTarget, r)
		checkSorted(t, ev)
		want := r * hours
		// Poisson count: sd √want; allow 5 sd.
		if got := float64(len(ev)); math.Abs(got-want) > 5*math.Sqrt(want) {
			t.Errorf("rate %v/h: %v events in a year, want %.0f ± %.0f", r, got, want, 5*math.Sqrt(want))
		}
		if cv := cvOf(gapsOf(ev)); !within(cv, 1, 0.1) {
			t.Errorf("rate %v/h: gap CV %.3f, want 1 (exponential gaps)", r, cv)
		}
		names := map[string]int{}
		for _, e := range ev {
			if e.Label != Noise {
				t.Fatalf("label %v", e.Label)
			}
			names[e.Name]++
		}
		if len(names) != len(testTarget.Names) {
			t.Errorf("rate %v/h: names %v, want all of %v", r, names, testTarget.Names)
		}
	}
}

func TestBrowseFollowsProfile(t *testing.T) {
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 7*30)}
	prof := OfficeProfile()
	ev := Browse(testRNG(7), w, testTarget, BrowseParams{Profile: prof, Rate: 1})
	checkSorted(t, ev)
	// Session starts follow the profile; a page view is a lookup of
	// Names[0]. The share of page views in the weight-1 hours should be
	// near the weight-1 hours' share of the profile (sessions last minutes,
	// so a few spill over).
	var on, tot float64
	for _, x := range prof {
		tot += x
		if x == 1 {
			on += x
		}
	}
	wantShare := on / tot
	var views, inOn, night int
	for _, e := range ev {
		if e.Label != Human {
			t.Fatalf("label %v", e.Label)
		}
		if e.Name != testTarget.Names[0] {
			continue
		}
		views++
		how := (int(e.Time.Weekday())+6)%7*24 + e.Time.Hour()
		if prof[how] == 1 {
			inOn++
		}
		if prof[how] <= 0.02 {
			night++
		}
	}
	if got := float64(inOn) / float64(views); math.Abs(got-wantShare) > 0.1 {
		t.Errorf("%.3f of page views in weight-1 hours, want %.3f ± 0.1", got, wantShare)
	}
	if got := float64(night) / float64(views); got > 0.05 {
		t.Errorf("%.3f of page views at night, want < 0.05", got)
	}
	// Page views are bursty: gap CV well above 1 (Poisson).
	var pv []Event
	for _, e := range ev {
		if e.Name == testTarget.Names[0] {
			pv = append(pv, e)
		}
	}
	if cv := cvOf(gapsOf(pv)); cv < 2 {
		t.Errorf("page-view gap CV %.2f, want > 2 (bursty)", cv)
	}
	// Resource names are looked up within 400 ms of a page view, about half
	// as often.
	for _, name := range testTarget.Names[1:] {
		n := 0
		for _, e := range ev {
			if e.Name == name {
				n++
			}
		}
		if r := float64(n) / float64(views); r < 0.4 || r > 0.6 {
			t.Errorf("%s: %.3f lookups per page view, want about 0.5", name, r)
		}
	}
}

func TestShiftProfiles(t *testing.T) {
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 7*20)}
	ev := Browse(testRNG(8), w, testTarget, BrowseParams{Profile: NightShiftProfile()})
	night := 0
	for _, e := range ev {
		if h := e.Time.Hour(); h >= 22 || h < 6 {
			night++
		}
	}
	if got := float64(night) / float64(len(ev)); got < 0.7 {
		t.Errorf("night shift: %.2f of lookups at 22–06, want > 0.7", got)
	}
	ev = Browse(testRNG(9), w, testTarget, BrowseParams{Profile: RotatingProfile()})
	var early, late int
	for _, e := range ev {
		h, wd := e.Time.Hour(), e.Time.Weekday()
		if (wd == time.Monday || wd == time.Tuesday) && h >= 6 && h < 14 {
			early++
		}
		if (wd == time.Wednesday || wd == time.Thursday) && h >= 14 && h < 22 {
			late++
		}
	}
	// Each block holds 16 of the week's 56 shift hours.
	for name, n := range map[string]int{"early": early, "late": late} {
		if got := float64(n) / float64(len(ev)); got < 0.2 || got > 0.35 {
			t.Errorf("rotating: %.2f of lookups on %s shifts, want about 0.26", got, name)
		}
	}
}

func TestCache(t *testing.T) {
	for _, ttl := range []time.Duration{time.Minute, 5 * time.Minute} {
		raw := Browse(testRNG(10), Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 28)}, testTarget,
			BrowseParams{Profile: OfficeProfile(), Rate: 2})
		ev := Cache(raw, ttl)
		if len(ev) >= len(raw) || len(ev) == 0 {
			t.Fatalf("TTL %v: %d of %d lookups logged", ttl, len(ev), len(raw))
		}
		last := map[string]time.Time{}
		for _, e := range ev {
			if p, ok := last[e.Name]; ok && e.Time.Sub(p) < ttl {
				t.Fatalf("TTL %v: %s logged %v after the previous lookup", ttl, e.Name, e.Time.Sub(p))
			}
			last[e.Name] = e.Time
			if e.TTL != uint32(ttl/time.Second) {
				t.Fatalf("TTL field %d, want %v", e.TTL, ttl)
			}
		}
		// Every dropped request falls within a TTL of a logged one.
		for _, r := range raw {
			p, ok := lastAtOrBefore(ev, r)
			if !ok || r.Time.Sub(p.Time) >= ttl {
				t.Fatalf("TTL %v: request at %v was neither logged nor cached", ttl, r.Time)
			}
		}
	}
}

// lastAtOrBefore returns the last logged event of r's name at or before r.
func lastAtOrBefore(ev []Event, r Event) (Event, bool) {
	var out Event
	ok := false
	for _, e := range ev {
		if e.Time.After(r.Time) {
			break
		}
		if e.Name == r.Name {
			out, ok = e, true
		}
	}
	return out, ok
}

func TestCachedFastBeacon(t *testing.T) {
	fast := BeaconParams{Period: 30 * time.Second, Jitter: 0.1}
	ev := Cache(Beacon(testRNG(11), Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 28)}, testTarget, fast), 5*time.Minute)
	g := gapsOf(ev)
	// Gaps lie in [TTL, TTL + longest beat gap) and average TTL plus the
	// mean residual life P(1 + j²/3)/2.
	want := 300 + 30*(1+0.01/3)/2
	if m := meanOf(g); !within(m, want, 0.01) {
		t.Errorf("mean logged gap %.2f s, want %.2f ± 1%%", m, want)
	}
	for _, x := range g {
		if x < 300 || x >= 300+33 {
			t.Fatalf("logged gap %.3f s outside [300, 333)", x)
		}
	}
}

func TestApplyArtefacts(t *testing.T) {
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 1)}
	a := Beacon(testRNG(12), w, testTarget, BeaconParams{Period: time.Hour})
	b := testTarget
	b.Client = netip.MustParseAddr("2001:db8::7")
	b.Server = Resolver6
	ev := append(a, Beacon(testRNG(13), w, b, BeaconParams{Period: time.Hour})...)
	SortEvents(ev)
	n := len(ev)

	if got := ApplyArtefacts(ev, testRNG(14), Artefacts{}); len(got) != n {
		t.Errorf("no artefacts: %d events, want %d", len(got), n)
	}
	count := func(ev []Event, f func(Event) bool) int {
		c := 0
		for _, e := range ev {
			if f(e) {
				c++
			}
		}
		return c
	}
	got := ApplyArtefacts(ev, testRNG(14), Artefacts{AAAA: 1})
	if len(got) != 2*n || count(got, func(e Event) bool { return e.Type == TypeAAAA && e.Label == Artefact }) != n {
		t.Errorf("AAAA=1: %d events, want %d, half AAAA artefacts", len(got), 2*n)
	}
	for i := 0; i < len(got); i++ {
		if got[i].Type != TypeA {
			continue
		}
		found := false
		for _, x := range got[i+1:] {
			if d := x.Time.Sub(got[i].Time); d >= 50*time.Millisecond {
				break
			}
			if x.Type == TypeAAAA && x.Name == got[i].Name && x.Client == got[i].Client {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("AAAA=1: A lookup at %v has no AAAA twin within 50 ms", got[i].Time)
		}
	}

	got = ApplyArtefacts(ev, testRNG(15), Artefacts{Retry: 1})
	if len(got) != 3*n {
		t.Errorf("Retry=1: %d events, want %d", len(got), 3*n)
	}
	for _, e := range ev {
		for _, d := range []time.Duration{time.Second, 2 * time.Second} {
			if count(got, func(x Event) bool {
				return x.Label == Artefact && x.Client == e.Client && x.Time.Equal(e.Time.Add(d))
			}) != 1 {
				t.Fatalf("Retry=1: no retry of %v at +%v", e.Time, d)
			}
		}
	}

	got = ApplyArtefacts(ev, testRNG(16), Artefacts{Duplicate: 1})
	if len(got) != 2*n {
		t.Errorf("Duplicate=1: %d events, want %d", len(got), 2*n)
	}
	for i := 0; i < len(got); i += 2 {
		x, y := got[i], got[i+1]
		y.Label = x.Label
		if x != y {
			t.Fatalf("Duplicate=1: %+v and %+v differ", got[i], got[i+1])
		}
	}

	got = ApplyArtefacts(ev, testRNG(17), Artefacts{Round: true})
	for i, e := range got {
		if e.Time.Nanosecond() != 0 || !e.Time.Equal(ev[i].Time.Truncate(time.Second)) {
			t.Fatalf("Round: %v from %v", e.Time, ev[i].Time)
		}
	}

	got = ApplyArtefacts(ev, testRNG(18), Artefacts{Split: 1})
	seen := map[netip.Addr][]netip.Addr{}
	for _, e := range got {
		seen[e.Client] = append(seen[e.Client], e.Server)
	}
	for c, servers := range seen {
		want := [2]netip.Addr{Resolver4, Resolver4b}
		if c.Is6() {
			want = [2]netip.Addr{Resolver6, Resolver6b}
		}
		for i, s := range servers {
			if s != want[i%2] {
				t.Fatalf("Split=1: client %v lookup %d went to %v, want %v", c, i, s, want[i%2])
			}
		}
	}
	if len(ev) != n || ev[0].Label != Periodic {
		t.Errorf("ApplyArtefacts changed its input")
	}
}
