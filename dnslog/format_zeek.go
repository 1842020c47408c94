package dnslog

import (
	"bytes"
	"math"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
)

// Zeek dns.log, TSV form ("zeek").
//
// Header lines ("#separator \x09", "#set_separator", "#empty_field",
// "#unset_field", "#fields", "#types", "#open", "#close", …) may appear
// anywhere: a "#fields" line maps columns by name for the data lines after
// it, so concatenated or rotated files and old layouts (without "rtt", say)
// read alike. Values are unescaped ("\xHH"); the unset marker ("-" by
// default) means not logged, the empty marker ("(empty)") an empty value.
//
// Fields used: ts, id.orig_h, id.orig_p, id.resp_h, id.resp_p, query,
// qclass (or qclass_name), qtype (or qtype_name), rcode (or rcode_name;
// unset gives RCodeUnknown), answers and TTLs (into Answers, paired by
// position). ts and id.orig_h are required.
//
// Query names: Zeek logs what was in the packet. An empty query is the
// root and becomes Name "."; an unset query ("-": Zeek saw no question,
// as for some malformed or response-only packets) is still an event, with
// Name and RawName "" (not logged). Bytes that cannot appear bare in a
// presentation-format name (spaces, as in mDNS service instance names,
// and control characters) are written as RFC 1035 "\DDD" escapes in Name,
// so "nougat [x]._workstation._tcp.local" becomes
// "nougat\032[x]._workstation._tcp.local"; RawName keeps the logged text.

func init() {
	register(formatSpec{
		name:       FormatZeek,
		sniff:      sniffZeek,
		newLine:    func(c *decodeConfig) lineDecoder { return newZeekDecoder(c) },
		parallel:   true,
		headerByte: '#',
		header: func(line []byte) int {
			if len(line) == 0 || line[0] != '#' {
				return 0
			}
			if bytes.HasPrefix(line, []byte("#separator")) {
				return 2
			}
			return 1
		},
	})
	register(formatSpec{
		name:     FormatZeekJSON,
		sniff:    sniffZeekJSON,
		newLine:  func(c *decodeConfig) lineDecoder { return &zeekJSONDecoder{zeekCommon: zeekCommon{cfg: c}} },
		parallel: true,
	})
}

// zeek column roles.
const (
	zTS = iota
	zOrigH
	zOrigP
	zRespH
	zRespP
	zQuery
	zQClass
	zQClassName
	zQType
	zQTypeName
	zRCode
	zRCodeName
	zAnswers
	zTTLs
	zNumRoles
)

var zeekRoleNames = [zNumRoles]string{
	"ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "query", "qclass", "qclass_name",
	"qtype", "qtype_name", "rcode", "rcode_name", "answers", "TTLs",
}

// zeekCommon is what the TSV and JSON decoders share: turning field values
// into Event fields.
type zeekCommon struct {
	cfg      *decodeConfig
	scratch  []byte
	scratch2 []byte
	pres     []byte
	slab     []Answer
	sets     [2][][2]int // answers and TTLs item ranges, reused
}

type zeekDecoder struct {
	zeekCommon
	sep, setSep  []byte
	empty, unset []byte
	col          [zNumRoles]int // column index of each role, -1 if absent
	cols         []zcol         // the roles present, with their columns
	ncols        int            // 0: no #fields seen yet
	spans        []span
}

// zcol is a role present in #fields and its column index. fallback marks
// the name roles (qclass_name, qtype_name, rcode_name), which fill reads
// only when the number in the role before them is unset.
type zcol struct {
	role, col int
	fallback  bool
}

// isMarker reports whether v is the marker m ("-", "(empty)"), comparing
// the first bytes in place before calling for the rest.
func isMarker(v, m []byte) bool {
	return len(v) == len(m) && (len(m) == 0 || v[0] == m[0]) && string(v) == string(m)
}

