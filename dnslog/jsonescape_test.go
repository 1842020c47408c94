package dnslog

import "testing"

func TestJSONUnescape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`plain.example`, "plain.example"},
		{`a\"b\\c\/d\te`, "a\"b\\c/d\te"},
		{`caf\u00e9`, "café"},
		{`\ud83d\ude00`, "😀"},            // surrogate pair → one rune
		{`x\ud83dy`, "x\uFFFDy"},         // lone surrogate → U+FFFD
		{`bad\q`, `bad\q`},               // malformed escape: kept as written
		{`cut\u12`, `cut\u12`},           // truncated \u: kept as written
		{`ok\n then \x`, `ok\n then \x`}, // one bad escape keeps the whole text
	} {
		got := string(jsonUnescape([]byte("pre:"), []byte(c.in)))
		if got != "pre:"+c.want {
			t.Errorf("jsonUnescape(%q) = %q, want %q", c.in, got, "pre:"+c.want)
		}
	}
	var buf []byte
	if v, ok := jsonStringValue([]byte(`"bad\q"`), &buf); ok {
		t.Errorf("jsonStringValue accepted a bad escape: %q", v)
	}
	if v, ok := jsonStringValue([]byte(`"a\u0041"`), &buf); !ok || string(v) != "aA" {
		t.Errorf("jsonStringValue = %q, %v; want aA, true", v, ok)
	}
}
