package dnslog

import "testing"

func TestTypeRoundTrip(t *testing.T) {
	for ty, name := range typeNames {
		if ty.String() != name {
			t.Errorf("%d.String() = %q, want %q", ty, ty.String(), name)
		}
		if got, ok := ParseType(name); !ok || got != ty {
			t.Errorf("ParseType(%q) = %v, %v", name, got, ok)
		}
	}
	tests := []struct {
		in   string
		want Type
		ok   bool
	}{
		{"aaaa", TypeAAAA, true}, {"Https", TypeHTTPS, true}, {"TYPE65534", 65534, true}, {"type65", TypeHTTPS, true},
		{"28", TypeAAAA, true}, {"65536", 0, false}, {"TYPE", 0, false}, {"", 0, false}, {"bogus", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ParseType(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseType(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if s := Type(65534).String(); s != "TYPE65534" {
		t.Errorf("Type(65534) = %q", s)
	}
	if s := Type(0).String(); s != "" {
		t.Errorf("Type(0) = %q", s)
	}
}

func TestClass(t *testing.T) {
	tests := []struct {
		in   string
		want Class
		ok   bool
	}{
		{"IN", ClassIN, true}, {"c_internet", ClassIN, true}, {"CHAOS", ClassCH, true}, {"C_HESIOD", ClassHS, true},
		{"ANY", ClassANY, true}, {"CLASS32769", 32769, true}, {"qclass-32769", 32769, true}, {"1", ClassIN, true},
		{"XX", 0, false}, {"", 0, false}, {"CLASS70000", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ParseClass(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseClass(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for c, want := range map[Class]string{0: "", ClassIN: "IN", ClassCH: "CH", ClassHS: "HS", ClassNONE: "NONE", ClassANY: "ANY", 32769: "CLASS32769"} {
		if c.String() != want {
			t.Errorf("Class(%d) = %q, want %q", c, c.String(), want)
		}
	}
}

func TestRCode(t *testing.T) {
	tests := []struct {
		in   string
		want RCode
		ok   bool
	}{
		{"NOERROR", RCodeNoError, true}, {"NoError", RCodeNoError, true}, {"nxdomain", RCodeNXDomain, true},
		{"ServFail", RCodeServFail, true}, {"NOTIMPL", RCodeNotImp, true}, {"RCODE23", 23, true}, {"5", RCodeRefused, true},
		{"4096", RCodeUnknown, false}, {"", RCodeUnknown, false}, {"bogus", RCodeUnknown, false},
	}
	for _, tt := range tests {
		if got, ok := ParseRCode(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseRCode(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for c, want := range map[RCode]string{RCodeUnknown: "", RCodeNoError: "NOERROR", RCodeNXDomain: "NXDOMAIN", 23: "BADCOOKIE", 3000: "RCODE3000"} {
		if c.String() != want {
			t.Errorf("RCode(%d) = %q, want %q", c, c.String(), want)
		}
	}
}
