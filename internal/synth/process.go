package synth

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"time"
)

// Window is the span a process runs in, [Start, End), and the zone its
// clock-time rules (office hours, daily times, human profiles) use.
type Window struct {
	Start, End time.Time
	// Zone is the local zone of the client; nil means UTC.
	Zone *time.Location
}

func (w Window) zone() *time.Location {
	if w.Zone == nil {
		return time.UTC
	}
	return w.Zone
}

// Target is who looks up what: the events a process makes carry these
// fields.
type Target struct {
	Client netip.Addr
	Server netip.Addr
	// Names are the names the process looks up; periodic processes use
	// Names[0], people and noise all of them. A Target without names makes
	// no events.
	Names []string
	// TTL is the TTL of the answers, in seconds.
	TTL uint32
}

func (t Target) event(ns int64, name string, l Label) Event {
	return Event{Time: time.Unix(0, ns).UTC(), Client: t.Client, Server: t.Server, Name: name, Type: TypeA, TTL: t.TTL, Label: l}
}

// uniform returns a number drawn uniformly from [a, b).
func uniform(rng *rand.Rand, a, b float64) float64 { return a + (b-a)*rng.Float64() }

// Hours is a daily span of local clock hours, [From, To), on weekdays
// (Monday to Friday) and, with Weekends, on every day.
type Hours struct {
	From, To int
	Weekends bool
}

// Office is Monday to Friday, 09:00 to 18:00.
var Office = Hours{From: 9, To: 18}

// spans returns the [from, to) spans, in Unix nanoseconds, that h covers
// within w, in order.
func (h Hours) spans(w Window) [][2]int64 {
	loc := w.zone()
	var out [][2]int64
	s := w.Start.In(loc)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
	for ; day.Before(w.End); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		if wd := day.Weekday(); !h.Weekends && (wd == time.Saturday || wd == time.Sunday) {
			continue
		}
		from := time.Date(day.Year(), day.Month(), day.Day(), h.From, 0, 0, 0, loc)
		to := time.Date(day.Year(), day.Month(), day.Day(), h.To, 0, 0, 0, loc)
		if from.Before(w.Start) {
			from = w.Start
		}
		if to.After(w.End) {
			to = w.End
		}
		if from.Before(to) {
			out = append(out, [2]int64{from.UnixNano(), to.UnixNano()})
		}
	}
	return out
}

// BeaconParams are the parameters of a beacon.
type BeaconParams struct {
	// Period is the configured period P; a Period under one millisecond
	// makes no events.
	Period time.Duration
	// Jitter is the jitter fraction j, clamped to [0, 0.9], applied as
	// Model says.
	Jitter float64
	Model  JitterModel
	// Missed is the probability m that a beat is dropped (the host was
	// off-line, the request failed), clamped to [0, 0.95].
	Missed float64
	// Hours, when not nil, limits the beacon to those local hours: the host
	// is only on then. In each span the beacon starts U(0, P) after the span
	// opens and beats until it closes.
	Hours *Hours
}

// Beacon returns the lookups of a periodic process: beats of t.Names[0]
// spaced as p.Model says (see JitterModel), starting U(0, P) after w.Start
// (or after each span of p.Hours), each dropped independently with
// probability p.Missed. Events are labelled Periodic and sorted.
func Beacon(rng *rand.Rand, w Window, t Target, p BeaconParams) []Event {
	if len(t.Names) == 0 || p.Period < time.Millisecond {
		return nil
	}
	j := min(max(p.Jitter, 0), 0.9)
	m := min(max(p.Missed, 0), 0.95)
	P := float64(p.Period)
	spans := [][2]int64{{w.Start.UnixNano(), w.End.UnixNano()}}
	if p.Hours != nil {
		spans = p.Hours.spans(w)
	}
	var out []Event
	emit := func(ns int64) {
		if m > 0 && rng.Float64() < m {
			return
		}
		out = append(out, t.event(ns, t.Names[0], Periodic))
	}
	for _, sp := range spans {
		t0 := float64(sp[0]) + rng.Float64()*P
		switch p.Model {
		case Scheduled:
			for k := 0; ; k++ {
				base := t0 + float64(k)*P
				if base-j*P >= float64(sp[1]) {
					break
				}
				if ns := base + uniform(rng, -j, j)*P; ns >= float64(sp[0]) && ns < float64(sp[1]) {
					emit(int64(ns))
				}
			}
		default:
			for ns := t0; ns < float64(sp[1]); {
				emit(int64(ns))
				if p.Model == OneSided {
					ns += P * (1 - uniform(rng, 0, j))
				} else {
					ns += P * (1 + uniform(rng, -j, j))
				}
			}
		}
	}
	SortEvents(out)
	return out
}

