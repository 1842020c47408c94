// Package wire holds the encodings of the values the Beam pipeline moves
// through its shuffles: the query record the parsers emit, the pair
// accumulator the CombineFn keeps, and the pair key. They are compact
// binary encodings (varints, the sorted times as deltas) because they are
// what the shuffle carries; the decoders check every length against the
// bytes left, so a corrupt or hostile record is an error wrapping
// ErrRecord, never a panic or a large allocation.
//
// The package does not import Beam, so that its tests and fuzz targets
// build quickly.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// ErrRecord is the cause of every decoding error.
var ErrRecord = errors.New("bad record")

// Query is what a pair accumulator needs of one event: nexus.PairAccumulator
// records the time, the query name and type, the response code, the answer
// TTLs and the server address (see its fields). The client address and the
// domain travel in the key.
type Query struct {
	Time   int64 // Unix nanoseconds
	Name   string
	Type   dnslog.Type
	RCode  dnslog.RCode
	TTLs   []uint32 // TTLs of the answers that logged one
	Server netip.Addr
}

// NewQuery keeps what the accumulator needs of ev.
func NewQuery(ev *dnslog.Event) Query {
	q := Query{Time: ev.Time.UnixNano(), Name: ev.Name, Type: ev.Type, RCode: ev.RCode, Server: ev.Server}
	for i := range ev.Answers {
		if ev.Answers[i].HasTTL {
			q.TTLs = append(q.TTLs, ev.Answers[i].TTL)
		}
	}
	return q
}

// Event rebuilds an event that a PairAccumulator records as it would the
// original.
func (q *Query) Event() dnslog.Event {
	ev := dnslog.Event{Time: time.Unix(0, q.Time).UTC(), Name: q.Name, Type: q.Type, RCode: q.RCode, Server: q.Server}
	if len(q.TTLs) > 0 {
		ev.Answers = make([]dnslog.Answer, len(q.TTLs))
		for i, t := range q.TTLs {
			ev.Answers[i] = dnslog.Answer{TTL: t, HasTTL: true}
		}
	}
	return ev
}

// EncodeQuery writes q: the time as a varint, the name with its length,
// type, response code, the TTLs, and the server address as text ("" when
// unset).
func EncodeQuery(q Query) []byte {
	b := make([]byte, 0, 32+len(q.Name)+5*len(q.TTLs))
	b = binary.AppendVarint(b, q.Time)
	b = appendString(b, q.Name)
	b = binary.AppendUvarint(b, uint64(q.Type))
	b = binary.AppendVarint(b, int64(q.RCode))
	b = binary.AppendUvarint(b, uint64(len(q.TTLs)))
	for _, t := range q.TTLs {
		b = binary.AppendUvarint(b, uint64(t))
	}
	return appendAddr(b, q.Server)
}

// DecodeQuery reads what EncodeQuery wrote.
func DecodeQuery(b []byte) (Query, error) {
	d := decoder{b: b}
	var q Query
	q.Time = d.varint()
	q.Name = d.string()
	q.Type = dnslog.Type(d.uint(1<<16 - 1))
	q.RCode = dnslog.RCode(d.int(-1<<15, 1<<15-1))
	if n := d.count(); n > 0 {
		q.TTLs = make([]uint32, n)
		for i := range q.TTLs {
			q.TTLs[i] = uint32(d.uint(1<<32 - 1))
		}
	}
	q.Server = d.addr()
	return q, d.end("query")
}

