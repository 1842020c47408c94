package nexus

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/netip"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnsnexus/dnsnexus/timing"
	"github.com/dnsnexus/dnsnexus/whois"
)

// Verdict is the class a pair is put in.
type Verdict string

// The verdicts.
const (
	// VerdictBeacon: a significant, regular period that persists and is not
	// explained by a cache in front of intermittent use.
	VerdictBeacon Verdict = "beacon"
	// VerdictHuman: no machine period; activity follows the clock of a
	// working day (time-of-day rhythm, sessions, bursts).
	VerdictHuman Verdict = "human"
	// VerdictMixed: a significant period explains part of the events, and
	// the rest follows a human rhythm.
	VerdictMixed Verdict = "mixed"
	// VerdictAperiodic: enough events, but neither a period nor a human
	// rhythm (e.g. Poisson-like machine traffic).
	VerdictAperiodic Verdict = "aperiodic"
	// VerdictInsufficient: too few events to say anything.
	VerdictInsufficient Verdict = "insufficient"
)

// Options configures Score. The zero value is the documented default.
type Options struct {
	// Location is the zone of the human rhythm (office hours, time of day).
	// nil means: fit the zone per pair among Zones and say which in the
	// evidence.
	Location *time.Location
	// Zones are the candidate zones when Location is nil; nil means
	// DefaultZones.
	Zones []*time.Location
	// TTL is the cache TTL in front of the clients, if known. Zero means:
	// use the largest answer TTL logged for the pair, if any.
	TTL time.Duration
	// Whois, when set, enriches pairs with the owner of the client address
	// and of the domain.
	Whois *whois.Table
	// MinEvents is the fewest events (after folding) a pair needs for a
	// verdict other than insufficient; 0 means timing.MinPeriodEvents.
	MinEvents int
	// Alpha is the false-discovery rate at which a period counts as
	// significant, applied to the Benjamini–Hochberg q-values across all
	// pairs scored together; 0 means 0.01.
	Alpha float64
	// Workers bounds the goroutines scoring pairs; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called from time to time with the number of
	// pairs scored so far and the total.
	Progress func(done, total int)
	// Stage, when set, is called by Analyze after each of its stages with
	// the stage's name and wall time: "pairs" (Collector.Pairs: sorting
	// and trimming the times), "score" (ScorePairs), "synchrony"
	// (Synchrony and Clusters) and "leaks" (SuffixLeaks).
	Stage func(name string, elapsed time.Duration)
	// Resolution is the clock resolution pairs are scored at: before the
	// timing analysis each pair's times are truncated to a multiple of it
	// (towards the past, as loggers with coarse stamps do), so that a log
	// with whole-second stamps and one with microsecond stamps of the same
	// lookups get the same scores. Zero means DefaultResolution; a negative
	// value keeps the logged precision. Score.Times (and so First and Last)
	// keep the logged times; Score.Labels are indexed like Score.Times.
	Resolution time.Duration
	// Timing is passed to timing.Analyze (its Location and TTL are set per
	// pair from the fields above, and a zero Period.Min means
	// DefaultMinPeriod). ScorePairs sets Timing.Serial when it scores
	// several pairs on several workers.
	Timing timing.Options
	// KeepTiming keeps each pair's full timing.Result in Score.Timing
	// (about 3 KB per pair); otherwise only the figures in Score are kept.
	KeepTiming bool
}

// DefaultMinPeriod is the shortest period nexus searches unless
// Options.Timing.Period.Min says otherwise. Below it, DNS logs cannot show a
// timer reliably: many logs stamp whole seconds, lookups closer than 2 s are
// folded (A/AAAA twins, retries), and a click stream has gaps of a few
// seconds at every scale.
const DefaultMinPeriod = 10 * time.Second

// DefaultResolution is the clock resolution nexus scores at unless
// Options.Resolution says otherwise. Many DNS logs stamp whole seconds, and
// at the periods nexus searches (DefaultMinPeriod and up) a sub-second
// difference in a gap carries no evidence of its own, but it does decide
// whether two lookups 3 s apart are folded: scoring every log at one second
// keeps the verdicts independent of the logger's precision.
const DefaultResolution = time.Second

