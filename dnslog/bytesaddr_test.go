package dnslog

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// trickyAddrs are address texts for dottedQuad and parseAddrBytes to
// read as netip.ParseAddr does.
var trickyAddrs = []string{
	"", "1", "1.2.3.4", "0.0.0.0", "255.255.255.255", "256.0.0.0", "1.2.3.256", "01.2.3.4", "1.2.3.04",
	"00.0.0.0", "0.0.0.00", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4",
	"1234.1.1.1", "1.1.1.1234", "9.9.9.9", "10.0.0.100", "192.168.1.254", "1.2.3.4:53", "::1", "2001:db8::1",
	"::ffff:1.2.3.4", "fe80::1%eth0", "1.2.3.a", "a.b.c.d", "1.2.3.-4", "1.2.3.+4", "100.200.300.1",
	"199.299.99.9", "249.250.251.252", "255.255.255.2555",
}

// checkDottedQuad checks dottedQuad and parseAddrBytes against
// netip.ParseAddr: dottedQuad accepts exactly its IPv4 addresses, and
// parseAddrBytes exactly its addresses without a zone, with the same
// address.
func checkDottedQuad(t *testing.T, b []byte) {
	t.Helper()
	want, err := netip.ParseAddr(string(b))
	ok := err == nil && want.Zone() == ""
	if a, got := dottedQuad(b); got != (ok && want.Is4()) || (got && a != want) {
		t.Fatalf("dottedQuad(%q) = %v, %v; netip.ParseAddr: %v, %v", b, a, got, want, err)
	}
	if a, got := parseAddrBytes(b); got != ok || (got && a != want) {
		t.Fatalf("parseAddrBytes(%q) = %v, %v; netip.ParseAddr: %v, %v", b, a, got, want, err)
	}
}

func TestDottedQuad(t *testing.T) {
	for _, s := range trickyAddrs {
		checkDottedQuad(t, []byte(s))
	}
	for _, c := range []struct {
		in   string
		want netip.Addr
	}{
		{"1.2.3.4", netip.AddrFrom4([4]byte{1, 2, 3, 4})},
		{"0.0.0.0", netip.AddrFrom4([4]byte{})},
		{"255.255.255.255", netip.AddrFrom4([4]byte{255, 255, 255, 255})},
		{"10.0.0.100", netip.AddrFrom4([4]byte{10, 0, 0, 100})},
		{"01.2.3.4", netip.Addr{}}, {"256.1.1.1", netip.Addr{}}, {"::1", netip.Addr{}},
	} {
		got, _ := dottedQuad([]byte(c.in))
		if diff := cmp.Diff(c.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("dottedQuad(%q) (-want +got):\n%s", c.in, diff)
		}
	}
	// Random texts of digits and dots.
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("0123456789..25")
	for range 100000 {
		b := make([]byte, 1+rng.IntN(17))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkDottedQuad(t, b)
	}
	// Every address with octets from a set of edge values.
	edges := []string{"0", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255", "256", "300", "999", "00", "01", "010"}
	for _, x := range edges {
		for _, y := range edges {
			checkDottedQuad(t, bytes.Join([][]byte{[]byte(x), []byte(y), []byte(y), []byte(x)}, []byte(".")))
		}
	}
}

func FuzzDottedQuad(f *testing.F) {
	for _, s := range trickyAddrs {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDottedQuad(t, b) })
}
