package dnslog

import (
	"strconv"
	"testing"

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
	a := in.intern([]byte("a.example"))
	b := in.intern([]byte("a.example"))
	if a != b || len(in.m) != 1 {
		t.Errorf("intern: %q %q, %d entries", a, b, len(in.m))
	}
	if n := testing.AllocsPerRun(100, func() { in.intern([]byte("a.example")) }); n != 0 {
		t.Errorf("repeated intern allocates %v times", n)
	}
	// Bounded: past maxInterned entries new strings are returned, not kept.
	if testing.Short() {
		return
	}
	in.m = make(map[string]string, maxInterned)
	for i := range maxInterned {
		in.m[strconv.Itoa(i)] = ""
	}
	if s := in.intern([]byte("new.example")); s != "new.example" || len(in.m) != maxInterned {
		t.Errorf("full interner: %q, %d entries", s, len(in.m))
	}
}