// resolution returns the resolution in nanoseconds, or 0 to keep the
// logged precision.
func (o *Options) resolution() int64 {
	switch {
	case o.Resolution < 0:
		return 0
	case o.Resolution == 0:
		return int64(DefaultResolution)
	}
	return int64(o.Resolution)
}

// DefaultZones are the zones tried when Options.Location is nil: UTC and
// one zone per few hours of offset around the world.
var DefaultZones = func() []*time.Location {
	var out []*time.Location
	for _, name := range []string{"UTC", "America/Los_Angeles", "America/Chicago", "America/New_York",
		"America/Sao_Paulo", "Europe/London", "Europe/Berlin", "Europe/Moscow", "Asia/Dubai",
		"Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney"} {
		if loc, err := time.LoadLocation(name); err == nil {
			out = append(out, loc)
		}
	}
	return out
}()

func (o *Options) alpha() float64 {
	if o.Alpha > 0 && o.Alpha < 1 {
		return o.Alpha
	}
	return 0.01
}

// Enrichment is what WHOIS says about a pair's client and domain.
type Enrichment struct {
	// Client network: the most specific record covering the address.
	Org, OrgID, NetName, Country, Source string
	Network                              netip.Prefix
	// Domain holder.
	Registrant, Registrar string
}

// Score is the assessment of one pair.
type Score struct {
	Pair
	// Beacon in [0, 1] measures machine periodicity; Human in [0, 1] measures
	// a human working rhythm. See Score for the formulas.
	Beacon, Human float64
	// Period is the period the Beacon score rests on (0 when none), with
	// its p-value P under the Poisson null, measured on all the pair's
	// folded lookups (by timing.MeasurePeriod, or by the period search
	// itself for a strongest period with P ≤ 1e-10), and its
	// Benjamini–Hochberg q-value Q across the pairs scored together. The
	// period was chosen on the same lookups, so P is approximate: over 3,000
	// pairs of Poisson lookups 1.2 % have P ≤ 0.01 and 6.0 % P ≤ 0.05
	// (TestPoissonPairsCalibrated). It is set even when it is not
	// significant or is explained by a cache (CacheGated): only the beacon
	// and mixed verdicts rest on it.
	Period time.Duration
	P, Q   float64
	// Verdict is the class; Evidence the figures behind it, most important
	// first; Caveats what the data cannot rule out.
	Verdict  Verdict
	Evidence []string
	Caveats  []string
	// Zone is the time zone the human rhythm was measured in.
	Zone string
	// Share is the pair's share of its domain's lookups.
	Share Share
	// CacheGated reports that the timing is explained by a cache with TTL
	// TTL in front of intermittent use.
	CacheGated bool
	TTL        time.Duration
	// Features are the figures the scores were built from.
	Features Features
	// Labels, for mixed pairs, say for each kept time whether it lies on the
	// period's beat (LabelPeriodic) or not (LabelClock).
	Labels []EventLabel
	// Enrichment holds WHOIS facts when a table was given.
	Enrichment Enrichment
	// Timing is the full timing profile when Options.KeepTiming is set.
	Timing *timing.Result

	offBeat int // events off the beat, when labelled
}

// EventLabel says which process an event of a mixed pair is attributed to.
type EventLabel uint8

// Event labels.
const (
	LabelClock    EventLabel = iota // time-of-day driven (not on the beat)
	LabelPeriodic                   // on the period's beat
)

