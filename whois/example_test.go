package whois_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/dnsnexus/dnsnexus/whois"
)

func ExampleParse() {
	answer := []byte(`% Information related to '192.0.2.0 - 192.0.2.255'

inetnum:   192.0.2.0 - 192.0.2.255
netname:   EXAMPLE-NET
descr:     Example Networks
country:   NL
created:   2010-01-02T03:04:05Z
source:    RIPE # Filtered
`)
	r, err := whois.Parse(answer)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Kind, r.Source, r.Ranges, r.NetName, r.Org, r.Country, r.Created.Format("2006-01-02"))
	// Output: network RIPE [192.0.2.0/24] EXAMPLE-NET Example Networks NL 2010-01-02
}

func ExampleParser_query() {
	answer := []byte(`NetRange:  198.51.100.0 - 198.51.100.255
NetName:   EXAMPLE-PARENT
OrgName:   Example Carrier

#

NetRange:  198.51.100.16 - 198.51.100.31
NetName:   EXAMPLE-CUSTOMER
CustName:  Example Customer
`)
	for _, q := range []string{"198.51.100.20", "198.51.100.200"} {
		p := whois.Parser{Query: netip.MustParseAddr(q)}
		r, _ := p.ParseBytes(answer)
		fmt.Println(q, r.Ranges, r.NetName, r.Org)
	}
	// Output:
	// 198.51.100.20 [198.51.100.16/28] EXAMPLE-CUSTOMER Example Customer
	// 198.51.100.200 [198.51.100.0/24] EXAMPLE-PARENT Example Carrier
}

func ExampleParse_notFound() {
	_, err := whois.Parse([]byte("%ERROR:101: no entries found\n"))
	fmt.Println(errors.Is(err, whois.ErrNotFound))
	// Output: true
}

func ExampleRangePrefixes() {
	fmt.Println(whois.RangePrefixes(netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.6")))
	// Output: [192.0.2.1/32 192.0.2.2/31 192.0.2.4/31 192.0.2.6/32]
}

func ExampleTable() {
	var t whois.Table
	wide, _ := whois.Parse([]byte("inetnum: 192.0.2.0 - 192.0.2.255\nnetname: WIDE\n"))
	narrow, _ := whois.Parse([]byte("inetnum: 192.0.2.64 - 192.0.2.95\nnetname: NARROW\n"))
	t.Add(wide)
	t.Add(narrow)
	for _, a := range []string{"192.0.2.70", "192.0.2.200", "203.0.113.1"} {
		r, ok := t.Lookup(netip.MustParseAddr(a))
		fmt.Println(a, r.NetName, ok)
	}
	// Output:
	// 192.0.2.70 NARROW true
	// 192.0.2.200 WIDE true
	// 203.0.113.1  false
}

func ExampleLoadDir() {
	t, err := whois.LoadDir(context.Background(), "testdata")
	fmt.Println(errors.Is(err, whois.ErrNotFound)) // testdata holds a no-match answer
	r, _ := t.Lookup(netip.MustParseAddr("198.51.100.20"))
	fmt.Println(r.NetName, r.Org, r.Country)
	d, _ := t.Domain("www.example.org")
	fmt.Println(d.Domain, d.Registrar, d.Created.Format("2006-01-02"))
	// Output:
	// true
	// EXAMPLE-CUST-16 Example Customer LLC US
	// example.org Example Registrar LLC 1999-05-31
}
