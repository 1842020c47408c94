package dnslog

import "net/netip"

// bytesAddr parses an IPv4 or IPv6 address without allocating for the
// common dotted-quad case. IPv6 zones are accepted (fe80::1%eth0).
func bytesAddr(b []byte) (netip.Addr, bool) {
	if len(b) >= 7 && len(b) <= 15 {
		var a [4]byte
		n, v, digitsSeen := 0, 0, 0
		ok := true
		for _, c := range b {
			switch {
			case c >= '0' && c <= '9':
				if digitsSeen > 0 && v == 0 { // leading zero
					ok = false
				}
				v = v*10 + int(c-'0')
				digitsSeen++
				if v > 255 {
					ok = false
				}
			case c == '.' && digitsSeen > 0 && n < 3:
				a[n] = byte(v)
				n++
				v, digitsSeen = 0, 0
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && n == 3 && digitsSeen > 0 {
			a[3] = byte(v)
			return netip.AddrFrom4(a), true
		}
	}
	if len(b) < 2 || len(b) > 64 {
		return netip.Addr{}, false
	}
	hasColon := false
	for _, c := range b {
		if c == ':' {
			hasColon = true
			break
		}
	}
	if !hasColon {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(string(b))
	return a, err == nil
}

// bytesPort parses a decimal port number 0–65535.
func bytesPort(b []byte) (uint16, bool) {
	if len(b) == 0 || len(b) > 5 {
		return 0, false
	}
	v, ok := digits(b)
	if !ok || v > 65535 {
		return 0, false
	}
	return uint16(v), true
}

// bytesAddrPort splits and parses "1.2.3.4:53", "[2001:db8::1]:53" or,
// when port is optional, a bare address ("1.2.3.4", "2001:db8::1"). An
// unbracketed IPv6 address is never split at its last colon. It returns
// the offset of the port within b (len(b) when there is none) for error
// columns; ok is false when the address or port is malformed.
func bytesAddrPort(b []byte, portOptional bool) (addr netip.Addr, port uint16, portOff int, ok bool) {
	if len(b) > 0 && b[0] == '[' {
		end := -1
		for i, c := range b {
			if c == ']' {
				end = i
				break
			}
		}
		if end < 0 {
			return netip.Addr{}, 0, 0, false
		}
		addr, ok = bytesAddr(b[1:end])
		if !ok || !addr.Is6() && !addr.Is4In6() {
			return netip.Addr{}, 0, 0, false
		}
		rest := b[end+1:]
		if len(rest) == 0 {
			return addr, 0, len(b), portOptional
		}
		if rest[0] != ':' {
			return netip.Addr{}, 0, end + 1, false
		}
		port, ok = bytesPort(rest[1:])
		return addr, port, end + 2, ok
	}
	colons, last := 0, -1
	for i, c := range b {
		if c == ':' {
			colons++
			last = i
		}
	}
	if colons == 1 {
		addr, ok = bytesAddr(b[:last])
		if !ok || !addr.Is4() {
			return netip.Addr{}, 0, 0, false
		}
		port, ok = bytesPort(b[last+1:])
		return addr, port, last + 1, ok
	}
	if !portOptional {
		return netip.Addr{}, 0, 0, false
	}
	addr, ok = bytesAddr(b)
	if !ok {
		return netip.Addr{}, 0, 0, false
	}
	return addr, 0, len(b), true
}

// dottedQuad parses a dotted-quad IPv4 address in its strict form, the
// only one netip.ParseAddr accepts: four decimal octets of one to three
// digits, no leading zeros, each at most 255. It reports false for
// anything else. parseAddrBytes tries it before any IPv6 parse.
func dottedQuad(b []byte) (netip.Addr, bool) {
	var ip [4]byte
	i := 0
	for k := range 4 {
		if k > 0 {
			if i >= len(b) || b[i] != '.' {
				return netip.Addr{}, false
			}
			i++
		}
		if i >= len(b) {
			return netip.Addr{}, false
		}
		v := uint(b[i] - '0')
		if v > 9 {
			return netip.Addr{}, false
		}
		i++
		if i < len(b) {
			if d := uint(b[i] - '0'); d <= 9 {
				if v == 0 { // a leading zero
					return netip.Addr{}, false
				}
				v = v*10 + d
				i++
				if i < len(b) {
					if d := uint(b[i] - '0'); d <= 9 {
						v = v*10 + d
						i++
						if v > 255 {
							return netip.Addr{}, false
						}
					}
				}
			}
		}
		ip[k] = byte(v)
	}
	if i != len(b) {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(ip), true
}
