package pivot

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// logBuilder makes events of a made-up log "t.log", one line each.
type logBuilder struct {
	line int64
	evs  []dnslog.Event
}

var t0 = time.Date(2016, 9, 1, 12, 0, 0, 0, time.UTC)

// add appends an event at t0+hours. Answers are "TYPE data" (typed, TTL
// 300) or "data" (untyped, as Zeek logs them).
func (l *logBuilder) add(hours float64, name string, qtype dnslog.Type, rcode dnslog.RCode, answers ...string) {
	l.line++
	ev := dnslog.Event{Time: t0.Add(time.Duration(hours * float64(time.Hour))), Name: name, RawName: name,
		Type: qtype, Class: dnslog.ClassIN, RCode: rcode, Pos: dnslog.Position{File: "t.log", Line: l.line}}
	for _, a := range answers {
		ty, data, ok := strings.Cut(a, " ")
		if tt, known := dnslog.ParseType(ty); ok && known {
			ev.Answers = append(ev.Answers, dnslog.Answer{Type: tt, Data: data, TTL: 300, HasTTL: true})
		} else {
			ev.Answers = append(ev.Answers, dnslog.Answer{Data: a})
		}
	}
	l.evs = append(l.evs, ev)
}

func (l *logBuilder) history(h *History) *History {
	if h == nil {
		h = new(History)
	}
	for i := range l.evs {
		h.Add(&l.evs[i])
	}
	return h
}

func pos(lines ...int64) []dnslog.Position {
	var out []dnslog.Position
	for _, l := range lines {
		out = append(out, dnslog.Position{File: "t.log", Line: l})
	}
	return out
}

func at(hours float64) time.Time { return t0.Add(time.Duration(hours * float64(time.Hour))) }

func TestPeriodsAndChanges(t *testing.T) {
	const A, NX, OK = dnslog.TypeA, dnslog.RCodeNXDomain, dnslog.RCodeNoError
	var l logBuilder
	l.add(0, "mail.example.com", A, OK, "A 192.0.2.1")                // 1
	l.add(1, "mail.example.com", A, OK, "A 192.0.2.1")                // 2
	l.add(2, "mail.example.com", A, OK, "A 192.0.2.7", "A 192.0.2.1") // 3: set grows
	l.add(3, "mail.example.com", A, OK, "A 192.0.2.1", "A 192.0.2.7") // 4: same set, other order
	l.add(4, "mail.example.com", A, dnslog.RCodeServFail)             // 5: a failure is no change
	l.add(5, "mail.example.com", A, NX)                               // 6: stopped
	l.add(6, "mail.example.com", A, OK)                               // 7: NODATA after answers
	l.add(7, "mail.example.com", A, OK, "A 192.0.2.9")                // 8: resumed
	h := l.history(nil)

	n := h.Name("mail.example.com")
	if n == nil {
		t.Fatal("Name: nil")
	}
	one := []dnslog.Answer{{Type: A, Data: "192.0.2.1"}}
	two := []dnslog.Answer{{Type: A, Data: "192.0.2.1"}, {Type: A, Data: "192.0.2.7"}}
	nine := []dnslog.Answer{{Type: A, Data: "192.0.2.9"}}
	want := []Period{
		{State: StateAnswers, Answers: one, First: at(0), Last: at(1), Count: 2, FirstPos: pos(1)[0], LastPos: pos(2)[0]},
		{State: StateAnswers, Answers: two, First: at(2), Last: at(3), Count: 2, FirstPos: pos(3)[0], LastPos: pos(4)[0]},
		{State: StateNXDomain, First: at(5), Last: at(5), Count: 1, FirstPos: pos(6)[0], LastPos: pos(6)[0]},
		{State: StateNoData, First: at(6), Last: at(6), Count: 1, FirstPos: pos(7)[0], LastPos: pos(7)[0]},
		{State: StateAnswers, Answers: nine, First: at(7), Last: at(7), Count: 1, FirstPos: pos(8)[0], LastPos: pos(8)[0]},
	}
	if len(n.Series) != 1 {
		t.Fatalf("series: %d, want 1", len(n.Series))
	}
	s := n.Series[0]
	if diff := cmp.Diff(want, s.Periods); diff != "" {
		t.Errorf("periods (-want +got):\n%s", diff)
	}
	if got := s.Periods[1].Addrs(); len(got) != 2 || got[0].String() != "192.0.2.1" || got[1].String() != "192.0.2.7" {
		t.Errorf("second period's Addrs() = %v", got)
	}
	counts := [5]int64{s.Answered, s.NXDomain, s.NoData, s.Failed, s.Unknown}
	if diff := cmp.Diff([5]int64{5, 1, 1, 1, 0}, counts); diff != "" {
		t.Errorf("answered, nxdomain, nodata, failed, unknown (-want +got):\n%s", diff)
	}
	var kinds []ChangeKind
	for _, c := range n.Changes {
		kinds = append(kinds, c.Kind)
	}
	if diff := cmp.Diff([]ChangeKind{ChangeAnswers, ChangeStopped, ChangeFailure, ChangeResumed}, kinds); diff != "" {
		t.Errorf("change kinds (-want +got):\n%s", diff)
	}
	if c := n.Changes[1]; !c.Before.Last.Equal(at(3)) || !c.After.First.Equal(at(5)) {
		t.Errorf("stop change between %v and %v, want %v and %v", c.Before.Last, c.After.First, at(3), at(5))
	}
	if diff := cmp.Diff([]netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.7"),
		netip.MustParseAddr("192.0.2.9")}, n.Addrs(), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("Addrs (-want +got):\n%s", diff)
	}
}

