package dnslog

import (
	"bytes"
	"time"
)

// dnsmasq and Pi-hole with log-queries. Lines look like
//
//	Jul  7 19:39:44 [host] dnsmasq[536]: query[A] example.com from 192.168.1.185
//	Jul  7 19:39:44 [host] dnsmasq[536]: forwarded example.com to 208.67.222.222
//	Jul  7 19:39:44 [host] dnsmasq[536]: reply example.com is 93.184.216.34
//
// and, with log-queries=extra, carry a serial number and the query's
// source after the tag: "dnsmasq[536]: 1234 192.168.1.5/51234 query[A] …".
// The program may also be pihole-FTL. Stamps are year-less syslog stamps
// (years from a yearTracker) or ISO 8601.
//
// Only "query[TYPE] NAME from CLIENT" lines are events (Class 0: dnsmasq
// does not log it). Lines of the form
// "SOURCE NAME is VALUE" where SOURCE is reply, cached, cached-stale,
// config, a file path (/etc/hosts, /etc/pihole/gravity.list) or a Pi-hole
// blocking source (gravity blocked, regex blacklisted, special domain, …)
// complete a held query with the same name (with log-queries=extra: the
// same serial): "is NXDOMAIN" sets RCodeNXDomain, "is NODATA[-IPv4|-IPv6]"
// NOERROR without answers, "is SERVFAIL" (and other rcode names) that
// code, "is ADDRESS" NOERROR and an A or AAAA answer, "is <CNAME>" a CNAME
// answer whose data is the name of the next reply line of the chain,
// "is <TYPE>" an answer of that type without data, "is NAME" an answer
// with that name (PTR replies). Consecutive answer lines for one subject,
// and CNAME chains, complete the same query. An address answer only
// completes an A (IPv4) or AAAA (IPv6) query, so interleaved A and AAAA
// lookups of one name are told apart.
//
// Bound: a query is held until its answer lines have ended, or until
// dnsmasqHoldLines lines or dnsmasqHoldTime of log time have passed since
// it, whichever comes first; then it is released as it stands (RCode
// RCodeUnknown when nothing answered it). Events come out in input order.
// At most dnsmasqHoldLines events and maxBINDAnswers answers per event
// are held, whatever the input.

const (
	dnsmasqHoldLines = 256
	dnsmasqHoldTime  = 10 * time.Second
)

func init() {
	register(formatSpec{
		name:    FormatDnsmasq,
		sniff:   sniffDnsmasq,
		newLine: func(c *decodeConfig) lineDecoder { return newDnsmasqDecoder(c) },
	})
}

// heldEvent is an event a pending decoder holds back to complete it from
// later lines.
type heldEvent struct {
	ev   Event
	seq  int64 // the decoder's line count when it was read
	done bool  // complete: release it as soon as it is at the head

	serial    int64  // dnsmasq log-queries=extra serial; -1 when none
	subject   string // dnsmasq: name of the last answer line applied
	cnameOpen bool   // dnsmasq: last answer is a CNAME awaiting its target

	xid   uint16      // windows: transaction id
	wdate windowsDate // windows: date fields while the date order is unknown
	wamb  bool        // windows: Time not yet computed (ambiguous date)
}

// heldQueue is a FIFO of held events addressed by absolute ids (the first
// event ever pushed has id 0), so that ids stay valid across pushes.
type heldQueue struct {
	q    []heldEvent
	head int
	off  int64 // id of q[head]
}

func (h *heldQueue) len() int { return len(h.q) - h.head }

// at returns the held event with the given id, or nil once it has left.
func (h *heldQueue) at(id int64) *heldEvent {
	i := id - h.off
	if id < 0 || i < 0 || i >= int64(h.len()) {
		return nil
	}
	return &h.q[h.head+int(i)]
}

// push appends a zero event and returns it with its id.
func (h *heldQueue) push() (*heldEvent, int64) {
	if h.head > 32 && h.head*2 >= len(h.q) {
		n := copy(h.q, h.q[h.head:])
		clear(h.q[n:])
		h.q = h.q[:n]
		h.head = 0
	}
	h.q = append(h.q, heldEvent{serial: -1})
	return &h.q[len(h.q)-1], h.off + int64(h.len()) - 1
}

