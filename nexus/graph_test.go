package nexus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestGraph(t *testing.T) {
	g := fixtureReport().Graph()
	wantNodes := []Node{
		{ID: "client:192.0.2.15", Kind: NodeClient, Label: "192.0.2.15", Events: 500, Verdict: VerdictBeacon, Country: "RU"},
		{ID: "client:192.0.2.16", Kind: NodeClient, Label: "192.0.2.16", Events: 480, Verdict: VerdictHuman},
		{ID: "client:198.51.100.8", Kind: NodeClient, Label: "198.51.100.8", Events: 270, Verdict: VerdictMixed},
		{ID: "client:2001:db8::7", Kind: NodeClient, Label: "2001:db8::7", Events: 2, Verdict: VerdictInsufficient},
		{ID: "domain:mail-vendor.example", Kind: NodeDomain, Label: "mail-vendor.example", Events: 980, Verdict: VerdictBeacon},
		{ID: "domain:rare.example", Kind: NodeDomain, Label: "rare.example", Events: 2, Verdict: VerdictInsufficient},
		{ID: "domain:we|ird`na*me_[x](y)<b>.example", Kind: NodeDomain, Label: "we|ird`na*me_[x](y)<b>.example", Events: 270, Verdict: VerdictMixed},
		{ID: "org:Mail Vendor Inc.", Kind: NodeOrg, Label: "Mail Vendor Inc."},
		{ID: "org:ORG-EB1", Kind: NodeOrg, Label: "Example Bank", Country: "RU"},
		{ID: "suffix:corp.bank.example", Kind: NodeSuffix, Label: "corp.bank.example"},
	}
	wantEdges := []Edge{
		{From: "client:192.0.2.15", To: "domain:mail-vendor.example", Kind: EdgePair, Weight: 500, Verdict: VerdictBeacon, Beacon: 0.912346, Human: 0.05, Period: 3600},
		{From: "client:192.0.2.16", To: "domain:mail-vendor.example", Kind: EdgePair, Weight: 480, Verdict: VerdictHuman, Beacon: 0.05, Human: 0.77, Period: 85800},
		{From: "client:198.51.100.8", To: "domain:we|ird`na*me_[x](y)<b>.example", Kind: EdgePair, Weight: 270, Verdict: VerdictMixed, Beacon: 0.6, Human: 0.4, Period: 90},
		{From: "client:2001:db8::7", To: "domain:rare.example", Kind: EdgePair, Weight: 2, Verdict: VerdictInsufficient},
		{From: "client:192.0.2.15", To: "client:192.0.2.16", Kind: EdgeLockstep, Label: "mail-vendor.example", Weight: 466, P: 1e-300},
		{From: "domain:mail-vendor.example", To: "suffix:corp.bank.example", Kind: EdgeSearchSuffix, Label: "mail1.mail-vendor.example.corp.bank.example", Weight: 2},
		{From: "client:192.0.2.16", To: "suffix:corp.bank.example", Kind: EdgeUsesSuffix, Weight: 1},
		{From: "client:192.0.2.15", To: "org:ORG-EB1", Kind: EdgeOwnedBy, Weight: 1},
		{From: "domain:mail-vendor.example", To: "org:Mail Vendor Inc.", Kind: EdgeRegisteredTo, Weight: 1},
	}
	if diff := cmp.Diff(wantNodes, g.Nodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantEdges, g.Edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
}

func TestGraphGolden(t *testing.T) {
	g := fixtureReport().Graph()
	var dot, js bytes.Buffer
	if err := g.WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	if err := g.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "graph.dot", dot.Bytes())
	golden(t, "graph.json", js.Bytes())
	var back Graph
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(g, &back); diff != "" {
		t.Errorf("graph JSON round trip (-want +got):\n%s", diff)
	}
}

// dotToken is a token of the DOT language: an ID (quoted strings
// unescaped), or punctuation.
type dotToken struct {
	text   string
	quoted bool
}

