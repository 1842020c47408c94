package dnslog

import (
	"bytes"
	"time"
)

// CSV files with a header row: columns are mapped by name through
// CSVColumns (case-insensitive, surrounding spaces ignored), so that
// "timestamp,src_ip,query,qtype,rcode" and "Date,Client,Domain,Type" both
// read without configuration. A name and a time column are required; the
// others are optional. The separator is the comma, or the tab or semicolon
// when the header has no comma.
//
// Cisco Umbrella DNS log exports, which have no header, are recognised by
// their shape — a quoted "YYYY-MM-DD HH:MM:SS" stamp first, the query type
// as "1 (A)" in the seventh column and the domain in the ninth — and read
// with Umbrella's column order (timestamp, most granular identity,
// identities, internal ip, external ip, action, query type, response code,
// domain, categories, …). A header with both a "Date" and a "Time" column
// (as in dashboard exports) has its stamp split in two: the two are joined
// ("2024-05-01" + "10:00:00"). Umbrella stamps are UTC; other zone-less stamps
// are read in the Reader's Location. The client is the internal ip; the
// external ip is the client's public address, not a DNS server, and is not
// used.
//
// Fields may be quoted ("a, b" keeps its comma; "" is a quote), with
// spaces around separators ignored. A quoted field cannot span lines. A
// row may have fewer fields than the header: the missing columns count as
// empty, but the time and name columns must be present. Time values may be RFC 3339, "YYYY-MM-DD HH:MM:SS[.fff]" or
// epoch seconds; types may be mnemonics, numbers or Umbrella's "28 (AAAA)".

// CSVField names the Event field a CSV column fills.
type CSVField uint8

// The Event fields CSV columns can fill.
const (
	CSVIgnore     CSVField = iota // the column is not used
	CSVTime                       // Event.Time
	CSVClient                     // Event.Client (an address, or "address:port")
	CSVClientPort                 // Event.ClientPort
	CSVName                       // Event.Name and RawName
	CSVType                       // Event.Type
	CSVClass                      // Event.Class
	CSVRCode                      // Event.RCode
	CSVServer                     // Event.Server (an address, or "address:port")
	CSVServerPort                 // Event.ServerPort
)

// DefaultCSVColumns maps lower-case CSV header names to the field they
// fill; a Reader uses it unless Reader.CSVColumns is set. Treat it as
// read-only: to read another layout, clone it, add the names, and set
// Reader.CSVColumns. When several columns map to one field, the first one
// wins.
var DefaultCSVColumns = map[string]CSVField{
	"timestamp": CSVTime, "time": CSVTime, "ts": CSVTime, "date": CSVTime, "datetime": CSVTime,
	"date time": CSVTime, "query time": CSVTime, "query_time": CSVTime, "event time": CSVTime,
	"eventtime": CSVTime, "@timestamp": CSVTime, "time_utc": CSVTime, "utc time": CSVTime,

	"client": CSVClient, "client ip": CSVClient, "client_ip": CSVClient, "clientip": CSVClient,
	"src_ip": CSVClient, "srcip": CSVClient, "src": CSVClient, "source": CSVClient,
	"source ip": CSVClient, "source_ip": CSVClient, "internal ip": CSVClient, "internal_ip": CSVClient,
	"id.orig_h": CSVClient, "client address": CSVClient, "requestor": CSVClient,

	"client port": CSVClientPort, "client_port": CSVClientPort, "src_port": CSVClientPort,
	"source port": CSVClientPort, "source_port": CSVClientPort, "id.orig_p": CSVClientPort,

	"query": CSVName, "qname": CSVName, "domain": CSVName, "name": CSVName, "query name": CSVName,
	"query_name": CSVName, "domain name": CSVName, "domain_name": CSVName, "fqdn": CSVName,

	"qtype": CSVType, "type": CSVType, "query type": CSVType, "query_type": CSVType,
	"qtype_name": CSVType, "record type": CSVType, "record_type": CSVType, "rrtype": CSVType,

	"qclass": CSVClass, "class": CSVClass, "query class": CSVClass, "qclass_name": CSVClass,

	"rcode": CSVRCode, "response code": CSVRCode, "response_code": CSVRCode, "rcode_name": CSVRCode,
	"responsecode": CSVRCode, "reply code": CSVRCode,

	"server": CSVServer, "server ip": CSVServer, "server_ip": CSVServer, "dst_ip": CSVServer,
	"dst": CSVServer, "destination": CSVServer, "destination ip": CSVServer, "resolver": CSVServer,
	"id.resp_h": CSVServer,

	"server port": CSVServerPort, "server_port": CSVServerPort, "dst_port": CSVServerPort,
	"id.resp_p": CSVServerPort,
}