func newZeekDecoder(c *decodeConfig) *zeekDecoder {
	d := &zeekDecoder{
		zeekCommon: zeekCommon{cfg: c},
		sep:        []byte{'\t'},
		setSep:     []byte{','},
		empty:      []byte("(empty)"),
		unset:      []byte("-"),
	}
	for i := range d.col {
		d.col[i] = -1
	}
	return d
}

func (d *zeekDecoder) decode(line []byte, ev *Event) (bool, error) {
	if len(line) == 0 {
		return false, nil
	}
	if line[0] == '#' {
		return false, d.header(line)
	}
	if d.ncols == 0 {
		return false, badField(0, ErrField, "data line before a #fields header")
	}
	if len(d.sep) == 1 {
		if cap(d.spans) <= d.ncols {
			d.spans = make([]span, d.ncols+1)
		}
		d.spans = d.spans[:d.ncols+1]
		d.spans = d.spans[:splitByte(d.spans, line, d.sep[0])]
	} else {
		d.spans = d.spans[:0]
		start := 0
		for {
			i := bytes.Index(line[start:], d.sep)
			if i < 0 {
				d.spans = append(d.spans, span{start, len(line)})
				break
			}
			d.spans = append(d.spans, span{start, start + i})
			start += i + len(d.sep)
			if len(d.spans) > d.ncols {
				break
			}
		}
	}
	if len(d.spans) != d.ncols {
		off := len(line)
		if len(d.spans) > d.ncols {
			off = d.spans[d.ncols].off
		}
		return false, badField(off, ErrField, "want "+strconv.Itoa(d.ncols)+" fields as in #fields, have "+strconv.Itoa(len(d.spans)))
	}
	var vals [zNumRoles]zval
	for _, rc := range d.cols {
		if rc.fallback && vals[rc.role-1].set {
			continue // fill reads a name role only when its number is unset
		}
		s := d.spans[rc.col]
		v := line[s.off:s.end]
		z := &vals[rc.role]
		z.off = s.off
		switch {
		case isMarker(v, d.unset):
		case isMarker(v, d.empty):
			z.set, z.b = true, v[:0]
		default:
			z.set, z.b = true, v
		}
	}
	if err := d.fill(&vals, ev, d.setSep); err != nil {
		return false, err
	}
	return true, nil
}

// header applies a "#" line.
func (d *zeekDecoder) header(line []byte) error {
	if bytes.HasPrefix(line, []byte("#separator ")) {
		v := zeekUnescape(nil, line[len("#separator "):])
		if len(v) == 0 {
			return badField(11, ErrField, "empty #separator")
		}
		d.sep = v
		d.ncols = 0
		return nil
	}
	key, val, ok := bytes.Cut(line, d.sep)
	if !ok {
		return nil // "#close" without a value, or a comment
	}
	switch string(key) {
	case "#set_separator":
		if v := zeekUnescape(nil, val); len(v) > 0 {
			d.setSep = v
		}
	case "#empty_field":
		d.empty = zeekUnescape(nil, val)
	case "#unset_field":
		d.unset = zeekUnescape(nil, val)
	case "#fields":
		for i := range d.col {
			d.col[i] = -1
		}
		n := 0
		for f := range bytes.SplitSeq(val, d.sep) {
			for role, name := range zeekRoleNames {
				if string(f) == name {
					d.col[role] = n
				}
			}
			n++
		}
		d.cols = d.cols[:0]
		for role, c := range d.col {
			if c >= 0 {
				fallback := role == zQClassName || role == zQTypeName || role == zRCodeName
				d.cols = append(d.cols, zcol{role, c, fallback})
			}
		}
		if d.col[zTS] < 0 || d.col[zOrigH] < 0 {
			d.ncols = 0
			return badField(len(key)+len(d.sep), ErrField, "#fields lacks ts or id.orig_h")
		}
		d.ncols = n
	}
	return nil
}

