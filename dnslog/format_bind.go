package dnslog

import (
	"bytes"
	"net/netip"
	"time"
)

// BIND 9 query logging, every variant seen from 9.3 to 9.18+, and the
// Infoblox NIOS flavour of it. A query line is, after an optional syslog
// header ("<30>Mar  9 23:59:59 host named[17742]: ") and an optional named
// timestamp ("30-Jan-2011 00:00:01.852", or ISO 8601 with print-time
// iso8601 / iso8601-utc) and category/severity prefixes ("queries: info: "):
//
//	client [@0x7f…] ADDR#PORT[:] [(QNAME):] [view NAME: ][UDP: |TCP: ]query: NAME CLASS TYPE [FLAGS] [(DEST)] [[ECS a/s/s]]
//
// Infoblox adds "response: RCODE FLAGS [ANSWER; …]" after the type, each
// answer being "OWNER TTL CLASS TYPE RDATA". BIND 8 wrote
// "XX /ADDR/NAME/TYPE/CLASS" (or "XX+" for recursive queries).
//
// Time: when a line has both a syslog stamp and named's own stamp, the one
// with a year wins, then the one with more fraction digits, then named's
// own. Zone-less stamps are read in decodeConfig.loc; year-less syslog
// stamps take their year from a yearTracker. A query line with no stamp
// at all is an ErrTime error: an event without a time is of no use for
// timing.
//
// Lines that are not queries (query-errors, security denials, "query
// failed", rpz, transfers, notifies, CEF records, other categories, noise)
// are not events and not errors.

func init() {
	register(formatSpec{
		name:    FormatBIND,
		sniff:   sniffBIND,
		newLine: func(c *decodeConfig) lineDecoder { return newBINDDecoder(c) },
		// Not parallel: syslog-stamped lines carry a yearTracker that must
		// see every line to follow a December → January rollover.
	})
}

type bindDecoder struct {
	c  *decodeConfig
	yt yearTracker
}

func newBINDDecoder(c *decodeConfig) *bindDecoder {
	return &bindDecoder{c: c, yt: newYearTracker(c)}
}

// Line classes returned by the parse functions of this file's formats.
const (
	lineOther = iota // not recognised as this format
	lineKnown        // this format's own non-event line (noise, another category)
	lineEvent        // a query event
)

func (d *bindDecoder) decode(line []byte, ev *Event) (bool, error) {
	k, err := d.parse(line, ev)
	return k == lineEvent && err == nil, err
}

// bindStamp is the best timestamp found so far in a line prefix.
type bindStamp struct {
	t       time.Time
	ok      bool
	hasYear bool
	frac    int
}

// offer replaces the stamp with t when t is at least as complete.
func (s *bindStamp) offer(t time.Time, hasYear bool, frac int) {
	if s.ok && (s.hasYear && !hasYear || s.hasYear == hasYear && frac < s.frac) {
		return
	}
	*s = bindStamp{t: t, ok: true, hasYear: hasYear, frac: frac}
}

