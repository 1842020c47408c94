package dnslog

import (
	"bytes"
	"time"
)

// Technitium DNS Server query log lines:
//
//	[2019-03-24 20:16:48 UTC] [10.10.10.2:26593] [UDP] QNAME: example.com; QTYPE: TXT; QCLASS: IN; RCODE: NoError; ANSWER: [1.2.3.4, 5.6.7.8]
//
// The protocol field ([UDP], [TCP], [HTTPS] …) is optional (older releases
// omit it). A stamp ending in "UTC" is UTC; one without a zone (or with
// "Local") is read in the Reader's Location. ANSWER items become Answers
// with Data only (addresses and names normalised, anything else kept as
// written); the log has no TTLs. An empty QNAME is the root ("."). Other
// lines of the log (server start-up and error messages after a stamp) are
// not events.

func init() {
	register(formatSpec{
		name:     FormatTechnitium,
		sniff:    sniffTechnitium,
		newLine:  func(c *decodeConfig) lineDecoder { return &technitiumDecoder{c: c} },
		parallel: true,
	})
}

type technitiumDecoder struct {
	c       *decodeConfig
	scratch []byte
}

// technitiumStamp parses "[2019-03-24 20:16:48 UTC]" at the start of b and
// returns the offset past the closing bracket.
func technitiumStamp(b []byte, loc *time.Location) (time.Time, int, bool) {
	end := bytes.IndexByte(b, ']')
	if len(b) == 0 || b[0] != '[' || end < 0 {
		return time.Time{}, 0, false
	}
	s := b[1:end]
	if sp := bytes.LastIndexByte(s, ' '); sp > 10 {
		switch string(s[sp+1:]) {
		case "UTC", "GMT", "Z":
			s, loc = s[:sp], time.UTC
		case "Local":
			s = s[:sp]
		}
	}
	t, ok := parseRFC3339(s, loc)
	return t, end + 1, ok
}

// technitiumSplit reports whether line is a query line and returns the
// offsets of the client field and of "QNAME:".
func technitiumSplit(line []byte) (clientOff, clientEnd, qOff int, ok bool) {
	end := bytes.IndexByte(line, ']')
	if len(line) == 0 || line[0] != '[' || end < 0 {
		return 0, 0, 0, false
	}
	i := end + 1
	if !bytes.HasPrefix(line[i:], []byte(" [")) {
		return 0, 0, 0, false
	}
	clientOff = i + 2
	from := clientOff
	if from < len(line) && line[from] == '[' { // [2001:db8::1]:53
		e := bytes.IndexByte(line[from:], ']')
		if e < 0 {
			return 0, 0, 0, false
		}
		from += e + 1
	}
	e := bytes.IndexByte(line[from:], ']')
	if e < 0 {
		return 0, 0, 0, false
	}
	clientEnd = from + e
	i = clientEnd + 1
	if bytes.HasPrefix(line[i:], []byte(" [")) { // protocol
		e := bytes.IndexByte(line[i+2:], ']')
		if e < 0 || e > 16 {
			return 0, 0, 0, false
		}
		i += 2 + e + 1
	}
	if !bytes.HasPrefix(line[i:], []byte(" QNAME:")) {
		return 0, 0, 0, false
	}
	return clientOff, clientEnd, i + 1, true
}

