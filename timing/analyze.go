package timing

import (
	"math"
	"runtime"
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
	// Serial keeps Analyze on the calling goroutine. Otherwise, when
	// GOMAXPROCS is above 1 and at least ConcurrentEvents events are left
	// after folding, Analyze searches for periods and a change of period
	// on a second goroutine while the calling one computes the summaries,
	// rhythm, sessions and cache gating: the Result is the same, the wall
	// time on two idle cores a quarter to a half shorter (10⁴ to 10⁵
	// events), the CPU time the same plus one goroutine start. Callers that analyse many sequences at once on
	// every core (as a worker pool does) set Serial, since their cores are
	// busy already.
	Serial bool
}

// ConcurrentEvents is the least number of folded events for which Analyze
// uses a second goroutine (see Options.Serial): below it the search takes
// under about 0.4 ms, and starting a goroutine is not worth its cost.
const ConcurrentEvents = 4096

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
// gaps, and their buffers, up to 73 bytes per event, come from a pool and
// go back to it for sequences of up to 2¹⁷ events. Analyze is safe for
// concurrent use. From ConcurrentEvents folded events on it runs its period
// search on a second goroutine unless opts.Serial is set.
func Analyze(times []int64, opts Options) Result {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	r := Result{N: len(times)}
	var ts []int64
	var gaps []float64
	if tol := opts.foldTolerance(); tol > 0 && len(times) > 1 {
		// Fold writes into sc's buffers; never into the caller's slice.
		ts, gaps = sc.foldGaps(times, tol)
	} else {
		ts = sortedCopy(times)
		gaps = gapsSorted(sc.gaps[:0], ts)
		sc.gaps = gaps
	}
	r.Folded = len(ts)
	if len(ts) > 1 {
		r.Span = secondsBetween(ts[0], ts[len(ts)-1])
	}
	var inner Summary
	r.Insufficient = len(ts) < MinPeriodEvents
	var bg <-chan periodSearch
	if !r.Insufficient && !opts.Serial && len(ts) >= ConcurrentEvents && runtime.GOMAXPROCS(0) > 1 {
		bg = sc.startSearch(ts, gaps, opts.Period)
	}
	r.Gaps, inner = sc.gapSummaries(ts, gaps, opts.Idle)
	r.Burstiness = burstinessOf(r.Gaps.N, r.Gaps.Mean, r.Gaps.StdDev)
	r.Memory = sc.memory
	if math.IsNaN(r.Memory) {
		r.Memory = Memory(gaps)
	}
	r.Rhythm, r.Persistence = rhythmPersistence(ts, opts.Location)
	r.Sessions = sc.sessionStats(ts, gaps, opts.Idle, &inner)
	sc.cover = sessionsAt{r.Sessions.Idle, r.Sessions.Count, r.Sessions.Active}
	r.Cache = cacheGating(ts, gaps, opts.TTL, sc)
	if r.Insufficient {
		r.Period = Period{P: 1}
		r.Periods = []Period{r.Period}
		l := &sc.lines
		l.reset()
		l.str("insufficient data: ").int(len(ts)).str(" events after folding (").int(MinPeriodEvents).str(" needed)").end()
		r.Evidence = l.to(nil)
		return r
	}
	var ps periodSearch
	if bg != nil {
		ps = <-bg
	} else {
		ps.run(sc, ts, gaps, opts.Period)
	}
	r.Periods, r.Period, r.Change, r.Changed = ps.periods, ps.periods[0], ps.change, ps.changed
	if ttl := opts.TTL.Seconds(); r.Period.OK && ttl > 0 {
		r.TTLRatio = r.Period.Seconds / ttl
	}
	r.Evidence = r.evidence(opts, &sc.lines)
	return r
}

// periodSearch is the period and change search of Analyze. It reads the
// folded times and gaps and writes only its own buffers of the scratch
// (off, restGaps, marks, logs, beats), so it can run beside the
// descriptive statistics, which use the others.
type periodSearch struct {
	periods []Period
	change  Change
	changed bool
}

func (ps *periodSearch) run(sc *scratch, ts []int64, gaps []float64, opts PeriodOptions) {
	ps.periods = sc.detectPeriods(ts, gaps, opts)
	ps.change, ps.changed = sc.detectChange(ts, gaps, opts, ps.periods[0])
}