// umbrellaColumns is the layout of header-less Umbrella DNS exports.
var umbrellaColumns = []CSVField{
	CSVTime, CSVIgnore, CSVIgnore, CSVClient, CSVIgnore, CSVIgnore, CSVType, CSVRCode, CSVName,
}

const csvMaxFields = 1024

func init() {
	register(formatSpec{
		name:      FormatCSV,
		sniffWith: sniffCSV,
		newLine:   func(c *decodeConfig) lineDecoder { return &csvDecoder{c: c} },
	})
}

// columns returns the header-name mapping in force.
func (d *csvDecoder) columns() map[string]CSVField {
	if d.c != nil && d.c.csvColumns != nil {
		return d.c.csvColumns
	}
	return DefaultCSVColumns
}

type csvDecoder struct {
	c       *decodeConfig
	started bool
	sep     byte
	col     [CSVServerPort + 1]int // column index per field, -1 when absent
	need    int                    // fields a row must have (up to its time and name)
	// dateCol and clockCol are the "Date" and "Time" columns when a
	// header has both (the stamp is split in two); -1 otherwise.
	dateCol, clockCol int
	stamp             []byte
	loc               *time.Location // for zone-less stamps
	fields            [][]byte
	offs              []int
	buf               []byte
}

// csvSplit splits line at sep into d.fields (with their byte offsets in
// d.offs), unquoting quoted fields. It returns the offset of a malformed
// field and false on an unterminated quote or text after a closing quote.
func (d *csvDecoder) split(line []byte, sep byte) (int, bool) {
	d.fields, d.offs = d.fields[:0], d.offs[:0]
	d.buf = d.buf[:0]
	// Unquoted fields alias line; quoted fields with "" escapes are copied
	// into buf, which must not move while fields point into it, so size it
	// for the whole line first.
	if cap(d.buf) < len(line) {
		d.buf = make([]byte, 0, len(line))
	}
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' && sep != '\t') {
			i++
		}
		if len(d.fields) >= csvMaxFields {
			return i, false
		}
		start := i
		if i < len(line) && line[i] == '"' {
			j := i + 1
			esc := false
			for {
				k := bytes.IndexByte(line[j:], '"')
				if k < 0 {
					return start, false
				}
				j += k
				if j+1 < len(line) && line[j+1] == '"' {
					esc = true
					j += 2
					continue
				}
				break
			}
			f := line[i+1 : j]
			if esc {
				b0 := len(d.buf)
				for k := 0; k < len(f); k++ {
					d.buf = append(d.buf, f[k])
					if f[k] == '"' {
						k++
					}
				}
				f = d.buf[b0:]
			}
			d.fields, d.offs = append(d.fields, f), append(d.offs, start+1)
			i = j + 1
			for i < len(line) && (line[i] == ' ' || line[i] == '\t' && sep != '\t') {
				i++
			}
			if i < len(line) && line[i] != sep {
				return i, false
			}
		} else {
			j := bytes.IndexByte(line[i:], sep)
			if j < 0 {
				j = len(line)
			} else {
				j += i
			}
			d.fields = append(d.fields, bytes.TrimRight(line[i:j], " \t"))
			d.offs = append(d.offs, start)
			i = j
		}
		if i >= len(line) {
			return 0, true
		}
		i++ // the separator
	}
}