func (d *technitiumDecoder) decode(line []byte, ev *Event) (bool, error) {
	clientOff, clientEnd, i, isQuery := technitiumSplit(line)
	if !isQuery {
		return false, nil
	}
	t, _, ok := technitiumStamp(line, d.c.loc)
	if !ok {
		return false, badField(0, ErrTime, quoteField(line[:clientOff-2]))
	}
	ev.Time = t
	addr, port, portOff, ok := bytesAddrPort(line[clientOff:clientEnd], true)
	if !ok {
		return false, badField(clientOff+portOff, ErrAddr, quoteField(line[clientOff:clientEnd]))
	}
	ev.Client, ev.ClientPort = addr.Unmap(), port

	seen := 0
	for i < len(line) {
		colon := bytes.IndexByte(line[i:], ':')
		if colon < 0 {
			return false, badField(i, ErrField, quoteField(line[i:]))
		}
		key := line[i : i+colon]
		v := i + colon + 1
		if v < len(line) && line[v] == ' ' {
			v++
		}
		var val []byte
		next := len(line)
		if string(key) == "ANSWER" {
			val = line[v:]
		} else if semi := bytes.Index(line[v:], []byte("; ")); semi >= 0 {
			val, next = line[v:v+semi], v+semi+2
		} else {
			val = bytes.TrimSuffix(line[v:], []byte(";"))
		}
		switch string(key) {
		case "QNAME":
			seen |= 1
			if len(val) == 0 {
				ev.Name, ev.RawName = ".", ""
				break
			}
			name, raw, ok := normalizeDotted(val, d.c.intern)
			if !ok {
				return false, badField(v, ErrName, quoteField(val))
			}
			ev.Name, ev.RawName = name, raw
		case "QTYPE":
			seen |= 2
			typ, ok := ParseType(string(val))
			if !ok {
				return false, badField(v, ErrType, quoteField(val))
			}
			ev.Type = typ
		case "QCLASS":
			class, ok := ParseClass(string(val))
			if !ok {
				return false, badField(v, ErrType, quoteField(val))
			}
			ev.Class = class
		case "RCODE":
			code, ok := technitiumRCode(val)
			if !ok {
				return false, badField(v, ErrField, "response code "+quoteField(val))
			}
			ev.RCode = code
		case "ANSWER":
			if err := d.answers(val, v, ev); err != nil {
				return false, err
			}
		}
		i = next
	}
	if seen&1 == 0 {
		return false, badField(len(line), ErrName, "no QNAME")
	}
	return true, nil
}

// answers parses "[a, b, c]".
func (d *technitiumDecoder) answers(val []byte, off int, ev *Event) error {
	if len(val) < 2 || val[0] != '[' || val[len(val)-1] != ']' {
		return badField(off, ErrField, "ANSWER is not a bracketed list: "+quoteField(val))
	}
	list := val[1 : len(val)-1]
	if len(bytes.TrimSpace(list)) == 0 {
		return nil
	}
	n := bytes.Count(list, []byte(", ")) + 1
	ev.Answers = make([]Answer, 0, min(n, 256))
	for len(list) > 0 && len(ev.Answers) < 256 {
		item := list
		if k := bytes.Index(list, []byte(", ")); k >= 0 {
			item, list = list[:k], list[k+2:]
		} else {
			list = nil
		}
		ev.Answers = append(ev.Answers, Answer{Data: answerText(item, d.c.intern, &d.scratch)})
	}
	return nil
}

// answerText renders a logged answer: an address in canonical form, a
// name normalised, anything else as written. scratch is reused.
func answerText(b []byte, intern func([]byte) string, scratch *[]byte) string {
	if a, ok := bytesAddr(b); ok {
		*scratch = a.AppendTo((*scratch)[:0])
		return intern(*scratch)
	}
	if len(b) <= 255 {
		if name, _, ok := normalizeDotted(b, intern); ok {
			return name
		}
		return intern(b)
	}
	return string(b)
}

// technitiumRCode parses Technitium's response-code names (NoError,
// FormatError, ServerFailure, NxDomain, NotImplemented, Refused, …) and
// the standard ones.
func technitiumRCode(b []byte) (RCode, bool) {
	switch string(b) {
	case "FormatError":
		return RCodeFormErr, true
	case "ServerFailure":
		return RCodeServFail, true
	case "NotImplemented":
		return RCodeNotImp, true
	case "NotAuthorized":
		return RCodeNotAuth, true
	}
	return ParseRCode(string(b))
}

// sniffTechnitium: the bracketed stamp, bracketed client and "QNAME:" make
// a distinctive line.
func sniffTechnitium(lines [][]byte) int {
	matched, stamped := 0, 0
	for _, l := range lines {
		if _, _, ok := technitiumStamp(l, time.UTC); !ok {
			continue
		}
		stamped++
		if _, _, _, ok := technitiumSplit(l); ok && bytes.Contains(l, []byte("; QTYPE: ")) {
			matched++
		}
	}
	switch {
	case matched == 0:
		return 0
	case matched == len(lines):
		return 90
	case stamped == len(lines):
		return 70
	}
	return 40
}