// parse decodes one line into ev and classifies it.
func (d *bindDecoder) parse(line []byte, ev *Event) (int, error) {
	p := bindPRI(line)
	var st bindStamp
	sysStamp := false
	tagSeen := false
	known := false
	if m, app, ok := bindRFC5424(line, p, d.c.loc, &st); ok {
		p, tagSeen, known = m, true, string(app) == "named"
	} else if t, n, ok := parseSyslogStamp(line[p:], &d.yt, d.c.loc); ok {
		st.offer(t, false, bindFrac(line[p:p+n]))
		p += n
		sysStamp = true
	}
	hosts := 0
	for iter := 0; iter < 16; iter++ {
		s, e := bindField(line, p)
		if s == e {
			return bindKind(known), nil
		}
		tok := line[s:e]
		switch {
		case string(tok) == "client" && bindClientNext(line, e):
			return d.client(line, e, &st, ev)
		case len(tok) <= 3 && tok[0] == 'X' && bytes.HasPrefix(tok, []byte("XX")) && bindXXNext(line, e):
			return d.bind8(line, e, &st, ev)
		case tok[0] <= '9' && bindIsDate(tok):
			cs, ce := bindField(line, e)
			t, frac, ok := bindParseStamp(tok, line[cs:ce], d.c.loc)
			if !ok {
				return lineOther, badField(s, ErrTime, quoteField(line[s:ce]))
			}
			st.offer(t, true, frac)
			p = ce
			continue
		case len(tok) >= 19 && tok[0] >= '0' && tok[0] <= '9' && bindISO(tok, d.c.loc, &st):
			sysStamp = sysStamp || !tagSeen
		case tok[len(tok)-1] == ':':
			tagSeen = true
			if bytes.HasPrefix(tok, []byte("named")) || string(tok) == "queries:" {
				known = true
			}
		case sysStamp && !tagSeen && hosts < 2:
			hosts++
		default:
			return bindKind(known), nil
		}
		p = e
	}
	return bindKind(known), nil
}

func bindKind(known bool) int {
	if known {
		return lineKnown
	}
	return lineOther
}

// client parses the message after the "client" token (at offset p).
func (d *bindDecoder) client(line []byte, p int, st *bindStamp, ev *Event) (int, error) {
	s, e := bindField(line, p)
	if e-s > 3 && line[s] == '@' && line[s+1] == '0' && line[s+2] == 'x' {
		s, e = bindField(line, e)
	}
	if s == e {
		return lineKnown, nil
	}
	addrEnd := e
	if line[addrEnd-1] == ':' {
		addrEnd--
	}
	hash := bytes.LastIndexByte(line[s:addrEnd], '#')
	if hash < 0 {
		// "client 1.2.3.4: …" without a port is not a query line of any
		// BIND version.
		return lineKnown, nil
	}
	addrTok := line[s : s+hash]
	portTok := line[s+hash+1 : addrEnd]
	p = e
	// Optional "(qname):" as logged since 9.9.
	q := bindSkipSpace(line, p)
	if q < len(line) && line[q] == '(' {
		i := bytes.Index(line[q:], []byte("):"))
		if i < 0 {
			return lineKnown, nil
		}
		p = q + i + 2
	}
	// "view NAME: ", "UDP: ", "TCP: " prefixes, then "query: ".
	for {
		q = bindSkipSpace(line, p)
		rest := line[q:]
		switch {
		case bytes.HasPrefix(rest, []byte("query: ")):
			return d.query(line, q+len("query: "), addrTok, s, portTok, s+hash+1, st, ev)
		case bytes.HasPrefix(rest, []byte("view ")):
			i := bytes.Index(rest, []byte(": "))
			if i < 0 {
				return lineKnown, nil
			}
			p = q + i + 2
		case bytes.HasPrefix(rest, []byte("UDP: ")) || bytes.HasPrefix(rest, []byte("TCP: ")):
			p = q + 5
		default:
			return lineKnown, nil
		}
	}
}

