package nexus_test

import (
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/nexus"
)

// exampleReport is a small report as Analyze would return it: a client
// polling a domain every 5 minutes, a second client in lock-step with it,
// and a search-suffix leak.
func exampleReport() *nexus.Report {
	a := netip.MustParseAddr("192.0.2.10")
	b := netip.MustParseAddr("192.0.2.11")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var times []int64
	for i := range 288 {
		times = append(times, start.Add(time.Duration(i)*5*time.Minute).UnixNano())
	}
	r := &nexus.Report{
		Events: 300,
		Scores: []nexus.Score{{
			Pair: nexus.Pair{Client: a, Domain: "updates.example", Events: 288, Times: times,
				Names: []string{"cdn.updates.example"}},
			Beacon: 0.97, Human: 0.02, Period: 5 * time.Minute, P: 1e-40, Q: 2e-40,
			Verdict:  nexus.VerdictBeacon,
			Zone:     "UTC",
			Evidence: []string{"period 5m0s: 287 of 287 gaps on the beat"},
			Share:    nexus.Share{Fraction: 0.96, Clients: 2, DomainEvents: 300},
			Enrichment: nexus.Enrichment{Org: "Example Hosting", Country: "NL",
				Network: netip.MustParsePrefix("192.0.2.0/24")},
		}, {
			Pair:    nexus.Pair{Client: b, Domain: "updates.example", Events: 12},
			Verdict: nexus.VerdictAperiodic, P: 1, Q: 1,
			Share: nexus.Share{Fraction: 0.04, Clients: 2, DomainEvents: 300},
		}},
		Syncs: []nexus.Sync{{A: a, B: b, Domain: "updates.example", NA: 288, NB: 12, Matched: 12,
			Fraction: 1, Expected: 0.2, P: 1e-20, MedianLag: 2 * time.Second, DailyCorrelation: 0}},
		Leaks: []nexus.Leak{{Name: "cdn.updates.example.corp.example.net", Base: "cdn.updates.example",
			Suffix: "corp.example.net", Count: 1, Clients: []netip.Addr{a}}},
	}
	r.Clusters = nexus.Clusters(r.Syncs)
	return r
}

func ExampleReport_WriteJSON() {
	r := exampleReport()
	r.Scores = r.Scores[:1]
	if err := r.WriteJSON(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"client":"192.0.2.10","domain":"updates.example","events":288,"kept":288,"folded":0,"verdict":"beacon","beacon":0.97,"human":0.02,"period":300,"p":1e-40,"q":2e-40,"first":"2026-03-02T09:00:00Z","last":"2026-03-03T08:55:00Z","names":["cdn.updates.example"],"names_truncated":false,"types":[],"zone":"UTC","cache_gated":false,"ttl":0,"share":0.96,"clients_for_domain":2,"domain_events":300,"on_beat":0,"missed":0,"jitter":0,"extra":0,"gap_cv":0,"day_p":0,"business":0,"night":0,"burstiness":0,"evidence":["period 5m0s: 287 of 287 gaps on the beat"],"caveats":[],"org":"Example Hosting","org_id":"","netname":"","country":"NL","network":"192.0.2.0/24","registrant":"","registrar":""}
}

func ExampleScore_JSON() {
	r := exampleReport()
	j := r.Scores[0].JSON()
	fmt.Println(j.Client, j.Domain, j.Verdict, j.Period, j.Org)
	// Output:
	// 192.0.2.10 updates.example beacon 300 Example Hosting
}

func ExampleWritePairsTable() {
	r := exampleReport()
	if err := nexus.WritePairsTable(os.Stdout, r.Scores, 10); err != nil {
		fmt.Println(err)
	}
	// Output:
	// | # | Client | Domain | Events | Verdict | Beacon | Human | Period | q | Share | Org | Country |
	// |--:|---|---|--:|---|--:|--:|--:|--:|--:|---|---|
	// | 1 | `192.0.2.10` | `updates.example` | 288 | beacon | 0.97 | 0.02 | 5 min 00 s | 2.0e-40 | 96 % | Example Hosting | NL |
	// | 2 | `192.0.2.11` | `updates.example` | 12 | aperiodic | 0.00 | 0.00 | — | 1.00 | 4.0 % |  |  |
}

