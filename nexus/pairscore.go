package nexus

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/dnsnexus/dnsnexus/timing"
)

// scorePair profiles one pair with timing.Analyze and turns the profile
// into the Beacon and Human scores (the verdict needs the q-values of all
// pairs and is set later).
//
// Beacon is the largest, over the candidate periods, of S · R · C · G. The
// candidates are the periods timing finds and, for bursty pairs, twice
// those that miss many beats and the period found with the bursts set
// aside; each is measured again in one way that does not depend on the
// order in which they were found (see remeasure):
//
//	S = min(1, −log10(P) / 10)        significance of the period (P under
//	                                  the Poisson null, measured on all
//	                                  folded lookups; 1 at P ≤ 1e-10)
//	R = clamp((Score + OnBeat) / 2)   regularity: the comb score in [−2, 1]
//	                                  and the share of gaps on the beat
//	C = clamp((0.8 − Missed) / 0.3)   continuity: 1 up to half the beats
//	                                  missed, 0 at four in five; the
//	                                  "periods" of bursts of clicks lose the
//	                                  beat most of the time
//	G = 0.1 when the gaps are explained by a cache in front of intermittent
//	    use (CacheGated), else 1.
//
// Human = D · (½ + ½·W), where
//
//	D = min(1, −log10(p_day) / 10)    strength of the time-of-day rhythm
//	                                  (Rayleigh test at 24 h)
//	W = max(weekday share − weekend share, 0) … the weekly contrast
//
// computed on the events off the beat when the pair has a beat
// (Beacon ≥ 0.25): a timer that fires at 03:00 every night has a strong
// time-of-day rhythm but no human one.
func scorePair(p *Pair, opts *Options) Score {
	s := Score{Pair: *p}
	ttl := opts.TTL
	if ttl == 0 && p.HasTTL && p.MaxTTL > 0 {
		ttl = time.Duration(p.MaxTTL) * time.Second
	}
	s.TTL = ttl
	// The analysis reads the times at the scoring resolution; s.Times
	// keeps the logged ones.
	times := truncateTimes(p.Times, opts.resolution())
	loc := opts.Location
	zoneNote := ""
	if loc == nil {
		loc, zoneNote = bestZone(times, opts.Zones)
	}
	s.Zone = loc.String()
	topts := opts.Timing
	topts.Location = loc
	topts.TTL = ttl
	if topts.Period.Min == 0 {
		topts.Period.Min = DefaultMinPeriod
	}
	r := timing.Analyze(times, topts)
	if opts.KeepTiming {
		s.Timing = &r
	}
	f := Features{
		Events:       r.N,
		Folded:       r.Folded,
		PeriodP:      r.Period.P,
		PeriodScore:  r.Period.Score,
		OnBeat:       r.Period.OnBeat,
		Missed:       r.Period.MissedFrac,
		Jitter:       r.Period.Jitter,
		GapCV:        r.Gaps.CV,
		DayP:         r.Rhythm.Day.P,
		Business:     r.Rhythm.Business,
		Night:        r.Rhythm.Night,
		Entropy:      r.Rhythm.Entropy,
		Burstiness:   r.Burstiness,
		HourCoverage: r.Persistence.HourCoverage,
		Active:       r.Sessions.Active,
		TTLRatio:     r.TTLRatio,
	}
	per := r.Period
	var thinned time.Duration
	if !r.Insufficient && r.Period.OK {
		per, thinned = remeasure(times, &r, opts.Timing.FoldTolerance, topts.Period)
	}
	f.PeriodP, f.PeriodScore, f.OnBeat, f.Missed, f.Jitter = per.P, per.Score, per.OnBeat, per.MissedFrac, per.Jitter
	if n := per.Beats + per.Extra; n > 0 && per.OK {
		// Every event the period was measured on is a beat or extra.
		f.Extra = float64(per.Extra) / float64(n)
	}
	if per.OK && ttl > 0 {
		f.TTLRatio = per.Seconds / ttl.Seconds()
	}
	s.Features = f
	s.P = per.P
	if per.OK {
		s.Period = time.Duration(per.Seconds * float64(time.Second))
	}
	minEv := opts.MinEvents
	if minEv <= 0 {
		minEv = timing.MinPeriodEvents
	}
	if r.Insufficient || r.Folded < minEv {
		s.P = 1
		s.Evidence = append(s.Evidence, fmt.Sprintf("insufficient data: %d events after folding", r.Folded))
		return s
	}

	s.CacheGated = per.OK && cacheGated(&r, per, ttl)
	gate := 1.0
	if s.CacheGated {
		gate = 0.1
	}
	s.Beacon = periodBeacon(per) * gate

	rhythm := r.Rhythm
	if s.Beacon >= beaconLabelMin {
		// A beat explains part of the events: judge the human rhythm on
		// the rest, and keep the labels for a mixed verdict.
		s.Labels = make([]EventLabel, len(times))
		on := timing.OnBeat(times, per, opts.Timing.FoldTolerance)
		off := make([]int64, 0, len(times)/4)
		for i, b := range on {
			if b {
				s.Labels[i] = LabelPeriodic
			} else {
				off = append(off, times[i])
			}
		}
		s.offBeat = len(off)
		rhythm = timing.RhythmOf(off, loc)
	}
	s.Human = humanScore(rhythm)

	if zoneNote != "" {
		s.Evidence = append(s.Evidence, zoneNote)
	}
	if per.OK && per.P <= 0.05 && (thinned > 0 || math.Abs(per.Seconds/r.Period.Seconds-1) > 0.01) {
		note := ""
		if thinned > 0 {
			note = ", lookups closer than " + fmtDur(thinned) + " to the one before set aside"
		}
		s.Evidence = append(s.Evidence, fmt.Sprintf("beacon score from the period %s measured again: %d beats, %.0f %% missed, jitter %.1f %%, p = %.2g%s",
			fmtDur(s.Period), per.Beats, 100*per.MissedFrac, 100*per.Jitter, per.P, note))
	}
	if s.CacheGated {
		s.Evidence = append(s.Evidence, fmt.Sprintf("gaps gated by a cache (TTL %s): regular only inside sessions of use", fmtTTL(ttl, r.Cache.TTL)))
	}
	s.Evidence = append(s.Evidence, r.Evidence...)
	s.Caveats = pairCaveats(&s, &r)
	return s
}

