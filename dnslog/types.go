package dnslog

import "strconv"

// Type is a DNS resource record type (RFC 1035 §3.2.2 and its successors),
// as its 16-bit wire value. The zero Type means "not logged".
type Type uint16

// Common record types.
const (
	TypeA      Type = 1
	TypeNS     Type = 2
	TypeCNAME  Type = 5
	TypeSOA    Type = 6
	TypePTR    Type = 12
	TypeMX     Type = 15
	TypeTXT    Type = 16
	TypeAAAA   Type = 28
	TypeSRV    Type = 33
	TypeNAPTR  Type = 35
	TypeDS     Type = 43
	TypeRRSIG  Type = 46
	TypeNSEC   Type = 47
	TypeDNSKEY Type = 48
	TypeSVCB   Type = 64
	TypeHTTPS  Type = 65
	TypeANY    Type = 255
)

var typeNames = map[Type]string{
	1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR", 10: "NULL",
	11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
	19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG", 25: "KEY", 26: "PX",
	27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA",
	35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL",
	43: "DS", 44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID",
	50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 55: "HIP", 56: "NINFO", 57: "RKEY",
	58: "TALINK", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD",
	64: "SVCB", 65: "HTTPS", 99: "SPF", 100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC",
	104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64",
	249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY",
	256: "URI", 257: "CAA", 258: "AVC", 259: "DOA", 260: "AMTRELAY", 261: "RESINFO",
	32768: "TA", 32769: "DLV",
}

var typeByName = func() map[string]Type {
	m := make(map[string]Type, len(typeNames))
	for t, n := range typeNames {
		m[n] = t
	}
	return m
}()

// String returns the mnemonic ("A", "HTTPS") or, for types without one,
// the RFC 3597 form "TYPE65534". The zero Type is "".
func (t Type) String() string {
	if t == 0 {
		return ""
	}
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// ParseType parses a mnemonic ("aaaa" and "AAAA" alike), an RFC 3597
// "TYPE65534" form, or a decimal number. It reports false for anything else.
func ParseType(s string) (Type, bool) {
	if t, ok := typeByName[s]; ok {
		return t, true
	}
	var buf [16]byte
	if len(s) <= len(buf) {
		u := buf[:len(s)]
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			u[i] = c
		}
		if t, ok := typeByName[string(u)]; ok {
			return t, true
		}
		if len(u) > 4 && string(u[:4]) == "TYPE" {
			return parseUint16(string(u[4:]), func(v uint16) Type { return Type(v) })
		}
	}
	return parseUint16(s, func(v uint16) Type { return Type(v) })
}

// Class is a DNS class as its 16-bit wire value. The zero Class means
// "not logged".
type Class uint16

// DNS classes.
const (
	ClassIN   Class = 1
	ClassCH   Class = 3
	ClassHS   Class = 4
	ClassNONE Class = 254
	ClassANY  Class = 255
)

// String returns "IN", "CH", "HS", "NONE", "ANY" or the RFC 3597 form
// "CLASS32769". The zero Class is "".
func (c Class) String() string {
	switch c {
	case 0:
		return ""
	case ClassIN:
		return "IN"
	case ClassCH:
		return "CH"
	case ClassHS:
		return "HS"
	case ClassNONE:
		return "NONE"
	case ClassANY:
		return "ANY"
	}
	return "CLASS" + strconv.Itoa(int(c))
}

// ParseClass parses "IN", "CH", "CHAOS", "HS", "NONE", "ANY", Zeek's
// "C_INTERNET", "C_CHAOS", "C_HESIOD", "C_NONE", "C_ANY", an RFC 3597 "CLASS3"
// form or a decimal number, in any letter case.
func ParseClass(s string) (Class, bool) {
	switch upperASCII(s) {
	case "IN", "C_INTERNET", "INTERNET":
		return ClassIN, true
	case "CH", "CHAOS", "C_CHAOS":
		return ClassCH, true
	case "HS", "HESIOD", "C_HESIOD":
		return ClassHS, true
	case "NONE", "C_NONE":
		return ClassNONE, true
	case "ANY", "*", "C_ANY":
		return ClassANY, true
	}
	u := upperASCII(s)
	if len(u) > 5 && u[:5] == "CLASS" {
		return parseUint16(u[5:], func(v uint16) Class { return Class(v) })
	}
	if len(u) > 7 && u[:7] == "QCLASS-" {
		return parseUint16(u[7:], func(v uint16) Class { return Class(v) })
	}
	return parseUint16(s, func(v uint16) Class { return Class(v) })
}

// RCode is a DNS response code (RFC 1035 §4.1.1, RFC 6895). RCodeUnknown
// marks a log that records no response code.
type RCode int16

// Response codes.
const (
	RCodeUnknown  RCode = -1
	RCodeNoError  RCode = 0
	RCodeFormErr  RCode = 1
	RCodeServFail RCode = 2
	RCodeNXDomain RCode = 3
	RCodeNotImp   RCode = 4
	RCodeRefused  RCode = 5
	RCodeYXDomain RCode = 6
	RCodeYXRRSet  RCode = 7
	RCodeNXRRSet  RCode = 8
	RCodeNotAuth  RCode = 9
	RCodeNotZone  RCode = 10
	RCodeBadVers  RCode = 16
)

var rcodeNames = map[RCode]string{
	0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
	6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "DSOTYPENI",
	16: "BADVERS", 17: "BADKEY", 18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG",
	22: "BADTRUNC", 23: "BADCOOKIE",
}

var rcodeByName = func() map[string]RCode {
	m := make(map[string]RCode, len(rcodeNames)+4)
	for c, n := range rcodeNames {
		m[n] = c
	}
	m["NOTIMPL"] = RCodeNotImp
	m["NXRRSET"] = RCodeNXRRSet
	m["BADSIG"] = 16
	return m
}()

// String returns the code's name ("NOERROR", "NXDOMAIN"), "RCODE23" for
// codes without one, and "" for RCodeUnknown.
func (r RCode) String() string {
	if r == RCodeUnknown {
		return ""
	}
	if n, ok := rcodeNames[r]; ok {
		return n
	}
	return "RCODE" + strconv.Itoa(int(r))
}

// ParseRCode parses a response-code name in any letter case ("NoError",
// "NXDOMAIN", "ServFail"), an "RCODE5" form or a decimal number.
func ParseRCode(s string) (RCode, bool) {
	u := upperASCII(s)
	if c, ok := rcodeByName[u]; ok {
		return c, true
	}
	if len(u) > 5 && u[:5] == "RCODE" {
		u = u[5:]
	}
	v, err := strconv.ParseUint(u, 10, 12)
	if err != nil {
		return RCodeUnknown, false
	}
	return RCode(v), true
}

func parseUint16[T any](s string, conv func(uint16) T) (T, bool) {
	v, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		var zero T
		return zero, false
	}
	return conv(uint16(v)), true
}

// upperASCII returns s with ASCII letters upper-cased; it allocates only
// when s has a lowercase letter.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'a' <= c && c <= 'z' {
					b[j] = c - ('a' - 'A')
				}
			}
			return string(b)
		}
	}
	return s
}