func (h *heldQueue) front() *heldEvent { return &h.q[h.head] }

// popFront moves the head event into ev.
func (h *heldQueue) popFront(ev *Event) {
	*ev = h.q[h.head].ev
	h.q[h.head] = heldEvent{}
	h.head++
	h.off++
	if h.head == len(h.q) {
		h.q = h.q[:0]
		h.head = 0
	}
}

type dnsmasqDecoder struct {
	c     *decodeConfig
	yt    yearTracker
	held  heldQueue
	lines int64
	last  int64     // id of the event the previous line completed; -1 none
	now   time.Time // latest stamp seen
}

func newDnsmasqDecoder(c *decodeConfig) *dnsmasqDecoder {
	return &dnsmasqDecoder{c: c, yt: newYearTracker(c), last: -1}
}

// dnsmasqMsg is an answer line: "SOURCE NAME is VALUE".
type dnsmasqMsg struct {
	t      time.Time
	serial int64
	fill   bool   // SOURCE completes queries (reply, cached, …)
	name   string // normalised subject name
	value  []byte
}

func (d *dnsmasqDecoder) decode(line []byte, ev *Event) (bool, error) {
	d.lines++
	pos := ev.Pos
	m := dnsmasqMsg{serial: -1}
	k, err := d.parse(line, ev, &m)
	if err != nil {
		return false, err
	}
	if m.t.After(d.now) {
		d.now = m.t
	}
	switch {
	case k == lineEvent:
		if d.now.IsZero() || ev.Time.After(d.now) {
			d.now = ev.Time
		}
		h, _ := d.held.push()
		h.ev = *ev
		h.ev.Pos = pos
		h.seq = d.lines
		h.serial = m.serial
		d.last = -1
	case m.fill:
		d.annotate(&m)
	default:
		d.last = -1
	}
	return false, nil
}

func (d *dnsmasqDecoder) pop(ev *Event, eof bool) bool {
	if d.held.len() == 0 {
		return false
	}
	h := d.held.front()
	if eof || h.done && d.last != d.held.off || d.lines-h.seq >= dnsmasqHoldLines || d.now.Sub(h.ev.Time) > dnsmasqHoldTime {
		d.held.popFront(ev)
		return true
	}
	return false
}

// annotate applies an answer line to the held query it belongs to.
func (d *dnsmasqDecoder) annotate(m *dnsmasqMsg) {
	implied := dnsmasqImplied(m.value)
	var h *heldEvent
	id := int64(-1)
	if m.serial >= 0 {
		for i := int64(d.held.len()) - 1; i >= 0; i-- {
			if c := d.held.at(d.held.off + i); c.serial == m.serial {
				h, id = c, d.held.off+i
				break
			}
		}
	} else {
		if c := d.held.at(d.last); c != nil && (c.cnameOpen || c.subject == m.name && dnsmasqCompatible(c.ev.Type, implied)) {
			h, id = c, d.last
		}
		for i := 0; h == nil && i < d.held.len(); i++ {
			c := d.held.at(d.held.off + int64(i))
			if c.serial < 0 && c.ev.RCode == RCodeUnknown && c.ev.Name == m.name && dnsmasqCompatible(c.ev.Type, implied) {
				h, id = c, d.held.off+int64(i)
			}
		}
	}
	d.last = id
	if h == nil {
		return
	}
	if h.cnameOpen && m.name != h.subject {
		h.ev.Answers[len(h.ev.Answers)-1].Data = m.name
		h.cnameOpen = false
	}
	h.subject = m.name
	v := m.value
	var a Answer
	switch {
	case bytes.HasPrefix(v, []byte("NXDOMAIN")):
		d.setRCode(h, RCodeNXDomain)
	case bytes.HasPrefix(v, []byte("NODATA")):
		d.setRCode(h, RCodeNoError)
	case len(v) > 2 && v[0] == '<' && v[len(v)-1] == '>':
		t, ok := bindTypeOf(v[1 : len(v)-1])
		if !ok {
			return
		}
		a.Type = t
		h.cnameOpen = t == TypeCNAME
	default:
		if rc, ok := rcodeByName[string(v)]; ok {
			d.setRCode(h, rc)
			return
		}
		if addr, ok := bytesAddr(v); ok {
			a.Data = d.c.intern(v)
			a.Type = TypeA
			if addr.Is6() && !addr.Is4In6() {
				a.Type = TypeAAAA
			}
		} else if bytes.IndexByte(v, '.') > 0 {
			n, _, ok := normalizeName(v, d.c.intern)
			if !ok {
				return
			}
			a.Data = n
			if h.ev.Type == TypePTR {
				a.Type = TypePTR
			}
		} else {
			return // "duplicate", "truncated", …: nothing to learn
		}
	}
	if h.ev.RCode == RCodeUnknown {
		h.ev.RCode = RCodeNoError
	}
	h.done = true
	if (a.Type != 0 || a.Data != "") && len(h.ev.Answers) < maxBINDAnswers {
		h.ev.Answers = append(h.ev.Answers, a)
	}
}

