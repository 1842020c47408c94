package whois

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
)

// maxObjects, maxAttrs and maxValue bound the objects of an answer, the
// attributes of an object and the bytes of a folded value.
const (
	maxObjects = 100000
	maxAttrs   = 10000
	maxValue   = 1 << 16
)

// splitObjects reads RPSL text into objects: attributes "name: value",
// objects separated by blank lines or comment lines ("%" or "#" at the
// start of a line), continuation lines starting with a space, a tab or
// "+" folded into the previous attribute. Lines that fit none of these are
// counted in bad. Comment lines are returned separately.
func splitObjects(text string) (objs []Object, comments []string, bad int) {
	var cur Object
	var parts []string // continuation text of the last attribute
	finishAttr := func() {
		if len(parts) == 0 || len(cur.Attrs) == 0 {
			parts = parts[:0]
			return
		}
		a := &cur.Attrs[len(cur.Attrs)-1]
		if a.Value != "" {
			parts = append([]string{a.Value}, parts...)
		}
		a.Value = strings.Join(parts, " ")
		if len(a.Value) > maxValue {
			a.Value = a.Value[:maxValue]
		}
		parts = parts[:0]
	}
	flush := func() {
		finishAttr()
		if len(cur.Attrs) > 0 && len(objs) < maxObjects {
			objs = append(objs, cur)
		}
		cur = Object{}
	}
	lineNo := 0
	for line := range strings.SplitSeq(text, "\n") {
		lineNo++
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
			continue
		case line[0] == '%' || line[0] == '#':
			flush()
			comments = append(comments, strings.TrimSpace(line[1:]))
			continue
		case line[0] == ' ' || line[0] == '\t' || line[0] == '+':
			if len(cur.Attrs) > 0 {
				if more := strings.TrimSpace(strings.TrimPrefix(line, "+")); more != "" {
					parts = append(parts, more)
				}
				continue
			}
		}
		name, value, ok := splitKV(line)
		if !ok || strings.ContainsAny(name, " .") || line[0] == ' ' || line[0] == '\t' {
			bad++
			continue
		}
		finishAttr()
		if len(cur.Attrs) < maxAttrs {
			cur.Attrs = append(cur.Attrs, Attr{Name: strings.ToLower(name), Value: value, Line: lineNo})
		}
	}
	flush()
	return objs, comments, bad
}

// cleanSource strips a trailing "# Filtered" comment and upper-cases an
// RPSL source value: "AfriNIC # Filtered" becomes "AFRINIC".
func cleanSource(v string) string {
	if i := strings.IndexByte(v, '#'); i >= 0 {
		v = v[:i]
	}
	return strings.ToUpper(strings.TrimSpace(v))
}

var reAbuseComment = regexp.MustCompile(`(?i)abuse contact for '[^']*' is '([^']+)'`)

// network is a candidate address block found in an answer.
type network struct {
	obj    int // index in objects, or -1
	ranges []netip.Prefix
}

// pickNetwork returns the index of the most specific candidate: among
// those covering query (all of them when query is invalid or none covers
// it), the one spanning the fewest addresses; ties go to the later one,
// since registries print less specific blocks first.
func pickNetwork(cands []network, query netip.Addr) int {
	best := -1
	var bestSize u128
	covering := false
	if query.IsValid() {
		for _, c := range cands {
			if (&Record{Ranges: c.ranges}).Contains(query) {
				covering = true
				break
			}
		}
	}
	for i, c := range cands {
		if covering && !(&Record{Ranges: c.ranges}).Contains(query) {
			continue
		}
		size := rangeSize(c.ranges)
		if best < 0 || !bestSize.less(size) {
			best, bestSize = i, size
		}
	}
	return best
}

