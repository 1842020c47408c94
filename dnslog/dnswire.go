package dnslog

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strconv"
)

// This file decodes DNS wire-format messages (RFC 1035 §4) as far as the
// logs that embed them need: the header, the first question, and the
// answer section. It is used by the AdGuard Home and dnstap formats. Every
// read is bounds-checked and name decompression is loop-safe, so hostile
// messages give an error, never a panic or an endless loop.

// Wire-decoding failures. Callers wrap them into a fieldError with the
// cause that fits their format (ErrName for errWireName, ErrField else).
var (
	errWireShort = errors.New("DNS message truncated")
	errWireName  = errors.New("bad name in DNS message")
	errWireNoQ   = errors.New("DNS message has no question")
)

const (
	// wireMaxAnswers caps the answers kept per message; further answer
	// records are checked but dropped.
	wireMaxAnswers = 64
	// wireMaxHops caps compression pointers followed for one name.
	wireMaxHops = 64
)

// wireDecoder decodes DNS messages into events. Its buffers are reused
// between messages; the zero value is ready.
type wireDecoder struct {
	name [1100]byte // presentation form of one name (255 wire octets escape to at most 1009 bytes)
	data []byte     // scratch for answer data
}

// decode reads msg into ev: Name, RawName, Type and Class from the first
// question; when the message is a response (QR set), RCode from the
// header (extended by an EDNS OPT record when present) and, when answers
// is true, Answers from the answer section. Query messages leave RCode
// alone.
func (w *wireDecoder) decode(msg []byte, intern func([]byte) string, ev *Event, answers bool) error {
	if len(msg) < 12 {
		return errWireShort
	}
	flags := binary.BigEndian.Uint16(msg[2:4])
	qd := int(binary.BigEndian.Uint16(msg[4:6]))
	an := int(binary.BigEndian.Uint16(msg[6:8]))
	ns := int(binary.BigEndian.Uint16(msg[8:10]))
	ar := int(binary.BigEndian.Uint16(msg[10:12]))
	if qd == 0 {
		return errWireNoQ
	}
	off := 12
	for i := 0; i < qd; i++ {
		n, next, err := w.readName(msg, off)
		if err != nil {
			return err
		}
		if next+4 > len(msg) {
			return errWireShort
		}
		if i == 0 {
			name, raw, ok := normalizeDotted(n, intern)
			if !ok {
				return errWireName
			}
			ev.Name, ev.RawName = name, raw
			ev.Type = Type(binary.BigEndian.Uint16(msg[next:]))
			ev.Class = Class(binary.BigEndian.Uint16(msg[next+2:]))
		}
		off = next + 4
	}
	if flags&0x8000 == 0 { // a query: no response code, no answers
		return nil
	}
	rcode := int(flags & 0x000f)
	var out []Answer
	for i := 0; i < an; i++ {
		next, err := w.skipName(msg, off)
		if err != nil {
			return err
		}
		if next+10 > len(msg) {
			return errWireShort
		}
		typ := Type(binary.BigEndian.Uint16(msg[next:]))
		ttl := binary.BigEndian.Uint32(msg[next+4:])
		rdlen := int(binary.BigEndian.Uint16(msg[next+8:]))
		rd := next + 10
		if rd+rdlen > len(msg) {
			return errWireShort
		}
		off = rd + rdlen
		if !answers || typ == 41 || len(out) >= wireMaxAnswers {
			continue
		}
		data, err := w.rdata(msg, rd, rdlen, typ, intern)
		if err != nil {
			return err
		}
		if out == nil {
			out = make([]Answer, 0, min(an, wireMaxAnswers))
		}
		out = append(out, Answer{Data: data, Type: typ, TTL: ttl, HasTTL: true})
	}
	// Look for an OPT record for the extended response code; a message
	// damaged past the answer section keeps the header's code.
	for i := 0; i < ns+ar; i++ {
		next, err := w.skipName(msg, off)
		if err != nil || next+10 > len(msg) {
			break
		}
		rdlen := int(binary.BigEndian.Uint16(msg[next+8:]))
		if i >= ns && binary.BigEndian.Uint16(msg[next:]) == 41 {
			rcode |= int(msg[next+4]) << 4
			break
		}
		off = next + 10 + rdlen
		if off > len(msg) {
			break
		}
	}
	ev.RCode = RCode(rcode)
	if answers {
		ev.Answers = out
	}
	return nil
}

