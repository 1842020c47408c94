package dnslog

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDnsmasqLines(t *testing.T) {
	a := func(data string, ty Type) Answer { return Answer{Data: data, Type: ty} }
	q := func(line int64, when, client, name string, ty Type, rc RCode, ans ...Answer) Event {
		e := fmtaEvent(line, when, client, 0, name, ty, 0)
		e.RCode = rc
		e.Answers = ans
		return e
	}
	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"query, forward, two replies",
			"Jul  7 19:39:41 dnsmasq[536]: query[A] a.example from 192.168.1.185\n" +
				"Jul  7 19:39:41 dnsmasq[536]: forwarded a.example to 192.0.2.53\n" +
				"Jul  7 19:39:42 dnsmasq[536]: reply a.example is 192.0.2.1\n" +
				"Jul  7 19:39:42 dnsmasq[536]: reply a.example is 192.0.2.2\n",
			[]Event{q(1, "2021-07-07T19:39:41Z", "192.168.1.185", "a.example", TypeA, RCodeNoError, a("192.0.2.1", TypeA), a("192.0.2.2", TypeA))}},
		{"A and AAAA of one name interleaved",
			"Jul  7 19:39:41 gw dnsmasq[536]: query[A] b.example from 10.0.0.2\n" +
				"Jul  7 19:39:41 gw dnsmasq[536]: query[AAAA] b.example from 10.0.0.2\n" +
				"Jul  7 19:39:41 gw dnsmasq[536]: forwarded b.example to 192.0.2.53\n" +
				"Jul  7 19:39:41 gw dnsmasq[536]: forwarded b.example to 192.0.2.53\n" +
				"Jul  7 19:39:41 gw dnsmasq[536]: reply b.example is 2001:db8::1\n" +
				"Jul  7 19:39:41 gw dnsmasq[536]: reply b.example is 192.0.2.1\n",
			[]Event{
				q(1, "2021-07-07T19:39:41Z", "10.0.0.2", "b.example", TypeA, RCodeNoError, a("192.0.2.1", TypeA)),
				q(2, "2021-07-07T19:39:41Z", "10.0.0.2", "b.example", TypeAAAA, RCodeNoError, a("2001:db8::1", TypeAAAA)),
			}},
		{"CNAME chain",
			"Jul  7 19:39:41 dnsmasq[536]: query[A] www.example from 10.0.0.2\n" +
				"Jul  7 19:39:41 dnsmasq[536]: reply www.example is <CNAME>\n" +
				"Jul  7 19:39:41 dnsmasq[536]: reply Edge.Example.net is 192.0.2.7\n" +
				"Jul  7 19:39:41 dnsmasq[536]: reply edge.example.net is 192.0.2.8\n",
			[]Event{q(1, "2021-07-07T19:39:41Z", "10.0.0.2", "www.example", TypeA, RCodeNoError,
				a("edge.example.net", TypeCNAME), a("192.0.2.7", TypeA), a("192.0.2.8", TypeA))}},
		{"cached NXDOMAIN, config NODATA, hosts file, gravity, PTR",
			"Sep 15 08:32:47 dnsmasq[2221]: query[A] c.example from 192.168.1.169\n" +
				"Sep 15 08:32:47 dnsmasq[2221]: cached c.example is NXDOMAIN\n" +
				"Sep 15 08:32:48 dnsmasq[2221]: query[AAAA] printer.lan from 192.168.1.169\n" +
				"Sep 15 08:32:48 dnsmasq[2221]: config printer.lan is NODATA-IPv6\n" +
				"Sep 15 08:32:49 dnsmasq[2221]: query[A] nas.lan from 192.168.1.169\n" +
				"Sep 15 08:32:49 dnsmasq[2221]: /etc/hosts nas.lan is 192.168.1.20\n" +
				"Sep 15 08:32:50 pihole-FTL[22]: query[HTTPS] ads.example from 192.168.1.169\n" +
				"Sep 15 08:32:50 pihole-FTL[22]: gravity blocked ads.example is NODATA\n" +
				"Sep 15 08:32:51 dnsmasq[2221]: query[PTR] 20.1.168.192.in-addr.arpa from 192.168.1.169\n" +
				"Sep 15 08:32:51 dnsmasq[2221]: /etc/hosts 20.1.168.192.in-addr.arpa is NAS.lan\n" +
				"Sep 15 08:32:52 dnsmasq[2221]: query[type=65] svc.example from 192.168.1.169\n" +
				"Sep 15 08:32:52 dnsmasq[2221]: reply svc.example is <HTTPS>\n" +
				"Sep 15 08:32:53 dnsmasq[2221]: query[SVCB] _dns.resolver.arpa from 192.168.1.169\n" +
				"Sep 15 08:32:53 dnsmasq[2221]: reply _dns.resolver.arpa is REFUSED\n",
			[]Event{
				q(1, "2021-09-15T08:32:47Z", "192.168.1.169", "c.example", TypeA, RCodeNXDomain),
				q(3, "2021-09-15T08:32:48Z", "192.168.1.169", "printer.lan", TypeAAAA, RCodeNoError),
				q(5, "2021-09-15T08:32:49Z", "192.168.1.169", "nas.lan", TypeA, RCodeNoError, a("192.168.1.20", TypeA)),
				q(7, "2021-09-15T08:32:50Z", "192.168.1.169", "ads.example", TypeHTTPS, RCodeNoError),
				q(9, "2021-09-15T08:32:51Z", "192.168.1.169", "20.1.168.192.in-addr.arpa", TypePTR, RCodeNoError, a("nas.lan", TypePTR)),
				q(11, "2021-09-15T08:32:52Z", "192.168.1.169", "svc.example", TypeHTTPS, RCodeNoError, a("", TypeHTTPS)),
				q(13, "2021-09-15T08:32:53Z", "192.168.1.169", "_dns.resolver.arpa", TypeSVCB, RCodeRefused),
			}},
		{"out-of-order completion keeps input order",
			"Jul  7 19:39:41 dnsmasq[536]: query[A] first.example from 10.0.0.1\n" +
				"Jul  7 19:39:41 dnsmasq[536]: query[A] second.example from 10.0.0.2\n" +
				"Jul  7 19:39:41 dnsmasq[536]: cached second.example is 192.0.2.2\n" +
				"Jul  7 19:39:42 dnsmasq[536]: reply first.example is 192.0.2.1\n",
			[]Event{
				q(1, "2021-07-07T19:39:41Z", "10.0.0.1", "first.example", TypeA, RCodeNoError, a("192.0.2.1", TypeA)),
				q(2, "2021-07-07T19:39:41Z", "10.0.0.2", "second.example", TypeA, RCodeNoError, a("192.0.2.2", TypeA)),
			}},
		{"log-queries=extra serials",
			"Jul  7 19:39:41 dnsmasq[536]: 7 10.0.0.1/40001 query[A] d.example from 10.0.0.1\n" +
				"Jul  7 19:39:41 dnsmasq[536]: 8 10.0.0.2/40002 query[A] d.example from 10.0.0.2\n" +
				"Jul  7 19:39:41 dnsmasq[536]: 8 10.0.0.2/40002 forwarded d.example to 192.0.2.53\n" +
				"Jul  7 19:39:41 dnsmasq[536]: 8 10.0.0.2/40002 reply d.example is 192.0.2.8\n" +
				"Jul  7 19:39:41 dnsmasq[536]: 7 10.0.0.1/40001 cached d.example is NXDOMAIN\n",
			[]Event{
				func() Event {
					e := q(1, "2021-07-07T19:39:41Z", "10.0.0.1", "d.example", TypeA, RCodeNXDomain)
					e.ClientPort = 40001
					return e
				}(),
				func() Event {
					e := q(2, "2021-07-07T19:39:41Z", "10.0.0.2", "d.example", TypeA, RCodeNoError, a("192.0.2.8", TypeA))
					e.ClientPort = 40002
					return e
				}(),
			}},
		{"RFC 5424 syslog",
			"<30>1 2021-07-07T19:39:41.5+02:00 gw dnsmasq 536 - - query[MX] h.example from 10.0.0.3\n" +
				"<30>1 2021-07-07T19:39:41.6+02:00 gw dnsmasq 536 - - reply h.example is <MX>\n" +
				"<30>1 2021-07-07T19:39:41.6+02:00 gw other 536 - - query[MX] x.example from 10.0.0.3\n",
			[]Event{q(1, "2021-07-07T17:39:41.5Z", "10.0.0.3", "h.example", TypeMX, RCodeNoError, a("", TypeMX))}},
		{"year rollover",
			"Dec 31 23:59:59 dnsmasq[1]: query[A] e.example from 10.0.0.1\n" +
				"Jan  1 00:00:01 dnsmasq[1]: query[A] f.example from 10.0.0.1\n",
			[]Event{
				q(1, "2021-12-31T23:59:59Z", "10.0.0.1", "e.example", TypeA, RCodeUnknown),
				q(2, "2022-01-01T00:00:01Z", "10.0.0.1", "f.example", TypeA, RCodeUnknown),
			}},
		{"replies without their query, other dnsmasq chatter",
			"Jul  7 19:39:41 dnsmasq[536]: reply g.example is 192.0.2.1\n" +
				"Jul  7 19:39:41 dnsmasq[536]: dnssec-query[DS] example to 192.0.2.53\n" +
				"Jul  7 19:39:41 dnsmasq[536]: validation g.example is BOGUS\n" +
				"Jul  7 19:39:41 dnsmasq[536]: started, version 2.89 cachesize 150\n" +
				"Jul  7 19:39:41 dnsmasq-dhcp[536]: DHCPACK(eth0) 192.168.1.5 00:11:22:33:44:55 laptop\n" +
				"Jul  7 19:39:41 kernel: [  1.0] query[A] not.dnsmasq from 1.2.3.4\n",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := fmtaRun(t, FormatDnsmasq, nil, 2021, tt.in)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, fmtaCmp...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestDnsmasqBounds checks that a query is released unanswered once
// dnsmasqHoldLines lines or dnsmasqHoldTime have passed, and that a late
// reply then completes nothing.
func TestDnsmasqBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("Jul  7 19:39:41 dnsmasq[1]: query[A] late.example from 10.0.0.1\n")
	for i := range dnsmasqHoldLines {
		fmt.Fprintf(&b, "Jul  7 19:39:41 dnsmasq[1]: forwarded other%d.example to 192.0.2.53\n", i)
	}
	b.WriteString("Jul  7 19:39:41 dnsmasq[1]: reply late.example is 192.0.2.1\n")
	got, errs := fmtaRun(t, FormatDnsmasq, nil, 2021, b.String())
	want := []Event{fmtaEvent(1, "2021-07-07T19:39:41Z", "10.0.0.1", 0, "late.example", TypeA, 0)}
	if diff := cmp.Diff(want, got, fmtaCmp...); len(errs) > 0 || diff != "" {
		t.Errorf("lines bound: errors %v, (-want +got):\n%s", errs, diff)
	}

	in := "Jul  7 19:39:41 dnsmasq[1]: query[A] slow.example from 10.0.0.1\n" +
		"Jul  7 19:39:52 dnsmasq[1]: query[A] next.example from 10.0.0.1\n" +
		"Jul  7 19:39:52 dnsmasq[1]: reply slow.example is 192.0.2.1\n"
	got, errs = fmtaRun(t, FormatDnsmasq, nil, 2021, in)
	want = []Event{
		fmtaEvent(1, "2021-07-07T19:39:41Z", "10.0.0.1", 0, "slow.example", TypeA, 0),
		fmtaEvent(2, "2021-07-07T19:39:52Z", "10.0.0.1", 0, "next.example", TypeA, 0),
	}
	if diff := cmp.Diff(want, got, fmtaCmp...); len(errs) > 0 || diff != "" {
		t.Errorf("time bound: errors %v, (-want +got):\n%s", errs, diff)
	}

	// Hostile input: endless answers for one query stay capped.
	b.Reset()
	b.WriteString("Jul  7 19:39:41 dnsmasq[1]: query[A] many.example from 10.0.0.1\n")
	for i := range 3 * maxBINDAnswers {
		fmt.Fprintf(&b, "Jul  7 19:39:41 dnsmasq[1]: reply many.example is 10.0.%d.%d\n", i/256, i%256)
	}
	got, _ = fmtaRun(t, FormatDnsmasq, nil, 2021, b.String())
	if len(got) != 1 || len(got[0].Answers) != maxBINDAnswers {
		t.Errorf("got %d events, answers %d, want 1 and %d", len(got), len(got[0].Answers), maxBINDAnswers)
	}
}

