package dnslog

import (
	"bytes"
	"time"
)

// Unbound with log-queries and/or log-replies. After a stamp and the
// program tag, a query line is "CLIENT NAME TYPE CLASS" and a reply line
// "CLIENT NAME TYPE CLASS RCODE SECONDS CACHED SIZE":
//
//	[1691577600] unbound[1234:0] query: 192.168.1.10 example.com. A IN
//	Nov 05 23:30:33 unbound[12636:0] reply: 192.168.1.5 wikipedia.org. A IN NOERROR 0.097209 0 47
//	May 20 16:29:19 host unbound: [79652:0] info: 192.168.10.8 asset.wsj.net. A IN NOERROR 0.095659 0 134
//	<30>Aug 15 16:19:02 unbound[26931]: [26931:0] info: 192.168.1.1 api.example.org. A IN
//
// Stamps: "[epoch]" (Unbound's own log file), a year-less syslog or
// log-time-ascii stamp (years from a yearTracker, zone from
// decodeConfig.loc), or ISO 8601. Without log-tag-queryreply both kinds
// are tagged "info:" and told apart by their field count. Other lines
// (rpz actions, local-zone actions, statistics, debug output, other
// severities) are not events.
//
// Combining queries and replies: each lookup gives one event. A query
// line is an event, held back until the reply line for the same client,
// name, type and class arrives (that reply then sets its RCode and is not
// an event of its own) or until unboundHoldLines lines or unboundHoldTime
// of log time have passed (then it is released with RCodeUnknown). A reply
// line is an event of its own only while the input has shown no query
// line, which is the case of logs with log-replies but not log-queries;
// once queries are logged, a reply that matches no held query (its query
// was released or logged before the file began) is not an event, so that
// no lookup is counted twice. Events keep the query line's time and come
// out in input order. The reply's elapsed-seconds field is not used to
// move a reply-only event's time back to the query's arrival.

const (
	unboundHoldLines = 1024
	unboundHoldTime  = 30 * time.Second
)

func init() {
	register(formatSpec{
		name:    FormatUnbound,
		sniff:   sniffUnbound,
		newLine: func(c *decodeConfig) lineDecoder { return newUnboundDecoder(c) },
	})
}

type unboundDecoder struct {
	c       *decodeConfig
	yt      yearTracker
	held    heldQueue
	lines   int64
	queries bool      // a query line has been seen
	now     time.Time // latest stamp seen
}

func newUnboundDecoder(c *decodeConfig) *unboundDecoder {
	return &unboundDecoder{c: c, yt: newYearTracker(c)}
}

func (d *unboundDecoder) decode(line []byte, ev *Event) (bool, error) {
	d.lines++
	k, reply, err := d.parse(line, ev)
	if k != lineEvent || err != nil {
		return false, err
	}
	if ev.Time.After(d.now) {
		d.now = ev.Time
	}
	if !reply {
		d.queries = true
		h, _ := d.held.push()
		h.ev = *ev
		h.seq = d.lines
		return false, nil
	}
	for i := 0; i < d.held.len(); i++ {
		h := d.held.at(d.held.off + int64(i))
		if !h.done && h.ev.Name == ev.Name && h.ev.Type == ev.Type && h.ev.Class == ev.Class && h.ev.Client == ev.Client &&
			ev.Time.Sub(h.ev.Time) <= unboundHoldTime {
			h.ev.RCode = ev.RCode
			h.done = true
			return false, nil
		}
	}
	if d.queries {
		return false, nil
	}
	if d.held.len() == 0 {
		return true, nil
	}
	h, _ := d.held.push()
	h.ev = *ev
	h.seq = d.lines
	h.done = true
	return false, nil
}

func (d *unboundDecoder) pop(ev *Event, eof bool) bool {
	if d.held.len() == 0 {
		return false
	}
	h := d.held.front()
	if eof || h.done || d.lines-h.seq >= unboundHoldLines || d.now.Sub(h.ev.Time) > unboundHoldTime {
		d.held.popFront(ev)
		return true
	}
	return false
}