// query parses "NAME CLASS TYPE …" at offset p of a client query line.
func (d *bindDecoder) query(line []byte, p int, addrTok []byte, addrOff int, portTok []byte, portOff int, st *bindStamp, ev *Event) (int, error) {
	if !st.ok {
		return lineKnown, badField(0, ErrTime, "query line without a timestamp")
	}
	addr, ok := bindAddr(addrTok)
	if !ok {
		return lineKnown, badField(addrOff, ErrAddr, quoteField(addrTok))
	}
	port, ok := bytesPort(portTok)
	if !ok {
		return lineKnown, badField(portOff, ErrAddr, "port "+quoteField(portTok))
	}
	ev.Time = st.t
	ev.Client = addr.Unmap()
	ev.ClientPort = port
	s, e := bindField(line, p)
	name, raw, ok := normalizeName(line[s:e], d.c.intern)
	if !ok {
		return lineKnown, badField(s, ErrName, quoteField(line[s:e]))
	}
	ev.Name, ev.RawName = name, raw
	s, e = bindField(line, e)
	cl, ok := bindClassOf(line[s:e])
	if !ok {
		return lineKnown, badField(s, ErrType, "class "+quoteField(line[s:e]))
	}
	s, e = bindField(line, e)
	ty, ok := bindTypeOf(line[s:e])
	if !ok {
		return lineKnown, badField(s, ErrType, quoteField(line[s:e]))
	}
	ev.Class, ev.Type = cl, ty
	p = e
	for {
		s, e = bindField(line, p)
		if s == e {
			return lineEvent, nil
		}
		tok := line[s:e]
		switch {
		case tok[0] == '+' || tok[0] == '-':
			// Query flags: +/- recursion desired, E(n) EDNS, S signed,
			// T TCP, D DO, C CD, V valid cookie, K cookie, …
		case tok[0] == '(' && tok[len(tok)-1] == ')':
			a, ok := bindAddr(tok[1 : len(tok)-1])
			if !ok {
				return lineKnown, badField(s, ErrAddr, "destination "+quoteField(tok))
			}
			ev.Server = a.Unmap()
		case string(tok) == "[ECS":
			i := bytes.IndexByte(line[e:], ']')
			if i < 0 {
				return lineKnown, badField(s, ErrField, "unterminated [ECS …]")
			}
			e += i + 1
		case string(tok) == "response:":
			return d.response(line, e, ev)
		}
		p = e
	}
}

// maxBINDAnswers caps the answers kept from one Infoblox response line.
const maxBINDAnswers = 64

// response parses Infoblox's "RCODE FLAGS [OWNER TTL CLASS TYPE RDATA; …]".
func (d *bindDecoder) response(line []byte, p int, ev *Event) (int, error) {
	s, e := bindField(line, p)
	rc, ok := bindRCodeOf(line[s:e])
	if !ok {
		return lineKnown, badField(s, ErrField, "rcode "+quoteField(line[s:e]))
	}
	ev.RCode = rc
	p = e
	if s, e = bindField(line, p); s < e && (line[s] == '+' || line[s] == '-') {
		p = e
	}
	for {
		q := bindSkipSpace(line, p)
		if q == len(line) {
			return lineEvent, nil
		}
		end := bindRecordEnd(line, q)
		rec := line[q:end]
		a, off, ok := d.answer(rec)
		if !ok {
			return lineKnown, badField(q+off, ErrField, "answer "+quoteField(rec))
		}
		if len(ev.Answers) < maxBINDAnswers {
			if ev.Answers == nil {
				ev.Answers = make([]Answer, 0, bindCountRecords(line, q))
			}
			ev.Answers = append(ev.Answers, a)
		}
		p = end
		if p < len(line) {
			p++ // the ';'
		}
	}
}

// bindRecordEnd returns the offset of the ';' ending the record starting
// at p (outside double quotes), or len(line).
func bindRecordEnd(line []byte, p int) int {
	quoted := false
	for i := p; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				return i
			}
		}
	}
	return len(line)
}

func bindCountRecords(line []byte, p int) int {
	n := 0
	for p < len(line) && n < maxBINDAnswers {
		n++
		p = bindRecordEnd(line, p) + 1
		p = bindSkipSpace(line, p)
	}
	return n
}

// answer parses "OWNER TTL CLASS TYPE RDATA". off is the offset of the
// faulty field when ok is false.
func (d *bindDecoder) answer(rec []byte) (a Answer, off int, ok bool) {
	_, e := bindField(rec, 0)
	s, e2 := bindField(rec, e)
	ttl, ok := digits(rec[s:e2])
	if !ok || e2-s > 10 || ttl > 1<<32-1 {
		return a, s, false
	}
	s, e = bindField(rec, e2)
	if _, ok := bindClassOf(rec[s:e]); !ok {
		return a, s, false
	}
	s, e = bindField(rec, e)
	ty, ok := bindTypeOf(rec[s:e])
	if !ok {
		return a, s, false
	}
	s = bindSkipSpace(rec, e)
	data := bytes.TrimRight(rec[s:], " \t")
	if len(data) == 0 {
		return a, s, false
	}
	a = Answer{Type: ty, TTL: uint32(ttl), HasTTL: true}
	a.Data = answerData(data, ty, d.c.intern)
	return a, 0, true
}

