package timing

import (
	"math"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // zone rules independent of the host

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func descZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestRayleighPWorked checks hand-computed p-values.
//
//	n = 10, Z = 3 (series): 1 + (6−9)/40 − (72 − 1188 + 2052 − 729)/28800
//	  = 1 − 0.075 − 0.0071875 = 0.9178125; × e⁻³ = 0.0456951937.
//	n = 4, Z = 2 (series, Z = n/2): 1 + 0 − (48 − 528 + 608 − 144)/4608
//	  = 1.0034722; × e⁻² = 0.1358051974.
//	n = 10, Z = 8 (Z > n/2, Zar): √(1 + 40 + 4·(100 − 80)) − 21 = 11 − 21,
//	  p = e⁻¹⁰ = 4.53999298e-5.
//	n = 20, Z = 20 (all phases equal): √(1 + 80 + 0) − 41 = −32, p = e⁻³².
func TestRayleighPWorked(t *testing.T) {
	for _, tc := range []struct {
		n    int
		z    float64
		want float64
	}{
		{10, 3, 0.0456951937},
		{4, 2, 0.1358051974},
		{10, 8, math.Exp(-10)},
		{20, 20, math.Exp(-32)},
		{1, 1, 1},
		{0, 0, 1},
		{50, 0, 1},
		{50, math.NaN(), 1},
	} {
		if got := RayleighP(tc.n, tc.z); math.Abs(got-tc.want) > 1e-9*tc.want {
			t.Errorf("RayleighP(%d, %v) = %.10g, want %.10g", tc.n, tc.z, got, tc.want)
		}
	}
}

// TestCircleOfWorked: phases 0, 0, 0, ¼, ¼, ½ of an hour (some times
// before the epoch): C = 3 + 0 − 1 = 2, S = 2, R̄ = √8/6 = 0.471404521,
// mean phase 45° = 450 s, Z = 6·8/36 = 4/3 ≤ min(10, n/2), so the series:
// 1 + (8/3 − 16/9)/24 − (32 − 132·16/9 + 76·64/27 − 9·256/81)/(288·36)
// = 1.04195245, × e^(−4/3) = 0.274655683 (Python one-off of this formula).
func TestCircleOfWorked(t *testing.T) {
	m := int64(time.Minute)
	got := CircleOf([]int64{0, 60 * m, -60 * m, 15 * m, -45 * m, 30 * m}, time.Hour)
	want := Circle{N: 6, Period: 3600, Phase: 450, R: math.Sqrt(8) / 6, Z: 4.0 / 3, P: 0.274655683}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-8, 1e-9)); diff != "" {
		t.Errorf("CircleOf (-want +got):\n%s", diff)
	}
	if got := CircleOf([]int64{1, 2}, 0); got != (Circle{N: 2, P: 1}) {
		t.Errorf("CircleOf with period 0 = %+v", got)
	}
}

