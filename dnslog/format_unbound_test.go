package dnslog

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUnboundLines(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	ev := func(line int64, when, client, raw, name string, ty Type, rc RCode) Event {
		e := fmtaEvent(line, when, client, 0, name, ty, ClassIN)
		e.RawName = raw
		e.RCode = rc
		return e
	}
	tests := []struct {
		name string
		loc  *time.Location
		in   string
		want []Event
	}{
		{"log-tag-queryreply query and reply make one event", cet,
			"Nov 05 23:30:33 unbound[12636:0] query: 192.168.1.5 a.example. A IN\n" +
				"Nov 05 23:30:34 unbound[12636:0] reply: 192.168.1.5 a.example. A IN NXDOMAIN 0.097209 0 47\n",
			[]Event{ev(1, "2021-11-05T22:30:33Z", "192.168.1.5", "a.example.", "a.example", TypeA, RCodeNXDomain)}},
		{"reply-only syslog info lines are events", nil,
			"May 20 16:29:19 gw unbound: [79652:0] info: 192.168.10.8 B.Example. AAAA IN NOERROR 0.095659 0 134\n" +
				"May 20 16:29:20 gw unbound: [79652:0] info: 2001:db8::8 c.example. MX IN SERVFAIL 1.000000 0 35\n",
			[]Event{
				ev(1, "2021-05-20T16:29:19Z", "192.168.10.8", "B.Example.", "b.example", TypeAAAA, RCodeNoError),
				ev(2, "2021-05-20T16:29:20Z", "2001:db8::8", "c.example.", "c.example", TypeMX, RCodeServFail),
			}},
		{"query-only pfSense info lines", nil,
			"<30>Aug 15 16:19:02 unbound[26931]: [26931:0] info: 192.168.1.1 d.example. A IN\n" +
				"<30>Aug 15 16:19:03 unbound[26931]: [26931:2] info: 172.16.33.2 e.example. HTTPS IN\n",
			[]Event{
				ev(1, "2021-08-15T16:19:02Z", "192.168.1.1", "d.example.", "d.example", TypeA, RCodeUnknown),
				ev(2, "2021-08-15T16:19:03Z", "172.16.33.2", "e.example.", "e.example", TypeHTTPS, RCodeUnknown),
			}},
		{"epoch and ISO stamps, replies completing out of order", nil,
			"[1691577600] unbound[1234:0] query: 10.0.0.1 f.example. A IN\n" +
				"2023-08-09T12:40:00.250+02:00 unbound[1234:0] query: 10.0.0.2 g.example. A IN\n" +
				"[1691577601] unbound[1234:0] reply: 10.0.0.2 g.example. A IN NOERROR 0.1 0 40\n" +
				"[1691577601] unbound[1234:0] reply: 10.0.0.1 f.example. A IN REFUSED 0.2 0 40\n" +
				"[1691577601] unbound[1234:0] reply: 10.0.0.9 h.example. A IN NOERROR 0.2 0 40\n",
			[]Event{
				ev(1, "2023-08-09T10:40:00Z", "10.0.0.1", "f.example.", "f.example", TypeA, RCodeRefused),
				ev(2, "2023-08-09T10:40:00.25Z", "10.0.0.2", "g.example.", "g.example", TypeA, RCodeNoError),
				// line 5: a reply without its query, once queries are
				// logged: not an event (no lookup counted twice).
			}},
		{"same lookup twice: replies pair oldest first", nil,
			"[1691577600] unbound[1:0] query: 10.0.0.1 i.example. A IN\n" +
				"[1691577600] unbound[1:0] query: 10.0.0.1 i.example. A IN\n" +
				"[1691577600] unbound[1:0] reply: 10.0.0.1 i.example. A IN NOERROR 0.1 0 40\n",
			[]Event{
				ev(1, "2023-08-09T10:40:00Z", "10.0.0.1", "i.example.", "i.example", TypeA, RCodeNoError),
				ev(2, "2023-08-09T10:40:00Z", "10.0.0.1", "i.example.", "i.example", TypeA, RCodeUnknown),
			}},
		{"RFC 5424 syslog", nil,
			"<30>1 2023-08-09T10:40:00Z gw unbound 1234 - - [1234:0] info: 10.0.0.5 l.example. A IN NOERROR 0.1 0 40\n" +
				"<30>1 2023-08-09T10:40:00Z gw named 1234 - - [1234:0] info: 10.0.0.5 m.example. A IN NOERROR 0.1 0 40\n",
			[]Event{ev(1, "2023-08-09T10:40:00Z", "10.0.0.5", "l.example.", "l.example", TypeA, RCodeNoError)}},
		{"client port", nil,
			"[1691577600] unbound[1:0] query: 10.0.0.1@53000 j.example. A IN\n",
			[]Event{func() Event {
				e := ev(1, "2023-08-09T10:40:00Z", "10.0.0.1", "j.example.", "j.example", TypeA, RCodeUnknown)
				e.ClientPort = 53000
				return e
			}()}},
		{"not events", nil,
			"[1691577600] unbound[1234:0] info: rpz: applied [x] *.ads.example. rpz-nxdomain 192.168.1.112@5353 t.ads.example. A IN\n" +
				"[1691577600] unbound[1234:0] info: start of service (unbound 1.17.1).\n" +
				"[1691577600] unbound[1234:0] info: resolving k.example. A IN\n" +
				"[1691577600] unbound[1234:0] info: k.example. static 192.168.1.112@5353 k.example. A IN\n" +
				"[1691577600] unbound[1234:0] notice: init module 0: validator\n" +
				"[1691577600] unbound[1234:0] debug: 10.0.0.1 k.example. A IN\n" +
				"[1691577600] unbound[1234:0] info: 10.0.0.1 no.dot A IN\n" +
				"May 20 16:29:19 gw named[1]: info: 10.0.0.1 k.example. A IN\n",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := fmtaRun(t, FormatUnbound, tt.loc, 2021, tt.in)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, fmtaCmp...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnboundBound checks that a query without a reply is released after
// unboundHoldLines lines, and that its late reply is not an event.
func TestUnboundBound(t *testing.T) {
	var b strings.Builder
	b.WriteString("[1691577600] unbound[1:0] query: 10.0.0.1 slow.example. A IN\n")
	for i := range unboundHoldLines {
		fmt.Fprintf(&b, "[1691577600] unbound[1:0] info: chatter %d\n", i)
	}
	b.WriteString("[1691577600] unbound[1:0] reply: 10.0.0.1 slow.example. A IN NOERROR 9.0 0 40\n")
	got, errs := fmtaRun(t, FormatUnbound, nil, 2021, b.String())
	want := []Event{fmtaEvent(1, "2023-08-09T10:40:00Z", "10.0.0.1", 0, "slow.example", TypeA, ClassIN)}
	want[0].RawName = "slow.example."
	if diff := cmp.Diff(want, got, fmtaCmp...); len(errs) > 0 || diff != "" {
		t.Errorf("errors %v, (-want +got):\n%s", errs, diff)
	}
	// By time: a reply 31 s later does not complete the query.
	in := "[1691577600] unbound[1:0] query: 10.0.0.1 slow.example. A IN\n" +
		"[1691577631] unbound[1:0] reply: 10.0.0.1 slow.example. A IN NOERROR 31.0 0 40\n"
	got, _ = fmtaRun(t, FormatUnbound, nil, 2021, in)
	if diff := cmp.Diff(want, got, fmtaCmp...); diff != "" {
		t.Errorf("time bound (-want +got):\n%s", diff)
	}
}

func TestUnboundErrors(t *testing.T) {
	fmtaCheckErrors(t, FormatUnbound, []fmtaErrCase{
		{"unbound[1234:0] query: 10.0.0.1 a.example. A IN", ErrTime, ""},
		{"[1691577600] unbound[1234:0] query: 10.0.0.256 a.example. A IN", ErrAddr, "10.0.0.256"},
		{"[1691577600] unbound[1234:0] query: 10.0.0.1@99999 a.example. A IN", ErrAddr, "10.0.0.1@"},
		{"[1691577600] unbound[1234:0] query: 10.0.0.1 a..example. A IN", ErrName, "a..example."},
		{"[1691577600] unbound[1234:0] query: 10.0.0.1 a.example. BOGUS IN", ErrType, "BOGUS"},
		{"[1691577600] unbound[1234:0] query: 10.0.0.1 a.example. A XX", ErrType, "XX"},
		{"[1691577600] unbound[1234:0] query: 10.0.0.1 a.example. A IN NOERROR", ErrField, "NOERROR"},
		{"[1691577600] unbound[1234:0] reply: 10.0.0.1 a.example. A IN", ErrField, "$"},
		{"[1691577600] unbound[1234:0] reply: 10.0.0.1 a.example. A IN WHAT 0.1 0 1", ErrField, "WHAT"},
	})
}

// TestUnboundCorpus reads the corpus samples. The extracted examples are
// single lines from different logs (one per line: read each with a fresh
// decoder); the pfSense file holds two query lines.
func TestUnboundCorpus(t *testing.T) {
	text := fmtaCorpus(t, "unbound", "extracted_examples.log")
	ev := func(line int64, when, client, name string, rc RCode) Event {
		e := fmtaEvent(line, when, client, 0, name, TypeA, ClassIN)
		e.RawName = name + "."
		e.RCode = rc
		e.Pos.Line = 1
		return e
	}
	want := map[int][]Event{
		1: {ev(1, "2022-11-05T23:30:33Z", "192.168.1.5", "wikipedia.org", RCodeUnknown)},
		2: {ev(2, "2022-11-05T23:30:33Z", "192.168.1.5", "wikipedia.org", RCodeNoError)},
		5: {ev(5, "2022-05-20T16:29:19Z", "192.168.10.8", "asset.wsj.net", RCodeNoError)},
		6: {ev(6, "2022-05-20T16:29:19Z", "192.168.10.8", "s.marketwatch.com", RCodeNXDomain)},
		7: {ev(7, "2023-08-09T10:40:00Z", "192.168.1.10", "example.com", RCodeNoError)},
		8: nil, // rpz
	}
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		got, errs := fmtaRun(t, FormatUnbound, nil, 2022, line)
		if len(errs) > 0 {
			t.Errorf("line %d: %v", i+1, errs)
		}
		if w, ok := want[i+1]; ok {
			if diff := cmp.Diff(w, got, fmtaCmp...); diff != "" {
				t.Errorf("line %d (-want +got):\n%s", i+1, diff)
			}
		} else if len(got) != 1 {
			t.Errorf("line %d: %d events, want 1", i+1, len(got))
		}
	}
	// As one file, queries are logged, so the syslog and epoch replies
	// (lines 5–7) match no query and are not events: the two lookups of
	// lines 1–4 remain, each completed by its reply.
	got, err := fmtaReadAll(t, FormatUnbound, 2022, text)
	if err != nil || len(got) != 2 || got[0].RCode != RCodeNoError || got[1].Name != "www.wikipedia.org" {
		t.Errorf("whole file: %v, %v", got, err)
	}

	text = fmtaCorpus(t, "unbound", "elastic_pfsense_test-pfsense-unbound.log")
	got, err = fmtaReadAll(t, "", 2022, text)
	w := []Event{
		fmtaEvent(1, "2022-08-15T16:19:02Z", "192.168.1.1", 0, "api.opensubtitles.org", TypeA, ClassIN),
		fmtaEvent(2, "2022-08-15T16:18:59Z", "172.16.33.2", 0, "clients4.google.com", TypeA, ClassIN),
	}
	for i := range w {
		w[i].RawName = w[i].Name + "."
		w[i].Format = FormatUnbound
	}
	if diff := cmp.Diff(w, got, fmtaCmp...); err != nil || diff != "" {
		t.Errorf("pfSense: %v, (-want +got):\n%s", err, diff)
	}
}

func FuzzUnbound(f *testing.F) {
	f.Add([]byte("[1691577600] unbound[1234:0] query: 10.0.0.1 a.example. A IN\n[1691577600] unbound[1234:0] reply: 10.0.0.1 a.example. A IN NOERROR 0.1 0 1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fmtaFuzzLines(t, FormatUnbound, b)
	})
}
