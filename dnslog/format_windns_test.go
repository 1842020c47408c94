package dnslog

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// winLine builds a packet line: date and clock, direction, address, xid,
// "R" or " ", opcode, rcode, type and name.
func winLine(when, dir, addr, xid, r, op, rcode, ty, name string) string {
	return when + " 0A14 PACKET  000001F2A3B4C010 UDP " + dir + " " + addr + "   " + xid + " " + r + " " + op +
		" [0001   D   " + rcode + "] " + ty + "      " + name
}

func TestWindowsLines(t *testing.T) {
	q := func(line int64, when, client, name string, ty Type, rc RCode, raw string) Event {
		e := fmtaEvent(line, when, client, 0, name, ty, 0)
		e.RCode = rc
		e.RawName = raw
		return e
	}
	const www = "(3)www(7)example(3)com(0)"
	tests := []struct {
		name  string
		order DateOrder
		in    []string
		want  []Event
	}{
		{"US 12-hour, response sets the rcode", DateOrderAuto, []string{
			winLine("8/13/2025 4:02:03 PM", "Rcv", "192.168.1.101", "7653", " ", "Q", "NOERROR", "A", www),
			winLine("8/13/2025 4:02:03 PM", "Snd", "8.8.8.8", "b126", " ", "Q", "NOERROR", "A", www),
			winLine("8/13/2025 4:02:03 PM", "Rcv", "8.8.8.8", "b126", "R", "Q", "NXDOMAIN", "A", www),
			winLine("8/13/2025 4:02:04 PM", "Snd", "192.168.1.101", "7653", "R", "Q", "NXDOMAIN", "A", www),
		}, []Event{q(1, "2025-08-13T16:02:03Z", "192.168.1.101", "www.example.com", TypeA, RCodeNXDomain, www)}},
		{"12 AM and 12 PM, dotted name, root, IPv6", DateOrderAuto, []string{
			winLine("8/13/2025 12:00:01 AM", "Rcv", "fd00::1", "0001", " ", "Q", "NOERROR", "AAAA", ".Www.Example.com."),
			winLine("8/13/2025 12:30:00 PM", "Rcv", "10.0.0.1", "0002", " ", "Q", "NOERROR", "NS", "(0)"),
		}, []Event{
			q(1, "2025-08-13T00:00:01Z", "fd00::1", "www.example.com", TypeAAAA, RCodeUnknown, ".Www.Example.com."),
			q(2, "2025-08-13T12:30:00Z", "10.0.0.1", ".", TypeNS, RCodeUnknown, "(0)"),
		}},
		{"day first, learned from a later day above 12", DateOrderAuto, []string{
			winLine("05/03/2019 16:05:31", "Rcv", "10.0.0.1", "c1f8", " ", "Q", "NOERROR", "A", www),
			winLine("13/03/2019 09:00:00", "Rcv", "10.0.0.1", "c1f9", " ", "Q", "NOERROR", "A", www),
		}, []Event{
			q(1, "2019-03-05T16:05:31Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www),
			q(2, "2019-03-13T09:00:00Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www),
		}},
		{"day first, learned at midnight", DateOrderAuto, []string{
			winLine("05/03/2019 23:59:59", "Rcv", "10.0.0.1", "c1f8", " ", "Q", "NOERROR", "A", www),
			winLine("06/03/2019 00:00:01", "Rcv", "10.0.0.1", "c1f9", " ", "Q", "NOERROR", "A", www),
		}, []Event{
			q(1, "2019-03-05T23:59:59Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www),
			q(2, "2019-03-06T00:00:01Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www),
		}},
		{"month first assumed when nothing tells", DateOrderAuto, []string{
			winLine("05/03/2019 16:05:31", "Rcv", "10.0.0.1", "c1f8", " ", "Q", "NOERROR", "A", www),
		}, []Event{q(1, "2019-05-03T16:05:31Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www)}},
		{"day first forced", DayFirst, []string{
			winLine("05/03/2019 16:05:31", "Rcv", "10.0.0.1", "c1f8", " ", "Q", "NOERROR", "A", www),
		}, []Event{q(1, "2019-03-05T16:05:31Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www)}},
		{"year first, dotted German dates", DateOrderAuto, []string{
			winLine("2024/12/2 15:51:54", "Rcv", "10.0.0.1", "c6b8", " ", "Q", "NOERROR", "SOA", www),
			winLine("13.08.2025 16:02:03", "Rcv", "10.0.0.1", "c6b9", " ", "Q", "NOERROR", "TXT", www),
		}, []Event{
			q(1, "2024-12-02T15:51:54Z", "10.0.0.1", "www.example.com", TypeSOA, RCodeUnknown, www),
			q(2, "2025-08-13T16:02:03Z", "10.0.0.1", "www.example.com", TypeTXT, RCodeUnknown, www),
		}},
		{"AM/PM designator before the clock", DateOrderAuto, []string{
			winLine("2024/12/2 下午 3:51:54", "Rcv", "10.0.0.1", "c6b8", " ", "Q", "NOERROR", "A", www),
			winLine("2024/12/2 上午 12:05:00", "Rcv", "10.0.0.1", "c6b9", " ", "Q", "NOERROR", "A", www),
		}, []Event{
			q(1, "2024-12-02T15:51:54Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www),
			q(2, "2024-12-02T00:05:00Z", "10.0.0.1", "www.example.com", TypeA, RCodeUnknown, www),
		}},
		{"not events", DateOrderAuto, []string{
			winLine("8/13/2025 4:02:03 PM", "Snd", "8.8.8.8", "b126", " ", "Q", "NOERROR", "A", www),
			winLine("8/13/2025 4:02:03 PM", "Rcv", "8.8.8.8", "b126", "R", "Q", "NOERROR", "A", www),
			winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.5", "2f00", " ", "N", "NOERROR", "SOA", www),
			winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.5", "2f01", " ", "U", "NOERROR", "SOA", www),
			"8/13/2025 4:02:03 PM 0A10 EVENT   The DNS server has started.",
			"DNS Server log file creation at 8/13/2025 4:00:00 PM",
			"Log file wrap at 8/13/2025 4:00:00 PM",
			"Message logging key (for packets - other items use a subset of these fields):",
			"\t  10     Query/Response      R = Response",
			"UDP question info at 000001F2A3B4C670",
			"  Remote addr 192.168.10.23, port 61000",
			`    Name      "(2)21(2)10(3)168(3)192(7)in-addr(4)arpa(0)"`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(o DateOrder) { fmtaOrder = o }(fmtaOrder)
			fmtaOrder = tt.order
			got, errs := fmtaRun(t, FormatWindows, nil, 0, strings.Join(tt.in, "\n"))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, fmtaCmp...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestWindowsOrderBound checks that ambiguous events are held at most
// windowsOrderLines lines before month/day/year is assumed, and that a
// later day-first date is then an error.
func TestWindowsOrderBound(t *testing.T) {
	lines := make([]string, 0, windowsOrderLines+2)
	lines = append(lines, winLine("05/03/2019 10:00:00", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", "(1)a(0)"))
	for range windowsOrderLines {
		lines = append(lines, winLine("05/03/2019 10:00:01", "Snd", "8.8.8.8", "0002", " ", "Q", "NOERROR", "A", "(1)b(0)"))
	}
	lines = append(lines, winLine("13/03/2019 10:00:02", "Rcv", "10.0.0.1", "0003", " ", "Q", "NOERROR", "A", "(1)c(0)"))
	got, errs := fmtaRun(t, FormatWindows, nil, 0, strings.Join(lines, "\n"))
	want := []Event{fmtaEvent(1, "2019-05-03T10:00:00Z", "10.0.0.1", 0, "a", TypeA, 0)}
	want[0].RawName = "(1)a(0)"
	if diff := cmp.Diff(want, got, fmtaCmp...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	last := len(lines)
	if err := errs[last]; len(errs) != 1 || err == nil || !strings.Contains(err.Error(), "Reader.DateOrder") {
		t.Errorf("errors %v, want one ErrTime on line %d", errs, last)
	}
}

func TestWindowsErrors(t *testing.T) {
	const www = "(3)www(7)example(3)com(0)"
	fmtaCheckErrors(t, FormatWindows, []fmtaErrCase{
		{winLine("8/32/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", www), ErrTime, ""},
		{winLine("2/30/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", www), ErrTime, ""},
		{winLine("8/13/2025 13:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", www), ErrTime, "13:02"},
		{winLine("8/13/2025 4:02:03 XM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", www), ErrTime, "XM"},
		{winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.300", "0001", " ", "Q", "NOERROR", "A", www), ErrAddr, "10.0.0.300"},
		{winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.1", "zz01", " ", "Q", "NOERROR", "A", www), ErrField, "zz01"},
		{winLine("8/13/2025 4:02:03 PM", "Bcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", www), ErrField, "Bcv"},
		{winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "WHATEVER", "A", www), ErrField, "WHATEVER"},
		{winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "BOGUS", www), ErrType, "BOGUS"},
		{winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", "(3)ab"), ErrName, "(3)ab"},
		{winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", ""), ErrName, "$"},
		{"8/13/2025 4:02:03 PM 1674 PACKET  0000018CEDDB1140 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR A (1)a(0)", ErrField, "[0001"},
	})
	// A settled order contradicted.
	in := winLine("8/13/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0001", " ", "Q", "NOERROR", "A", www) + "\n" +
		winLine("14/8/2025 4:02:03 PM", "Rcv", "10.0.0.1", "0002", " ", "Q", "NOERROR", "A", www)
	_, errs := fmtaRun(t, FormatWindows, nil, 0, in)
	if len(errs) != 1 || errs[2] == nil {
		t.Errorf("errors %v, want ErrTime on line 2", errs)
	}
}

// TestWindowsFile reads a complete made-up debug log (header block, EVENT
// line, a details block, CRLF line endings) through a detecting Reader.
func TestWindowsFile(t *testing.T) {
	b, err := os.ReadFile("testdata/windows/debug.log")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(strings.NewReader(string(b)))
	r.File = "debug.log"
	var got []Event
	for ev, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	if r.DetectedFormat() != FormatWindows {
		t.Errorf("detected %q", r.DetectedFormat())
	}
	q := func(line int64, when, client, name string, ty Type, rc RCode, raw string) Event {
		e := fmtaEvent(line, when, client, 0, name, ty, 0)
		e.RCode, e.RawName, e.Format, e.Pos.File = rc, raw, FormatWindows, "debug.log"
		return e
	}
	const www = "(3)www(7)example(3)com(0)"
	want := []Event{
		q(32, "2025-03-02T23:59:58Z", "192.168.10.21", "www.example.com", TypeA, RCodeNoError, www),
		q(36, "2025-03-02T23:59:59Z", "fd00::21", "www.example.com", TypeAAAA, RCodeNXDomain, www),
		q(38, "2025-03-03T00:00:01Z", "192.168.10.22", "example.org", TypeMX, RCodeRefused, "(7)example(3)org(0)"),
		q(41, "2025-03-03T00:00:03Z", "192.168.10.23", "21.10.168.192.in-addr.arpa", TypePTR, RCodeNoError, "(2)21(2)10(3)168(3)192(7)in-addr(4)arpa(0)"),
		q(66, "2025-03-03T00:00:04Z", "192.168.10.21", "_ldap._tcp.dc._msdcs.corp.local", TypeSRV, RCodeUnknown, "(5)_ldap(4)_tcp(2)dc(6)_msdcs(4)corp(5)local(0)"),
	}
	// Held events keep their own line (the received query's), not the
	// line of the response that completed them.
	if diff := cmp.Diff(want, got, fmtaCmp...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Decoder level, with line numbers: the received queries' own lines.
	evs, errs := fmtaRun(t, FormatWindows, nil, 0, strings.ReplaceAll(string(b), "\r", ""))
	var lines []int64
	for _, e := range evs {
		lines = append(lines, e.Pos.Line)
	}
	if diff := cmp.Diff([]int64{32, 36, 38, 41, 66}, lines); len(errs) > 0 || diff != "" {
		t.Errorf("errors %v; lines (-want +got):\n%s", errs, diff)
	}
}

// TestWindowsCorpus reads the hand-collected single lines (from servers
// of different locales) one at a time with fresh decoders.
func TestWindowsCorpus(t *testing.T) {
	text := fmtaCorpus(t, "windows_dns", "extracted_examples.log")
	q := func(when, client, name string, ty Type, raw string) []Event {
		e := fmtaEvent(1, when, client, 0, name, ty, 0)
		e.RawName = raw
		return []Event{e}
	}
	want := map[int][]Event{
		1:  q("2025-08-13T16:02:03Z", "192.168.1.101", "www.abayoumy.tech", TypeA, "(3)www(8)abayoumy(4)tech(0)"),
		5:  q("2013-06-05T10:00:32Z", "10.161.60.71", "somecomputer.domain.com", TypeA, "(12)somecomputer(6)domain(3)com(0)"),
		9:  q("2024-12-02T15:51:54Z", "10.191.24.4", "esfregbiza2-sh.rel.spdb.com", TypeA, "(14)esfregbiza2-sh(3)rel(4)spdb(3)com(0)"),
		10: q("2026-04-11T15:29:17Z", "127.0.0.1", "home.gell.one", TypeSOA, "(4)home(4)gell(3)one(0)"),
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, line := range lines {
		got, errs := fmtaRun(t, FormatWindows, nil, 0, line)
		if len(errs) > 0 {
			t.Errorf("line %d: %v", i+1, errs)
		}
		if diff := cmp.Diff(want[i+1], got, fmtaCmp...); diff != "" {
			t.Errorf("line %d (-want +got):\n%s", i+1, diff)
		}
	}
	// Whole file, format forced: the four received queries, no errors.
	evs, err := fmtaReadAll(t, FormatWindows, 0, text)
	if err != nil || len(evs) != 4 {
		t.Errorf("whole file: %d events, %v", len(evs), err)
	}
}

func TestWindowsDateParse(t *testing.T) {
	for in, want := range map[string]bool{
		"8/13/2025": true, "13/8/2025": true, "2024/12/2": true, "13.08.2025": true, "1-2-24": true,
		"13/13/2025": false, "0/1/2025": false, "1/1": false, "1/1/1/1": false, "2024/13/1": false, "a/1/2025": false, "": false,
	} {
		if _, ok := windowsParseDate([]byte(in)); ok != want {
			t.Errorf("%q: ok %v, want %v", in, ok, want)
		}
	}
}

func FuzzWindows(f *testing.F) {
	f.Add([]byte(winLine("8/13/2025 4:02:03 PM", "Rcv", "192.168.1.101", "7653", " ", "Q", "NOERROR", "A", "(1)a(0)")))
	f.Fuzz(func(t *testing.T, b []byte) {
		fmtaFuzzLines(t, FormatWindows, b)
	})
}