// startSearch runs the search on a new goroutine, which sends its result.
// (A closure in Analyze itself would move Analyze's own variables to the
// heap on the serial path too.)
func (sc *scratch) startSearch(ts []int64, gaps []float64, opts PeriodOptions) <-chan periodSearch {
	c := make(chan periodSearch, 1)
	go func() {
		var ps periodSearch
		ps.run(sc, ts, gaps, opts)
		c <- ps
	}()
	return c
}

func (o Options) foldTolerance() time.Duration {
	if o.FoldTolerance == 0 {
		return DefaultFold
	}
	return o.FoldTolerance
}

// evidence writes the findings of r as lines, in l (reset first).
func (r *Result) evidence(opts Options, l *lines) []string {
	l.reset()
	if d := r.N - r.Folded; d > 0 {
		l.groupInt(r.N).str(" events folded into ").groupInt(r.Folded).str(" (tolerance ").dur(opts.foldTolerance()).str(")").end()
	}
	for i, p := range r.Periods {
		if !p.OK {
			l.str("no period found").end()
			continue
		}
		if i > 0 {
			l.str("further ")
		}
		l.str("period ").groupFloat(p.Seconds).str(" s ± ").fig(100 * p.RelErr).str(" %, p = ").p(p.P).
			str(", ").groupInt(p.Beats).str(" beats, ").fig(100 * p.MissedFrac).str(" % missed, jitter ").
			fig(100 * p.Jitter).str(" %").end()
		if p.Extra > 0 {
			l.groupInt(p.Extra).str(" events off the ").groupFloat(p.Seconds).str(" s beat, beat lost ").
				int(p.Breaks).str(" times").end()
		}
	}
	if r.Changed {
		l.str("period changed from ").groupFloat(r.Change.Before.Seconds).str(" s to ").
			groupFloat(r.Change.After.Seconds).str(" s at ")
		l.buf = time.Unix(0, r.Change.At).UTC().AppendFormat(l.buf, time.RFC3339)
		l.str(" (event ").int(r.Change.Index).str(")").end()
	}
	if r.Gaps.N > 0 {
		l.str("gaps: median ").groupFloat(r.Gaps.Median).str(" s, CV ").fig(r.Gaps.CV).str(", MAD/median ").
			fig(r.Gaps.MADRatio).str(", Bowley skew ").fig(r.Gaps.Bowley).end()
	}
	if r.TTLRatio >= 0.95 && r.TTLRatio <= 1.25 {
		l.str("period ").groupFloat(r.Period.Seconds).str(" s is ").fig(r.TTLRatio).str(" × the cache TTL ").
			dur(opts.TTL).str(": it may be cache expiry, not a timer").end()
	}
	for _, e := range r.Cache.Evidence {
		l.str(e).end()
	}
	loc := r.Rhythm.Location
	l.fig(100 * r.Rhythm.Business).str(" % of events on weekdays ").int2(BusinessStart).str("–").int2(BusinessEnd).
		str(" ").str(loc).str(", ").fig(100 * r.Rhythm.Night).str(" % at night (00–").int2(NightEnd).str("), ").
		fig(100 * r.Rhythm.Weekend).str(" % on weekends").end()
	if d := r.Rhythm.Day; d.N > 0 {
		ph := time.Duration(d.Phase * float64(time.Second))
		l.str("daily rhythm: mean time ").int2(int(ph.Hours()) % 24).str(":").int2(int(ph.Minutes()) % 60).
			str(" ").str(loc).str(", R = ").fig(d.R).str(", Rayleigh p = ").p(d.P).end()
	}
	pe := r.Persistence
	l.str("active on ").int(pe.ActiveDays).str(" of ").int(pe.Days).str(" days (longest run ").int(pe.LongestRun).
		str(" days), ").int(pe.ActiveHours).str(" of ").int(pe.Hours).str(" hours").end()
	l.int(r.Sessions.Count).str(" sessions (idle ").dur(r.Sessions.Idle).str(") covering ").
		fig(100 * r.Sessions.Active).str(" % of the span; burstiness ").fig(r.Burstiness).str(", memory ").
		fig(r.Memory).end()
	return l.to(make([]string, 0, len(l.ends)))
}
