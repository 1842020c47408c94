package dnslog_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

// A BIND 9 query log: named's own timestamps are local time, read in the
// Reader's Location. The query-errors line is not an event.
func Example_bind() {
	const log = `05-Jun-2019 01:02:03.004 queries: info: client @0x7f00deadbeef 192.0.2.7#5353 (www.example.org): view outside: query: www.example.org IN AAAA -E(0)DC (192.0.2.53)
05-Jun-2019 01:02:03.010 query-errors: info: client @0x7f00deadbeef 192.0.2.7#5353 (www.example.org): query failed (SERVFAIL) for www.example.org/IN/AAAA at query.c:7000
05-Jun-2019 01:02:04.500 queries: info: client @0x7f00deadbeef 192.0.2.8#40000 (Mail.Example.org): query: Mail.Example.org IN MX + (192.0.2.53)
`
	r := dnslog.NewReader(strings.NewReader(log))
	r.Location = time.FixedZone("UTC+2", 2*3600)
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format(time.RFC3339Nano), ev.Client, ev.ClientPort, ev.Server, ev.Name, ev.Type)
	}
	fmt.Println(r.DetectedFormat())
	// Output:
	// 2019-06-04T23:02:03.004Z 192.0.2.7 5353 192.0.2.53 www.example.org AAAA
	// 2019-06-04T23:02:04.5Z 192.0.2.8 40000 192.0.2.53 mail.example.org MX
	// bind
}

// Infoblox NIOS response lines carry the response code and the answers.
func Example_infoblox() {
	const log = `<30>Jun  5 01:02:03 gm named[9]: 05-Jun-2019 01:02:03.004 client 10.1.2.3#5300: UDP: query: www.example.org IN A response: NOERROR +ED www.example.org. 300 IN CNAME edge.example.net.; edge.example.net. 60 IN A 198.51.100.7;
`
	r := dnslog.NewReader(strings.NewReader(log))
	r.Format = dnslog.FormatBIND
	ev, err := r.Read()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.Name, ev.RCode)
	for _, a := range ev.Answers {
		fmt.Println(" ", a.Type, a.TTL, a.Data)
	}
	// Output:
	// www.example.org NOERROR
	//   CNAME 300 edge.example.net
	//   A 60 198.51.100.7
}

// dnsmasq logs a query and, on later lines, what became of it; the Reader
// returns one event per query, completed from its reply lines. Year-less
// stamps take the Reader's Year.
func Example_dnsmasq() {
	const log = `Jul  7 19:39:41 dnsmasq[536]: query[A] www.example.com from 192.168.1.185
Jul  7 19:39:41 dnsmasq[536]: forwarded www.example.com to 192.0.2.53
Jul  7 19:39:41 dnsmasq[536]: query[AAAA] nope.example from 192.168.1.185
Jul  7 19:39:41 dnsmasq[536]: cached nope.example is NXDOMAIN
Jul  7 19:39:42 dnsmasq[536]: reply www.example.com is <CNAME>
Jul  7 19:39:42 dnsmasq[536]: reply edge.example.net is 198.51.100.7
`
	r := dnslog.NewReader(strings.NewReader(log))
	r.Year = 2024
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format(time.DateTime), ev.Client, ev.Name, ev.Type, ev.RCode, len(ev.Answers))
	}
	// Output:
	// 2024-07-07 19:39:41 192.168.1.185 www.example.com A NOERROR 2
	// 2024-07-07 19:39:41 192.168.1.185 nope.example AAAA NXDOMAIN 0
}

// Unbound with log-queries and log-replies: the reply completes its query,
// so each lookup is one event.
func Example_unbound() {
	const log = `[1691577600] unbound[1234:0] query: 192.168.1.10 example.com. A IN
[1691577600] unbound[1234:0] query: 192.168.1.11 nope.example. AAAA IN
[1691577600] unbound[1234:0] reply: 192.168.1.10 example.com. A IN NOERROR 0.012000 0 44
[1691577601] unbound[1234:0] reply: 192.168.1.11 nope.example. AAAA IN NXDOMAIN 0.300000 0 90
`
	r := dnslog.NewReader(strings.NewReader(log))
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format(time.RFC3339), ev.Client, ev.RawName, ev.Name, ev.RCode)
	}
	// Output:
	// 2023-08-09T10:40:00Z 192.168.1.10 example.com. example.com NOERROR
	// 2023-08-09T10:40:00Z 192.168.1.11 nope.example. nope.example NXDOMAIN
}

// Windows DNS Server debug logs write dates in the server's locale. Here
// "05/03/2019" is settled as 5 March by the later "13/03/2019"; set
// Reader.DateOrder to force an order instead.
func Example_windows() {
	const log = `05/03/2019 16:05:31 0F9C PACKET  000000082A8141F0 UDP Rcv 10.0.0.7        c1f8   Q [0001   D   NOERROR] A      (3)www(7)example(3)com(0)
05/03/2019 16:05:31 0F9C PACKET  000000082A8141F0 UDP Snd 10.0.0.7        c1f8 R Q [8081   DR  NOERROR] A      (3)www(7)example(3)com(0)
13/03/2019 08:00:00 0F9C PACKET  000000082A8141F0 UDP Rcv 10.0.0.8        c1f9   Q [0001   D   NOERROR] MX     (7)example(3)org(0)
`
	r := dnslog.NewReader(strings.NewReader(log))
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format(time.DateTime), ev.Client, ev.Name, ev.Type, ev.RCode)
	}
	// Output:
	// 2019-03-05 16:05:31 10.0.0.7 www.example.com A NOERROR
	// 2019-03-13 08:00:00 10.0.0.8 example.org MX
}
