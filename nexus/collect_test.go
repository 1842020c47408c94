package nexus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/internal/synth"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func testEvent(name, client string, sec int64) dnslog.Event {
	return dnslog.Event{
		Time:   time.Unix(sec, 0).UTC(),
		Client: netip.MustParseAddr(client),
		Name:   name,
		Type:   dnslog.TypeA,
		RCode:  dnslog.RCodeUnknown,
	}
}

var addrCmp = cmp.Comparer(func(x, y netip.Addr) bool { return x == y })

func TestCollectorGroupsByDomain(t *testing.T) {
	var c Collector
	for _, e := range []struct {
		name, client string
		sec          int64
		typ          dnslog.Type
	}{
		{"www.example.co.uk", "192.0.2.1", 30, dnslog.TypeA},
		{"mail.example.co.uk", "192.0.2.1", 10, dnslog.TypeAAAA},
		{"www.example.co.uk", "192.0.2.1", 20, dnslog.TypeHTTPS},
		{"www.example.co.uk", "192.0.2.2", 5, dnslog.TypeA},
	} {
		ev := testEvent(e.name, e.client, e.sec)
		ev.Type = e.typ
		ev.Answers = []dnslog.Answer{{Data: "198.51.100.7", TTL: 300, HasTTL: true}}
		c.Add(&ev)
	}
	got := c.Pairs()
	want := []Pair{
		{
			Client: netip.MustParseAddr("192.0.2.1"), Domain: "example.co.uk", Events: 3,
			Times:  []int64{10e9, 20e9, 30e9},
			Names:  []string{"mail.example.co.uk", "www.example.co.uk"},
			Types:  []dnslog.Type{dnslog.TypeA, dnslog.TypeAAAA, dnslog.TypeHTTPS},
			RCodes: map[dnslog.RCode]int64{dnslog.RCodeUnknown: 3},
			MinTTL: 300, MaxTTL: 300, HasTTL: true,
		},
		{
			Client: netip.MustParseAddr("192.0.2.2"), Domain: "example.co.uk", Events: 1,
			Times:  []int64{5e9},
			Names:  []string{"www.example.co.uk"},
			Types:  []dnslog.Type{dnslog.TypeA},
			RCodes: map[dnslog.RCode]int64{dnslog.RCodeUnknown: 1},
			MinTTL: 300, MaxTTL: 300, HasTTL: true,
		},
	}
	if diff := cmp.Diff(want, got, addrCmp); diff != "" {
		t.Errorf("Pairs (-want +got):\n%s", diff)
	}
}

func TestCollectorByName(t *testing.T) {
	c := Collector{By: ByName}
	for _, n := range []string{"a.example.com", "b.example.com", "a.example.com"} {
		ev := testEvent(n, "192.0.2.1", 1)
		c.Add(&ev)
	}
	if c.Len() != 2 {
		t.Errorf("ByName: %d pairs, want 2", c.Len())
	}
}

func TestCollectorCapKeepsEarliest(t *testing.T) {
	c := Collector{MaxEventsPerPair: 3}
	for _, s := range []int64{50, 10, 40, 20, 60, 30, 5} {
		ev := testEvent("x.example.com", "192.0.2.1", s)
		c.Add(&ev)
	}
	p := c.Pairs()[0]
	if diff := cmp.Diff([]int64{5e9, 10e9, 20e9}, p.Times); diff != "" {
		t.Errorf("kept times (-want +got):\n%s", diff)
	}
	if p.Events != 7 || !p.Truncated {
		t.Errorf("Events = %d, Truncated = %v; want 7, true", p.Events, p.Truncated)
	}
}

func TestCollectorDropsInvalid(t *testing.T) {
	var c Collector
	ev := testEvent("x.example.com", "192.0.2.1", 1)
	ev.Client = netip.Addr{}
	c.Add(&ev)
	ev = testEvent("", "192.0.2.1", 1)
	c.Add(&ev)
	if c.Dropped() != 2 || c.Len() != 0 {
		t.Errorf("Dropped = %d, Len = %d; want 2, 0", c.Dropped(), c.Len())
	}
}