// remeasure measures every candidate period in one way that does not
// depend on the order in which timing found them, and returns the
// measurement with the highest beacon score, with the width below which
// lookups were set aside for its R and C (0 when none were). Measuring each
// period on what the earlier ones left over, as DetectPeriods reports them,
// would let a retry or an AAAA twin decide which of two weak periods is
// found first, and so how the other is scored.
//
// The candidates: every period timing found; when the pair is bursty (see
// bursty), twice a candidate that misses at least 30 % of its beats with
// S ≥ 0.05 (a search that settled on half the beat of a beacon under other
// traffic) and, when its strongest period is under 2,048 s (the rhythm of
// the clicks), the period DetectPeriod finds from 2,048 s up once every
// lookup closer than 512 s to the one before is set aside (a person's
// burst keeps its first lookup, and an hourly beat hidden under the clicks
// comes out). Candidates within 5 % of one already measured, or longer
// than half the span, are skipped.
//
// A candidate c is measured with timing.MeasurePeriod on the pair's folded
// times, which gives P (so S) and, when nothing is set aside, every figure.
// Then the lookups closer than w(c) = 2^⌊log₂(c/4)⌋ s to the one before are
// set aside, when w exceeds the fold tolerance, and R and C are measured
// again on the rest: an hourly beat is judged on the hours rather than on
// the clicks between them. w is a power of two so that nearby candidates
// set aside the same lookups. P stays that of all folded times, since
// setting lookups aside lengthens the gaps in a way the Poisson null does
// not describe. The second measurement is skipped when it cannot win (S ≤
// the best score so far) or when S < 0.05 (P > 0.32: no evidence of a
// period; the candidate keeps its first measurement, below 0.05). The
// strongest period keeps the figures of the search that found it when its
// S is 1 and nothing is set aside: MeasurePeriod would reach the same fixed
// point, and S cannot grow.
func remeasure(times []int64, r *timing.Result, fold time.Duration, po timing.PeriodOptions) (timing.Period, time.Duration) {
	periods := r.Periods
	if fold == 0 {
		fold = timing.DefaultFold
	}
	buf := remeasurePool.Get().(*remeasureBuf)
	defer remeasurePool.Put(buf)
	ft := timing.Fold(buf.folded[:0], times, fold)
	buf.folded = ft
	if len(ft) < timing.MinPeriodEvents {
		return periods[0], 0
	}
	span := float64(ft[len(ft)-1]-ft[0]) / float64(time.Second)
	var (
		best      timing.Period
		bestThin  time.Duration
		bestScore = -1.0
		seen      = buf.seen[:0]
		thin      = buf.thin[:0]
	)
	defer func() { buf.seen, buf.thin = seen[:0], thin[:0] }()
	// measure measures the candidate c; first, when not nil, is the
	// strongest period, found by the search on all folded times.
	measure := func(c float64, first *timing.Period) (timing.Period, bool) {
		if !(c > 0) || c > span/2 {
			return timing.Period{}, false
		}
		for _, o := range seen {
			if math.Abs(c/o-1) < 0.05 {
				return timing.Period{}, false
			}
		}
		seen = append(seen, c)
		near := time.Duration(c * float64(time.Second))
		thinned := false
		w := time.Duration(math.Exp2(math.Floor(math.Log2(c/4)))) * time.Second
		if w > fold {
			thin = thinBursts(thin[:0], ft, int64(w))
			thinned = len(thin) < len(ft)
		}
		var m timing.Period
		if first != nil && !thinned && significance(first.P) == 1 {
			// The search's own figures are the fixed point MeasurePeriod
			// would reach from c, and S cannot grow.
			m = *first
		} else {
			m = timing.MeasurePeriod(ft, near, po)
		}
		if !m.OK {
			return m, false
		}
		var thinW time.Duration
		if s := significance(m.P); thinned && s >= 0.05 && s > bestScore {
			if mt := timing.MeasurePeriod(thin, near, po); mt.OK {
				mt.P = m.P
				m, thinW = mt, w
			}
		}
		if v := periodBeacon(m); v > bestScore {
			best, bestThin, bestScore = m, thinW, v
		}
		return m, true
	}
	burst := bursty(ft)
	// candidate measures c and, on a bursty pair, twice c when c misses
	// many beats but is significant (a half-beat search).
	candidate := func(c float64, first *timing.Period) {
		if m, ok := measure(c, first); ok && burst && m.MissedFrac >= 0.3 && significance(m.P) >= 0.05 {
			measure(2*c, nil)
		}
	}
	for i, q := range periods {
		if !q.OK {
			continue
		}
		var first *timing.Period
		if i == 0 {
			first = &periods[0]
		}
		candidate(q.Seconds, first)
	}
	// A long period hidden under bursts of lookups.
	const gap = 512 * time.Second
	if f := periods[0]; burst && f.OK && f.Seconds < 4*gap.Seconds() {
		thin = thinBursts(thin[:0], ft, int64(gap))
		if len(thin) >= timing.MinPeriodEvents && float64(len(thin)) <= 0.9*float64(len(ft)) {
			o := po
			o.Min = max(o.Min, 4*gap)
			if q := timing.DetectPeriod(thin, o); q.OK {
				candidate(q.Seconds, nil)
			}
		}
	}
	if bestScore < 0 {
		return periods[0], 0
	}
	return best, bestThin
}