// csvHeaderSep picks the separator of a header line.
func csvHeaderSep(line []byte) byte {
	if bytes.IndexByte(line, ',') >= 0 {
		return ','
	}
	if bytes.IndexByte(line, '\t') >= 0 {
		return '\t'
	}
	if bytes.IndexByte(line, ';') >= 0 {
		return ';'
	}
	return ','
}

// mapHeader maps d.fields as a header; it reports whether the header has
// a time and a name column.
func (d *csvDecoder) mapHeader() bool {
	for i := range d.col {
		d.col[i] = -1
	}
	d.dateCol, d.clockCol = -1, -1
	var low [64]byte
	for i, f := range d.fields {
		f = bytes.TrimSpace(f)
		if len(f) > len(low) {
			continue
		}
		l := low[:len(f)]
		for k, c := range f {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			l[k] = c
		}
		switch string(l) {
		case "date":
			d.dateCol = i
		case "time":
			d.clockCol = i
		}
		if fld, ok := d.columns()[string(l)]; ok && fld != CSVIgnore && int(fld) < len(d.col) && d.col[fld] < 0 {
			d.col[fld] = i
		}
	}
	if d.dateCol < 0 || d.clockCol < 0 {
		d.dateCol, d.clockCol = -1, -1
	}
	return d.col[CSVTime] >= 0 && d.col[CSVName] >= 0
}

// isUmbrella reports whether d.fields has the header-less Umbrella shape.
func (d *csvDecoder) isUmbrella() bool {
	f := d.fields
	if len(f) < 10 || len(f[0]) != 19 {
		return false
	}
	if _, ok := parseRFC3339(f[0], time.UTC); !ok {
		return false
	}
	if _, ok := umbrellaType(f[6]); !ok || bytes.IndexByte(f[6], '(') < 0 {
		return false
	}
	_, ok := ParseRCode(string(f[7]))
	return ok && len(f[8]) > 0
}

func (d *csvDecoder) useUmbrella() {
	for i := range d.col {
		d.col[i] = -1
	}
	for i, fld := range umbrellaColumns {
		if fld != CSVIgnore {
			d.col[fld] = i
		}
	}
	d.loc = time.UTC
}

// umbrellaType parses "28 (AAAA)", "AAAA" or "28".
func umbrellaType(b []byte) (Type, bool) {
	if p := bytes.IndexByte(b, '('); p >= 0 && b[len(b)-1] == ')' {
		if t, ok := ParseType(string(b[p+1 : len(b)-1])); ok {
			return t, true
		}
		return ParseType(string(bytes.TrimSpace(b[:p])))
	}
	return ParseType(string(b))
}

// get returns the value and offset of the column mapped to fld, with
// false when there is none or the row is too short to have it.
func (d *csvDecoder) get(fld CSVField) ([]byte, int, bool) {
	i := d.col[fld]
	if i < 0 || i >= len(d.fields) {
		return nil, 0, false
	}
	return d.fields[i], d.offs[i], true
}

