package dnslog

import (
	"bytes"
	"time"
)

// Windows DNS Server debug logging ("Log packets for debugging"). A packet
// line is
//
//	DATE TIME [AM|PM] THREAD PACKET CONTEXT PROTO DIR ADDR XID [R] OPCODE [FLAGS CHARS RCODE] TYPE NAME
//	8/13/2025 4:02:03 PM 1674 PACKET  0000018CEDDB1140 UDP Rcv 192.168.1.101   7653   Q [0001   D   NOERROR] A      (3)www(8)example(3)com(0)
//
// with the date in the server's locale: month/day/year (en-US), day/month/
// year (en-GB and many others) or year/month/day (zh-CN), separated by
// '/', '.' or '-', and a 12-hour (AM/PM) or 24-hour clock. Names are
// written with label lengths ("(3)www(7)example(3)com(0)") or, in older
// versions, dotted (".www.example.com."). Times are read in
// decodeConfig.loc.
//
// Events: a received standard query that is not a response ("Rcv", no
// "R", opcode "Q") is an event whose Client is the logged address; the
// bracket of a query carries no meaningful rcode. The response the server
// sends back to that address with the same transaction id ("Snd", "R")
// sets the event's RCode when it comes within windowsHoldLines lines;
// otherwise the event keeps RCodeUnknown. Other packets (the server's own
// queries to forwarders and their responses, notifies, updates), the
// file's header block ("DNS Server log file creation at …", "Log file
// wrap at …", the field key), EVENT and Note lines, and the detail lines
// of "details" logging are not events.
//
// Day/month order: Reader.DateOrder forces it. Left at DateOrderAuto, the
// order is learned from the file: a first or second field above 12 settles
// it, and so does the date changing at midnight (the field that advances
// by one is the day). Until it is settled, events with ambiguous dates are
// held (up to windowsOrderLines lines); if nothing settles it by then, or
// by the end of the input, month/day/year is assumed. A later date that
// contradicts the settled or assumed order is an ErrTime error.

// DateOrder is the order of day and month in numeric dates such as
// "05/03/2019".
type DateOrder int

// Day/month orders.
const (
	// DateOrderAuto learns the order from the input.
	DateOrderAuto DateOrder = iota
	// MonthFirst reads "05/03/2019" as May 3 (en-US).
	MonthFirst
	// DayFirst reads "05/03/2019" as 5 March (en-GB and most locales).
	DayFirst
)

const (
	windowsHoldLines  = 256
	windowsOrderLines = 4096
)

func init() {
	register(formatSpec{
		name:    FormatWindows,
		sniff:   sniffWindows,
		newLine: func(c *decodeConfig) lineDecoder { return newWindowsDecoder(c) },
	})
}

// windowsDate is a parsed date and clock before the day/month order is
// applied.
type windowsDate struct {
	p1, p2, year int  // the first two date fields and the year
	ymd          bool // the year came first: p1 is the month
	sod          int  // seconds since midnight
}

type windowsDecoder struct {
	c       *decodeConfig
	order   DateOrder
	assumed bool // order was assumed, not learned
	prev    windowsDate
	hasPrev bool
	held    heldQueue
	lines   int64
}

func newWindowsDecoder(c *decodeConfig) *windowsDecoder {
	return &windowsDecoder{c: c, order: c.dateOrder}
}

// windowsPacket is what a packet line says beyond the Event.
type windowsPacket struct {
	date   windowsDate
	dateAt int // offset of the date for errors
	snd    bool
	resp   bool
	opcode byte
	xid    uint16
	rcode  RCode
}

