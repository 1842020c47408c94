package synth

import (
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// DNS query types the generator emits.
const (
	TypeA    uint16 = 1
	TypeAAAA uint16 = 28
)

// Label says which process made one lookup. The zero Label means unlabelled.
type Label uint8

// The labels of lookups.
const (
	// Periodic: a beacon, update checker or other timer-driven process.
	Periodic Label = iota + 1
	// Human: a person browsing.
	Human
	// Noise: background traffic with no timing structure (Poisson).
	Noise
	// Artefact: a lookup added by ApplyArtefacts (AAAA twin, retry,
	// duplicate line), not by any process.
	Artefact
)

// String returns "periodic", "human", "noise", "artefact" or "".
func (l Label) String() string {
	switch l {
	case Periodic:
		return "periodic"
	case Human:
		return "human"
	case Noise:
		return "noise"
	case Artefact:
		return "artefact"
	}
	return ""
}

// Kind is the ground-truth class of a (client, domain) pair. The zero Kind
// means unknown.
type Kind uint8

// The kinds of pairs.
const (
	// KindBeacon: only periodic processes use the pair.
	KindBeacon Kind = iota + 1
	// KindHuman: only a person uses the pair.
	KindHuman
	// KindMixed: a person and a periodic process share the pair.
	KindMixed
	// KindAperiodic: machine traffic with no period (Poisson).
	KindAperiodic
)

// String returns "beacon", "human", "mixed", "aperiodic" or "".
func (k Kind) String() string {
	switch k {
	case KindBeacon:
		return "beacon"
	case KindHuman:
		return "human"
	case KindMixed:
		return "mixed"
	case KindAperiodic:
		return "aperiodic"
	}
	return ""
}

// JitterModel says how a beacon's jitter moves its beats. The zero value is
// Renewal.
type JitterModel uint8

// The jitter models. P is the period and j the jitter fraction.
const (
	// Renewal: each gap is drawn afresh, gap = P·(1 + U(−j, j)); errors
	// accumulate, so the phase drifts like a random walk.
	Renewal JitterModel = iota
	// OneSided: the implant sleeps P minus a random share,
	// gap = P·(1 − U(0, j)); the mean gap is P·(1 − j/2).
	OneSided
	// Scheduled: beats keep to a fixed grid, beat k at
	// t₀ + k·P + U(−j, j)·P; errors do not accumulate.
	Scheduled
)

// String returns "renewal", "one-sided" or "scheduled".
func (m JitterModel) String() string {
	switch m {
	case Renewal:
		return "renewal"
	case OneSided:
		return "one-sided"
	case Scheduled:
		return "scheduled"
	}
	return "JitterModel(" + strconv.Itoa(int(m)) + ")"
}

// Event is one generated lookup.
type Event struct {
	// Time is when the lookup reached the log, in UTC.
	Time time.Time
	// Client is the address that asked; Server the resolver it asked.
	Client netip.Addr
	Server netip.Addr
	// Name is the query name: lowercase, no trailing dot.
	Name string
	// Type is the query type (TypeA or TypeAAAA).
	Type uint16
	// TTL is the TTL of the answer, in seconds.
	TTL uint32
	// Label says which process made the lookup.
	Label Label
}

// Truth is the ground truth of one (client, registrable domain) pair.
type Truth struct {
	// Client is the pair's client address.
	Client netip.Addr
	// Domain is the registrable domain every name of the pair is under.
	Domain string
	// Scenario names the scenario family ("beacon", "jitter-renewal",
	// "human-cache60", …; see the package doc) and Variant its parameters
	// ("P=1h j=25%").
	Scenario string
	Variant  string
	Kind     Kind
	// Positive reports whether the pair holds a periodic process that a
	// timing scorer should flag.
	Positive bool
	// Period is the period a scorer should find in the log, 0 when there is
	// none. It equals Beat except for one-sided jitter (mean gap
	// Beat·(1 − j/2)) and for a beacon behind a cache (TTL plus the mean
	// wait for the next beat, TTL + Beat·(1 + j²/3)/2).
	Period time.Duration
	// Beat is the configured period of the periodic process, 0 when none;
	// Secondary a second period on the same pair (interleaved tasking).
	Beat      time.Duration
	Secondary time.Duration
	// Jitter is the jitter fraction j of the periodic process and Model how
	// it is applied.
	Jitter float64
	Model  JitterModel
	// Missed is the probability that a beat is dropped.
	Missed float64
	// CacheTTL is the TTL of the modelled stub cache in front of the pair,
	// 0 when there is none.
	CacheTTL time.Duration
	// Events counts the pair's lookups in the dataset (before artefacts).
	Events int
}

// SortEvents sorts events by time; events at the same instant keep their
// order, so the result is reproducible.
func SortEvents(events []Event) {
	slices.SortStableFunc(events, func(a, b Event) int { return a.Time.Compare(b.Time) })
}
