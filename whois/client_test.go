package whois

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer is a loopback WHOIS server whose answer is chosen by handle.
type fakeServer struct {
	ln      net.Listener
	mu      sync.Mutex
	queries []string
	wg      sync.WaitGroup
}

func startServer(t *testing.T, handle func(query string, c net.Conn)) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() {
				defer c.Close()
				line, err := bufio.NewReader(c).ReadString('\n')
				if err != nil {
					return
				}
				q := strings.TrimRight(line, "\r\n")
				s.mu.Lock()
				s.queries = append(s.queries, q)
				s.mu.Unlock()
				handle(q, c)
			})
		}
	})
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *fakeServer) addr() string { return s.ln.Addr().String() }

func (s *fakeServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

func TestClientReferrals(t *testing.T) {
	ripe := readTestdata(t, "ripe_192.0.2.77.whois")
	rir := startServer(t, func(q string, c net.Conn) { fmt.Fprint(c, ripe) })
	iana := startServer(t, func(q string, c net.Conn) {
		fmt.Fprintf(c, "%% IANA WHOIS server\n\nrefer:        %s\n\ninetnum:      192.0.0.0 - 192.255.255.255\norganisation: Example RIR\nstatus:       ALLOCATED\n", rir.addr())
	})
	c := &Client{Server: iana.addr(), Interval: -1}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, answers, err := c.Lookup(ctx, "192.0.2.77")
	if err != nil {
		t.Fatal(err)
	}
	if r.NetName != "EXAMPLE-BANK-NET" || len(answers) != 2 {
		t.Errorf("got %q after %d answers; want EXAMPLE-BANK-NET after 2", r.NetName, len(answers))
	}
	if q := rir.got(); len(q) != 1 || q[0] != "192.0.2.77" {
		t.Errorf("RIR saw %q", q)
	}
}

func TestReferralForms(t *testing.T) {
	tests := []struct {
		text   string
		server string
		rwhois bool
	}{
		{"refer:        whois.example.net\n", "whois.example.net:43", false},
		{"ReferralServer:  whois://whois.example.net\n", "whois.example.net:43", false},
		{"ReferralServer:  rwhois://rwhois.example.net:4321\n", "rwhois.example.net:4321", true},
		{"ReferralServer:  rwhois://rwhois.example.net\n", "rwhois.example.net:4321", true},
		{"   Registrar WHOIS Server: whois.registrar.example\n", "whois.registrar.example:43", false},
		{"ReferralServer: https://rdap.example.net/\n", "", false},
		{"no referral here\n", "", false},
	}
	for _, tt := range tests {
		s, rw := Referral([]byte(tt.text))
		if s != tt.server || rw != tt.rwhois {
			t.Errorf("Referral(%q) = %q, %v; want %q, %v", tt.text, s, rw, tt.server, tt.rwhois)
		}
	}
}

func TestQueryString(t *testing.T) {
	for _, tt := range [][3]string{
		{"whois.arin.net", "192.0.2.1", "n + 192.0.2.1"},
		{"whois.arin.net:43", "2001:db8::1", "n + 2001:db8::1"},
		{"whois.denic.de", "example.de", "-T dn example.de"},
		{"whois.nic.ad.jp", "192.0.2.1", "192.0.2.1/e"},
		{"whois.ripe.net", "192.0.2.1", "192.0.2.1"},
	} {
		if got := QueryString(tt[0], tt[1]); got != tt[2] {
			t.Errorf("QueryString(%q, %q) = %q, want %q", tt[0], tt[1], got, tt[2])
		}
	}
}

func TestClientStall(t *testing.T) {
	release := make(chan struct{})
	s := startServer(t, func(q string, c net.Conn) { <-release })
	defer close(release)
	c := &Client{Interval: -1}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Query(ctx, s.addr(), "192.0.2.1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v after a 200ms deadline", d)
	}
}