func TestNoDataNeedsEarlierAnswers(t *testing.T) {
	// A log that records response codes but no answers: every lookup
	// looks like NOERROR without answers, which must not read as a name
	// that stopped resolving.
	var l logBuilder
	for i := range 5 {
		l.add(float64(i), "www.example.org", dnslog.TypeA, dnslog.RCodeNoError)
	}
	l.add(6, "www.example.org", dnslog.TypeA, dnslog.RCodeUnknown)
	h := l.history(nil)
	s := h.Name("www.example.org").Series[0]
	if len(s.Periods) != 0 || s.NoData != 5 || s.Unknown != 1 || s.Count != 6 {
		t.Errorf("periods %d nodata %d unknown %d count %d, want 0 5 1 6", len(s.Periods), s.NoData, s.Unknown, s.Count)
	}
}

func TestCNAMEChain(t *testing.T) {
	var l logBuilder
	// Zeek style: untyped, the CNAME target first, then the address.
	l.add(0, "www.example.com", dnslog.TypeA, dnslog.RCodeNoError, "edge.example.net.", "198.51.100.4")
	// BIND style, typed.
	l.add(1, "www.example.com", dnslog.TypeA, dnslog.RCodeNoError, "CNAME Edge.Example.NET.", "A 198.51.100.4")
	h := l.history(nil)
	if h.Malformed() != 0 {
		t.Fatalf("malformed: %v", h.Errors())
	}
	got := h.Bindings()
	want := []Binding{
		{Name: "edge.example.net", Type: dnslog.TypeA, Addr: netip.MustParseAddr("198.51.100.4"), Data: "198.51.100.4",
			First: at(0), Last: at(1), Count: 2, MinTTL: 300, MaxTTL: 300, HasTTL: true, Positions: pos(1, 2)},
		{Name: "www.example.com", Type: dnslog.TypeA, Addr: netip.MustParseAddr("198.51.100.4"), Data: "198.51.100.4",
			Via: "edge.example.net", First: at(0), Last: at(1), Count: 2, MinTTL: 300, MaxTTL: 300, HasTTL: true, Positions: pos(1, 2)},
		{Name: "www.example.com", Type: dnslog.TypeCNAME, Target: "edge.example.net", Data: "edge.example.net",
			First: at(0), Last: at(1), Count: 2, MinTTL: 300, MaxTTL: 300, HasTTL: true, Positions: pos(1, 2)},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("bindings (-want +got):\n%s", diff)
	}
	// The address lists both names.
	var names []string
	for _, b := range h.Addr(netip.MustParseAddr("198.51.100.4")) {
		names = append(names, b.Name+"/"+b.Via)
	}
	if diff := cmp.Diff([]string{"edge.example.net/", "www.example.com/edge.example.net"}, names); diff != "" {
		t.Errorf("Addr names (-want +got):\n%s", diff)
	}
	if a := h.Name("edge.example.net").Aliases; len(a) != 1 || a[0].Name != "www.example.com" {
		t.Errorf("aliases of edge.example.net: %+v", a)
	}
}

