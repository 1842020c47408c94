package timing_test

import (
	"fmt"
	"time"

	"github.com/dnsnexus/dnsnexus/timing"
)

func ExampleFromTimes() {
	msk := time.FixedZone("MSK", 3*3600)
	times := timing.FromTimes([]time.Time{
		time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 12, 0, 0, 0, msk), // 09:00 UTC
	})
	for _, t := range times {
		fmt.Println(time.Unix(0, t).UTC().Format(time.RFC3339))
	}
	// Output:
	// 2026-03-01T09:00:00Z
	// 2026-03-01T12:00:00Z
}

func ExampleSorted() {
	fmt.Println(timing.Sorted([]int64{1, 2, 2, 5}), timing.Sorted([]int64{3, 1}))
	// Output: true false
}

func ExampleGaps() {
	s := int64(time.Second)
	fmt.Println(timing.Gaps(nil, []int64{0, 1 * s, 3 * s, 3 * s, 10 * s}))
	// Output: [1 2 0 7]
}

func ExampleFold() {
	// An A/AAAA pair, a retry one second later, and a query a minute later.
	s := int64(time.Second)
	times := []int64{0, 0, 1 * s, 60 * s, 60*s + 5}
	fmt.Println(len(timing.Fold(nil, times, 2*time.Second)))
	// Output: 2
}

func ExampleSummarize() {
	s := timing.Summarize([]float64{16, 1, 32, 4, 2, 8})
	fmt.Printf("median %g, MAD %g, Q1 %g, Q3 %g, Bowley %.3f, CV %.3f\n",
		s.Median, s.MAD, s.Q1, s.Q3, s.Bowley, s.CV)
	// Output: median 6, MAD 4.5, Q1 2.5, Q3 14, Bowley 0.391, CV 1.031
}

func ExampleSummarizeWith() {
	var buf []float64
	for _, gaps := range [][]float64{{60, 61, 59}, {1, 2, 3, 4, 10}} {
		var s timing.Summary
		s, buf = timing.SummarizeWith(buf, gaps) // reuses buf: no allocation once it is large enough
		fmt.Println(s.N, s.Median, s.MAD)
	}
	// Output:
	// 3 60 1
	// 5 3 1
}

func ExampleRayleighP() {
	fmt.Printf("%.4f\n", timing.RayleighP(10, 3))
	// Output: 0.0457
}

func ExampleCircleOf() {
	// Events at :15 past each hour: all at the same phase of a 1-hour cycle.
	m := int64(time.Minute)
	c := timing.CircleOf([]int64{15 * m, 75 * m, 135 * m, 195 * m}, time.Hour)
	fmt.Printf("phase %g s, R %g, Z %g\n", c.Phase, c.R, c.Z)
	// Output: phase 900 s, R 1, Z 4
}

func ExampleRhythmOf() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	// 07:30 UTC on ten weekdays around the start of summer time on 29 March
	// 2026: 08:30 CET the first week, 09:30 CEST the second. Phases ±7.5°
	// around 09:00 give R̄ = cos 7.5° and Z = 10·R̄² = 9.83.
	var times []int64
	for _, d := range []int{23, 24, 25, 26, 27, 30, 31, 32, 33, 34} {
		times = append(times, time.Date(2026, 3, d, 7, 30, 0, 0, time.UTC).UnixNano())
	}
	r := timing.RhythmOf(times, berlin)
	fmt.Printf("%.0f %% of events on weekdays %02d–%02d %s\n", 100*r.Business, timing.BusinessStart, timing.BusinessEnd, r.Location)
	fmt.Printf("mean local time %.1f h, Rayleigh p = %.1g\n", r.Day.Phase/3600, r.Day.P)
	// Output:
	// 50 % of events on weekdays 09–18 Europe/Berlin
	// mean local time 9.0 h, Rayleigh p = 8e-07
}

func ExampleBurstiness() {
	regular := []float64{60, 60, 60, 60}
	fmt.Println(timing.Burstiness(regular), timing.Burstiness([]float64{0, 0, 0, 4}))
	// Output: -1 1
}

func ExampleRawBurstiness() {
	fmt.Printf("%.4f\n", timing.RawBurstiness([]float64{1, 3}))
	// Output: -0.3333
}

func ExampleMemory() {
	fmt.Printf("%.3f %.3f\n", timing.Memory([]float64{1, 2, 3, 4}), timing.Memory([]float64{1, 3, 1, 3, 1}))
	// Output: 1.000 -1.000
}

func ExampleSessions() {
	m := int64(time.Minute)
	for _, s := range timing.Sessions([]int64{0, 1 * m, 2 * m, 40 * m, 41 * m, 100 * m}, 30*time.Minute) {
		fmt.Println(s.Events, s.Duration())
	}
	// Output:
	// 3 2m0s
	// 2 1m0s
	// 1 0s
}

func ExampleSession_Duration() {
	fmt.Println(timing.Session{Start: 0, End: int64(90 * time.Second), Events: 4}.Duration())
	// Output: 1m30s
}

func ExampleSessionStatsOf() {
	m := int64(time.Minute)
	st := timing.SessionStatsOf([]int64{0, 1 * m, 2 * m, 40 * m, 41 * m, 100 * m}, 30*time.Minute)
	fmt.Printf("%d sessions, median %g events, median idle %g s, active %.0f %%\n",
		st.Count, st.MedianEvents, st.Between.Median, 100*st.Active)
	// Output: 3 sessions, median 2 events, median idle 2910 s, active 3 %
}

func ExamplePersistenceOf() {
	// An hourly timer for a week, starting on Monday 1 June 2026.
	start := time.Date(2026, 6, 1, 0, 20, 0, 0, time.UTC).UnixNano()
	var times []int64
	for i := range 7 * 24 {
		times = append(times, start+int64(i)*int64(time.Hour))
	}
	p := timing.PersistenceOf(times, time.UTC)
	fmt.Printf("%d/%d days, %d/%d hours, longest run %d h, night %.0f %%, weekend %.0f %%\n",
		p.ActiveDays, p.Days, p.ActiveHours, p.Hours, p.LongestHourRun, 100*p.NightShare, 100*p.WeekendShare)
	// Output: 7/7 days, 168/168 hours, longest run 168 h, night 25 %, weekend 29 %
}

func ExampleCacheGating() {
	// Six bursts of use, each re-asking the name 330 s apart (just after a
	// 300-s TTL expires), separated by 5,000 s of idle time.
	s := int64(time.Second)
	var times []int64
	t0 := int64(1_780_000_000) * s
	for range 6 {
		for k := range 6 {
			times = append(times, t0+int64(k)*330*s)
		}
		t0 += (5*330 + 5000) * s
	}
	c := timing.CacheGating(times, 300*time.Second)
	fmt.Println(c.Gated)
	for _, e := range c.Evidence {
		fmt.Println(e)
	}
	// Output:
	// true
	// gaps gated by a cache: 0 of 35 gaps below 294 s (given TTL 300 s), 86 % in [294 s, 588 s) with median residual 30 s, floor test p = 9.3e-10
	// regular only inside activity: 6 session(s) (idle > 30 min) cover 28 % of the span
}