func TestClientFlood(t *testing.T) {
	s := startServer(t, func(q string, c net.Conn) {
		line := []byte(strings.Repeat("remarks: flood\n", 1000))
		for {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	})
	c := &Client{Interval: -1, MaxBytes: 64 << 10}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a, err := c.Query(ctx, s.addr(), "192.0.2.1")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if len(a.Text) > 64<<10 {
		t.Errorf("kept %d bytes, cap is %d", len(a.Text), 64<<10)
	}
}

func TestClientReset(t *testing.T) {
	half := readTestdata(t, "ripe_192.0.2.77.whois")[:700]
	s := startServer(t, func(q string, c net.Conn) {
		fmt.Fprint(c, half)
		time.Sleep(50 * time.Millisecond)
		c.(*net.TCPConn).SetLinger(0) // close with RST
	})
	c := &Client{Server: s.addr(), Interval: -1}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, _, err := c.Lookup(ctx, "192.0.2.1")
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	// The part that came holds the /24 network: it is returned, flagged.
	if r.NetName != "EXAMPLE-WIDE" || len(r.Warnings) == 0 || !strings.HasPrefix(r.Warnings[len(r.Warnings)-1], "partial answer") {
		t.Errorf("partial record %q, warnings %q", r.NetName, r.Warnings)
	}
}

func TestClientRateLimit(t *testing.T) {
	s := startServer(t, func(q string, c net.Conn) { fmt.Fprint(c, "inetnum: 192.0.2.0/24\n") })
	c := &Client{Interval: 150 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	for range 3 {
		if _, err := c.Query(ctx, s.addr(), "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("3 queries took %v; with a 150ms interval they need at least 300ms", d)
	}
	// A waiting caller gives up when its context ends.
	short, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	c2 := &Client{Interval: time.Hour}
	c2.Query(short, s.addr(), "x")
	if _, err := c2.Query(short, s.addr(), "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second query within the interval: err = %v", err)
	}
}

func TestRDAPClient(t *testing.T) {
	body := readTestdata(t, "rdap_2001_db8_1__53.json")
	mux := http.NewServeMux()
	mux.HandleFunc("/ip/2001:db8:1::53", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rdap+json")
		fmt.Fprint(w, body)
	})
	mux.HandleFunc("/ip/192.0.2.1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("/ip/192.0.2.2", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/ip/192.0.2.3", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/ip/192.0.2.4", func(w http.ResponseWriter, r *http.Request) {
		for range 1000 {
			fmt.Fprint(w, strings.Repeat(" ", 1024))
		}
	})
	mux.HandleFunc("/ip/192.0.2.5", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		fmt.Fprint(w, body[:len(body)/2])
		// Returning closes the connection short of Content-Length.
		hj, ok := w.(http.Hijacker)
		if ok {
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
	})
	mux.HandleFunc("/domain/example.com", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, readTestdata(t, "rdap_example.com.json"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := &RDAPClient{BaseURL: srv.URL, MaxBytes: 100 << 10}
	ctx := context.Background()
	r, err := c.IP(ctx, netip.MustParseAddr("2001:db8:1::53"))
	if err != nil || r.NetName != "EXAMPLE-V6" {
		t.Errorf("IP: %q, %v", r.NetName, err)
	}
	d, err := c.Domain(ctx, "Example.COM.")
	if err != nil || d.Registrar != "Example Registrar, Inc." {
		t.Errorf("Domain: %q, %v", d.Registrar, err)
	}
	for addr, want := range map[string]error{
		"192.0.2.1": ErrNotFound,
		"192.0.2.2": ErrRateLimited,
		"192.0.2.4": ErrTooLarge,
		"192.0.2.5": ErrTruncated,
	} {
		if _, err := c.IP(ctx, netip.MustParseAddr(addr)); !errors.Is(err, want) {
			t.Errorf("IP(%s): err = %v, want %v", addr, err, want)
		}
	}
	tctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.IP(tctx, netip.MustParseAddr("192.0.2.3")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled server: err = %v", err)
	}
	if _, err := (&RDAPClient{}).IP(ctx, netip.MustParseAddr("192.0.2.1")); !errors.Is(err, ErrNoBase) {
		t.Errorf("no base: err = %v", err)
	}
}

func TestBootstrap(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bootstrap.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseBootstrap(data)
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"192.0.2.1":    "https://rdap.one.example/",
		"198.51.100.9": "https://rdap.two.example/",
		"2001:db8::1":  "https://rdap.two.example/",
		"203.0.113.1":  "",
	} {
		if got := b.ForAddr(netip.MustParseAddr(q)); got != want {
			t.Errorf("ForAddr(%s) = %q, want %q", q, got, want)
		}
	}
	for q, want := range map[string]string{"www.example.com": "https://rdap.one.example/", "example.co.uk": "https://rdap.uk.example/", "example.org": ""} {
		if got := b.ForDomain(q); got != want {
			t.Errorf("ForDomain(%s) = %q, want %q", q, got, want)
		}
	}
	if _, err := ParseBootstrap([]byte("not json")); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad bootstrap: err = %v", err)
	}
}

func TestClientRWhoisReferral(t *testing.T) {
	answer := readTestdata(t, "rwhois_203.0.113.9.whois")
	done := make(chan struct{})
	rw := startServer(t, func(q string, c net.Conn) {
		fmt.Fprint(c, answer)
		<-done // the session stays open after %ok
	})
	t.Cleanup(func() { close(done) })
	arin := startServer(t, func(q string, c net.Conn) {
		fmt.Fprintf(c, "NetRange: 203.0.113.0 - 203.0.113.127\nNetName: EXAMPLE-RWHOIS\nReferralServer: rwhois://%s\n", rw.addr())
	})
	c := &Client{Server: arin.addr(), Interval: -1}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r, answers, err := c.Lookup(ctx, "203.0.113.9")
	if err != nil {
		t.Fatal(err)
	}
	if r.NetName != "EXAMPLE-RW-CUST" || len(answers) != 2 {
		t.Errorf("got %q after %d answers; want EXAMPLE-RW-CUST after 2", r.NetName, len(answers))
	}
}