// bursty reports whether at least a quarter of the gaps of the sorted
// times are shorter than a tenth of their mean, where a Poisson process
// has 1 − e^−0.1 ≈ 9.5 % and a timer none: lookups come in bursts.
func bursty(times []int64) bool {
	n := len(times) - 1
	if n < 1 {
		return false
	}
	short := (times[n] - times[0]) / int64(10*n)
	k := 0
	for i := 1; i <= n; i++ {
		if times[i]-times[i-1] < short {
			k++
		}
	}
	return 4*k >= n
}

// remeasureBuf holds remeasure's buffers between calls.
type remeasureBuf struct {
	folded, thin []int64
	seen         []float64
}

var remeasurePool = sync.Pool{New: func() any { return new(remeasureBuf) }}

// thinBursts appends to dst the sorted times whose gap to their predecessor
// exceeds w nanoseconds, and the first.
func thinBursts(dst, times []int64, w int64) []int64 {
	for i, t := range times {
		if i == 0 || t-times[i-1] > w {
			dst = append(dst, t)
		}
	}
	return dst
}

// truncateTimes returns times with each truncated to a multiple of res
// nanoseconds (floor, so 1.9 s becomes 1 s and −0.1 s becomes −1 s): times
// itself when res ≤ 1 or every time is already a multiple, else a copy.
func truncateTimes(times []int64, res int64) []int64 {
	if res <= 1 {
		return times
	}
	for i, t := range times {
		if t%res == 0 {
			continue
		}
		out := make([]int64, len(times))
		copy(out, times[:i])
		for j := i; j < len(times); j++ {
			out[j] = floorDiv(times[j], res) * res
		}
		return out
	}
	return times
}

// cacheGated reports whether the pair's regularity is what a cache in front
// of intermittent use produces: timing finds the gaps floored at the TTL
// with activity in sessions, and the period is within [0.95, 1.3] of the
// TTL (when the TTL is known) or of the floor of the gaps.
func cacheGated(r *timing.Result, per timing.Period, ttl time.Duration) bool {
	if !r.Cache.Gated {
		return false
	}
	ref := ttl.Seconds()
	if ref <= 0 {
		ref = r.Cache.TTL.Seconds()
	}
	if ref <= 0 {
		return false
	}
	ratio := per.Seconds / ref
	return ratio >= 0.95 && ratio <= 1.3
}

