package whois

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Default settings of Client.
const (
	DefaultServer       = "whois.iana.org:43"
	DefaultMaxReferrals = 4
	DefaultInterval     = time.Second
)

// Client queries WHOIS servers over TCP port 43 and follows referrals:
// IANA's "refer:" line, ARIN's "ReferralServer: whois://host:port" or
// "rwhois://host:port", and the "whois:" line some registries print. The
// zero value starts at DefaultServer. A Client is safe for concurrent use.
//
// Each server is queried at most once per Interval (a per-server limiter
// that makes callers wait, honouring their context). Answers longer than
// MaxBytes fail with ErrTooLarge. A connection that ends in an error other
// than a clean close after some data (for example a reset) fails with an
// error wrapping ErrTruncated, and the partial answer is returned with it;
// a clean close part-way through an answer cannot be told from the end of
// the answer and is parsed as it is.
type Client struct {
	// Server is the first server asked, "host" or "host:port"; port 43 is
	// assumed.
	Server string
	// MaxReferrals bounds the referrals followed; 0 means
	// DefaultMaxReferrals, negative means none.
	MaxReferrals int
	// MaxBytes caps each answer; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Interval is the minimum gap between two queries to one server; 0
	// means DefaultInterval, negative means no limit.
	Interval time.Duration
	// Dial opens connections; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Location is passed to the Parser for zone-less dates.
	Location *time.Location

	mu   sync.Mutex
	next map[string]time.Time // earliest time of the next query, per server
}

// Answer is the raw text of one WHOIS exchange.
type Answer struct {
	Server string // "host:port" asked
	Query  string // the line sent, without CRLF
	Text   []byte
}

// QueryString returns the line sent to server for query: ARIN takes
// "n + ADDR" for addresses, DENIC "-T dn NAME" for domains, JPNIC
// "QUERY/e" for English output; other servers get the query as is.
func QueryString(server, query string) string {
	host, _, err := net.SplitHostPort(server)
	if err != nil {
		host = server
	}
	host = strings.ToLower(host)
	_, isAddr := parseAddrLoose(query)
	switch host {
	case "whois.arin.net":
		if isAddr {
			return "n + " + query
		}
	case "whois.denic.de":
		if !isAddr {
			return "-T dn " + query
		}
	case "whois.nic.ad.jp":
		return query + "/e"
	}
	return query
}

func withPort(server, port string) string {
	if _, _, err := net.SplitHostPort(server); err == nil {
		return server
	}
	return net.JoinHostPort(server, port)
}

// wait blocks until server may be queried again, then books the next slot.
func (c *Client) wait(ctx context.Context, server string) error {
	iv := c.Interval
	if iv == 0 {
		iv = DefaultInterval
	}
	if iv < 0 {
		return nil
	}
	c.mu.Lock()
	if c.next == nil {
		c.next = map[string]time.Time{}
	}
	now := time.Now()
	at := c.next[server]
	if at.Before(now) {
		at = now
	}
	c.next[server] = at.Add(iv)
	c.mu.Unlock()
	if d := time.Until(at); d > 0 {
		tm := time.NewTimer(d)
		defer tm.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tm.C:
		}
	}
	return nil
}

// Query sends query to server (default port 43) and returns the answer.
// It does not follow referrals.
func (c *Client) Query(ctx context.Context, server, query string) (Answer, error) {
	return c.query(ctx, withPort(server, "43"), query, false)
}

// QueryRWhois sends query to an RWhois server (default port 4321) and
// reads its answer up to the "%ok" or "%error" line that ends it, since
// RWhois servers keep the session open for more queries.
func (c *Client) QueryRWhois(ctx context.Context, server, query string) (Answer, error) {
	return c.query(ctx, withPort(server, "4321"), query, true)
}