func (d *windowsDecoder) decode(line []byte, ev *Event) (bool, error) {
	d.lines++
	var w windowsPacket
	k, err := d.parse(line, ev, &w)
	if err != nil || k != lineEvent {
		return false, err
	}
	amb, err := d.settle(&w)
	if err != nil {
		return false, err
	}
	if !amb {
		t, ok := d.stamp(w.date, d.order)
		if !ok {
			return false, badField(w.dateAt, ErrTime, "no such date")
		}
		ev.Time = t
	}
	switch {
	case !w.snd && !w.resp && w.opcode == 'Q':
		h, _ := d.held.push()
		h.ev = *ev
		h.seq = d.lines
		h.xid = w.xid
		h.wdate = w.date
		h.wamb = amb
	case w.snd && w.resp:
		for i := 0; i < d.held.len(); i++ {
			h := d.held.at(d.held.off + int64(i))
			if !h.done && h.xid == w.xid && h.ev.Client == ev.Client {
				h.ev.RCode = w.rcode
				h.done = true
				break
			}
		}
	}
	return false, nil
}

func (d *windowsDecoder) pop(ev *Event, eof bool) bool {
	if d.held.len() == 0 {
		return false
	}
	h := d.held.front()
	if h.wamb {
		if d.order == DateOrderAuto {
			if !eof && d.lines-h.seq < windowsOrderLines {
				return false
			}
			d.order, d.assumed = MonthFirst, true
		}
		h.ev.Time, _ = d.stamp(h.wdate, d.order) // both fields ≤ 12: valid either way
		h.wamb = false
	}
	if eof || h.done || d.lines-h.seq >= windowsHoldLines {
		d.held.popFront(ev)
		return true
	}
	return false
}

// settle learns the day/month order from w when it can and reports
// whether w's date is still ambiguous. It fails when w contradicts the
// order settled earlier.
func (d *windowsDecoder) settle(w *windowsPacket) (bool, error) {
	dt := w.date
	if dt.ymd {
		return false, nil
	}
	defer func() { d.prev, d.hasPrev = dt, true }()
	var evidence DateOrder
	switch {
	case dt.p1 > 12 && dt.p2 > 12:
		return false, badField(w.dateAt, ErrTime, "neither day nor month")
	case dt.p1 > 12:
		evidence = DayFirst
	case dt.p2 > 12:
		evidence = MonthFirst
	case d.hasPrev && !d.prev.ymd && d.prev.year == dt.year && dt.sod < d.prev.sod:
		// Midnight passed: the field that moved on by one is the day.
		switch {
		case dt.p1 == d.prev.p1+1 && dt.p2 == d.prev.p2:
			evidence = DayFirst
		case dt.p2 == d.prev.p2+1 && dt.p1 == d.prev.p1:
			evidence = MonthFirst
		}
	}
	switch {
	case evidence == DateOrderAuto:
		return d.order == DateOrderAuto, nil
	case d.order == DateOrderAuto:
		d.order = evidence
		return false, nil
	case d.order != evidence && (dt.p1 > 12 || dt.p2 > 12):
		if d.assumed {
			return false, badField(w.dateAt, ErrTime, "date contradicts the assumed month/day/year order; set Reader.DateOrder")
		}
		return false, badField(w.dateAt, ErrTime, "date contradicts the day/month order in use")
	}
	return false, nil
}

// stamp applies the day/month order to dt.
func (d *windowsDecoder) stamp(dt windowsDate, order DateOrder) (time.Time, bool) {
	mon, day := dt.p1, dt.p2
	if !dt.ymd && order == DayFirst {
		mon, day = day, mon
	}
	if mon < 1 || mon > 12 || day < 1 || day > daysIn(mon, dt.year) {
		return time.Time{}, false
	}
	return inRange(time.Date(dt.year, time.Month(mon), day, dt.sod/3600, dt.sod/60%60, dt.sod%60, 0, d.c.loc).UTC())
}

