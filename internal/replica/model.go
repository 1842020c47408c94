package replica

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"
)

// Parameters of the request model. Each organisation has one request process: on each
// day d and each clock hour h (in the organisation's zone) a working session
// happens with probability
//
//	p(d, h) = min(1, s · w(d) · o(h))
//
// where w(d) is the day's weight shared by both organisations (weekday 1,
// weekend WeekendWeight, 0 in a quiet spell, times exp(DayJitter·Z) with Z
// standard normal drawn once per day, so that the two organisations' busy
// and slack days coincide), o(h) is OfficeHours[h], and s is a scale found
// by bisection so that the cache model below yields the published count.
// On spike days w(d) is SpikeWeight and o(h) is raised to at least
// SpikeFloor, so work runs on into the evening and night.
//
// A session starts StartMean (exponential mean) after the full hour, lasts
// SessionMin plus an exponential of mean SessionMean (at most one hour), and
// issues requests at gamma-distributed spacings of mean RequestSpacing. A
// resolver asks the authoritative servers at the first request that finds
// its cache empty and then answers from the cache for TTL: gaps between
// lookups are TTL plus the wait for the next request, and lookups cluster
// a few minutes after the full hour when sessions start there.
//
// The bank's requests go to both of its resolvers (the second a few seconds
// after the first), except for a share BankOneSided that reaches only one of
// them, so the two resolvers mostly ask in lock-step. When the process gives
// more lookups than published, the excess is removed at random and stands for
// lookups that no server logged.
//
// These are the parameters of the project's copy; changing them changes the
// replica (and TestGolden then fails until testdata/tealeaves is rebuilt).
var (
	// OfficeHours is o(h): the relative chance of a session in each local
	// clock hour, highest in office hours.
	OfficeHours = [24]float64{
		0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.20, // 00–07
		0.60, 1, 1, 1, 1, 1, 1, 1, // 08–15
		1, 1, 0.70, 0.45, 0.30, 0.20, 0.10, 0.05, // 16–23
	}
	// WeekendWeight is w(d) on Saturdays and Sundays before jitter.
	WeekendWeight = 0.45
	// DayJitter is the standard deviation of the day weight's log.
	DayJitter = 0.3
	// SpikeWeight is w(d) on a spike day before jitter, and SpikeFloor the
	// least o(h) on a spike day.
	SpikeWeight = 3.0
	SpikeFloor  = 0.6
)

// Session shape.
const (
	// StartMean is the mean (exponential) delay of a session's first
	// request after the full hour.
	StartMean = 2 * time.Minute
	// SessionMin and SessionMean give a session's length: SessionMin plus
	// an exponential of mean SessionMean, at most one hour.
	SessionMin  = 15 * time.Minute
	SessionMean = 35 * time.Minute
	// RequestSpacing is the mean time between a session's requests, and
	// SpacingShape the shape of their gamma distribution (a person's
	// rhythm is more regular than a Poisson process).
	RequestSpacing = 9 * time.Minute
	SpacingShape   = 4
	// BankOneSided is the share of the bank's requests that reach only one
	// of its two resolvers; BankLag bounds the delay of the second one.
	BankOneSided = 0.03
	BankLag      = 4 * time.Second
	// FollowLookups is the number of lookups of FollowName by each bank
	// resolver after LastLookup.
	FollowLookups = 3
)

// Random streams: one PCG stream per part of the model, so that the parts do
// not disturb each other.
const (
	streamDays = iota + 1
	streamBank
	streamHealth
	streamThin
	streamOthers
	streamFollow
	streamServers
	streamZeek
)

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// lookup is one query by one resolver, before the servers log it.
type lookup struct {
	t      int64 // Unix seconds
	res    netip.Addr
	name   string
	forced bool // part of the published ending: never thinned, never spread
}

func lookupOrder(a, b lookup) int {
	return cmp.Or(cmp.Compare(a.t, b.t), a.res.Compare(b.res), cmp.Compare(a.name, b.name))
}

// numDays is the number of days from Start to the day of LastLookup.
func numDays() int { return int(day(LastLookup).Sub(Start)/(24*time.Hour)) + 1 }

func quiet(d time.Time) bool {
	for _, s := range QuietSpells {
		if s.Contains(d) {
			return true
		}
	}
	return false
}