// zval is one field's value: set false when unset or absent.
type zval struct {
	b      []byte
	off    int
	set    bool
	quoted bool // JSON: a string value, or a list of strings, still JSON-escaped
	isList bool // JSON: the decoder's sets hold the items' ranges in b
}

// fill turns the role values into event fields.
func (d *zeekCommon) fill(v *[zNumRoles]zval, ev *Event, setSep []byte) error {
	ts := &v[zTS]
	if !ts.set {
		return badField(ts.off, ErrTime, "ts unset")
	}
	t, ok := parseEpoch(ts.b)
	if !ok {
		t, ok = parseRFC3339(ts.b, d.cfg.loc)
	}
	if !ok {
		t, ok = parseFloatEpoch(ts.b)
	}
	if !ok {
		return badField(ts.off, ErrTime, quoteField(ts.b))
	}
	ev.Time = t
	var err error
	if ev.Client, err = zeekAddr(&v[zOrigH], true); err != nil {
		return err
	}
	if ev.Server, err = zeekAddr(&v[zRespH], false); err != nil {
		return err
	}
	if ev.ClientPort, err = zeekPort(&v[zOrigP]); err != nil {
		return err
	}
	if ev.ServerPort, err = zeekPort(&v[zRespP]); err != nil {
		return err
	}
	if q := &v[zQuery]; q.set {
		if err := d.name(q, ev); err != nil {
			return err
		}
	}
	if q := v[zQType]; q.set {
		n, ok := parseUint(q.b, math.MaxUint16)
		if !ok {
			return badField(q.off, ErrType, quoteField(q.b))
		}
		ev.Type = Type(n)
	} else if q := v[zQTypeName]; q.set {
		if string(q.b) == "*" {
			ev.Type = TypeANY
		} else if t, ok := ParseType(string(q.b)); ok {
			ev.Type = t
		} else {
			return badField(q.off, ErrType, quoteField(q.b))
		}
	}
	if q := v[zQClass]; q.set {
		n, ok := parseUint(q.b, math.MaxUint16)
		if !ok {
			return badField(q.off, ErrType, quoteField(q.b))
		}
		ev.Class = Class(n)
	} else if q := v[zQClassName]; q.set {
		c, ok := ParseClass(string(q.b))
		if !ok {
			return badField(q.off, ErrType, quoteField(q.b))
		}
		ev.Class = c
	}
	if q := v[zRCode]; q.set {
		n, ok := parseUint(q.b, 4095)
		if !ok {
			return badField(q.off, ErrField, "rcode "+quoteField(q.b))
		}
		ev.RCode = RCode(n)
	} else if q := v[zRCodeName]; q.set {
		c, ok := ParseRCode(string(q.b))
		if !ok {
			return badField(q.off, ErrField, "rcode "+quoteField(q.b))
		}
		ev.RCode = c
	}
	return d.answers(&v[zAnswers], &v[zTTLs], setSep, ev)
}

// name sets Name and RawName from a query value.
func (d *zeekCommon) name(q *zval, ev *Event) error {
	if plainName(q.b) {
		// Nothing to unescape (no backslash) or escape, already
		// normalised.
		s := d.cfg.intern(q.b)
		ev.Name, ev.RawName = s, s
		return nil
	}
	return d.nameGeneral(q, ev)
}

// unescape undoes the JSON escapes of b when quoted, then Zeek's \xHH
// escapes, into d's scratch buffers (b itself when it has no backslash).
func (d *zeekCommon) unescape(b []byte, quoted bool) []byte {
	if quoted && bytes.IndexByte(b, '\\') >= 0 {
		d.scratch = jsonUnescape(d.scratch[:0], b)
		b = d.scratch
	}
	if bytes.IndexByte(b, '\\') >= 0 {
		d.scratch2 = zeekUnescape(d.scratch2[:0], b)
		b = d.scratch2
	}
	return b
}

