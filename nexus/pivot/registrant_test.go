package pivot

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/dnsnexus/dnsnexus/whois"
	"github.com/google/go-cmp/cmp"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},            // the textbook Levenshtein example
		{"orgainzation", "organization", 1}, // one swap of adjacent letters
		{"ab", "ba", 1},
		{"ca", "abc", 3}, // OSA edits no substring twice (true Damerau distance is 2)
		{"flaw", "lawn", 2},
		{"Müller", "Muller", 1},
	} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := EditDistance(c.b, c.a); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d (symmetry)", c.b, c.a, got, c.want)
		}
	}
}

func TestNormalizeOrg(t *testing.T) {
	for in, want := range map[string][]string{
		"The Trump Organization, Inc.": {"trump", "organization"},
		"TRUMP ORGANIZATION LLC":       {"trump", "organization"},
		"Example Holdings L.L.C.":      {"example", "holdings"},
		"Example Co. Ltd":              {"example"},
		"Cendyn":                       {"cendyn"},
		"Inc":                          {"inc"}, // a lone legal form stays
		"A.B.C. Widgets":               {"abc", "widgets"},
		"  --  ":                       nil,
	} {
		if diff := cmp.Diff(want, NormalizeOrg(in)); diff != "" {
			t.Errorf("NormalizeOrg(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestMatchOrg(t *testing.T) {
	type res struct {
		Kind MatchKind
		Dist int
		OK   bool
	}
	for _, c := range []struct {
		q, cand string
		opts    MatchOptions
		want    res
	}{
		{"Trump Organization", "Trump Orgainzation", MatchOptions{}, res{MatchFuzzy, 1, true}},
		{"Trump Organization", "The Trump Organization, Inc.", MatchOptions{}, res{MatchExact, 0, true}},
		{"trump organisation", "Trump Organization LLC", MatchOptions{}, res{MatchFuzzy, 1, true}},
		{"Trump Organization", "Trump Orgainzation", MatchOptions{MaxEdits: -1}, res{}},
		{"Trump", "Trump Orgainzation", MatchOptions{}, res{MatchContains, 0, true}},
		{"Trump", "Trump Orgainzation", MatchOptions{Whole: true}, res{}},
		{"Trump Organization", "Truman Organisation", MatchOptions{}, res{}}, // "truman" is 2 edits from "trump"
		{"Trump Organization", "Cendyn", MatchOptions{}, res{}},
		{"ABC", "ABD Corp", MatchOptions{}, res{}}, // short names must be exact
		{"Cendyn", "Cendyn Group", MatchOptions{}, res{MatchContains, 0, true}},
		{"", "Cendyn", MatchOptions{}, res{}},
	} {
		k, d, ok := MatchOrg(c.q, c.cand, c.opts)
		if diff := cmp.Diff(c.want, res{k, d, ok}); diff != "" {
			t.Errorf("MatchOrg(%q, %q, %+v) (-want +got):\n%s", c.q, c.cand, c.opts, diff)
		}
	}
}

func TestDomainsByRegistrant(t *testing.T) {
	var tab whois.Table
	tab.Add(whois.Record{Kind: whois.KindDomain, Domain: "alpha.example",
		Registrant: whois.Contact{Org: "Acme Widgets, Inc.", Email: "dns@acme.example"}})
	tab.Add(whois.Record{Kind: whois.KindDomain, Domain: "beta.example",
		Registrant: whois.Contact{Org: "ACME WIDGETS LLC"}})
	tab.Add(whois.Record{Kind: whois.KindDomain, Domain: "gamma.example",
		Registrant: whois.Contact{Org: "Acme Widgts"}}) // misspelt
	tab.Add(whois.Record{Kind: whois.KindDomain, Domain: "delta.example",
		Registrant: whois.Contact{Name: "Privacy Service"}, Admin: whois.Contact{Org: "Acme Widgets"}})
	tab.Add(whois.Record{Kind: whois.KindDomain, Domain: "epsilon.example",
		Registrant: whois.Contact{Org: "Apex Gadgets"}})
	tab.Add(whois.Record{Kind: whois.KindNetwork, Ranges: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")},
		Org: "Acme Widgets", NetName: "ACME-NET"})

	domains := func(ms []RegistrantMatch) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Domain+" "+m.Field+" "+string(m.Kind))
		}
		return out
	}
	got := domains(DomainsByRegistrant(&tab, "Acme Widgets", MatchOptions{}))
	want := []string{"alpha.example registrant.org exact", "beta.example registrant.org exact",
		"gamma.example registrant.org fuzzy"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("by org (-want +got):\n%s", diff)
	}
	got = domains(DomainsByRegistrant(&tab, "Acme Widgets", MatchOptions{Contacts: true}))
	want = []string{"alpha.example registrant.org exact", "beta.example registrant.org exact",
		"delta.example admin.org exact", "gamma.example registrant.org fuzzy"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("with contacts (-want +got):\n%s", diff)
	}
	for _, q := range []string{"dns@acme.example", "DNS@ACME.EXAMPLE", "acme.example"} {
		if diff := cmp.Diff([]string{"alpha.example registrant.email exact"}, domains(DomainsByRegistrant(&tab, q, MatchOptions{}))); diff != "" {
			t.Errorf("by e-mail %q (-want +got):\n%s", q, diff)
		}
	}
	nets := NetworksByOrg(&tab, "acme widgets inc", MatchOptions{})
	if len(nets) != 1 || nets[0].NetName != "ACME-NET" || nets[0].Kind != MatchExact {
		t.Errorf("NetworksByOrg = %+v", nets)
	}
	if DomainsByRegistrant(nil, "x", MatchOptions{}) != nil || NetworksByOrg(nil, "x", MatchOptions{}) != nil {
		t.Error("nil table: want nil")
	}
}

// TestRegistrantReplica searches the WHOIS files of the Tea Leaves replica.
func TestRegistrantReplica(t *testing.T) {
	tab, _ := whois.LoadFiles(context.Background(),
		filepath.Join(replicaDir, "trump-email.com.whois"),
		filepath.Join(replicaDir, "contact-client.com.whois"),
		filepath.Join(replicaDir, "66.216.133.29.whois"))
	if tab.Len() != 3 {
		t.Fatalf("loaded %d records, want 3", tab.Len())
	}
	ms := DomainsByRegistrant(tab, "Trump Organization", MatchOptions{})
	if len(ms) != 1 || ms[0].Domain != "trump-email.com" || ms[0].Value != "Trump Orgainzation" || ms[0].Kind != MatchFuzzy {
		t.Errorf("Trump Organization: %+v", ms)
	}
	ms = DomainsByRegistrant(tab, "Cendyn", MatchOptions{Contacts: true})
	var got []string
	for _, m := range ms {
		got = append(got, m.Domain+" "+m.Field)
	}
	if diff := cmp.Diff([]string{"contact-client.com registrant.org", "trump-email.com admin.org"}, got); diff != "" {
		t.Errorf("Cendyn with contacts (-want +got):\n%s", diff)
	}
}