// EncodeAccumulator writes a with its times sorted (the order of the times
// in an accumulator carries no meaning, so sorting them in place changes
// nothing) as deltas.
func EncodeAccumulator(a *nexus.PairAccumulator) []byte {
	slices.Sort(a.Times)
	b := make([]byte, 0, 64+2*len(a.Times)+16*len(a.Names))
	b = binary.AppendUvarint(b, uint64(a.Events))
	b = binary.AppendUvarint(b, uint64(len(a.Times)))
	var prev int64
	for i, t := range a.Times {
		if i == 0 {
			b = binary.AppendVarint(b, t)
		} else {
			b = binary.AppendUvarint(b, uint64(t-prev))
		}
		prev = t
	}
	b = binary.AppendUvarint(b, uint64(len(a.Names)))
	for _, n := range a.Names {
		b = appendString(b, n)
	}
	b = appendBool(b, a.NamesTruncated)
	b = binary.AppendUvarint(b, uint64(len(a.Types)))
	for _, t := range a.Types {
		b = binary.AppendUvarint(b, uint64(t))
	}
	for _, n := range a.RCodes {
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = appendBool(b, a.HasTTL)
	if a.HasTTL {
		b = binary.AppendUvarint(b, uint64(a.MinTTL))
		b = binary.AppendUvarint(b, uint64(a.MaxTTL))
	}
	b = binary.AppendUvarint(b, uint64(len(a.Servers)))
	for _, s := range a.Servers {
		b = appendAddr(b, s)
	}
	return b
}

// DecodeAccumulator reads what EncodeAccumulator wrote. Besides the
// lengths it checks the order that Add and Merge rely on: names, types and
// servers strictly ascending.
func DecodeAccumulator(b []byte) (*nexus.PairAccumulator, error) {
	d := decoder{b: b}
	a := &nexus.PairAccumulator{}
	a.Events = int64(d.uint(1<<63 - 1))
	if n := d.count(); n > 0 {
		a.Times = make([]int64, n)
		var prev int64
		for i := range a.Times {
			if i == 0 {
				prev = d.varint()
			} else {
				delta := d.uint(1<<63 - 1)
				if prev >= 0 && int64(delta) > 1<<63-1-prev {
					d.fail("time past the range of int64")
				}
				prev += int64(delta)
			}
			a.Times[i] = prev
		}
	}
	if n := d.count(); n > 0 {
		a.Names = make([]string, n)
		for i := range a.Names {
			a.Names[i] = d.string()
			if i > 0 && d.err == nil && a.Names[i] <= a.Names[i-1] {
				d.fail("names not ascending")
			}
		}
	}
	a.NamesTruncated = d.bool()
	if n := d.count(); n > 0 {
		a.Types = make([]dnslog.Type, n)
		for i := range a.Types {
			a.Types[i] = dnslog.Type(d.uint(1<<16 - 1))
			if i > 0 && d.err == nil && a.Types[i] <= a.Types[i-1] {
				d.fail("types not ascending")
			}
		}
	}
	for i := range a.RCodes {
		a.RCodes[i] = int64(d.uint(1<<63 - 1))
	}
	a.HasTTL = d.bool()
	if a.HasTTL {
		a.MinTTL = uint32(d.uint(1<<32 - 1))
		a.MaxTTL = uint32(d.uint(1<<32 - 1))
		if d.err == nil && a.MinTTL > a.MaxTTL {
			d.fail("smallest TTL above the largest")
		}
	}
	if n := d.count(); n > 0 {
		a.Servers = make([]netip.Addr, n)
		for i := range a.Servers {
			a.Servers[i] = d.addr()
			if i > 0 && d.err == nil && a.Servers[i].Compare(a.Servers[i-1]) <= 0 {
				d.fail("servers not ascending")
			}
		}
	}
	if err := d.end("accumulator"); err != nil {
		return nil, err
	}
	return a, nil
}

// PairKey is the shuffle key of a pair: the client's text form, length
// prefixed, then the domain (or query name), so that neither needs an
// escape.
func PairKey(client netip.Addr, domain string) string {
	c := client.String()
	var b strings.Builder
	b.Grow(binary.MaxVarintLen64 + len(c) + len(domain))
	b.Write(binary.AppendUvarint(nil, uint64(len(c))))
	b.WriteString(c)
	b.WriteString(domain)
	return b.String()
}

// SplitKey undoes PairKey.
func SplitKey(key string) (netip.Addr, string, error) {
	n, k := binary.Uvarint([]byte(key[:min(len(key), binary.MaxVarintLen64)]))
	if k <= 0 || n > uint64(len(key)-k) {
		return netip.Addr{}, "", fmt.Errorf("%w: pair key %q: bad length", ErrRecord, key)
	}
	client, err := netip.ParseAddr(key[k : k+int(n)])
	if err != nil {
		return netip.Addr{}, "", fmt.Errorf("%w: pair key %q: %v", ErrRecord, key, err)
	}
	return client, key[k+int(n):], nil
}

// EncodeRecord writes one combined pair, its key and its accumulator, for
// the global scoring step.
func EncodeRecord(key string, a *nexus.PairAccumulator) []byte {
	return append(appendString(nil, key), EncodeAccumulator(a)...)
}

// DecodeRecord reads what EncodeRecord wrote.
func DecodeRecord(b []byte) (string, *nexus.PairAccumulator, error) {
	d := decoder{b: b}
	key := d.string()
	if d.err != nil {
		return "", nil, d.err
	}
	a, err := DecodeAccumulator(d.b)
	return key, a, err
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, 0)
	}
	return appendString(b, a.String())
}

// decoder reads the encodings above; the first fault sticks in err and
// every later read returns a zero value.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrRecord, msg)
	}
	d.b = nil
}

func (d *decoder) uint(max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad or missing number")
		return 0
	}
	if v > max {
		d.fail(fmt.Sprintf("number %d above %d", v, max))
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad or missing number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int(lo, hi int64) int64 {
	v := d.varint()
	if v < lo || v > hi {
		d.fail(fmt.Sprintf("number %d outside [%d, %d]", v, lo, hi))
		return 0
	}
	return v
}

// count reads a list length; every element takes at least one byte, so a
// length above the bytes left is an error, not an allocation.
func (d *decoder) count() int {
	return int(d.uint(uint64(len(d.b))))
}

func (d *decoder) bool() bool {
	switch d.uint(1) {
	case 1:
		return true
	default:
		return false
	}
}

func (d *decoder) string() string {
	n := d.count()
	if d.err != nil || n > len(d.b) {
		d.fail("string past the end")
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) addr() netip.Addr {
	s := d.string()
	if d.err != nil || s == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		d.fail("bad address")
		return netip.Addr{}
	}
	return a
}

func (d *decoder) end(what string) error {
	if d.err == nil && len(d.b) > 0 {
		d.fail(fmt.Sprintf("%d bytes after the %s", len(d.b), what))
	}
	if d.err != nil {
		return fmt.Errorf("decoding a %s: %w", what, d.err)
	}
	return nil
}
