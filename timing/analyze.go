package timing

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultFold is the fold tolerance Analyze uses when Options.FoldTolerance is
// zero: events closer than 3 s to the last kept event (A/AAAA pairs, retries
// at +1/+2 s, duplicate lines) count once. A retry 2 s after its query is
// exactly 2 s later in a log with whole-second stamps, hence 3 s, not 2.
const DefaultFold = 3 * time.Second

// Options configures Analyze. The zero value is the documented default: UTC,
// TTL estimated from the gaps, folding at DefaultFold, sessions split at
// DefaultIdle, default PeriodOptions.
type Options struct {
	// Location is the zone of the hour-of-day and day rhythm and of the
	// calendar days of Persistence; nil means UTC.
	Location *time.Location
	// TTL is the cache time-to-live in front of the client, if known; zero
	// means it is estimated from the floor of the gaps (see CacheGating).
	TTL time.Duration
	// FoldTolerance merges events closer than it to the last kept event
	// before any statistic; zero means DefaultFold, negative disables folding.
	FoldTolerance time.Duration
	// Idle is the gap that splits sessions; zero means DefaultIdle.
	Idle time.Duration
	// Period configures the period search.
	Period PeriodOptions
}

// Result is the timing profile of one sequence of events. Every float field is
// finite (never NaN or ±Inf), whatever the input. When Insufficient is true the
// sequence has fewer than MinPeriodEvents events after folding: the
// descriptive figures are still filled in from what there is, Period.OK is
// false and Period.P is 1, and no score should be built on it.
type Result struct {
	// N is the number of events given; Folded the number left after folding.
	N, Folded int
	// Insufficient reports fewer than MinPeriodEvents events after folding.
	Insufficient bool
	// Span is the time from the first to the last event, in seconds.
	Span float64
	// Gaps summarises the gaps (seconds) between folded events: Gaps.CV,
	// Gaps.MADRatio and Gaps.Bowley measure regularity.
	Gaps Summary
	// Period is the strongest period (DetectPeriod on the folded events) and
	// Periods all periods found (DetectPeriods; Periods[0] == Period).
	Period  Period
	Periods []Period
	// Change is a change of period (DetectChange), valid when Changed.
	Change  Change
	Changed bool
	// TTLRatio is Period.Seconds divided by the cache TTL given in Options;
	// 0 without a period or a given TTL (an estimated TTL is the floor of the
	// gaps, which any beacon matches, so Cache carries that comparison). A
	// ratio in [0.95, 1.25] means the "period" may be the cache expiry.
	TTLRatio float64
	// Rhythm, Persistence, Sessions and Cache are the descriptive profiles of
	// the folded events (RhythmOf, PersistenceOf, SessionStatsOf, CacheGating).
	Rhythm      Rhythm
	Persistence Persistence
	Sessions    SessionStats
	Cache       Cache
	// Burstiness (finite-size corrected) and Memory of the gaps.
	Burstiness, Memory float64
	// Evidence holds human-readable findings with their figures.
	Evidence []string
}

// Analyze profiles one sequence of event times (Unix nanoseconds, any order):
// it folds near-simultaneous events, then computes gap statistics, periods and
// their significance, a change of period, the rhythm in opts.Location,
// persistence, sessions, burstiness, memory and cache gating, and writes the
// findings as evidence lines such as
//
//	period 3,612 s ± 1.1 %, p = 2e-09, 214 beats, 31 % missed, jitter 4 %
//	87 % of events on weekdays 09–18 Europe/Moscow
//
// Input is never modified. Cost: O(n) expected time (O(n log n) to sort
// unsorted input; the order statistics of the gaps are found by counting,
// see Summarize) and O(n) memory. The parts share one fold and one set of
// gaps, and their buffers, up to 64 bytes per event, come from a pool and
// go back to it for sequences of up to 2¹⁷ events. Analyze is safe for
// concurrent use.
func Analyze(times []int64, opts Options) Result {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	r := Result{N: len(times)}
	ts := sortedCopy(times)
	if tol := opts.foldTolerance(); tol > 0 && len(ts) > 1 {
		// Fold writes into dst; never write into the caller's slice.
		ts = foldSorted(slices.Grow(sc.times[:0], len(ts)), ts, tol)
		sc.times = ts
	}
	r.Folded = len(ts)
	if len(ts) > 1 {
		r.Span = secondsBetween(ts[0], ts[len(ts)-1])
	}
	gaps := gapsSorted(sc.gaps[:0], ts)
	sc.gaps = gaps
	var inner Summary
	r.Gaps, inner = sc.gapSummaries(ts, gaps, opts.Idle)
	r.Burstiness = burstinessOf(r.Gaps.N, r.Gaps.Mean, r.Gaps.StdDev)
	r.Memory = sc.memory
	if math.IsNaN(r.Memory) {
		r.Memory = Memory(gaps)
	}
	r.Rhythm, r.Persistence = rhythmPersistence(ts, opts.Location)
	r.Sessions = sc.sessionStats(ts, gaps, opts.Idle, &inner)
	r.Cache = cacheGating(ts, gaps, opts.TTL, sc)
	r.Insufficient = len(ts) < MinPeriodEvents
	r.Period = Period{P: 1}
	r.Periods = []Period{r.Period}
	if r.Insufficient {
		r.Evidence = append(r.Evidence, fmt.Sprintf("insufficient data: %d events after folding (%d needed)", len(ts), MinPeriodEvents))
		return r
	}
	r.Periods = sc.detectPeriods(ts, gaps, opts.Period)
	r.Period = r.Periods[0]
	r.Change, r.Changed = sc.detectChange(ts, gaps, opts.Period, r.Period)
	if ttl := opts.TTL.Seconds(); r.Period.OK && ttl > 0 {
		r.TTLRatio = r.Period.Seconds / ttl
	}
	r.Evidence = r.evidence(opts)
	return r
}