func fmtTTL(given, estimated time.Duration) string {
	if given > 0 {
		return given.String()
	}
	return "≈" + estimated.String() + ", estimated from the floor of the gaps"
}

// pairCaveats lists what a pair's data cannot rule out.
func pairCaveats(s *Score, r *timing.Result) []string {
	var c []string
	if s.TTL == 0 && r.Period.OK {
		c = append(c, "no TTL known for this pair: a cache with a TTL near the period would produce the same regularity")
	}
	if r.Persistence.Days < 3 {
		c = append(c, fmt.Sprintf("the activity spans %d day(s): too short to judge a daily or weekly rhythm", r.Persistence.Days))
	}
	if s.Truncated {
		c = append(c, fmt.Sprintf("only the earliest %d of %d events were kept", len(s.Times), s.Events))
	}
	return c
}

// bestZone returns the zone among zones (DefaultZones when nil) whose
// working week (Monday–Friday 09–18) holds the largest share of the
// events, with an evidence line; ties go to the earlier zone (UTC first).
func bestZone(times []int64, zones []*time.Location) (*time.Location, string) {
	if zones == nil {
		zones = DefaultZones
	}
	if len(zones) == 0 || len(times) == 0 {
		return time.UTC, ""
	}
	var slots weekSlots
	slots.count(times)
	best, bestShare, utcShare := zones[0], -1.0, -1.0
	for _, z := range zones {
		share, ok := slots.businessShare(z)
		if !ok {
			share = businessShare(times, z)
		}
		if z == time.UTC || z.String() == "UTC" {
			utcShare = share
		}
		if share > bestShare+1e-9 {
			best, bestShare = z, share
		}
	}
	note := fmt.Sprintf("best-fitting zone %s: %s of events on weekdays 09–18 there", best, fmtPct(bestShare))
	if utcShare >= 0 && best.String() != "UTC" {
		note += fmt.Sprintf(" (%s in UTC)", fmtPct(utcShare))
	}
	return best, note
}