// lexDOT splits DOT text into tokens, failing on an unterminated string.
func lexDOT(src string) ([]dotToken, error) {
	var out []dotToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					if src[j+1] == '"' {
						b.WriteByte('"')
						j++
						continue
					}
					// Other escapes stay as written (Graphviz reads them in labels).
					b.WriteByte('\\')
					b.WriteByte(src[j+1])
					j++
					continue
				}
				if src[j] == '\n' {
					return nil, fmt.Errorf("line break inside a string at byte %d", j)
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated string at byte %d", i)
			}
			out = append(out, dotToken{b.String(), true})
			i = j + 1
		case c == '<': // an HTML-like string: nested angle brackets
			depth, j := 0, i
			for ; j < len(src); j++ {
				if src[j] == '<' {
					depth++
				} else if src[j] == '>' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated HTML string at byte %d", i)
			}
			out = append(out, dotToken{src[i : j+1], false})
			i = j + 1
		case strings.HasPrefix(src[i:], "->"), strings.HasPrefix(src[i:], "--"):
			out = append(out, dotToken{src[i : i+2], false})
			i += 2
		case strings.IndexByte("{}[];,=", c) >= 0:
			out = append(out, dotToken{src[i : i+1], false})
			i++
		default:
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '.' || src[j] == '#' ||
				'a' <= src[j] && src[j] <= 'z' || 'A' <= src[j] && src[j] <= 'Z' || '0' <= src[j] && src[j] <= '9') {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q at byte %d", c, i)
			}
			out = append(out, dotToken{src[i:j], false})
			i = j
		}
	}
	return out, nil
}

// checkDOT checks that DOT text is sane: it lexes, braces and brackets
// balance, every edge endpoint is declared as a node before, and every
// node is declared once.
func checkDOT(t *testing.T, src string) (nodes map[string]bool, edges int) {
	t.Helper()
	toks, err := lexDOT(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) < 3 || toks[0].text != "digraph" || toks[len(toks)-1].text != "}" {
		t.Fatalf("not a digraph: starts %v", toks[:min(3, len(toks))])
	}
	braces, brackets := 0, 0
	nodes = map[string]bool{}
	for i, tk := range toks {
		if !tk.quoted {
			switch tk.text {
			case "{":
				braces++
			case "}":
				braces--
			case "[":
				brackets++
			case "]":
				brackets--
			}
			if braces < 0 || brackets < 0 || brackets > 1 {
				t.Fatalf("unbalanced at token %d", i)
			}
			continue
		}
		if brackets > 0 {
			continue
		}
		// A quoted ID outside an attribute list: a node statement or an
		// edge endpoint.
		prevArrow := i > 0 && toks[i-1].text == "->" && !toks[i-1].quoted
		nextArrow := i+1 < len(toks) && toks[i+1].text == "->" && !toks[i+1].quoted
		switch {
		case prevArrow || nextArrow:
			if !nodes[tk.text] {
				t.Errorf("edge endpoint %q not declared before", tk.text)
			}
			if nextArrow {
				edges++
			}
		case i+1 < len(toks) && toks[i+1].text == "[":
			if nodes[tk.text] {
				t.Errorf("node %q declared twice", tk.text)
			}
			nodes[tk.text] = true
		case i > 0 && toks[i-1].text == "=":
			// a graph attribute value
		default:
			t.Errorf("stray string %q", tk.text)
		}
	}
	if braces != 0 || brackets != 0 {
		t.Errorf("unbalanced: braces %d, brackets %d", braces, brackets)
	}
	return nodes, edges
}