// Features are the timing figures a pair's scores are computed from; all
// finite.
type Features struct {
	Events, Folded int
	// PeriodP is the period's p-value; PeriodScore the comb score in [−2, 1];
	// OnBeat the share of gaps on the beat; Missed the share of missed
	// beats; Jitter the relative jitter; Extra the share of events off the
	// beat. All but PeriodP are of the lookups the period was measured on:
	// all folded lookups, or those left once bursts were set aside (see the
	// evidence).
	PeriodP, PeriodScore, OnBeat, Missed, Jitter, Extra float64
	// GapCV is the coefficient of variation of the gaps.
	GapCV float64
	// DayP is the Rayleigh p-value of the time of day; Business the share of
	// events Monday–Friday 09–18 in Zone; Night the share at 00–06;
	// Entropy the normalised entropy of the hour-of-day profile.
	DayP, Business, Night, Entropy float64
	// Burstiness is the finite-size corrected burstiness of the gaps.
	Burstiness float64
	// HourCoverage is the share of clock hours of the span with an event;
	// Active the share of the span inside sessions.
	HourCoverage, Active float64
	// TTLRatio is the period over the cache TTL (0 when either is unknown).
	TTLRatio float64
}

// Report is the result of scoring a set of pairs.
type Report struct {
	// Scores are the pairs, ranked: beacons by Beacon score, then mixed,
	// then human, aperiodic and insufficient.
	Scores []Score
	// Syncs are clients acting in lock-step on a domain, and Clusters their
	// groups.
	Syncs    []Sync
	Clusters []Cluster
	// Leaks are search-suffix leaks among the names seen.
	Leaks []Leak
	// Events and Dropped count the events collected and ignored.
	Events, Dropped int64
	// By is the grouping.
	By GroupBy
	// Caveats are the limits of what DNS logs can show, for the report.
	Caveats []string
}

// Analyze scores every pair of c and computes the cross-pair views. It
// stops early, returning ctx.Err(), when ctx is cancelled.
//
// Memory: the Report holds, per pair, a Score of about 1.5 KB (its figures
// and the sentences of its evidence and caveats) besides the pair's times,
// which it shares with c; the scoring goroutines need a few times the
// largest pair's kept events in scratch space each.
func Analyze(ctx context.Context, c *Collector, opts Options) (*Report, error) {
	start := time.Now()
	stage := func(name string) {
		if opts.Stage != nil {
			opts.Stage(name, time.Since(start))
		}
		start = time.Now()
	}
	pairs := c.Pairs()
	stage("pairs")
	scores, err := ScorePairs(ctx, pairs, opts)
	if err != nil {
		return nil, err
	}
	stage("score")
	r := &Report{
		Scores:  scores,
		Events:  c.Added(),
		Dropped: c.Dropped(),
		By:      c.By,
		Caveats: slices.Clone(GeneralCaveats),
	}
	r.Syncs = Synchrony(pairs, SyncOptions{})
	r.Clusters = Clusters(r.Syncs)
	stage("synchrony")
	r.Leaks = SuffixLeaks(c.Names())
	stage("leaks")
	return r, nil
}

// GeneralCaveats are the limits of DNS timing evidence that every report
// states.
var GeneralCaveats = []string{
	"DNS logs show lookups, not connections or messages: a lookup says a name was resolved, not what was sent.",
	"Resolvers cache answers: an authoritative server sees only cache misses, and a client behind a cache looks periodic at about the TTL.",
	"A client address is often a resolver serving many people and machines; a verdict is about the traffic it forwards, not about a person.",
	"Source addresses of UDP queries can be spoofed, and logs can be edited; the timing cannot authenticate them.",
	"A period proves a timer, not its purpose: update checks, monitoring and mail polling are periodic too.",
}

