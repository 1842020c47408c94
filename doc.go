// Package dnsnexus is a library for DNS-timing forensics: it reads DNS
// query logs and WHOIS records, measures when each client looks up each
// domain, and says whether that timing looks like a machine (a timer), a
// person (a working day) or neither — with the figures, the significance
// and the caveats behind each verdict.
//
// This package holds only this overview; the work is done by four
// packages that compose in one direction:
//
//   - [github.com/dnsnexus/dnsnexus/dnslog] reads query logs of BIND,
//     Zeek, dnsmasq/Pi-hole, Unbound, CoreDNS, PowerDNS, Windows DNS,
//     Technitium, AdGuard Home, CSV exports, dnstap and plain
//     "timestamp client name" research logs into one Event stream,
//     detecting the format, decompressing gzip and merging several files in
//     time order (with de-duplication of a query logged at several
//     servers).
//   - [github.com/dnsnexus/dnsnexus/whois] reads WHOIS and RDAP answers
//     for networks and domains into one Record and answers "which network
//     covers this address?" by longest-prefix match.
//   - [github.com/dnsnexus/dnsnexus/timing] is plain numerics over sorted
//     timestamps: gap statistics, period detection with a calibrated
//     p-value, daily and weekly rhythm, sessions, burstiness and cache
//     gating. It knows nothing of DNS.
//   - [github.com/dnsnexus/dnsnexus/nexus] groups events into (client,
//     registrable domain) pairs, scores each pair as beacon, human, mixed,
//     aperiodic or insufficient, and cross-references them: a client's share
//     of a domain's lookups, clients that query in lock-step, search-suffix
//     leaks that reveal internal domains, and WHOIS owners.
//
// Two subpackages of nexus complete it: nexus/plot draws the figures of a
// report (SVG), and nexus/pivot answers the questions asked before any
// timing analysis — what a name resolved to and when that changed, which
// names share an address, which domains one registrant holds.
//
// dnslog, whois and timing never import each other; nexus composes them.
//
// # The question it answers
//
// In 2016 researchers published five months of lookups of one mail host
// seen at its three authoritative name servers, and argued that the
// lookups of two resolvers of a Moscow bank "appear to be human
// interaction, based on timing". Others answered that it was marketing
// mail, DNS caching, or two resolvers acting as one. Each reading makes a
// testable prediction about timing: a timer beats with a period; people
// work office hours in some time zone and in sessions; a cache with TTL T
// makes lookups at least T apart; two resolvers fed by one source fire
// within seconds of each other. dnsnexus measures all of them and reports
// which hold. The example program examples/tealeaves runs the analysis on a
// synthetic reconstruction of that case.
//
// # End to end
//
//	m, err := dnslog.OpenFiles([]string{"ns1.log", "ns2.log", "ns3.log"}, dnslog.Options{})
//	if err != nil { … }
//	defer m.Close()
//	m.Dedup = 5 * time.Second // one query seen at several servers counts once
//
//	var c nexus.Collector // groups by (client, registrable domain)
//	for ev, err := range m.All() {
//		if err != nil { … } // a *dnslog.ParseError: file, line, column, cause
//		c.Add(&ev)
//	}
//	owners, _ := whois.LoadDir(ctx, "whois/")
//	rep, err := nexus.Analyze(ctx, &c, nexus.Options{Whois: owners})
//	for _, s := range rep.Scores {
//		fmt.Println(s.Client, s.Domain, s.Verdict, s.Beacon, s.Human, s.Period)
//		for _, line := range s.Evidence { fmt.Println("  ", line) }
//	}
//
// # What the verdicts do not say
//
// DNS logs show lookups, not messages; an authoritative server sees only
// the cache misses of the resolvers in front of it; a resolver address
// serves many people and machines; UDP source addresses can be spoofed.
// Every report carries these caveats, and every verdict carries its own.
package dnsnexus
