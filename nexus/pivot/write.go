package pivot

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

// stampLayout is how the Markdown writers print times (always UTC).
const stampLayout = "2006-01-02 15:04:05Z"

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(stampLayout)
}

// WriteJSON writes v (a NameHistory, []Binding, []Hit, []MailSystem, a
// Report…) as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

// evidence prints positions as "file:line, line, …" sharing the file name.
func evidence(ps []dnslog.Position) string {
	var b strings.Builder
	file := "\x00"
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		if p.File != file {
			b.WriteString(p.String())
			file = p.File
		} else {
			b.WriteString(strconv.FormatInt(p.Line, 10))
		}
	}
	return cell(b.String())
}

func ttlText(b Binding) string {
	switch {
	case !b.HasTTL:
		return ""
	case b.MinTTL == b.MaxTTL:
		return strconv.FormatUint(uint64(b.MinTTL), 10)
	}
	return fmt.Sprintf("%d–%d", b.MinTTL, b.MaxTTL)
}

func resultText(p Period) string {
	if p.State != StateAnswers {
		return p.State.String()
	}
	return strings.Join(p.AnswerText(), ", ")
}

// WriteMarkdown writes the binding-history section of one name: its
// lookups as periods of equal results, the changes between them, and the
// addresses it resolved to with the other names seen on each. A name the
// History never saw gets one sentence saying so.
func WriteMarkdown(w io.Writer, h *History, name string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### Binding history of %s\n\n", code(name))
	n := h.Name(name)
	if n == nil {
		fmt.Fprintf(bw, "No lookups of or answers for %s in the logs.\n", code(name))
		return bw.Flush()
	}
	if len(n.Series) > 0 {
		var total int64
		first, last := n.Series[0].First, n.Series[0].Last
		var per []string
		for _, s := range n.Series {
			total += s.Count
			first = minTime(first, s.First)
			last = maxTime(last, s.Last)
			per = append(per, fmt.Sprintf("%s %d", typeText(s.Type), s.Count))
		}
		fmt.Fprintf(bw, "Looked up %d times from %s to %s (%s).\n\n", total, stamp(first), stamp(last), strings.Join(per, ", "))
		fmt.Fprintln(bw, "| Type | From | To | Lookups | Result | Evidence |")
		fmt.Fprintln(bw, "|---|---|---|---:|---|---|")
		for _, s := range n.Series {
			for i, p := range s.Periods {
				if i == len(s.Periods)-1 && s.Omitted > 0 {
					fmt.Fprintf(bw, "| %s | … | … | … | %d periods not kept | |\n", typeText(s.Type), s.Omitted)
				}
				fmt.Fprintf(bw, "| %s | %s | %s | %d | %s | %s |\n", typeText(s.Type), stamp(p.First), stamp(p.Last),
					p.Count, cell(resultText(p)), evidence(distinct(p.FirstPos, p.LastPos)))
			}
		}
		fmt.Fprintln(bw)
	}
	if len(n.Changes) > 0 {
		fmt.Fprintln(bw, "Changes:")
		fmt.Fprintln(bw)
		for _, c := range n.Changes {
			fmt.Fprintf(bw, "- **%s** (%s): %s until %s (%s); %s from %s (%s)\n", c.Kind, typeText(c.Type),
				resultText(c.Before), stamp(c.Before.Last), c.Before.LastPos, resultText(c.After), stamp(c.After.First),
				c.After.FirstPos)
		}
		fmt.Fprintln(bw)
	}
	var rows []Binding
	for _, b := range n.Bindings {
		if b.Addr.IsValid() {
			rows = append(rows, b)
		}
	}
	if len(rows) > 0 {
		fmt.Fprintln(bw, "| Address | Type | Via | First | Last | Answers | TTL | Other names on the address | Evidence |")
		fmt.Fprintln(bw, "|---|---|---|---|---|---:|---|---|---|")
		for _, b := range rows {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %d | %s | %s | %s |\n", b.Addr, typeText(b.Type), cell(b.Via),
				stamp(b.First), stamp(b.Last), b.Count, ttlText(b), cell(others(h, b.Addr, name)), evidence(b.Positions))
		}
		fmt.Fprintln(bw)
	}
	var other []Binding
	for _, b := range n.Bindings {
		if !b.Addr.IsValid() {
			other = append(other, b)
		}
	}
	other = append(other, n.Aliases...)
	if len(other) > 0 {
		fmt.Fprintln(bw, "Other records:")
		fmt.Fprintln(bw)
		writeBindingRows(bw, other)
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

func distinct(a, b dnslog.Position) []dnslog.Position {
	if a == b {
		return []dnslog.Position{a}
	}
	return []dnslog.Position{a, b}
}

// others lists the names other than name bound to addr, each with its
// binding types and the day it was first seen.
func others(h *History, addr netip.Addr, name string) string {
	type agg struct {
		types []string
		first time.Time
	}
	var order []string
	seen := make(map[string]*agg)
	for _, b := range h.Addr(addr) { // sorted by first seen
		if b.Name == name || b.Via == name {
			continue
		}
		a := seen[b.Name]
		if a == nil {
			a = &agg{first: b.First}
			seen[b.Name] = a
			order = append(order, b.Name)
		}
		if t := typeText(b.Type); !slices.Contains(a.types, t) {
			a.types = append(a.types, t)
		}
	}
	out := make([]string, len(order))
	for i, n := range order {
		a := seen[n]
		out[i] = fmt.Sprintf("%s (%s, from %s)", n, strings.Join(a.types, ", "), a.first.UTC().Format(time.DateOnly))
	}
	return strings.Join(out, "; ")
}

func typeText(t dnslog.Type) string {
	if t == 0 {
		return "?"
	}
	return t.String()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func writeBindingRows(bw *bufio.Writer, bs []Binding) {
	fmt.Fprintln(bw, "| Name | Type | Data | Via | First | Last | Answers | TTL | Evidence |")
	fmt.Fprintln(bw, "|---|---|---|---|---|---|---:|---|---|")
	for _, b := range bs {
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", cell(b.Name), typeText(b.Type), cell(b.Data),
			cell(b.Via), stamp(b.First), stamp(b.Last), b.Count, ttlText(b), evidence(b.Positions))
	}
}

// WriteBindings writes bindings (from History.Addr, CoHosted or Bindings)
// as a Markdown table.
func WriteBindings(w io.Writer, bs []Binding) error {
	bw := bufio.NewWriter(w)
	writeBindingRows(bw, bs)
	return bw.Flush()
}

// WriteHits writes search hits grouped by registrable domain as a Markdown
// table.
func WriteHits(w io.Writer, groups []DomainHits) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "| Domain | Found in | Text | Name | Type | Address | First | Last | Count | Evidence |")
	fmt.Fprintln(bw, "|---|---|---|---|---|---|---|---|---:|---|")
	for _, g := range groups {
		for _, h := range g.Hits {
			addr := ""
			if h.Addr.IsValid() {
				addr = h.Addr.String()
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", cell(g.Domain), h.Field, cell(h.Text),
				cell(h.Name), typeText(h.Type), addr, stamp(h.First), stamp(h.Last), h.Count, evidence(h.Positions))
		}
	}
	return bw.Flush()
}