func spike(d time.Time) bool {
	for _, s := range SpikeDays {
		if s.Equal(day(d)) {
			return true
		}
	}
	return false
}

type dayInfo struct {
	date   time.Time
	weight float64
	spike  bool
}

func dayWeights(seed uint64) []dayInfo {
	r := newRand(seed, streamDays)
	days := make([]dayInfo, numDays())
	for i := range days {
		d := Start.AddDate(0, 0, i)
		z := r.NormFloat64()
		w := 1.0
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w = WeekendWeight
		}
		if spike(d) {
			w = SpikeWeight
		}
		if quiet(d) {
			w = 0
		}
		days[i] = dayInfo{date: d, weight: w * math.Exp(DayJitter*z), spike: spike(d)}
	}
	return days
}

// request is one request behind an organisation's resolvers. For the bank,
// route says which resolvers it reaches (0 both, 1 only A, 2 only B) and lag
// is the second resolver's delay and bFirst says whether BankResolverB asks first.
type request struct {
	t      int64
	route  uint8
	bFirst bool
	lag    int64
}

// slot is one possible session: u decides whether it happens.
type slot struct {
	u    float64
	o    float64 // OfficeHours or SpikeFloor
	w    float64 // day weight
	reqs []request
}

// drawSlots draws every possible session of an organisation whose office
// hours are in loc, whether it happens or not, so that the scale can be
// searched over the same random numbers.
func drawSlots(r *rand.Rand, days []dayInfo, loc *time.Location) []slot {
	exp := func(mean time.Duration) float64 { return r.ExpFloat64() * mean.Seconds() }
	spacing := func() float64 {
		var x float64
		for range SpacingShape {
			x += exp(RequestSpacing / SpacingShape)
		}
		return x
	}
	var slots []slot
	for _, di := range days {
		// Local clock hours whose start falls on this UTC day.
		for h := range 24 {
			start := di.date.Add(time.Duration(h) * time.Hour)
			lh := start.In(loc).Hour()
			o := OfficeHours[lh]
			if di.spike {
				o = max(o, SpikeFloor)
			}
			s := slot{u: r.Float64(), o: o, w: di.weight}
			t0 := float64(start.Unix()) + min(exp(StartMean), 3000)
			end := t0 + min(SessionMin.Seconds()+exp(SessionMean), 3600)
			for t := t0; t < end; t += spacing() {
				q := request{t: int64(t)}
				if quiet(time.Unix(q.t, 0)) {
					break
				}
				if r.Float64() < BankOneSided {
					q.route = 1 + uint8(r.IntN(2))
				}
				q.bFirst = r.IntN(2) == 1
				q.lag = r.Int64N(int64(BankLag/time.Second) + 1)
				s.reqs = append(s.reqs, q)
			}
			slots = append(slots, s)
		}
	}
	return slots
}

// cache answers for TTL after each lookup.
type cache struct{ expires int64 }

func (c *cache) ask(t int64) bool {
	if t < c.expires {
		return false
	}
	c.expires = t + int64(TTL/time.Second)
	return true
}

// bankLookups runs the bank's requests with scale s through its two
// resolvers' caches. Requests at or after cut are dropped.
func bankLookups(slots []slot, s float64, cut int64) []lookup {
	var a, b cache
	var out []lookup
	for _, sl := range slots {
		if sl.u >= min(1, s*sl.w*sl.o) {
			continue
		}
		for _, q := range sl.reqs {
			if q.t >= cut {
				break
			}
			ta, tb := q.t, q.t+q.lag
			if q.bFirst {
				ta, tb = tb, ta
			}
			if q.route != 2 && a.ask(ta) {
				out = append(out, lookup{t: ta, res: BankResolverA, name: MailHost})
			}
			if q.route != 1 && b.ask(tb) {
				out = append(out, lookup{t: tb, res: BankResolverB, name: MailHost})
			}
		}
	}
	return out
}

// healthLookups runs the health system's requests through its resolver.
func healthLookups(slots []slot, s float64, cut int64) []lookup {
	var c cache
	var out []lookup
	for _, sl := range slots {
		if sl.u >= min(1, s*sl.w*sl.o) {
			continue
		}
		for _, q := range sl.reqs {
			if q.t >= cut {
				break
			}
			if c.ask(q.t) {
				out = append(out, lookup{t: q.t, res: HealthResolver, name: MailHost})
			}
		}
	}
	return out
}

