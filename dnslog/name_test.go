package dnslog

import (
	"bytes"
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

// trickyNames are names for the fast and general paths of normalizeName
// to agree on.
var trickyNames = []string{
	"", ".", "..", "a", "A", "a.", "A.", ".a", "a..b", "a...", "www.example.com", "WWW.Example.COM.",
	"www.example.com.", "a\\x41b", "a\\065b", "a\\.b", "\\", "bücher.example", "BÜCHER.example", "\xff\xfe",
	"a b", "a\x00b", "a\x7fb", "a\x1fb", "~!#$%&'()*+,-/:;<=>?@[]^_`{|}", "_ldap._tcp.dc._msdcs.example.org",
	"xn--bcher-kva.example", "-", "a.-", "@", "[", "`", "{", "Z", "z", "0", "9.9.9.9", "a\tb", "é",
}

// checkNormalizeName compares normalizeName with normalizeNameGeneral and
// checks that plain names come back as they are.
func checkNormalizeName(t *testing.T, b []byte) {
	t.Helper()
	var in1, in2 interner
	name, raw, ok := normalizeName(b, in1.intern)
	gname, graw, gok := normalizeNameGeneral(b, in2.intern)
	if diff := cmp.Diff([]any{gname, graw, gok}, []any{name, raw, ok}); diff != "" {
		t.Fatalf("normalizeName(%q) (-general +fast):\n%s", b, diff)
	}
	if plainName(b) && (name != string(b) || raw != string(b) || !ok) {
		t.Fatalf("plain name %q normalised to %q, %q, %v", b, name, raw, ok)
	}
}

func TestNormalizeNameFast(t *testing.T) {
	for _, s := range trickyNames {
		checkNormalizeName(t, []byte(s))
	}
	// Every byte value in every position of a short name.
	for c := range 256 {
		for _, f := range []string{"?", "?.b", "a.?", "a?b", "a?", "??", "a.?.b"} {
			checkNormalizeName(t, bytes.ReplaceAll([]byte(f), []byte("?"), []byte{byte(c)}))
		}
	}
	for _, c := range []struct {
		in    string
		plain bool
	}{
		{"www.example.com", true}, {"a", true}, {"_srv._tcp.x", true}, {"a-b.c~d", true},
		{"", false}, {".", false}, {"a.", false}, {".a", false}, {"a..b", false}, {"A", false},
		{"a\\b", false}, {"a b", false}, {"é", false}, {"a\x7f", false},
	} {
		if got := plainName([]byte(c.in)); got != c.plain {
			t.Errorf("plainName(%q) = %v, want %v", c.in, got, c.plain)
		}
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range trickyNames {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkNormalizeName(t, b) })
}