func (d *csvDecoder) decode(line []byte, ev *Event) (bool, error) {
	if len(bytes.TrimSpace(line)) == 0 {
		return false, nil
	}
	if !d.started {
		d.sep = csvHeaderSep(line)
		if off, ok := d.split(line, d.sep); !ok {
			return false, badField(off, ErrField, "malformed CSV field")
		}
		d.started = true
		if d.mapHeader() {
			d.loc = d.c.loc
			d.need = max(d.col[CSVTime], d.col[CSVName], d.clockCol) + 1
			return false, nil
		}
		d.sep = ','
		if _, ok := d.split(line, ','); !ok || !d.isUmbrella() {
			d.started = false // keep looking for a header
			return false, badField(0, ErrField, "no CSV header with time and name columns, and not an Umbrella export")
		}
		d.useUmbrella()
		d.dateCol, d.clockCol = -1, -1
		d.need = len(umbrellaColumns)
	} else if off, ok := d.split(line, d.sep); !ok {
		return false, badField(off, ErrField, "malformed CSV field")
	}
	if len(d.fields) < d.need {
		return false, badField(len(line), ErrField, "row ends before its time or name column")
	}
	if v, off, ok := d.get(CSVTime); ok {
		if d.dateCol >= 0 && d.dateCol < len(d.fields) && d.clockCol < len(d.fields) {
			d.stamp = append(append(append(d.stamp[:0], d.fields[d.dateCol]...), ' '), d.fields[d.clockCol]...)
			v, off = d.stamp, d.offs[d.dateCol]
		}
		t, ok := parseRFC3339(v, d.loc)
		if !ok {
			t, ok = parseEpoch(v)
		}
		if !ok {
			return false, badField(off, ErrTime, quoteField(v))
		}
		ev.Time = t
	}
	if v, off, ok := d.get(CSVName); ok {
		name, raw, ok := normalizeDotted(v, d.c.intern)
		if !ok {
			return false, badField(off, ErrName, quoteField(v))
		}
		ev.Name, ev.RawName = name, raw
	}
	if v, off, ok := d.get(CSVClient); ok && len(v) > 0 {
		a, p, po, ok := bytesAddrPort(v, true)
		if !ok {
			return false, badField(off+po, ErrAddr, quoteField(v))
		}
		ev.Client, ev.ClientPort = a.Unmap(), p
	}
	if v, off, ok := d.get(CSVServer); ok && len(v) > 0 {
		a, p, po, ok := bytesAddrPort(v, true)
		if !ok {
			return false, badField(off+po, ErrAddr, quoteField(v))
		}
		ev.Server, ev.ServerPort = a.Unmap(), p
	}
	if v, off, ok := d.get(CSVClientPort); ok && len(v) > 0 {
		p, ok := bytesPort(v)
		if !ok {
			return false, badField(off, ErrAddr, "port "+quoteField(v))
		}
		ev.ClientPort = p
	}
	if v, off, ok := d.get(CSVServerPort); ok && len(v) > 0 {
		p, ok := bytesPort(v)
		if !ok {
			return false, badField(off, ErrAddr, "port "+quoteField(v))
		}
		ev.ServerPort = p
	}
	if v, off, ok := d.get(CSVType); ok && len(v) > 0 {
		t, ok := umbrellaType(v)
		if !ok {
			return false, badField(off, ErrType, quoteField(v))
		}
		ev.Type = t
	}
	if v, off, ok := d.get(CSVClass); ok && len(v) > 0 {
		c, ok := ParseClass(string(v))
		if !ok {
			return false, badField(off, ErrType, quoteField(v))
		}
		ev.Class = c
	}
	if v, off, ok := d.get(CSVRCode); ok && len(v) > 0 && string(v) != "-" {
		c, ok := ParseRCode(string(v))
		if !ok {
			return false, badField(off, ErrField, "response code "+quoteField(v))
		}
		ev.RCode = c
	}
	return true, nil
}

// sniffCSV: a header naming a time and a name column scores 60 (80 when
// it has more columns than a plain "time,client,name,type,class" file, or
// quoted fields); Umbrella-shaped first lines score 90.
func sniffCSV(lines [][]byte, c *decodeConfig) int {
	if len(lines) == 0 {
		return 0
	}
	d := csvDecoder{c: c}
	sep := csvHeaderSep(lines[0])
	if _, ok := d.split(lines[0], sep); ok && d.mapHeader() {
		rows := 0
		for _, l := range lines[1:] {
			if _, ok := d.split(l, sep); ok && len(d.fields) > d.col[CSVName] && len(d.fields) > d.col[CSVTime] {
				rows++
			}
		}
		if rows < len(lines)-1 {
			return 30
		}
		if _, ok := d.split(lines[0], sep); ok && (len(d.fields) > 5 || bytes.IndexByte(lines[0], '"') >= 0) {
			return 80
		}
		return 60
	}
	umb := 0
	for _, l := range lines {
		if _, ok := d.split(l, ','); ok && d.isUmbrella() {
			umb++
		}
	}
	switch {
	case umb == 0:
		return 0
	case umb == len(lines):
		return 90
	}
	return 40 + 40*umb/len(lines)
}
