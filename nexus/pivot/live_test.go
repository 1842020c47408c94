package pivot

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

// zone is the made-up data the loopback server answers from.
var zone = map[string][]string{
	"mail1.example.com. A":         {"mail1.example.com. 3600 IN A 192.0.2.25"},
	"mail1.example.com. AAAA":      {"mail1.example.com. 3600 IN AAAA 2001:db8::25"},
	"example.com. MX":              {"example.com. 300 IN MX 10 Mail1.Example.com."},
	"example.com. NS":              {"example.com. 300 IN NS ns1.example.net."},
	"example.com. TXT":             {`example.com. 300 IN TXT "v=spf1 -all" "second"`},
	"www.example.com. A":           {"www.example.com. 60 IN CNAME mail1.example.com.", "mail1.example.com. 3600 IN A 192.0.2.25"},
	"25.2.0.192.in-addr.arpa. PTR": {"25.2.0.192.in-addr.arpa. 3600 IN PTR mail1.example.com."},
}

// startServer runs a DNS server on 127.0.0.1 (a free UDP port) and returns
// its address and a query counter.
func startServer(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	mux := dns.NewServeMux()
	mux.HandleFunc(".", func(w dns.ResponseWriter, req *dns.Msg) {
		n.Add(1)
		q := req.Question[0]
		if q.Name == "slow.example.com." {
			return // no answer: the client times out
		}
		m := new(dns.Msg)
		m.SetReply(req)
		rrs, ok := zone[q.Name+" "+dns.TypeToString[q.Qtype]]
		if !ok && q.Name != "mail1.example.com." && q.Name != "example.com." {
			m.Rcode = dns.RcodeNameError
		}
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Error(err)
				return
			}
			m.Answer = append(m.Answer, rr)
		}
		w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: mux}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String(), &n
}

func TestResolverPivot(t *testing.T) {
	addr, served := startServer(t)
	r := &Resolver{Server: addr, Interval: -1, Timeout: 2 * time.Second}
	ctx := context.Background()
	recs, err := r.Pivot(ctx, []string{"mail1.example.com", "example.com"}, []netip.Addr{netip.MustParseAddr("192.0.2.25")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range recs {
		got = append(got, rec.Name+" "+rec.Type.String()+" "+rec.RCode.String()+" "+joinAnswers(rec.Answers))
	}
	want := []string{
		"mail1.example.com A NOERROR A 192.0.2.25",
		"mail1.example.com AAAA NOERROR AAAA 2001:db8::25",
		"mail1.example.com MX NOERROR ",
		"mail1.example.com NS NOERROR ",
		"mail1.example.com TXT NOERROR ",
		"example.com A NOERROR ",
		"example.com AAAA NOERROR ",
		"example.com MX NOERROR MX 10 mail1.example.com",
		"example.com NS NOERROR NS ns1.example.net",
		`example.com TXT NOERROR TXT "v=spf1 -all" "second"`,
		"25.2.0.192.in-addr.arpa PTR NOERROR PTR mail1.example.com",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if served.Load() != 11 || r.Sent() != 11 {
		t.Errorf("served %d, sent %d; want 11", served.Load(), r.Sent())
	}
	// Live answers join a History like logged ones.
	var h History
	for i, rec := range recs {
		ev := rec.Event(int64(i + 1))
		h.Add(&ev)
	}
	var names []string
	for _, b := range h.Addr(netip.MustParseAddr("192.0.2.25")) {
		names = append(names, b.Name+" "+b.Type.String())
	}
	if diff := cmp.Diff([]string{"mail1.example.com A", "mail1.example.com PTR"}, names); diff != "" {
		t.Errorf("History from live answers (-want +got):\n%s", diff)
	}
	if ms := h.Mail(nil, MailOptions{MXOnly: true}); len(ms) != 1 || len(ms[0].Addrs) != 2 {
		t.Errorf("Mail from live answers: %+v", ms)
	}

	var md, js strings.Builder
	if err := WriteLive(&md, recs[7:8]); err != nil {
		t.Fatal(err)
	}
	if want := "| example.com | MX | NOERROR | MX 10 mail1.example.com | " + addr + " |"; !strings.Contains(md.String(), want) {
		t.Errorf("WriteLive lacks %q:\n%s", want, md.String())
	}
	if err := WriteJSON(&js, recs[7]); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"type": "MX"`, `"rcode": "NOERROR"`, `"MX 10 mail1.example.com"`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, js.String())
		}
	}

	rec, err := r.Query(ctx, "www.example.com", dnslog.TypeA)
	if err != nil || joinAnswers(rec.Answers) != "CNAME mail1.example.com, A 192.0.2.25" {
		t.Errorf("CNAME: %v %q", err, joinAnswers(rec.Answers))
	}
	rec, err = r.Query(ctx, "nx.example.com", dnslog.TypeA)
	if err != nil || rec.RCode != dnslog.RCodeNXDomain {
		t.Errorf("NXDOMAIN: %v %v", err, rec.RCode)
	}
}

func joinAnswers(as []dnslog.Answer) string {
	s := ""
	for i, a := range answerStrings(as) {
		if i > 0 {
			s += ", "
		}
		s += a
	}
	return s
}

func TestResolverLimits(t *testing.T) {
	ctx := context.Background()
	if _, err := (&Resolver{}).Query(ctx, "example.com", dnslog.TypeA); !errors.Is(err, ErrNoServer) {
		t.Errorf("no server: %v, want ErrNoServer", err)
	}
	addr, served := startServer(t)

	// The cap stops a pivot and returns what came before it.
	r := &Resolver{Server: addr, Interval: -1, MaxQueries: 3}
	recs, err := r.Pivot(ctx, []string{"mail1.example.com"}, nil)
	if !errors.Is(err, ErrQueryLimit) || len(recs) != 3 {
		t.Errorf("cap: %d records, err %v; want 3, ErrQueryLimit", len(recs), err)
	}

	// The rate limit spaces queries.
	r = &Resolver{Server: addr, Interval: 40 * time.Millisecond}
	start := time.Now()
	for range 4 {
		if _, err := r.Query(ctx, "mail1.example.com", dnslog.TypeA); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("4 queries 40 ms apart took %v, want at least 120 ms", d)
	}

	// A server that does not answer: the timeout, kept as the record's Err.
	r = &Resolver{Server: addr, Interval: -1, Timeout: 150 * time.Millisecond}
	before := served.Load()
	start = time.Now()
	rec, err := r.Query(ctx, "slow.example.com", dnslog.TypeA)
	if err == nil || rec.Err == "" || time.Since(start) > 2*time.Second {
		t.Errorf("timeout: err %v, rec.Err %q after %v", err, rec.Err, time.Since(start))
	}
	if served.Load() != before+1 {
		t.Errorf("slow query reached the server %d times", served.Load()-before)
	}

	// A cancelled context stops a pivot waiting for its rate-limit slot.
	r = &Resolver{Server: addr, Interval: time.Hour}
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	recs, err = r.Pivot(cctx, []string{"mail1.example.com"}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || len(recs) != 1 {
		t.Errorf("cancel: %d records, err %v; want 1, DeadlineExceeded", len(recs), err)
	}
	// A bad name is not sent.
	r = &Resolver{Server: addr, Interval: -1}
	if _, err := r.Query(ctx, "bad..name", dnslog.TypeA); !errors.Is(err, ErrName) || r.Sent() != 0 {
		t.Errorf("bad name: %v, sent %d", err, r.Sent())
	}
}