// TestRhythmBusinessDST uses Europe/Berlin around the start of summer time
// (Sunday 2026-03-29, 01:00 UTC). Events at 07:30 UTC on the weekdays
// 23–27 March are 08:30 CET (before business hours); on 30 March–3 April they
// are 09:30 CEST (business hours). One more event on Saturday 28 March at
// 23:30 UTC is Sunday 00:30 CET: night and weekend, hour-of-week 6·24 + 0.
//
//	N = 11; Business = 5/11; Weekday = 10/11; Weekend = Night = 1/11.
//	HourOfDay: [0] = 1, [8] = 5, [9] = 5. Entropy: p = 5/11, 5/11, 1/11,
//	H = −Σ p ln p = 0.934769898 (Python: -sum(p*log(p))), / ln 24
//	= 0.294132808. WeekEntropy: each weekday holds one event at 08 (first
//	week) and one at 09 (second week), plus Sunday 00: 11 distinct hours of
//	the week with 1/11 each, H = ln 11 / ln 168 = 0.467988.
func TestRhythmBusinessDST(t *testing.T) {
	berlin := descZone(t, "Europe/Berlin")
	var times []int64
	for _, d := range []int{23, 24, 25, 26, 27, 30, 31, 32, 33, 34} {
		times = append(times, time.Date(2026, 3, d, 7, 30, 0, 0, time.UTC).UnixNano())
	}
	times = append(times, time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC).UnixNano())
	r := RhythmOf(times, berlin)
	type shares struct {
		N                                  int
		Location                           string
		Business, Weekday, Weekend, Night  float64
		Entropy, WeekEntropy               float64
		H0, H8, H9, Sunday0, Monday8, Tue9 int
	}
	want := shares{
		N: 11, Location: "Europe/Berlin",
		Business: 5.0 / 11, Weekday: 10.0 / 11, Weekend: 1.0 / 11, Night: 1.0 / 11,
		Entropy: 0.294132808, WeekEntropy: math.Log(11) / math.Log(168),
		H0: 1, H8: 5, H9: 5, Sunday0: 1, Monday8: 1, Tue9: 1,
	}
	got := shares{
		N: r.N, Location: r.Location,
		Business: r.Business, Weekday: r.Weekday, Weekend: r.Weekend, Night: r.Night,
		Entropy: r.Entropy, WeekEntropy: r.WeekEntropy,
		H0: r.HourOfDay[0], H8: r.HourOfDay[8], H9: r.HourOfDay[9],
		Sunday0: r.HourOfWeek[6*24], Monday8: r.HourOfWeek[8], Tue9: r.HourOfWeek[24+9],
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-8, 0)); diff != "" {
		t.Errorf("RhythmOf (-want +got):\n%s", diff)
	}
	// The same instants read in UTC have no business-hours events at all
	// (07:30 and 23:30).
	if b := RhythmOf(times, nil).Business; b != 0 {
		t.Errorf("RhythmOf(UTC).Business = %v, want 0", b)
	}
}

// TestRhythmWeekly: 20 Mondays at 12:00 UTC. Every phase is equal, so
// R = 1, Z = n = 20, and P = e⁻³² (see TestRayleighPWorked); the day phase
// is 43,200 s and the week phase 43,200 s (Monday noon).
func TestRhythmWeekly(t *testing.T) {
	var times []int64
	for w := range 20 {
		times = append(times, time.Date(2026, 1, 5+7*w, 12, 0, 0, 0, time.UTC).UnixNano())
	}
	r := RhythmOf(times, time.UTC)
	want := [2]Circle{
		{N: 20, Period: 86400, Phase: 43200, R: 1, Z: 20, P: math.Exp(-32)},
		{N: 20, Period: 604800, Phase: 43200, R: 1, Z: 20, P: math.Exp(-32)},
	}
	if diff := cmp.Diff(want, [2]Circle{r.Day, r.Week}, cmpopts.EquateApprox(1e-9, 1e-9)); diff != "" {
		t.Errorf("RhythmOf circles (-want +got):\n%s", diff)
	}
	if r.Business != 1 || r.Entropy != 0 || r.HourOfWeek[12] != 20 {
		t.Errorf("Business %v Entropy %v HourOfWeek[12] %v, want 1 0 20", r.Business, r.Entropy, r.HourOfWeek[12])
	}
}

// TestRhythmUniformP: for times uniform over two years the Rayleigh p-values
// at 24 h and 7 d are uniform on [0, 1]. Kolmogorov–Smirnov over 2,000
// sequences of 100 events: the 0.1 % critical value is 1.95/√2000 = 0.0436.
func TestRhythmUniformP(t *testing.T) {
	r := descRand(11)
	ny := descZone(t, "America/New_York")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	span := 2 * 365 * 86400 * dSec
	const reps = 2000
	day := make([]float64, reps)
	week := make([]float64, reps)
	times := make([]int64, 100)
	for i := range reps {
		for j := range times {
			times[j] = start + r.Int64N(span)
		}
		rh := RhythmOf(times, ny)
		day[i], week[i] = rh.Day.P, rh.Week.P
	}
	for name, p := range map[string][]float64{"day": day, "week": week} {
		if d := descKSUniform(p); d > 0.0436 {
			t.Errorf("%s: KS distance of p-values from uniform = %.4f, want < 0.0436", name, d)
		}
		var rej int
		for _, v := range p {
			if v < 0.05 {
				rej++
			}
		}
		// Binomial(2000, 0.05): mean 100, sd 9.7.
		if rej < 65 || rej > 135 {
			t.Errorf("%s: %d of %d p-values below 0.05, want about 100", name, rej, reps)
		}
	}
}

