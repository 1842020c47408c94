package dnslog

import (
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a small allocation-free scanner for the one-object-per-line
// JSON of AdGuard Home query logs and of container log wrappers (CoreDNS
// under Docker or Kubernetes). It walks the members of the top-level
// object and hands back each value's raw bytes with its offset, so that
// errors can name a column. Nested objects and arrays are skipped by
// bracket matching (strings inside them are honoured); their contents are
// not validated.

// jsonObject iterates over the members of the JSON object in a line.
type jsonObject struct {
	b    []byte
	i    int
	done bool
	err  error // set when the object is malformed; from badField
}

// openJSONObject starts scanning b, which must hold one JSON object
// (surrounding white space allowed). It reports false when b does not
// start with '{'.
func openJSONObject(b []byte) (jsonObject, bool) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return jsonObject{}, false
	}
	o := jsonObject{b: b, i: i + 1}
	j := skipJSONSpace(b, o.i)
	if j < len(b) && b[j] == '}' {
		o.i = j + 1
		o.finish()
	}
	return o, true
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func (o *jsonObject) fail(off int, detail string) {
	o.err = badField(off, ErrField, detail)
	o.done = true
}

// finish checks that nothing but white space follows the closing brace.
func (o *jsonObject) finish() {
	o.done = true
	if j := skipJSONSpace(o.b, o.i); j < len(o.b) {
		o.fail(j, "text after the JSON object")
	}
}

// next returns the next member: its key as written between the quotes
// (escapes not decoded), its raw value (strings keep their quotes) and the
// value's byte offset in the line. It reports false at the end of the
// object or on a syntax error, which o.err then holds.
func (o *jsonObject) next() (key, val []byte, off int, ok bool) {
	if o.done {
		return nil, nil, 0, false
	}
	b := o.b
	i := skipJSONSpace(b, o.i)
	if i >= len(b) || b[i] != '"' {
		o.fail(i, "expected a quoted key")
		return nil, nil, 0, false
	}
	end, okStr := scanJSONString(b, i)
	if !okStr {
		o.fail(i, "unterminated string")
		return nil, nil, 0, false
	}
	key = b[i+1 : end-1]
	i = skipJSONSpace(b, end)
	if i >= len(b) || b[i] != ':' {
		o.fail(i, "expected ':'")
		return nil, nil, 0, false
	}
	i = skipJSONSpace(b, i+1)
	off = i
	end, okVal := scanJSONValue(b, i)
	if !okVal {
		o.fail(i, "malformed value")
		return nil, nil, 0, false
	}
	val = b[i:end]
	i = skipJSONSpace(b, end)
	switch {
	case i < len(b) && b[i] == ',':
		o.i = i + 1
	case i < len(b) && b[i] == '}':
		o.i = i + 1
		o.finish()
		if o.err != nil {
			return nil, nil, 0, false
		}
	default:
		o.fail(i, "expected ',' or '}'")
		return nil, nil, 0, false
	}
	return key, val, off, true
}

// scanJSONString returns the offset just past the string starting with
// the quote at b[i].
func scanJSONString(b []byte, i int) (int, bool) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

// scanJSONValue returns the offset just past the value starting at b[i].
func scanJSONValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		return scanJSONString(b, i)
	case c == '{' || c == '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, ok := scanJSONString(b, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
		j := i
		for j < len(b) && (b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] >= '0' && b[j] <= '9' || b[j] >= 'a' && b[j] <= 'z' || b[j] == 'E') {
			j++
		}
		lit := string(b[i:j]) // no allocation: used only for comparison
		if c >= 'a' && lit != "true" && lit != "false" && lit != "null" {
			return 0, false
		}
		return j, true
	}
	return 0, false
}

// jsonStringValue decodes a raw JSON string value (with its quotes). It
// returns raw's own bytes when there is no escape, and otherwise decodes
// into buf (which it may grow) — either way the result is only valid
// until the next call with the same buf. It reports false for a value that
// is not a string or holds a bad escape.
func jsonStringValue(raw []byte, buf *[]byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, false
	}
	s := raw[1 : len(raw)-1]
	esc := false
	for _, c := range s {
		if c == '\\' {
			esc = true
			break
		}
	}
	if !esc {
		return s, true
	}
	out, ok := appendJSONUnescaped((*buf)[:0], s)
	if !ok {
		return nil, false
	}
	*buf = out
	return out, true
}

// appendJSONUnescaped appends the content s of a JSON string (without its
// quotes) to dst with its escapes decoded (RFC 8259 §7; a surrogate pair
// becomes one rune, a lone surrogate U+FFFD). It reports false for a bad
// or truncated escape.
func appendJSONUnescaped(dst, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		if i >= len(s) {
			return dst, false
		}
		switch s[i] {
		case '"', '\\', '/':
			dst = append(dst, s[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				return dst, false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok2 := hex4(s, i+3); ok2 && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					}
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return dst, false
		}
	}
	return dst, true
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
