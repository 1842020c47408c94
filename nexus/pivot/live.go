package pivot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/miekg/dns"
)

// Defaults of a Resolver's zero-valued fields.
const (
	DefaultLiveTimeout  = 3 * time.Second
	DefaultLiveInterval = 100 * time.Millisecond
	DefaultMaxQueries   = 200
)

var (
	// ErrNoServer: a Resolver has no Server; live lookups are off.
	ErrNoServer = errors.New("no DNS server configured")
	// ErrQueryLimit: a Resolver has sent MaxQueries queries.
	ErrQueryLimit = errors.New("query limit reached")
)

// NameTypes are the types Resolver.Pivot asks for each name.
var NameTypes = []dnslog.Type{dnslog.TypeA, dnslog.TypeAAAA, dnslog.TypeMX, dnslog.TypeNS, dnslog.TypeTXT}

// Resolver asks a DNS server about the names and addresses found in the
// pivots. It sends nothing unless Server is set. Queries are spaced at
// least Interval apart and capped at MaxQueries in the Resolver's
// lifetime; each waits at most Timeout, and less when its context ends
// sooner. A Resolver is safe for concurrent use.
type Resolver struct {
	// Server is the server asked, "host:port" (port 53 when omitted).
	Server string
	// Net is "udp" (the zero value) or "tcp".
	Net string
	// Timeout bounds each query (0 means DefaultLiveTimeout).
	Timeout time.Duration
	// Interval is the least time between two queries (0 means
	// DefaultLiveInterval, negative no limit).
	Interval time.Duration
	// MaxQueries caps the queries sent (0 means DefaultMaxQueries);
	// later queries fail with ErrQueryLimit.
	MaxQueries int

	mu   sync.Mutex
	next time.Time
	sent int
}

// Sent returns the number of queries sent so far.
func (r *Resolver) Sent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent
}

// LiveRecord is the answer to one live query.
type LiveRecord struct {
	Name    string          `json:"name"`
	Type    dnslog.Type     `json:"-"`
	Time    time.Time       `json:"time"`
	Server  string          `json:"server"`
	RCode   dnslog.RCode    `json:"-"`
	Answers []dnslog.Answer `json:"-"`
	// Err is the query's failure (a timeout, a refused connection), empty
	// when an answer came.
	Err string `json:"error,omitempty"`
}

// MarshalJSON writes Type and RCode as mnemonics and Answers as "TYPE
// data" strings.
func (l LiveRecord) MarshalJSON() ([]byte, error) {
	type plain LiveRecord
	rc := ""
	if l.Err == "" {
		rc = l.RCode.String()
	}
	return json.Marshal(struct {
		plain
		Type    string   `json:"type"`
		RCode   string   `json:"rcode,omitempty"`
		Answers []string `json:"answers,omitempty"`
	}{plain(l), l.Type.String(), rc, answerStrings(l.Answers)})
}

// Event returns the record as a dnslog.Event, so that live answers can be
// added to a History next to the logs; its Pos names the server and n.
func (l LiveRecord) Event(n int64) dnslog.Event {
	return dnslog.Event{Time: l.Time, Name: l.Name, RawName: l.Name, Type: l.Type, Class: dnslog.ClassIN,
		RCode: l.RCode, Answers: l.Answers, Pos: dnslog.Position{File: "live:" + l.Server, Line: n}}
}

func (r *Resolver) server() string {
	if _, _, err := net.SplitHostPort(r.Server); err == nil {
		return r.Server
	}
	return net.JoinHostPort(strings.Trim(r.Server, "[]"), "53")
}

