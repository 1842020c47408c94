package synth_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"time"

	"github.com/dnsnexus/dnsnexus/internal/synth"
)

// A beacon with a 5-minute period and 10 % renewal jitter, over one hour.
func ExampleBeacon() {
	rng := rand.New(rand.NewPCG(1, 2))
	w := synth.Window{Start: synth.DefaultStart, End: synth.DefaultStart.Add(time.Hour)}
	t := synth.Target{Client: netip.MustParseAddr("192.0.2.10"), Names: []string{"api.d0001.example"}, TTL: 30}
	for _, e := range synth.Beacon(rng, w, t, synth.BeaconParams{Period: 5 * time.Minute, Jitter: 0.1}) {
		fmt.Println(e.Time.Format("15:04:05.000"), e.Name, e.Label)
	}
	// Output:
	// 00:03:22.936 api.d0001.example periodic
	// 00:08:20.619 api.d0001.example periodic
	// 00:13:21.132 api.d0001.example periodic
	// 00:18:16.920 api.d0001.example periodic
	// 00:23:34.788 api.d0001.example periodic
	// 00:28:28.090 api.d0001.example periodic
	// 00:33:47.246 api.d0001.example periodic
	// 00:38:37.537 api.d0001.example periodic
	// 00:44:05.920 api.d0001.example periodic
	// 00:48:52.807 api.d0001.example periodic
	// 00:53:59.093 api.d0001.example periodic
	// 00:59:24.762 api.d0001.example periodic
}

// A 30-second beacon behind a stub cache with a 300-second TTL reaches the
// log only about every five minutes.
func ExampleCache() {
	rng := rand.New(rand.NewPCG(1, 2))
	w := synth.Window{Start: synth.DefaultStart, End: synth.DefaultStart.Add(time.Hour)}
	t := synth.Target{Client: netip.MustParseAddr("192.0.2.10"), Names: []string{"api.d0001.example"}}
	raw := synth.Beacon(rng, w, t, synth.BeaconParams{Period: 30 * time.Second, Jitter: 0.1})
	logged := synth.Cache(raw, 300*time.Second)
	fmt.Println(len(raw), "requests,", len(logged), "logged")
	for i := 1; i < len(logged); i++ {
		fmt.Println(logged[i].Time.Sub(logged[i-1].Time).Round(time.Second))
	}
	// Output:
	// 119 requests, 12 logged
	// 5m4s
	// 5m10s
	// 5m31s
	// 5m28s
	// 5m27s
	// 5m15s
	// 5m9s
	// 5m11s
	// 5m29s
	// 5m1s
	// 5m22s
}

// The Short preset: one pair of each scenario variant, here over one day.
func ExampleLabelled() {
	d := synth.Labelled(synth.Config{Seed: 1, Days: 1})
	byScenario := map[string]int{}
	positives := 0
	for _, p := range d.Pairs() {
		byScenario[p.Scenario]++
		if p.Positive {
			positives++
		}
	}
	fmt.Println(len(d.Pairs()), "pairs,", positives, "positive")
	fmt.Println(byScenario["beacon"], "plain beacons,", byScenario["mixed"], "mixed pairs")
	p := d.Pairs()[2]
	fmt.Println(p.Scenario, p.Variant, p.Kind, p.Period)
	// Output:
	// 47 pairs, 39 positive
	// 7 plain beacons, 2 mixed pairs
	// beacon P=1h beacon 1h0m0s
}

// Artefacts applied to a beacon: every A lookup gets an AAAA twin.
func ExampleApplyArtefacts() {
	rng := rand.New(rand.NewPCG(1, 2))
	w := synth.Window{Start: synth.DefaultStart, End: synth.DefaultStart.Add(3 * time.Hour)}
	t := synth.Target{Client: netip.MustParseAddr("192.0.2.10"), Names: []string{"sync.d0002.test"}}
	ev := synth.Beacon(rng, w, t, synth.BeaconParams{Period: time.Hour})
	for _, e := range synth.ApplyArtefacts(ev, rng, synth.Artefacts{AAAA: 1, Round: true}) {
		fmt.Println(e.Time.Format(time.TimeOnly), e.Type, e.Label)
	}
	// Output:
	// 00:40:35 1 periodic
	// 00:40:35 28 artefact
	// 01:40:35 1 periodic
	// 01:40:35 28 artefact
	// 02:40:35 1 periodic
	// 02:40:35 28 artefact
}

// Writing events in the research format.
func ExampleWriteResearch() {
	ev := []synth.Event{{
		Time:   time.Date(2026, 3, 2, 9, 15, 4, 250e6, time.UTC),
		Client: netip.MustParseAddr("192.0.2.17"),
		Name:   "www.d0042.example",
	}}
	synth.WriteResearch(os.Stdout, ev)
	// Output:
	// TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP
	// 2026-03-02T09:15:04.250Z | www.d0042.example | 192.0.2.17
}

// Streaming a few lines of a large synthetic log.
func ExampleStream() {
	cfg := synth.StreamConfig{N: 3, Pairs: 1000, Seed: 1}
	synth.Stream(context.Background(), cfg, os.Stdout)
	fmt.Println(cfg.Pair(0).Scenario)
	// Output:
	// TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP
	// 2026-03-02T00:00:09.330Z | login.d0000140.example | 10.1.0.21
	// 2026-03-02T00:28:37.818Z | login.d0000153.example | 10.1.0.61
	// 2026-03-02T00:30:38.347Z | sync.d0000012.example | 10.1.0.41
	// stream-poisson
}