// parseRPSL builds a Record from RPSL text: RIPE, APNIC, AFRINIC and
// LACNIC answers, and IRR route listings.
func (p *Parser) parseRPSL(text string, rec *Record) error {
	objs, comments, bad := splitObjects(text)
	rec.Objects = objs
	if bad > 0 {
		rec.Warnings = append(rec.Warnings, fmt.Sprintf("%d lines not understood", bad))
	}
	var nets, routes []network
	for i, o := range objs {
		switch o.Class() {
		case "inetnum", "inet6num":
			if rs, ok := parseRanges(o.Key()); ok {
				nets = append(nets, network{i, rs})
			} else {
				return p.errAt(FormatRPSL, o.Attrs[0].Line, ErrSyntax, "bad range "+quote(o.Key()))
			}
		case "route", "route6":
			if rs, ok := parseRanges(o.Key()); ok {
				routes = append(routes, network{i, rs})
			} else {
				return p.errAt(FormatRPSL, o.Attrs[0].Line, ErrSyntax, "bad route "+quote(o.Key()))
			}
		}
	}
	if len(nets) == 0 && len(routes) == 0 {
		return p.notFoundOr(FormatRPSL, text)
	}
	byHandle := map[string]int{}
	for i, o := range objs {
		for _, k := range []string{"nic-hdl", "organisation", "irt", "role", "mntner"} {
			if v := o.Get(k); v != "" && (k == "nic-hdl" || o.Class() == k) {
				if _, dup := byHandle[strings.ToUpper(v)]; !dup {
					byHandle[strings.ToUpper(v)] = i
				}
			}
		}
	}
	lookup := func(h string) (Object, bool) {
		if i, ok := byHandle[strings.ToUpper(strings.TrimSpace(h))]; ok {
			return objs[i], true
		}
		return Object{}, false
	}
	contact := func(h string) Contact {
		c := Contact{Handle: h}
		if o, ok := lookup(h); ok {
			c.Name = firstOf(o, "person", "role", "irt", "org-name")
			c.Email = firstOf(o, "abuse-mailbox", "e-mail")
			c.Phone = o.Get("phone")
			c.Street = strings.Join(o.GetAll("address"), ", ")
			c.Country = strings.ToUpper(o.Get("country"))
		}
		return c
	}

	if len(nets) == 0 {
		// Only routing-registry objects: a route record of every prefix.
		rec.Kind = KindRoute
		var origins []string
		for _, r := range routes {
			o := objs[r.obj]
			rec.Ranges = append(rec.Ranges, r.ranges...)
			if as := strings.ToUpper(o.Get("origin")); as != "" && !slices.Contains(origins, as) {
				origins = append(origins, as)
			}
			for _, d := range o.GetAll("descr") {
				if !slices.Contains(rec.Descr, d) {
					rec.Descr = append(rec.Descr, d)
				}
			}
			if rec.Source == "" {
				rec.Source = cleanSource(o.Get("source"))
			}
		}
		rec.OriginAS = strings.Join(origins, " ")
		if len(rec.Descr) > 0 {
			rec.Org = rec.Descr[0]
		}
		return nil
	}

	rec.Kind = KindNetwork
	n := nets[pickNetwork(nets, p.Query)]
	o := objs[n.obj]
	rec.Ranges = n.ranges
	rec.Handle = o.Key()
	rec.NetName = o.Get("netname")
	rec.Country = strings.ToUpper(o.Get("country"))
	rec.Status = o.Get("status")
	rec.Parent = o.Get("parent")
	rec.Descr = o.GetAll("descr")
	rec.Remarks = o.GetAll("remarks")
	rec.Source = cleanSource(o.Get("source"))
	if rec.Source == "" && strings.Contains(strings.ToLower(text), "lacnic") {
		rec.Source = "LACNIC"
	}
	switch {
	case o.Get("owner") != "": // LACNIC
		rec.Org, rec.OrgID = o.Get("owner"), o.Get("ownerid")
	case o.Get("org") != "":
		rec.OrgID = o.Get("org")
		if org, ok := lookup(rec.OrgID); ok {
			rec.Org = org.Get("org-name")
			if rec.Country == "" {
				rec.Country = strings.ToUpper(org.Get("country"))
			}
		}
	}
	if rec.Org == "" && len(rec.Descr) > 0 {
		rec.Org = rec.Descr[0]
	}
	if as := o.Get("aut-num"); strings.HasPrefix(strings.ToUpper(as), "AS") {
		rec.OriginAS = strings.ToUpper(as)
	} else if as != "" && as != "N/A" && strings.Trim(as, "0123456789") == "" {
		rec.OriginAS = "AS" + as
	}
	if rec.OriginAS == "" && len(routes) > 0 {
		// The most specific route object covering the block's first address.
		first := rec.Ranges[0].Addr()
		var cover []network
		for _, r := range routes {
			if (&Record{Ranges: r.ranges}).Contains(first) {
				cover = append(cover, r)
			}
		}
		if i := pickNetwork(cover, netip.Addr{}); i >= 0 {
			rec.OriginAS = strings.ToUpper(objs[cover[i].obj].Get("origin"))
		}
	}
	if h := o.Get("admin-c"); h != "" {
		rec.Admin = contact(h)
	}
	if h := o.Get("tech-c"); h != "" {
		rec.Tech = contact(h)
	}
	for _, c := range comments {
		if m := reAbuseComment.FindStringSubmatch(c); m != nil {
			rec.Abuse.Email = m[1]
			break
		}
	}
	for _, k := range []string{"abuse-c", "mnt-irt"} {
		if h := o.Get(k); h != "" {
			c := contact(h)
			if rec.Abuse.Email == "" || rec.Abuse.Email == c.Email {
				rec.Abuse = c
			}
			break
		}
	}
	if v := o.Get("created"); v != "" {
		rec.Created = p.date(rec, v)
	}
	if v := o.Get("last-modified"); v != "" {
		rec.Updated = p.date(rec, v)
	} else if v := o.Get("changed"); v != "" && strings.Trim(v, "0123456789") == "" { // LACNIC
		rec.Updated = p.date(rec, v)
	}
	if rec.Updated.IsZero() {
		for _, v := range o.GetAll("changed") {
			if t, ok := changedDate(v); ok && t.After(rec.Updated) {
				rec.Updated = t
			}
		}
	}
	return nil
}

// firstOf returns the first non-empty value among the named attributes.
func firstOf(o Object, names ...string) string {
	for _, n := range names {
		if v := o.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// date parses v with the Parser's location, noting ambiguity and failure
// in rec.
func (p *Parser) date(rec *Record, v string) time.Time {
	t, amb, ok := parseDate(v, p.Location)
	switch {
	case amb:
		rec.DateAmbiguous = true
		rec.Warnings = append(rec.Warnings, "ambiguous date "+quote(v))
	case !ok:
		rec.Warnings = append(rec.Warnings, "unparsed date "+quote(v))
	}
	return t
}