// wait takes one query slot: it fails with ErrQueryLimit past MaxQueries,
// and sleeps until Interval has passed since the previous query.
func (r *Resolver) wait(ctx context.Context) error {
	r.mu.Lock()
	if r.sent >= orDefault(r.MaxQueries, DefaultMaxQueries) {
		r.mu.Unlock()
		return ErrQueryLimit
	}
	r.sent++
	now := time.Now()
	at := now
	if r.next.After(now) {
		at = r.next
	}
	iv := r.Interval
	if iv == 0 {
		iv = DefaultLiveInterval
	}
	if iv > 0 {
		r.next = at.Add(iv)
	}
	r.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// Query asks for name's records of type t. A failed exchange is returned
// both as the error and in LiveRecord.Err; ErrNoServer, ErrQueryLimit and
// context errors come back with no record time.
func (r *Resolver) Query(ctx context.Context, name string, t dnslog.Type) (LiveRecord, error) {
	rec := LiveRecord{Name: strings.ToLower(strings.TrimSuffix(name, ".")), Type: t, RCode: dnslog.RCodeUnknown}
	if r.Server == "" {
		return rec, ErrNoServer
	}
	rec.Server = r.server()
	if _, ok := normalizeName(rec.Name); !ok {
		return rec, fmt.Errorf("pivot: live query for %q: %w", name, ErrName)
	}
	if err := r.wait(ctx); err != nil {
		return rec, err
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultLiveTimeout
	}
	qctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(rec.Name), uint16(t))
	m.RecursionDesired = true
	c := &dns.Client{Net: r.Net, Timeout: timeout}
	rec.Time = time.Now().UTC()
	resp, _, err := c.ExchangeContext(qctx, m, rec.Server)
	if err != nil {
		rec.Err = err.Error()
		return rec, fmt.Errorf("pivot: live %s %s at %s: %w", t, rec.Name, rec.Server, err)
	}
	rec.RCode = dnslog.RCode(resp.Rcode)
	for _, rr := range resp.Answer {
		if a, ok := liveAnswer(rr); ok {
			rec.Answers = append(rec.Answers, a)
		}
		if len(rec.Answers) >= DefaultMaxAnswers {
			break
		}
	}
	return rec, nil
}

// liveAnswer renders a record as dnslog renders logged answers: addresses,
// names lowercase without the trailing dot, MX as "PREF NAME", TXT as
// quoted strings.
func liveAnswer(rr dns.RR) (dnslog.Answer, bool) {
	h := rr.Header()
	a := dnslog.Answer{Type: dnslog.Type(h.Rrtype), TTL: h.Ttl, HasTTL: true}
	name := func(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }
	switch v := rr.(type) {
	case *dns.A:
		ip, ok := netip.AddrFromSlice(v.A)
		if !ok {
			return a, false
		}
		a.Data = ip.Unmap().String()
	case *dns.AAAA:
		ip, ok := netip.AddrFromSlice(v.AAAA)
		if !ok {
			return a, false
		}
		a.Data = ip.String()
	case *dns.CNAME:
		a.Data = name(v.Target)
	case *dns.PTR:
		a.Data = name(v.Ptr)
	case *dns.NS:
		a.Data = name(v.Ns)
	case *dns.MX:
		a.Data = strconv.Itoa(int(v.Preference)) + " " + name(v.Mx)
	case *dns.TXT:
		q := make([]string, len(v.Txt))
		for i, s := range v.Txt {
			q[i] = strconv.Quote(s)
		}
		a.Data = strings.Join(q, " ")
	default:
		return a, false
	}
	return a, true
}

// Addr asks for the PTR records of addr.
func (r *Resolver) Addr(ctx context.Context, addr netip.Addr) (LiveRecord, error) {
	rev, err := dns.ReverseAddr(addr.Unmap().String())
	if err != nil {
		return LiveRecord{}, fmt.Errorf("pivot: reverse name of %v: %w", addr, err)
	}
	return r.Query(ctx, rev, dnslog.TypePTR)
}

// Pivot asks for the NameTypes records of each name and the PTR records of
// each address, in order. Failed exchanges are kept as records with Err
// set; ErrNoServer, ErrQueryLimit or the context's error stops the run and
// is returned with the records gathered before it.
func (r *Resolver) Pivot(ctx context.Context, names []string, addrs []netip.Addr) ([]LiveRecord, error) {
	var out []LiveRecord
	stop := func(err error) bool {
		return errors.Is(err, ErrNoServer) || errors.Is(err, ErrQueryLimit) || ctx.Err() != nil
	}
	for _, n := range names {
		for _, t := range NameTypes {
			rec, err := r.Query(ctx, n, t)
			if err != nil && stop(err) {
				return out, cmpErr(ctx, err)
			}
			if err != nil && rec.Err == "" {
				continue // a name that cannot be asked
			}
			out = append(out, rec)
		}
	}
	for _, a := range addrs {
		rec, err := r.Addr(ctx, a)
		if err != nil && stop(err) {
			return out, cmpErr(ctx, err)
		}
		if err != nil && rec.Err == "" {
			continue
		}
		out = append(out, rec)
	}
	return out, nil
}

func cmpErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
