package dnslog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Helpers shared by the BIND, dnsmasq, Unbound and Windows tests.

var fmtaCmp = []cmp.Option{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// fmtaEvent builds an expected event; fields beyond these are set by the
// caller.
func fmtaEvent(line int64, when, client string, port uint16, name string, ty Type, cl Class) Event {
	t, err := time.Parse(time.RFC3339Nano, when)
	if err != nil {
		panic(err)
	}
	return Event{Time: t.UTC(), Client: netip.MustParseAddr(client), ClientPort: port, Name: name, RawName: name,
		Type: ty, Class: cl, RCode: RCodeUnknown, Pos: Position{Line: line}}
}

func fmtaAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// fmtaRun feeds the lines of text to a fresh decoder of format f the way
// a Reader does (empty lines skipped, Pos.Line set, pop drained after
// every line and at the end) and returns the events and the errors by
// 1-based line.
// fmtaOrder is the Windows date order fmtaRun's decoders use.
var fmtaOrder DateOrder

func fmtaRun(t testing.TB, f Format, loc *time.Location, year int, text string) ([]Event, map[int]error) {
	t.Helper()
	if loc == nil {
		loc = time.UTC
	}
	var in interner
	cfg := &decodeConfig{loc: loc, year: year, intern: in.intern, dateOrder: fmtaOrder}
	dec := lookupFormat(f).newLine(cfg)
	pd, _ := dec.(pendingDecoder)
	var evs []Event
	errs := map[int]error{}
	drain := func(eof bool) {
		for pd != nil {
			ev := Event{RCode: RCodeUnknown}
			if !pd.pop(&ev, eof) {
				return
			}
			evs = append(evs, ev)
		}
	}
	for i, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		ev := Event{RCode: RCodeUnknown, Pos: Position{Line: int64(i + 1)}}
		ok, err := dec.decode([]byte(line), &ev)
		if err != nil {
			errs[i+1] = err
			var fe *fieldError
			if !errors.As(err, &fe) || fe.col < 1 || fe.col > len(line)+1 {
				t.Errorf("line %d: error %v is not a fieldError with a column in the line", i+1, err)
			}
		}
		if ok {
			if err != nil {
				t.Errorf("line %d: event and error %v", i+1, err)
			}
			evs = append(evs, ev)
		}
		drain(false)
	}
	drain(true)
	return evs, errs
}

// fmtaErrCase is a bad line: the error's cause and the text its column
// must point at (the first occurrence of at in the line; "" for column 1,
// "$" for just past the end).
type fmtaErrCase struct {
	line  string
	cause error
	at    string
}

func fmtaCheckErrors(t *testing.T, f Format, cases []fmtaErrCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			evs, errs := fmtaRun(t, f, nil, 2021, tc.line)
			if len(evs) != 0 {
				t.Errorf("got events %v", evs)
			}
			err := errs[1]
			if err == nil {
				t.Fatal("no error")
			}
			want := 1
			if tc.at == "$" {
				want = len(tc.line) + 1
			} else if tc.at != "" {
				want = strings.Index(tc.line, tc.at) + 1
				if want == 0 {
					t.Fatalf("%q not in the line", tc.at)
				}
			}
			var fe *fieldError
			errors.As(err, &fe)
			if diff := cmp.Diff([2]any{true, want}, [2]any{errors.Is(err, tc.cause), fe.col}); diff != "" {
				t.Errorf("%v: cause is %v, column (-want +got):\n%s", err, tc.cause, diff)
			}
		})
	}
}

