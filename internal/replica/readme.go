package replica

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// figures are the counts the README reports.
type figures struct {
	lines   map[netip.Addr][3]int // log lines per resolver and server (MailHost only)
	lookups map[netip.Addr]int    // distinct lookups of MailHost per resolver
	total   int
	first   time.Time
	last    time.Time
}

func count(lk []lookup, logs [3][]lookup) figures {
	f := figures{lines: map[netip.Addr][3]int{}, lookups: map[netip.Addr]int{}}
	for _, l := range lk {
		if l.name != MailHost {
			continue
		}
		f.lookups[l.res]++
		f.total++
		t := time.Unix(l.t, 0).UTC()
		if f.first.IsZero() || t.Before(f.first) {
			f.first = t
		}
		if t.After(f.last) {
			f.last = t
		}
	}
	for s, lines := range logs {
		for _, l := range lines {
			if l.name == MailHost {
				c := f.lines[l.res]
				c[s]++
				f.lines[l.res] = c
			}
		}
	}
	return f
}

var resolverRows = []struct {
	addr  *netip.Addr
	owner string
}{
	{&BankResolverA, "Alfa-Bank, Moscow (DNS server 1)"},
	{&BankResolverB, "Alfa-Bank, Moscow (DNS server 2)"},
	{&BankOther, "Alfa-Bank network"},
	{&HealthResolver, "Spectrum Health, Michigan"},
	{&UnknownResolver, "owner not published"},
}