// WriteRegistrants writes registrant matches as a Markdown table.
func WriteRegistrants(w io.Writer, ms []RegistrantMatch) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "| Domain | Matched | Value | Match | Edits | Registrar | Created |")
	fmt.Fprintln(bw, "|---|---|---|---|---:|---|---|")
	for _, m := range ms {
		created := ""
		if !m.Created.IsZero() {
			created = m.Created.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %d | %s | %s |\n", cell(m.Domain), m.Field, cell(m.Value), m.Kind,
			m.Distance, cell(m.Registrar), created)
	}
	return bw.Flush()
}

// WriteNetworks writes network matches as a Markdown table.
func WriteNetworks(w io.Writer, ms []NetworkMatch) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "| Ranges | Net name | Holder | Country | Matched | Value | Match | Edits |")
	fmt.Fprintln(bw, "|---|---|---|---|---|---|---|---:|")
	for _, m := range ms {
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s | %d |\n", prefixes(m.Ranges), cell(m.NetName), cell(m.Org),
			m.Country, m.Field, cell(m.Value), m.Kind, m.Distance)
	}
	return bw.Flush()
}

func prefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, " ")
}

// WriteMail writes mail systems as a Markdown table, one row per host and
// address.
func WriteMail(w io.Writer, ms []MailSystem) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "| Host | MX for | Domain registrant | Address | First | Last | Answers | Network | Network holder | Evidence |")
	fmt.Fprintln(bw, "|---|---|---|---|---|---|---:|---|---|---|")
	for _, m := range ms {
		var mx []string
		for _, r := range m.MXFor {
			if r.Pref >= 0 {
				mx = append(mx, fmt.Sprintf("%s (%d)", r.Domain, r.Pref))
			} else {
				mx = append(mx, r.Domain)
			}
		}
		mxText := strings.Join(mx, ", ")
		if mxText == "" && m.ByName {
			mxText = "(by name)"
		}
		if len(m.Addrs) == 0 {
			fmt.Fprintf(bw, "| %s | %s | %s | | | | | | | |\n", cell(m.Host), cell(mxText), cell(m.Registrant))
		}
		for _, a := range m.Addrs {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %d | %s | %s | %s |\n", cell(m.Host), cell(mxText),
				cell(m.Registrant), a.Addr, stamp(a.First), stamp(a.Last), a.Count,
				cell(strings.TrimSpace(prefixes(a.Ranges)+" "+a.NetName)), cell(a.Owner), evidence(a.Positions))
		}
	}
	return bw.Flush()
}

// WriteLive writes live answers as a Markdown table.
func WriteLive(w io.Writer, rs []LiveRecord) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "| Name | Type | Result | Answers | Server | Time |")
	fmt.Fprintln(bw, "|---|---|---|---|---|---|")
	for _, r := range rs {
		res := cmp.Or(r.Err, r.RCode.String())
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", cell(r.Name), typeText(r.Type), cell(res),
			cell(strings.Join(answerStrings(r.Answers), ", ")), cell(r.Server), stamp(r.Time))
	}
	return bw.Flush()
}