// nameGeneral is name without the fast path for plain names, which it
// sets alike.
func (d *zeekCommon) nameGeneral(q *zval, ev *Event) error {
	raw := d.unescape(q.b, q.quoted)
	if len(raw) == 0 {
		ev.Name, ev.RawName = ".", ""
		return nil
	}
	pres := raw
	if needsPresEscape(raw) {
		d.pres = presEscape(d.pres[:0], raw)
		pres = d.pres
	}
	name, _, ok := normalizeNameGeneral(pres, d.cfg.intern)
	if !ok {
		return badField(q.off, ErrName, quoteField(q.b))
	}
	ev.Name = name
	if string(raw) == name {
		ev.RawName = name
	} else {
		ev.RawName = d.cfg.intern(raw)
	}
	return nil
}

// needsPresEscape reports whether b has a byte that cannot stand bare in a
// presentation-format name: space, control characters, DEL, or bytes of
// invalid UTF-8.
func needsPresEscape(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c <= ' ' || c == 0x7f {
			return true
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	return !ascii && !utf8.Valid(b)
}

// presEscape appends b to dst with the bytes needsPresEscape objects to
// written as "\DDD".
func presEscape(dst, b []byte) []byte {
	valid := utf8.Valid(b)
	for _, c := range b {
		if c <= ' ' || c == 0x7f || (c >= 0x80 && !valid) {
			dst = append(dst, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// answers fills ev.Answers from the answers and TTLs values, which are
// lists: JSON arrays (isList set: their item ranges are in d.sets[0] and
// d.sets[1]) or TSV sets separated by setSep.
func (d *zeekCommon) answers(a, ttl *zval, setSep []byte, ev *Event) error {
	if !a.set {
		return nil
	}
	items := d.sets[0]
	if !a.isList {
		if len(a.b) == 0 {
			return nil
		}
		d.sets[0] = splitSet(d.sets[0][:0], a.b, setSep)
		items = d.sets[0]
	}
	if len(items) == 0 {
		return nil
	}
	var ttls [][2]int
	if ttl.set {
		if ttl.isList {
			ttls = d.sets[1]
		} else if len(ttl.b) > 0 {
			d.sets[1] = splitSet(d.sets[1][:0], ttl.b, setSep)
			ttls = d.sets[1]
		}
	}
	if len(d.slab) < len(items) {
		d.slab = make([]Answer, max(256, len(items)))
	}
	out := d.slab[:len(items):len(items)]
	d.slab = d.slab[len(items):]
	for i, it := range items {
		data := a.b[it[0]:it[1]]
		out[i] = Answer{Data: d.answerData(d.unescape(data, a.quoted))}
		if i < len(ttls) {
			tb := ttl.b[ttls[i][0]:ttls[i][1]]
			if f, ok := parseTTL(tb); ok {
				out[i].TTL, out[i].HasTTL = f, true
			} else {
				return badField(ttl.off+ttls[i][0], ErrField, "TTL "+quoteField(tb))
			}
		}
	}
	ev.Answers = out
	return nil
}

// answerData interns an answer, lowercasing it and dropping a trailing dot
// when it is a single token (a name or an address).
func (d *zeekCommon) answerData(b []byte) string {
	if bytes.IndexByte(b, ' ') >= 0 {
		return d.cfg.intern(b)
	}
	clean := true
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			clean = false
			break
		}
	}
	if len(b) > 1 && b[len(b)-1] == '.' {
		clean = false
	}
	if clean {
		return d.cfg.intern(b)
	}
	var buf [256]byte
	out := buf[:0]
	if len(b) > len(buf) {
		out = make([]byte, 0, len(b))
	}
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	if len(out) > 1 && out[len(out)-1] == '.' {
		out = out[:len(out)-1]
	}
	return d.cfg.intern(out)
}

// splitSet appends the item ranges of a TSV set value to out.
func splitSet(out [][2]int, b, sep []byte) [][2]int {
	if len(sep) == 0 {
		return append(out, [2]int{0, len(b)})
	}
	start := 0
	for {
		var i int
		if len(sep) == 1 {
			i = bytes.IndexByte(b[start:], sep[0])
		} else {
			i = bytes.Index(b[start:], sep)
		}
		if i < 0 {
			return append(out, [2]int{start, len(b)})
		}
		out = append(out, [2]int{start, start + i})
		start += i + len(sep)
	}
}

// parseTTL parses a TTL written as an interval ("60.000000") or integer,
// rounding to whole seconds.
func parseTTL(b []byte) (uint32, bool) {
	i := bytes.IndexByte(b, '.')
	ip, fp := b, []byte(nil)
	if i >= 0 {
		ip, fp = b[:i], b[i+1:]
	}
	n, ok := parseUint(ip, math.MaxUint32)
	if !ok {
		return 0, false
	}
	for _, c := range fp {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if len(fp) > 0 && fp[0] >= '5' && n < math.MaxUint32 {
		n++
	}
	return uint32(n), true
}

// parseUint parses a decimal number no greater than max.
func parseUint(b []byte, max uint64) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		c -= '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
		if n > max {
			return 0, false
		}
	}
	return n, true
}

// zeekAddr parses an address value; required reports whether unset is an
// error.
func zeekAddr(v *zval, required bool) (a netip.Addr, err error) {
	if !v.set || len(v.b) == 0 {
		if required {
			return a, badField(v.off, ErrAddr, "id.orig_h unset")
		}
		return a, nil
	}
	a, ok := parseAddrBytes(v.b)
	if !ok {
		return a, badField(v.off, ErrAddr, quoteField(v.b))
	}
	return a, nil
}

func zeekPort(v *zval) (uint16, error) {
	if !v.set {
		return 0, nil
	}
	n, ok := parseUint(v.b, math.MaxUint16)
	if !ok {
		return 0, badField(v.off, ErrField, "port "+quoteField(v.b))
	}
	return uint16(n), nil
}

// zeekUnescape appends b to dst with "\xHH" escapes decoded.
func zeekUnescape(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+3 < len(b) && b[i+1] == 'x' && isHex(b[i+2]) && isHex(b[i+3]) {
			dst = append(dst, unhex(b[i+2])<<4|unhex(b[i+3]))
			i += 3
			continue
		}
		dst = append(dst, b[i])
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// parseFloatEpoch parses epoch seconds in any float syntax ("1.5e9").
func parseFloatEpoch(b []byte) (t time.Time, ok bool) {
	var buf [32]byte
	if len(b) > len(buf) {
		return t, false
	}
	n := copy(buf[:], b)
	f, err := strconv.ParseFloat(string(buf[:n]), 64)
	if err != nil || f < 0 || f > 9.2e9 || math.IsNaN(f) {
		return t, false
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64(math.Round((f-sec)*1e6))*1000).UTC(), true
}

// sniffZeek scores 100 for a "#fields" line naming ts, id.orig_h and
// query, or "#path dns"; 60 for a "#separator" line alone.
func sniffZeek(lines [][]byte) int {
	score := 0
	for _, l := range lines {
		switch {
		case bytes.HasPrefix(l, []byte("#fields")) && bytes.Contains(l, []byte("id.orig_h")) && bytes.Contains(l, []byte("query")):
			return 100
		case bytes.HasPrefix(l, []byte("#path")) && bytes.HasSuffix(l, []byte("dns")):
			return 100
		case bytes.HasPrefix(l, []byte("#separator ")):
			score = 60
		}
	}
	return score
}

// Zeek dns.log as JSON lines ("zeek-json"): one flat JSON object per line
// with the same field names as the TSV form; ts is epoch seconds (a
// number) or an RFC 3339 string. Other members are skipped. An object
// whose "_path" is set to something other than "dns" is not an event; a
// line that is not a JSON object, or an object without ts and id.orig_h
// (such as a search tool's export wrapper around a record), is an
// ErrField error. The decoder is a small scanner for flat objects, faster
// than encoding/json for this purpose; nested values are skipped.
type zeekJSONDecoder struct {
	zeekCommon
}

// maxJSONDepth bounds the nesting of skipped values.
const maxJSONDepth = 64

func (d *zeekJSONDecoder) decode(line []byte, ev *Event) (bool, error) {
	i := skipWS(line, 0)
	if i == len(line) {
		return false, nil
	}
	if line[i] != '{' {
		return false, badField(i, ErrField, "not a JSON object")
	}
	first := i
	i++
	var vals [zNumRoles]zval
	d.sets[0], d.sets[1] = d.sets[0][:0], d.sets[1][:0]
	notDNS := false
	for {
		i = skipWS(line, i)
		if i < len(line) && line[i] == '}' && i == skipWS(line, first+1) {
			i++
			break
		}
		if i >= len(line) || line[i] != '"' {
			return false, badField(i, ErrField, "want a member name")
		}
		ks := i + 1
		ke, esc, ok := scanString(line, ks)
		if !ok {
			return false, badField(i, ErrField, "unterminated string")
		}
		key := line[ks:ke]
		if esc {
			key = nil // no field of interest has escapes in its name
		}
		i = skipWS(line, ke+1)
		if i >= len(line) || line[i] != ':' {
			return false, badField(i, ErrField, "want ':'")
		}
		i = skipWS(line, i+1)
		if i >= len(line) {
			return false, badField(i, ErrField, "missing value")
		}
		role := zeekRole(key)
		vs := i
		switch c := line[i]; {
		case c == '"':
			e, esc, ok := scanString(line, i+1)
			if !ok {
				return false, badField(i, ErrField, "unterminated string")
			}
			if role >= 0 {
				vals[role] = zval{b: line[i+1 : e], off: i + 1, set: true, quoted: esc}
			} else if string(key) == "_path" && string(line[i+1:e]) != "dns" {
				notDNS = true
			}
			i = e + 1
		case c == '[' && (role == zAnswers || role == zTTLs):
			list := &d.sets[0]
			if role == zTTLs {
				list = &d.sets[1]
			}
			var quoted bool
			var ok bool
			i, quoted, ok = scanList(line, i, list)
			if !ok {
				return false, badField(vs, ErrField, "malformed array")
			}
			vals[role] = zval{b: line, off: 0, set: true, quoted: quoted, isList: true}
		case c == '{' || c == '[':
			e, ok := skipNested(line, i)
			if !ok {
				return false, badField(vs, ErrField, "malformed JSON value")
			}
			if role >= 0 {
				return false, badField(vs, ErrField, "nested value for "+zeekRoleNames[role])
			}
			i = e
		default:
			e := i
			for e < len(line) && (isHex(line[e]) || line[e] == '-' || line[e] == '+' || line[e] == '.' ||
				('a' <= line[e] && line[e] <= 'z') || line[e] == 'E') {
				e++
			}
			tok := line[i:e]
			if len(tok) == 0 {
				return false, badField(i, ErrField, "malformed JSON value")
			}
			if role >= 0 && string(tok) != "null" {
				if role == zAnswers || role == zTTLs {
					return false, badField(i, ErrField, zeekRoleNames[role]+" is not an array")
				}
				vals[role] = zval{b: tok, off: i, set: true}
			}
			i = e
		}
		i = skipWS(line, i)
		if i < len(line) && line[i] == ',' {
			i++
			continue
		}
		if i < len(line) && line[i] == '}' {
			i++
			break
		}
		return false, badField(i, ErrField, "want ',' or '}'")
	}
	if j := skipWS(line, i); j != len(line) {
		return false, badField(j, ErrField, "text after the object")
	}
	if notDNS {
		return false, nil
	}
	if !vals[zTS].set || !vals[zOrigH].set {
		return false, badField(first, ErrField, "not a Zeek dns record: no ts or id.orig_h")
	}
	if q := &vals[zOrigH]; q.quoted {
		return false, badField(q.off, ErrAddr, quoteField(q.b))
	}
	if err := d.fill(&vals, ev, nil); err != nil {
		return false, err
	}
	return true, nil
}

// zeekRole returns the role of a member name, or -1.
func zeekRole(key []byte) int {
	switch string(key) {
	case "ts":
		return zTS
	case "id.orig_h":
		return zOrigH
	case "id.orig_p":
		return zOrigP
	case "id.resp_h":
		return zRespH
	case "id.resp_p":
		return zRespP
	case "query":
		return zQuery
	case "qclass":
		return zQClass
	case "qclass_name":
		return zQClassName
	case "qtype":
		return zQType
	case "qtype_name":
		return zQTypeName
	case "rcode":
		return zRCode
	case "rcode_name":
		return zRCodeName
	case "answers":
		return zAnswers
	case "TTLs":
		return zTTLs
	}
	return -1
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// scanString finds the closing quote of a JSON string whose content starts
// at i; esc reports whether the content has escapes.
func scanString(b []byte, i int) (end int, esc, ok bool) {
	for i < len(b) {
		switch b[i] {
		case '"':
			return i, esc, true
		case '\\':
			esc = true
			i += 2
			continue
		}
		i++
	}
	return 0, false, false
}

// scanList reads a flat array of strings or numbers starting at b[i]
// ('['), appending item content ranges to list. quoted reports string
// items.
func scanList(b []byte, i int, list *[][2]int) (end int, quoted, ok bool) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, false, true
	}
	for i < len(b) {
		if b[i] == '"' {
			e, _, ok := scanString(b, i+1)
			if !ok {
				return 0, false, false
			}
			*list = append(*list, [2]int{i + 1, e})
			quoted = true
			i = e + 1
		} else {
			e := i
			for e < len(b) && b[e] != ',' && b[e] != ']' && b[e] != ' ' {
				e++
			}
			if e == i {
				return 0, false, false
			}
			*list = append(*list, [2]int{i, e})
			i = e
		}
		i = skipWS(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return i + 1, quoted, true
		}
		return 0, false, false
	}
	return 0, false, false
}

// skipNested skips an object or array starting at b[i], strings included,
// up to maxJSONDepth deep.
func skipNested(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '{', '[':
			depth++
			if depth > maxJSONDepth {
				return 0, false
			}
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"':
			e, _, ok := scanString(b, i+1)
			if !ok {
				return 0, false
			}
			i = e
		}
		i++
	}
	return 0, false
}