// businessShare is the share of times on Monday–Friday 09:00–18:00 in loc.
// It reads the times zoneSampleStep picks, so that it stays cheap.
//
// The local time of each read time is its Unix second plus the zone's
// offset, the offset being looked up once per zone period (as
// time.Time.In does per call): for sorted times that is one lookup per
// daylight-saving transition instead of one per time, with the same
// weekday and hour as time.Time.In gives.
func businessShare(times []int64, loc *time.Location) float64 {
	step := zoneSampleStep(len(times))
	n, in := 0, 0
	var z zoneCache
	for i := 0; i < len(times); i += step {
		sec := floorDiv(times[i], 1e9)
		// Seconds since Monday 00:00 local: 1970-01-01 was a Thursday,
		// three days after a Monday.
		w := floorMod(sec+z.offset(sec, loc)+3*86400, 7*86400)
		n++
		if sod := w % 86400; w < 5*86400 && sod >= timing.BusinessStart*3600 && sod < timing.BusinessEnd*3600 {
			in++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(in) / float64(n)
}

// zoneSampleStep is the stride of the times businessShare and weekSlots
// read: every time when there are fewer than 8192, else every ⌊n/4096⌋-th
// (4096 to 8191 times, evenly spaced).
func zoneSampleStep(n int) int { return max(1, n/4096) }

// weekSlots counts the times businessShare reads by their quarter hour of
// the UTC week (Monday 00:00–00:15 is slot 0). Every zone offset in
// DefaultZones is a whole number of quarter hours, and so are the bounds of
// the working day, so for a zone whose offset does not change over the
// times the share of business hours follows from the counts: one pass over
// the times serves all the zones.
type weekSlots struct {
	cum            [weekQuarters + 1]int32 // cum[s]: times in slots before s
	n              int
	minSec, maxSec int64
}

const weekQuarters = 7 * 24 * 4

// count fills s from the times businessShare reads (the same sample).
func (s *weekSlots) count(times []int64) {
	var hist [weekQuarters]int32
	step := zoneSampleStep(len(times))
	s.minSec, s.maxSec = math.MaxInt64, math.MinInt64
	for i := 0; i < len(times); i += step {
		sec := floorDiv(times[i], 1e9)
		s.minSec, s.maxSec = min(s.minSec, sec), max(s.maxSec, sec)
		hist[floorMod(sec+3*86400, 7*86400)/900]++
		s.n++
	}
	for i, c := range hist {
		s.cum[i+1] = s.cum[i] + c
	}
}

// businessShare returns the share of the counted times on Monday–Friday
// 09:00–18:00 in loc, and false when the counts cannot tell: no times, an
// offset that changes between the first and the last time, or one that is
// not a whole number of quarter hours.
func (s *weekSlots) businessShare(loc *time.Location) (float64, bool) {
	if s.n == 0 {
		return 0, false
	}
	t := time.Unix(s.minSec, 0).In(loc)
	_, off := t.Zone()
	if start, end := t.ZoneBounds(); off%900 != 0 || (!start.IsZero() && start.Unix() > s.minSec) || (!end.IsZero() && end.Unix() <= s.maxSec) {
		return 0, false
	}
	// Local slot l holds UTC slot l − k.
	k := off / 900
	in := 0
	for d := range 5 {
		in += s.between(96*d+4*timing.BusinessStart-k, 4*(timing.BusinessEnd-timing.BusinessStart))
	}
	return float64(in) / float64(s.n), true
}

// between counts the times in the n slots from slot a (mod the week).
func (s *weekSlots) between(a, n int) int {
	a = int(floorMod(int64(a), weekQuarters))
	if a+n <= weekQuarters {
		return int(s.cum[a+n] - s.cum[a])
	}
	return int(s.cum[weekQuarters]-s.cum[a]) + int(s.cum[a+n-weekQuarters])
}

// zoneCache remembers the offset of one zone period of a location: the
// Unix seconds [start, end) where it holds.
type zoneCache struct {
	start, end, off int64
	ok              bool
}

// offset returns the offset from UTC, in seconds, of loc at Unix second sec.
func (z *zoneCache) offset(sec int64, loc *time.Location) int64 {
	if !z.ok || sec < z.start || sec >= z.end {
		t := time.Unix(sec, 0).In(loc)
		_, off := t.Zone()
		s, e := t.ZoneBounds()
		z.off = int64(off)
		z.start, z.end = math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			z.start = s.Unix()
		}
		if !e.IsZero() {
			z.end = e.Unix()
		}
		z.ok = true
	}
	return z.off
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// beaconLabelMin is the beacon score from which a pair's events are
// labelled on or off the beat and its human rhythm is judged on the events
// off the beat.
const beaconLabelMin = 0.25

// humanScore is D · (½ + ½·W) of a rhythm (see scorePair).
func humanScore(r timing.Rhythm) float64 {
	if r.N < timing.MinPeriodEvents {
		return 0
	}
	day := clamp01(log10p(r.Day.P) / 10)
	week := clamp01(r.Weekday - r.Weekend)
	return day * (0.5 + 0.5*week)
}

// periodBeacon is S · R · C of one period (see scorePair).
func periodBeacon(p timing.Period) float64 {
	if !p.OK {
		return 0
	}
	sig := significance(p.P)
	reg := clamp01((p.Score + p.OnBeat) / 2)
	cont := clamp01((0.8 - p.MissedFrac) / 0.3)
	return sig * reg * cont
}

// significance is S = min(1, −log10(P) / 10) (see scorePair).
func significance(p float64) float64 { return clamp01(log10p(p) / 10) }

// verdict classifies a scored pair once its q-value is known.
func verdict(s *Score, opts *Options) Verdict {
	return verdictOf(s.Features.Folded, s.Q, s.Beacon, s.Human, s.CacheGated, s.offBeat, opts)
}

// verdictOf is the verdict of a pair with folded events after folding,
// q-value q, scores beacon and human, cache gating and offBeat events off
// the beat: insufficient below the fewest events; beacon when the period
// is significant (q ≤ Alpha) and regular (Beacon ≥ 0.25) and not
// explained by a cache; mixed when, besides, the events off the beat
// (at least MinPeriodEvents of them) follow a human rhythm (Human ≥ 0.3);
// human when only that holds; aperiodic otherwise.
func verdictOf(folded int, q, beacon, human float64, cacheGated bool, offBeat int, opts *Options) Verdict {
	if folded < max(opts.MinEvents, timing.MinPeriodEvents) {
		return VerdictInsufficient
	}
	periodic := q <= opts.alpha() && beacon >= beaconLabelMin && !cacheGated
	humanLike := human >= 0.3
	switch {
	case periodic && offBeat >= timing.MinPeriodEvents && humanLike:
		return VerdictMixed
	case periodic:
		return VerdictBeacon
	case humanLike:
		return VerdictHuman
	}
	return VerdictAperiodic
}
