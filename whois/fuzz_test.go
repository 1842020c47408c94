package whois

import (
	"errors"
	"testing"
)

// checkRecord asserts the invariants every successful parse keeps.
func checkRecord(t *testing.T, in []byte, r Record, err error) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is not a *ParseError", err)
		}
		return
	}
	if r.Raw != string(in) {
		t.Fatalf("Raw differs from the input")
	}
	switch r.Kind {
	case KindNetwork, KindRoute:
		for _, p := range r.Ranges {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("range %v invalid or not masked", p)
			}
		}
		if len(r.Ranges) == 0 && r.Referral == "" {
			t.Fatalf("network record without ranges or referral")
		}
	case KindDomain:
		if r.Domain == "" {
			t.Fatalf("domain record without a domain")
		}
	default:
		t.Fatalf("success with kind %q", r.Kind)
	}
	if !r.Created.IsZero() && r.Created.Location().String() != "UTC" {
		t.Fatalf("created not UTC: %v", r.Created)
	}
}

func fuzzFormat(f *testing.F, format Format) {
	f.Fuzz(func(t *testing.T, in []byte) {
		p := Parser{Format: format, MaxBytes: 1 << 16}
		r, err := p.ParseBytes(in)
		checkRecord(t, in, r, err)
	})
}

func FuzzRPSL(f *testing.F)   { fuzzFormat(f, FormatRPSL) }
func FuzzARIN(f *testing.F)   { fuzzFormat(f, FormatARIN) }
func FuzzRDAP(f *testing.F)   { fuzzFormat(f, FormatRDAP) }
func FuzzDomain(f *testing.F) { fuzzFormat(f, FormatDomain) }
func FuzzParse(f *testing.F)  { fuzzFormat(f, FormatAuto) }