// answerData renders record data: names (CNAME, PTR, NS, DNAME) are
// normalised like query names; anything else is kept as written.
func answerData(data []byte, ty Type, intern func([]byte) string) string {
	switch ty {
	case TypeCNAME, TypePTR, TypeNS, 39: // 39: DNAME
		if n, _, ok := normalizeName(data, intern); ok {
			return n
		}
	}
	return intern(data)
}

// bind8 parses BIND 8's "XX[+] /ADDR/NAME/TYPE/CLASS" after the XX token.
func (d *bindDecoder) bind8(line []byte, p int, st *bindStamp, ev *Event) (int, error) {
	s, e := bindField(line, p)
	tok := line[s:e] // starts with '/', checked by bindXXNext
	if !st.ok {
		return lineKnown, badField(0, ErrTime, "query line without a timestamp")
	}
	i := bytes.IndexByte(tok[1:], '/') + 1
	j := bytes.LastIndexByte(tok, '/')
	k := -1
	if j > 0 {
		k = bytes.LastIndexByte(tok[:j], '/')
	}
	if i <= 0 || k <= i {
		return lineKnown, badField(s, ErrField, quoteField(tok))
	}
	addr, ok := bindAddr(tok[1:i])
	if !ok {
		return lineKnown, badField(s+1, ErrAddr, quoteField(tok[1:i]))
	}
	name, raw, ok := normalizeName(tok[i+1:k], d.c.intern)
	if !ok {
		return lineKnown, badField(s+i+1, ErrName, quoteField(tok[i+1:k]))
	}
	ty, ok := bindTypeOf(tok[k+1 : j])
	if !ok {
		return lineKnown, badField(s+k+1, ErrType, quoteField(tok[k+1:j]))
	}
	cl, ok := bindClassOf(tok[j+1:])
	if !ok {
		return lineKnown, badField(s+j+1, ErrType, "class "+quoteField(tok[j+1:]))
	}
	ev.Time = st.t
	ev.Client = addr.Unmap()
	ev.Name, ev.RawName = name, raw
	ev.Type, ev.Class = ty, cl
	return lineEvent, nil
}

// bindClientNext reports whether the field after offset p is a client
// handle ("@0x…") or an address with a port ("…#53"), so that a "client"
// token starts a client message and is not a host name.
func bindClientNext(line []byte, p int) bool {
	s, e := bindField(line, p)
	f := line[s:e]
	return bytes.HasPrefix(f, []byte("@0x")) || bytes.IndexByte(f, '#') > 0
}

// bindXXNext reports whether the field after offset p starts with '/'.
func bindXXNext(line []byte, p int) bool {
	s, e := bindField(line, p)
	return e-s > 1 && line[s] == '/'
}