func (d *dnsmasqDecoder) setRCode(h *heldEvent, rc RCode) {
	if h.ev.RCode == RCodeUnknown || h.ev.RCode == RCodeNoError && len(h.ev.Answers) == 0 {
		h.ev.RCode = rc
	}
	h.done = true
}

// dnsmasqImplied returns the query type an answer value implies (A for an
// IPv4 address, AAAA for IPv6, the type of "<TYPE>"), or 0.
func dnsmasqImplied(v []byte) Type {
	switch {
	case bytes.HasSuffix(v, []byte("-IPv4")):
		return TypeA
	case bytes.HasSuffix(v, []byte("-IPv6")):
		return TypeAAAA
	case len(v) > 2 && v[0] == '<':
		t, _ := bindTypeOf(v[1 : len(v)-1])
		return t
	}
	if a, ok := bytesAddr(v); ok {
		if a.Is4() || a.Is4In6() {
			return TypeA
		}
		return TypeAAAA
	}
	return 0
}

func dnsmasqCompatible(q, implied Type) bool {
	return implied == 0 || implied == TypeCNAME || q == implied || q == TypeANY
}

// parse decodes a query line into ev (lineEvent) or an answer line into
// m (lineKnown with m.fill set).
func (d *dnsmasqDecoder) parse(line []byte, ev *Event, m *dnsmasqMsg) (int, error) {
	p := bindPRI(line)
	var st bindStamp
	found := false
	if m, app, ok := bindRFC5424(line, p, d.c.loc, &st); ok {
		if !dnsmasqIsProg(app) {
			return lineOther, nil
		}
		p, found = m, true
	} else if t, n, ok := parseSyslogStamp(line[p:], &d.yt, d.c.loc); ok {
		st.offer(t, false, bindFrac(line[p:p+n]))
		p += n
	} else if s, e := bindField(line, p); e-s >= 19 && bindISO(line[s:e], d.c.loc, &st) {
		p = e
	}
	for i := 0; i < 5 && !found; i++ {
		s, e := bindField(line, p)
		if s == e {
			return lineOther, nil
		}
		found = dnsmasqIsTag(line[s:e])
		p = e
	}
	if !found {
		return lineOther, nil
	}
	m.t = st.t
	s, e := bindField(line, p)
	if s == e {
		return lineKnown, nil
	}
	// log-queries=extra: "SERIAL [ADDR/PORT] "
	var xaddr []byte
	if n, ok := digits(line[s:e]); ok && e-s <= 10 {
		m.serial = int64(n)
		s, e = bindField(line, e)
		if i := bytes.IndexByte(line[s:e], '/'); i > 0 && line[s] != '/' {
			xaddr = line[s:e]
			s, e = bindField(line, e)
		}
	}
	src := line[s:e]
	if bytes.HasPrefix(src, []byte("query[")) {
		return d.query(line, s, e, xaddr, &st, ev)
	}
	// "SOURCE… NAME is VALUE": find the first "is" after at least two
	// fields.
	var prevS, prevE int
	for f := 0; f < 6; f++ {
		ns, ne := bindField(line, e)
		if ns == ne {
			return lineKnown, nil
		}
		if f >= 1 && string(line[ns:ne]) == "is" {
			vs, ve := bindField(line, ne)
			if vs == ve {
				return lineKnown, nil
			}
			srcEnd := prevS
			m.fill = dnsmasqFills(bytes.TrimRight(line[s:srcEnd], " \t"))
			if !m.fill {
				return lineKnown, nil
			}
			name, _, ok := normalizeName(line[prevS:prevE], d.c.intern)
			if !ok {
				m.fill = false
				return lineKnown, nil
			}
			m.name = name
			m.value = line[vs:ve]
			return lineKnown, nil
		}
		prevS, prevE = ns, ne
		e = ne
	}
	return lineKnown, nil
}

