package nexus

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// NodeKind is what a graph node stands for.
type NodeKind string

// The node kinds.
const (
	// NodeClient is a client address.
	NodeClient NodeKind = "client"
	// NodeDomain is a registrable domain or query name (the report's
	// grouping).
	NodeDomain NodeKind = "domain"
	// NodeOrg is an organisation named by WHOIS: the holder of a client's
	// network or a domain's registrant.
	NodeOrg NodeKind = "org"
	// NodeSuffix is a DNS search suffix revealed by a leak: an internal
	// domain of the asking organisation.
	NodeSuffix NodeKind = "suffix"
)

// EdgeKind is the relation an edge stands for.
type EdgeKind string

// The edge kinds.
const (
	// EdgePair links a client to a domain it looked up (a scored pair),
	// weighted by its events.
	EdgePair EdgeKind = "pair"
	// EdgeLockstep links two clients that look up a domain in lock-step
	// (undirected), weighted by the matched events.
	EdgeLockstep EdgeKind = "lockstep"
	// EdgeSearchSuffix links the domain of a queried name to the search
	// suffix that a leak appended to it, weighted by the leak's lookups.
	EdgeSearchSuffix EdgeKind = "search-suffix"
	// EdgeUsesSuffix links a client to a search suffix it leaked.
	EdgeUsesSuffix EdgeKind = "uses-suffix"
	// EdgeOwnedBy links a client to the organisation holding its network.
	EdgeOwnedBy EdgeKind = "owned-by"
	// EdgeRegisteredTo links a domain to its registrant.
	EdgeRegisteredTo EdgeKind = "registered-to"
)

// Node is a vertex of a Graph.
type Node struct {
	// ID is unique in the graph: the kind, a colon and the name
	// ("client:192.0.2.1", "domain:example.com", "org:EXAMPLE-ORG",
	// "suffix:corp.example.net").
	ID    string   `json:"id"`
	Kind  NodeKind `json:"kind"`
	Label string   `json:"label"`
	// Events is the sum of the events of the node's pairs (clients and
	// domains).
	Events int64 `json:"events,omitempty"`
	// Verdict is the highest-ranked verdict among the node's pairs
	// (clients and domains).
	Verdict Verdict `json:"verdict,omitempty"`
	// Country is the client's country, or an organisation's, from WHOIS.
	Country string `json:"country,omitempty"`
}

// Edge is a link of a Graph, from the node with ID From to the node with
// ID To.
type Edge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind EdgeKind `json:"kind"`
	// Label says more: the domain of a lock-step, the run-on name of a
	// leak.
	Label string `json:"label,omitempty"`
	// Weight is the events of a pair, the matched events of a lock-step,
	// the lookups of a leak, and 1 otherwise.
	Weight float64 `json:"weight"`
	// Verdict, Beacon, Human and Period (seconds) are the pair's.
	Verdict Verdict `json:"verdict,omitempty"`
	Beacon  float64 `json:"beacon,omitempty"`
	Human   float64 `json:"human,omitempty"`
	Period  float64 `json:"period,omitempty"`
	// P is the p-value of a lock-step.
	P float64 `json:"p,omitempty"`
}

// Graph is the network of clients, domains, organisations and search
// suffixes of a report. Nodes are sorted by kind (client, domain, org,
// suffix) then ID; edges by kind, From, To and Label.
type Graph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

var nodeKinds = []NodeKind{NodeClient, NodeDomain, NodeOrg, NodeSuffix}
var edgeKinds = []EdgeKind{EdgePair, EdgeLockstep, EdgeSearchSuffix, EdgeUsesSuffix, EdgeOwnedBy, EdgeRegisteredTo}

