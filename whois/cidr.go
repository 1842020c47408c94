package whois

import (
	"math/bits"
	"net/netip"
	"strconv"
	"strings"
)

// u128 is an address as a 128-bit unsigned integer (IPv4 in the low 32 bits).
type u128 struct{ hi, lo uint64 }

func toU128(a netip.Addr) u128 {
	b := a.As16()
	if a.Is4() {
		v := a.As4()
		return u128{0, uint64(v[0])<<24 | uint64(v[1])<<16 | uint64(v[2])<<8 | uint64(v[3])}
	}
	var hi, lo uint64
	for i := range 8 {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return u128{hi, lo}
}

func fromU128(v u128, is4 bool) netip.Addr {
	if is4 {
		return netip.AddrFrom4([4]byte{byte(v.lo >> 24), byte(v.lo >> 16), byte(v.lo >> 8), byte(v.lo)})
	}
	var b [16]byte
	for i := range 8 {
		b[7-i] = byte(v.hi >> (8 * i))
		b[15-i] = byte(v.lo >> (8 * i))
	}
	return netip.AddrFrom16(b)
}

func (v u128) less(w u128) bool { return v.hi < w.hi || v.hi == w.hi && v.lo < w.lo }

func (v u128) add(w u128) (u128, bool) {
	lo, c := bits.Add64(v.lo, w.lo, 0)
	hi, c2 := bits.Add64(v.hi, w.hi, c)
	return u128{hi, lo}, c2 != 0
}

// pow2minus1 returns 2^k - 1 for k in [0, 128].
func pow2minus1(k int) u128 {
	switch {
	case k >= 128:
		return u128{^uint64(0), ^uint64(0)}
	case k >= 64:
		return u128{(1 << (k - 64)) - 1, ^uint64(0)}
	default:
		return u128{0, (1 << k) - 1}
	}
}

func (v u128) trailingZeros() int {
	if v.lo != 0 {
		return bits.TrailingZeros64(v.lo)
	}
	if v.hi != 0 {
		return 64 + bits.TrailingZeros64(v.hi)
	}
	return 128
}

// RangePrefixes returns the minimal list of prefixes that exactly covers
// the inclusive range first–last, in address order. It returns nil when
// the addresses are of different families, invalid, or last < first.
//
// The cover is built greedily: from the current start s, take the largest
// block of 2^k addresses that is aligned at s (k ≤ trailing zero bits of s)
// and ends at or before last, then continue after it. A range of n
// addresses needs at most 2·(bits−1) prefixes.
func RangePrefixes(first, last netip.Addr) []netip.Prefix {
	first, last = first.Unmap(), last.Unmap()
	if !first.IsValid() || !last.IsValid() || first.Is4() != last.Is4() || last.Less(first) {
		return nil
	}
	is4 := first.Is4()
	width := 128
	if is4 {
		width = 32
	}
	s, e := toU128(first), toU128(last)
	var out []netip.Prefix
	for {
		k := min(s.trailingZeros(), width)
		for k > 0 {
			end, over := s.add(pow2minus1(k))
			if !over && !e.less(end) {
				break
			}
			k--
		}
		out = append(out, netip.PrefixFrom(fromU128(s, is4), width-k))
		end, _ := s.add(pow2minus1(k))
		if !end.less(e) {
			return out
		}
		s, _ = end.add(u128{0, 1})
	}
}

// prefixSize returns the number of addresses covered by ps minus one,
// saturated, for ordering ranges by specificity.
func rangeSize(ps []netip.Prefix) u128 {
	var total u128
	for _, p := range ps {
		width := p.Addr().BitLen()
		n, _ := pow2minus1(width - p.Bits()).add(u128{0, 1})
		if n == (u128{}) { // 2^128 wrapped
			return u128{^uint64(0), ^uint64(0)}
		}
		var over bool
		total, over = total.add(n)
		if over {
			return u128{^uint64(0), ^uint64(0)}
		}
	}
	return total
}

// parseAddrLoose parses an address, tolerating what registries print:
// zero-padded IPv4 octets ("074.125.000.000"), a "/32" or "/128" suffix on
// a single address, surrounding spaces, and IPv4-mapped forms.
func parseAddrLoose(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	// Zero-padded dotted quad.
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return netip.Addr{}, false
	}
	var b [4]byte
	for i, p := range parts {
		if p == "" || len(p) > 3 {
			return netip.Addr{}, false
		}
		n, err := strconv.ParseUint(p, 10, 8)
		if err != nil {
			return netip.Addr{}, false
		}
		b[i] = byte(n)
	}
	return netip.AddrFrom4(b), true
}

// parseShortV4Prefix parses LACNIC's abbreviated IPv4 prefixes such as
// "200.57.128/19" or "10/8", filling missing octets with zero.
func parseShortV4Prefix(s string) (netip.Prefix, bool) {
	addr, bitsStr, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(addr, ":") {
		return netip.Prefix{}, false
	}
	parts := strings.Split(addr, ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Prefix{}, false
	}
	for len(parts) < 4 {
		parts = append(parts, "0")
	}
	a, ok := parseAddrLoose(strings.Join(parts, "."))
	if !ok {
		return netip.Prefix{}, false
	}
	n, err := strconv.Atoi(bitsStr)
	if err != nil || n < 0 || n > 32 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, n).Masked(), true
}

// parseRanges reads the ranges in an inetnum-like value: "A - B", a CIDR
// ("192.0.2.0/24"), several comma-separated CIDRs, a LACNIC short prefix,
// or a single address. Any trailing text after the range (such as KRNIC's
// "(/12+/13)") is ignored.
func parseRanges(v string) ([]netip.Prefix, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, false
	}
	if a, b, ok := strings.Cut(v, " - "); ok || strings.Count(v, "-") == 1 && !strings.Contains(v, "/") {
		if !ok {
			a, b, _ = strings.Cut(v, "-")
		}
		b = strings.TrimSpace(b)
		if i := strings.IndexAny(b, " \t("); i >= 0 {
			b = b[:i]
		}
		first, ok1 := parseAddrLoose(a)
		last, ok2 := parseAddrLoose(b)
		if !ok1 || !ok2 {
			return nil, false
		}
		ps := RangePrefixes(first, last)
		return ps, ps != nil
	}
	if i := strings.IndexAny(v, " \t("); i >= 0 && !strings.Contains(v[:i], ",") {
		v = v[:i]
	}
	var out []netip.Prefix
	for f := range strings.SplitSeq(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			if d := unmapBits(p); d > 0 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-d)
			}
			out = append(out, p.Masked())
			continue
		}
		if p, ok := parseShortV4Prefix(f); ok {
			out = append(out, p)
			continue
		}
		if strings.Contains(f, "/") {
			// "2001:0240::/32" parses above; an address with a bad length does not.
			addr, n, _ := strings.Cut(f, "/")
			a, ok := parseAddrLoose(addr)
			bitsN, err := strconv.Atoi(n)
			if !ok || err != nil || bitsN < 0 || bitsN > a.BitLen() {
				return nil, false
			}
			out = append(out, netip.PrefixFrom(a, bitsN).Masked())
			continue
		}
		a, ok := parseAddrLoose(f)
		if !ok {
			return nil, false
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, len(out) > 0
}

// unmapBits returns 96 when p is an IPv4-mapped IPv6 prefix of at least 96
// bits, so that ::ffff:192.0.2.0/120 becomes 192.0.2.0/24.
func unmapBits(p netip.Prefix) int {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return 96
	}
	return 0
}