func descKSUniform(p []float64) float64 {
	x := slices.Clone(p)
	slices.Sort(x)
	var d float64
	n := float64(len(x))
	for i, v := range x {
		d = max(d, math.Abs(float64(i+1)/n-v), math.Abs(v-float64(i)/n))
	}
	return d
}

// TestRhythmTenOClock: 300 events over 2026 at 10:00 New York time with a
// normal spread of 45 minutes; the year crosses both DST changes, so in UTC
// the events sit at 14:00 or 15:00 but in local time at 10:00.
func TestRhythmTenOClock(t *testing.T) {
	r := descRand(3)
	ny := descZone(t, "America/New_York")
	var times []int64
	for i := range 300 {
		d := time.Date(2026, 1, 1+i, 10, 0, 0, 0, ny)
		off := time.Duration(r.NormFloat64() * float64(45*time.Minute))
		times = append(times, d.Add(off).UnixNano())
	}
	rh := RhythmOf(times, ny)
	if rh.Day.P > 1e-30 {
		t.Errorf("Day.P = %g, want < 1e-30", rh.Day.P)
	}
	if h := rh.Day.Phase / 3600; math.Abs(h-10) > 0.2 {
		t.Errorf("Day.Phase = %.3f h, want 10 ± 0.2", h)
	}
	// R̄ for a wrapped normal is exp(−σ²/2) with σ in radians:
	// σ = 45 min = 2π·0.75/24 = 0.19635 rad, R̄ = 0.98091; with 300 events
	// the sampling error is below 0.005.
	if math.Abs(rh.Day.R-0.98091) > 0.005 {
		t.Errorf("Day.R = %.4f, want 0.9809", rh.Day.R)
	}
}

func TestRhythmEmpty(t *testing.T) {
	r := RhythmOf(nil, nil)
	want := Rhythm{Location: "UTC", Day: Circle{Period: 86400, P: 1}, Week: Circle{Period: 604800, P: 1}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("RhythmOf(nil) (-want +got):\n%s", diff)
	}
}

// TestRhythmFallBack: New York leaves summer time on Sunday 1 November 2026
// at 06:00 UTC (02:00 EDT → 01:00 EST). 05:30 UTC is 01:30 EDT and 06:30 UTC
// is 01:30 EST: both events are in local hour 1, at night, on a Sunday, and
// at the same wall-clock phase (R = 1).
func TestRhythmFallBack(t *testing.T) {
	ny := descZone(t, "America/New_York")
	times := []int64{
		time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC).UnixNano(),
		time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC).UnixNano(),
	}
	r := RhythmOf(times, ny)
	got := []float64{float64(r.HourOfDay[1]), float64(r.HourOfWeek[6*24+1]), r.Night, r.Weekend, r.Day.R, r.Day.Phase}
	want := []float64{2, 2, 1, 1, 1, 5400}
	if diff := cmp.Diff(want, got, descApprox); diff != "" {
		t.Errorf("[HourOfDay[1] HourOfWeek[Sun 01] Night Weekend Day.R Day.Phase] (-want +got):\n%s", diff)
	}
	p := PersistenceOf(times, ny)
	if p.Days != 1 || p.ActiveDays != 1 || p.ActiveHours != 2 || p.NightDays != 1 {
		t.Errorf("PersistenceOf: Days %d ActiveDays %d ActiveHours %d NightDays %d, want 1 1 2 1", p.Days, p.ActiveDays, p.ActiveHours, p.NightDays)
	}
}
