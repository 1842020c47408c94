package pivot

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/dnsnexus/dnsnexus/whois"
)

// companySuffixes are legal-form words dropped from the end of an
// organisation name before matching.
var companySuffixes = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "ltd": true, "limited": true, "corp": true,
	"corporation": true, "co": true, "company": true, "plc": true, "llp": true, "lp": true,
	"gmbh": true, "ag": true, "kg": true, "sa": true, "sas": true, "sarl": true, "srl": true, "spa": true,
	"bv": true, "nv": true, "oy": true, "ab": true, "as": true, "asa": true, "pty": true, "pvt": true,
	"pte": true, "ooo": true, "oao": true, "zao": true, "pjsc": true, "jsc": true, "kk": true,
}

// maxMatchRunes bounds the text compared, so that the quadratic edit
// distance stays cheap on hostile records.
const maxMatchRunes = 128

// maxMatchWords bounds the words compared one by one (MatchContains).
const maxMatchWords = 64

// NormalizeOrg reduces an organisation or person name to the words that
// identify it: lower case, punctuation and symbols as spaces, runs of
// single letters joined ("L.L.C." → "llc"), a leading "the" and trailing
// legal forms (Inc, LLC, Ltd, Corp, GmbH, …) dropped. "The Trump
// Organization, Inc." gives ["trump" "organization"].
func NormalizeOrg(s string) []string {
	s = strings.ToLower(s)
	f := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var words []string
	for i := 0; i < len(f); i++ {
		if len(f[i]) == 1 && i+1 < len(f) && len(f[i+1]) == 1 {
			j := i
			var b strings.Builder
			for j < len(f) && len(f[j]) == 1 {
				b.WriteString(f[j])
				j++
			}
			words = append(words, b.String())
			i = j - 1
			continue
		}
		words = append(words, f[i])
	}
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	for len(words) > 1 && companySuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return words
}

// MatchKind says how a name matched.
type MatchKind string

// Kinds of match, strongest first.
const (
	MatchExact    MatchKind = "exact"    // the normalised names are equal
	MatchFuzzy    MatchKind = "fuzzy"    // equal within the edit tolerance
	MatchContains MatchKind = "contains" // every query word is among the name's words, within tolerance
)

// MatchOptions tunes MatchOrg, DomainsByRegistrant and NetworksByOrg. The
// zero value allows the default tolerance and word containment.
type MatchOptions struct {
	// MaxEdits is the edit distance allowed per compared string; 0 means
	// Tolerance(n) by length, negative means none (exact only).
	MaxEdits int
	// Whole requires the whole name to match (no MatchContains).
	Whole bool
	// Contacts also searches the administrative and technical contacts.
	Contacts bool
}

// Tolerance is the default edit distance allowed for a string of n
// letters: 0 for n < 4, 1 for n < 8, 2 otherwise — about one slip per
// five letters, enough for a swapped or doubled letter in a word
// ("Orgainzation") without letting short words match each other.
func Tolerance(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

func (o MatchOptions) tol(n int) int {
	switch {
	case o.MaxEdits < 0:
		return 0
	case o.MaxEdits > 0:
		return o.MaxEdits
	}
	return Tolerance(n)
}

// EditDistance returns the optimal-string-alignment distance between a
// and b: the fewest single-rune insertions, deletions, substitutions and
// swaps of two adjacent runes that turn a into b, no rune being edited
// twice. With d(i, j) the distance between the first i runes of a and the
// first j of b:
//
//	d(i, j) = min(d(i−1, j) + 1, d(i, j−1) + 1, d(i−1, j−1) + [aᵢ ≠ bⱼ],
//	              d(i−2, j−2) + 1 if aᵢ = bⱼ₋₁ and aᵢ₋₁ = bⱼ)
//
// Only the first 128 runes of each string are compared.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	ra, rb = ra[:min(len(ra), maxMatchRunes)], rb[:min(len(rb), maxMatchRunes)]
	m := len(rb)
	prev2 := make([]int, m+1)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m]
}

