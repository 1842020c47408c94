package pivot

import (
	"bytes"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/whois"
	"github.com/miekg/dns"
)

// fuzzEvents reads the fuzz input: one event per line,
// "NAME|QTYPE|RCODE|ANSWER;ANSWER;…", an answer being "TYPE DATA" when it
// starts with a type mnemonic and untyped data otherwise. Every third event
// goes back in time.
func fuzzEvents(data []byte) []dnslog.Event {
	var evs []dnslog.Event
	for i, line := range strings.Split(string(data), "\n") {
		if i >= 200 {
			break
		}
		f := strings.SplitN(line, "|", 4)
		ev := dnslog.Event{Name: f[0], RCode: dnslog.RCodeUnknown,
			Time: t0.Add(time.Duration(i) * time.Hour), Pos: dnslog.Position{File: "fuzz", Line: int64(i + 1)}}
		if i%3 == 2 {
			ev.Time = ev.Time.Add(-5 * time.Hour)
		}
		if len(f) > 1 {
			ev.Type, _ = dnslog.ParseType(f[1])
		}
		if len(f) > 2 {
			if rc, ok := dnslog.ParseRCode(f[2]); ok {
				ev.RCode = rc
			}
		}
		if len(f) > 3 {
			for a := range strings.SplitSeq(f[3], ";") {
				ty, rest, ok := strings.Cut(a, " ")
				if t, known := dnslog.ParseType(ty); ok && known {
					ev.Answers = append(ev.Answers, dnslog.Answer{Type: t, Data: rest, TTL: uint32(len(rest)), HasTTL: true})
				} else {
					ev.Answers = append(ev.Answers, dnslog.Answer{Data: a})
				}
			}
		}
		evs = append(evs, ev)
	}
	return evs
}

// FuzzBindings feeds arbitrary events and answers to a History with small
// limits and checks that nothing panics and every limit holds.
func FuzzBindings(f *testing.F) {
	f.Add([]byte("mail1.example.com|A|NOERROR|192.0.2.25\nmail1.example.com|A|NXDOMAIN|"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := &History{MaxPositions: 2, MaxBindings: 50, MaxSeries: 20, MaxPeriods: 3, MaxAnswers: 8, MaxChain: 3,
			MaxDataBytes: 100, MaxErrors: 5}
		evs := fuzzEvents(data)
		for i := range evs {
			h.Add(&evs[i])
		}
		if n := len(h.Errors()); n > 5 || int64(n) > h.Malformed() {
			t.Fatalf("%d errors kept, %d counted", n, h.Malformed())
		}
		for _, err := range h.Errors() {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Errorf("error without position: %v", err)
			}
		}
		bs := h.Bindings()
		if len(bs) > 50 {
			t.Fatalf("%d bindings, cap 50", len(bs))
		}
		for _, b := range bs {
			if b.Count < 1 || b.Last.Before(b.First) || len(b.Positions) > 2 || len(b.Positions) == 0 {
				t.Errorf("binding %+v", b)
			}
			switch b.Type {
			case dnslog.TypeA:
				if !b.Addr.Is4() {
					t.Errorf("A binding with address %v", b.Addr)
				}
			case dnslog.TypeAAAA:
				if !b.Addr.Is6() || b.Addr.Is4In6() || b.Addr.Zone() != "" {
					t.Errorf("AAAA binding with address %v", b.Addr)
				}
			case dnslog.TypeCNAME, dnslog.TypeMX, dnslog.TypeNS:
				if _, ok := normalizeName(b.Target); !ok || b.Target != strings.ToLower(b.Target) {
					t.Errorf("%v binding with target %q", b.Type, b.Target)
				}
			}
		}
		ss := h.Series()
		if len(ss) > 20 {
			t.Fatalf("%d series, cap 20", len(ss))
		}
		for _, s := range ss {
			if len(s.Periods) > 3 {
				t.Errorf("%d periods, cap 3", len(s.Periods))
			}
			var sum int64
			for _, p := range s.Periods {
				sum += p.Count
				if (p.State == StateAnswers) != (len(p.Answers) > 0) || len(p.Answers) > 8 {
					t.Errorf("period %+v", p)
				}
			}
			if sum > s.Count || s.Answered+s.NXDomain+s.NoData+s.Failed+s.Unknown != s.Count {
				t.Errorf("series counts %+v", s)
			}
			if err := WriteMarkdown(io.Discard, h, s.Name); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(io.Discard, h.Name(s.Name)); err != nil {
				t.Fatal(err)
			}
		}
		WriteHits(io.Discard, GroupByDomain(h.Search(Query{Word: "a"})))
		WriteMail(io.Discard, h.Mail(&whois.Table{}, MailOptions{}))
		WriteBindings(io.Discard, h.CoHosted(netip.MustParsePrefix("0.0.0.0/0"), time.Time{}, time.Time{}))
		h.Changes()
	})
}

// FuzzReverseAddr checks ReverseAddr against the reverse names the DNS
// library builds: a name it accepts spells its address exactly.
func FuzzReverseAddr(f *testing.F) {
	f.Add([]byte("29.133.216.66.in-addr.arpa"))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := string(data)
		addr, ok := ReverseAddr(name)
		if !ok {
			return
		}
		rev, err := dns.ReverseAddr(addr.String())
		if err != nil {
			t.Fatal(err)
		}
		norm := strings.ToLower(strings.TrimSuffix(name, "."))
		if l := strings.Split(norm, "."); len(l) == 7 && strings.ContainsAny(l[1], "/-") {
			norm = strings.Join(append(l[:1:1], l[2:]...), ".") // RFC 2317 form
		}
		if want := strings.TrimSuffix(rev, "."); want != norm {
			t.Errorf("ReverseAddr(%q) = %v, whose reverse name is %q", name, addr, want)
		}
	})
}

// FuzzMatchOrg checks the edit distance's bounds and symmetry and that
// matching never panics, on two names separated by a newline.
func FuzzMatchOrg(f *testing.F) {
	f.Add([]byte("Trump Organization\nTrump Orgainzation"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b, _ := bytes.Cut(data, []byte("\n"))
		sa, sb := string(a), string(b)
		d := EditDistance(sa, sb)
		la, lb := min(utf8.RuneCountInString(sa), maxMatchRunes), min(utf8.RuneCountInString(sb), maxMatchRunes)
		if d != EditDistance(sb, sa) || d > max(la, lb) || d < max(la-lb, lb-la) {
			t.Errorf("EditDistance(%q, %q) = %d (lengths %d, %d)", sa, sb, d, la, lb)
		}
		if EditDistance(sa, sa) != 0 {
			t.Errorf("EditDistance(%q, itself) != 0", sa)
		}
		k, dist, ok := MatchOrg(sa, sb, MatchOptions{})
		if ok && (dist < 0 || k == "") {
			t.Errorf("MatchOrg(%q, %q) = %q %d", sa, sb, k, dist)
		}
		if len(NormalizeOrg(sa)) > 0 {
			if k, _, ok := MatchOrg(sa, sa, MatchOptions{}); !ok || k != MatchExact {
				t.Errorf("MatchOrg(%q, itself) = %q %v", sa, k, ok)
			}
		}
	})
}
