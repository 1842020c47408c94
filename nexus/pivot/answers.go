package pivot

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"golang.org/x/net/idna"
)

// Causes of malformed answers, for use with errors.Is on an *AnswerError.
var (
	// ErrEmpty: an answer has no data.
	ErrEmpty = errors.New("empty answer")
	// ErrTooLong: an answer's data is longer than MaxDataBytes.
	ErrTooLong = errors.New("answer data too long")
	// ErrAddr: an A or AAAA answer is not an address of its family.
	ErrAddr = errors.New("bad address in answer")
	// ErrName: a name-valued answer (CNAME, PTR, NS, MX, SRV target) is not
	// a well-formed domain name.
	ErrName = errors.New("bad name in answer")
	// ErrLoop: a CNAME chain comes back to a name already in it.
	ErrLoop = errors.New("CNAME loop")
	// ErrChain: a CNAME chain is longer than Options.MaxChain.
	ErrChain = errors.New("CNAME chain too long")
	// ErrTooMany: an event carries more than Options.MaxAnswers answers;
	// the rest are skipped.
	ErrTooMany = errors.New("too many answers")
	// ErrReverse: a PTR answer's query name is under in-addr.arpa or
	// ip6.arpa but does not spell a whole address.
	ErrReverse = errors.New("PTR query name is not a whole reverse address")
	// ErrQueryName: an event with answers has an empty query name.
	ErrQueryName = errors.New("empty query name")
)

// AnswerError reports one malformed answer: where its event was read, the
// query name, the answer's data (cut to 64 bytes) and the cause.
type AnswerError struct {
	Pos  dnslog.Position
	Name string // the event's query name
	Data string // the answer's data as logged, cut to 64 bytes
	Err  error  // one of the Err* causes
}

// Error formats the error as "file:line: name: answer "data": cause".
func (e *AnswerError) Error() string {
	var b strings.Builder
	if e.Pos.File != "" || e.Pos.Line != 0 {
		b.WriteString(e.Pos.String())
		b.WriteString(": ")
	}
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteString(": ")
	}
	if e.Data != "" {
		fmt.Fprintf(&b, "answer %q: ", e.Data)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *AnswerError) Unwrap() error { return e.Err }

// record is one answer after classification.
type record struct {
	typ    dnslog.Type
	data   string     // normalised text: address, name, "10 mx.example.com", other data as logged
	target string     // name-valued data: CNAME, PTR, NS, DNAME target, MX exchange, SRV target
	addr   netip.Addr // A and AAAA
	ttl    uint32
	hasTTL bool
}

// classify reads one answer. The answer's Type is used when the log gives
// it; otherwise an address is A or AAAA by its family, data with spaces is
// another type's rendering (kept as text, Type 0), and a single token is a
// CNAME target in answer to A, AAAA or ANY queries and of the query's type
// for name-valued types (PTR, NS, MX, SRV, CNAME).
func classify(qtype dnslog.Type, a dnslog.Answer, maxData int) (record, error) {
	data := strings.TrimSpace(a.Data)
	r := record{typ: a.Type, ttl: a.TTL, hasTTL: a.HasTTL}
	if data == "" {
		return r, ErrEmpty
	}
	if len(data) > maxData {
		return r, ErrTooLong
	}
	if r.typ == 0 {
		if addr, ok := parseAddr(data); ok {
			r.addr, r.data = addr, addrText(addr, data)
			r.typ = dnslog.TypeA
			if addr.Is6() {
				r.typ = dnslog.TypeAAAA
			}
			return r, nil
		}
		if strings.ContainsAny(data, " \t") {
			// not a name: Zeek's rendering of other types ("TXT 12 …",
			// "RRSIG …") or free text
			r.data = data
			return r, nil
		}
		switch qtype {
		case dnslog.TypeA, dnslog.TypeAAAA, dnslog.TypeANY, 0:
			if looksLikeName(data) {
				r.typ = dnslog.TypeCNAME
			}
		case dnslog.TypeCNAME, dnslog.TypePTR, dnslog.TypeNS, dnslog.TypeMX, dnslog.TypeSRV, 39:
			r.typ = qtype
		default:
			r.typ = qtype
			r.data = data
			return r, nil
		}
		if r.typ == 0 {
			r.data = data
			return r, nil
		}
	}
	switch r.typ {
	case dnslog.TypeA, dnslog.TypeAAAA:
		addr, ok := parseAddr(data)
		if !ok || addr.Is4() != (r.typ == dnslog.TypeA) {
			return r, ErrAddr
		}
		r.addr, r.data = addr, addrText(addr, data)
	case dnslog.TypeCNAME, dnslog.TypePTR, dnslog.TypeNS, 39:
		n, ok := normalizeName(data)
		if !ok {
			return r, ErrName
		}
		r.target, r.data = n, n
	case dnslog.TypeMX:
		pref, host, found := strings.Cut(data, " ")
		if !found {
			host, pref = pref, ""
		} else if _, err := strconv.ParseUint(pref, 10, 16); err != nil {
			return r, ErrName
		}
		n, ok := normalizeName(strings.TrimSpace(host))
		if !ok {
			return r, ErrName
		}
		r.target = n
		r.data = n
		if pref != "" {
			r.data = pref + " " + n
		}
	case dnslog.TypeSRV:
		f := strings.Fields(data)
		host := f[len(f)-1]
		n, ok := normalizeName(host)
		if !ok || len(f) != 1 && len(f) != 4 {
			return r, ErrName
		}
		r.target = n
		r.data = strings.Join(append(f[:len(f)-1:len(f)-1], n), " ")
	default:
		r.data = data
	}
	return r, nil
}