func ExampleReport_WriteMarkdown() {
	r := exampleReport()
	r.Caveats = []string{"Resolvers cache answers."}
	err := r.WriteMarkdown(os.Stdout, nexus.MarkdownOptions{
		Title: "Lookups of updates.example",
		Intro: []string{"Two clients of one network, one day of logs."},
		Top:   1,
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// # Lookups of updates.example
	//
	// Two clients of one network, one day of logs.
	//
	// ## Summary
	//
	// - Events: 300 collected
	// - Span: 2026-03-02 09:00:00 UTC to 2026-03-03 08:55:00 UTC
	// - Pairs (client, domain): 2, of 2 clients and 1 domains
	// - Verdicts: beacon 1, mixed 0, human 0, aperiodic 1, insufficient 0
	// - Lock-step: 1 client pairs in 1 clusters
	// - Search-suffix leaks: 1
	//
	// ## Ranked pairs
	//
	// The 1 highest-ranked of 2 pairs: beacons first (by beacon score), then mixed, human (by human score), aperiodic and insufficient.
	//
	// | # | Client | Domain | Events | Verdict | Beacon | Human | Period | q | Share | Org | Country |
	// |--:|---|---|--:|---|--:|--:|--:|--:|--:|---|---|
	// | 1 | `192.0.2.10` | `updates.example` | 288 | beacon | 0.97 | 0.02 | 5 min 00 s | 2.0e-40 | 96 % | Example Hosting | NL |
	//
	// ## Evidence
	//
	// ### 1. `192.0.2.10` → `updates.example`: beacon
	//
	// - Events: 288, 2026-03-02 09:00:00 UTC to 2026-03-03 08:55:00 UTC
	// - Scores: beacon 0.97, human 0.02; period 5 min 00 s (p = 1.0e-40, q = 2.0e-40)
	// - Names: `cdn.updates.example`
	// - Zone of the rhythm: UTC
	// - Share: 96 % of the domain's 300 lookups, by 2 client(s)
	// - Client network: Example Hosting, `192.0.2.0/24`, NL
	//
	// Evidence:
	//
	// - period 5m0s: 287 of 287 gaps on the beat
	//
	// ## Synchrony
	//
	// Pairs of clients whose lookups of one domain coincide (within the matching window) far more often than independent streams would; 1 shown of 1, most significant first.
	//
	// | Domain | Client A | Client B | Events A | Events B | Matched | Expected | p | Median lag | Daily r |
	// |---|---|---|--:|--:|--:|--:|--:|--:|--:|
	// | `updates.example` | `192.0.2.10` | `192.0.2.11` | 288 | 12 | 12 (100 %) | 0.2 | 1.0e-20 | 2.0 s | 0.00 |
	//
	// ### Clusters
	//
	// Clients joined by lock-step on one domain:
	//
	// - `updates.example`: `192.0.2.10`, `192.0.2.11`
	//
	// ## Search-suffix leaks
	//
	// Query names that are another queried name with a suffix appended, as a stub resolver does when a lookup fails and it tries its search list. The suffix names an internal domain of the asking organisation. 1 shown of 1.
	//
	// | Name | Queried name | Suffix (internal domain) | Lookups | Clients | First | Last |
	// |---|---|---|--:|---|---|---|
	// | `cdn.updates.example.corp.example.net` | `cdn.updates.example` | `corp.example.net` | 1 | `192.0.2.10` | — | — |
	//
	// ## Caveats
	//
	// - Resolvers cache answers.
}

func ExampleReport_Graph() {
	g := exampleReport().Graph()
	for _, n := range g.Nodes {
		fmt.Println(strings.TrimSpace(fmt.Sprint("node ", n.ID, " ", n.Verdict)))
	}
	for _, e := range g.Edges {
		fmt.Printf("edge %s -> %s (%s)\n", e.From, e.To, e.Kind)
	}
	// Output:
	// node client:192.0.2.10 beacon
	// node client:192.0.2.11 aperiodic
	// node domain:updates.example beacon
	// node org:Example Hosting
	// node suffix:corp.example.net
	// edge client:192.0.2.10 -> domain:updates.example (pair)
	// edge client:192.0.2.11 -> domain:updates.example (pair)
	// edge client:192.0.2.10 -> client:192.0.2.11 (lockstep)
	// edge domain:updates.example -> suffix:corp.example.net (search-suffix)
	// edge client:192.0.2.10 -> suffix:corp.example.net (uses-suffix)
	// edge client:192.0.2.10 -> org:Example Hosting (owned-by)
}