// readName decodes the name at off into w.name in presentation form
// (labels joined by dots, a trailing dot, special bytes escaped as \. \\
// or \DDD) and returns it with the offset just past the name's bytes at
// off. Compression pointers must point strictly before every label read
// so far, so decoding always ends.
func (w *wireDecoder) readName(msg []byte, off int) ([]byte, int, error) {
	out := w.name[:0]
	next := -1
	lowest := off
	wireLen := 0
	for hops := 0; ; {
		if off >= len(msg) {
			return nil, 0, errWireShort
		}
		c := int(msg[off])
		switch c & 0xc0 {
		case 0x00:
			if c == 0 {
				if next < 0 {
					next = off + 1
				}
				if len(out) == 0 {
					out = append(out, '.')
				}
				return out, next, nil
			}
			if off+1+c > len(msg) {
				return nil, 0, errWireShort
			}
			wireLen += c + 1
			if wireLen > 254 {
				return nil, 0, errWireName
			}
			for _, b := range msg[off+1 : off+1+c] {
				switch {
				case b == '.' || b == '\\':
					out = append(out, '\\', b)
				case b <= ' ' || b >= 0x7f:
					out = append(out, '\\', '0'+b/100, '0'+b/10%10, '0'+b%10)
				default:
					out = append(out, b)
				}
			}
			out = append(out, '.')
			off += 1 + c
		case 0xc0:
			if off+2 > len(msg) {
				return nil, 0, errWireShort
			}
			ptr := int(binary.BigEndian.Uint16(msg[off:]) & 0x3fff)
			if next < 0 {
				next = off + 2
			}
			hops++
			if ptr >= lowest || hops > wireMaxHops {
				return nil, 0, errWireName
			}
			lowest = ptr
			off = ptr
		default: // 0x40 and 0x80 label types are obsolete or unassigned
			return nil, 0, errWireName
		}
	}
}

// skipName returns the offset just past the name at off, checking it like
// readName.
func (w *wireDecoder) skipName(msg []byte, off int) (int, error) {
	_, next, err := w.readName(msg, off)
	return next, err
}

// rdata renders one answer's data: addresses for A and AAAA, names
// (lowercase, no trailing dot) for CNAME, NS, PTR and DNAME, "PREF NAME"
// for MX, the quoted strings for TXT, and the RFC 3597 "\# LEN HEX" form
// for every other type.
func (w *wireDecoder) rdata(msg []byte, rd, rdlen int, typ Type, intern func([]byte) string) (string, error) {
	b := msg[rd : rd+rdlen]
	d := w.data[:0]
	switch {
	case typ == TypeA && rdlen == 4:
		d = netip.AddrFrom4([4]byte(b)).AppendTo(d)
	case typ == TypeAAAA && rdlen == 16:
		d = netip.AddrFrom16([16]byte(b)).AppendTo(d)
	case typ == TypeCNAME || typ == TypeNS || typ == TypePTR || typ == 39:
		n, next, err := w.readName(msg, rd)
		if err != nil {
			return "", err
		}
		if next != rd+rdlen {
			return "", errWireName
		}
		name, _, ok := normalizeDotted(n, intern)
		if !ok {
			return "", errWireName
		}
		return name, nil
	case typ == TypeMX && rdlen >= 3:
		n, next, err := w.readName(msg, rd+2)
		if err != nil {
			return "", err
		}
		if next != rd+rdlen {
			return "", errWireName
		}
		name, _, ok := normalizeDotted(n, intern)
		if !ok {
			return "", errWireName
		}
		d = strconv.AppendUint(d, uint64(binary.BigEndian.Uint16(b)), 10)
		d = append(d, ' ')
		d = append(d, name...)
	case typ == TypeTXT && rdlen > 0:
		for i := 0; i < len(b); {
			n := int(b[i])
			if i+1+n > len(b) {
				return "", errWireShort
			}
			if i > 0 {
				d = append(d, ' ')
			}
			d = append(d, '"')
			for _, c := range b[i+1 : i+1+n] {
				switch {
				case c == '"' || c == '\\':
					d = append(d, '\\', c)
				case c < ' ' || c >= 0x7f:
					d = append(d, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
				default:
					d = append(d, c)
				}
			}
			d = append(d, '"')
			i += 1 + n
		}
	default:
		const hexDigits = "0123456789abcdef"
		d = append(d, `\# `...)
		d = strconv.AppendInt(d, int64(rdlen), 10)
		if rdlen > 0 {
			d = append(d, ' ')
		}
		for _, c := range b {
			d = append(d, hexDigits[c>>4], hexDigits[c&15])
		}
	}
	w.data = d
	if len(d) > 256 { // long data is rarely repeated: do not let it fill the interner
		return string(d), nil
	}
	return intern(d), nil
}

// normalizeDotted is normalizeName with a fast path for the common
// "lowercase.example." form (a trailing dot, nothing else to change): the
// name and the raw form are both interned without a scratch copy. It also
// rejects names ending in two unescaped dots, an empty last label.
func normalizeDotted(b []byte, intern func([]byte) string) (name, raw string, ok bool) {
	n := len(b)
	if n >= 2 && b[n-1] == '.' && b[n-2] == '.' && (n < 3 || b[n-3] != '\\') {
		return "", "", false // "a.." (normalizeName would keep "a.")
	}
	if n < 2 || b[n-1] != '.' || b[n-2] == '.' {
		return normalizeName(b, intern)
	}
	for _, c := range b[:n-1] {
		if c >= 0x80 || 'A' <= c && c <= 'Z' || c <= ' ' || c == 0x7f {
			return normalizeName(b, intern)
		}
	}
	name, _, ok = normalizeName(b[:n-1], intern)
	if !ok {
		return "", "", false
	}
	return name, intern(b), true
}
