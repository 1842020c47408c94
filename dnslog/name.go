package dnslog

import (
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// normalizeName returns the normalised form of a query name as the log
// wrote it: ASCII letters lowercased, one trailing dot removed (the root
// stays "."), non-ASCII labels converted to punycode. It reports false for
// an empty name or one that is not valid UTF-8 or has an empty label.
// intern is used for the result so repeated names share storage; raw is
// returned as RawName and shares the result's storage when the two are
// equal.
func normalizeName(b []byte, intern func([]byte) string) (name, raw string, ok bool) {
	if plainName(b) {
		s := intern(b)
		return s, s, true
	}
	return normalizeNameGeneral(b, intern)
}

// plainNameByte classifies the bytes of a plain name (see plainName): 0
// for bytes that keep a name from being plain, 1 for the dot, 2 for the
// others.
var plainNameByte = func() (t [256]byte) {
	for c := '!'; c <= '~'; c++ {
		t[c] = 2
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 0
	}
	t['\\'] = 0
	t['.'] = 1
	return t
}()

// plainName reports whether b is a name that normalizeName returns as it
// is: not empty, of printable ASCII bytes other than uppercase letters
// and the backslash (which starts escapes in some formats), with no empty
// label (no leading or trailing dot, no ".."; the root "." is not plain).
// It looks at each byte once.
func plainName(b []byte) bool {
	prev := byte(1) // as if a dot came before b: a leading dot fails
	for _, c := range b {
		k := plainNameByte[c]
		if k&prev == 1 || k == 0 { // "..", a leading dot, or a byte that is not plain
			return false
		}
		prev = k
	}
	return prev == 2 // not empty and no trailing dot
}

// normalizeNameGeneral is normalizeName without the fast path for plain
// names, which it returns alike.
func normalizeNameGeneral(b []byte, intern func([]byte) string) (name, raw string, ok bool) {
	if len(b) == 0 {
		return "", "", false
	}
	if len(b) == 1 && b[0] == '.' {
		s := intern(b)
		return s, s, true
	}
	clean := true // already lowercase ASCII without trailing dot
	ascii := true
	for _, c := range b {
		switch {
		case c >= 0x80:
			ascii, clean = false, false
		case 'A' <= c && c <= 'Z':
			clean = false
		case c <= ' ' || c == 0x7f:
			return "", "", false
		}
	}
	if b[len(b)-1] == '.' {
		clean = false
	}
	if clean {
		if !labelsOK(b) {
			return "", "", false
		}
		s := intern(b)
		return s, s, true
	}
	raw = intern(b)
	var buf [256]byte
	n := b
	if n[len(n)-1] == '.' {
		n = n[:len(n)-1]
	}
	if !ascii {
		if !utf8.Valid(n) {
			return "", "", false
		}
		p, err := idna.Lookup.ToASCII(string(n))
		if err != nil {
			// Keep names that IDNA rejects but that are still meaningful
			// (underscored service names with UTF-8 in them are rare; the
			// usual culprit is binary junk): reject.
			return "", "", false
		}
		n = []byte(p)
	}
	out := buf[:0]
	if len(n) > len(buf) {
		out = make([]byte, 0, len(n))
	}
	for _, c := range n {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	if !labelsOK(out) {
		return "", "", false
	}
	return intern(out), raw, true
}

// labelsOK reports whether b has no empty label ("..", a leading dot, or
// a trailing dot left after the one that marks the root was removed).
func labelsOK(b []byte) bool {
	if len(b) == 0 || b[0] == '.' || b[len(b)-1] == '.' {
		return false
	}
	for i := 1; i < len(b); i++ {
		if b[i] == '.' && b[i-1] == '.' {
			return false
		}
	}
	return true
}

// interner maps byte strings to shared strings. The zero value is ready.
// It is bounded: past maxInterned distinct entries it stops remembering
// new ones (they are still returned, just not shared), so hostile input
// with endless distinct names cannot grow it without limit.
type interner struct {
	m map[string]string
}

const maxInterned = 1 << 20

func (in *interner) intern(b []byte) string {
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if in.m == nil {
		in.m = make(map[string]string)
	}
	if len(in.m) < maxInterned {
		in.m[s] = s
	}
	return s
}