func TestMalformed(t *testing.T) {
	var l logBuilder
	l.add(0, "a.example.com", dnslog.TypeA, dnslog.RCodeNoError, "A 192.0.2.300")                    // 1 bad address
	l.add(0, "b.example.com", dnslog.TypeA, dnslog.RCodeNoError, "A 2001:db8::1")                    // 2 wrong family
	l.add(0, "c.example.com", dnslog.TypeA, dnslog.RCodeNoError, "c2.example.com", "c.example.com")  // 3 loop
	l.add(0, "d.example.com", dnslog.TypeA, dnslog.RCodeNoError, "CNAME bad..name", "A 192.0.2.4")   // 4 bad name, address kept
	l.add(0, "29.133.216.in-addr.arpa", dnslog.TypePTR, dnslog.RCodeNoError, "host.example.com")     // 5 partial reverse
	l.add(0, "e.example.com", dnslog.TypeMX, dnslog.RCodeNoError, "MX x mail.example.com")           // 6 bad preference
	l.add(0, "f.example.com", dnslog.TypeA, dnslog.RCodeNoError, "")                                 // 7 empty
	l.add(0, "", dnslog.TypeA, dnslog.RCodeNoError, "192.0.2.1")                                     // 8 no name
	l.add(0, "g.example.com", dnslog.TypeA, dnslog.RCodeNoError, "A "+strings.Repeat("1", 600))      // 9 too long
	l.add(0, "h.example.com", dnslog.TypeA, dnslog.RCodeNoError, "h1.example.com", "h2.example.com", // 10 chain of 3 > MaxChain 2
		"h3.example.com", "192.0.2.8")
	h := &History{MaxChain: 2}
	l.history(h)
	var got []string
	for _, err := range h.Errors() {
		var ae *AnswerError
		if !errors.As(err, &ae) {
			t.Fatalf("%T is not an *AnswerError", err)
		}
		got = append(got, err.Error())
	}
	want := []string{
		`t.log:1: a.example.com: answer "192.0.2.300": bad address in answer`,
		`t.log:2: b.example.com: answer "2001:db8::1": bad address in answer`,
		`t.log:3: c.example.com: answer "c.example.com": CNAME loop`,
		`t.log:4: d.example.com: answer "bad..name": bad name in answer`,
		`t.log:5: 29.133.216.in-addr.arpa: answer "host.example.com": PTR query name is not a whole reverse address`,
		`t.log:6: e.example.com: answer "x mail.example.com": bad name in answer`,
		`t.log:7: f.example.com: empty answer`,
		`t.log:8: answer "192.0.2.1": empty query name`,
		`t.log:9: g.example.com: answer "` + strings.Repeat("1", 64) + `": answer data too long`,
		`t.log:10: h.example.com: answer "h3.example.com": CNAME chain too long`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if h.Malformed() != int64(len(want)) {
		t.Errorf("Malformed() = %d, want %d", h.Malformed(), len(want))
	}
	if !errors.Is(h.Errors()[2], ErrLoop) {
		t.Error("errors.Is(loop, ErrLoop) = false")
	}
	// The good answer next to the bad one is kept.
	if bs := h.Addr(netip.MustParseAddr("192.0.2.4")); len(bs) != 1 || bs[0].Name != "d.example.com" {
		t.Errorf("Addr(192.0.2.4) = %+v", bs)
	}
	// An event whose only answer was malformed starts no period.
	if s := h.Name("a.example.com").Series[0]; len(s.Periods) != 0 || s.Failed != 1 {
		t.Errorf("a.example.com: periods %d failed %d, want 0 1", len(s.Periods), s.Failed)
	}
}

func TestLimits(t *testing.T) {
	var l logBuilder
	for i := range 10 {
		ip := netip.AddrFrom4([4]byte{192, 0, 2, byte(i % 2)}) // flaps between two addresses
		l.add(float64(i), "flap.example.com", dnslog.TypeA, dnslog.RCodeNoError, "A "+ip.String())
	}
	for i := range 5 {
		l.add(20, "many.example.com", dnslog.TypeA, dnslog.RCodeNoError, "A 192.0.2."+string(rune('1'+i)))
	}
	big := make([]string, 40)
	for i := range big {
		big[i] = "A 198.51.100." + string(rune('0'+i%10))
	}
	l.add(30, "big.example.com", dnslog.TypeA, dnslog.RCodeNoError, big...)
	h := &History{MaxPeriods: 4, MaxPositions: 2, MaxBindings: 5, MaxErrors: 1, MaxAnswers: 10}
	l.history(h)

	s := h.Name("flap.example.com").Series[0]
	if len(s.Periods) != 4 || s.Omitted != 6 {
		t.Errorf("flap: %d periods, %d omitted; want 4, 6", len(s.Periods), s.Omitted)
	}
	if last := s.Periods[3]; !last.First.Equal(at(9)) {
		t.Errorf("flap: last period starts %v, want the latest, %v", last.First, at(9))
	}
	if ch := s.Changes(); ch[len(ch)-1].Omitted != 6 {
		t.Errorf("last change Omitted = %d, want 6", ch[len(ch)-1].Omitted)
	}
	for _, b := range h.Bindings() {
		if len(b.Positions) > 2 {
			t.Errorf("%s %s: %d positions, cap 2", b.Name, b.Data, len(b.Positions))
		}
	}
	if n := len(h.Bindings()); n != 5 {
		t.Errorf("%d bindings, cap 5", n)
	}
	// 2 flap bindings, 3 of "many" kept, 2 of "many" and 10 of "big" dropped.
	if h.Dropped() != 12 {
		t.Errorf("Dropped() = %d, want 12", h.Dropped())
	}
	if h.Malformed() != 1 || len(h.Errors()) != 1 || !errors.Is(h.Errors()[0], ErrTooMany) {
		t.Errorf("malformed %d, errors %v; want 1 ErrTooMany", h.Malformed(), h.Errors())
	}
}

func TestPTRAndCoHosted(t *testing.T) {
	var l logBuilder
	l.add(0, "a.example.com", dnslog.TypeA, dnslog.RCodeNoError, "203.0.113.5")
	l.add(24, "b.example.org", dnslog.TypeA, dnslog.RCodeNoError, "203.0.113.5")
	l.add(48, "c.example.net", dnslog.TypeA, dnslog.RCodeNoError, "203.0.113.77")
	l.add(50, "5.113.0.203.in-addr.arpa", dnslog.TypePTR, dnslog.RCodeNoError, "PTR host5.example.com.")
	l.add(60, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", dnslog.TypePTR,
		dnslog.RCodeNoError, "v6.example.com")
	l.add(70, "d.example.com", dnslog.TypeA, dnslog.RCodeNoError, "198.51.100.1")
	h := l.history(nil)
	if h.Malformed() != 0 {
		t.Fatal(h.Errors())
	}
	names := func(bs []Binding) []string {
		var out []string
		for _, b := range bs {
			out = append(out, b.Addr.String()+" "+b.Name+" "+b.Type.String())
		}
		return out
	}
	p := netip.MustParsePrefix("203.0.113.0/24")
	if diff := cmp.Diff([]string{
		"203.0.113.5 a.example.com A", "203.0.113.5 b.example.org A", "203.0.113.5 host5.example.com PTR",
		"203.0.113.77 c.example.net A",
	}, names(h.CoHosted(p, time.Time{}, time.Time{}))); diff != "" {
		t.Errorf("CoHosted /24 (-want +got):\n%s", diff)
	}
	// A window from hour 12 to hour 49 leaves out a (hour 0) and the PTR (hour 50).
	if diff := cmp.Diff([]string{"203.0.113.5 b.example.org A", "203.0.113.77 c.example.net A"},
		names(h.CoHosted(p, at(12), at(49)))); diff != "" {
		t.Errorf("CoHosted window (-want +got):\n%s", diff)
	}
	one := netip.PrefixFrom(netip.MustParseAddr("203.0.113.5"), 32)
	if n := len(h.CoHosted(one, time.Time{}, time.Time{})); n != 3 {
		t.Errorf("CoHosted /32: %d bindings, want 3", n)
	}
	v6 := h.Addr(netip.MustParseAddr("2001:db8::1"))
	if len(v6) != 1 || v6[0].Name != "v6.example.com" || v6[0].Type != dnslog.TypePTR {
		t.Errorf("Addr(2001:db8::1) = %+v", v6)
	}
	ptr := h.Name("host5.example.com").Bindings
	if len(ptr) != 1 || ptr[0].Target != "5.113.0.203.in-addr.arpa" || ptr[0].Addr != netip.MustParseAddr("203.0.113.5") {
		t.Errorf("host5 PTR binding = %+v", ptr)
	}
}

func TestOutOfOrderAndAddAll(t *testing.T) {
	var l logBuilder
	l.add(5, "x.example.com", dnslog.TypeA, dnslog.RCodeNoError, "192.0.2.1")
	l.add(1, "x.example.com", dnslog.TypeA, dnslog.RCodeNoError, "192.0.2.1")
	var h History
	seq := func(yield func(dnslog.Event, error) bool) {
		for _, ev := range l.evs {
			if !yield(ev, nil) {
				return
			}
		}
		yield(dnslog.Event{}, errors.New("boom"))
	}
	if err := h.AddAll(context.Background(), seq); err == nil || err.Error() != "boom" {
		t.Errorf("AddAll error = %v, want boom", err)
	}
	s := h.Name("x.example.com").Series[0]
	if s.OutOfOrder != 1 || !s.First.Equal(at(1)) || !s.Last.Equal(at(5)) || s.Periods[0].Count != 2 {
		t.Errorf("series %+v", s)
	}
	if h.Events() != 2 {
		t.Errorf("Events() = %d", h.Events())
	}
}

// replicaDir holds the Tea Leaves replica (synthetic files generated by
// internal/replica).
var replicaDir = filepath.Join("..", "..", "testdata", "tealeaves")
