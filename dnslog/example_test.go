package dnslog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

func ExampleReader() {
	log := "TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP\n" +
		"2016-09-23T13:56:29.000Z | www.Example.com. | 10.1.2.3\n" +
		"2016-09-23T13:56:31.250Z | mail.example.org | 10.1.2.4\n"
	r := dnslog.NewReader(strings.NewReader(log))
	r.File = "campus.log"
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format(time.RFC3339Nano), ev.Client, ev.Name, ev.Pos)
	}
	fmt.Println("format:", r.DetectedFormat())
	// Output:
	// 2016-09-23T13:56:29Z 10.1.2.3 www.example.com campus.log:2
	// 2016-09-23T13:56:31.25Z 10.1.2.4 mail.example.org campus.log:3
	// format: research
}

func ExampleReader_zeek() {
	log := "#separator \\x09\n" +
		"#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tquery\tqtype\trcode\tanswers\tTTLs\n" +
		"1521911720.865716\t10.47.1.100\t41772\t10.0.0.100\t53\tise.example.org\t1\t0\tise.example.edu,192.0.2.16\t2230.000000,41830.000000\n" +
		"1521911721.5\t10.47.1.100\t41773\t10.0.0.100\t53\t-\t-\t-\t-\t-\n"
	r := dnslog.NewReader(strings.NewReader(log))
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s:%d name=%q type=%q rcode=%q", ev.Client, ev.ClientPort, ev.Name, ev.Type, ev.RCode)
		for _, a := range ev.Answers {
			fmt.Printf(" %s/ttl=%d", a.Data, a.TTL)
		}
		fmt.Println()
	}
	// Output:
	// 10.47.1.100:41772 name="ise.example.org" type="A" rcode="NOERROR" ise.example.edu/ttl=2230 192.0.2.16/ttl=41830
	// 10.47.1.100:41773 name="" type="" rcode=""
}

func ExampleReader_lenient() {
	log := "1474639000 10.0.0.1 a.example A\n" +
		"1474639001 10.0.0.1 b..example A\n" +
		"1474639002 10.0.0.2 c.example AAAA\n"
	r := dnslog.NewReader(strings.NewReader(log))
	r.File = "q.log"
	r.Lenient = true
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Name, ev.Type)
	}
	fmt.Println("skipped:", r.Skipped())
	for _, err := range r.Errors() {
		fmt.Println(err, errors.Is(err, dnslog.ErrName))
	}
	// Output:
	// a.example A
	// c.example AAAA
	// skipped: 1
	// q.log:2:21: research: bad query name: "b..example" true
}

func ExampleParseError() {
	r := dnslog.NewReader(strings.NewReader("2016-09-23T13:56:29Z 10.0.0.1 a.example\n2016-09-23T25:00:00Z 10.0.0.1 b.example\n"))
	r.File = "q.log"
	for _, err := range r.All() {
		var pe *dnslog.ParseError
		if errors.As(err, &pe) {
			fmt.Println(pe.File, pe.Line, pe.Column, errors.Is(err, dnslog.ErrTime))
			fmt.Println(err)
		}
	}
	// Output:
	// q.log 2 1 true
	// q.log:2:1: research: bad timestamp: "2016-09-23T25:00:00Z"
}

func ExampleMultiReader() {
	ns1 := dnslog.NewReader(strings.NewReader(
		"2020-05-01T10:00:00.000Z 10.0.0.7 www.example.com A\n2020-05-01T10:01:00Z 10.0.0.7 www.example.com A\n"))
	ns2 := dnslog.NewReader(strings.NewReader(
		"2020-05-01T10:00:00.004Z 10.0.0.7 www.example.com A\n2020-05-01T10:00:30Z 10.0.0.8 www.example.com A\n"))
	ns1.File, ns2.File = "ns1", "ns2"
	m := dnslog.NewMultiReader(ns1, ns2)
	m.Dedup = time.Second
	for ev, err := range m.AllContext(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format("15:04:05.000"), ev.Client, ev.Name, ev.Pos)
	}
	fmt.Println("duplicates:", m.Duplicates())
	// Output:
	// 10:00:00.000 10.0.0.7 www.example.com ns1:1
	// 10:00:30.000 10.0.0.8 www.example.com ns2:2
	// 10:01:00.000 10.0.0.7 www.example.com ns1:2
	// duplicates: 1
}

// A large log decodes on all cores with Parallel set to -1; the events
// and errors come in input order, with their line numbers, as when read
// sequentially.
func ExampleReader_parallel() {
	var log strings.Builder
	for i := range 50000 { // about 2 MB: several chunks
		if i == 30000 {
			log.WriteString("1474669000 10.0.0.300 bad.example A\n")
			continue
		}
		fmt.Fprintf(&log, "%d 10.0.%d.%d h%d.example A\n", 1474639000+i, i/256%256, i%256, i%1000)
	}
	r := dnslog.NewReader(strings.NewReader(log.String()))
	r.File = "big.log"
	r.Parallel = -1
	r.Lenient = true
	n := 0
	var last dnslog.Event
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
		last = ev
	}
	fmt.Println(n, "events, last:", last.Name, last.Time.Unix(), last.Pos)
	fmt.Println("skipped:", r.Skipped(), r.Errors())
	// Output:
	// 49999 events, last: h999.example 1474688999 big.log:50000
	// skipped: 1 [big.log:30001:12: research: bad address: neither "10.0.0.300" nor "bad.example" is an IP address]
}
