package nexus_test

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/internal/synth"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// benchStream is a synthetic lookup stream held compactly in memory: the
// parsing is done once, outside the timed loop, so that the benchmarks
// measure grouping and scoring only.
type benchStream struct {
	times   []int64
	client  []uint32
	name    []uint32
	clients []netip.Addr
	names   []string
}

var (
	benchMu      sync.Mutex
	benchStreams = map[[2]int]*benchStream{}
)

// streamOf generates n lookups of the given number of pairs with
// synth.Stream (research format, seed 1), parses them with dnslog and
// keeps them as compact records. Streams are cached across benchmarks.
func streamOf(b *testing.B, n, pairs int) *benchStream {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s := benchStreams[[2]int{n, pairs}]; s != nil {
		return s
	}
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(synth.Stream(context.Background(), synth.StreamConfig{N: int64(n), Pairs: pairs, Seed: 1, Format: synth.Research}, pw))
	}()
	r := dnslog.NewReader(pr)
	r.Parallel = -1
	s := &benchStream{times: make([]int64, 0, n), client: make([]uint32, 0, n), name: make([]uint32, 0, n)}
	cid := map[netip.Addr]uint32{}
	nid := map[string]uint32{}
	for ev, err := range r.All() {
		if err != nil {
			b.Fatal(err)
		}
		c, ok := cid[ev.Client]
		if !ok {
			c = uint32(len(s.clients))
			s.clients = append(s.clients, ev.Client)
			cid[ev.Client] = c
		}
		k, ok := nid[ev.Name]
		if !ok {
			k = uint32(len(s.names))
			s.names = append(s.names, ev.Name)
			nid[ev.Name] = k
		}
		s.times = append(s.times, ev.Time.UnixNano())
		s.client = append(s.client, c)
		s.name = append(s.name, k)
	}
	pr.Close()
	benchStreams[[2]int{n, pairs}] = s
	return s
}

// heapPeak samples the live heap every few milliseconds until stop is
// closed and returns the largest value seen, in bytes.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// groupAndScore runs what examples/score does after parsing:
// Collector.Collect over the lookups (grouping on GOMAXPROCS goroutines),
// then Analyze (pair scores, shares, q-values, synchrony, suffix leaks).
func groupAndScore(b *testing.B, s *benchStream) *nexus.Report {
	var c nexus.Collector
	events := func(yield func(dnslog.Event, error) bool) {
		ev := dnslog.Event{RCode: dnslog.RCodeUnknown}
		for i, t := range s.times {
			ev.Time = time.Unix(0, t).UTC()
			ev.Client = s.clients[s.client[i]]
			ev.Name = s.names[s.name[i]]
			if !yield(ev, nil) {
				return
			}
		}
	}
	if _, err := c.Collect(context.Background(), events, nexus.CollectOptions{}); err != nil {
		b.Fatal(err)
	}
	rep, err := nexus.Analyze(context.Background(), &c, nexus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return rep
}

// BenchmarkGroupScore groups and scores synthetic lookups (100 per pair
// on average, spread log-normally: see synth.Stream) for 10⁵, 10⁶ and
// 10⁷ lookups. Parsing is excluded. The 10⁷ case takes tens of seconds
// and about a gigabyte: select the sizes with -bench, e.g.
// -bench 'GroupScore/1e[56]' or -bench 'GroupScore/1e7' (it is skipped in
// -short mode).
// events/s is lookups grouped and scored per second of wall time;
// peak-heap-MB the largest live heap sampled during the run.
func BenchmarkGroupScore(b *testing.B) {
	for _, size := range []struct {
		name     string
		n, pairs int
	}{{"1e5", 1e5, 1e3}, {"1e6", 1e6, 1e4}, {"1e7", 1e7, 1e5}} {
		b.Run(size.name, func(b *testing.B) {
			if size.n >= 1e7 && testing.Short() {
				b.Skip("10⁷ lookups skipped in -short mode")
			}
			s := streamOf(b, size.n, size.pairs)
			runtime.GC()
			stop := make(chan struct{})
			peak := heapPeak(stop)
			b.ReportAllocs()
			var pairs int
			for b.Loop() {
				rep := groupAndScore(b, s)
				pairs = len(rep.Scores)
			}
			close(stop)
			b.ReportMetric(float64(len(s.times))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(pairs), "pairs")
			b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// Examples of the scaling API: grouping on several goroutines, and
// scoring the shards of a stream separately before ranking them together.

func exampleEvents() []dnslog.Event {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var events []dnslog.Event
	for i := range 2016 { // a 5-minute timer for a week
		events = append(events, dnslog.Event{Time: start.Add(time.Duration(i) * 5 * time.Minute),
			Client: netip.MustParseAddr("192.0.2.10"), Name: "c2.example.com", RCode: dnslog.RCodeUnknown})
	}
	for i := range 3 { // three lookups: too few to judge
		events = append(events, dnslog.Event{Time: start.Add(time.Duration(i) * time.Hour),
			Client: netip.MustParseAddr("192.0.2.20"), Name: "www.example.org", RCode: dnslog.RCodeUnknown})
	}
	return events
}

func ExampleCollector_Collect() {
	events := exampleEvents()
	seq := func(yield func(dnslog.Event, error) bool) {
		for _, ev := range events {
			if !yield(ev, nil) {
				return
			}
		}
	}
	var c nexus.Collector
	n, err := c.Collect(context.Background(), seq, nexus.CollectOptions{Workers: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println(n, "events,", c.Len(), "pairs")
	for _, p := range c.Pairs() {
		fmt.Println(p.Client, p.Domain, p.Events)
	}
	// Output:
	// 2019 events, 2 pairs
	// 192.0.2.10 example.com 2016
	// 192.0.2.20 example.org 3
}

func ExampleRerank() {
	events := exampleEvents()
	// Each of two processes keeps its shard of the pairs and scores it.
	var lines []nexus.ShardJSON
	for shard := range 2 {
		c := nexus.Collector{Shard: shard, Shards: 2}
		for i := range events {
			c.Add(&events[i])
		}
		scores, err := nexus.ScorePairs(context.Background(), c.Pairs(), nexus.Options{Location: time.UTC})
		if err != nil {
			panic(err)
		}
		for i := range scores {
			lines = append(lines, scores[i].ShardJSON()) // written as JSON lines in practice
		}
	}
	// One step over all the shards' pairs: shares, q-values, verdicts, ranking.
	ranked, err := nexus.Rerank(lines, nexus.Options{})
	if err != nil {
		panic(err)
	}
	for _, p := range ranked {
		fmt.Printf("%s %s %s period %gs\n", p.Client, p.Domain, p.Verdict, p.Period)
	}
	// Output:
	// 192.0.2.10 example.com beacon period 300s
	// 192.0.2.20 example.org insufficient period 0s
}

func ExampleShardOf() {
	// Every process computes the same shard for a pair.
	for _, c := range []string{"192.0.2.10", "192.0.2.20", "2001:db8::1"} {
		fmt.Println(c, "example.com", nexus.ShardOf(netip.MustParseAddr(c), "example.com", 4))
	}
	// Output:
	// 192.0.2.10 example.com 0
	// 192.0.2.20 example.com 2
	// 2001:db8::1 example.com 1
}