// fmtaCorpus returns the text of a corpus file, skipping the test when
// DNSNEXUS_CORPUS is unset.
func fmtaCorpus(t *testing.T, parts ...string) string {
	t.Helper()
	root := os.Getenv("DNSNEXUS_CORPUS")
	if root == "" {
		t.Skip("DNSNEXUS_CORPUS is not set")
	}
	b, err := os.ReadFile(filepath.Join(append([]string{root, "dnslog"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fmtaReadAll reads text through a Reader with the format forced (or
// detected when f is ""), strictly, returning the events and the first
// error other than io.EOF.
func fmtaReadAll(t *testing.T, f Format, year int, text string) ([]Event, error) {
	t.Helper()
	r := NewReader(strings.NewReader(text))
	r.Format = f
	r.Year = year
	var evs []Event
	for ev, err := range r.All() {
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

func TestBINDLines(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	ans := func(data string, ty Type, ttl uint32) Answer {
		return Answer{Data: data, Type: ty, TTL: ttl, HasTTL: true}
	}
	tests := []struct {
		name string
		loc  *time.Location
		line string
		want []Event // nil: not an event
	}{
		{"9.3 no flags, mixed case name", nil,
			"12-Mar-2015 10:00:00.123 client 192.0.2.1#1234: query: www.Example.ORG IN A",
			[]Event{func() Event {
				e := fmtaEvent(1, "2015-03-12T10:00:00.123Z", "192.0.2.1", 1234, "www.example.org", TypeA, ClassIN)
				e.RawName = "www.Example.ORG"
				return e
			}()}},
		{"9.9 qname, flags, destination, in a zone", est,
			"12-Mar-2015 10:00:00.123 queries: info: client 192.0.2.1#1234 (mail.example): query: mail.example IN MX +E (198.51.100.53)",
			[]Event{func() Event {
				e := fmtaEvent(1, "2015-03-12T15:00:00.123Z", "192.0.2.1", 1234, "mail.example", TypeMX, ClassIN)
				e.Server = fmtaAddr("198.51.100.53")
				return e
			}()}},
		{"9.11 @0x, view, ECS, IPv6 client", nil,
			"05-Jun-2019 01:02:03.004 queries: info: client @0x7f00deadbeef 2001:db8::5#5353 (a.example): view outside: query: a.example IN AAAA -E(0)DC (2001:db8::53) [ECS 203.0.113.0/24/0]",
			[]Event{func() Event {
				e := fmtaEvent(1, "2019-06-05T01:02:03.004Z", "2001:db8::5", 5353, "a.example", TypeAAAA, ClassIN)
				e.Server = fmtaAddr("2001:db8::53")
				return e
			}()}},
		{"print-time iso8601 local", est,
			"2021-03-04T05:06:07.890 queries: info: client @0x1 10.1.2.3#40000 (b.example): query: b.example IN TXT +T (10.0.0.53)",
			[]Event{func() Event {
				e := fmtaEvent(1, "2021-03-04T10:06:07.890Z", "10.1.2.3", 40000, "b.example", TypeTXT, ClassIN)
				e.Server = fmtaAddr("10.0.0.53")
				return e
			}()}},
		{"print-time iso8601-utc under syslog", est,
			"<30>Mar  4 05:06:07 ns1 named[77]: 2021-03-04T10:06:07.5Z queries: info: client 10.1.2.3#40000: query: c.example IN SRV +",
			[]Event{fmtaEvent(1, "2021-03-04T10:06:07.5Z", "10.1.2.3", 40000, "c.example", TypeSRV, ClassIN)}},
		{"syslog stamp only, two host fields", est,
			"Mar  4 05:06:07 ns1.example 192.0.2.53 named[77]: client @0x2 10.1.2.3#40000 (d.example): query: d.example IN A + (192.0.2.53)",
			[]Event{func() Event {
				e := fmtaEvent(1, "2021-03-04T10:06:07Z", "10.1.2.3", 40000, "d.example", TypeA, ClassIN)
				e.Server = fmtaAddr("192.0.2.53")
				return e
			}()}},
		{"syslog and named stamps: named wins", nil,
			"<30>Mar  4 05:06:07 ns1 named[77]: 04-Mar-2021 05:06:06.999 client 10.1.2.3#40000: query: e.example IN A +",
			[]Event{fmtaEvent(1, "2021-03-04T05:06:06.999Z", "10.1.2.3", 40000, "e.example", TypeA, ClassIN)}},
		{"syslog stamp with fraction", nil,
			"Mar  4 05:06:07.25 queries: info: client 10.1.2.3#40000: query: f.example CH TXT",
			[]Event{fmtaEvent(1, "2021-03-04T05:06:07.25Z", "10.1.2.3", 40000, "f.example", TypeTXT, ClassCH)}},
		{"unknown type in RFC 3597 form, root name", nil,
			"05-Jun-2019 01:02:03.004 client 10.1.2.3#1: query: . IN TYPE65534 -",
			[]Event{fmtaEvent(1, "2019-06-05T01:02:03.004Z", "10.1.2.3", 1, ".", 65534, ClassIN)}},
		{"Infoblox response with CNAME chain", nil,
			"<30>Jun  5 01:02:03 gm named[9]: 05-Jun-2019 01:02:03.004 client 10.1.2.3#5300: UDP: query: www.Example.org IN A response: NOERROR +ED www.example.org. 300 IN CNAME Edge.Example.NET.; edge.example.net. 60 IN A 198.51.100.7;",
			[]Event{func() Event {
				e := fmtaEvent(1, "2019-06-05T01:02:03.004Z", "10.1.2.3", 5300, "www.example.org", TypeA, ClassIN)
				e.RawName = "www.Example.org"
				e.RCode = RCodeNoError
				e.Answers = []Answer{ans("edge.example.net", TypeCNAME, 300), ans("198.51.100.7", TypeA, 60)}
				return e
			}()}},
		{"Infoblox NXDOMAIN over TCP with view", nil,
			"05-Jun-2019 01:02:03.004 client 10.1.2.3#5300: view 3: TCP: query: nope.example IN AAAA response: NXDOMAIN +",
			[]Event{func() Event {
				e := fmtaEvent(1, "2019-06-05T01:02:03.004Z", "10.1.2.3", 5300, "nope.example", TypeAAAA, ClassIN)
				e.RCode = RCodeNXDomain
				return e
			}()}},
		{"BIND 8 recursive", nil,
			"27-Jan-2004 10:11:12.000 XX+ /192.0.2.9/Host.example/MX/IN",
			[]Event{func() Event {
				e := fmtaEvent(1, "2004-01-27T10:11:12Z", "192.0.2.9", 0, "host.example", TypeMX, ClassIN)
				e.RawName = "Host.example"
				return e
			}()}},
		{"RFC 5424 syslog", nil,
			"<30>1 2021-03-04T05:06:07.123456Z ns1.example named 77 - [meta seq=\"1]\"] client @0x2 10.1.2.3#40000 (g.example): query: g.example IN A + (192.0.2.53)",
			[]Event{func() Event {
				e := fmtaEvent(1, "2021-03-04T05:06:07.123456Z", "10.1.2.3", 40000, "g.example", TypeA, ClassIN)
				e.Server = fmtaAddr("192.0.2.53")
				return e
			}()}},
		{"RFC 5424 with named's stamp", nil,
			"<30>1 2021-03-04T05:06:07Z ns1 named 77 - - 04-Mar-2021 05:06:06.999 queries: info: client 10.1.2.3#40000: query: h.example IN A",
			[]Event{fmtaEvent(1, "2021-03-04T05:06:06.999Z", "10.1.2.3", 40000, "h.example", TypeA, ClassIN)}},
		{"syslog host named client", nil,
			"Mar  4 05:06:07 client named[1]: client 10.1.2.3#40000: query: i.example IN A",
			[]Event{fmtaEvent(1, "2021-03-04T05:06:07Z", "10.1.2.3", 40000, "i.example", TypeA, ClassIN)}},
		{"query-errors", nil, "05-Jun-2019 01:02:03.004 query-errors: info: client @0x1 10.1.2.3#1 (x.example): query failed (SERVFAIL) for x.example/IN/A at query.c:1", nil},
		{"security denied", nil, "05-Jun-2019 01:02:03.004 security: info: client @0x1 10.1.2.3#1 (x.example): query (cache) 'x.example/A/IN' denied", nil},
		{"rpz", nil, "05-Jun-2019 01:02:03.004 rpz: info: client @0x1 10.1.2.3#1 (x.example): rpz QNAME NXDOMAIN rewrite x.example/A/IN via x.example.rpz", nil},
		{"xfer", nil, "05-Jun-2019 01:02:03.004 xfer-out: info: client @0x1 10.1.2.3#1 (example): transfer of 'example/IN': AXFR started", nil},
		{"notify", nil, "Jun  5 01:02:03 ns1 named[1]: zone example/IN: sending notifies (serial 7)", nil},
		{"other program", nil, "Jun  5 01:02:03 ns1 sshd[1]: Accepted publickey for root", nil},
		{"noise", nil, "hello world", nil},
		{"no port", nil, "05-Jun-2019 01:02:03.004 client 10.1.2.3: query: x.example IN A", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := fmtaRun(t, FormatBIND, tt.loc, 2021, tt.line)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, fmtaCmp...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBINDErrors(t *testing.T) {
	const tail = " client 10.1.2.3#53: query: x.example IN A"
	fmtaCheckErrors(t, FormatBIND, []fmtaErrCase{
		{"client 10.1.2.3#53: query: x.example IN A", ErrTime, ""},
		{"queries: info: client @0x1 10.1.2.3#53 (x.example): view v: query: x.example IN A", ErrTime, ""},
		{"XX /192.0.2.9/host.example/MX/IN", ErrTime, ""},
		{"31-Feb-2021 10:00:00.000" + tail, ErrTime, ""},
		{"12-Mar-2015 25:00:00.000" + tail, ErrTime, ""},
		{"<30>Mar  4 05:06:07 ns1 named[1]: 12-Mar-2015 10:00:00.00x" + tail, ErrTime, "12-Mar"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.300#53: query: x.example IN A", ErrAddr, "10.1.2.300"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#70000: query: x.example IN A", ErrAddr, "70000"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: x..example IN A", ErrName, "x..example"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: ", ErrName, "$"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: x.example IX A", ErrType, "IX"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: x.example IN BOGUS", ErrType, "BOGUS"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: x.example IN", ErrType, "$"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: x.example IN A + (ns1.example)", ErrAddr, "(ns1"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: query: x.example IN A + [ECS 1.2.3.0/24/0", ErrField, "[ECS"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: UDP: query: x.example IN A response: WEIRD +", ErrField, "WEIRD"},
		{"12-Mar-2015 10:00:00.000 client 10.1.2.3#53: UDP: query: x.example IN A response: NOERROR + x.example. 3o0 IN A 1.2.3.4;", ErrField, "3o0"},
		{"12-Mar-2015 10:00:00.000 XX /192.0.2.9/host.example/BOGUS/IN", ErrType, "BOGUS"},
		{"12-Mar-2015 10:00:00.000 XX /192.0.2.9.1/host.example/A/IN", ErrAddr, "192.0.2.9.1"},
	})
}

func TestBINDYearRollover(t *testing.T) {
	in := "Dec 31 23:59:59 ns1 named[1]: client 10.0.0.1#1: query: a.example IN A\n" +
		"Jan  1 00:00:01 ns1 named[1]: client 10.0.0.1#1: query: b.example IN A\n"
	got, errs := fmtaRun(t, FormatBIND, nil, 2020, in)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []Event{
		fmtaEvent(1, "2020-12-31T23:59:59Z", "10.0.0.1", 1, "a.example", TypeA, ClassIN),
		fmtaEvent(2, "2021-01-01T00:00:01Z", "10.0.0.1", 1, "b.example", TypeA, ClassIN),
	}
	if diff := cmp.Diff(want, got, fmtaCmp...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBINDCorpusExamples reads the hand-collected single lines, one BIND
// variant per line, with the format forced.
func TestBINDCorpusExamples(t *testing.T) {
	text := fmtaCorpus(t, "bind", "extracted_examples.log")
	got, errs := fmtaRun(t, FormatBIND, nil, 2024, text)
	// Lines 5 and 6 carry no timestamp at all: ErrTime. Lines 13, 14 and
	// 16 are query-errors, security and a denial: not events.
	if len(errs) != 2 || !errors.Is(errs[5], ErrTime) || !errors.Is(errs[6], ErrTime) {
		t.Errorf("errors %v, want ErrTime on lines 5 and 6", errs)
	}
	lines := []int64{}
	for _, e := range got {
		lines = append(lines, e.Pos.Line)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 15, 17}, lines); diff != "" {
		t.Errorf("event lines (-want +got):\n%s", diff)
	}
	srv := func(e Event, s string) Event { e.Server = fmtaAddr(s); return e }
	want := map[int64]Event{
		1:  srv(fmtaEvent(1, "2011-01-30T00:00:01.852Z", "10.10.10.11", 2582, "ns.dns.jp", TypeA, ClassIN), "203.119.1.1"),
		2:  srv(fmtaEvent(2, "2013-07-01T00:00:01.395Z", "10.11.21.21", 2210, "google.co.jp", TypeDS, ClassIN), "203.119.1.1"),
		3:  srv(fmtaEvent(3, "2020-11-02T17:50:06.220Z", "10.22.33.2", 51012, "2001:db8:111:2:12:", TypeAAAA, ClassIN), "203.119.1.1"),
		10: srv(fmtaEvent(10, "2022-05-29T10:57:43.096Z", "74.125.181.8", 36381, "yasho.icollab.info", TypeA, ClassIN), "54.37.175.117"),
		// syslog stamp 15:50:26 local, named's iso8601-utc stamp wins
		11: srv(fmtaEvent(11, "2024-09-20T10:20:26.751Z", "10.10.10.10", 56256, "google.com", TypeA, ClassIN), "10.10.10.10"),
		12: srv(fmtaEvent(12, "2024-09-10T21:18:23.841Z", "10.10.10.10", 50, "example.com", TypePTR, ClassIN), "20.20.20.20"),
		// year-less "Feb 25" after a "Sep 20" syslog stamp on line 11:
		// the year tracker moves to the next year.
		15: fmtaEvent(15, "2025-02-25T11:09:43.651Z", "10.0.0.3", 1035, "3.example.com.nl", TypeA, ClassIN),
		17: fmtaEvent(17, "2004-01-27T00:00:00Z", "192.168.1.5", 0, "mx1.example.co.jp", TypeA, ClassIN),
	}
	for _, e := range got {
		if w, ok := want[e.Pos.Line]; ok {
			if diff := cmp.Diff(w, e, fmtaCmp...); diff != "" {
				t.Errorf("line %d (-want +got):\n%s", e.Pos.Line, diff)
			}
		}
	}
	// Through a lenient Reader: the same events, the two stamp-less lines
	// skipped and reported at their line, column 1.
	r := NewReader(strings.NewReader(text))
	r.Format, r.Year, r.Lenient, r.File = FormatBIND, 2024, true, "x.log"
	n := 0
	for _, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	var pos [][2]int64
	for _, err := range r.Errors() {
		var pe *ParseError
		if errors.As(err, &pe) && errors.Is(err, ErrTime) && pe.File == "x.log" {
			pos = append(pos, [2]int64{pe.Line, int64(pe.Column)})
		}
	}
	if diff := cmp.Diff([][2]int64{{5, 1}, {6, 1}}, pos); n != len(got) || r.Skipped() != 2 || diff != "" {
		t.Errorf("lenient Reader: %d events (want %d), %d skipped; ErrTime positions (-want +got):\n%s", n, len(got), r.Skipped(), diff)
	}
}

// TestBINDCorpusInfoblox reads the Infoblox NIOS sample: 12 query lines
// among rpz, transfer, notify, validation, CEF and query-errors noise,
// which is skipped without error.
func TestBINDCorpusInfoblox(t *testing.T) {
	text := fmtaCorpus(t, "bind", "infoblox_nios_test-dns.log")
	got, err := fmtaReadAll(t, FormatBIND, 2022, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 12 {
		t.Errorf("got %d events, want 12", len(got))
	}
	auto, err := fmtaReadAll(t, "", 2022, text)
	if err != nil || len(auto) != len(got) {
		t.Errorf("detected: %d events, %v; want %d", len(auto), err, len(got))
	}
	ans := func(data string, ty Type, ttl uint32) Answer {
		return Answer{Data: data, Type: ty, TTL: ttl, HasTTL: true}
	}
	type fix func(*Event)
	mk := func(line int64, when, client string, port uint16, name string, ty Type, cl Class, f fix) Event {
		e := fmtaEvent(line, when, client, port, name, ty, cl)
		e.Format = FormatBIND
		f(&e)
		return e
	}
	want := map[int64]Event{
		1: mk(1, "2022-04-07T08:08:10.043Z", "192.168.0.1", 57398, "a1.foo.com", TypeA, ClassIN, func(e *Event) {
			e.RCode = RCodeNoError
			e.Answers = []Answer{ans("foo.com", TypeA, 28800), ans("0.0.0.0", TypeA, 28800)}
		}),
		2: mk(2, "2022-04-07T08:08:10.043Z", "192.168.0.1", 50565, "test.com", TypeA, ClassIN, func(e *Event) { e.RCode = RCodeRefused }),
		4: mk(4, "2022-04-07T08:08:10.043Z", "192.168.0.1", 57398, "non-exist.foo.com", TypeA, ClassIN, func(e *Event) { e.RCode = RCodeNXDomain }),
		// no named stamp: the syslog stamp, year from Reader.Year
		7:  mk(7, "2022-03-09T23:59:59Z", "192.168.0.1", 59735, "config.nos-avg.cz", TypeTXT, ClassIN, func(e *Event) { e.Server = fmtaAddr("192.168.0.1") }),
		22: mk(22, "2022-04-14T16:17:20.046Z", "192.168.1.90", 57738, "settings-win.data.microsoft.com", TypeA, ClassIN, func(e *Event) { e.RCode = RCodeRefused }),
		25: mk(25, "2022-10-04T10:18:07.834Z", "89.160.20.128", 59605, "89.160.20.128.a1.foo.com", TypePTR, ClassIN, func(e *Event) {
			e.RCode = RCodeNoError
			e.Answers = []Answer{ans("089.160.20.112.a1.foo.com", TypePTR, 21801)}
		}),
		26: mk(26, "2023-05-09T11:54:36.185Z", "89.160.20.128", 59605, "settings-win.data.microsoft.com", TypeTXT, ClassIN, func(e *Event) {
			e.RCode = RCodeNoError
			e.Answers = []Answer{ans(`"k=rsa; p=abc" "def" "ghi" "jkl" "AB"`, TypeTXT, 3600)}
		}),
		28: mk(28, "2022-11-27T11:53:09Z", "10.4.71.204", 40026, "version.bind", TypeTXT, ClassCH, func(e *Event) { e.Server = fmtaAddr("192.168.0.1") }),
	}
	seen := 0
	for _, e := range got {
		if w, ok := want[e.Pos.Line]; ok {
			seen++
			if diff := cmp.Diff(w, e, fmtaCmp...); diff != "" {
				t.Errorf("line %d (-want +got):\n%s", e.Pos.Line, diff)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d expected lines", seen, len(want))
	}
}

// TestSniffFormatsA checks that each format's own samples score highest
// among BIND, dnsmasq, Unbound and Windows.
func TestSniffFormatsA(t *testing.T) {
	samples := map[Format]string{
		FormatBIND: "12-Mar-2015 10:00:00.123 queries: info: client @0x1 192.0.2.1#1234 (a.example): query: a.example IN A + (192.0.2.53)\n" +
			"12-Mar-2015 10:00:00.200 queries: info: client @0x1 192.0.2.1#1234 (b.example): query: b.example IN AAAA + (192.0.2.53)\n" +
			"12-Mar-2015 10:00:01.000 lame-servers: info: something\n",
		FormatDnsmasq: "Jul  7 19:39:41 dnsmasq[536]: query[A] a.example from 192.168.1.185\n" +
			"Jul  7 19:39:41 dnsmasq[536]: forwarded a.example to 192.0.2.53\n" +
			"Jul  7 19:39:41 dnsmasq[536]: reply a.example is 192.0.2.1\n",
		FormatUnbound: "[1691577600] unbound[1234:0] query: 192.168.1.10 a.example. A IN\n" +
			"[1691577600] unbound[1234:0] reply: 192.168.1.10 a.example. A IN NOERROR 0.012000 0 44\n",
		FormatWindows: "8/13/2025 4:02:03 PM 1674 PACKET  0000018CEDDB1140 UDP Rcv 192.168.1.101   7653   Q [0001   D   NOERROR] A      (1)a(7)example(0)\n" +
			"8/13/2025 4:02:03 PM 1674 PACKET  0000018CEDDB1140 UDP Snd 192.168.1.101   7653 R Q [8081   DR  NOERROR] A      (1)a(7)example(0)\n",
	}
	// Lines of other formats score 0 in these four.
	samples["research"] = "2016-09-23 13:56:29 10.0.0.1 www.example.com\n2016-09-23T13:56:30Z 10.0.0.2 a.example A IN\n"
	sniffs := map[Format]func([][]byte) int{FormatBIND: sniffBIND, FormatDnsmasq: sniffDnsmasq, FormatUnbound: sniffUnbound, FormatWindows: sniffWindows}
	for own, text := range samples {
		lines := bytes.Split(bytes.TrimSpace([]byte(text)), []byte("\n"))
		scores := map[Format]int{}
		for f, s := range sniffs {
			scores[f] = s(lines)
		}
		if own == "research" {
			if diff := cmp.Diff(map[Format]int{FormatBIND: 0, FormatDnsmasq: 0, FormatUnbound: 0, FormatWindows: 0}, scores); diff != "" {
				t.Errorf("research lines (-want +got):\n%s", diff)
			}
			continue
		}
		for f, sc := range scores {
			if f != own && sc >= scores[own] {
				t.Errorf("%s sample: %s scores %d, own %d", own, f, sc, scores[own])
			}
		}
		if scores[own] < 50 {
			t.Errorf("%s sample scores only %d", own, scores[own])
		}
		// Through the Reader's detection, across every registered format.
		r := NewReader(strings.NewReader(text))
		if _, err := r.Read(); err != nil && err != io.EOF {
			t.Errorf("%s sample: %v", own, err)
		}
		if r.DetectedFormat() != own {
			t.Errorf("%s sample detected as %q", own, r.DetectedFormat())
		}
	}
}

func FuzzBIND(f *testing.F) {
	f.Add([]byte("12-Mar-2015 10:00:00.123 queries: info: client @0x1 192.0.2.1#1234 (a.example): query: a.example IN A + (192.0.2.53)"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fmtaFuzzLines(t, FormatBIND, b)
	})
}

// fmtaFuzzLines feeds every line of b to a fresh decoder; errors must be
// fieldErrors with a column ≥ 1, and events must have a time and a name.
func fmtaFuzzLines(t *testing.T, f Format, b []byte) {
	var in interner
	cfg := &decodeConfig{loc: time.UTC, year: 2020, intern: in.intern}
	dec := lookupFormat(f).newLine(cfg)
	pd, _ := dec.(pendingDecoder)
	check := func(ev *Event) {
		if ev.Time.IsZero() || ev.Name == "" || !ev.Client.IsValid() {
			t.Fatalf("incomplete event %+v", ev)
		}
	}
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		ev := Event{RCode: RCodeUnknown}
		ok, err := dec.decode(line, &ev)
		if err != nil {
			var fe *fieldError
			if !errors.As(err, &fe) || fe.col < 1 {
				t.Fatalf("%q: error %v is not a fieldError with a column", line, err)
			}
		}
		if ok {
			check(&ev)
		}
		for pd != nil {
			ev := Event{RCode: RCodeUnknown}
			if !pd.pop(&ev, false) {
				break
			}
			check(&ev)
		}
	}
	for pd != nil {
		ev := Event{RCode: RCodeUnknown}
		if !pd.pop(&ev, true) {
			break
		}
		check(&ev)
	}
	if sc := lookupFormat(f).score(bytes.Split(b, []byte("\n")), nil); sc < 0 || sc > 100 {
		t.Fatalf("sniff score %d", sc)
	}
}

// bindBenchInput returns n seeded BIND 9.11+ query lines.
func bindBenchInput(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	names := make([]string, 500)
	for i := range names {
		names[i] = fmt.Sprintf("host%d.zone%d.example", rng.IntN(1000), rng.IntN(50))
	}
	types := []string{"A", "AAAA", "MX", "TXT", "HTTPS", "PTR"}
	var buf bytes.Buffer
	t := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for range n {
		t = t.Add(time.Duration(rng.IntN(50)) * time.Millisecond)
		name := names[rng.IntN(len(names))]
		fmt.Fprintf(&buf, "%s queries: info: client @0x7f%08x 10.%d.%d.%d#%d (%s): query: %s IN %s +E(0)K (192.0.2.53)\n",
			t.Format("02-Jan-2006 15:04:05.000"), rng.Uint32(), rng.IntN(4), rng.IntN(256), rng.IntN(256), 1024+rng.IntN(60000),
			name, name, types[rng.IntN(len(types))])
	}
	return buf.Bytes()
}

// bindRefParse is a minimal reference parser of the benchmark lines:
// split on spaces, fields taken by position, the address through
// netip.ParseAddr, the stamp parsed by hand.
func bindRefParse(line []byte, ev *Event) bool {
	var f [16][]byte
	n := 0
	for len(line) > 0 && n < len(f) {
		i := bytes.IndexByte(line, ' ')
		if i < 0 {
			f[n] = line
			n++
			break
		}
		if i > 0 {
			f[n] = line[:i]
			n++
		}
		line = line[i+1:]
	}
	if n < 12 {
		return false
	}
	d, c := f[0], f[1]
	day, _ := digits(d[0:2])
	mon, _ := parseMonth(d[3:6])
	year, _ := digits(d[7:11])
	hh, _ := digits(c[0:2])
	mm, _ := digits(c[3:5])
	ss, _ := digits(c[6:8])
	ms, _ := digits(c[9:12])
	ev.Time = time.Date(year, time.Month(mon), day, hh, mm, ss, ms*1e6, time.UTC)
	ap := f[6]
	h := bytes.IndexByte(ap, '#')
	a, err := netip.ParseAddr(string(ap[:h]))
	if err != nil {
		return false
	}
	ev.Client = a
	p, _ := digits(ap[h+1:])
	ev.ClientPort = uint16(p)
	ev.Type = typeByName[string(f[11])]
	return true
}

// BenchmarkBIND decodes seeded BIND lines with the decoder, through a
// Reader, and with the minimal reference parser, in the same run.
func BenchmarkBIND(b *testing.B) {
	const n = 20000
	in := bindBenchInput(n)
	lines := bytes.Split(bytes.TrimSuffix(in, []byte("\n")), []byte("\n"))
	b.Run("decoder", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			var it interner
			d := newBINDDecoder(&decodeConfig{loc: time.UTC, year: 2024, intern: it.intern})
			var ev Event
			for _, l := range lines {
				ev = Event{RCode: RCodeUnknown}
				if ok, err := d.decode(l, &ev); !ok || err != nil {
					b.Fatal(string(l), err)
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("reader", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			r := NewReader(bytes.NewReader(in))
			r.Format = FormatBIND
			k := 0
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				k++
			}
			if k != n {
				b.Fatalf("%d events", k)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("reference", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			sc := bufio.NewScanner(bytes.NewReader(in))
			var ev Event
			for sc.Scan() {
				if !bindRefParse(sc.Bytes(), &ev) {
					b.Fatal(sc.Text())
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
	})
}

func TestBINDAddr(t *testing.T) {
	for _, in := range []string{"10.1.2.3", "255.255.255.255", "0.0.0.0", "2001:db8::5", "::1", "1.2.3.4.5", "1.2.3", "01.2.3.4", "256.1.1.1", "1..2.3", "1.2.3.", "fe80::1%eth0", "::ffff:1.2.3.4", "abc", "1.2.3.4a"} {
		want, err := netip.ParseAddr(in)
		got, ok := bindAddr([]byte(in))
		if ok != (err == nil) || ok && got != want {
			t.Errorf("%q: got %v %v, want %v %v", in, got, ok, want, err)
		}
	}
}
