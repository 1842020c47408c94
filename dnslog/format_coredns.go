package dnslog

import (
	"bytes"
	"time"
)

// CoreDNS log plugin lines, in its common format
//
//	[INFO] 10.0.0.1:35000 - 1234 "A IN example.org. udp 51 false 512" NOERROR qr,aa,rd 106 0.000143s
//
// and its combined format (the same followed by the quoted opcode, "0").
// A line may start with an RFC 3339 stamp (older CoreDNS releases print
// one); the remote may be an IPv6 address in brackets. Lines may also be
// wrapped by a container runtime as JSON, {"log":"…","stream":…,"time":"…"}
// (Docker, Kubernetes) or {"message":"…","time":…}; the wrapper's time
// (RFC 3339 string or epoch seconds) is used when the line has no stamp
// of its own. A query line with no time anywhere is an ErrTime error:
// current CoreDNS prints none, so bare lines need a wrapper or a log
// shipper that adds one.
//
// Lines of other levels ([ERROR], [WARNING]), plugin messages such as
// "[INFO] plugin/reload: …" and the start-up banner are not events. The
// server address is not logged; Answers are not logged.

func init() {
	register(formatSpec{
		name:     FormatCoreDNS,
		sniff:    sniffCoreDNS,
		newLine:  func(c *decodeConfig) lineDecoder { return &corednsDecoder{c: c} },
		parallel: true,
	})
}

type corednsDecoder struct {
	c   *decodeConfig
	buf []byte // unescaped JSON message
}

// corednsUnwrap returns the log text of a line: the line itself, or the
// "log"/"message" member of a JSON wrapper with the wrapper's time. base
// is the offset of the text in the line (columns inside escaped JSON text
// are approximate). A JSON line without such a member gives an error.
func (d *corednsDecoder) unwrap(line []byte) (text []byte, base int, wt time.Time, hasWT bool, err error) {
	o, isJSON := openJSONObject(line)
	if !isJSON {
		return line, 0, time.Time{}, false, nil
	}
	var msgRaw, timeRaw []byte
	msgOff, timeOff := 0, 0
	for {
		k, v, off, ok := o.next()
		if !ok {
			break
		}
		switch string(k) {
		case "log", "message", "msg":
			if msgRaw == nil {
				msgRaw, msgOff = v, off
			}
		case "time", "timestamp", "@timestamp", "ts":
			if timeRaw == nil {
				timeRaw, timeOff = v, off
			}
		}
	}
	if o.err != nil {
		return nil, 0, time.Time{}, false, o.err
	}
	if msgRaw == nil {
		return nil, 0, time.Time{}, false, badField(0, ErrField, "JSON line without a \"log\" or \"message\" member")
	}
	text, ok := jsonStringValue(msgRaw, &d.buf)
	if !ok {
		return nil, 0, time.Time{}, false, badField(msgOff, ErrField, "log message is not a JSON string")
	}
	text = bytes.TrimRight(text, " \t\r\n")
	if timeRaw != nil {
		if timeRaw[0] == '"' {
			// Stamps do not contain escapes; decode without the scratch
			// buffer that holds the message.
			s := timeRaw[1 : len(timeRaw)-1]
			wt, hasWT = parseRFC3339(s, d.c.loc)
		} else {
			wt, hasWT = parseEpoch(timeRaw)
		}
		if !hasWT {
			return nil, 0, time.Time{}, false, badField(timeOff, ErrTime, quoteField(timeRaw))
		}
	}
	return text, msgOff + 1, wt, hasWT, nil
}

func (d *corednsDecoder) decode(line []byte, ev *Event) (bool, error) {
	text, base, wt, hasWT, err := d.unwrap(line)
	if err != nil {
		return false, err
	}
	return d.decodeText(text, base, wt, hasWT, ev)
}

// corednsParts are the pieces of a query line; stamp is the leading
// RFC 3339 token, if any.
type corednsParts struct {
	stamp, remote []byte
	remoteOff     int
	quoted        []byte // inside the quotes
	quotedOff     int
	rest          []byte // after the closing quote and its space
	restOff       int
}

