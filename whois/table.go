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
	"sync"
	"sync/atomic"

	"golang.org/x/net/publicsuffix"
)

// Table answers "which record covers this address?" and "who holds this
// domain?" over a set of records.
//
// Address lookup is longest-prefix match over IPv4 and IPv6. On the first
// lookup after an Add, the table flattens its prefixes (which either nest
// or are disjoint) into sorted, non-overlapping address intervals, each
// labelled with its most specific record; a lookup is then one binary
// search, O(log n) in the number of prefixes, and allocates nothing.
// Building costs O(n log n) and about 40 bytes per prefix. Network records
// and route records (KindRoute) are kept apart: Lookup answers from
// networks, Route from routes.
//
// Add is not safe for concurrent use, nor concurrently with lookups. Once
// loading is done, Lookup, Route, Domain, All and Len may be called from
// many goroutines at once.
type Table struct {
	records []Record
	nets    prefixIndex
	routes  prefixIndex
	domains map[string]int
}

// prefixIndex maps prefixes to record indices and keeps, once built, the
// flattened intervals for lookups.
type prefixIndex struct {
	m     map[netip.Prefix]int // masked prefix → latest record
	mu    sync.Mutex
	built atomic.Pointer[[2][]segment] // [0] IPv4, [1] IPv6; nil when stale
}

// segment is an address interval starting at start and running to the
// next segment's start; rec is the record covering it, or -1.
type segment struct {
	start u128
	rec   int32
}

func fam(a netip.Addr) int {
	if a.Is4() {
		return 0
	}
	return 1
}

func (x *prefixIndex) add(p netip.Prefix, rec int) {
	if x.m == nil {
		x.m = map[netip.Prefix]int{}
	}
	x.m[p.Masked()] = rec
	x.built.Store(nil)
}

// build flattens the prefixes into segments with a sweep over prefixes
// sorted by first address, wider first: a stack holds the open prefixes,
// and each push or pop starts a segment labelled with the top of the
// stack.
func (x *prefixIndex) build() *[2][]segment {
	type span struct {
		first, last u128
		rec         int
	}
	var spans [2][]span
	for p, rec := range x.m {
		first := toU128(p.Addr())
		last, _ := first.add(pow2minus1(p.Addr().BitLen() - p.Bits()))
		f := fam(p.Addr())
		spans[f] = append(spans[f], span{first, last, rec})
	}
	var out [2][]segment
	for f := range spans {
		ss := spans[f]
		slices.SortFunc(ss, func(a, b span) int {
			switch {
			case a.first.less(b.first):
				return -1
			case b.first.less(a.first):
				return 1
			case b.last.less(a.last): // wider first
				return -1
			case a.last.less(b.last):
				return 1
			}
			return 0
		})
		var segs []segment
		emit := func(at u128, rec int) {
			if n := len(segs); n > 0 && segs[n-1].start == at {
				segs[n-1].rec = int32(rec)
				if n > 1 && segs[n-2].rec == int32(rec) {
					segs = segs[:n-1]
				}
				return
			}
			if n := len(segs); n > 0 && segs[n-1].rec == int32(rec) {
				return
			}
			segs = append(segs, segment{at, int32(rec)})
		}
		var stack []span
		top := func() int {
			if len(stack) == 0 {
				return -1
			}
			return stack[len(stack)-1].rec
		}
		closeUntil := func(limit u128, all bool) {
			for len(stack) > 0 {
				t := stack[len(stack)-1]
				if !all && !t.last.less(limit) {
					return
				}
				stack = stack[:len(stack)-1]
				if next, over := t.last.add(u128{0, 1}); !over && (f == 1 || next.lo <= 0xffffffff) {
					emit(next, top())
				}
			}
		}
		for _, sp := range ss {
			closeUntil(sp.first, false)
			stack = append(stack, sp)
			emit(sp.first, sp.rec)
		}
		closeUntil(u128{}, true)
		out[f] = segs
	}
	return &out
}

func (x *prefixIndex) lookup(a netip.Addr) (int, bool) {
	if !a.IsValid() || x.m == nil {
		return 0, false
	}
	a = a.Unmap().WithZone("")
	b := x.built.Load()
	if b == nil {
		x.mu.Lock()
		if b = x.built.Load(); b == nil {
			b = x.build()
			x.built.Store(b)
		}
		x.mu.Unlock()
	}
	segs := b[fam(a)]
	v := toU128(a)
	// The last segment starting at or before v.
	i, _ := slices.BinarySearchFunc(segs, v, func(s segment, v u128) int {
		if v.less(s.start) {
			return 1
		}
		if s.start == v {
			return 0
		}
		return -1
	})
	if i < len(segs) && segs[i].start == v {
		i++
	}
	if i == 0 {
		return 0, false
	}
	rec := segs[i-1].rec
	return int(rec), rec >= 0
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