// errUnreachable reports a model that cannot give the published counts.
var errUnreachable = errors.New("replica: the request model cannot reach the published count")

// calibrate finds the least scale in (0, 64] whose lookups number at least
// want, by bisection, and returns those lookups.
func calibrate(run func(s float64) []lookup, want int) ([]lookup, error) {
	lo, hi := 0.0, 64.0
	best := run(hi)
	if len(best) < want {
		return nil, fmt.Errorf("%w: %d < %d", errUnreachable, len(best), want)
	}
	for range 60 {
		mid := (lo + hi) / 2
		if got := run(mid); len(got) >= want {
			hi, best = mid, got
		} else {
			lo = mid
		}
	}
	return best, nil
}

// thin removes len(lk)-want lookups chosen at random.
func thin(r *rand.Rand, lk []lookup, want int) []lookup {
	drop := make([]bool, len(lk))
	for _, i := range r.Perm(len(lk))[:len(lk)-want] {
		drop[i] = true
	}
	out := lk[:0:0]
	for i, l := range lk {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

// simulate makes every lookup of the replica, sorted by lookupOrder.
func simulate(seed uint64) ([]lookup, error) {
	days := dayWeights(seed)
	last := LastLookup.Unix()

	// The bank: requests stop early enough on the last day for both caches
	// to have expired by the forced last lookups.
	bankCut := last - int64(TTL/time.Second) - 360
	bankSlots := drawSlots(newRand(seed, streamBank), days, BankZone)
	bank, err := calibrate(func(s float64) []lookup { return bankLookups(bankSlots, s, bankCut) }, BankLookups-2)
	if err != nil {
		return nil, fmt.Errorf("bank: %w", err)
	}
	healthSlots := drawSlots(newRand(seed, streamHealth), days, HealthZone)
	health, err := calibrate(func(s float64) []lookup { return healthLookups(healthSlots, s, last) }, HealthLookups)
	if err != nil {
		return nil, fmt.Errorf("health system: %w", err)
	}
	tr := newRand(seed, streamThin)
	all := thin(tr, bank, BankLookups-2)
	all = append(all, thin(tr, health, HealthLookups)...)

	// The ending: the run-on name, the last lookups in lock-step, then the
	// follow-up name.
	all = append(all,
		lookup{t: last - int64(RunOnLead/time.Second), res: BankResolverB, name: RunOnName, forced: true},
		lookup{t: last - 1, res: BankResolverA, name: MailHost, forced: true},
		lookup{t: last, res: BankResolverB, name: MailHost, forced: true},
	)
	fr := newRand(seed, streamFollow)
	t := last + 120 + fr.Int64N(240)
	for range FollowLookups {
		lag := fr.Int64N(int64(BankLag/time.Second) + 1)
		all = append(all,
			lookup{t: t, res: BankResolverA, name: FollowName},
			lookup{t: t + lag, res: BankResolverB, name: FollowName})
		t += int64(TTL/time.Second) + 1 + int64(fr.ExpFloat64()*RequestSpacing.Seconds())
	}

	all = append(all, others(newRand(seed, streamOthers), days)...)
	slices.SortFunc(all, lookupOrder)
	return all, nil
}

// others places the handful of lookups by BankOther (in Moscow office hours
// on weekdays) and UnknownResolver (at any time of day, its owner and zone
// being unknown), each on distinct active days before the last day.
func others(r *rand.Rand, days []dayInfo) []lookup {
	var weekdays, active []time.Time
	for _, di := range days[:len(days)-1] {
		if di.weight == 0 {
			continue
		}
		active = append(active, di.date)
		if wd := di.date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			weekdays = append(weekdays, di.date)
		}
	}
	var out []lookup
	for _, i := range r.Perm(len(weekdays))[:BankOtherLookups] {
		d := weekdays[i]
		local := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, BankZone)
		t := local.Unix() + r.Int64N(8*3600)
		out = append(out, lookup{t: t, res: BankOther, name: MailHost})
	}
	for _, i := range r.Perm(len(active))[:UnknownLookups] {
		t := active[i].Unix() + r.Int64N(24*3600)
		out = append(out, lookup{t: t, res: UnknownResolver, name: MailHost})
	}
	return out
}