// corednsSplit locates the parts of a query line in text. It reports
// false when the text is not a query line (another level, a plugin
// message, the banner).
func corednsSplit(text []byte) (p corednsParts, isQuery bool) {
	i := 0
	if len(text) > 10 && text[0] >= '0' && text[0] <= '9' && text[4] == '-' {
		sp := bytes.IndexByte(text, ' ')
		if sp < 0 {
			return p, false
		}
		p.stamp = text[:sp]
		i = sp + 1
	}
	// Optional level tag: "[INFO] ". An IPv6 remote also starts with '['
	// but continues with a hex digit or a colon.
	if i+2 < len(text) && text[i] == '[' && text[i+1] >= 'A' && text[i+1] <= 'Z' {
		end := bytes.IndexByte(text[i:], ']')
		if end < 0 || string(text[i+1:i+end]) != "INFO" {
			return p, false
		}
		i += end + 1
		if i >= len(text) || text[i] != ' ' {
			return p, false
		}
		i++
	}
	// remote - id "…"
	sp := bytes.IndexByte(text[i:], ' ')
	if sp <= 0 {
		return p, false
	}
	p.remote, p.remoteOff = text[i:i+sp], i
	i += sp
	if !bytes.HasPrefix(text[i:], []byte(" - ")) {
		return p, false
	}
	i += 3
	j := i
	for j < len(text) && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	if j == i || !bytes.HasPrefix(text[j:], []byte(` "`)) {
		return p, false
	}
	i = j + 2
	end := i
	for end < len(text) && text[end] != '"' {
		if text[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(text) {
		// An unterminated question is still recognisably a query line.
		p.quoted, p.quotedOff = text[i:], i
		p.restOff = len(text)
		return p, true
	}
	p.quoted, p.quotedOff = text[i:end], i
	p.restOff = end + 1
	if p.restOff < len(text) && text[p.restOff] == ' ' {
		p.restOff++
	}
	p.rest = text[p.restOff:]
	return p, true
}

func (d *corednsDecoder) decodeText(text []byte, base int, wt time.Time, hasWT bool, ev *Event) (bool, error) {
	p, isQuery := corednsSplit(text)
	if !isQuery {
		return false, nil
	}
	switch {
	case p.stamp != nil:
		t, ok := parseRFC3339(p.stamp, d.c.loc)
		if !ok {
			return false, badField(base, ErrTime, quoteField(p.stamp))
		}
		ev.Time = t
	case hasWT:
		ev.Time = wt
	default:
		return false, badField(base, ErrTime, "no timestamp in the line or its wrapper")
	}
	addr, port, portOff, ok := bytesAddrPort(p.remote, false)
	if !ok {
		return false, badField(base+p.remoteOff+portOff, ErrAddr, quoteField(p.remote))
	}
	ev.Client, ev.ClientPort = addr.Unmap(), port

	// "TYPE CLASS NAME PROTO SIZE DO BUFSIZE": the name is whatever lies
	// between the class and the last four fields.
	q := p.quoted
	sp1 := bytes.IndexByte(q, ' ')
	if sp1 <= 0 || p.rest == nil {
		return false, badField(base+p.quotedOff, ErrField, "question is not \"TYPE CLASS NAME PROTO SIZE DO BUFSIZE\"")
	}
	sp2 := bytes.IndexByte(q[sp1+1:], ' ')
	if sp2 <= 0 {
		return false, badField(base+p.quotedOff, ErrField, quoteField(q))
	}
	sp2 += sp1 + 1
	nameEnd := len(q)
	for k := 0; k < 4; k++ {
		nameEnd = bytes.LastIndexByte(q[:nameEnd], ' ')
		if nameEnd <= sp2 {
			return false, badField(base+p.quotedOff, ErrField, quoteField(q))
		}
	}
	typ, ok := ParseType(string(q[:sp1]))
	if !ok {
		return false, badField(base+p.quotedOff, ErrType, quoteField(q[:sp1]))
	}
	class, ok := ParseClass(string(q[sp1+1 : sp2]))
	if !ok {
		return false, badField(base+p.quotedOff+sp1+1, ErrType, quoteField(q[sp1+1:sp2]))
	}
	name, raw, ok := normalizeDotted(q[sp2+1:nameEnd], d.c.intern)
	if !ok {
		return false, badField(base+p.quotedOff+sp2+1, ErrName, quoteField(q[sp2+1:nameEnd]))
	}
	ev.Type, ev.Class, ev.Name, ev.RawName = typ, class, name, raw

	// RCODE FLAGS RSIZE DURATION ["OPCODE"]
	rc := p.rest
	if sp := bytes.IndexByte(rc, ' '); sp >= 0 {
		rc = rc[:sp]
	}
	if len(rc) == 0 {
		return false, badField(base+p.restOff, ErrField, "missing response code")
	}
	if string(rc) != "-" {
		code, ok := ParseRCode(string(rc))
		if !ok {
			return false, badField(base+p.restOff, ErrField, "response code "+quoteField(rc))
		}
		ev.RCode = code
	}
	return true, nil
}

// sniffCoreDNS scores lines by how many have the query-line shape
// ("remote - id \"TYPE CLASS …\"" after an optional stamp and [INFO]),
// bare or in a JSON wrapper.
func sniffCoreDNS(lines [][]byte) int {
	if len(lines) == 0 {
		return 0
	}
	d := corednsDecoder{c: &decodeConfig{loc: time.UTC, intern: func(b []byte) string { return string(b) }}}
	matched, bad := 0, 0
	for _, l := range lines {
		text, _, _, _, err := d.unwrap(l)
		if err != nil {
			bad++
			continue
		}
		p, ok := corednsSplit(text)
		if !ok {
			continue
		}
		if _, _, _, ok := bytesAddrPort(p.remote, false); !ok {
			continue
		}
		if sp := bytes.IndexByte(p.quoted, ' '); sp <= 0 {
			continue
		} else if _, ok := ParseType(string(p.quoted[:sp])); !ok {
			continue
		}
		matched++
	}
	switch {
	case matched == 0:
		return 0
	case matched == len(lines):
		return 85
	case bad > 0:
		return 30
	}
	return 50 + 30*matched/len(lines)
}