// MatchOrg reports whether candidate names the organisation (or person)
// query names, after NormalizeOrg on both, and how far apart they are.
// The whole names match when their words joined without spaces are within
// the tolerance of the query's length (MatchExact at distance 0,
// MatchFuzzy otherwise); failing that, unless opts.Whole, they match as
// MatchContains when every query word is within its own tolerance of some
// word of candidate, the distance being the sum over the query words.
func MatchOrg(query, candidate string, opts MatchOptions) (MatchKind, int, bool) {
	q, c := NormalizeOrg(query), NormalizeOrg(candidate)
	if len(q) == 0 || len(c) == 0 {
		return "", 0, false
	}
	jq, jc := strings.Join(q, ""), strings.Join(c, "")
	n := len([]rune(jq))
	if d := EditDistance(jq, jc); d <= opts.tol(n) {
		if d == 0 {
			return MatchExact, 0, true
		}
		return MatchFuzzy, d, true
	}
	if opts.Whole || len(c) > maxMatchWords || len(q) > maxMatchWords {
		return "", 0, false
	}
	total := 0
	for _, w := range q {
		best := -1
		for _, x := range c {
			if d := EditDistance(w, x); d <= opts.tol(len([]rune(w))) && (best < 0 || d < best) {
				best = d
			}
		}
		if best < 0 {
			return "", 0, false
		}
		total += best
	}
	return MatchContains, total, true
}

// matchEmail reports whether query names the e-mail address email: the
// same address, or (for a query without "@") the address's domain.
func matchEmail(query, email string) bool {
	q, e := strings.ToLower(strings.TrimSpace(query)), strings.ToLower(strings.TrimSpace(email))
	if q == "" || e == "" {
		return false
	}
	if strings.Contains(q, "@") {
		return q == e
	}
	_, dom, ok := strings.Cut(e, "@")
	return ok && strings.Contains(q, ".") && (dom == q || strings.HasSuffix(dom, "."+q))
}

// RegistrantMatch is one domain record whose registrant matched.
type RegistrantMatch struct {
	Domain string `json:"domain"`
	// Field is what matched: "registrant.org", "registrant.name",
	// "registrant.email", "org", and with MatchOptions.Contacts "admin.*"
	// and "tech.*".
	Field     string    `json:"field"`
	Value     string    `json:"value"` // the matched text as the record gives it
	Kind      MatchKind `json:"kind"`
	Distance  int       `json:"distance"`
	Registrar string    `json:"registrar,omitempty"`
	Created   time.Time `json:"created,omitzero"`
	Expires   time.Time `json:"expires,omitzero"`
	// NameServers are the domain's name servers.
	NameServers []string `json:"name_servers,omitempty"`
}

type candidate struct{ field, value string }

func contactCandidates(prefix string, c whois.Contact) []candidate {
	return []candidate{{prefix + ".org", c.Org}, {prefix + ".name", c.Name}, {prefix + ".email", c.Email}}
}

// best returns the strongest match of query among cands: the lowest kind
// (exact, fuzzy, contains), then the lowest distance, then the first.
func best(query string, cands []candidate, opts MatchOptions) (candidate, MatchKind, int, bool) {
	var (
		bc    candidate
		bk    MatchKind
		bd    int
		found bool
	)
	rank := map[MatchKind]int{MatchExact: 0, MatchFuzzy: 1, MatchContains: 2}
	for _, c := range cands {
		if c.value == "" {
			continue
		}
		var k MatchKind
		var d int
		var ok bool
		if strings.HasSuffix(c.field, ".email") {
			if ok = matchEmail(query, c.value); ok {
				k = MatchExact
			}
		} else {
			k, d, ok = MatchOrg(query, c.value, opts)
		}
		if ok && (!found || rank[k] < rank[bk] || rank[k] == rank[bk] && d < bd) {
			bc, bk, bd, found = c, k, d, true
		}
	}
	return bc, bk, bd, found
}

