package whois

import (
	"context"
	"errors"
	"iter"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Table answers "which record covers this address?" and "who holds this
// domain?" over a set of records.
//
// Address lookup is longest-prefix match: the table keeps, per address
// family, one hash map per prefix length present, and Lookup probes the
// lengths from longest to shortest, so a lookup costs at most 33 (IPv4) or
// 129 (IPv6) map probes and usually far fewer, independent of the number
// of prefixes, and allocates nothing. Network records and route records
// (KindRoute) are kept apart: Lookup answers from networks, Route from
// routes.
//
// Add is not safe for concurrent use. Once loading is done, Lookup, Route,
// Domain, All and Len may be called from many goroutines at once.
type Table struct {
	records []Record
	nets    prefixIndex
	routes  prefixIndex
	domains map[string]int
}

// prefixIndex maps prefixes to record indices, one map per length.
type prefixIndex struct {
	byLen [2][129]map[netip.Prefix]int // [0] IPv4, [1] IPv6
	lens  [2][]int                     // lengths present, longest first
}

func fam(a netip.Addr) int {
	if a.Is4() {
		return 0
	}
	return 1
}

func (x *prefixIndex) add(p netip.Prefix, rec int) {
	p = p.Masked()
	f, n := fam(p.Addr()), p.Bits()
	if x.byLen[f][n] == nil {
		x.byLen[f][n] = map[netip.Prefix]int{}
		x.lens[f] = append(x.lens[f], n)
		slices.Sort(x.lens[f])
		slices.Reverse(x.lens[f])
	}
	x.byLen[f][n][p] = rec
}

func (x *prefixIndex) lookup(a netip.Addr) (int, bool) {
	if !a.IsValid() {
		return 0, false
	}
	a = a.Unmap().WithZone("")
	f := fam(a)
	for _, n := range x.lens[f] {
		p, _ := a.Prefix(n)
		if i, ok := x.byLen[f][n][p]; ok {
			return i, true
		}
	}
	return 0, false
}

// Add puts r in the table. A later record for the same prefix or the same
// registrable domain replaces the earlier one in lookups (both stay in
// All). Records with neither ranges nor a domain are kept only in All.
func (t *Table) Add(r Record) {
	i := len(t.records)
	t.records = append(t.records, r)
	idx := &t.nets
	if r.Kind == KindRoute {
		idx = &t.routes
	}
	for _, p := range r.Ranges {
		if p.IsValid() {
			idx.add(p, i)
		}
	}
	if r.Domain != "" {
		if t.domains == nil {
			t.domains = map[string]int{}
		}
		t.domains[domainKey(r.Domain)] = i
	}
}

// Len returns the number of records added.
func (t *Table) Len() int { return len(t.records) }

// Lookup returns the network record with the longest prefix covering addr.
// IPv4-mapped IPv6 addresses are looked up as IPv4.
func (t *Table) Lookup(addr netip.Addr) (Record, bool) {
	if i, ok := t.nets.lookup(addr); ok {
		return t.records[i], true
	}
	return Record{}, false
}

// Route returns the route record (KindRoute) with the longest prefix
// covering addr.
func (t *Table) Route(addr netip.Addr) (Record, bool) {
	if i, ok := t.routes.lookup(addr); ok {
		return t.records[i], true
	}
	return Record{}, false
}

// Domain returns the domain record for name's registrable domain (its
// public suffix plus one label, by golang.org/x/net/publicsuffix):
// "www.mail.example.co.uk." finds the record of "example.co.uk".
func (t *Table) Domain(name string) (Record, bool) {
	if i, ok := t.domains[domainKey(name)]; ok {
		return t.records[i], true
	}
	return Record{}, false
}

// domainKey lower-cases name, drops a trailing dot and reduces it to its
// registrable domain when it has one.
func domainKey(name string) string {
	name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if d, err := publicsuffix.EffectiveTLDPlusOne(name); err == nil {
		return d
	}
	return name
}

// All yields every record in the order added.
func (t *Table) All() iter.Seq[Record] {
	return func(yield func(Record) bool) {
		for _, r := range t.records {
			if !yield(r) {
				return
			}
		}
	}
}

// LoadDir parses every regular file directly in dir (not in its
// subdirectories, and skipping names that start with ".") into a new
// Table, in name order; see LoadFiles.
func LoadDir(ctx context.Context, dir string) (*Table, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &Table{}, err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return LoadFiles(ctx, files...)
}

// LoadFiles parses each file with a Parser whose Query is guessed from the
// file name ("192.0.2.1.whois", "arin_2001_db8__1.txt"; names are hints
// only) and adds the records to a new Table. Files that fail do not stop
// the load: the Table holds every record that parsed, and the error joins
// one error per failed file (a *ParseError naming the file, or an I/O
// error), so errors.Is(err, ErrNotFound) tells whether some file was a
// no-match answer. It stops early, returning ctx.Err(), when ctx is done.
func LoadFiles(ctx context.Context, files ...string) (*Table, error) {
	t := &Table{}
	var errs []error
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return t, err
		}
		r, err := ParseFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.Add(r)
	}
	return t, errors.Join(errs...)
}

// ParseFile parses one file with a Parser whose Query is guessed from the
// file's name and whose File is the path. At most DefaultMaxBytes+1 bytes
// are read.
func ParseFile(path string) (Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return Record{}, err
	}
	defer f.Close()
	p := Parser{File: path, Query: hintAddr(path)}
	return p.Parse(f)
}
