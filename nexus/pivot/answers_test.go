package pivot

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/google/go-cmp/cmp"
)

func TestClassify(t *testing.T) {
	type out struct {
		Type   dnslog.Type
		Data   string
		Target string
		Addr   string
	}
	for _, c := range []struct {
		qtype dnslog.Type
		ans   dnslog.Answer
		want  out
		err   error
	}{
		{dnslog.TypeA, dnslog.Answer{Data: "192.0.2.1"}, out{dnslog.TypeA, "192.0.2.1", "", "192.0.2.1"}, nil},
		{dnslog.TypeAAAA, dnslog.Answer{Data: "2001:DB8:0::1"}, out{dnslog.TypeAAAA, "2001:db8::1", "", "2001:db8::1"}, nil},
		{dnslog.TypeA, dnslog.Answer{Data: "::ffff:192.0.2.1"}, out{dnslog.TypeA, "192.0.2.1", "", "192.0.2.1"}, nil},
		{dnslog.TypeA, dnslog.Answer{Data: "Edge.Example.NET."}, out{dnslog.TypeCNAME, "edge.example.net", "edge.example.net", "invalid IP"}, nil},
		{dnslog.TypePTR, dnslog.Answer{Data: "host.example."}, out{dnslog.TypePTR, "host.example", "host.example", "invalid IP"}, nil},
		{dnslog.TypeMX, dnslog.Answer{Data: "mx.example.com"}, out{dnslog.TypeMX, "mx.example.com", "mx.example.com", "invalid IP"}, nil},
		{dnslog.TypeMX, dnslog.Answer{Type: dnslog.TypeMX, Data: "10 MX.example.com."}, out{dnslog.TypeMX, "10 mx.example.com", "mx.example.com", "invalid IP"}, nil},
		{dnslog.TypeSRV, dnslog.Answer{Type: dnslog.TypeSRV, Data: "0 5 5060 SIP.example."}, out{dnslog.TypeSRV, "0 5 5060 sip.example", "sip.example", "invalid IP"}, nil},
		{dnslog.TypeTXT, dnslog.Answer{Data: "TXT 12 v=spf1 -all"}, out{0, "TXT 12 v=spf1 -all", "", "invalid IP"}, nil},
		{dnslog.TypePTR, dnslog.Answer{Data: "RRSIG 12 2.0.192.in-addr.arpa"}, out{0, "RRSIG 12 2.0.192.in-addr.arpa", "", "invalid IP"}, nil},
		{dnslog.TypeNAPTR, dnslog.Answer{Data: "token"}, out{dnslog.TypeNAPTR, "token", "", "invalid IP"}, nil},
		{dnslog.TypeA, dnslog.Answer{Data: "bücher.example"}, out{dnslog.TypeCNAME, "xn--bcher-kva.example", "xn--bcher-kva.example", "invalid IP"}, nil},
		{dnslog.TypeA, dnslog.Answer{Type: dnslog.TypeA, Data: "192.0.2"}, out{}, ErrAddr},
		{dnslog.TypeA, dnslog.Answer{Type: dnslog.TypeAAAA, Data: "fe80::1%eth0"}, out{}, ErrAddr},
		{dnslog.TypePTR, dnslog.Answer{Data: "a..b"}, out{}, ErrName},
		{dnslog.TypeMX, dnslog.Answer{Type: dnslog.TypeMX, Data: "99999 mx.example"}, out{}, ErrName},
		{dnslog.TypeSRV, dnslog.Answer{Type: dnslog.TypeSRV, Data: "1 2 sip.example"}, out{}, ErrName},
		{dnslog.TypeA, dnslog.Answer{Data: " "}, out{}, ErrEmpty},
	} {
		r, err := classify(c.qtype, c.ans, 512)
		if !errors.Is(err, c.err) {
			t.Errorf("classify(%v, %+v): error %v, want %v", c.qtype, c.ans, err, c.err)
			continue
		}
		if err != nil {
			continue
		}
		got := out{r.typ, r.data, r.target, r.addr.String()}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("classify(%v, %+v) (-want +got):\n%s", c.qtype, c.ans, diff)
		}
	}
}

func TestReverseAddr(t *testing.T) {
	for name, want := range map[string]string{
		"29.133.216.66.in-addr.arpa":                                               "66.216.133.29",
		"29.133.216.66.IN-ADDR.ARPA.":                                              "66.216.133.29",
		"29.0/25.133.216.66.in-addr.arpa":                                          "66.216.133.29",
		"29.0-25.133.216.66.in-addr.arpa":                                          "66.216.133.29",
		"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa": "2001:db8::1",
		"133.216.66.in-addr.arpa":                                                  "",
		"256.133.216.66.in-addr.arpa":                                              "",
		"029.133.216.66.in-addr.arpa":                                              "",
		"1.29.133.216.66.in-addr.arpa":                                             "",
		"29.133.216.66.example.com":                                                "",
		"1.0.0.ip6.arpa":                                                           "",
		"g.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa": "",
	} {
		a, ok := ReverseAddr(name)
		got := ""
		if ok {
			got = a.String()
		}
		if got != want {
			t.Errorf("ReverseAddr(%q) = %q, want %q", name, got, want)
		}
	}
	_ = netip.Addr{}
}