func (o Options) foldTolerance() time.Duration {
	if o.FoldTolerance == 0 {
		return DefaultFold
	}
	return o.FoldTolerance
}

// evidence writes the findings of r as lines.
func (r *Result) evidence(opts Options) []string {
	var ev []string
	add := func(format string, a ...any) { ev = append(ev, fmt.Sprintf(format, a...)) }
	if d := r.N - r.Folded; d > 0 {
		add("%s events folded into %s (tolerance %s)", groupInt(r.N), groupInt(r.Folded), opts.foldTolerance())
	}
	for i, p := range r.Periods {
		if !p.OK {
			add("no period found")
			continue
		}
		label := "period"
		if i > 0 {
			label = "further period"
		}
		add("%s %s s ± %s %%, p = %s, %s beats, %s %% missed, jitter %s %%",
			label, groupFloat(p.Seconds), fmtFig(100*p.RelErr), fmtP(p.P), groupInt(p.Beats),
			fmtFig(100*p.MissedFrac), fmtFig(100*p.Jitter))
		if p.Extra > 0 {
			add("%s events off the %s s beat, beat lost %d times", groupInt(p.Extra), groupFloat(p.Seconds), p.Breaks)
		}
	}
	if r.Changed {
		add("period changed from %s s to %s s at %s (event %d)", groupFloat(r.Change.Before.Seconds),
			groupFloat(r.Change.After.Seconds), time.Unix(0, r.Change.At).UTC().Format(time.RFC3339), r.Change.Index)
	}
	if r.Gaps.N > 0 {
		add("gaps: median %s s, CV %s, MAD/median %s, Bowley skew %s", groupFloat(r.Gaps.Median),
			fmtFig(r.Gaps.CV), fmtFig(r.Gaps.MADRatio), fmtFig(r.Gaps.Bowley))
	}
	if r.TTLRatio >= 0.95 && r.TTLRatio <= 1.25 {
		add("period %s s is %s × the cache TTL %s: it may be cache expiry, not a timer",
			groupFloat(r.Period.Seconds), fmtFig(r.TTLRatio), opts.TTL)
	}
	ev = append(ev, r.Cache.Evidence...)
	loc := r.Rhythm.Location
	add("%s %% of events on weekdays %02d–%02d %s, %s %% at night (00–%02d), %s %% on weekends",
		fmtFig(100*r.Rhythm.Business), BusinessStart, BusinessEnd, loc, fmtFig(100*r.Rhythm.Night), NightEnd,
		fmtFig(100*r.Rhythm.Weekend))
	if d := r.Rhythm.Day; d.N > 0 {
		ph := time.Duration(d.Phase * float64(time.Second))
		add("daily rhythm: mean time %02d:%02d %s, R = %s, Rayleigh p = %s", int(ph.Hours())%24, int(ph.Minutes())%60,
			loc, fmtFig(d.R), fmtP(d.P))
	}
	pe := r.Persistence
	add("active on %d of %d days (longest run %d days), %d of %d hours", pe.ActiveDays, pe.Days, pe.LongestRun,
		pe.ActiveHours, pe.Hours)
	add("%d sessions (idle %s) covering %s %% of the span; burstiness %s, memory %s", r.Sessions.Count,
		r.Sessions.Idle, fmtFig(100*r.Sessions.Active), fmtFig(r.Burstiness), fmtFig(r.Memory))
	return ev
}

// fmtFig prints a figure with two significant digits (at least the units).
func fmtFig(v float64) string {
	if math.Abs(v) >= 10 {
		return groupFloat(v)
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}

// fmtP prints a p-value with one significant digit below 0.01.
func fmtP(p float64) string {
	if p < 0.01 {
		return strconv.FormatFloat(p, 'g', 1, 64)
	}
	return strconv.FormatFloat(p, 'f', 2, 64)
}

// groupFloat rounds to an integer and groups thousands: 3611.6 → "3,612";
// values below 10 keep one decimal.
func groupFloat(v float64) string {
	if math.Abs(v) < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	if math.Abs(v) >= 1e18 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return groupInt(int(math.Round(v)))
}

func groupInt(n int) string {
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