// query parses "query[TYPE] NAME from CLIENT" whose first field is
// line[s:e].
func (d *dnsmasqDecoder) query(line []byte, s, e int, xaddr []byte, st *bindStamp, ev *Event) (int, error) {
	tok := line[s:e]
	if tok[len(tok)-1] != ']' {
		return lineKnown, badField(s, ErrType, quoteField(tok))
	}
	tb := tok[len("query[") : len(tok)-1]
	if bytes.HasPrefix(tb, []byte("type=")) {
		tb = tb[len("type="):]
	}
	ty, ok := bindTypeOf(tb)
	if !ok {
		return lineKnown, badField(s+len("query["), ErrType, quoteField(tb))
	}
	if !st.ok {
		return lineKnown, badField(0, ErrTime, "query line without a timestamp")
	}
	ns, ne := bindField(line, e)
	name, raw, ok := normalizeName(line[ns:ne], d.c.intern)
	if !ok {
		return lineKnown, badField(ns, ErrName, quoteField(line[ns:ne]))
	}
	fs, fe := bindField(line, ne)
	if string(line[fs:fe]) != "from" {
		return lineKnown, badField(fs, ErrField, "want \"from\", have "+quoteField(line[fs:fe]))
	}
	cs, ce := bindField(line, fe)
	addr, ok := bytesAddr(line[cs:ce])
	if !ok {
		return lineKnown, badField(cs, ErrAddr, quoteField(line[cs:ce]))
	}
	ev.Time = st.t
	ev.Client = addr.Unmap()
	ev.Name, ev.RawName = name, raw
	ev.Type = ty
	if i := bytes.LastIndexByte(xaddr, '/'); i > 0 {
		if a, ok := bytesAddr(xaddr[:i]); ok && a.Unmap() == ev.Client {
			if port, ok := bytesPort(xaddr[i+1:]); ok {
				ev.ClientPort = port
			}
		}
	}
	return lineEvent, nil
}

// dnsmasqIsTag reports whether tok is a dnsmasq or Pi-hole syslog tag:
// "dnsmasq[536]:", "dnsmasq:", "pihole-FTL[12]:".
func dnsmasqIsTag(tok []byte) bool {
	if len(tok) < 2 || tok[len(tok)-1] != ':' {
		return false
	}
	prog := tok[:len(tok)-1]
	if i := bytes.IndexByte(prog, '['); i >= 0 {
		if prog[len(prog)-1] != ']' {
			return false
		}
		prog = prog[:i]
	}
	return dnsmasqIsProg(prog)
}

// dnsmasqIsProg reports whether prog names dnsmasq or Pi-hole's FTL.
func dnsmasqIsProg(prog []byte) bool {
	return string(prog) == "dnsmasq" || string(prog) == "pihole-FTL" || string(prog) == "pihole"
}

// dnsmasqFills reports whether an answer line's source completes a query.
func dnsmasqFills(src []byte) bool {
	switch string(src) {
	case "reply", "cached", "cached-stale", "config", "special domain":
		return true
	}
	return len(src) > 1 && src[0] == '/' ||
		bytes.HasSuffix(src, []byte("blocked")) || bytes.HasSuffix(src, []byte("blacklisted")) ||
		bytes.HasSuffix(src, []byte("denied"))
}

// sniffDnsmasq scores lines by how many are dnsmasq lines.
func sniffDnsmasq(lines [][]byte) int {
	d := newDnsmasqDecoder(&decodeConfig{loc: time.UTC, year: 2000, intern: func(b []byte) string { return string(b) }})
	var ev Event
	return sniffScore(lines, func(l []byte) (int, error) {
		ev = Event{}
		m := dnsmasqMsg{serial: -1}
		return d.parse(l, &ev, &m)
	})
}