func readme(seed uint64, f figures) []byte {
	var b strings.Builder
	b.WriteString(`SYNTHETIC RECONSTRUCTION - NOT THE ORIGINAL DATA

This folder is the dnsnexus Tea Leaves replica: synthetic files rebuilt from the
published facts of the 2016 "Tea Leaves" case (lookups of mail1.trump-email.com at the
domain's three authoritative name servers, 4 May - 23 September 2016). The original
files are not available. Every lookup, time stamp, handle and date here was made by a
seeded model; only the facts listed below were taken from the published account.
Nothing in these files is evidence of anything.

`)
	fmt.Fprintf(&b, "Made by internal/replica with seed %d (go generate at the module root rebuilds\nevery byte).\n\n", seed)
	b.WriteString(`FILES

ns1_cdcservices_com.log, ns2_cdcservices_com.log, ns3_cdcservices_com.log
    Query logs of the three authoritative servers of trump-email.com. A "#" comment
    line, the header "TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP", then one line per
    query as "2016-09-23T13:56:29.000Z | mail1.trump-email.com | 217.12.97.15",
    sorted by time. A lookup is logged at one or more of the servers (retries and
    parallel queries); the copies carry the same second or one or two seconds later.

167.73.110.8.whois, 198.91.42.242.whois, 66.216.133.29.whois
    ARIN-format answers: the health system's network, an address whose owner was not
    published (the record says so rather than naming one), and the network of the mail
    host's address (a hosting provider in Lititz, Pennsylvania).
217.12.96.15.whois, 217.12.97.15.whois, 217.12.97.137.whois
    RIPE-format answers: the bank's network 217.12.96.0 - 217.12.97.255, which covers
    all three addresses (so the three answers are the same).
trump-email.com.whois, contact-client.com.whois
    Registrar-format domain records: trump-email.com registered in 2009 to "Trump
    Orgainzation" (misspelt as in the published record), 725 Fifth Ave, New York, with
    the mail vendor Cendyn as administrative contact; contact-client.com registered to
    Cendyn. Name servers ns1-ns3.cdcservices.com.
    In all WHOIS files, handles, dates, IDs, phone numbers (555-01xx) and mailboxes
    (.example) are placeholders.

recursive_dns.log
    A Zeek dns.log of a few lookups between a made-up client (10.15.32.44) and the
    bank's resolver 217.12.97.15: mail1.trump-email.com answered with 66.216.133.29,
    TTL 3600, on sampled days up to 22 September; NXDOMAIN on 23 September (also for
    the run-on name); then trump1.contact-client.com answered with 66.216.133.29.

FACTS REPRODUCED

- Date range 4 May - 23 September 2016; last lookup of mail1.trump-email.com at
  2016-09-23T13:56:29Z by 217.12.97.15.
- 217.12.96.15 and 217.12.97.15 (the bank's two DNS servers) make 2,820 lookups
  together, at nearly the same daily rate and in lock-step; 167.73.110.8 (the health
  system) makes 714, its busy and quiet days tracking the bank's; 217.12.97.137 and
  198.91.42.242 make a handful. The bank's share is about 80 %, the two organisations'
  about 99 %.
- Lookups mostly in office hours (Europe/Moscow for the bank, America/New_York for
  the health system), bunched in the first minutes after the full hour, with gaps
  between one resolver's lookups mostly 60-70 minutes, often 5-10 minutes longer than
  an hour: a person-driven request process behind a resolver cache holding the answer
  for its TTL of 3600 s.
- No lookups on the weekend of 23-24 July and in the quiet spells of 13-17 August and
  14-20 September; spikes on 24 June, 8-9 July, 25-26 July and 31 July.
- On 23 September the name stops resolving: 217.12.97.15 asks for the run-on name
  mail1.trump-email.com.moscow.alfaintra.net (the mail host plus the bank's internal
  search suffix) 90 s before the last lookup; lookups of trump1.contact-client.com
  follow.

`)
	fmt.Fprintf(&b, `MODEL (choices of the generator, not published facts)

- Each organisation works in sessions that start a few minutes after a full hour and
  issue requests every %d minutes or so; the chance of a session follows office hours,
  is lower at weekends, higher on spike days, and varies from day to day alike for
  both organisations. One scale per organisation is set so that the lookups number
  as published; a lookup or two beyond that is dropped at random (lost from the logs).
- The bank's requests reach both of its resolvers a few seconds apart (%.0f %% reach
  only one), which is what keeps the two in lock-step.
- Each resolver prefers one server; %.0f %% of lookups also reach a second server
  (%.0f %% of those the third as well) up to 2 s later.
- The handful from %v (%d) and %v (%d), the times of the
  %s lookups and the Zeek client %v are made up.

`, int(RequestSpacing/time.Minute), 100*BankOneSided, 100*SecondCopy, 100*ThirdCopy,
		BankOther, BankOtherLookups, UnknownResolver, UnknownLookups, FollowName, ZeekClient)
	b.WriteString(`COUNTING RULE

A lookup is one query by one resolver for one name, however many servers logged it:
lines with the same resolver and name whose stamps lie within 5 s of the lookup's
first line are copies of it. A resolver asks again only after its cached answer has
expired (3600 s), so any window from a few seconds to under an hour counts the same.

FIGURES (mail1.trump-email.com only)

`)
	fmt.Fprintf(&b, "%-15s  %-33s  %8s  %9s  %9s  %9s\n", "resolver", "owner", "lookups", "ns1 lines", "ns2 lines", "ns3 lines")
	for _, r := range resolverRows {
		c := f.lines[*r.addr]
		fmt.Fprintf(&b, "%-15s  %-33s  %8d  %9d  %9d  %9d\n", *r.addr, r.owner, f.lookups[*r.addr], c[0], c[1], c[2])
	}
	bank := f.lookups[BankResolverA] + f.lookups[BankResolverB]
	orgs := bank + f.lookups[BankOther] + f.lookups[HealthResolver]
	fmt.Fprintf(&b, "\nall lookups %d; bank's two servers %d (%.1f %%); bank network and health system %d (%.1f %%)\n",
		f.total, bank, pct(bank, f.total), orgs, pct(orgs, f.total))
	fmt.Fprintf(&b, "first lookup %s, last lookup %s\n", f.first.Format(time.RFC3339), f.last.Format(time.RFC3339))
	return []byte(b.String())
}

func pct(n, d int) float64 { return 100 * float64(n) / float64(d) }