// readRWhois reads lines from r until one starts with "%ok" or "%error",
// or until EOF.
func readRWhois(r io.Reader) ([]byte, error) {
	br := bufio.NewReader(r)
	var out []byte
	for {
		line, err := br.ReadBytes('\n')
		out = append(out, line...)
		t := strings.TrimSpace(string(line))
		if strings.HasPrefix(t, "%ok") || strings.HasPrefix(t, "%error") {
			return out, nil
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func (c *Client) query(ctx context.Context, server, query string, rwhois bool) (Answer, error) {
	line := QueryString(server, query)
	a := Answer{Server: server, Query: line}
	if strings.ContainsAny(line, "\r\n") {
		return a, fmt.Errorf("whois: query %q contains a line break", query)
	}
	if err := c.wait(ctx, server); err != nil {
		return a, err
	}
	dial := c.Dial
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	conn, err := dial(ctx, "tcp", server)
	if err != nil {
		return a, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := io.WriteString(conn, line+"\r\n"); err != nil {
		return a, ctxErr(ctx, err)
	}
	max := c.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	if rwhois {
		a.Text, err = readRWhois(io.LimitReader(conn, max+1))
	} else {
		a.Text, err = io.ReadAll(io.LimitReader(bufio.NewReader(conn), max+1))
	}
	if int64(len(a.Text)) > max {
		a.Text = a.Text[:max]
		return a, &ParseError{File: server, Err: ErrTooLarge, Detail: fmt.Sprintf("more than %d bytes", max)}
	}
	if err != nil {
		if ctx.Err() != nil {
			return a, ctx.Err()
		}
		if len(a.Text) > 0 {
			return a, &ParseError{File: server, Err: ErrTruncated, Detail: err.Error()}
		}
		return a, err
	}
	return a, nil
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

var reReferral = regexp.MustCompile(`(?mi)^\s*(?:refer|ReferralServer|whois|Registrar WHOIS Server|whois server)\s*:\s*(\S+)\s*$`)

// Referral returns the server an answer refers to, as "host:port", and
// whether it speaks RWhois. It returns "" when there is none.
func Referral(text []byte) (server string, rwhois bool) {
	m := reReferral.FindSubmatch(text)
	if m == nil {
		return "", false
	}
	v := string(m[1])
	switch {
	case strings.HasPrefix(v, "whois://"):
		v = strings.TrimPrefix(v, "whois://")
	case strings.HasPrefix(v, "rwhois://"):
		v, rwhois = strings.TrimPrefix(v, "rwhois://"), true
	case strings.Contains(v, "://"):
		return "", false // an http URL is not a port-43 server
	}
	v = strings.TrimSuffix(v, "/")
	if v == "" {
		return "", false
	}
	if rwhois {
		return withPort(v, "4321"), true
	}
	return withPort(v, "43"), false
}

// Lookup asks about query (an address or a domain name), following
// referrals from Server, and parses the last answer that parsed. It
// returns the answers seen, in order, with the record.
func (c *Client) Lookup(ctx context.Context, query string) (Record, []Answer, error) {
	server := c.Server
	if server == "" {
		server = DefaultServer
	}
	maxRef := c.MaxReferrals
	if maxRef == 0 {
		maxRef = DefaultMaxReferrals
	}
	var answers []Answer
	var best Record
	var bestErr error = ErrNotFound
	seen := map[string]bool{}
	q, _ := parseAddrLoose(query)
	rwhois := false
	for hop := 0; ; hop++ {
		seen[strings.ToLower(server)] = true
		var a Answer
		var err error
		if rwhois {
			a, err = c.QueryRWhois(ctx, server, query)
		} else {
			a, err = c.Query(ctx, server, query)
		}
		answers = append(answers, a)
		if err != nil {
			if errors.Is(err, ErrTruncated) && len(a.Text) > 0 {
				// Parse what came; keep the error.
				p := Parser{File: server, Query: q, Location: c.Location}
				r, perr := p.ParseBytes(a.Text)
				if perr == nil {
					r.Warnings = append(r.Warnings, "partial answer: "+err.Error())
					return r, answers, err
				}
			}
			return best, answers, err
		}
		p := Parser{File: server, Query: q, Location: c.Location}
		r, err := p.ParseBytes(a.Text)
		if err == nil {
			best, bestErr = r, nil
		} else if bestErr != nil {
			bestErr = err
		}
		next, rw := Referral(a.Text)
		if next == "" || seen[strings.ToLower(next)] || maxRef < 0 || hop >= maxRef {
			return best, answers, bestErr
		}
		server, rwhois = next, rw
	}
}

// ErrNoBase is returned by RDAPClient when neither BaseURL nor a
// Bootstrap entry gives a server for the query.
var ErrNoBase = errors.New("no RDAP server for query")

// validQuery reports whether q is an address or a plausible domain name.
func validQuery(q string) bool {
	if _, err := netip.ParseAddr(q); err == nil {
		return true
	}
	return q != "" && len(q) < 256 && !strings.ContainsAny(q, " /?#\r\n\t")
}
