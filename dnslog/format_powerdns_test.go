package dnslog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPowerDNS(t *testing.T) {
	const input = `Mar 02 09:00:00 rec1 pdns-recursor[77]: msg="Question" subsystem="syncres" level="0" prio="Info" tid="1" ts="1709370000.100" proto="udp" qname="A.example.net" qtype="A" remote="192.0.2.1:5001"
Mar 02 09:00:00 rec1 pdns-recursor[77]: msg="Question" subsystem="syncres" level="0" prio="Info" tid="1" ts="1709370000.200" proto="udp" qname="b.example.net" qtype="AAAA" remote="[2001:db8::2]:5002"
Mar 02 09:00:00 rec1 pdns-recursor[77]: msg="Answer" subsystem="syncres" ts="1709370000.300" qname="b.example.net" qtype="AAAA" rcode="3" remote="[2001:db8::2]:5002"
Mar 02 09:00:00 rec1 pdns-recursor[77]: msg="Answer" subsystem="syncres" ts="1709370000.400" qname="A.example.net" qtype="A" rcode="0" remote="192.0.2.1:5001"
Mar 02 09:00:01 rec1 pdns-recursor[77]: msg="Answer" subsystem="syncres" ts="1709370001.000" qname="never.asked" qtype="A" rcode="0" remote="192.0.2.1:5001"
Mar 02 09:00:01 rec1 pdns-recursor[77]: msg="Launching distributor threads" subsystem="recursor" count="1"
Mar 02 09:00:02 rec1 pdns-recursor[77]: msg="Question" subsystem="syncres" proto="udp" qname="no-ts.example" qtype="MX" remote="192.0.2.3:5003"
Mar  2 09:00:03 ns1 pdns[812]: Remote 198.51.100.9 wants 'Www.Example.COM|A', do = 0, bufsize = 512: packetcache HIT
2024-03-02T09:00:04.5+00:00 ns1 pdns[812]: Remote 2001:db8::9 wants 'example.com|SOA', do = 1, bufsize = 1232 (ECS 192.0.2.0/24): packetcache MISS
Remote 198.51.100.9 wants 'www.example.com|A', do = 0, bufsize = 512: packetcache HIT
Mar 02 09:00:05 rec1 pdns-recursor[77]: msg="Question" ts="17x" qname="x.example" qtype="A" remote="192.0.2.1:1"
Mar 02 09:00:05 rec1 pdns-recursor[77]: msg="Question" ts="1709370005" qname="x..example" qtype="A" remote="192.0.2.1:1"
Mar 02 09:00:05 rec1 pdns-recursor[77]: msg="Question" ts="1709370005" qname="x.example" qtype="QQ" remote="192.0.2.1:1"
Mar 02 09:00:05 rec1 pdns-recursor[77]: msg="Question" ts="1709370005" qname="x.example" qtype="A" remote="192.0.2.1:99999"
Mar 02 09:00:05 rec1 pdns-recursor[77]: msg="Question" ts="1709370005" qname="x.example
Mar 02 09:00:05 ns1 pdns[812]: Remote 198.51.100.9 wants 'www.example.com', do = 0
`
	evs, errs := tbReadAll(t, FormatPowerDNS, input)
	want := []Event{
		{Time: tbTime(t, "2024-03-02T09:00:00.1Z"), Client: tbAddr("192.0.2.1"), ClientPort: 5001,
			Name: "a.example.net", RawName: "A.example.net", Type: TypeA, RCode: RCodeNoError, Pos: Position{Line: 1}},
		{Time: tbTime(t, "2024-03-02T09:00:00.2Z"), Client: tbAddr("2001:db8::2"), ClientPort: 5002,
			Name: "b.example.net", RawName: "b.example.net", Type: TypeAAAA, RCode: RCodeNXDomain, Pos: Position{Line: 2}},
		// No ts: the syslog stamp, in the configured year.
		{Time: tbTime(t, "2024-03-02T09:00:02Z"), Client: tbAddr("192.0.2.3"), ClientPort: 5003,
			Name: "no-ts.example", RawName: "no-ts.example", Type: TypeMX, RCode: RCodeUnknown, Pos: Position{Line: 7}},
		{Time: tbTime(t, "2024-03-02T09:00:03Z"), Client: tbAddr("198.51.100.9"),
			Name: "www.example.com", RawName: "Www.Example.COM", Type: TypeA, RCode: RCodeUnknown, Pos: Position{Line: 8}},
		{Time: tbTime(t, "2024-03-02T09:00:04.5Z"), Client: tbAddr("2001:db8::9"),
			Name: "example.com", RawName: "example.com", Type: TypeSOA, RCode: RCodeUnknown, Pos: Position{Line: 9}},
	}
	for i := range want {
		want[i].Format = FormatPowerDNS
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantErrs := []tbErr{
		{10, 1, ErrTime},
		{11, 60, ErrTime},
		{12, 79, ErrName},
		{13, 97, ErrType},
		{14, 118, ErrAddr},
		{15, 78, ErrField},
		{16, 59, ErrField},
	}
	if diff := cmp.Diff(wantErrs, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestPowerDNSHeld checks the bounds on held Questions: a Question is
// released unanswered once the log moves more than powerdnsWindow past
// it, and never more than powerdnsMaxHeld are held.
func TestPowerDNSHeld(t *testing.T) {
	q := func(ts float64, name string) string {
		return fmt.Sprintf(`msg="Question" ts="%.3f" qname="%s" qtype="A" remote="192.0.2.1:1"`, ts, name)
	}
	a := func(ts float64, name string) string {
		return fmt.Sprintf(`msg="Answer" ts="%.3f" qname="%s" qtype="A" rcode="2" remote="192.0.2.1:1"`, ts, name)
	}
	// The answer to "slow" comes 11.6 s later: by then "slow" is released
	// unanswered. "late" is answered but waits behind "mid" to keep order.
	lines := []string{q(1000, "slow"), q(1005, "mid"), q(1011.5, "late"), a(1011.6, "slow"), a(1011.7, "late")}
	var in interner
	d := newPowerDNSDecoder(&decodeConfig{loc: nil, year: 2024, intern: in.intern})
	var got []string
	for _, l := range lines {
		ev := Event{RCode: RCodeUnknown}
		if ok, err := d.decode([]byte(l), &ev); ok || err != nil {
			t.Fatalf("decode(%q) = %v, %v", l, ok, err)
		}
		for {
			ev := Event{RCode: RCodeUnknown}
			if !d.pop(&ev, false) {
				break
			}
			got = append(got, ev.Name+":"+ev.RCode.String())
		}
	}
	for {
		ev := Event{RCode: RCodeUnknown}
		if !d.pop(&ev, true) {
			break
		}
		got = append(got, ev.Name+":"+ev.RCode.String()+"@eof")
	}
	want := []string{"slow:", "mid:@eof", "late:SERVFAIL@eof"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("released (-want +got):\n%s", diff)
	}

	// The cap: powerdnsMaxHeld+10 unanswered Questions in one second.
	var sb strings.Builder
	for i := range powerdnsMaxHeld + 10 {
		sb.WriteString(q(2000, fmt.Sprintf("n%d.example", i)) + "\n")
	}
	d = newPowerDNSDecoder(&decodeConfig{year: 2024, intern: in.intern})
	released, maxHeld := 0, 0
	for l := range strings.SplitSeq(strings.TrimSpace(sb.String()), "\n") {
		var ev Event
		d.decode([]byte(l), &ev)
		for d.pop(&ev, false) {
			released++
		}
		maxHeld = max(maxHeld, len(d.held)-d.head)
	}
	if released != 10 || maxHeld != powerdnsMaxHeld {
		t.Errorf("released %d before EOF with at most %d held; want 10 and %d", released, maxHeld, powerdnsMaxHeld)
	}
}

func TestPowerDNSCorpus(t *testing.T) {
	// Question + Answer make one event; the Authoritative line has no
	// time (and a redacted address): ErrTime.
	evs, errs := tbCorpus(t, FormatPowerDNS, 1, 1, "powerdns", "extracted_examples.log")
	want := []Event{{
		Time: tbTime(t, "2024-07-09T06:06:11.301Z"), Client: tbAddr("127.0.0.1"), ClientPort: 58786,
		Name: "example.com", RawName: "example.com", Type: TypeA, RCode: RCodeNoError,
		Format: FormatPowerDNS, Pos: Position{"extracted_examples.log", 1},
	}}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]tbErr{{3, 1, ErrTime}}, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestPowerDNSSniff(t *testing.T) {
	for _, lines := range [][]string{
		{`Mar 02 09:00:00 rec1 pdns-recursor[77]: msg="Question" subsystem="syncres" ts="1709370000.100" qname="a.example.net" qtype="A" remote="192.0.2.1:5001"`},
		{`Mar  2 09:00:03 ns1 pdns[812]: Remote 198.51.100.9 wants 'www.example.com|A', do = 0, bufsize = 512: packetcache HIT`},
	} {
		if f, s := tbSniffBest(lines); f != FormatPowerDNS {
			t.Errorf("sniff %q: best %s (%d), want powerdns", lines, f, s)
		}
	}
}

func FuzzPowerDNS(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { tbFuzzLines(t, FormatPowerDNS, data) })
}
