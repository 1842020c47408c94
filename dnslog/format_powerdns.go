package dnslog

import (
	"bytes"
	"time"
)

// PowerDNS logs, two products in one format:
//
// Recursor structured logging (key="value" pairs, after an optional
// syslog or journald prefix):
//
//	msg="Question" subsystem="syncres" … ts="1720505171.301" proto="udp" qname="example.com" qtype="A" remote="127.0.0.1:58786"
//	msg="Answer" subsystem="syncres" … ts="1720505171.667" … qname="example.com" qtype="A" rcode="0" … remote="127.0.0.1:58786"
//
// A "Question" line is the event; its time is ts (epoch seconds), or the
// line's syslog stamp when ts is absent. An "Answer" line is not an event:
// it completes the oldest held Question from the same remote with the same
// qname and qtype, setting RCode. To do so the decoder holds Questions
// back, in order, until they are answered, until a line more than
// powerdnsWindow later (by log time) arrives, or until more than
// powerdnsMaxHeld are held; a Question released unanswered keeps
// RCodeUnknown, and an Answer matching no held Question is dropped (its
// Question came before the input or was released). Other msg values are
// not events.
//
// Authoritative query logging (log-dns-queries), which always needs the
// syslog, journald or ISO prefix for its time:
//
//	Jul  9 08:06:11 ns1 pdns[812]: Remote 192.0.2.1 wants 'www.example.com|A', do = 0, bufsize = 512: packetcache HIT
//
// gives an event with the remote as Client and the name and type from the
// quoted "name|type"; the class and response code are not logged. Such a
// line without a time is an ErrTime error.

const (
	powerdnsWindow  = 10 * time.Second
	powerdnsMaxHeld = 4096
)

func init() {
	register(formatSpec{
		name:    FormatPowerDNS,
		sniff:   sniffPowerDNS,
		newLine: func(c *decodeConfig) lineDecoder { return newPowerDNSDecoder(c) },
	})
}

type powerdnsHeld struct {
	ev       Event
	answered bool
}

type powerdnsDecoder struct {
	c      *decodeConfig
	years  yearTracker
	line   int64          // the current line number, for the held events' positions
	held   []powerdnsHeld // FIFO; held[head:] are live
	head   int
	latest time.Time // latest log time seen
	buf    []byte
}

func newPowerDNSDecoder(c *decodeConfig) *powerdnsDecoder {
	return &powerdnsDecoder{c: c, years: newYearTracker(c)}
}

// powerdnsPrefix parses a leading time: an ISO stamp token, or a syslog
// stamp. It returns the offset past the stamp (0 when there is none).
func (d *powerdnsDecoder) prefix(line []byte) (time.Time, int, bool) {
	if len(line) >= 19 && line[4] == '-' && line[0] >= '0' && line[0] <= '9' {
		end := bytes.IndexByte(line, ' ')
		if end < 0 {
			end = len(line)
		}
		if t, ok := parseRFC3339(line[:end], d.c.loc); ok {
			return t, end, true
		}
		return time.Time{}, 0, false
	}
	t, n, ok := parseSyslogStamp(line, &d.years, d.c.loc)
	return t, n, ok
}

func (d *powerdnsDecoder) decode(line []byte, ev *Event) (bool, error) {
	// Held events need their own line numbers. Use the Reader's when it
	// sets ev.Pos before decoding; otherwise count decoded lines, which
	// drifts past blank or skipped overlong lines that never reach decode.
	d.line++
	if ev.Pos.Line != 0 {
		d.line = ev.Pos.Line
	}
	if i := bytes.Index(line, []byte(`msg="`)); i >= 0 && (i == 0 || line[i-1] == ' ') {
		return false, d.recursor(line, i, ev)
	}
	if i := bytes.Index(line, []byte("Remote ")); i >= 0 && (i == 0 || line[i-1] == ' ') {
		if w := bytes.Index(line[i+7:], []byte(" wants '")); w > 0 && bytes.IndexByte(line[i+7:i+7+w], ' ') < 0 {
			return false, d.auth(line, i, i+7+w, ev)
		}
	}
	return false, nil
}

