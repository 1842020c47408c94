package synth

import (
	"bufio"
	"hash/fnv"
	"io"
	"net/netip"
	"strconv"
	"time"
)

// ResearchHeader is the header line WriteResearch writes.
const ResearchHeader = "TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP"

// WriteResearch writes events in the research format: the header line
// ResearchHeader, then one line per event,
//
//	2026-03-02T09:15:04.250Z | www.d0042.example | 192.0.2.17
//
// that is the time in UTC as RFC 3339 with milliseconds (truncated), the
// query name and the client address, separated by " | ". The format has
// no query type, server or TTL.
func WriteResearch(w io.Writer, events []Event) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(ResearchHeader + "\n")
	var buf []byte
	for _, e := range events {
		buf = appendRFC3339Milli(buf[:0], e.Time.UnixNano())
		buf = append(buf, " | "...)
		buf = append(buf, e.Name...)
		buf = append(buf, " | "...)
		buf = e.Client.AppendTo(buf)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// zeekFields and zeekTypes are the #fields and #types lines of Zeek's
// dns.log.
const (
	zeekFields = "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected"
	zeekTypes  = "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool"
)

func appendZeekHeader(dst []byte, open int64) []byte {
	dst = append(dst, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t"...)
	dst = appendZeekStamp(dst, open)
	dst = append(dst, '\n')
	dst = append(dst, zeekFields+"\n"...)
	return append(dst, zeekTypes+"\n"...)
}

func appendZeekClose(dst []byte, at int64) []byte {
	dst = append(dst, "#close\t"...)
	dst = appendZeekStamp(dst, at)
	return append(dst, '\n')
}

// appendZeekStamp appends t as Zeek's #open/#close stamp,
// 2026-03-02-00-00-00.
func appendZeekStamp(dst []byte, ns int64) []byte {
	return time.Unix(0, ns).UTC().AppendFormat(dst, "2006-01-02-15-04-05")
}

// appendZeekHead appends the fields of a dns.log record up to the query
// name: ts, uid, addresses and ports, proto, trans_id and rtt. The uid,
// client port, transaction id and rtt come from a hash of seq.
func appendZeekHead(dst []byte, ns int64, seq uint64, client, server []byte) []byte {
	dst = appendZeekTS(dst, ns)
	return appendZeekRest(dst, seq, client, server)
}

// appendZeekRest appends the fields of appendZeekHead after the ts.
func appendZeekRest(dst []byte, seq uint64, client, server []byte) []byte {
	h := mix64(seq ^ 0x7a65656b)
	dst = append(dst, '\t')
	dst = appendUID(dst, h)
	dst = append(dst, '\t')
	dst = append(dst, client...)
	dst = append(dst, '\t')
	dst = appendUint(dst, 49152+h%16384)
	dst = append(dst, '\t')
	dst = append(dst, server...)
	dst = append(dst, "\t53\tudp\t"...)
	dst = appendUint(dst, (h>>14)%65536)
	dst = append(dst, '\t')
	dst = appendMicros(dst, int64(200+(h>>30)%30000)) // rtt: 0.2 to 30 ms
	return append(dst, '\t')
}

// appendZeekTail appends the fields of a dns.log record after the query
// name: class, type, a NOERROR response with one answer derived from
// answer, the TTL and the end of line.
func appendZeekTail(dst []byte, typ uint16, ttl uint32, answer uint64) []byte {
	if typ == TypeAAAA {
		dst = append(dst, "\t1\tC_INTERNET\t28\tAAAA\t0\tNOERROR\tF\tF\tT\tT\t0\t2001:db8:ffff::"...)
		dst = strconv.AppendUint(dst, answer&0xffff, 16)
	} else {
		if typ != TypeA {
			dst = append(dst, "\t1\tC_INTERNET\t"...)
			dst = strconv.AppendUint(dst, uint64(typ), 10)
			dst = append(dst, "\t-\t0\tNOERROR\tF\tF\tT\tT\t0\t198."...)
		} else {
			dst = append(dst, "\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t198."...)
		}
		dst = appendUint(dst, 18+(answer>>16)&1)
		dst = append(dst, '.')
		dst = appendUint(dst, (answer>>8)&0xff)
		dst = append(dst, '.')
		dst = appendUint(dst, answer&0xff)
	}
	dst = append(dst, '\t')
	dst = appendUint(dst, uint64(ttl))
	return append(dst, ".000000\tF\n"...)
}

// WriteZeek writes events as a Zeek dns.log in its TSV form: the full
// header (#separator to #types), one record per event and a #close line.
// Each record is a successful (NOERROR) class-IN query over UDP to port 53
// of the event's Server, with RD and RA set, one answer (an address in
// 198.18.0.0/15 for A, in 2001:db8:ffff::/48 for AAAA, fixed per name) and
// its TTL from the event. The uid, client port, transaction id and rtt are
// derived from a hash of the line number. The #open and #close stamps are
// the first and last event times.
func WriteZeek(w io.Writer, events []Event) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var first, last int64
	if len(events) > 0 {
		first, last = events[0].Time.UnixNano(), events[len(events)-1].Time.UnixNano()
	}
	buf := appendZeekHeader(nil, first)
	hashes := make(map[string]uint64)
	var ca, sa []byte
	for i, e := range events {
		a, ok := hashes[e.Name]
		if !ok {
			f := fnv.New64a()
			io.WriteString(f, e.Name)
			a = f.Sum64()
			hashes[e.Name] = a
		}
		ca = appendAddr(ca[:0], e.Client)
		sa = appendAddr(sa[:0], e.Server)
		buf = appendZeekHead(buf, e.Time.UnixNano(), uint64(i), ca, sa)
		buf = append(buf, e.Name...)
		buf = appendZeekTail(buf, e.Type, e.TTL, a)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	buf = appendZeekClose(buf, last)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// appendAddr appends a, or Zeek's unset mark "-" for the zero Addr.
func appendAddr(dst []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(dst, '-')
	}
	return a.AppendTo(dst)
}

// mix64 is the SplitMix64 finaliser: a bijective hash of x.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// appendUID appends a Zeek-style connection uid: "C" and 17 base-62
// characters from h.
func appendUID(dst []byte, h uint64) []byte {
	dst = append(dst, 'C')
	x := h
	for i := range 17 {
		if i == 10 {
			x = mix64(h)
		}
		dst = append(dst, base62[x%62])
		x /= 62
	}
	return dst
}

// appendMicros appends us microseconds as seconds with six decimals.
func appendMicros(dst []byte, us int64) []byte {
	if us < 0 {
		dst = append(dst, '-')
		us = -us
	}
	if us < 1e6 {
		dst = append(dst, '0', '.')
	} else {
		dst = strconv.AppendInt(dst, us/1e6, 10)
		dst = append(dst, '.')
	}
	return appendDigits(dst, uint64(us%1e6), 6)
}

// appendUint appends x in decimal.
func appendUint(dst []byte, x uint64) []byte {
	var b [20]byte
	i := len(b)
	for x >= 10 {
		i--
		b[i] = byte('0' + x%10)
		x /= 10
	}
	i--
	b[i] = byte('0' + x)
	return append(dst, b[i:]...)
}

// appendZeekTS appends ns as Zeek's ts: Unix seconds with six decimals,
// truncated to the microsecond.
func appendZeekTS(dst []byte, ns int64) []byte { return appendMicros(dst, ns/1e3) }

// appendDigits appends the last n decimal digits of x, zero-padded.
func appendDigits(dst []byte, x uint64, n int) []byte {
	var b [20]byte
	for i := n - 1; i >= 0; i-- {
		b[i] = byte('0' + x%10)
		x /= 10
	}
	return append(dst, b[:n]...)
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date
// (the inverse of the days-from-civil formula: 400-year eras of 146,097
// days, years starting in March).
func civil(days int64) (y int64, m, d int) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// appendRFC3339Milli appends ns (Unix nanoseconds) in UTC as
// 2006-01-02T15:04:05.000Z, truncating to the millisecond. Years outside
// 0000–9999 are written with as many digits as they need.
func appendRFC3339Milli(dst []byte, ns int64) []byte {
	ms := ns / 1e6
	if ns%1e6 < 0 {
		ms--
	}
	days := ms / 86400000
	rem := ms % 86400000
	if rem < 0 {
		days--
		rem += 86400000
	}
	return appendDayTime(appendDate(dst, days), rem)
}

// appendDate appends the date of days since the epoch and a 'T'.
func appendDate(dst []byte, days int64) []byte {
	y, m, d := civil(days)
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	if y < 10000 {
		dst = appendDigits(dst, uint64(y), 4)
	} else {
		dst = strconv.AppendInt(dst, y, 10)
	}
	dst = append(dst, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10), 'T')
	return dst
}

// appendDayTime appends ms milliseconds into the day as 15:04:05.000Z.
func appendDayTime(dst []byte, ms int64) []byte {
	s := ms / 1000
	h, mi, sec := s/3600, s/60%60, s%60
	f := ms % 1000
	return append(dst, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10), 'Z')
}
