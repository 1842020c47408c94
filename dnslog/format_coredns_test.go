package dnslog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCoreDNS(t *testing.T) {
	const input = `.:53
CoreDNS-1.11.1
linux/amd64, go1.21.5, ae2bbc2
[INFO] plugin/reload: Running configuration SHA512 = 1b2c
2024-02-01T10:00:00.25Z [INFO] 10.1.2.3:40001 - 4242 "A IN Example.ORG. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
2024-02-01T10:00:01+01:00 [INFO] [2001:db8::7]:53001 - 7 "AAAA IN www.example.org. tcp 60 true 4096" NXDOMAIN qr,rd,ra 120 0.0021s "0"
{"log":"[INFO] 10.9.8.7:5353 - 1 \"TXT CH version.bind. udp 30 false 512\" REFUSED qr 30 0.00001s\n","stream":"stdout","time":"2024-02-01T10:00:02.5Z"}
{"message":"[INFO] 10.9.8.7:5354 - 2 \"TYPE65534 IN odd.example. udp 30 false 512\" SERVFAIL qr 30 0.00001s","time":1706781603.75}
{"log":"2024-02-01T10:00:04Z [INFO] 10.9.8.7:5355 - 3 \"PTR IN 7.8.9.10.in-addr.arpa. udp 44 false 512\" - - 0 1s","time":"2030-01-01T00:00:00Z"}
[ERROR] plugin/errors: 2 example.org. A: read udp 10.0.0.1:53->8.8.8.8:53: i/o timeout
[INFO] 10.1.2.3:40001 - 4242 "A IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
2024-02-01T25:00:00Z [INFO] 10.1.2.3:40001 - 4242 "A IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
2024-02-01T10:00:05Z [INFO] 10.1.2.300:40001 - 4242 "A IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
2024-02-01T10:00:05Z [INFO] 10.1.2.3:40001 - 4242 "BOGUS IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
2024-02-01T10:00:05Z [INFO] 10.1.2.3:40001 - 4242 "A IN bad..name. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
2024-02-01T10:00:05Z [INFO] 10.1.2.3:40001 - 4242 "A IN example.org. udp 51 false 512" WHAT qr,aa,rd 106 0.000143s
2024-02-01T10:00:05Z [INFO] 10.1.2.3:40001 - 4242 "A IN example.org." NOERROR qr,aa,rd 106 0.000143s
{"stream":"stdout","time":"2024-02-01T10:00:02.5Z"}
{"log":"[INFO] 10.9.8.7:5353 - 1 \"A IN a.example. udp 30 false 512\" NOERROR qr 30 0.1s","time":"yesterday"}
{"log":"unterminated
`
	evs, errs := tbReadAll(t, FormatCoreDNS, input)
	want := []Event{
		{Time: tbTime(t, "2024-02-01T10:00:00.25Z"), Client: tbAddr("10.1.2.3"), ClientPort: 40001,
			Name: "example.org", RawName: "Example.ORG.", Type: TypeA, Class: ClassIN, RCode: RCodeNoError, Pos: Position{Line: 5}},
		{Time: tbTime(t, "2024-02-01T09:00:01Z"), Client: tbAddr("2001:db8::7"), ClientPort: 53001,
			Name: "www.example.org", RawName: "www.example.org.", Type: TypeAAAA, Class: ClassIN, RCode: RCodeNXDomain, Pos: Position{Line: 6}},
		{Time: tbTime(t, "2024-02-01T10:00:02.5Z"), Client: tbAddr("10.9.8.7"), ClientPort: 5353,
			Name: "version.bind", RawName: "version.bind.", Type: TypeTXT, Class: ClassCH, RCode: RCodeRefused, Pos: Position{Line: 7}},
		{Time: tbTime(t, "2024-02-01T10:00:03.75Z"), Client: tbAddr("10.9.8.7"), ClientPort: 5354,
			Name: "odd.example", RawName: "odd.example.", Type: 65534, Class: ClassIN, RCode: RCodeServFail, Pos: Position{Line: 8}},
		// The line's own stamp wins over the wrapper's; "-" is no rcode.
		{Time: tbTime(t, "2024-02-01T10:00:04Z"), Client: tbAddr("10.9.8.7"), ClientPort: 5355,
			Name: "7.8.9.10.in-addr.arpa", RawName: "7.8.9.10.in-addr.arpa.", Type: TypePTR, Class: ClassIN, RCode: RCodeUnknown, Pos: Position{Line: 9}},
	}
	for i := range want {
		want[i].Format = FormatCoreDNS
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantErrs := []tbErr{
		{11, 1, ErrTime},   // no time anywhere
		{12, 1, ErrTime},   // hour 25
		{13, 29, ErrAddr},  // 10.1.2.300
		{14, 52, ErrType},  // BOGUS
		{15, 57, ErrName},  // bad..name.
		{16, 88, ErrField}, // WHAT
		{17, 52, ErrField}, // short question
		{18, 1, ErrField},  // wrapper without log
		{19, 98, ErrTime},  // wrapper time
		{20, 8, ErrField},  // unterminated JSON string
	}
	if diff := cmp.Diff(wantErrs, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCoreDNSCorpus(t *testing.T) {
	// The plain file: seven current-format lines carry no time at all
	// (ErrTime); the two older lines with an RFC 3339 prefix are events.
	evs, errs := tbCorpus(t, FormatCoreDNS, 2, 7, "coredns", "elastic_test-coredns.log")
	want := []Event{
		{Time: tbTime(t, "2019-03-06T08:55:28.903Z"), Client: tbAddr("172.17.0.4"), ClientPort: 36413,
			Name: "httpbin.org.cluster.local", RawName: "httpbin.org.cluster.local.", Type: TypeA, Class: ClassIN,
			RCode: RCodeNXDomain, Format: FormatCoreDNS, Pos: Position{"elastic_test-coredns.log", 8}},
		{Time: tbTime(t, "2019-03-19T05:13:36.289Z"), Client: tbAddr("::1"), ClientPort: 57413,
			Name: "www.yahoo.com", RawName: "www.yahoo.com.", Type: TypeA, Class: ClassIN,
			RCode: RCodeNoError, Format: FormatCoreDNS, Pos: Position{"elastic_test-coredns.log", 9}},
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	for i, e := range tbErrs(t, errs) {
		if e != (tbErr{int64(i + 1), 1, ErrTime}) {
			t.Errorf("error %d: %+v, want ErrTime at line %d column 1", i, e, i+1)
		}
	}

	evs, _ = tbCorpus(t, FormatCoreDNS, 3, 0, "coredns", "elastic_test-coredns-json.log")
	want = []Event{
		{Time: tbTime(t, "2019-02-12T00:27:28.903433597Z"), Client: tbAddr("172.17.0.4"), ClientPort: 36413,
			Name: "httpbin.org.cluster.local", RawName: "httpbin.org.cluster.local.", Type: TypeA, Class: ClassIN,
			RCode: RCodeNXDomain, Format: FormatCoreDNS, Pos: Position{"elastic_test-coredns-json.log", 1}},
		{Time: tbTime(t, "2019-03-19T02:57:23.214583742Z"), Client: tbAddr("172.17.0.9"), ClientPort: 37723,
			Name: "httpbin.org", RawName: "httpbin.org.", Type: TypeA, Class: ClassIN,
			RCode: RCodeNoError, Format: FormatCoreDNS, Pos: Position{"elastic_test-coredns-json.log", 2}},
		{Time: tbTime(t, "2019-03-11T07:16:34.013970788Z"), Client: tbAddr("::1"), ClientPort: 37915,
			Name: "czbaoyu.com", RawName: "czbaoyu.com.", Type: TypeAAAA, Class: ClassIN,
			RCode: RCodeNoError, Format: FormatCoreDNS, Pos: Position{"elastic_test-coredns-json.log", 3}},
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestCoreDNSSniff(t *testing.T) {
	for _, lines := range [][]string{
		{`2024-02-01T10:00:00Z [INFO] 10.1.2.3:40001 - 4242 "A IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s`},
		{`.:53`, `[INFO] 10.1.2.3:40001 - 4242 "A IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s`},
		{`{"log":"[INFO] [::1]:5353 - 1 \"A IN a.example. udp 30 false 512\" NOERROR qr 30 0.1s\n","stream":"stdout","time":"2024-02-01T10:00:02.5Z"}`},
	} {
		if f, s := tbSniffBest(lines); f != FormatCoreDNS {
			t.Errorf("sniff %q: best %s (%d), want coredns", lines, f, s)
		}
	}
	if s := sniffCoreDNS([][]byte{[]byte(`[ERROR] plugin/errors: 2 example.org. A: i/o timeout`)}); s != 0 {
		t.Errorf("sniff of an error line = %d, want 0", s)
	}
}

func FuzzCoreDNS(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { tbFuzzLines(t, FormatCoreDNS, data) })
}
