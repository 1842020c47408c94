package dnslog

import (
	"bytes"
	"net/netip"
	"time"
)

// The research format: one query per line as
//
//	TIMESTAMP CLIENT NAME [TYPE [CLASS]]
//
// or with NAME before CLIENT. Fields are separated by runs of spaces, by
// tabs, by commas or by pipes ("|", usually with spaces around it); each
// line is split on the first of '|', tab and ',' that it contains, else on
// spaces, and fields are trimmed of surrounding spaces. The timestamp is
// RFC 3339 / ISO 8601 ("2016-09-23T13:56:29.000Z", with an offset, a
// fraction, or none of them, then read in Reader.Location; a space instead
// of the "T" is accepted) or epoch seconds with an optional fraction.
//
// Which of the second and third fields is the client is decided per line:
// the second field if it parses as an IP address, else the third. TYPE is a
// mnemonic or number; CLASS may come before TYPE ("IN A").
//
// Blank lines, lines starting with '#', and header lines (a first field
// that is not a timestamp on a line without any digit that names a
// column, such as "TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP": see
// isResearchHeader) are not events. Other lines without a timestamp are
// errors.

func init() {
	register(formatSpec{
		name:     FormatResearch,
		sniff:    sniffResearch,
		newLine:  func(c *decodeConfig) lineDecoder { return &researchDecoder{cfg: c} },
		parallel: true,
	})
}

type researchDecoder struct {
	cfg *decodeConfig
}

// span is a field's byte range in a line.
type span struct{ off, end int }

const maxResearchFields = 6

func (d *researchDecoder) decode(line []byte, ev *Event) (bool, error) {
	if len(line) == 0 || line[0] == '#' {
		return false, nil
	}
	var fs [maxResearchFields]span
	n, ok := splitResearch(line, &fs)
	if !ok {
		if isResearchHeader(line) {
			return false, nil
		}
		return false, badField(fs[maxResearchFields-1].off, ErrField, "more than 5 fields")
	}
	f0 := line[fs[0].off:fs[0].end]
	t, ok := parseRFC3339(f0, d.cfg.loc)
	if !ok {
		t, ok = parseEpoch(f0)
	}
	if !ok {
		if isResearchHeader(line) {
			return false, nil
		}
		return false, badField(fs[0].off, ErrTime, quoteField(f0))
	}
	if n < 3 {
		return false, badField(len(line), ErrField, "want timestamp, client and name")
	}
	ev.Time = t
	ni := 2
	a, ok := parseAddrBytes(line[fs[1].off:fs[1].end])
	if !ok {
		a, ok = parseAddrBytes(line[fs[2].off:fs[2].end])
		if !ok {
			return false, badField(fs[1].off, ErrAddr, "neither "+quoteField(line[fs[1].off:fs[1].end])+" nor "+quoteField(line[fs[2].off:fs[2].end])+" is an IP address")
		}
		ni = 1
	}
	ev.Client = a
	name := line[fs[ni].off:fs[ni].end]
	ev.Name, ev.RawName, ok = normalizeName(name, d.cfg.intern)
	if !ok {
		return false, badField(fs[ni].off, ErrName, quoteField(name))
	}
	if n >= 4 {
		tf, cf := 3, 4
		if n == 5 {
			if _, isClass := ParseClass(string(line[fs[3].off:fs[3].end])); isClass {
				if _, isType := ParseType(string(line[fs[3].off:fs[3].end])); !isType {
					tf, cf = 4, 3
				}
			}
		}
		b := line[fs[tf].off:fs[tf].end]
		typ, ok := ParseType(string(b))
		if !ok {
			return false, badField(fs[tf].off, ErrType, quoteField(b))
		}
		ev.Type = typ
		if n == 5 {
			b := line[fs[cf].off:fs[cf].end]
			cl, ok := ParseClass(string(b))
			if !ok {
				return false, badField(fs[cf].off, ErrType, quoteField(b))
			}
			ev.Class = cl
		}
	}
	return true, nil
}