// Splitting a stream into shards in any way, collecting each and merging
// gives the same pairs and names as one pass.
func TestCollectorMergeEqualsOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var events []dnslog.Event
	for range 3000 {
		name := []string{"a.example.com", "b.example.com", "www.example.org", "x.example.net", "y.example.net"}[rng.IntN(5)]
		client := netip.AddrFrom4([4]byte{192, 0, 2, byte(rng.IntN(12))})
		ev := testEvent(name, client.String(), rng.Int64N(1e6))
		ev.Type = dnslog.Type(1 + rng.IntN(3)*27)
		ev.RCode = dnslog.RCode(rng.IntN(4) - 1)
		ev.Answers = []dnslog.Answer{{TTL: uint32(rng.IntN(600)), HasTTL: true}}
		ev.Server = netip.AddrFrom4([4]byte{203, 0, 113, byte(rng.IntN(3))})
		events = append(events, ev)
	}
	opts := Collector{MaxEventsPerPair: 100, MaxNamesPerPair: 2}
	one := opts
	for i := range events {
		one.Add(&events[i])
	}
	for trial := range 5 {
		shards := make([]Collector, 1+trial)
		for i := range shards {
			shards[i] = opts
		}
		perm := rng.Perm(len(events))
		for _, i := range perm {
			shards[rng.IntN(len(shards))].Add(&events[i])
		}
		merged := opts
		for i := range shards {
			if err := merged.Merge(&shards[i]); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(one.Pairs(), merged.Pairs(), addrCmp); diff != "" {
			t.Fatalf("trial %d: merged pairs differ from one pass (-one +merged):\n%s", trial, diff)
		}
		if diff := cmp.Diff(one.Names(), merged.Names(), addrCmp); diff != "" {
			t.Fatalf("trial %d: merged names differ from one pass (-one +merged):\n%s", trial, diff)
		}
	}
}

// randomEvents makes n events of a few clients and names, with repeats,
// several names per domain, types, response codes, TTLs and servers.
func randomEvents(rng *rand.Rand, n int) []dnslog.Event {
	names := []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com", "www.example.org", "x.example.net", "y.example.net"}
	var events []dnslog.Event
	for range n {
		name := names[rng.IntN(len(names))]
		client := netip.AddrFrom4([4]byte{192, 0, 2, byte(rng.IntN(12))})
		ev := testEvent(name, client.String(), rng.Int64N(1e6))
		ev.Type = dnslog.Type(1 + rng.IntN(3)*27)
		ev.RCode = dnslog.RCode(rng.IntN(4) - 1)
		ev.Answers = []dnslog.Answer{{TTL: uint32(rng.IntN(600)), HasTTL: true}}
		ev.Server = netip.AddrFrom4([4]byte{203, 0, 113, byte(rng.IntN(3))})
		events = append(events, ev)
	}
	return events
}

// The Collector gives each pair what a PairAccumulator fed the pair's
// events one by one gives (the Collector skips work for repeated
// (client, name) combinations; the accumulator does all of it).
func TestCollectorMatchesAccumulators(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	events := randomEvents(rng, 5000)
	lim := Limits{MaxEvents: 50, MaxNames: 2}
	c := Collector{MaxEventsPerPair: lim.MaxEvents, MaxNamesPerPair: lim.MaxNames}
	type key struct {
		client netip.Addr
		domain string
	}
	accs := map[key]*PairAccumulator{}
	for i := range events {
		c.Add(&events[i])
		k := key{events[i].Client, RegistrableDomain(events[i].Name)}
		if accs[k] == nil {
			accs[k] = &PairAccumulator{}
		}
		accs[k].Add(&events[i], lim)
	}
	var want []Pair
	for k, a := range accs {
		want = append(want, a.Pair(k.client, k.domain, lim))
	}
	slices.SortFunc(want, func(a, b Pair) int {
		if c := a.Client.Compare(b.Client); c != 0 {
			return c
		}
		return strings.Compare(a.Domain, b.Domain)
	})
	if diff := cmp.Diff(want, c.Pairs(), addrCmp); diff != "" {
		t.Errorf("Collector pairs differ from per-pair accumulators (-want +got):\n%s", diff)
	}
}

// The shards of a stream hold every pair of it exactly once, with the
// same content as one unsharded Collector.
func TestCollectorShards(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	events := randomEvents(rng, 3000)
	var one Collector
	for i := range events {
		one.Add(&events[i])
	}
	const n = 3
	var union []Pair
	var other int64
	for i := range n {
		c := Collector{Shard: i, Shards: n}
		for j := range events {
			c.Add(&events[j])
		}
		if c.Len() == 0 || c.Len() == one.Len() {
			t.Errorf("shard %d of %d holds %d of %d pairs", i, n, c.Len(), one.Len())
		}
		for _, p := range c.Pairs() {
			if s := ShardOf(p.Client, p.Domain, n); s != i {
				t.Errorf("shard %d holds %s %s of shard %d", i, p.Client, p.Domain, s)
			}
		}
		union = append(union, c.Pairs()...)
		other += c.OtherShards()
	}
	slices.SortFunc(union, func(a, b Pair) int {
		if c := a.Client.Compare(b.Client); c != 0 {
			return c
		}
		return strings.Compare(a.Domain, b.Domain)
	})
	if diff := cmp.Diff(one.Pairs(), union, addrCmp); diff != "" {
		t.Errorf("union of the shards (-one +shards):\n%s", diff)
	}
	if other != (n-1)*int64(len(events)) {
		t.Errorf("OtherShards sum to %d, want %d", other, (n-1)*len(events))
	}
}

