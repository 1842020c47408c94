package nexus_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// Two clients over one week: 192.0.2.10 looks up updates.example.com every
// 5 minutes (± 10 s), 192.0.2.20 looks up www.example.org at random
// (a Poisson stream, one lookup per 10 minutes on average).
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	end := start.Add(7 * 24 * time.Hour)
	var c nexus.Collector
	add := func(t time.Time, client, name string) {
		ev := dnslog.Event{Time: t, Client: netip.MustParseAddr(client), Name: name, Type: dnslog.TypeA, RCode: dnslog.RCodeUnknown}
		c.Add(&ev)
	}
	for t := start; t.Before(end); t = t.Add(5*time.Minute + time.Duration(rng.IntN(21)-10)*time.Second) {
		add(t, "192.0.2.10", "updates.example.com")
	}
	for t := start; t.Before(end); t = t.Add(time.Duration(rng.ExpFloat64() * float64(10*time.Minute))) {
		add(t, "192.0.2.20", "www.example.org")
	}
	rep, err := nexus.Analyze(context.Background(), &c, nexus.Options{Location: time.UTC})
	if err != nil {
		panic(err)
	}
	for _, s := range rep.Scores {
		fmt.Printf("%s %s: %s, beacon %.2f", s.Client, s.Domain, s.Verdict, s.Beacon)
		if s.Verdict == nexus.VerdictBeacon {
			fmt.Printf(", period %v", s.Period.Round(time.Second))
		}
		fmt.Println()
	}
	// Output:
	// 192.0.2.10 example.com: beacon, beacon 1.00, period 5m0s
	// 192.0.2.20 example.org: aperiodic, beacon 0.00
}

// A Collector groups lookups by client and registrable domain; sub-names
// are listed with the pair.
func ExampleCollector() {
	var c nexus.Collector
	for i, name := range []string{"www.example.co.uk", "mail.example.co.uk", "www.example.co.uk"} {
		ev := dnslog.Event{Time: time.Unix(int64(i)*60, 0), Client: netip.MustParseAddr("198.51.100.7"), Name: name, RCode: dnslog.RCodeUnknown}
		c.Add(&ev)
	}
	for _, p := range c.Pairs() {
		fmt.Println(p.Client, p.Domain, p.Events, p.Names)
	}
	// Output:
	// 198.51.100.7 example.co.uk 3 [mail.example.co.uk www.example.co.uk]
}

func ExampleRegistrableDomain() {
	fmt.Println(nexus.RegistrableDomain("mail1.trump-email.com.moscow.alfaintra.net"))
	fmt.Println(nexus.RegistrableDomain("www.example.co.uk"))
	// Output:
	// alfaintra.net
	// example.co.uk
}