// splitResearch splits line into at most maxResearchFields-1 fields; it
// reports false (with the extra field last in fs) when there are more.
func splitResearch(line []byte, fs *[maxResearchFields]span) (int, bool) {
	sep := byte(' ')
	switch {
	case bytes.IndexByte(line, '|') >= 0:
		sep = '|'
	case bytes.IndexByte(line, '\t') >= 0:
		sep = '\t'
	case bytes.IndexByte(line, ',') >= 0:
		sep = ','
	}
	n := 0
	i := 0
	for i <= len(line) {
		// Field from i to the next separator.
		j := i
		if sep == ' ' {
			for i < len(line) && line[i] == ' ' {
				i++
			}
			if i == len(line) {
				break
			}
			j = i
			for j < len(line) && line[j] != ' ' {
				j++
			}
		} else {
			for j < len(line) && line[j] != sep {
				j++
			}
		}
		s, e := i, j
		for s < e && (line[s] == ' ' || line[s] == '\t') {
			s++
		}
		for e > s && (line[e-1] == ' ' || line[e-1] == '\t') {
			e--
		}
		if n == maxResearchFields {
			return n, false
		}
		fs[n] = span{s, e}
		n++
		if n == 2 && sep == ' ' && isDateOnly(line[fs[0].off:fs[0].end]) && isClockStart(line[s:e]) {
			// "2016-09-23 13:56:29": one timestamp split by the space.
			fs[0].end = e
			n = 1
		}
		i = j + 1
	}
	return n, n < maxResearchFields
}

func isDateOnly(b []byte) bool {
	return len(b) == 10 && b[4] == '-' && b[7] == '-'
}

func isClockStart(b []byte) bool {
	return len(b) >= 8 && b[2] == ':' && b[5] == ':'
}

// isResearchHeader reports whether line is a header line: it has no
// digit, and one of its words (runs of ASCII letters, any case) names a
// column: time, timestamp, ts, date, client, ip, src, source, originator,
// requester, name, qname, query, host, hostname, domain, type, qtype,
// class, qclass, addr or address, or contains time, name, query, client,
// host, domain or addr ("QueryName", "client_ip"). "TIMESTAMP | HOSTNAME |
// QUERY ORIGINATOR IP" is one; a line of other words is not, and is an
// error rather than silently passed over.
func isResearchHeader(line []byte) bool {
	if hasDigit(line) {
		return false
	}
	for i := 0; i < len(line); {
		if !isLetter(line[i]) {
			i++
			continue
		}
		j := i
		for j < len(line) && isLetter(line[j]) {
			j++
		}
		if w := line[i:j]; len(w) <= 16 && columnWord(w) {
			return true
		}
		i = j
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// columnWord reports whether the letters w name a column (see
// isResearchHeader).
func columnWord(w []byte) bool {
	var buf [16]byte
	lw := buf[:len(w)]
	for i, c := range w {
		lw[i] = c | 0x20
	}
	switch string(lw) {
	case "ts", "ip", "src", "date", "source", "originator", "requester", "type", "qtype", "class", "qclass":
		return true
	}
	for _, part := range [...]string{"time", "name", "query", "client", "host", "domain", "addr"} {
		if bytes.Contains(lw, []byte(part)) {
			return true
		}
	}
	return false
}

func hasDigit(b []byte) bool {
	for _, c := range b {
		if '0' <= c && c <= '9' {
			return true
		}
	}
	return false
}

// parseAddrBytes parses an IPv4 or IPv6 address without allocating for
// IPv4. Zones are not accepted.
func parseAddrBytes(b []byte) (netip.Addr, bool) {
	if a, ok := dottedQuad(b); ok {
		return a, true
	}
	if len(b) == 0 || len(b) > 45 || bytes.IndexByte(b, ':') < 0 || bytes.IndexByte(b, '%') >= 0 {
		return netip.Addr{}, false
	}
	var buf [45]byte
	n := copy(buf[:], b)
	a, err := netip.ParseAddr(string(buf[:n]))
	return a, err == nil
}

// sniffResearch scores 70 when every sampled line decodes (headers and
// comments allowed, at least one event), 30 when at least half do.
func sniffResearch(lines [][]byte) int {
	var in interner
	cfg := decodeConfig{loc: time.UTC, intern: in.intern}
	d := researchDecoder{cfg: &cfg}
	good, bad := 0, 0
	for _, l := range lines {
		var ev Event
		ok, err := d.decode(l, &ev)
		switch {
		case err != nil:
			bad++
		case ok:
			good++
		}
	}
	switch {
	case good == 0:
		return 0
	case bad == 0:
		return 70
	case good >= bad:
		return 30
	}
	return 0
}