func TestDnsmasqErrors(t *testing.T) {
	fmtaCheckErrors(t, FormatDnsmasq, []fmtaErrCase{
		{"dnsmasq[536]: query[A] a.example from 192.168.1.5", ErrTime, ""},
		{"Jul  7 19:39:41 dnsmasq[536]: query[BOGUS] a.example from 192.168.1.5", ErrType, "BOGUS"},
		{"Jul  7 19:39:41 dnsmasq[536]: query[A a.example from 192.168.1.5", ErrType, "query"},
		{"Jul  7 19:39:41 dnsmasq[536]: query[A] a..example from 192.168.1.5", ErrName, "a..example"},
		{"Jul  7 19:39:41 dnsmasq[536]: query[A] a.example to 192.168.1.5", ErrField, "to"},
		{"Jul  7 19:39:41 dnsmasq[536]: query[A] a.example from 192.168.1.500", ErrAddr, "192.168.1.500"},
		{"Jul  7 19:39:41 dnsmasq[536]: query[A] a.example from", ErrAddr, "$"},
	})
}

// TestDnsmasqCorpus reads the corpus samples with the format forced. The
// extracted examples are single lines from several logs; the Pi-hole file
// holds only reply and gravity lines, whose queries are not in it: no
// events, no errors.
func TestDnsmasqCorpus(t *testing.T) {
	text := fmtaCorpus(t, "dnsmasq", "extracted_examples.log")
	got, errs := fmtaRun(t, FormatDnsmasq, nil, 2022, text)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	q := func(line int64, when, client, name string, ty Type) Event {
		return fmtaEvent(line, when, client, 0, name, ty, 0)
	}
	nx := q(7, "2022-09-15T08:32:47Z", "192.168.1.169", "mykulprint.atrapa.deloitte.com", TypeA)
	nx.RCode = RCodeNXDomain // from line 8, "cached … is NXDOMAIN"
	want := []Event{
		q(1, "2022-07-07T19:39:41Z", "192.168.1.185", "video-edge-b1fd44.muc01.abs.hls.ttvnw.net", TypeAAAA),
		q(2, "2022-07-07T19:39:44Z", "192.168.1.185", "video-edge-8b17e9.pdx01.abs.hls.ttvnw.net", TypeA),
		nx,
		q(12, "2022-05-08T01:57:05Z", "192.168.1.116", "_dns.resolver.arpa", TypeSVCB),
		q(13, "2022-05-08T01:57:01Z", "192.168.1.116", "accounts.google.com", TypeHTTPS),
	}
	if diff := cmp.Diff(want, got, fmtaCmp...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	evs, err := fmtaReadAll(t, FormatDnsmasq, 2022, text)
	for i := range want {
		want[i].Format = FormatDnsmasq
	}
	if diff := cmp.Diff(want, evs, fmtaCmp...); err != nil || diff != "" {
		t.Errorf("Reader: %v, (-want +got):\n%s", err, diff)
	}

	text = fmtaCorpus(t, "dnsmasq", "pkimSec_pihole.log")
	got, errs = fmtaRun(t, FormatDnsmasq, nil, 2022, text)
	if len(got) != 0 || len(errs) != 0 {
		t.Errorf("Pi-hole replies: %d events, errors %v; want none", len(got), errs)
	}
	if r := NewReader(strings.NewReader(text)); true {
		_, err := r.Read()
		if r.DetectedFormat() != FormatDnsmasq {
			t.Errorf("Pi-hole replies detected as %q (%v)", r.DetectedFormat(), err)
		}
	}
}

func FuzzDnsmasq(f *testing.F) {
	f.Add([]byte("Jul  7 19:39:41 dnsmasq[536]: query[A] a.example from 192.168.1.185\nJul  7 19:39:41 dnsmasq[536]: reply a.example is <CNAME>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fmtaFuzzLines(t, FormatDnsmasq, b)
	})
}

func TestDnsmasqErrorIsParseError(t *testing.T) {
	bad := "Jul  7 19:39:42 dnsmasq[1]: query[A] a.example from nowhere"
	_, err := fmtaReadAll(t, FormatDnsmasq, 2021, "Jul  7 19:39:41 dnsmasq[1]: query[A] ok.example from 10.0.0.1\n"+bad+"\n")
	var pe *ParseError
	col := strings.Index(bad, "nowhere") + 1
	if !errors.As(err, &pe) || pe.Line != 2 || pe.Column != col || !errors.Is(err, ErrAddr) || pe.Format != FormatDnsmasq {
		t.Errorf("got %#v, want an ErrAddr ParseError at 2:%d", err, col)
	}
}
