package dnslog

import (
	"context"
	"io"
	"iter"
	"net/netip"
	"time"
)

// MultiReader merges the events of several Readers into one stream in
// time order: a k-way merge that always returns the earliest of the
// Readers' next events (the Reader given first wins a tie). Each input is
// assumed to be in time order already; when one is not, its events still
// come out in their own order, each as soon as it is the earliest of the
// heads, so the merged stream is then only as ordered as its inputs.
//
// With Dedup set, the same query seen by several servers (or logged twice)
// is returned once: an event is dropped when an event with the same
// Client, Name and Type was returned no more than Dedup before or after it
// (|t − t_kept| ≤ Dedup, t_kept being the time of the last returned event
// with that key). The first event of a burst is kept and the window does
// not slide with dropped events, so a query repeated every Dedup/2 is
// kept about once per Dedup. Memory: one map entry (about 100 bytes) per
// distinct key seen within the last 2×Dedup of the stream.
//
// Errors from an input are returned as that Reader returns them (a
// *ParseError names the file); as with Reader, a later Read goes on after
// a line error. A MultiReader is not safe for concurrent use.
type MultiReader struct {
	// Dedup is the de-duplication window; 0 disables de-duplication.
	Dedup time.Duration

	readers []*Reader
	heads   []Event // the next event of each input, when on the heap
	h       []int   // inputs whose head is waiting, a min-heap by (time, input)
	started bool
	pending []bool // inputs to read before the next merge step
	seen    map[dedupKey]time.Time
	pruneAt int
	last    time.Time
	dropped int64
	closers []io.Closer
}

type dedupKey struct {
	client netip.Addr
	name   string
	typ    Type
}

// NewMultiReader returns a MultiReader over readers, which it reads to
// the end.
func NewMultiReader(readers ...*Reader) *MultiReader {
	return &MultiReader{readers: readers}
}

// OpenFiles opens the named files ("-" for standard input) with OpenFile
// and returns a MultiReader over them; Close closes the files.
func OpenFiles(names []string, opts Options) (*MultiReader, error) {
	m := &MultiReader{}
	for _, n := range names {
		r, c, err := OpenFile(n, opts)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.readers = append(m.readers, r)
		m.closers = append(m.closers, c)
	}
	return m, nil
}

// Close closes the files OpenFiles opened and returns the first error.
func (m *MultiReader) Close() error {
	var first error
	for _, c := range m.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	m.closers = nil
	return first
}

// Readers returns the merged Readers, in the order given.
func (m *MultiReader) Readers() []*Reader { return m.readers }

// Skipped returns the lines skipped by the lenient Readers, in total.
func (m *MultiReader) Skipped() int64 {
	var n int64
	for _, r := range m.readers {
		n += r.Skipped()
	}
	return n
}

// Errors returns the kept errors of all Readers, input by input.
func (m *MultiReader) Errors() []error {
	var out []error
	for _, r := range m.readers {
		out = append(out, r.Errors()...)
	}
	return out
}

// Duplicates returns how many events de-duplication has dropped.
func (m *MultiReader) Duplicates() int64 { return m.dropped }

// Read returns the next event in time order, or io.EOF when every input
// is exhausted.
func (m *MultiReader) Read() (Event, error) {
	return m.ReadContext(context.Background())
}

// ReadContext is Read with cancellation, as Reader.ReadContext.
func (m *MultiReader) ReadContext(ctx context.Context) (Event, error) {
	for {
		ev, err := m.merge(ctx)
		if err != nil || m.Dedup <= 0 || m.keep(&ev) {
			return ev, err
		}
		m.dropped++
	}
}

// All returns an iterator over the merged events that stops after the
// first error.
func (m *MultiReader) All() iter.Seq2[Event, error] {
	return m.AllContext(context.Background())
}

// AllContext is All with cancellation.
func (m *MultiReader) AllContext(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for {
			ev, err := m.ReadContext(ctx)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Event{}, err)
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
}

// merge returns the earliest head. Inputs whose next event is not on the
// heap (at the start, after their event was returned, after an error) are
// read first; an input that returns an error stays pending, so that the
// next call reads on (after a line error) or reports its sticky error
// again.
func (m *MultiReader) merge(ctx context.Context) (Event, error) {
	if len(m.readers) == 1 {
		// One input is its own merge.
		return m.readers[0].ReadContext(ctx)
	}
	if !m.started {
		m.started = true
		m.pending = make([]bool, len(m.readers))
		for i := range m.pending {
			m.pending[i] = true
		}
		m.heads = make([]Event, len(m.readers))
		m.h = make([]int, 0, len(m.readers))
	}
	for i, p := range m.pending {
		if !p {
			continue
		}
		ev, err := m.readers[i].ReadContext(ctx)
		if err == io.EOF {
			m.pending[i] = false
			continue
		}
		if err != nil {
			return Event{}, err
		}
		m.pending[i] = false
		m.heads[i] = ev
		m.push(i)
	}
	if len(m.h) == 0 {
		return Event{}, io.EOF
	}
	src := m.pop()
	m.pending[src] = true
	return m.heads[src], nil
}

// keep applies the de-duplication rule to ev.
func (m *MultiReader) keep(ev *Event) bool {
	if m.seen == nil {
		m.seen = make(map[dedupKey]time.Time)
		m.pruneAt = 1024
	}
	k := dedupKey{ev.Client, ev.Name, ev.Type}
	if t, ok := m.seen[k]; ok {
		d := ev.Time.Sub(t)
		if d < 0 {
			d = -d
		}
		if d <= m.Dedup {
			return false
		}
	}
	m.seen[k] = ev.Time
	if ev.Time.After(m.last) {
		m.last = ev.Time
	}
	if len(m.seen) >= m.pruneAt {
		cut := m.last.Add(-2 * m.Dedup)
		for k, t := range m.seen {
			if t.Before(cut) {
				delete(m.seen, k)
			}
		}
		m.pruneAt = max(1024, 2*len(m.seen))
	}
	return true
}

// The heap holds input indices and compares their heads in place, so that
// an event is copied once on its way out rather than boxed and moved.

// before reports whether input a's head comes before input b's: earlier
// time, or the same time and the input given first.
func (m *MultiReader) before(a, b int) bool {
	if c := m.heads[a].Time.Compare(m.heads[b].Time); c != 0 {
		return c < 0
	}
	return a < b
}

func (m *MultiReader) push(i int) {
	m.h = append(m.h, i)
	for j := len(m.h) - 1; j > 0; {
		p := (j - 1) / 2
		if !m.before(m.h[j], m.h[p]) {
			break
		}
		m.h[j], m.h[p] = m.h[p], m.h[j]
		j = p
	}
}

func (m *MultiReader) pop() int {
	h := m.h
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for j := 0; ; {
		l := 2*j + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && m.before(h[r], h[l]) {
			c = r
		}
		if !m.before(h[c], h[j]) {
			break
		}
		h[j], h[c] = h[c], h[j]
		j = c
	}
	m.h = h
	return top
}
