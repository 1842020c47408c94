package pivot

import (
	"cmp"
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"golang.org/x/net/publicsuffix"
)

// Field says where a search Hit was found.
type Field uint8

// Fields a Query searches; a Query with Fields 0 searches all three.
const (
	// FieldQuery: a query name.
	FieldQuery Field = 1 << iota
	// FieldAnswer: an answer's data or target (CNAME, MX, NS, TXT, an
	// address as text), PTR answers excepted.
	FieldAnswer
	// FieldPTR: a host name given by a PTR answer.
	FieldPTR
)

// String returns "query", "answer" or "ptr".
func (f Field) String() string {
	switch f {
	case FieldQuery:
		return "query"
	case FieldAnswer:
		return "answer"
	case FieldPTR:
		return "ptr"
	}
	return ""
}

// MarshalText writes String.
func (f Field) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Query is a keyword or pattern search. The zero Query matches everything.
type Query struct {
	// Word, when not empty, must occur in the text, ignoring letter case.
	Word string
	// Pattern, when not nil, must match the text (names are lowercase).
	Pattern *regexp.Regexp
	// Fields limits where to look; 0 means everywhere.
	Fields Field
}

func (q Query) match(s string) bool {
	if q.Word != "" && !strings.Contains(s, strings.ToLower(q.Word)) {
		return false
	}
	return q.Pattern == nil || q.Pattern.MatchString(s)
}

// Hit is one name or answer that matched a Query.
type Hit struct {
	Field Field `json:"field"`
	// Text is what matched: the query name, the answer's target name or
	// data, or the PTR host name.
	Text string `json:"text"`
	// Domain is Text's registrable domain (eTLD+1), "" for text that is
	// not a name (an address, TXT data).
	Domain string `json:"domain"`
	// Name is the query name (for FieldQuery) or the binding's owner;
	// Type its query or record type.
	Name string      `json:"name"`
	Type dnslog.Type `json:"type"`
	// Addr is the PTR address (FieldPTR) or the answer's address.
	Addr      netip.Addr        `json:"addr,omitzero"`
	First     time.Time         `json:"first"`
	Last      time.Time         `json:"last"`
	Count     int64             `json:"count"`
	Positions []dnslog.Position `json:"positions,omitempty"`
}

// MarshalJSON writes Type as its mnemonic.
func (h Hit) MarshalJSON() ([]byte, error) {
	type plain Hit
	return json.Marshal(struct {
		plain
		Type string `json:"type"`
	}{plain(h), h.Type.String()})
}

// Search returns every query name, answer and PTR host name that matches
// q, sorted by domain, text, field and type. Hits on query names carry the
// position of the name's earliest lookup of that type.
func (h *History) Search(q Query) []Hit {
	fields := q.Fields
	if fields == 0 {
		fields = FieldQuery | FieldAnswer | FieldPTR
	}
	var out []Hit
	if fields&FieldQuery != 0 {
		for _, s := range h.series {
			if !q.match(s.Name) {
				continue
			}
			hit := Hit{Field: FieldQuery, Text: s.Name, Domain: registrable(s.Name), Name: s.Name, Type: s.Type,
				First: s.First, Last: s.Last, Count: s.Count, Positions: []dnslog.Position{s.FirstPos}}
			out = append(out, hit)
		}
	}
	for _, b := range h.bindings {
		var f Field
		var text string
		switch {
		case b.Type == dnslog.TypePTR && b.Addr.IsValid():
			f, text = FieldPTR, b.Name
		case b.Via != "":
			continue // the same answer is found on the canonical name
		case b.Target != "":
			f, text = FieldAnswer, b.Target
		default:
			f, text = FieldAnswer, b.Data
		}
		if fields&f == 0 || !q.match(text) {
			continue
		}
		hit := Hit{Field: f, Text: text, Name: b.Name, Type: b.Type, Addr: b.Addr,
			First: b.First, Last: b.Last, Count: b.Count, Positions: slices.Clone(b.Positions)}
		if b.Target != "" || f == FieldPTR {
			hit.Domain = registrable(text)
		}
		if f == FieldPTR {
			hit.Name = b.Target
		}
		out = append(out, hit)
	}
	slices.SortFunc(out, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Text, b.Text), cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name), a.Addr.Compare(b.Addr))
	})
	return out
}

// DomainHits is the hits of one registrable domain.
type DomainHits struct {
	Domain string `json:"domain"`
	Hits   []Hit  `json:"hits"`
	// Count sums the hits' counts.
	Count int64 `json:"count"`
}

// GroupByDomain groups hits by registrable domain, keeping the order of
// Search (domains sorted, "" for non-name text first).
func GroupByDomain(hits []Hit) []DomainHits {
	var out []DomainHits
	for _, h := range hits {
		if n := len(out); n == 0 || out[n-1].Domain != h.Domain {
			out = append(out, DomainHits{Domain: h.Domain})
		}
		g := &out[len(out)-1]
		g.Hits = append(g.Hits, h)
		g.Count += h.Count
	}
	return out
}

// registrable returns the eTLD+1 of name, or name itself when it has none
// (a public suffix, a bare label, a reverse name's zone).
func registrable(name string) string {
	if name == "" || name == "." {
		return name
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(name)
	if err != nil {
		return name
	}
	return d
}