// DailyParams are the parameters of a daily job.
type DailyParams struct {
	// Hour and Minute are the local clock time of the job.
	Hour, Minute int
	// Spread s moves each run by U(−s, s).
	Spread time.Duration
	// Missed is the probability that a day's run is dropped.
	Missed float64
}

// Daily returns the lookups of a job run once a day at a fixed local clock
// time (so 24 h apart, 23 h or 25 h across a daylight-saving change), each
// run moved by U(−Spread, Spread) and dropped with probability Missed.
// Events are labelled Periodic and sorted.
func Daily(rng *rand.Rand, w Window, t Target, p DailyParams) []Event {
	if len(t.Names) == 0 {
		return nil
	}
	loc := w.zone()
	s := w.Start.In(loc).AddDate(0, 0, -1)
	var out []Event
	for day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc); !day.After(w.End); day = day.AddDate(0, 0, 1) {
		at := time.Date(day.Year(), day.Month(), day.Day(), p.Hour, p.Minute, 0, 0, loc)
		ns := at.UnixNano() + int64(uniform(rng, -1, 1)*float64(p.Spread))
		if p.Missed > 0 && rng.Float64() < p.Missed {
			continue
		}
		if ns >= w.Start.UnixNano() && ns < w.End.UnixNano() {
			out = append(out, t.event(ns, t.Names[0], Periodic))
		}
	}
	SortEvents(out)
	return out
}

// Poisson returns the lookups of a homogeneous Poisson process of perHour
// events an hour, round the clock: gaps are exponential with mean
// 1/perHour hours. Each event looks up one of t.Names chosen uniformly.
// Events are labelled Noise and sorted. A rate that is not positive, or
// above one a microsecond, makes no events.
func Poisson(rng *rand.Rand, w Window, t Target, perHour float64) []Event {
	mean := float64(time.Hour) / perHour
	if len(t.Names) == 0 || !(perHour > 0) || !(mean >= 1e3) {
		return nil
	}
	var out []Event
	end := float64(w.End.UnixNano())
	for ns := float64(w.Start.UnixNano()) + rng.ExpFloat64()*mean; ns < end; ns += rng.ExpFloat64() * mean {
		out = append(out, t.event(int64(ns), t.Names[rng.IntN(len(t.Names))], Noise))
	}
	return out
}

// Profile is the relative intensity of a person's activity in each hour of
// the week, in local time, Monday 00:00–01:00 first. Only ratios matter.
type Profile [168]float64

// OfficeProfile is an office worker: weekdays 09–17 at weight 1 (0.6 over
// lunch, 12–13), ramping up 07–09 and down 17–19, an evening at 0.35
// (19–23), weekends at 0.3 from 10 to 23, nights at 0.02.
func OfficeProfile() Profile {
	var p Profile
	weekday := [24]float64{0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.2, 0.6, 1, 1, 1, 0.6, 1, 1, 1, 1, 0.7, 0.4, 0.35, 0.35, 0.35, 0.35, 0.1}
	weekend := [24]float64{0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.1, 0.1, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.1}
	for d := range 7 {
		src := weekday
		if d >= 5 {
			src = weekend
		}
		copy(p[d*24:], src[:])
	}
	return p
}

// shiftProfile puts weight 1 on 8-hour shifts starting at the given local
// hour on the given days (0 is Monday; a shift may run into the next day,
// and Sunday's into Monday) and 0.05 everywhere else.
func shiftProfile(start map[int]int) Profile {
	var p Profile
	for i := range p {
		p[i] = 0.05
	}
	for d, h := range start {
		for k := range 8 {
			p[(d*24+h+k)%168] = 1
		}
	}
	return p
}

// NightShiftProfile is a night worker: shifts 22:00–06:00 starting Monday
// to Friday, weight 1 on shift and 0.05 otherwise.
func NightShiftProfile() Profile {
	return shiftProfile(map[int]int{0: 22, 1: 22, 2: 22, 3: 22, 4: 22})
}

