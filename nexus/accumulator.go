package nexus

import (
	"net/netip"
	"slices"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

// Limits bound a PairAccumulator; zero fields mean the Collector defaults
// (DefaultMaxEventsPerPair, DefaultMaxNamesPerPair).
type Limits struct {
	MaxEvents int
	MaxNames  int
}

func (l Limits) events() int {
	if l.MaxEvents > 0 {
		return l.MaxEvents
	}
	return DefaultMaxEventsPerPair
}

func (l Limits) names() int {
	if l.MaxNames > 0 {
		return l.MaxNames
	}
	return DefaultMaxNamesPerPair
}

// PairAccumulator is the mergeable state of one pair: what a Collector
// keeps per (client, domain), exported so that other engines (a Beam
// CombineFn, a sharded job) can accumulate pairs with the same rules. Its
// life is create (the zero value), Add, Merge, and Pair for the result;
// Add and Merge are associative and commutative: any split of a pair's
// events into accumulators, merged in any order, gives the same Pair.
//
// The fields are exported for encoding; use the methods to change them.
type PairAccumulator struct {
	// Events counts every event added, including those past the cap.
	Events int64
	// Times are the kept event times (Unix nanoseconds): the earliest
	// Limits.MaxEvents, not necessarily sorted until Pair.
	Times []int64
	// Names are the distinct query names, sorted, at most Limits.MaxNames
	// (the lexically smallest); NamesTruncated is set when there were more.
	Names          []string
	NamesTruncated bool
	// Types are the distinct query types, ascending (at most 32).
	Types []dnslog.Type
	// RCodes counts events by response code: index rcode+1, so index 0
	// counts RCodeUnknown; codes of 22 and above are counted at 23.
	RCodes [24]int64
	// MinTTL and MaxTTL are the extreme answer TTLs, valid when HasTTL.
	MinTTL, MaxTTL uint32
	HasTTL         bool
	// Servers are the distinct server addresses (at most 8: the lowest).
	Servers []netip.Addr
}

// Add adds one event to the accumulator.
func (a *PairAccumulator) Add(ev *dnslog.Event, l Limits) {
	lk := lookupOf(ev)
	a.add(&lk, l)
}

func (a *PairAccumulator) add(lk *lookup, l Limits) {
	a.addName(lk.name, l.names())
	a.addSeen(lk, l)
}

// addSeen adds an event whose name has been added before: adding a name
// again never changes Names or NamesTruncated.
func (a *PairAccumulator) addSeen(lk *lookup, l Limits) {
	a.Events++
	a.Times = append(a.Times, lk.t)
	if max := l.events(); len(a.Times) >= 2*max {
		a.trim(max)
	}
	a.addType(lk.typ)
	a.addRCode(lk.rcode, 1)
	if lk.hasTTL {
		a.addTTL(lk.minTTL)
		a.addTTL(lk.maxTTL)
	}
	if lk.server.IsValid() {
		a.addServer(lk.server)
	}
}

// Merge adds everything b holds into a; b is not changed.
func (a *PairAccumulator) Merge(b *PairAccumulator, l Limits) {
	a.Events += b.Events
	a.Times = append(a.Times, b.Times...)
	a.trim(l.events())
	for _, n := range b.Names {
		a.addName(n, l.names())
	}
	a.NamesTruncated = a.NamesTruncated || b.NamesTruncated
	for _, t := range b.Types {
		a.addType(t)
	}
	for i, n := range b.RCodes {
		a.RCodes[i] += n
	}
	if b.HasTTL {
		a.addTTL(b.MinTTL)
		a.addTTL(b.MaxTTL)
	}
	for _, s := range b.Servers {
		a.addServer(s)
	}
}

// Pair returns the accumulated pair for client and domain. Times are
// sorted in place and shared with the accumulator.
func (a *PairAccumulator) Pair(client netip.Addr, domain string, l Limits) Pair {
	a.trim(l.events())
	p := Pair{
		Client:         client,
		Domain:         domain,
		Events:         a.Events,
		Times:          a.Times,
		Truncated:      a.Events > int64(len(a.Times)),
		Names:          slices.Clone(a.Names),
		NamesTruncated: a.NamesTruncated,
		Types:          slices.Clone(a.Types),
		MinTTL:         a.MinTTL,
		MaxTTL:         a.MaxTTL,
		HasTTL:         a.HasTTL,
		Servers:        slices.Clone(a.Servers),
		RCodes:         map[dnslog.RCode]int64{},
	}
	for i, n := range a.RCodes {
		if n > 0 {
			p.RCodes[dnslog.RCode(i-1)] = n
		}
	}
	return p
}

// trim sorts the times and keeps the earliest max.
func (a *PairAccumulator) trim(max int) {
	if !slices.IsSorted(a.Times) {
		slices.Sort(a.Times)
	}
	if len(a.Times) > max {
		a.Times = slices.Clip(a.Times[:max])
	}
}

func (a *PairAccumulator) addName(name string, max int) {
	if name == "" {
		return
	}
	i, found := slices.BinarySearch(a.Names, name)
	if found {
		return
	}
	if len(a.Names) >= max {
		a.NamesTruncated = true
		if i >= len(a.Names) {
			return
		}
		a.Names = a.Names[:len(a.Names)-1]
	}
	a.Names = slices.Insert(a.Names, i, name)
}

const maxTypes = 32

func (a *PairAccumulator) addType(t dnslog.Type) {
	if t == 0 {
		return
	}
	for _, x := range a.Types {
		if x == t {
			return
		}
	}
	i, found := slices.BinarySearch(a.Types, t)
	if found || len(a.Types) >= maxTypes {
		return
	}
	a.Types = slices.Insert(a.Types, i, t)
}

func (a *PairAccumulator) addRCode(r dnslog.RCode, n int64) {
	i := int(r) + 1
	if i < 0 {
		i = 0
	}
	if i > len(a.RCodes)-1 {
		i = len(a.RCodes) - 1
	}
	a.RCodes[i] += n
}

func (a *PairAccumulator) addTTL(ttl uint32) {
	if !a.HasTTL {
		a.MinTTL, a.MaxTTL, a.HasTTL = ttl, ttl, true
		return
	}
	a.MinTTL = min(a.MinTTL, ttl)
	a.MaxTTL = max(a.MaxTTL, ttl)
}

func (a *PairAccumulator) addServer(s netip.Addr) {
	i, found := slices.BinarySearchFunc(a.Servers, s, netip.Addr.Compare)
	if found {
		return
	}
	if len(a.Servers) >= maxServers {
		if i >= len(a.Servers) {
			return
		}
		a.Servers = a.Servers[:len(a.Servers)-1]
	}
	a.Servers = slices.Insert(a.Servers, i, s)
}