// parse decodes a packet line into ev (all but Time) and w. A received
// query, or a sent response, is lineEvent here; decode decides.
func (d *windowsDecoder) parse(line []byte, ev *Event, w *windowsPacket) (int, error) {
	// Find "PACKET" among the first fields; without it the line is a
	// header, EVENT, Note or detail line.
	p, pk := 0, -1
	var f [6][2]int
	nf := 0
	other := false // an EVENT or Note line of the log
	for nf < 6 {
		s, e := bindField(line, p)
		if s == e {
			break
		}
		if string(line[s:e]) == "PACKET" {
			pk = nf
			p = e
			break
		}
		other = other || nf >= 3 && (string(line[s:e]) == "EVENT" || bytes.HasPrefix(line[s:e], []byte("Note")))
		f[nf] = [2]int{s, e}
		nf++
		p = e
	}
	if pk < 3 || pk > 4 {
		if windowsHeaderLine(line) {
			return lineKnown, nil
		}
		if _, ok := windowsParseDate(line[f[0][0]:f[0][1]]); ok && other {
			return lineKnown, nil
		}
		return lineOther, nil
	}
	w.dateAt = f[0][0]
	dt, ok := windowsParseDate(line[f[0][0]:f[0][1]])
	if !ok {
		return lineKnown, badField(f[0][0], ErrTime, quoteField(line[f[0][0]:f[0][1]]))
	}
	clock, ap := f[1], f[2]
	if pk == 4 && windowsMeridiem(line[f[1][0]:f[1][1]]) != 0 {
		clock, ap = f[2], f[1] // "下午 3:51:54"
	}
	sod, ok := windowsParseClock(line[clock[0]:clock[1]])
	if !ok {
		return lineKnown, badField(clock[0], ErrTime, quoteField(line[clock[0]:clock[1]]))
	}
	if pk == 4 {
		h := sod / 3600
		switch m := windowsMeridiem(line[ap[0]:ap[1]]); {
		case m == 0:
			return lineKnown, badField(ap[0], ErrTime, quoteField(line[ap[0]:ap[1]]))
		case h < 1 || h > 12:
			return lineKnown, badField(clock[0], ErrTime, "12-hour clock "+quoteField(line[clock[0]:clock[1]]))
		case m == 'a' && h == 12:
			sod -= 12 * 3600
		case m == 'p' && h != 12:
			sod += 12 * 3600
		}
	}
	dt.sod = sod
	w.date = dt
	// CONTEXT PROTO DIR ADDR XID [R] OPCODE [FLAGS CHARS RCODE] TYPE NAME
	_, e := bindField(line, p) // context
	s, e := bindField(line, e)
	if proto := string(line[s:e]); proto != "UDP" && proto != "TCP" {
		return lineKnown, badField(s, ErrField, "protocol "+quoteField(line[s:e]))
	}
	s, e = bindField(line, e)
	switch string(line[s:e]) {
	case "Snd":
		w.snd = true
	case "Rcv":
	default:
		return lineKnown, badField(s, ErrField, "direction "+quoteField(line[s:e]))
	}
	s, e = bindField(line, e)
	addr, ok := bytesAddr(line[s:e])
	if !ok {
		return lineKnown, badField(s, ErrAddr, quoteField(line[s:e]))
	}
	s, e = bindField(line, e)
	xid, ok := windowsHex(line[s:e])
	if !ok {
		return lineKnown, badField(s, ErrField, "xid "+quoteField(line[s:e]))
	}
	w.xid = xid
	s, e = bindField(line, e)
	if string(line[s:e]) == "R" {
		w.resp = true
		s, e = bindField(line, e)
	}
	if e-s != 1 {
		return lineKnown, badField(s, ErrField, "opcode "+quoteField(line[s:e]))
	}
	w.opcode = line[s]
	s, e = bindField(line, e)
	if e-s < 2 || line[s] != '[' {
		return lineKnown, badField(s, ErrField, "flags "+quoteField(line[s:e]))
	}
	bracket := s
	for i := 0; ; i++ {
		s, e = bindField(line, e)
		if s == e || i > 4 {
			return lineKnown, badField(bracket, ErrField, "unterminated [flags rcode]")
		}
		if line[e-1] == ']' {
			break
		}
	}
	rc, ok := bindRCodeOf(line[s : e-1])
	if !ok {
		return lineKnown, badField(s, ErrField, "rcode "+quoteField(line[s:e-1]))
	}
	w.rcode = rc
	s, e = bindField(line, e)
	ty, ok := bindTypeOf(line[s:e])
	if !ok {
		return lineKnown, badField(s, ErrType, quoteField(line[s:e]))
	}
	s = bindSkipSpace(line, e)
	raw := bytes.TrimRight(line[s:], " \t")
	var buf [256]byte
	nb, ok := windowsName(raw, buf[:0])
	if !ok {
		return lineKnown, badField(s, ErrName, quoteField(raw))
	}
	name, _, ok := normalizeName(nb, d.c.intern)
	if !ok {
		return lineKnown, badField(s, ErrName, quoteField(raw))
	}
	ev.Client = addr.Unmap()
	ev.Name, ev.RawName = name, d.c.intern(raw)
	ev.Type = ty // the class is not logged
	return lineEvent, nil
}

