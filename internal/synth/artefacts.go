package synth

import (
	"math/rand/v2"
	"net/netip"
	"time"
)

// Artefacts chooses the logging artefacts ApplyArtefacts adds. The zero
// value adds none.
type Artefacts struct {
	// AAAA is the probability that an A lookup is followed by an AAAA
	// lookup of the same name U(0, 50 ms) later, as dual-stack hosts do.
	AAAA float64
	// Retry is the probability that a lookup is retried 1 s later and, if
	// it was, the probability that it is retried again 2 s after the
	// original.
	Retry float64
	// Duplicate is the probability that a lookup is logged twice (an
	// identical line, as when one query passes two logging points).
	Duplicate float64
	// Round truncates every timestamp to the whole second, as logs with
	// one-second stamps do.
	Round bool
	// Split is the probability that a client sits behind a pair of
	// load-balanced resolvers: its lookups then alternate between its
	// Server and a second resolver (Resolver4b or Resolver6b), so the
	// pair's lookups are split across two resolvers' logs.
	Split float64
}

// Typical is a plausible mix of artefacts for benchmarks: half the A
// lookups get an AAAA twin, 3 % are retried, 1 % are duplicated, 10 % of
// the clients are load-balanced; timestamps keep their precision.
var Typical = Artefacts{AAAA: 0.5, Retry: 0.03, Duplicate: 0.01, Split: 0.1}

// ApplyArtefacts returns a copy of events with the artefacts of opts
// applied, sorted by time. Added lookups (AAAA twins, retries, duplicates)
// are labelled Artefact; they are drawn from the original lookups only,
// in input order, so the result depends only on events, opts and the
// state of rng. events is not modified.
func ApplyArtefacts(events []Event, rng *rand.Rand, opts Artefacts) []Event {
	out := make([]Event, 0, len(events)+len(events)/2)
	for _, e := range events {
		out = append(out, e)
		extra := e
		extra.Label = Artefact
		if e.Type == TypeA && opts.AAAA > 0 && rng.Float64() < opts.AAAA {
			x := extra
			x.Type = TypeAAAA
			x.Time = e.Time.Add(time.Duration(rng.Int64N(int64(50 * time.Millisecond))))
			out = append(out, x)
		}
		if opts.Retry > 0 && rng.Float64() < opts.Retry {
			x := extra
			x.Time = e.Time.Add(time.Second)
			out = append(out, x)
			if rng.Float64() < opts.Retry {
				x.Time = e.Time.Add(2 * time.Second)
				out = append(out, x)
			}
		}
		if opts.Duplicate > 0 && rng.Float64() < opts.Duplicate {
			out = append(out, extra)
		}
	}
	SortEvents(out)
	if opts.Split > 0 {
		type state struct {
			split bool
			n     int
		}
		clients := make(map[netip.Addr]*state)
		for i := range out {
			e := &out[i]
			s := clients[e.Client]
			if s == nil {
				s = &state{split: rng.Float64() < opts.Split}
				clients[e.Client] = s
			}
			if !s.split {
				continue
			}
			if s.n%2 == 1 {
				if e.Server.Is6() || (!e.Server.IsValid() && e.Client.Is6()) {
					e.Server = Resolver6b
				} else {
					e.Server = Resolver4b
				}
			}
			s.n++
		}
	}
	if opts.Round {
		for i := range out {
			out[i].Time = out[i].Time.Truncate(time.Second)
		}
	}
	return out
}