// RotatingProfile is a worker on a 2-2-3 rotation: early shifts (06–14) on
// Monday and Tuesday, late shifts (14–22) on Wednesday and Thursday, night
// shifts (22–06) from Friday to Sunday; weight 1 on shift, 0.05 otherwise.
func RotatingProfile() Profile {
	return shiftProfile(map[int]int{0: 6, 1: 6, 2: 14, 3: 14, 4: 22, 5: 22, 6: 22})
}

// BrowseParams are the parameters of a person browsing one site.
type BrowseParams struct {
	// Profile weights session starts by local hour of the week.
	Profile Profile
	// Rate is the expected number of sessions an hour at weight 1; 0
	// means 1.
	Rate float64
}

// Browse returns the lookups of a person visiting the site whose names are
// t.Names (t.Names[0] is the page, the others its resources):
//
//   - Sessions start as a non-homogeneous Poisson process of intensity
//     λ(t) = Rate·Profile[hour of week of t in w.Zone], drawn by thinning.
//   - A session has V page views, P(V ≥ v) = v^(−1.3) (Pareto, α = 1.3,
//     capped at 200), and lasts D, log-normal with median 4 min and σ = 1.2
//     (capped at 2 h).
//   - Page views within a session are bursty: the V−1 gaps are Pareto
//     (α = 1.2) draws scaled to add up to D.
//   - Each page view looks up t.Names[0] and, with probability ½ each, the
//     other names, U(0, 400 ms) later.
//
// Events are labelled Human and sorted. No cache is modelled; wrap the
// result in Cache for a stub cache. Profile weights that are not positive
// (or NaN) mean no activity; a peak intensity above one session a
// microsecond makes no events.
func Browse(rng *rand.Rand, w Window, t Target, p BrowseParams) []Event {
	if len(t.Names) == 0 {
		return nil
	}
	rate := p.Rate
	if !(rate > 0) {
		rate = 1
	}
	wmax := 0.0
	for _, x := range p.Profile {
		wmax = max(wmax, x)
	}
	if !(wmax > 0) {
		return nil
	}
	loc := w.zone()
	mean := float64(time.Hour) / (rate * wmax)
	if !(mean >= 1e3) {
		return nil
	}
	end := w.End.UnixNano()
	var out []Event
	var gaps []float64
	for ns := float64(w.Start.UnixNano()); ; {
		ns += rng.ExpFloat64() * mean
		if ns >= float64(end) {
			break
		}
		lt := time.Unix(0, int64(ns)).In(loc)
		how := (int(lt.Weekday())+6)%7*24 + lt.Hour()
		if !(rng.Float64()*wmax < p.Profile[how]) {
			continue
		}
		views := min(int(math.Pow(1-rng.Float64(), -1/1.3)), 200)
		dur := min(240*math.Exp(1.2*rng.NormFloat64()), 7200) * 1e9
		gaps = gaps[:0]
		sum := 0.0
		for range views - 1 {
			g := math.Pow(1-rng.Float64(), -1/1.2)
			gaps = append(gaps, g)
			sum += g
		}
		v := ns
		for i := range views {
			if i > 0 {
				v += gaps[i-1] / sum * dur
			}
			if int64(v) >= end {
				break
			}
			out = append(out, t.event(int64(v), t.Names[0], Human))
			for _, name := range t.Names[1:] {
				if rng.Float64() < 0.5 {
					if r := int64(v + uniform(rng, 0, 0.4e9)); r < end {
						out = append(out, t.event(r, name, Human))
					}
				}
			}
		}
	}
	SortEvents(out)
	return out
}

// Cache models a stub cache with the given TTL in front of the events,
// which must be sorted by time: for each (client, name, type), a lookup
// reaches the log only when no cached answer is live, that is at the first
// request at or after the expiry of the previous logged one; it is then
// cached for ttl. Logged events get TTL = ttl (in whole seconds). The
// result is a new slice; a ttl ≤ 0 copies events unchanged.
func Cache(events []Event, ttl time.Duration) []Event {
	out := make([]Event, 0, len(events))
	if ttl <= 0 {
		return append(out, events...)
	}
	type key struct {
		client netip.Addr
		name   string
		typ    uint16
	}
	expiry := make(map[key]time.Time)
	for _, e := range events {
		k := key{e.Client, e.Name, e.Type}
		if exp, ok := expiry[k]; ok && e.Time.Before(exp) {
			continue
		}
		expiry[k] = e.Time.Add(ttl)
		e.TTL = uint32(ttl / time.Second)
		out = append(out, e)
	}
	return out
}