func TestShardOf(t *testing.T) {
	// Fixed values: the hash must not change between versions, or shards
	// written by different builds would not fit together.
	a := netip.MustParseAddr("192.0.2.1")
	got := []int{ShardOf(a, "example.com", 7), ShardOf(a, "example.org", 7), ShardOf(netip.MustParseAddr("2001:db8::1"), "example.com", 7), ShardOf(a, "example.com", 1)}
	want := []int{shardOfRef(a, "example.com", 7), shardOfRef(a, "example.org", 7), shardOfRef(netip.MustParseAddr("2001:db8::1"), "example.com", 7), 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ShardOf (-want +got):\n%s", diff)
	}
}

// shardOfRef is ShardOf's definition through hash/fnv.
func shardOfRef(a netip.Addr, key string, n int) int {
	h := fnv.New64a()
	b := a.As16()
	h.Write(b[:])
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(n))
}

func TestRegistrableDomain(t *testing.T) {
	for in, want := range map[string]string{
		"mail1.trump-email.com":                      "trump-email.com",
		"www.example.co.uk":                          "example.co.uk",
		"mail1.trump-email.com.moscow.alfaintra.net": "alfaintra.net",
		"com": "com",
		".":   ".",
	} {
		if got := RegistrableDomain(in); got != want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

// mixedEvents returns lookups with every verdict (the short labelled
// preset: beacons, people, mixed, Poisson, shift work, cached use) and
// domains shared by several clients (a synth.Stream sample), as a reader
// would return them.
func mixedEvents(t *testing.T) []dnslog.Event {
	t.Helper()
	var out []dnslog.Event
	d := synth.Labelled(synth.Config{Seed: 3, Preset: synth.Short})
	for _, e := range d.Events {
		out = append(out, dnslog.Event{Time: e.Time, Client: e.Client, Server: e.Server, Name: e.Name, Type: dnslog.Type(e.Type),
			RCode: dnslog.RCodeUnknown, Answers: []dnslog.Answer{{TTL: e.TTL, HasTTL: true}}})
	}
	var buf bytes.Buffer
	if err := synth.Stream(context.Background(), synth.StreamConfig{N: 100_000, Pairs: 600, Seed: 5, Format: synth.Zeek}, &buf); err != nil {
		t.Fatal(err)
	}
	r := dnslog.NewReader(&buf)
	for ev, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

func scoresOf(t *testing.T, c *Collector) []Score {
	t.Helper()
	s, err := ScorePairs(context.Background(), c.Pairs(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonOf(scores []Score) []PairJSON {
	out := make([]PairJSON, len(scores))
	for i := range scores {
		out[i] = scores[i].JSON()
	}
	return out
}

// Accumulating any split of a stream separately and merging the
// Collectors gives the same scores, verdicts and ranking as one pass.
func TestMergedCollectorsScoreAsOnePass(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a few thousand pairs several times")
	}
	events := mixedEvents(t)
	var one Collector
	for i := range events {
		one.Add(&events[i])
	}
	want := scoresOf(t, &one)
	verdicts := map[Verdict]int{}
	for _, s := range want {
		verdicts[s.Verdict]++
	}
	if len(verdicts) < 4 {
		t.Fatalf("test data has verdicts %v; want at least four kinds", verdicts)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{2, 5} {
		shards := make([]Collector, n)
		for i := range events {
			shards[rng.IntN(n)].Add(&events[i])
		}
		var merged Collector
		for i := range shards {
			if err := merged.Merge(&shards[i]); err != nil {
				t.Fatal(err)
			}
		}
		got := scoresOf(t, &merged)
		if diff := cmp.Diff(want, got, addrCmp, cmpopts.EquateComparable(netip.Prefix{}), cmp.AllowUnexported(Score{})); diff != "" {
			t.Fatalf("%d random shards merged: scores differ from one pass (-one +merged):\n%s", n, diff)
		}
	}
}

// Scoring the shards of a stream in separate runs, writing them as
// ShardJSON lines and reranking them gives the JSON lines of one run
// over the whole stream.
func TestShardedRerankEqualsOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a few thousand pairs several times")
	}
	events := mixedEvents(t)
	var one Collector
	for i := range events {
		one.Add(&events[i])
	}
	want := jsonOf(scoresOf(t, &one))
	for _, n := range []int{2, 3, 7} {
		var lines []ShardJSON
		for i := range n {
			c := Collector{Shard: i, Shards: n}
			for j := range events {
				c.Add(&events[j])
			}
			scores := scoresOf(t, &c)
			for k := range scores {
				b, err := json.Marshal(scores[k].ShardJSON())
				if err != nil {
					t.Fatal(err)
				}
				var back ShardJSON
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatal(err)
				}
				lines = append(lines, back)
			}
		}
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		got, err := Rerank(lines, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%d shards reranked differ from one run (-one +reranked):\n%s", n, diff)
		}
	}
	if _, err := Rerank([]ShardJSON{{PairJSON: want[0]}, {PairJSON: want[0]}}, Options{}); err == nil {
		t.Error("Rerank accepted a pair twice")
	}
}

// Collect on several workers gives the pairs and names of Add in order.
func TestCollectMatchesAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	events := randomEvents(rng, 20000)
	for i := range events {
		// more clients than workers, and some IPv6 ones
		if i%3 == 0 {
			events[i].Client = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(rng.IntN(40))})
		}
	}
	seq := func(yield func(dnslog.Event, error) bool) {
		for _, ev := range events {
			if !yield(ev, nil) {
				return
			}
		}
	}
	base := Collector{MaxEventsPerPair: 300, MaxNamesPerPair: 3}
	one := base
	for i := range events {
		one.Add(&events[i])
	}
	for _, workers := range []int{1, 2, 3} {
		c := base
		var calls int
		n, err := c.Collect(context.Background(), seq, CollectOptions{Workers: workers, Progress: func(int64) { calls++ }})
		if err != nil || n != int64(len(events)) {
			t.Fatalf("%d workers: Collect = %d, %v; want %d, nil", workers, n, err, len(events))
		}
		if calls == 0 {
			t.Errorf("%d workers: Progress never called", workers)
		}
		if diff := cmp.Diff(one.Pairs(), c.Pairs(), addrCmp); diff != "" {
			t.Errorf("%d workers: pairs differ from Add (-add +collect):\n%s", workers, diff)
		}
		if diff := cmp.Diff(one.Names(), c.Names(), addrCmp); diff != "" {
			t.Errorf("%d workers: names differ from Add (-add +collect):\n%s", workers, diff)
		}
		if c.Added() != one.Added() || c.Dropped() != one.Dropped() || c.Len() != one.Len() {
			t.Errorf("%d workers: added %d dropped %d len %d; want %d %d %d", workers, c.Added(), c.Dropped(), c.Len(), one.Added(), one.Dropped(), one.Len())
		}
	}
	// Collecting into a Collector that holds pairs already merges.
	half := base
	for i := range events[:len(events)/2] {
		half.Add(&events[i])
	}
	rest := func(yield func(dnslog.Event, error) bool) {
		for _, ev := range events[len(events)/2:] {
			if !yield(ev, nil) {
				return
			}
		}
	}
	if _, err := half.Collect(context.Background(), rest, CollectOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(one.Pairs(), half.Pairs(), addrCmp); diff != "" {
		t.Errorf("Add then Collect: pairs differ from Add (-add +collect):\n%s", diff)
	}
	if diff := cmp.Diff(one.Names(), half.Names(), addrCmp); diff != "" {
		t.Errorf("Add then Collect: names differ from Add (-add +collect):\n%s", diff)
	}
	// An error stops the collection and is returned.
	bad := errors.New("bad line")
	failing := func(yield func(dnslog.Event, error) bool) {
		for i, ev := range events {
			if i == 5000 {
				yield(dnslog.Event{}, bad)
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
	var c Collector
	if n, err := c.Collect(context.Background(), failing, CollectOptions{Workers: 2}); !errors.Is(err, bad) || n != 5000 || c.Added() != 5000 {
		t.Errorf("failing stream: Collect = %d, %v, %d added; want 5000, %v, 5000", n, err, c.Added(), bad)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Collect(ctx, seq, CollectOptions{Workers: 2}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: Collect error %v, want context.Canceled", err)
	}
}