// jsonUnescape appends the JSON string content b to dst with its escapes
// decoded; content with a malformed escape is appended as written.
func jsonUnescape(dst, b []byte) []byte {
	n := len(dst)
	out, ok := appendJSONUnescaped(dst, b)
	if ok {
		return out
	}
	return append(out[:n], b...)
}

// sniffZeekJSON scores 90 when every sampled line is a Zeek DNS JSON
// record, 70 when most are (an export wrapper line may be among them), 0
// when no line mentions a DNS field.
func sniffZeekJSON(lines [][]byte) int {
	var in interner
	cfg := decodeConfig{loc: time.UTC, intern: in.intern}
	d := zeekJSONDecoder{zeekCommon: zeekCommon{cfg: &cfg}}
	good, bad, dns := 0, 0, false
	for _, l := range lines {
		if bytes.Contains(l, []byte(`"query"`)) || bytes.Contains(l, []byte(`"qtype"`)) || bytes.Contains(l, []byte(`"_path":"dns"`)) {
			dns = true
		}
		var ev Event
		ok, err := d.decode(l, &ev)
		switch {
		case err != nil:
			bad++
		case ok:
			good++
		}
	}
	switch {
	case !dns || good == 0:
		return 0
	case bad == 0:
		return 90
	case good > bad:
		return 70
	}
	return 0
}