// Graph returns the network of r: a node per client, domain, WHOIS
// organisation and leaked search suffix; an edge per scored pair (client →
// domain), per lock-step (client — client), per leak (domain → suffix, and
// client → suffix for each leaking client), per client network holder
// (client → org) and per domain registrant (domain → org). Every pair is
// included; filter the result for large reports.
func (r *Report) Graph() *Graph {
	b := graphBuilder{nodes: map[string]*Node{}}
	for i := range r.Scores {
		s := &r.Scores[i]
		c := b.node(NodeClient, addrString(s.Client), addrString(s.Client))
		d := b.node(NodeDomain, s.Domain, s.Domain)
		for _, n := range []*Node{c, d} {
			n.Events += s.Events
			if n.Verdict == "" || verdictRank(s.Verdict) < verdictRank(n.Verdict) {
				n.Verdict = verdictOr(s.Verdict)
			}
		}
		b.edges = append(b.edges, Edge{
			From: c.ID, To: d.ID, Kind: EdgePair, Weight: float64(s.Events),
			Verdict: verdictOr(s.Verdict), Beacon: num(s.Beacon), Human: num(s.Human), Period: num(s.Period.Seconds()),
		})
		e := &s.Enrichment
		if org := cmp.Or(e.OrgID, e.Org, e.NetName); org != "" {
			if c.Country == "" {
				c.Country = e.Country
			}
			o := b.node(NodeOrg, org, cmp.Or(e.Org, e.NetName, e.OrgID))
			if o.Country == "" {
				o.Country = e.Country
			}
			b.edge(Edge{From: c.ID, To: o.ID, Kind: EdgeOwnedBy, Weight: 1})
		}
		if e.Registrant != "" {
			o := b.node(NodeOrg, e.Registrant, e.Registrant)
			b.edge(Edge{From: d.ID, To: o.ID, Kind: EdgeRegisteredTo, Weight: 1})
		}
	}
	for _, s := range r.Syncs {
		a, c := addrString(s.A), addrString(s.B)
		if c < a {
			a, c = c, a
		}
		x := b.node(NodeClient, a, a)
		y := b.node(NodeClient, c, c)
		b.edges = append(b.edges, Edge{From: x.ID, To: y.ID, Kind: EdgeLockstep, Label: s.Domain,
			Weight: float64(s.Matched), P: num(s.P)})
	}
	for _, l := range r.Leaks {
		key := RegistrableDomain(l.Base)
		if r.By == ByName {
			key = l.Base
		}
		d := b.node(NodeDomain, key, key)
		sfx := b.node(NodeSuffix, l.Suffix, l.Suffix)
		b.edges = append(b.edges, Edge{From: d.ID, To: sfx.ID, Kind: EdgeSearchSuffix, Label: l.Name, Weight: float64(l.Count)})
		for _, a := range l.Clients {
			c := b.node(NodeClient, addrString(a), addrString(a))
			b.edge(Edge{From: c.ID, To: sfx.ID, Kind: EdgeUsesSuffix, Weight: 1})
		}
	}
	g := &Graph{Nodes: make([]Node, 0, len(b.nodes)), Edges: b.edges}
	for _, n := range b.nodes {
		g.Nodes = append(g.Nodes, *n)
	}
	slices.SortFunc(g.Nodes, func(a, b Node) int {
		if c := cmp.Compare(slices.Index(nodeKinds, a.Kind), slices.Index(nodeKinds, b.Kind)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	slices.SortStableFunc(g.Edges, func(a, b Edge) int {
		if c := cmp.Compare(slices.Index(edgeKinds, a.Kind), slices.Index(edgeKinds, b.Kind)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Label, b.Label))
	})
	if g.Edges == nil {
		g.Edges = []Edge{}
	}
	return g
}

func verdictOr(v Verdict) Verdict {
	if v == "" {
		return VerdictInsufficient
	}
	return v
}

type graphBuilder struct {
	nodes map[string]*Node
	edges []Edge
	seen  map[Edge]bool
}

func (b *graphBuilder) node(kind NodeKind, name, label string) *Node {
	id := string(kind) + ":" + name
	n, ok := b.nodes[id]
	if !ok {
		n = &Node{ID: id, Kind: kind, Label: label}
		b.nodes[id] = n
	}
	return n
}

// edge adds e once.
func (b *graphBuilder) edge(e Edge) {
	if b.seen == nil {
		b.seen = map[Edge]bool{}
	}
	if !b.seen[e] {
		b.seen[e] = true
		b.edges = append(b.edges, e)
	}
}

// WriteJSON writes g as one JSON object {"nodes": […], "edges": […]}, in
// the graph's order.
func (g *Graph) WriteJSON(w io.Writer) error {
	out := Graph{Nodes: g.Nodes, Edges: g.Edges}
	if out.Nodes == nil {
		out.Nodes = []Node{}
	}
	if out.Edges == nil {
		out.Edges = []Edge{}
	}
	for i := range out.Edges {
		if e := &out.Edges[i]; !finite(e.Weight, e.Beacon, e.Human, e.Period, e.P) {
			out.Edges = slices.Clone(out.Edges)
			for j := range out.Edges {
				e := &out.Edges[j]
				e.Weight, e.Beacon, e.Human, e.Period, e.P = num(e.Weight), num(e.Beacon), num(e.Human), num(e.Period), num(e.P)
			}
			break
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Colours of the DOT drawing.
var verdictColors = map[Verdict]string{
	VerdictBeacon:       "#d62728",
	VerdictMixed:        "#ff7f0e",
	VerdictHuman:        "#1f77b4",
	VerdictAperiodic:    "#7f7f7f",
	VerdictInsufficient: "#c7c7c7",
}

var edgeStyles = map[EdgeKind]string{
	EdgeLockstep:     `color="#9467bd", style=dashed, dir=none, penwidth=2`,
	EdgeSearchSuffix: `color="#2ca02c", style=bold`,
	EdgeUsesSuffix:   `color="#2ca02c", style=dotted`,
	EdgeOwnedBy:      `color="#555555", style=dotted, arrowhead=empty`,
	EdgeRegisteredTo: `color="#8c564b", style=dotted, arrowhead=empty`,
}

var nodeStyles = map[NodeKind]string{
	NodeClient: `shape=box, style="rounded,filled"`,
	NodeDomain: `shape=ellipse, style=filled`,
	NodeOrg:    `shape=house, style=filled, fillcolor="#f2f2f2"`,
	NodeSuffix: `shape=note, style=filled, fillcolor="#dff0d8"`,
}

// WriteDOT writes g in the Graphviz DOT language: clients as boxes,
// domains as ellipses, organisations as houses, search suffixes as notes;
// pair edges coloured by verdict (beacon red, mixed orange, human blue,
// aperiodic grey, insufficient light grey) and as wide as log10 of their
// events; lock-steps dashed purple, leaks green, ownership dotted; and a
// legend. Every ID and label is quoted and escaped.
func (g *Graph) WriteDOT(w io.Writer) error {
	ew := &errWriter{w: bufio.NewWriter(w)}
	fmt.Fprintf(ew, "digraph dnsnexus {\n")
	fmt.Fprintf(ew, "  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=1.2];\n")
	fmt.Fprintf(ew, "  node [fontname=\"Helvetica\", fontsize=10, color=\"#444444\"];\n")
	fmt.Fprintf(ew, "  edge [fontname=\"Helvetica\", fontsize=8, fontcolor=\"#444444\"];\n")
	for _, n := range g.Nodes {
		label := n.Label
		if n.Country != "" && n.Kind != NodeDomain {
			label += "\n" + n.Country
		}
		fill := ""
		if n.Kind == NodeClient || n.Kind == NodeDomain {
			fill = fmt.Sprintf(", fillcolor=%s", dotQuote(nodeFill(n.Verdict)))
		}
		style := nodeStyles[n.Kind]
		if style == "" {
			style = "shape=box"
		}
		fmt.Fprintf(ew, "  %s [label=%s, %s%s];\n", dotQuote(n.ID), dotQuote(label), style, fill)
	}
	for _, e := range g.Edges {
		var attrs string
		switch e.Kind {
		case EdgePair:
			label := string(e.Verdict)
			if e.Period > 0 && periodic(e.Verdict) {
				label += " " + fmtDur(durationOf(e.Period))
			}
			label += fmt.Sprintf("\n%.0f ev", num(e.Weight))
			attrs = fmt.Sprintf("color=%s, penwidth=%.2f, label=%s", dotQuote(verdictColor(e.Verdict)),
				1+math.Min(5, math.Log10(1+math.Max(0, num(e.Weight)))), dotQuote(label))
		case EdgeLockstep:
			attrs = edgeStyles[e.Kind] + fmt.Sprintf(", label=%s", dotQuote(fmt.Sprintf("lock-step\n%s\n%.0f matched", e.Label, num(e.Weight))))
		case EdgeSearchSuffix:
			attrs = edgeStyles[e.Kind] + fmt.Sprintf(", label=%s", dotQuote(e.Label))
		default:
			attrs = edgeStyles[e.Kind]
			if attrs == "" {
				attrs = `color="#000000"`
			}
			if e.Label != "" {
				attrs += fmt.Sprintf(", label=%s", dotQuote(e.Label))
			}
		}
		fmt.Fprintf(ew, "  %s -> %s [%s];\n", dotQuote(e.From), dotQuote(e.To), attrs)
	}
	writeLegend(ew)
	fmt.Fprintf(ew, "}\n")
	if ew.err != nil {
		return ew.err
	}
	return ew.w.(*bufio.Writer).Flush()
}

// writeLegend writes the legend: one node with an HTML-like table whose
// text is constant (no data reaches it).
func writeLegend(w io.Writer) {
	fmt.Fprintf(w, "  subgraph cluster_legend {\n")
	fmt.Fprintf(w, "    label=\"Legend\"; style=rounded; color=\"#999999\"; fontsize=10;\n")
	fmt.Fprintf(w, "    \"legend\" [shape=plaintext, margin=0, label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\">\n")
	row := func(color, text string) {
		fmt.Fprintf(w, "      <TR><TD WIDTH=\"24\" HEIGHT=\"4\" FIXEDSIZE=\"TRUE\" BGCOLOR=\"%s\"></TD><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">%s</FONT></TD></TR>\n", color, text)
	}
	for _, v := range sortedVerdicts {
		row(verdictColor(v), "pair: "+string(v))
	}
	row("#9467bd", "lock-step (dashed)")
	row("#2ca02c", "search suffix (solid: name, dotted: client)")
	row("#555555", "owned by (dotted)")
	row("#8c564b", "registered to (dotted)")
	fmt.Fprintf(w, "    </TABLE>>];\n")
	fmt.Fprintf(w, "  }\n")
}

func verdictColor(v Verdict) string {
	if c, ok := verdictColors[v]; ok {
		return c
	}
	return verdictColors[VerdictInsufficient]
}

// nodeFill is a light tint of the verdict's colour.
func nodeFill(v Verdict) string {
	switch v {
	case VerdictBeacon:
		return "#f7c6c7"
	case VerdictMixed:
		return "#ffdcb8"
	case VerdictHuman:
		return "#c6dbef"
	}
	return "#eeeeee"
}

func durationOf(sec float64) time.Duration {
	if !(sec > 0) || sec > 1e9 {
		return 0
	}
	return time.Duration(sec * 1e9)
}

// dotQuote returns s as a DOT quoted string: backslashes and quotes are
// escaped, line breaks become \n (a centred line break in a label),
// other control characters and invalid UTF-8 become U+FFFD.
func dotQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune('\uFFFD')
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