// windowsName converts "(3)www(7)example(3)com(0)" or ".www.example.com."
// to "www.example.com" (the root to "."), appending to buf. When the label
// lengths do not match the text (hand-edited logs), the labels are taken
// as the text between the "(n)" markers instead.
func windowsName(b, buf []byte) ([]byte, bool) {
	if len(b) == 0 {
		return nil, false
	}
	if b[0] != '(' {
		if b[0] == '.' && len(b) > 1 {
			b = b[1:]
		}
		return append(buf, b...), true
	}
	if out, ok := windowsLabels(b, buf); ok {
		return out, true
	}
	return windowsMarkers(b, buf)
}

// windowsMarkers splits "(3)www(7)example(3)com(0)" at its "(n)" markers,
// ignoring the lengths.
func windowsMarkers(b, buf []byte) ([]byte, bool) {
	out := buf
	end := false
	for i := 0; i < len(b); {
		n, j := windowsMarker(b, i)
		if j < 0 {
			return nil, false
		}
		end = n == 0
		k := j
		for k < len(b) {
			if _, m := windowsMarker(b, k); m >= 0 {
				break
			}
			k++
		}
		if n == 0 || k == j {
			if k != len(b) || n != 0 {
				return nil, false
			}
			break
		}
		if len(out) > len(buf) {
			out = append(out, '.')
		}
		out = append(out, b[j:k]...)
		i = k
	}
	if !end {
		return nil, false
	}
	if len(out) == len(buf) {
		out = append(out, '.')
	}
	return out, true
}

// windowsMarker parses a "(n)" label marker at b[i:], returning n and the
// offset after it, or j < 0.
func windowsMarker(b []byte, i int) (n, j int) {
	if i >= len(b) || b[i] != '(' {
		return 0, -1
	}
	e := bytes.IndexByte(b[i:], ')')
	if e < 2 || e > 4 {
		return 0, -1
	}
	n, ok := digits(b[i+1 : i+e])
	if !ok {
		return 0, -1
	}
	return n, i + e + 1
}

// windowsLabels reads "(3)www(7)example(3)com(0)" by its label lengths.
func windowsLabels(b, buf []byte) ([]byte, bool) {
	out := buf
	for i := 0; i < len(b); {
		if b[i] != '(' {
			return nil, false
		}
		j := bytes.IndexByte(b[i:], ')')
		if j < 2 || j > 4 {
			return nil, false
		}
		n, ok := digits(b[i+1 : i+j])
		if !ok {
			return nil, false
		}
		i += j + 1
		if n == 0 {
			if i != len(b) {
				return nil, false
			}
			break
		}
		if n > 63 || i+n > len(b) {
			return nil, false
		}
		if len(out) > len(buf) {
			out = append(out, '.')
		}
		out = append(out, b[i:i+n]...)
		i += n
	}
	if len(out) == len(buf) {
		out = append(out, '.')
	}
	return out, true
}