// ScorePairs scores pairs (each pair's Times sorted) on Options.Workers
// goroutines and returns them ranked. Q-values are computed across the
// given pairs.
func ScorePairs(ctx context.Context, pairs []Pair, opts Options) ([]Score, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > 1 && len(pairs) > 1 {
		// The pairs keep every worker busy: a second goroutine per
		// timing.Analyze call would only add its start-up cost.
		opts.Timing.Serial = true
	}
	shares := Shares(pairs)
	out := make([]Score, len(pairs))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if ctx.Err() != nil {
					return
				}
				i := int(next.Add(1) - 1)
				if i >= len(pairs) {
					return
				}
				out[i] = scorePair(&pairs[i], &opts)
				out[i].Share = shares[i]
				if n := done.Add(1); opts.Progress != nil && (n%1024 == 0 || int(n) == len(pairs)) {
					opts.Progress(int(n), len(pairs))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	finish(out, &opts)
	return out, nil
}

// finish computes q-values, verdicts and the ranking.
func finish(scores []Score, opts *Options) {
	ps := make([]float64, len(scores))
	for i := range scores {
		ps[i] = scores[i].P
	}
	qs := timing.BenjaminiHochberg(ps)
	for i := range scores {
		s := &scores[i]
		s.Q = qs[i]
		s.Verdict = verdict(s, opts)
		if s.Verdict != VerdictMixed {
			s.Labels = nil
		}
		if opts.Whois != nil {
			s.Enrichment = enrich(opts.Whois, s.Client, s.Domain)
		}
	}
	slices.SortStableFunc(scores, func(a, b Score) int {
		return rankKey{a.Verdict, a.Beacon, a.Human, a.Events, a.Client, a.Domain}.compare(
			rankKey{b.Verdict, b.Beacon, b.Human, b.Events, b.Client, b.Domain})
	})
}

// rankKey is what the ranking of scored pairs looks at.
type rankKey struct {
	verdict       Verdict
	beacon, human float64
	events        int64
	client        netip.Addr
	domain        string
}

// compare orders pairs by verdict (beacon, mixed, human, aperiodic,
// insufficient), then by Human for human pairs and Beacon for the
// others, descending, then by events, descending, then by client and
// domain.
func (a rankKey) compare(b rankKey) int {
	if c := cmp.Compare(verdictRank(a.verdict), verdictRank(b.verdict)); c != 0 {
		return c
	}
	ka, kb := a.beacon, b.beacon
	if a.verdict == VerdictHuman {
		ka, kb = a.human, b.human
	}
	if c := cmp.Compare(kb, ka); c != 0 {
		return c
	}
	if c := cmp.Compare(b.events, a.events); c != 0 {
		return c
	}
	if c := a.client.Compare(b.client); c != 0 {
		return c
	}
	return cmp.Compare(a.domain, b.domain)
}

func verdictRank(v Verdict) int {
	switch v {
	case VerdictBeacon:
		return 0
	case VerdictMixed:
		return 1
	case VerdictHuman:
		return 2
	case VerdictAperiodic:
		return 3
	}
	return 4
}

func enrich(t *whois.Table, client netip.Addr, domain string) Enrichment {
	var e Enrichment
	if r, ok := t.Lookup(client); ok {
		e.Org, e.OrgID, e.NetName, e.Country, e.Source = r.Org, r.OrgID, r.NetName, r.Country, r.Source
		for _, p := range r.Ranges {
			if p.Contains(client) && (!e.Network.IsValid() || p.Bits() > e.Network.Bits()) {
				e.Network = p
			}
		}
	}
	if r, ok := t.Domain(domain); ok {
		e.Registrant = r.Registrant.Org
		if e.Registrant == "" {
			e.Registrant = r.Registrant.Name
		}
		e.Registrar = r.Registrar
	}
	return e
}

// clamp01 limits x to [0, 1], mapping NaN to 0.
func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Min(1, x)
}

// log10p returns −log10(p) for p in (0, 1], capped at 300.
func log10p(p float64) float64 {
	if !(p > 1e-300) {
		return 300
	}
	return math.Min(300, -math.Log10(p))
}

func fmtPct(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }

// ShardJSON is a scored pair as a shard writes it for Rerank: the pair's
// PairJSON, and the exact figures the steps across pairs need. JSON keeps
// a float64 exactly (Go writes the shortest form that reads back to the
// same value), so merged shards get the same q-values, verdicts and
// ranking as one run over all the pairs; PairJSON's own figures are
// rounded to six digits, which could reorder near ties.
type ShardJSON struct {
	PairJSON
	Exact ExactJSON `json:"exact"`
}