// parse decodes a query or reply line into ev; reply reports a reply.
func (d *unboundDecoder) parse(line []byte, ev *Event) (kind int, reply bool, err error) {
	p := bindPRI(line)
	var st bindStamp
	found := false
	if m, app, ok := bindRFC5424(line, p, d.c.loc, &st); ok {
		if string(app) != "unbound" {
			return lineOther, false, nil
		}
		p, found = m, true
	} else if p < len(line) && line[p] == '[' {
		if i := bytes.IndexByte(line[p:], ']'); i > 1 {
			if t, ok := parseEpoch(line[p+1 : p+i]); ok {
				st.offer(t, true, bindFrac(line[p+1:p+i]))
				p += i + 1
			}
		}
	} else if t, n, ok := parseSyslogStamp(line[p:], &d.yt, d.c.loc); ok {
		st.offer(t, false, bindFrac(line[p:p+n]))
		p += n
	} else if s, e := bindField(line, p); e-s >= 19 && bindISO(line[s:e], d.c.loc, &st) {
		p = e
	}
	for i := 0; i < 4 && !found; i++ {
		s, e := bindField(line, p)
		if s == e {
			return lineOther, false, nil
		}
		found = unboundIsTag(line[s:e])
		p = e
	}
	if !found {
		return lineOther, false, nil
	}
	s, e := bindField(line, p)
	if e-s > 2 && line[s] == '[' && line[e-1] == ']' { // "[pid:thread]"
		s, e = bindField(line, e)
	}
	kindTok := line[s:e]
	strict := string(kindTok) == "query:" || string(kindTok) == "reply:"
	if !strict && string(kindTok) != "info:" {
		return lineKnown, false, nil
	}
	// CLIENT
	cs, ce := bindField(line, e)
	ctok := line[cs:ce]
	var port uint16
	portOK := true
	if i := bytes.LastIndexByte(ctok, '@'); i > 0 {
		port, portOK = bytesPort(ctok[i+1:])
		ctok = ctok[:i]
	}
	addr, ok := bytesAddr(ctok)
	if !ok || !portOK {
		if strict {
			return lineKnown, false, badField(cs, ErrAddr, quoteField(line[cs:ce]))
		}
		return lineKnown, false, nil
	}
	ns, ne := bindField(line, ce)
	if !strict && (ne == ns || line[ne-1] != '.') {
		return lineKnown, false, nil // an info line that is not a query
	}
	name, raw, ok := normalizeName(line[ns:ne], d.c.intern)
	if !ok {
		if strict {
			return lineKnown, false, badField(ns, ErrName, quoteField(line[ns:ne]))
		}
		return lineKnown, false, nil
	}
	ts, te := bindField(line, ne)
	ty, ok := bindTypeOf(line[ts:te])
	if !ok {
		if strict {
			return lineKnown, false, badField(ts, ErrType, quoteField(line[ts:te]))
		}
		return lineKnown, false, nil
	}
	ks, ke := bindField(line, te)
	cl, ok := bindClassOf(line[ks:ke])
	if !ok {
		if strict {
			return lineKnown, false, badField(ks, ErrType, "class "+quoteField(line[ks:ke]))
		}
		return lineKnown, false, nil
	}
	rs, re := bindField(line, ke)
	rc := RCodeUnknown
	if rs < re {
		if string(kindTok) == "query:" {
			return lineKnown, false, badField(rs, ErrField, "extra field "+quoteField(line[rs:re]))
		}
		rc, ok = bindRCodeOf(line[rs:re])
		if !ok {
			if strict {
				return lineKnown, false, badField(rs, ErrField, "rcode "+quoteField(line[rs:re]))
			}
			return lineKnown, false, nil
		}
		reply = true
	} else if string(kindTok) == "reply:" {
		return lineKnown, false, badField(re, ErrField, "reply line without an rcode")
	}
	if !st.ok {
		return lineKnown, false, badField(0, ErrTime, "query line without a timestamp")
	}
	ev.Time = st.t
	ev.Client = addr.Unmap()
	ev.ClientPort = port
	ev.Name, ev.RawName = name, raw
	ev.Type, ev.Class = ty, cl
	ev.RCode = rc
	return lineEvent, reply, nil
}

// unboundIsTag reports whether tok is Unbound's program tag:
// "unbound[1234:0]", "unbound:", "unbound[26931]:".
func unboundIsTag(tok []byte) bool {
	if !bytes.HasPrefix(tok, []byte("unbound")) {
		return false
	}
	rest := tok[len("unbound"):]
	if len(rest) > 0 && rest[len(rest)-1] == ':' {
		rest = rest[:len(rest)-1]
	}
	return len(rest) == 0 || len(rest) > 2 && rest[0] == '[' && rest[len(rest)-1] == ']'
}

// sniffUnbound scores lines by how many are Unbound query or reply lines.
func sniffUnbound(lines [][]byte) int {
	d := newUnboundDecoder(&decodeConfig{loc: time.UTC, year: 2000, intern: func(b []byte) string { return string(b) }})
	var ev Event
	return sniffScore(lines, func(l []byte) (int, error) {
		ev = Event{}
		k, _, err := d.parse(l, &ev)
		return k, err
	})
}