// parseAddr parses an address without a zone; IPv4-mapped IPv6 addresses
// become IPv4.
func parseAddr(s string) (netip.Addr, bool) {
	if len(s) < 2 || len(s) > 45 {
		return netip.Addr{}, false
	}
	// Names are far more common than bad addresses: turn them away
	// before ParseAddr, which allocates its error.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9', c == '.', c == ':', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return netip.Addr{}, false
		}
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// addrText returns addr's canonical text, reusing s when it is already
// that text.
func addrText(addr netip.Addr, s string) string {
	var buf [64]byte
	if b := addr.AppendTo(buf[:0]); string(b) != s {
		return string(b)
	}
	return s
}

// looksLikeName reports whether s could be a domain name: one token of
// printable ASCII (or UTF-8) with a dot or a trailing dot, no spaces.
func looksLikeName(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return false
	}
	return strings.IndexByte(s, '.') >= 0
}

// normalizeName lowercases a domain name, drops its trailing dot, converts
// IDNs to punycode and checks the lengths of the name (≤ 253) and its labels
// (1–63). The root is ".".
func normalizeName(s string) (string, bool) {
	if s == "." {
		return s, true
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253*4 {
		return "", false
	}
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			clean = false
		case 'A' <= c && c <= 'Z':
			clean = false
		case c <= ' ' || c == 0x7f:
			return "", false
		}
	}
	if !clean {
		if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return r >= 0x80 }) >= 0 {
			p, err := idna.Lookup.ToASCII(s)
			if err != nil {
				return "", false
			}
			s = p
		}
		s = strings.ToLower(s)
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return "", false
			}
		}
	}
	if len(s) > 253 {
		return "", false
	}
	for label := range strings.SplitSeq(s, ".") {
		if len(label) == 0 || len(label) > 63 {
			return "", false
		}
	}
	return s, true
}

// ReverseAddr returns the address a reverse-lookup name spells:
// "29.133.216.66.in-addr.arpa" gives 66.216.133.29, the RFC 2317 classless
// form "29.0/25.133.216.66.in-addr.arpa" (or "29.0-25…") the same, and the
// 32 nibbles of an ip6.arpa name give an IPv6 address. It reports false for any other name,
// including partial reverse names such as "133.216.66.in-addr.arpa".
func ReverseAddr(name string) (netip.Addr, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if rest, ok := strings.CutSuffix(name, ".in-addr.arpa"); ok {
		// RFC 2317 classless delegation: "29.0/25.133.216.66" or
		// "29.0-25.133.216.66" — the host octet, the delegated block's
		// label, then the network's three octets.
		if host, tail, ok := strings.Cut(rest, "."); ok {
			if block, net, ok := strings.Cut(tail, "."); ok && strings.ContainsAny(block, "/-") {
				rest = host + "." + net
			}
		}
		var b [4]byte
		i := 3
		for label := range strings.SplitSeq(rest, ".") {
			if i < 0 || len(label) == 0 || len(label) > 3 || len(label) > 1 && label[0] == '0' {
				return netip.Addr{}, false
			}
			v, err := strconv.ParseUint(label, 10, 8)
			if err != nil {
				return netip.Addr{}, false
			}
			b[i] = byte(v)
			i--
		}
		if i != -1 {
			return netip.Addr{}, false
		}
		return netip.AddrFrom4(b), true
	}
	if rest, ok := strings.CutSuffix(name, ".ip6.arpa"); ok {
		if len(rest) != 63 {
			return netip.Addr{}, false
		}
		var b [16]byte
		for k := 0; k < 32; k++ {
			c := rest[2*k]
			if k < 31 && rest[2*k+1] != '.' {
				return netip.Addr{}, false
			}
			v, ok := unhex(c)
			if !ok {
				return netip.Addr{}, false
			}
			// the first label is the lowest nibble of the last byte
			pos := 31 - k
			if pos%2 == 0 {
				b[pos/2] |= v << 4
			} else {
				b[pos/2] |= v
			}
		}
		return netip.AddrFrom16(b), true
	}
	return netip.Addr{}, false
}

// isReverseName reports whether name lies under in-addr.arpa or ip6.arpa.
func isReverseName(name string) bool {
	return strings.HasSuffix(name, ".in-addr.arpa") || strings.HasSuffix(name, ".ip6.arpa")
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// cut returns s cut to n bytes at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
