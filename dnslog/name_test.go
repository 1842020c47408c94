package dnslog

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		in, name, raw string
		ok            bool
	}{
		{"www.example.com", "www.example.com", "www.example.com", true},
		{"WWW.Example.COM.", "www.example.com", "WWW.Example.COM.", true},
		{".", ".", ".", true},
		{"_ldap._tcp.dc._msdcs.example.org", "_ldap._tcp.dc._msdcs.example.org", "_ldap._tcp.dc._msdcs.example.org", true},
		{"bücher.example", "xn--bcher-kva.example", "bücher.example", true},
		{"", "", "", false},
		{"a..b", "", "", false},
		{"a..", "", "", false},
		{"A..", "", "", false},
		{".a", "", "", false},
		{"a b", "", "", false},
		{"a\x00b", "", "", false},
		{"\xff\xfe", "", "", false},
	}
	for _, tt := range tests {
		var in interner
		name, raw, ok := normalizeName([]byte(tt.in), in.intern)
		if diff := cmp.Diff([]any{tt.name, tt.raw, tt.ok}, []any{name, raw, ok}); diff != "" {
			t.Errorf("normalizeName(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestInterner(t *testing.T) {
	var in interner
	if s := in.intern(nil); s != "" {
		t.Errorf("intern(nil) = %q", s)
	}
	a := in.intern([]byte("a.example"))
	b := in.intern([]byte("a.example"))
	if a != b || in.n != 1 || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Errorf("intern: %q %q not shared, %d entries", a, b, in.n)
	}
	if n := testing.AllocsPerRun(100, func() { in.intern([]byte("a.example")) }); n != 0 {
		t.Errorf("repeated intern allocates %v times", n)
	}
	// Many entries (the table grows several times): each comes back equal
	// to its bytes and shared with its first call.
	first := map[string]*byte{}
	for round := range 2 {
		for i := range 50000 {
			k := "h" + strconv.Itoa(i) + ".example"
			s := in.intern([]byte(k))
			if s != k {
				t.Fatalf("intern(%q) = %q", k, s)
			}
			if round == 0 {
				first[k] = unsafe.StringData(s)
			} else if first[k] != unsafe.StringData(s) {
				t.Fatalf("intern(%q) not shared after growth", k)
			}
		}
	}
	if in.n != 50001 {
		t.Errorf("%d entries, want 50001", in.n)
	}
	// Bounded: past maxInterned entries new strings are returned, not kept.
	if testing.Short() {
		return
	}
	var full interner
	for i := range maxInterned + 10 {
		full.intern([]byte(strconv.Itoa(i)))
	}
	if s := full.intern([]byte("new.example")); s != "new.example" || full.n != maxInterned || len(full.slots) != 2*maxInterned {
		t.Errorf("full interner: %q, %d entries in %d slots", s, full.n, len(full.slots))
	}
}

// mapInterner is the plain map interner the table is measured against.
type mapInterner map[string]string

func (m mapInterner) intern(b []byte) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	m[s] = s
	return s
}

// BenchmarkIntern interns benchmark-like names (4,000 distinct, looked
// up in a random order) with the interner and with a map[string]string.
func BenchmarkIntern(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 11))
	names := make([][]byte, 1<<16)
	for i := range names {
		names[i] = fmt.Appendf(nil, "host%d.example%d.com", rng.IntN(200), rng.IntN(20))
	}
	run := func(b *testing.B, intern func([]byte) string) {
		b.ReportAllocs()
		for b.Loop() {
			for _, n := range names {
				intern(n)
			}
		}
		b.ReportMetric(float64(len(names))*float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	}
	b.Run("table", func(b *testing.B) { var in interner; run(b, in.intern) })
	b.Run("map", func(b *testing.B) { run(b, mapInterner{}.intern) })
}