// ExactJSON holds the unrounded figures of a scored pair: its p-value P
// (Score.P), its Beacon and Human scores, and OffBeat, the kept events
// off the period's beat (which decides mixed against beacon).
type ExactJSON struct {
	P       float64 `json:"p"`
	Beacon  float64 `json:"beacon"`
	Human   float64 `json:"human"`
	OffBeat int     `json:"off_beat"`
}

// ShardJSON returns the form of s that a shard writes for Rerank.
func (s *Score) ShardJSON() ShardJSON {
	return ShardJSON{PairJSON: s.JSON(), Exact: ExactJSON{P: s.P, Beacon: s.Beacon, Human: s.Human, OffBeat: s.offBeat}}
}

// Rerank merges scored pairs from several shards (each pair in exactly one
// shard, see Collector.Shards) and recomputes what depends on all the pairs
// together: each pair's share of its domain's lookups (Share,
// ClientsForDomain, DomainEvents), the Benjamini–Hochberg q-values over all
// the pairs' p-values, the verdicts (with opts.Alpha and opts.MinEvents,
// which must be those the shards were scored with), and the ranking of
// ScorePairs. The result is what scoring all the pairs in one run writes
// with Score.JSON: per-pair figures do not depend on the other pairs, so
// only these change. pairs is not modified.
//
// It fails when a pair appears twice, which happens when shards overlap,
// or when a client is not an IP address.
func Rerank(pairs []ShardJSON, opts Options) ([]PairJSON, error) {
	work := slices.Clone(pairs)
	order, err := RerankInPlace(work, opts)
	if err != nil {
		return nil, err
	}
	ranked := make([]PairJSON, len(order))
	for r, i := range order {
		ranked[r] = work[i].PairJSON
	}
	return ranked, nil
}

// RerankInPlace is Rerank without copies: it sets the shares, q-values
// and verdicts of pairs in place and returns the ranking as indexes into
// pairs, best first. It reads only each pair's Client, Domain, Events,
// Folded, CacheGated and Exact, so a caller short of memory can pass
// pairs with just these set (about 450 bytes each) and patch its full
// records afterwards.
func RerankInPlace(pairs []ShardJSON, opts Options) ([]int, error) {
	type domainTotal struct {
		events  int64
		clients int
	}
	totals := make(map[string]domainTotal)
	ps := make([]float64, len(pairs))
	keys := make([]rankKey, len(pairs))
	seen := make(map[clientName]struct{}, len(pairs))
	for i := range pairs {
		p := &pairs[i]
		client, err := netip.ParseAddr(p.Client)
		if err != nil {
			return nil, fmt.Errorf("nexus: rerank: pair %d: client: %w", i+1, err)
		}
		k := clientName{client, p.Domain}
		if _, dup := seen[k]; dup {
			return nil, fmt.Errorf("nexus: rerank: pair %s %s appears twice (do the shards overlap?)", p.Client, p.Domain)
		}
		seen[k] = struct{}{}
		t := totals[p.Domain]
		t.events += p.Events
		t.clients++
		totals[p.Domain] = t
		ps[i] = p.Exact.P
		keys[i] = rankKey{beacon: p.Exact.Beacon, human: p.Exact.Human, events: p.Events, client: client, domain: p.Domain}
	}
	qs := timing.BenjaminiHochberg(ps)
	for i := range pairs {
		j := &pairs[i].PairJSON
		t := totals[j.Domain]
		j.ClientsForDomain, j.DomainEvents = t.clients, t.events
		j.Share = 0
		if t.events > 0 {
			j.Share = num(float64(j.Events) / float64(t.events))
		}
		j.Q = num(qs[i])
		ex := &pairs[i].Exact
		keys[i].verdict = verdictOf(j.Folded, qs[i], ex.Beacon, ex.Human, j.CacheGated, ex.OffBeat, &opts)
		j.Verdict = string(keys[i].verdict)
	}
	order := make([]int, len(pairs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return keys[a].compare(keys[b]) })
	return order, nil
}
