package nexus

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"iter"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"golang.org/x/net/publicsuffix"
)

// GroupBy chooses what the second half of a pair is.
type GroupBy int

const (
	// ByDomain groups a client's lookups by registrable domain (eTLD+1 by
	// the public suffix list): www.example.co.uk and mail.example.co.uk
	// are one pair with example.co.uk. This is the default.
	ByDomain GroupBy = iota
	// ByName groups by the full query name.
	ByName
)

// String returns "domain" or "name".
func (g GroupBy) String() string {
	if g == ByName {
		return "name"
	}
	return "domain"
}

// ParseGroupBy parses "domain" or "name".
func ParseGroupBy(s string) (GroupBy, error) {
	switch strings.ToLower(s) {
	case "", "domain":
		return ByDomain, nil
	case "name":
		return ByName, nil
	}
	return 0, fmt.Errorf("nexus: unknown grouping %q (want domain or name)", s)
}

// RegistrableDomain returns the registrable domain of a normalised query
// name: its eTLD+1 by the public suffix list ("mail1.trump-email.com" →
// "trump-email.com", "www.example.co.uk" → "example.co.uk"). A name that is
// itself a public suffix, or the root, is returned unchanged.
func RegistrableDomain(name string) string {
	if name == "" || name == "." {
		return name
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(name)
	if err != nil {
		return name
	}
	return d
}

// Default limits of a Collector; see the fields of the same names.
const (
	DefaultMaxEventsPerPair = 1 << 20
	DefaultMaxNamesPerPair  = 32
	DefaultMaxPairs         = 1 << 24
)

// Collector groups a stream of events into (client, domain) pairs. Add
// events in any order; Pairs returns each pair's sorted times and what was
// seen with them. The zero value is ready to use and groups ByDomain.
//
// Memory, all bounded by the caps below: 8 bytes per kept event (an
// int64 timestamp, in slices grown by append: up to twice that while a
// pair holds a few hundred events, a quarter more beyond; Pairs gives the
// spare capacity back), about 370 bytes per pair (its PairAccumulator and
// index entry), about 70 bytes per distinct (client, query name) in the
// index that makes a repeated lookup cheap (at most 2²² entries), and
// about 140 bytes per distinct query name (at most 2²²) and 50 per client,
// plus the strings. A run of N lookups over P pairs thus holds about
// 8·N·(1.1 to 1.5) + 500·P bytes; scoring adds about 2 KB per pair (see
// Analyze).
//
// Collectors are mergeable: accumulating shards of a stream separately and
// merging them with Merge gives the same pairs as one pass over the whole
// stream, whatever the split and order (the kept set of times, names,
// types, response codes and TTLs depends only on the multiset of events).
//
// A Collector is not safe for concurrent use; give each goroutine its own
// and Merge them.
type Collector struct {
	// By chooses the grouping: ByDomain (default) or ByName.
	By GroupBy
	// MaxEventsPerPair caps the timestamps kept per pair (0 means
	// DefaultMaxEventsPerPair). Past the cap the earliest timestamps are
	// kept, so the rule is independent of arrival order and sharding; the
	// pair's Events still counts every event and Truncated is set.
	MaxEventsPerPair int
	// MaxNamesPerPair caps the distinct query names remembered per pair
	// (0 means DefaultMaxNamesPerPair); the lexically smallest are kept and
	// NamesTotal counts up to the cap plus the overflow seen.
	MaxNamesPerPair int
	// MaxPairs caps the number of pairs (0 means DefaultMaxPairs). Events of
	// new pairs past the cap are counted in Dropped and otherwise ignored.
	MaxPairs int
	// Shards, when greater than 1, makes the Collector keep one shard of
	// the pairs: those whose ShardOf(client, key, Shards) is Shard, key
	// being the pair's domain or name. Events of other pairs are counted
	// by OtherShards and otherwise ignored (Names then lists the names of
	// the shard's pairs only). Collectors of the shards 0 … Shards−1 of
	// one stream hold every pair exactly once; see Rerank for scoring them
	// separately and ranking the pairs together.
	Shard, Shards int

	clients   []netip.Addr
	clientID  map[netip.Addr]uint32
	keys      []string
	keyID     map[string]uint32
	nameIdx   map[string]uint32 // query name → index in names
	names     []nameState
	pairIndex map[uint64]uint32
	pairs     []pairState
	dropped   int64
	added     int64
	other     int64
	// seen maps a (client, query name) already added to the index of its
	// pair and of the name, so that a repeated lookup costs one map access
	// (see Add). At most maxSeen entries.
	seen map[clientName]seenRef
}

// clientName is a client address and a query name.
type clientName struct {
	client netip.Addr
	name   string
}

// seenRef locates a (client, name) seen before: pair is its pair's index
// in pairs (or otherShard), name its index in names (or noName).
type seenRef struct {
	pair, name uint32
}

const (
	otherShard = ^uint32(0)
	noName     = ^uint32(0)
	// maxSeen bounds the (client, name) index: about 64 bytes an entry, so
	// at most 256 MiB. Past it, new combinations take the slower path of
	// three map accesses, with the same result.
	maxSeen = 1 << 22
)

type pairState struct {
	client, key uint32
	acc         PairAccumulator
}

const maxServers = 8

func (c *Collector) init() {
	if c.clientID == nil {
		c.clientID = make(map[netip.Addr]uint32)
		c.keyID = make(map[string]uint32)
		c.nameIdx = make(map[string]uint32)
		c.pairIndex = make(map[uint64]uint32)
		c.seen = make(map[clientName]seenRef)
	}
}

func (c *Collector) maxEvents() int {
	if c.MaxEventsPerPair > 0 {
		return c.MaxEventsPerPair
	}
	return DefaultMaxEventsPerPair
}

func (c *Collector) maxNames() int {
	if c.MaxNamesPerPair > 0 {
		return c.MaxNamesPerPair
	}
	return DefaultMaxNamesPerPair
}

func (c *Collector) limits() Limits {
	return Limits{MaxEvents: c.maxEvents(), MaxNames: c.maxNames()}
}

func (c *Collector) maxPairs() int {
	if c.MaxPairs > 0 {
		return c.MaxPairs
	}
	return DefaultMaxPairs
}

// Add adds one event. Events without a valid client address or name are
// counted in Dropped.
//
// Cost: a lookup of a (client, name) seen before is one map access plus
// the append of its time; the first lookup of a combination also resolves
// the client, the name's pair key (RegistrableDomain, once per distinct
// name) and the pair.
func (c *Collector) Add(ev *dnslog.Event) {
	l := lookupOf(ev)
	c.addLookup(&l)
}

// lookup is what a Collector takes from an event: the event's fields
// that pairs keep, with the answer TTLs reduced to their extremes.
type lookup struct {
	t              int64
	client, server netip.Addr
	name           string
	typ            dnslog.Type
	rcode          dnslog.RCode
	minTTL, maxTTL uint32
	hasTTL         bool
}

func lookupOf(ev *dnslog.Event) lookup {
	l := lookup{t: ev.Time.UnixNano(), client: ev.Client, server: ev.Server, name: ev.Name, typ: ev.Type, rcode: ev.RCode}
	for i := range ev.Answers {
		if a := &ev.Answers[i]; a.HasTTL {
			if !l.hasTTL {
				l.minTTL, l.maxTTL, l.hasTTL = a.TTL, a.TTL, true
			}
			l.minTTL = min(l.minTTL, a.TTL)
			l.maxTTL = max(l.maxTTL, a.TTL)
		}
	}
	return l
}

func (c *Collector) addLookup(l *lookup) {
	c.init()
	c.added++
	if !l.client.IsValid() || l.name == "" {
		c.dropped++
		return
	}
	t := l.t
	if r, ok := c.seen[clientName{l.client, l.name}]; ok {
		if r.pair == otherShard {
			c.other++
			return
		}
		if r.name != noName {
			c.names[r.name].observe(t)
		}
		// The name is already among the pair's names (or was pushed out
		// by smaller ones, which adding it again would not change), and
		// among the name's clients: only the rest of the event counts.
		c.pairs[r.pair].acc.addSeen(l, c.limits())
		return
	}
	cid := c.clientIDFor(l.client)
	ni, kid := c.nameKeyID(l.name, t)
	if c.Shards > 1 && ShardOf(l.client, c.keys[kid], c.Shards) != c.Shard {
		c.other++
		c.remember(l, seenRef{otherShard, ni})
		return
	}
	if ni != noName {
		n := &c.names[ni]
		n.observe(t)
		c.addNameClient(n, cid)
	}
	pk := uint64(cid)<<32 | uint64(kid)
	pi, ok := c.pairIndex[pk]
	if !ok {
		if len(c.pairs) >= c.maxPairs() {
			c.dropped++
			return
		}
		pi = uint32(len(c.pairs))
		c.pairs = append(c.pairs, pairState{client: cid, key: kid})
		c.pairIndex[pk] = pi
	}
	c.pairs[pi].acc.add(l, c.limits())
	c.remember(l, seenRef{pi, ni})
}

// remember records a (client, name) combination in the seen index while
// it has room.
func (c *Collector) remember(l *lookup, r seenRef) {
	if c.seen == nil {
		c.seen = make(map[clientName]seenRef)
	}
	if len(c.seen) < maxSeen {
		c.seen[clientName{l.client, l.name}] = r
	}
}

// ShardOf returns the shard, in [0, n), of the pair (client, key): the
// 64-bit FNV-1a hash of the client's 16-byte form (IPv4 addresses
// IPv4-mapped) followed by the key's bytes, modulo n. It is the same in
// every process and on every machine, so that processes given the same
// n and different shards split a set of logs by pair without talking to
// each other. n ≤ 1 gives 0.
func ShardOf(client netip.Addr, key string, n int) int {
	if n <= 1 {
		return 0
	}
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for _, b := range client.As16() {
		h = (h ^ uint64(b)) * prime64
	}
	for i := 0; i < len(key); i++ {
		h = (h ^ uint64(key[i])) * prime64
	}
	return int(h % uint64(n))
}

// nameKeyID returns the index of a query name in names (noName when the
// table is full) and its key id.
func (c *Collector) nameKeyID(name string, t int64) (uint32, uint32) {
	ni, ok := c.nameIdx[name]
	if !ok {
		key := name
		if c.By == ByDomain {
			key = RegistrableDomain(name)
		}
		kid := c.keyIDFor(key)
		if len(c.names) >= maxNameTable {
			return noName, kid
		}
		ni = uint32(len(c.names))
		c.names = append(c.names, nameState{name: name, key: kid, first: t, last: t})
		c.nameIdx[name] = ni
	}
	return ni, c.names[ni].key
}

// observe counts one lookup of the name at t.
func (n *nameState) observe(t int64) {
	n.count++
	n.first = min(n.first, t)
	n.last = max(n.last, t)
}

func (c *Collector) keyIDFor(key string) uint32 {
	kid, ok := c.keyID[key]
	if !ok {
		kid = uint32(len(c.keys))
		c.keys = append(c.keys, key)
		c.keyID[key] = kid
	}
	return kid
}

func (c *Collector) clientIDFor(a netip.Addr) uint32 {
	cid, ok := c.clientID[a]
	if !ok {
		cid = uint32(len(c.clients))
		c.clients = append(c.clients, a)
		c.clientID[a] = cid
	}
	return cid
}

// maxNameTable bounds the table of distinct query names (names past it
// still group into pairs but are not listed by Names).
const maxNameTable = 1 << 22

// nameState is what is known of one distinct query name across clients.
type nameState struct {
	name        string
	key         uint32
	count       int64
	first, last int64
	clients     [maxNameClients]uint32
	nclients    uint8
	moreClients bool
}

const maxNameClients = 8

// addClient remembers client cid, keeping the maxNameClients clients with
// the lowest addresses so that the kept set does not depend on arrival
// order or sharding.
func (c *Collector) addNameClient(n *nameState, cid uint32) {
	for _, x := range n.clients[:n.nclients] {
		if x == cid {
			return
		}
	}
	if int(n.nclients) < maxNameClients {
		n.clients[n.nclients] = cid
		n.nclients++
		return
	}
	n.moreClients = true
	a := c.clients[cid]
	worst := 0
	for j := 1; j < maxNameClients; j++ {
		if c.clients[n.clients[j]].Compare(c.clients[n.clients[worst]]) > 0 {
			worst = j
		}
	}
	if a.Compare(c.clients[n.clients[worst]]) < 0 {
		n.clients[worst] = cid
	}
}

// Merge adds everything o has collected into c. o must use the same
// grouping; it is not changed.
func (c *Collector) Merge(o *Collector) error {
	if o.By != c.By {
		return fmt.Errorf("nexus: merging collectors grouped by %v and %v", c.By, o.By)
	}
	c.init()
	c.added += o.added
	c.dropped += o.dropped
	c.other += o.other
	for i := range o.pairs {
		op := &o.pairs[i]
		addr := o.clients[op.client]
		key := o.keys[op.key]
		cid := c.clientIDFor(addr)
		kid := c.keyIDFor(key)
		pk := uint64(cid)<<32 | uint64(kid)
		pi, ok := c.pairIndex[pk]
		if !ok {
			if len(c.pairs) >= c.maxPairs() {
				c.dropped += op.acc.Events
				continue
			}
			pi = uint32(len(c.pairs))
			c.pairs = append(c.pairs, pairState{client: cid, key: kid})
			c.pairIndex[pk] = pi
		}
		c.pairs[pi].acc.Merge(&op.acc, c.limits())
	}
	for i := range o.names {
		on := &o.names[i]
		ni, ok := c.nameIdx[on.name]
		if !ok {
			if len(c.names) >= maxNameTable {
				continue
			}
			ni = uint32(len(c.names))
			c.names = append(c.names, nameState{name: on.name, key: c.keyIDFor(o.keys[on.key]), first: on.first, last: on.last})
			c.nameIdx[on.name] = ni
		}
		n := &c.names[ni]
		n.count += on.count
		n.first = min(n.first, on.first)
		n.last = max(n.last, on.last)
		for _, oc := range on.clients[:on.nclients] {
			c.addNameClient(n, c.clientIDFor(o.clients[oc]))
		}
		n.moreClients = n.moreClients || on.moreClients
	}
	return nil
}

// Name is one distinct query name and who asked for it.
type Name struct {
	Name string
	// Domain is the name's pair key: its registrable domain (ByDomain) or
	// the name itself (ByName).
	Domain      string
	Count       int64
	First, Last time.Time
	// Clients are the addresses that asked, ascending (at most 8: the
	// lowest addresses); ClientsTruncated is set when there were more.
	Clients          []netip.Addr
	ClientsTruncated bool
}

// Names returns every distinct query name seen (up to about four million),
// sorted.
func (c *Collector) Names() []Name {
	out := make([]Name, len(c.names))
	for i := range c.names {
		n := &c.names[i]
		cl := make([]netip.Addr, n.nclients)
		for j, id := range n.clients[:n.nclients] {
			cl[j] = c.clients[id]
		}
		slices.SortFunc(cl, netip.Addr.Compare)
		out[i] = Name{Name: n.name, Domain: c.keys[n.key], Count: n.count,
			First: time.Unix(0, n.first).UTC(), Last: time.Unix(0, n.last).UTC(),
			Clients: cl, ClientsTruncated: n.moreClients}
	}
	slices.SortFunc(out, func(a, b Name) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Added reports how many events were passed to Add (and merged in).
func (c *Collector) Added() int64 { return c.added }

// OtherShards reports how many events were ignored because their pair
// belongs to another shard (see Shards).
func (c *Collector) OtherShards() int64 { return c.other }

// Dropped reports how many events were ignored: without a client address
// or name, or of new pairs past MaxPairs.
func (c *Collector) Dropped() int64 { return c.dropped }

// Len reports the number of pairs.
func (c *Collector) Len() int { return len(c.pairs) }

// Pair is one (client, domain) pair and what was seen with it.
type Pair struct {
	// Client is the address that asked.
	Client netip.Addr
	// Domain is the registrable domain (ByDomain) or the full query name
	// (ByName).
	Domain string
	// Events counts every event of the pair, including any past the cap.
	Events int64
	// Times are the kept event times, Unix nanoseconds, sorted ascending.
	Times []int64
	// Truncated reports that Times holds only the earliest
	// MaxEventsPerPair of Events.
	Truncated bool
	// Names are the distinct query names seen (sorted; at most
	// MaxNamesPerPair, with NamesTruncated set when there were more).
	Names          []string
	NamesTruncated bool
	// Types are the distinct query types seen, ascending.
	Types []dnslog.Type
	// RCodes counts events by response code; events whose log has no
	// response code are counted under dnslog.RCodeUnknown.
	RCodes map[dnslog.RCode]int64
	// MinTTL and MaxTTL are the smallest and largest answer TTLs logged
	// for the pair, valid when HasTTL.
	MinTTL, MaxTTL uint32
	HasTTL         bool
	// Servers are the distinct server addresses the events were logged at
	// (at most 8), ascending.
	Servers []netip.Addr
}

// First returns the time of the earliest event (the zero Time for a pair
// without times).
func (p *Pair) First() time.Time {
	if len(p.Times) == 0 {
		return time.Time{}
	}
	return time.Unix(0, p.Times[0]).UTC()
}

// Last returns the time of the latest kept event.
func (p *Pair) Last() time.Time {
	if len(p.Times) == 0 {
		return time.Time{}
	}
	return time.Unix(0, p.Times[len(p.Times)-1]).UTC()
}

// Pairs returns every pair, ordered by client address then domain. The
// Times slices are owned by the Collector until it is next changed; copy
// them to keep them past an Add or Merge.
//
// To leave room for scoring, Pairs also gives back memory that only
// speeds up Add (the index of (client, name) combinations, rebuilt as
// events come) and the spare capacity of the pairs' time slices beyond
// an eighth.
func (c *Collector) Pairs() []Pair {
	c.seen = nil
	lim := c.limits()
	out := make([]Pair, 0, len(c.pairs))
	for i := range c.pairs {
		p := &c.pairs[i]
		p.acc.trim(lim.events())
		if t := p.acc.Times; cap(t)-len(t) > len(t)/8+8 {
			p.acc.Times = slices.Clone(t)
		}
		out = append(out, p.acc.Pair(c.clients[p.client], c.keys[p.key], lim))
	}
	slices.SortFunc(out, func(a, b Pair) int {
		if c := a.Client.Compare(b.Client); c != 0 {
			return c
		}
		return cmp.Compare(a.Domain, b.Domain)
	})
	return out
}

// CollectOptions configures Collector.Collect. The zero value is the
// documented default.
type CollectOptions struct {
	// Workers bounds the goroutines that group events; 0 means
	// GOMAXPROCS. With 1, Collect is a loop over Add.
	Workers int
	// Progress, when set, is called about every million events with the
	// number of events read so far, and once at the end.
	Progress func(events int64)
}

// collectBatch is the number of lookups handed to a worker at a time.
const collectBatch = 1024

// Collect adds every event of events to c and returns the number of
// events read. It stops at the first error events yields (returning it,
// with the events before it added) or when ctx is done (returning
// ctx.Err()).
//
// The grouping runs on Workers goroutines: the reading goroutine hands
// the events out in batches by client address, so that every pair is
// grouped by one worker, each into a Collector of its own, and the
// workers' pairs are moved into c at the end. The result is that of
// calling Add for every event in order, with one exception: once MaxPairs
// is reached, which new pairs are dropped depends on how the events
// were spread. Memory: the workers' Collectors (together the size of one)
// plus a few batches of about 100 bytes an event in flight.
func (c *Collector) Collect(ctx context.Context, events iter.Seq2[dnslog.Event, error], opts CollectOptions) (int64, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var n int64
	progress := func() {
		if opts.Progress != nil && n%(1<<20) == 0 {
			opts.Progress(n)
		}
	}
	done := func(err error) (int64, error) {
		if opts.Progress != nil {
			opts.Progress(n)
		}
		if err == nil {
			err = ctx.Err()
		}
		return n, err
	}
	if workers == 1 {
		for ev, err := range events {
			if err != nil {
				return done(err)
			}
			c.Add(&ev)
			n++
			progress()
			if n%4096 == 0 && ctx.Err() != nil {
				break
			}
		}
		return done(nil)
	}

	ws := make([]*Collector, workers)
	in := make([]chan []lookup, workers)
	free := make(chan []lookup, 4*workers)
	var wg sync.WaitGroup
	for i := range ws {
		ws[i] = &Collector{By: c.By, MaxEventsPerPair: c.MaxEventsPerPair, MaxNamesPerPair: c.MaxNamesPerPair,
			MaxPairs: c.MaxPairs, Shard: c.Shard, Shards: c.Shards}
		in[i] = make(chan []lookup, 4)
		wg.Add(1)
		go func(w *Collector, in <-chan []lookup) {
			defer wg.Done()
			for batch := range in {
				for j := range batch {
					w.addLookup(&batch[j])
				}
				select {
				case free <- batch[:0]:
				default:
				}
			}
		}(ws[i], in[i])
	}
	batches := make([][]lookup, workers)
	get := func() []lookup {
		select {
		case b := <-free:
			return b
		default:
			return make([]lookup, 0, collectBatch)
		}
	}
	for i := range batches {
		batches[i] = get()
	}
	var failed error
	for ev, err := range events {
		if err != nil {
			failed = err
			break
		}
		w := int(clientHash(ev.Client) % uint64(workers))
		batches[w] = append(batches[w], lookupOf(&ev))
		if len(batches[w]) == collectBatch {
			in[w] <- batches[w]
			batches[w] = get()
		}
		n++
		progress()
		if n%4096 == 0 && ctx.Err() != nil {
			break
		}
	}
	for i := range batches {
		if len(batches[i]) > 0 {
			in[i] <- batches[i]
		}
		close(in[i])
	}
	wg.Wait()
	for _, w := range ws {
		c.absorb(w)
	}
	return done(failed)
}

// clientHash spreads client addresses over Collect's workers.
func clientHash(a netip.Addr) uint64 {
	b := a.As16()
	h := binary.LittleEndian.Uint64(b[:8])*0x9e3779b97f4a7c15 ^ binary.LittleEndian.Uint64(b[8:])
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>29
}

// absorb moves everything o has collected into c, as Merge does, but
// takes o's pair accumulators over instead of copying them: o must not
// be used afterwards.
func (c *Collector) absorb(o *Collector) {
	c.init()
	if len(c.pairs) == 0 && len(c.names) == 0 && c.added == 0 && o.By == c.By {
		// c is empty: o's tables become c's.
		seen := c.seen
		*c = Collector{By: c.By, MaxEventsPerPair: c.MaxEventsPerPair, MaxNamesPerPair: c.MaxNamesPerPair,
			MaxPairs: c.MaxPairs, Shard: c.Shard, Shards: c.Shards,
			clients: o.clients, clientID: o.clientID, keys: o.keys, keyID: o.keyID, nameIdx: o.nameIdx, names: o.names,
			pairIndex: o.pairIndex, pairs: o.pairs, dropped: o.dropped, added: o.added, other: o.other, seen: o.seen}
		if c.seen == nil {
			c.seen = seen
		}
		*o = Collector{}
		return
	}
	for i := range o.pairs {
		op := &o.pairs[i]
		cid := c.clientIDFor(o.clients[op.client])
		kid := c.keyIDFor(o.keys[op.key])
		pk := uint64(cid)<<32 | uint64(kid)
		if _, ok := c.pairIndex[pk]; !ok && len(c.pairs) < c.maxPairs() {
			c.pairIndex[pk] = uint32(len(c.pairs))
			c.pairs = append(c.pairs, pairState{client: cid, key: kid, acc: op.acc})
			op.acc = PairAccumulator{}
		}
	}
	// What is left (pairs c had already, or past MaxPairs) is merged.
	o.seen = nil
	c.Merge(o)
	*o = Collector{}
}