// windowsParseDate parses "8/13/2025", "05.03.2019" or "2024/12/2".
func windowsParseDate(b []byte) (windowsDate, bool) {
	var part [3][]byte
	n, start := 0, 0
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == '/' || b[i] == '.' || b[i] == '-' {
			if n == 3 {
				return windowsDate{}, false
			}
			part[n] = b[start:i]
			n++
			start = i + 1
		}
	}
	if n != 3 {
		return windowsDate{}, false
	}
	var v [3]int
	for i, p := range part {
		x, ok := digits(p)
		if !ok || len(p) > 4 {
			return windowsDate{}, false
		}
		v[i] = x
	}
	var dt windowsDate
	switch {
	case len(part[0]) == 4 && len(part[1]) <= 2 && len(part[2]) <= 2:
		dt = windowsDate{p1: v[1], p2: v[2], year: v[0], ymd: true}
		if dt.p1 < 1 || dt.p1 > 12 || dt.p2 < 1 || dt.p2 > daysIn(dt.p1, dt.year) {
			return windowsDate{}, false
		}
		return dt, true
	case len(part[2]) == 4 && len(part[0]) <= 2 && len(part[1]) <= 2:
		dt = windowsDate{p1: v[0], p2: v[1], year: v[2]}
	case len(part[2]) == 2 && len(part[0]) <= 2 && len(part[1]) <= 2:
		dt = windowsDate{p1: v[0], p2: v[1], year: 2000 + v[2]}
	default:
		return windowsDate{}, false
	}
	if dt.p1 < 1 || dt.p2 < 1 || dt.p1 > 31 || dt.p2 > 31 || dt.p1 > 12 && dt.p2 > 12 {
		return windowsDate{}, false
	}
	return dt, true
}

// windowsMeridiem returns 'a' for an AM designator ("AM", "a.m.", "上午",
// "午前", "오전"), 'p' for a PM one, 0 otherwise.
func windowsMeridiem(b []byte) byte {
	switch string(b) {
	case "AM", "am", "a.m.", "A.M.", "上午", "午前", "오전":
		return 'a'
	case "PM", "pm", "p.m.", "P.M.", "下午", "午後", "오후":
		return 'p'
	}
	return 0
}

// windowsParseClock parses "4:02:03" or "16:05:31" into seconds since
// midnight.
func windowsParseClock(b []byte) (int, bool) {
	c1 := bytes.IndexByte(b, ':')
	if c1 < 1 || c1 > 2 || len(b) != c1+6 || b[c1+3] != ':' {
		return 0, false
	}
	h, ok1 := digits(b[:c1])
	m, ok2 := digits(b[c1+1 : c1+3])
	s, ok3 := digits(b[c1+4:])
	if !(ok1 && ok2 && ok3) || h > 23 || m > 59 || s > 59 {
		return 0, false
	}
	return h*3600 + m*60 + s, true
}

// windowsHex parses a transaction id of 1 to 4 hex digits.
func windowsHex(b []byte) (uint16, bool) {
	if len(b) == 0 || len(b) > 4 {
		return 0, false
	}
	var v uint16
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint16(c-'0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			v = v<<4 | uint16(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// windowsHeaderSigs start the lines of the header block of a debug log.
var windowsHeaderSigs = [][]byte{
	[]byte("DNS Server log file creation at"),
	[]byte("Log file wrap at"),
	[]byte("Message logging key"),
}

// windowsHeaderLine reports whether line is one of the signature lines of
// the header block, or a line of its field key.
func windowsHeaderLine(line []byte) bool {
	t := bytes.TrimLeft(line, " \t")
	for _, s := range windowsHeaderSigs {
		if bytes.HasPrefix(t, s) {
			return true
		}
	}
	return bytes.HasPrefix(t, []byte("Field #")) || bytes.HasPrefix(t, []byte("-------"))
}

// sniffWindows recognises the header block with certainty and otherwise
// scores packet lines.
func sniffWindows(lines [][]byte) int {
	for _, l := range lines {
		t := bytes.TrimLeft(l, " \t")
		if bytes.HasPrefix(t, windowsHeaderSigs[0]) || bytes.HasPrefix(t, windowsHeaderSigs[2]) {
			return 95
		}
	}
	d := newWindowsDecoder(&decodeConfig{loc: time.UTC, intern: func(b []byte) string { return string(b) }})
	var ev Event
	return sniffScore(lines, func(l []byte) (int, error) {
		ev = Event{}
		var w windowsPacket
		k, err := d.parse(l, &ev, &w)
		if k == lineEvent && !(w.opcode == 'Q' && !w.snd && !w.resp) {
			k = lineKnown
		}
		return k, err
	})
}
