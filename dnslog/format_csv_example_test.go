package dnslog_test

import (
	"fmt"
	"maps"
	"strings"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

// A CSV export is read by its header names; for a layout the default
// table does not know, extend a copy of it and give it to the Reader.
func ExampleReader_csvColumns() {
	cols := maps.Clone(dnslog.DefaultCSVColumns)
	cols["when"] = dnslog.CSVTime
	cols["asked by"] = dnslog.CSVClient

	const export = `When,Asked By,Domain,Type,Response Code
2024-05-01T08:00:00Z,192.0.2.7,Updates.Example.com.,28 (AAAA),NOERROR
2024-05-01T08:00:05Z,192.0.2.7,missing.example,A,NXDOMAIN
`
	r := dnslog.NewReader(strings.NewReader(export))
	r.CSVColumns = cols
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format("15:04:05"), ev.Client, ev.Name, ev.Type, ev.RCode)
	}
	fmt.Println(r.DetectedFormat())
	// Output:
	// 08:00:00 192.0.2.7 updates.example.com AAAA NOERROR
	// 08:00:05 192.0.2.7 missing.example A NXDOMAIN
	// csv
}

// CoreDNS lines collected by Kubernetes carry their time in the JSON
// wrapper; the log plugin's own line has none.
func ExampleReader_coreDNSKubernetes() {
	const log = `{"log":"[INFO] 10.244.0.9:41873 - 5120 \"A IN api.example.com. udp 44 false 512\" NOERROR qr,rd,ra 88 0.000211s\n","stream":"stdout","time":"2024-05-01T08:00:00.25Z"}
{"log":"[INFO] [fd00::9]:41874 - 5121 \"AAAA IN api.example.com. udp 44 false 512\" NOERROR qr,rd,ra 100 0.000190s\n","stream":"stdout","time":"2024-05-01T08:00:00.26Z"}
`
	r := dnslog.NewReader(strings.NewReader(log))
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time.Format("15:04:05.00"), ev.Client, ev.ClientPort, ev.Name, ev.Type, ev.RCode, ev.Format)
	}
	// Output:
	// 08:00:00.25 10.244.0.9 41873 api.example.com A NOERROR coredns
	// 08:00:00.26 fd00::9 41874 api.example.com AAAA NOERROR coredns
}

// AdGuard Home keeps the whole response, so events carry its answers.
func ExampleReader_adGuardHome() {
	// The Answer member is a DNS response in wire format: one A record,
	// 192.0.2.80 with a TTL of 300 s.
	const log = `{"IP":"192.0.2.7","T":"2024-05-01T10:00:00.5+02:00","QH":"www.example.org","QT":"A","QC":"IN","CP":"doh","Answer":"EjSBgAABAAEAAAAAA3d3dwdleGFtcGxlA29yZwAAAQABwAwAAQABAAABLAAEwAACUA==","Elapsed":41000}
`
	r := dnslog.NewReader(strings.NewReader(log))
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Time, ev.Client, ev.Name, ev.RCode)
		for _, a := range ev.Answers {
			fmt.Println(" ", a.Type, a.Data, a.TTL)
		}
	}
	// Output:
	// 2024-05-01 08:00:00.5 +0000 UTC 192.0.2.7 www.example.org NOERROR
	//   A 192.0.2.80 300
}
