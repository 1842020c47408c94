package whois

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func netRec(name string, prefixes ...string) Record {
	r := Record{Kind: KindNetwork, NetName: name}
	for _, p := range prefixes {
		r.Ranges = append(r.Ranges, netip.MustParsePrefix(p))
	}
	return r
}

func TestTableLookup(t *testing.T) {
	var tb Table
	tb.Add(netRec("wide", "192.0.2.0/24"))
	tb.Add(netRec("narrow", "192.0.2.64/27"))
	tb.Add(netRec("split", "198.51.100.0/25", "198.51.100.128/26"))
	tb.Add(netRec("v6", "2001:db8::/32"))
	tb.Add(netRec("v6-more", "2001:db8:1::/48"))
	tb.Add(netRec("default", "0.0.0.0/0"))
	tb.Add(Record{Kind: KindRoute, OriginAS: "AS64500", Ranges: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/25")}})
	tests := []struct {
		addr string
		want string // "" for no match
	}{
		{"192.0.2.1", "wide"},
		{"192.0.2.64", "narrow"},
		{"192.0.2.95", "narrow"},
		{"192.0.2.96", "wide"},
		{"198.51.100.130", "split"},
		{"198.51.100.200", "default"},
		{"::ffff:192.0.2.70", "narrow"},
		{"2001:db8::1", "v6"},
		{"2001:db8:1:2::3", "v6-more"},
		{"2001:db9::1", ""},
		{"203.0.113.1", "default"},
	}
	for _, tt := range tests {
		r, ok := tb.Lookup(netip.MustParseAddr(tt.addr))
		if got := map[bool]string{true: r.NetName, false: ""}[ok]; got != tt.want {
			t.Errorf("Lookup(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
	if _, ok := tb.Lookup(netip.Addr{}); ok {
		t.Error("Lookup(zero Addr) found a record")
	}
	if r, ok := tb.Route(netip.MustParseAddr("192.0.2.3")); !ok || r.OriginAS != "AS64500" {
		t.Errorf("Route(192.0.2.3) = %q, %v; want AS64500", r.OriginAS, ok)
	}
	if _, ok := tb.Route(netip.MustParseAddr("192.0.2.200")); ok {
		t.Error("Route(192.0.2.200) found a route")
	}
	n := 0
	for range tb.All() {
		n++
	}
	if n != 7 || tb.Len() != 7 {
		t.Errorf("All yielded %d, Len %d; want 7", n, tb.Len())
	}
}

// TestTableMatchesLinearScan checks longest-prefix match against a
// brute-force scan over random prefixes and addresses.
func TestTableMatchesLinearScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tb Table
	var all []netip.Prefix
	for i := range 1000 {
		p := randPrefix(rng, i%2 == 0)
		all = append(all, p)
		tb.Add(netRec(p.String(), p.String()))
	}
	for range 4000 {
		a := randAddr(rng, rng.IntN(2) == 0)
		// Brute force: the longest prefix containing a; the last added wins ties.
		want, bits := "", -1
		for _, p := range all {
			if p.Contains(a) && p.Bits() >= bits {
				want, bits = p.String(), p.Bits()
			}
		}
		r, ok := tb.Lookup(a)
		got := ""
		if ok {
			got = r.NetName
		}
		if got != want {
			t.Fatalf("Lookup(%s) = %q, want %q", a, got, want)
		}
	}
}

func randAddr(rng *rand.Rand, v4 bool) netip.Addr {
	if v4 {
		// Keep to 192.0.0.0/8-ish so that random prefixes overlap.
		return netip.AddrFrom4([4]byte{192, byte(rng.IntN(4)), byte(rng.IntN(256)), byte(rng.IntN(256))})
	}
	var b [16]byte
	b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
	for i := 4; i < 16; i++ {
		b[i] = byte(rng.IntN(4))
	}
	return netip.AddrFrom16(b)
}

func randPrefix(rng *rand.Rand, v4 bool) netip.Prefix {
	a := randAddr(rng, v4)
	if v4 {
		return netip.PrefixFrom(a, 8+rng.IntN(25)).Masked()
	}
	return netip.PrefixFrom(a, 32+rng.IntN(97)).Masked()
}

func TestTableDomain(t *testing.T) {
	var tb Table
	tb.Add(Record{Kind: KindDomain, Domain: "example.co.uk", Registrar: "A"})
	tb.Add(Record{Kind: KindDomain, Domain: "example.com", Registrar: "B"})
	for name, want := range map[string]string{
		"www.mail.example.co.uk.": "A",
		"EXAMPLE.COM":             "B",
		"deep.sub.example.com":    "B",
		"example.org":             "",
		"co.uk":                   "",
	} {
		r, ok := tb.Domain(name)
		if got := map[bool]string{true: r.Registrar, false: ""}[ok]; got != want {
			t.Errorf("Domain(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestLoadDir(t *testing.T) {
	tb, err := LoadDir(context.Background(), "testdata")
	// notfound, ratelimit, error.html and the .nl sample fail; the rest load.
	for _, e := range []error{ErrNotFound, ErrRateLimited, ErrUnsupported, ErrParserPanic} {
		if !errors.Is(err, e) {
			t.Errorf("LoadDir error %v does not include %v", err, e)
		}
	}
	got := map[string]string{}
	for _, a := range []string{"192.0.2.70", "192.0.2.200", "198.51.100.20", "203.0.113.200", "2001:db8:1::53"} {
		if r, ok := tb.Lookup(netip.MustParseAddr(a)); ok {
			got[a] = r.NetName + "|" + r.Org
		}
	}
	want := map[string]string{
		"192.0.2.70":     "EXAMPLE-BANK-NET|Example Bank JSC",
		"192.0.2.200":    "EXAMPLE-PADDED|Example Padded Org", // rdap_arin_192.0.2.1.json, a /24 added after the RIPE /27
		"198.51.100.20":  "EXAMPLE-CUST-16|Example Customer LLC",
		"203.0.113.200":  "|Ejemplo S.A.",
		"2001:db8:1::53": "EXAMPLE-V6|Example IPv6 GmbH",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lookups (-want +got)\n%s", diff)
	}
	if r, ok := tb.Domain("www.example.org"); !ok || r.Registrar != "Example Registrar LLC" {
		t.Errorf("Domain(www.example.org) = %+v, %v", r.Registrar, ok)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadFiles(ctx, filepath.Join("testdata", "example.org.whois")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled LoadFiles: err = %v", err)
	}
}

func TestTableConcurrentLookups(t *testing.T) {
	var tb Table
	tb.Add(netRec("a", "192.0.2.0/24"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				if _, ok := tb.Lookup(netip.MustParseAddr("192.0.2.9")); !ok {
					t.Error("miss")
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkTableLookup(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var tb Table
	for range 100000 {
		var a [4]byte
		for i := range a {
			a[i] = byte(rng.IntN(256))
		}
		tb.Add(netRec("", netip.PrefixFrom(netip.AddrFrom4(a), 8+rng.IntN(25)).Masked().String()))
	}
	addrs := make([]netip.Addr, 4096)
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
	}
	tb.Lookup(addrs[0]) // build the intervals outside the timed loop
	b.ReportAllocs()
	n, hits := 0, 0
	for b.Loop() {
		if _, ok := tb.Lookup(addrs[n%len(addrs)]); ok {
			hits++
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lookups/s")
	b.ReportMetric(float64(hits)/float64(n), "hit-ratio")
}

func BenchmarkTableLookupV6(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var tb Table
	for range 100000 {
		tb.Add(netRec("", randPrefix(rng, false).String()))
	}
	addrs := make([]netip.Addr, 4096)
	for i := range addrs {
		addrs[i] = randAddr(rng, false)
	}
	tb.Lookup(addrs[0])
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		tb.Lookup(addrs[n%len(addrs)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lookups/s")
}

func benchParse(b *testing.B, file string) {
	data := []byte(readTestdataB(b, file))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func readTestdataB(b *testing.B, name string) string {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

func BenchmarkParseRPSL(b *testing.B)   { benchParse(b, "ripe_192.0.2.77.whois") }
func BenchmarkParseARIN(b *testing.B)   { benchParse(b, "arin_198.51.100.20.whois") }
func BenchmarkParseRDAP(b *testing.B)   { benchParse(b, "rdap_2001_db8_1__53.json") }
func BenchmarkParseDomain(b *testing.B) { benchParse(b, "example.org.whois") }