// auth decodes "Remote ADDR wants 'NAME|TYPE', …" at line[i:]; w is the
// offset of " wants '".
func (d *powerdnsDecoder) auth(line []byte, i, w int, ev *Event) error {
	t, _, ok := d.prefix(line)
	if !ok {
		return badField(0, ErrTime, "no timestamp before \"Remote\"")
	}
	ev.Time = t
	addr, port, portOff, ok := bytesAddrPort(line[i+7:w], true)
	if !ok {
		return badField(i+7+portOff, ErrAddr, quoteField(line[i+7:w]))
	}
	ev.Client, ev.ClientPort = addr.Unmap(), port
	q := w + len(" wants '")
	end := bytes.IndexByte(line[q:], '\'')
	if end < 0 {
		return badField(q, ErrField, "unterminated 'name|type'")
	}
	qt := line[q : q+end]
	bar := bytes.LastIndexByte(qt, '|')
	if bar < 0 {
		return badField(q, ErrField, "expected 'name|type': "+quoteField(qt))
	}
	name, raw, ok := normalizeDotted(qt[:bar], d.c.intern)
	if !ok {
		return badField(q, ErrName, quoteField(qt[:bar]))
	}
	typ, ok := ParseType(string(qt[bar+1:]))
	if !ok {
		return badField(q+bar+1, ErrType, quoteField(qt[bar+1:]))
	}
	ev.Name, ev.RawName, ev.Type = name, raw, typ
	d.hold(ev, true)
	return nil
}

// powerdnsPairs walks key="value" pairs (values may also be bare words).
type powerdnsPairs struct {
	b   []byte
	i   int
	err error
}

func (p *powerdnsPairs) next() (key, val []byte, valOff int, ok bool) {
	b := p.b
	for p.i < len(b) && b[p.i] == ' ' {
		p.i++
	}
	if p.i >= len(b) {
		return nil, nil, 0, false
	}
	eq := bytes.IndexByte(b[p.i:], '=')
	if eq <= 0 || bytes.IndexByte(b[p.i:p.i+eq], ' ') >= 0 {
		p.err = badField(p.i, ErrField, "expected key=\"value\": "+quoteField(b[p.i:]))
		return nil, nil, 0, false
	}
	key = b[p.i : p.i+eq]
	v := p.i + eq + 1
	if v < len(b) && b[v] == '"' {
		j := v + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(b) {
			p.err = badField(v, ErrField, "unterminated quoted value")
			return nil, nil, 0, false
		}
		p.i = j + 1
		return key, b[v+1 : j], v + 1, true
	}
	j := v
	for j < len(b) && b[j] != ' ' {
		j++
	}
	p.i = j
	return key, b[v:j], v, true
}

// unescape removes backslash escapes from a quoted value.
func (d *powerdnsDecoder) unescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 {
		return v
	}
	out := d.buf[:0]
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		out = append(out, v[i])
	}
	d.buf = out
	return out
}

