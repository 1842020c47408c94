package dnslog

import (
	"bytes"
	"encoding/base64"
)

// AdGuard Home querylog.json: one JSON object per line,
//
//	{"IP":"192.0.2.7","T":"2024-05-01T10:00:00.123456+02:00","QH":"example.com","QT":"A","QC":"IN","CP":"","Answer":"<base64>","Result":{…},"Elapsed":837429,"Upstream":"…"}
//
// T (RFC 3339) is the time, IP the client, QH the name, QT and QC the type
// and class. Answer, when present, is the response in DNS wire format
// (base64): it gives RCode (from the header) and Answers (A, AAAA, CNAME,
// NS, PTR, MX, TXT data with TTLs; other types in RFC 3597 form). CP, the
// client protocol, must be one AdGuard Home writes ("", "doh", "dot",
// "doq", "dnscrypt"). Result, Elapsed, Upstream and the other members are
// not used: Upstream is where AdGuard Home forwarded the query, not the
// server that received it, so Server stays unset. A line whose Answer
// does not decode is an error (the column points at the Answer value).

func init() {
	register(formatSpec{
		name:     FormatAdGuard,
		sniff:    sniffAdGuard,
		newLine:  func(c *decodeConfig) lineDecoder { return &adguardDecoder{c: c} },
		parallel: true,
	})
}

type adguardDecoder struct {
	c    *decodeConfig
	sbuf []byte // unescaped string scratch
	wire []byte // decoded Answer
	w    wireDecoder
	resp Event // the decoded Answer message, before its RCode and Answers are copied
}

func (d *adguardDecoder) str(raw []byte, off int, cause error, what string) ([]byte, error) {
	s, ok := jsonStringValue(raw, &d.sbuf)
	if !ok {
		return nil, badField(off, cause, what+" is not a JSON string")
	}
	return s, nil
}

func (d *adguardDecoder) decode(line []byte, ev *Event) (bool, error) {
	o, ok := openJSONObject(line)
	if !ok {
		return false, badField(0, ErrField, "not a JSON object")
	}
	var answer []byte
	answerOff := 0
	seen := 0
	for {
		k, v, off, ok := o.next()
		if !ok {
			break
		}
		switch string(k) {
		case "T":
			seen |= 1
			s, err := d.str(v, off, ErrTime, "T")
			if err != nil {
				return false, err
			}
			t, ok := parseRFC3339(s, d.c.loc)
			if !ok {
				return false, badField(off, ErrTime, quoteField(s))
			}
			ev.Time = t
		case "QH":
			seen |= 2
			s, err := d.str(v, off, ErrName, "QH")
			if err != nil {
				return false, err
			}
			name, raw, ok := normalizeDotted(s, d.c.intern)
			if !ok {
				return false, badField(off, ErrName, quoteField(s))
			}
			ev.Name, ev.RawName = name, raw
		case "QT":
			s, err := d.str(v, off, ErrType, "QT")
			if err != nil {
				return false, err
			}
			typ, ok := ParseType(string(s))
			if !ok {
				return false, badField(off, ErrType, quoteField(s))
			}
			ev.Type = typ
		case "QC":
			s, err := d.str(v, off, ErrType, "QC")
			if err != nil {
				return false, err
			}
			class, ok := ParseClass(string(s))
			if !ok {
				return false, badField(off, ErrType, quoteField(s))
			}
			ev.Class = class
		case "IP":
			seen |= 4
			s, err := d.str(v, off, ErrAddr, "IP")
			if err != nil {
				return false, err
			}
			a, ok := bytesAddr(s)
			if !ok {
				return false, badField(off, ErrAddr, quoteField(s))
			}
			ev.Client = a.Unmap()
		case "CP":
			s, err := d.str(v, off, ErrField, "CP")
			if err != nil {
				return false, err
			}
			switch string(s) {
			case "", "doh", "dot", "doq", "dnscrypt":
			default:
				return false, badField(off, ErrField, "client protocol "+quoteField(s))
			}
		case "Answer":
			if string(v) != "null" {
				answer, answerOff = v, off
			}
		}
	}
	if o.err != nil {
		return false, o.err
	}
	switch {
	case seen&1 == 0:
		return false, badField(0, ErrTime, "no \"T\" member")
	case seen&2 == 0:
		return false, badField(0, ErrName, "no \"QH\" member")
	case seen&4 == 0:
		return false, badField(0, ErrAddr, "no \"IP\" member")
	}
	if answer != nil {
		if len(answer) < 2 || answer[0] != '"' || bytes.IndexByte(answer, '\\') >= 0 {
			return false, badField(answerOff, ErrField, "Answer is not a base64 string")
		}
		b64 := answer[1 : len(answer)-1]
		if len(b64) > 0 {
			n := base64.StdEncoding.DecodedLen(len(b64))
			if cap(d.wire) < n {
				d.wire = make([]byte, n)
			}
			m, err := base64.StdEncoding.Decode(d.wire[:n], b64)
			if err != nil {
				return false, badField(answerOff, ErrField, "Answer: "+err.Error())
			}
			d.resp = Event{RCode: RCodeUnknown}
			if err := d.w.decode(d.wire[:m], d.c.intern, &d.resp, true); err != nil {
				return false, badField(answerOff, ErrField, "Answer: "+err.Error())
			}
			ev.RCode, ev.Answers = d.resp.RCode, d.resp.Answers
		}
	}
	return true, nil
}

// sniffAdGuard counts JSON-object lines with the "T", "QH" and "IP"
// members of a query-log entry.
func sniffAdGuard(lines [][]byte) int {
	matched := 0
	for _, l := range lines {
		o, ok := openJSONObject(l)
		if !ok {
			continue
		}
		seen := 0
		for {
			k, _, _, ok := o.next()
			if !ok {
				break
			}
			switch string(k) {
			case "T":
				seen |= 1
			case "QH":
				seen |= 2
			case "IP":
				seen |= 4
			}
		}
		if o.err == nil && seen == 7 {
			matched++
		}
	}
	switch {
	case matched == 0:
		return 0
	case matched == len(lines):
		return 90
	}
	return 40 + 40*matched/len(lines)
}
