package pivot_test

import (
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus/pivot"
	"github.com/dnsnexus/dnsnexus/whois"
)

// lookups is a made-up log: a mail host that resolved to one address, then
// stopped resolving, while another name appeared on its address.
func lookups() []dnslog.Event {
	day := func(m time.Month, d int) time.Time { return time.Date(2016, m, d, 12, 0, 0, 0, time.UTC) }
	ans := func(a string) []dnslog.Answer { return []dnslog.Answer{{Data: a, TTL: 3600, HasTTL: true}} }
	evs := []dnslog.Event{
		{Time: day(5, 4), Name: "mail1.example-email.com", RCode: dnslog.RCodeNoError, Answers: ans("192.0.2.29")},
		{Time: day(8, 1), Name: "mail1.example-email.com", RCode: dnslog.RCodeNoError, Answers: ans("192.0.2.29")},
		{Time: day(9, 22), Name: "mail1.example-email.com", RCode: dnslog.RCodeNoError, Answers: ans("192.0.2.29")},
		{Time: day(9, 23), Name: "mail1.example-email.com", RCode: dnslog.RCodeNXDomain},
		{Time: day(9, 23).Add(time.Hour), Name: "trump1.example-client.com", RCode: dnslog.RCodeNoError, Answers: ans("192.0.2.29")},
		{Time: day(9, 24), Name: "29.2.0.192.in-addr.arpa", Type: dnslog.TypePTR, RCode: dnslog.RCodeNoError,
			Answers: ans("mail1.example-email.com")},
	}
	for i := range evs {
		if evs[i].Type == 0 {
			evs[i].Type = dnslog.TypeA
		}
		evs[i].Pos = dnslog.Position{File: "dns.log", Line: int64(i + 1)}
	}
	return evs
}

func ExampleHistory_Name() {
	var h pivot.History
	for _, ev := range lookups() {
		h.Add(&ev)
	}
	n := h.Name("mail1.example-email.com")
	fmt.Println("addresses:", n.Addrs())
	for _, c := range n.Changes {
		fmt.Printf("%s: %v until %s, %v from %s (%v)\n", c.Kind, c.Before.AnswerText(),
			c.Before.Last.Format(time.DateOnly), c.After.State, c.After.First.Format(time.DateOnly), c.After.FirstPos)
	}
	// Output:
	// addresses: [192.0.2.29]
	// stopped: [A 192.0.2.29] until 2016-09-22, NXDOMAIN from 2016-09-23 (dns.log:4)
}

func ExampleHistory_CoHosted() {
	var h pivot.History
	for _, ev := range lookups() {
		h.Add(&ev)
	}
	p := netip.MustParsePrefix("192.0.2.0/24")
	from := time.Date(2016, 9, 23, 0, 0, 0, 0, time.UTC)
	for _, b := range h.CoHosted(p, from, from.Add(48*time.Hour)) {
		fmt.Println(b.Addr, b.Name, b.Type, b.First.Format(time.DateOnly), b.Positions)
	}
	// Output:
	// 192.0.2.29 mail1.example-email.com PTR 2016-09-24 [dns.log:6]
	// 192.0.2.29 trump1.example-client.com A 2016-09-23 [dns.log:5]
}

func ExampleHistory_Search() {
	var h pivot.History
	for _, ev := range lookups() {
		h.Add(&ev)
	}
	hits := h.Search(pivot.Query{Pattern: regexp.MustCompile(`^(mail|trump)[0-9]+\.`)})
	for _, g := range pivot.GroupByDomain(hits) {
		for _, x := range g.Hits {
			fmt.Println(g.Domain, x.Field, x.Text, x.Count)
		}
	}
	// Output:
	// example-client.com query trump1.example-client.com 1
	// example-email.com query mail1.example-email.com 4
	// example-email.com ptr mail1.example-email.com 1
}

func ExampleDomainsByRegistrant() {
	var t whois.Table
	t.Add(whois.Record{Kind: whois.KindDomain, Domain: "example-email.com",
		Registrant: whois.Contact{Org: "Example Orgainzation"}})
	t.Add(whois.Record{Kind: whois.KindDomain, Domain: "example-client.com",
		Registrant: whois.Contact{Org: "Mail Vendor Inc."}})
	for _, m := range pivot.DomainsByRegistrant(&t, "Example Organization, Inc.", pivot.MatchOptions{}) {
		fmt.Println(m.Domain, m.Field, m.Value, m.Kind, m.Distance)
	}
	// Output:
	// example-email.com registrant.org Example Orgainzation fuzzy 1
}

func ExampleWriteMarkdown() {
	var h pivot.History
	for _, ev := range lookups() {
		h.Add(&ev)
	}
	pivot.WriteMarkdown(os.Stdout, &h, "trump1.example-client.com")
	// Output:
	// ### Binding history of `trump1.example-client.com`
	//
	// Looked up 1 times from 2016-09-23 13:00:00Z to 2016-09-23 13:00:00Z (A 1).
	//
	// | Type | From | To | Lookups | Result | Evidence |
	// |---|---|---|---:|---|---|
	// | A | 2016-09-23 13:00:00Z | 2016-09-23 13:00:00Z | 1 | A 192.0.2.29 | dns.log:5 |
	//
	// | Address | Type | Via | First | Last | Answers | TTL | Other names on the address | Evidence |
	// |---|---|---|---|---|---:|---|---|---|
	// | 192.0.2.29 | A |  | 2016-09-23 13:00:00Z | 2016-09-23 13:00:00Z | 1 | 3600 | mail1.example-email.com (A, PTR, from 2016-05-04) | dns.log:5 |
}