func (d *powerdnsDecoder) recursor(line []byte, start int, ev *Event) error {
	p := powerdnsPairs{b: line, i: start}
	var msg, ts, qname, qtype, remote, rcode []byte
	var tsOff, qnameOff, qtypeOff, remoteOff, rcodeOff int
	for {
		k, v, off, ok := p.next()
		if !ok {
			break
		}
		switch string(k) {
		case "msg":
			msg = v
		case "ts":
			ts, tsOff = v, off
		case "qname":
			qname, qnameOff = v, off
		case "qtype":
			qtype, qtypeOff = v, off
		case "remote":
			remote, remoteOff = v, off
		case "rcode":
			rcode, rcodeOff = v, off
		}
	}
	if p.err != nil {
		return p.err
	}
	isQ := string(msg) == "Question"
	if !isQ && string(msg) != "Answer" {
		return nil
	}
	switch {
	case ts != nil:
		t, ok := parseEpoch(ts)
		if !ok {
			return badField(tsOff, ErrTime, quoteField(ts))
		}
		ev.Time = t
	default:
		t, _, ok := d.prefix(line)
		if !ok {
			return badField(start, ErrTime, "no ts and no stamp before msg")
		}
		ev.Time = t
	}
	if qname == nil {
		return badField(len(line), ErrName, "no qname")
	}
	name, raw, ok := normalizeDotted(d.unescape(qname), d.c.intern)
	if !ok {
		return badField(qnameOff, ErrName, quoteField(qname))
	}
	ev.Name, ev.RawName = name, raw
	if qtype != nil {
		typ, ok := ParseType(string(qtype))
		if !ok {
			return badField(qtypeOff, ErrType, quoteField(qtype))
		}
		ev.Type = typ
	}
	if remote == nil {
		return badField(len(line), ErrAddr, "no remote")
	}
	addr, port, portOff, ok := bytesAddrPort(remote, true)
	if !ok {
		return badField(remoteOff+portOff, ErrAddr, quoteField(remote))
	}
	ev.Client, ev.ClientPort = addr.Unmap(), port
	if isQ {
		d.hold(ev, false)
		return nil
	}
	if rcode == nil {
		return badField(len(line), ErrField, "Answer without rcode")
	}
	code, ok := ParseRCode(string(rcode))
	if !ok {
		return badField(rcodeOff, ErrField, "rcode "+quoteField(rcode))
	}
	d.note(ev.Time)
	for k := d.head; k < len(d.held); k++ {
		h := &d.held[k]
		if !h.answered && h.ev.Type == ev.Type && h.ev.ClientPort == ev.ClientPort &&
			h.ev.Client == ev.Client && h.ev.Name == ev.Name {
			h.ev.RCode = code
			h.answered = true
			break
		}
	}
	return nil
}

func (d *powerdnsDecoder) note(t time.Time) {
	if t.After(d.latest) {
		d.latest = t
	}
}

// hold queues a decoded event; done marks it complete (nothing to wait
// for).
func (d *powerdnsDecoder) hold(ev *Event, done bool) {
	d.note(ev.Time)
	ev.Pos.Line = d.line
	if d.head > 0 && d.head == len(d.held) {
		d.held, d.head = d.held[:0], 0
	} else if d.head > len(d.held)/2 && d.head > 64 {
		n := copy(d.held, d.held[d.head:])
		clear(d.held[n:])
		d.held, d.head = d.held[:n], 0
	}
	d.held = append(d.held, powerdnsHeld{ev: *ev, answered: done})
}

func (d *powerdnsDecoder) pop(ev *Event, eof bool) bool {
	if d.head >= len(d.held) {
		return false
	}
	h := &d.held[d.head]
	if !(eof || h.answered || len(d.held)-d.head > powerdnsMaxHeld || d.latest.Sub(h.ev.Time) > powerdnsWindow) {
		return false
	}
	*ev = h.ev
	*h = powerdnsHeld{}
	d.head++
	return true
}

// sniffPowerDNS counts Recursor Question/Answer lines and Authoritative
// "Remote … wants '…|…'" lines.
func sniffPowerDNS(lines [][]byte) int {
	matched := 0
	for _, l := range lines {
		if i := bytes.Index(l, []byte(`msg="`)); i >= 0 {
			if bytes.Contains(l, []byte(` qname="`)) && (bytes.Contains(l, []byte(`msg="Question"`)) || bytes.Contains(l, []byte(`msg="Answer"`))) {
				matched++
			}
			continue
		}
		if i := bytes.Index(l, []byte("Remote ")); i >= 0 {
			if w := bytes.Index(l[i:], []byte(" wants '")); w > 0 && bytes.IndexByte(l[i+w+8:], '|') > 0 {
				matched++
			}
		}
	}
	switch {
	case matched == 0:
		return 0
	case matched == len(lines):
		return 85
	}
	return 40 + 40*matched/len(lines)
}