func TestWriteDOTSane(t *testing.T) {
	r := fixtureReport()
	// Names with every character DOT or its labels treat specially.
	hostile := []string{`q"uote.example`, `back\slash.example`, "new\nline.example", `end\`, `\N\G\L.example`, "bad\xffutf8.example", `a"]; x -> y [`}
	for i, h := range hostile {
		r.Scores = append(r.Scores, Score{Pair: Pair{Client: netip.AddrFrom4([4]byte{203, 0, 113, byte(i)}), Domain: h, Events: 3}, Verdict: VerdictAperiodic})
	}
	g := r.Graph()
	var buf bytes.Buffer
	if err := g.WriteDOT(&buf); err != nil {
		t.Fatal(err)
	}
	nodes, edges := checkDOT(t, buf.String())
	for _, n := range g.Nodes {
		want := dotUnquote(dotQuote(n.ID))
		if !nodes[want] {
			t.Errorf("node %q missing from the DOT output", n.ID)
		}
	}
	if want := len(g.Edges); edges != want {
		t.Errorf("%d edges, want %d", edges, want)
	}
	// Escaping is one-to-one: as many distinct node IDs as nodes (plus
	// the legend).
	if want := len(g.Nodes) + 1; len(nodes) != want {
		t.Errorf("%d distinct node IDs, want %d", len(nodes), want)
	}
}

// dotUnquote undoes the quoting of dotQuote as the lexer does (only \"
// is unescaped; other escapes are kept as written).
func dotUnquote(q string) string {
	toks, err := lexDOT(q)
	if err != nil || len(toks) != 1 {
		return ""
	}
	return toks[0].text
}

func TestDOTQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{`end\`, `"end\\"`},
		{"two\nlines", `"two\nlines"`},
		{"tab\there", "\"tab\uFFFDhere\""},
		{"bad\xff", "\"bad\uFFFD\""},
	} {
		if got := dotQuote(c.in); got != c.want {
			t.Errorf("dotQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestWriteDOTRenders runs Graphviz on the output when it is installed.
func TestWriteDOTRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz dot not installed")
	}
	r := fixtureReport()
	r.Scores = append(r.Scores, Score{Pair: Pair{Client: netip.MustParseAddr("203.0.113.9"), Domain: `q"uote\back.example`, Events: 3}})
	var buf bytes.Buffer
	if err := r.Graph().WriteDOT(&buf); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), dot, "-Tsvg")
	cmd.Stdin = &buf
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "rror") {
		t.Errorf("dot: %s", stderr.String())
	}
	for _, want := range []string{"<svg", "mail&#45;vendor.example", "Legend", "lock&#45;step"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("rendered SVG lacks %q", want)
		}
	}
}

func TestGraphEmpty(t *testing.T) {
	g := (&Report{}).Graph()
	var buf bytes.Buffer
	if err := g.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(buf.String()), ""); got != `{"nodes":[],"edges":[]}` {
		t.Errorf("empty graph JSON %s", got)
	}
	buf.Reset()
	if err := g.WriteDOT(&buf); err != nil {
		t.Fatal(err)
	}
	checkDOT(t, buf.String())
}

// FuzzDOTQuote checks that any text quotes to exactly one DOT string that
// reads back as the text (with invalid UTF-8 and control characters other
// than line breaks replaced by U+FFFD), so that no name can end a string
// early or add a statement.
func FuzzDOTQuote(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, `end\`, "new\nline", `a"]; x -> y [`, "\xff\x00", `\N\G`, "\\\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := dotQuote(s)
		if strings.ContainsAny(q, "\n\r") {
			t.Fatalf("dotQuote(%q) = %q holds a raw line break", s, q)
		}
		toks, err := lexDOT(q)
		if err != nil || len(toks) != 1 || !toks[0].quoted {
			t.Fatalf("dotQuote(%q) = %q lexes as %v, %v", s, q, toks, err)
		}
		// Decode the DOT escapes dotQuote writes.
		var got strings.Builder
		in := q[1 : len(q)-1]
		for i := 0; i < len(in); i++ {
			if in[i] == '\\' {
				if i+1 >= len(in) {
					t.Fatalf("dotQuote(%q) = %q ends in a lone backslash", s, q)
				}
				switch in[i+1] {
				case '\\', '"':
					got.WriteByte(in[i+1])
				case 'n':
					got.WriteByte('\n')
				default:
					t.Fatalf("dotQuote(%q) = %q: unexpected escape \\%c", s, q, in[i+1])
				}
				i++
				continue
			}
			got.WriteByte(in[i])
		}
		var want strings.Builder
		for i, w := 0, 0; i < len(s); i += w {
			r, n := utf8.DecodeRuneInString(s[i:])
			w = n
			if r == utf8.RuneError && n == 1 || r != '\n' && (r < 0x20 || r == 0x7f) {
				r = utf8.RuneError
			}
			want.WriteRune(r)
		}
		if got.String() != want.String() {
			t.Fatalf("dotQuote(%q) reads back as %q, want %q", s, got.String(), want.String())
		}
	})
}