// DomainsByRegistrant returns every domain record of t whose registrant
// organisation, name or e-mail matches query (see MatchOrg; an e-mail
// matches when equal, or for a query such as "example.com" when at that
// domain). One match per record, its strongest, sorted by kind, distance
// and domain. A nil table gives nil.
func DomainsByRegistrant(t *whois.Table, query string, opts MatchOptions) []RegistrantMatch {
	if t == nil {
		return nil
	}
	var out []RegistrantMatch
	for r := range t.All() {
		if r.Kind != whois.KindDomain || r.Domain == "" {
			continue
		}
		cands := append(contactCandidates("registrant", r.Registrant), candidate{"org", r.Org})
		if opts.Contacts {
			cands = append(cands, contactCandidates("admin", r.Admin)...)
			cands = append(cands, contactCandidates("tech", r.Tech)...)
		}
		c, k, d, ok := best(query, cands, opts)
		if !ok {
			continue
		}
		out = append(out, RegistrantMatch{Domain: strings.ToLower(r.Domain), Field: c.field, Value: c.value,
			Kind: k, Distance: d, Registrar: r.Registrar, Created: r.Created, Expires: r.Expires,
			NameServers: slices.Clone(r.NameServers)})
	}
	sortMatches(out, func(m RegistrantMatch) (MatchKind, int, string) { return m.Kind, m.Distance, m.Domain })
	seen := make(map[string]bool)
	return slices.DeleteFunc(out, func(m RegistrantMatch) bool {
		dup := seen[m.Domain]
		seen[m.Domain] = true
		return dup
	})
}

func sortMatches[T any](s []T, key func(T) (MatchKind, int, string)) {
	rank := map[MatchKind]int{MatchExact: 0, MatchFuzzy: 1, MatchContains: 2}
	slices.SortStableFunc(s, func(a, b T) int {
		ka, da, na := key(a)
		kb, db, nb := key(b)
		return cmp.Or(cmp.Compare(rank[ka], rank[kb]), cmp.Compare(da, db), cmp.Compare(na, nb))
	})
}

// NetworkMatch is one network record whose holder matched.
type NetworkMatch struct {
	Ranges   []netip.Prefix `json:"ranges"`
	NetName  string         `json:"net_name,omitempty"`
	Org      string         `json:"org,omitempty"`
	OrgID    string         `json:"org_id,omitempty"`
	Country  string         `json:"country,omitempty"`
	Source   string         `json:"source,omitempty"`
	Field    string         `json:"field"` // "org", "net_name", "registrant.org", "descr"
	Value    string         `json:"value"`
	Kind     MatchKind      `json:"kind"`
	Distance int            `json:"distance"`
}

// NetworksByOrg returns every network record of t whose holder (Org,
// NetName, the registrant contact's organisation, or the first descr:
// line) matches query, sorted by kind, distance and first range.
func NetworksByOrg(t *whois.Table, query string, opts MatchOptions) []NetworkMatch {
	if t == nil {
		return nil
	}
	var out []NetworkMatch
	for r := range t.All() {
		if r.Kind != whois.KindNetwork || len(r.Ranges) == 0 {
			continue
		}
		cands := []candidate{{"org", r.Org}, {"net_name", r.NetName}, {"registrant.org", r.Registrant.Org}}
		if len(r.Descr) > 0 {
			cands = append(cands, candidate{"descr", r.Descr[0]})
		}
		c, k, d, ok := best(query, cands, opts)
		if !ok {
			continue
		}
		out = append(out, NetworkMatch{Ranges: slices.Clone(r.Ranges), NetName: r.NetName, Org: r.Org, OrgID: r.OrgID,
			Country: r.Country, Source: r.Source, Field: c.field, Value: c.value, Kind: k, Distance: d})
	}
	sortMatches(out, func(m NetworkMatch) (MatchKind, int, string) { return m.Kind, m.Distance, m.Ranges[0].String() })
	return out
}