// bindIsDate reports whether tok has the shape of named's "dd-Mon-yyyy":
// digits, a dash, three letters, a dash, four digits.
func bindIsDate(tok []byte) bool {
	dd := len(tok) - 9
	if dd != 1 && dd != 2 || tok[dd] != '-' || tok[dd+4] != '-' {
		return false
	}
	for i, c := range tok {
		switch {
		case i == dd || i == dd+4:
		case i > dd && i < dd+4:
			if c|0x20 < 'a' || c|0x20 > 'z' {
				return false
			}
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// bindParseStamp parses named's "dd-Mon-yyyy" date and "HH:MM:SS[.fff]"
// clock in loc, returning the number of fraction digits too.
func bindParseStamp(date, clock []byte, loc *time.Location) (time.Time, int, bool) {
	dd := 2
	if len(date) == 10 {
		dd = 1
	}
	day, ok1 := digits(date[:dd])
	mon, ok2 := parseMonth(date[dd+1 : dd+4])
	year, ok3 := digits(date[dd+5:])
	if !(ok1 && ok2 && ok3) || day < 1 || day > daysIn(mon, year) {
		return time.Time{}, 0, false
	}
	if len(clock) < 8 || clock[2] != ':' || clock[5] != ':' {
		return time.Time{}, 0, false
	}
	hh, ok1 := digits(clock[0:2])
	mm, ok2 := digits(clock[3:5])
	ss, ok3 := digits(clock[6:8])
	if !(ok1 && ok2 && ok3) || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, 0, false
	}
	nsec, frac := 0, 0
	if len(clock) > 8 {
		if clock[8] != '.' || len(clock) == 9 || len(clock) > 18 {
			return time.Time{}, 0, false
		}
		f, ok := digits(clock[9:])
		if !ok {
			return time.Time{}, 0, false
		}
		frac = len(clock) - 9
		nsec = f
		for i := frac; i < 9; i++ {
			nsec *= 10
		}
	}
	if ss == 60 {
		ss, nsec = 59, 999999999
	}
	t, ok := inRange(time.Date(year, time.Month(mon), day, hh, mm, ss, nsec, loc).UTC())
	return t, frac, ok
}

// bindFrac counts the fraction digits of a stamp ("…:43.651" → 3).
func bindFrac(stamp []byte) int {
	i := bytes.IndexByte(stamp, '.')
	if i < 0 {
		return 0
	}
	n := 0
	for i+1+n < len(stamp) && stamp[i+1+n] >= '0' && stamp[i+1+n] <= '9' {
		n++
	}
	return n
}

// bindField returns the bounds of the next space- or tab-separated field
// at or after offset p; s == e at the end of the line.
func bindField(line []byte, p int) (s, e int) {
	for p < len(line) && (line[p] == ' ' || line[p] == '\t') {
		p++
	}
	s = p
	for p < len(line) && line[p] != ' ' && line[p] != '\t' {
		p++
	}
	return s, p
}

func bindSkipSpace(line []byte, p int) int {
	for p < len(line) && (line[p] == ' ' || line[p] == '\t') {
		p++
	}
	return p
}

// bindPRI returns the length of a leading syslog priority ("<30>").
func bindPRI(line []byte) int {
	if len(line) < 3 || line[0] != '<' {
		return 0
	}
	for i := 1; i < len(line) && i <= 4; i++ {
		switch c := line[i]; {
		case c == '>' && i > 1:
			return i + 1
		case c < '0' || c > '9':
			return 0
		}
	}
	return 0
}

// bindTypeOf parses a record type without allocating for the mnemonics.
func bindTypeOf(b []byte) (Type, bool) {
	switch string(b) { // the common ones without a map lookup
	case "A":
		return TypeA, true
	case "AAAA":
		return TypeAAAA, true
	case "HTTPS":
		return TypeHTTPS, true
	case "PTR":
		return TypePTR, true
	case "TXT":
		return TypeTXT, true
	case "MX":
		return TypeMX, true
	case "":
		return 0, false
	}
	if t, ok := typeByName[string(b)]; ok {
		return t, true
	}
	if len(b) > 16 {
		return 0, false
	}
	t, ok := ParseType(string(b))
	return t, ok && t != 0
}

// bindAddr parses an address like bytesAddr, with a quicker path for
// dotted quads.
func bindAddr(b []byte) (netip.Addr, bool) {
	if len(b) < 7 || len(b) > 15 {
		return bytesAddr(b)
	}
	var a [4]byte
	n, v, nd := 0, 0, 0
	for _, c := range b {
		if c >= '0' && c <= '9' {
			if nd == 1 && v == 0 { // leading zero
				return bytesAddr(b)
			}
			v = v*10 + int(c-'0')
			nd++
			if v > 255 {
				return bytesAddr(b) // "2001:db8::5"
			}
			continue
		}
		if c != '.' || nd == 0 || n == 3 {
			return bytesAddr(b) // IPv6, or not an address
		}
		a[n] = byte(v)
		n++
		v, nd = 0, 0
	}
	if n != 3 || nd == 0 {
		return bytesAddr(b)
	}
	a[3] = byte(v)
	return netip.AddrFrom4(a), true
}

// bindClassOf parses a class without allocating for "IN".
func bindClassOf(b []byte) (Class, bool) {
	if string(b) == "IN" {
		return ClassIN, true
	}
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	c, ok := ParseClass(string(b))
	return c, ok && c != 0
}

// bindRCodeOf parses a response code without allocating for the names.
func bindRCodeOf(b []byte) (RCode, bool) {
	if r, ok := rcodeByName[string(b)]; ok {
		return r, true
	}
	if len(b) == 0 || len(b) > 16 {
		return RCodeUnknown, false
	}
	return ParseRCode(string(b))
}

// sniffBIND scores lines by how many decode as BIND query events.
func sniffBIND(lines [][]byte) int {
	d := newBINDDecoder(&decodeConfig{loc: time.UTC, year: 2000, intern: func(b []byte) string { return string(b) }})
	var ev Event
	return sniffScore(lines, func(l []byte) (int, error) {
		ev = Event{}
		return d.parse(l, &ev)
	})
}

// sniffScore turns line classes into a detection score: 0 when no line is
// an event or one of the format's own lines; up to 80 when every line is
// an event or a recognised line of the format, scaled by the share of
// lines that are; recognised lines without any event score at most 40.
// Lines that are errors count against the score.
func sniffScore(lines [][]byte, parse func([]byte) (int, error)) int {
	n, events, known := 0, 0, 0
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		n++
		k, err := parse(l)
		if err != nil {
			continue
		}
		switch k {
		case lineEvent:
			events++
		case lineKnown:
			known++
		}
	}
	if n == 0 || events+known == 0 {
		return 0
	}
	if events == 0 {
		return 40 * known / n
	}
	return 30 + 50*(events+known)/n
}

// bindISO offers tok to st when it is an ISO 8601 stamp.
func bindISO(tok []byte, loc *time.Location, st *bindStamp) bool {
	t, ok := parseRFC3339(tok, loc)
	if ok {
		st.offer(t, true, bindFrac(tok))
	}
	return ok
}

// bindRFC5424 parses an RFC 5424 syslog header at offset p (after the
// priority): "1 TIMESTAMP HOST APP PROCID MSGID SD ". It offers the stamp
// to st and returns the offset of the message and the APP field.
func bindRFC5424(line []byte, p int, loc *time.Location, st *bindStamp) (msg int, app []byte, ok bool) {
	if p == 0 || len(line) < p+2 || line[p] != '1' || line[p+1] != ' ' {
		return 0, nil, false
	}
	s, e := bindField(line, p+2)
	t, ok := parseRFC3339(line[s:e], loc)
	if !ok {
		return 0, nil, false
	}
	frac := bindFrac(line[s:e])
	var f [3][2]int // HOST APP PROCID
	for i := range f {
		s, e = bindField(line, e)
		if s == e {
			return 0, nil, false
		}
		f[i] = [2]int{s, e}
	}
	_, e = bindField(line, e) // MSGID
	q := bindSkipSpace(line, e)
	switch {
	case q < len(line) && line[q] == '-':
		q++
	case q < len(line) && line[q] == '[':
		// Structured data: one or more [ … ] elements; "\]" and quoted
		// values do not end them.
		for q < len(line) && line[q] == '[' {
			quoted := false
			q++
			for q < len(line) && (quoted || line[q] != ']') {
				switch line[q] {
				case '\\':
					q++
				case '"':
					quoted = !quoted
				}
				q++
			}
			if q >= len(line) {
				return 0, nil, false
			}
			q++
		}
	default:
		return 0, nil, false
	}
	st.offer(t, true, frac)
	return q, line[f[1][0]:f[1][1]], true
}
