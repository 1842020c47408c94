package whois

import (
	"regexp"
	"strings"
)

// reARINTerse matches ARIN's one-line-per-network listing:
// "Example Org EXAMPLE-NET (NET-192-0-2-0-1) 192.0.2.0 - 192.0.2.255".
var reARINTerse = regexp.MustCompile(`^(.*?)\s+(\S+)\s+\((NET6?-[0-9A-Za-z-]+)\)\s+(\S+)\s+-\s+(\S+)\s*$`)

// reParenHandle splits "Example Org (EXAMPLE-1)" into name and handle.
var reParenHandle = regexp.MustCompile(`^(.*?)\s*\(([^()]+)\)\s*$`)

// arinSection is the text between two "#" comment blocks of an ARIN answer.
type arinSection struct{ objs []Object }

// splitARIN reads ARIN text into sections of blocks. Lines are
// "Name: value" (leading indentation ignored); a blank line ends a block,
// a "#" comment line ends a section. Terse lines come back separately.
func splitARIN(text string) (sections []arinSection, terse []string) {
	var sec arinSection
	var cur Object
	endObj := func() {
		if len(cur.Attrs) > 0 && len(sec.objs) < maxObjects {
			sec.objs = append(sec.objs, cur)
		}
		cur = Object{}
	}
	endSec := func() {
		endObj()
		if len(sec.objs) > 0 {
			sections = append(sections, sec)
		}
		sec = arinSection{}
	}
	lineNo := 0
	for line := range strings.SplitSeq(text, "\n") {
		lineNo++
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			endObj()
		case t[0] == '#' || t[0] == '%':
			endSec()
		case strings.Contains(t, "(NET") && reARINTerse.MatchString(t):
			endObj()
			terse = append(terse, t)
		default:
			name, value, ok := splitKV(t)
			if ok && len(cur.Attrs) < maxAttrs {
				cur.Attrs = append(cur.Attrs, Attr{Name: name, Value: value, Line: lineNo})
			}
		}
	}
	endSec()
	return sections, terse
}

// parseARIN builds a Record from an ARIN answer: the full form (several
// networks possible, each in its own section with its organisation), the
// terse one-line form and indented variants. The most specific network
// covering the Parser's Query wins.
func (p *Parser) parseARIN(text string, rec *Record) error {
	sections, terse := splitARIN(text)
	type cand struct {
		net  Object
		sec  int // -1 for terse
		line string
	}
	var cands []cand
	var nets []network
	var referral string
	for si, s := range sections {
		for _, o := range s.objs {
			rec.Objects = append(rec.Objects, o)
			if v := o.Get("ReferralServer"); v != "" && referral == "" {
				referral = v
			}
			rng := o.Get("NetRange")
			if rng == "" {
				rng = o.Get("CIDR")
			}
			if rng == "" {
				continue
			}
			rs, ok := parseRanges(rng)
			if !ok {
				return p.errAt(FormatARIN, o.Attrs[0].Line, ErrSyntax, "bad range "+quote(rng))
			}
			cands = append(cands, cand{net: o, sec: si})
			nets = append(nets, network{-1, rs})
		}
	}
	for _, t := range terse {
		m := reARINTerse.FindStringSubmatch(t)
		first, ok1 := parseAddrLoose(m[4])
		last, ok2 := parseAddrLoose(m[5])
		rs := RangePrefixes(first, last)
		if !ok1 || !ok2 || rs == nil {
			continue
		}
		cands = append(cands, cand{sec: -1, line: t})
		nets = append(nets, network{-1, rs})
	}
	rec.Referral = referral
	rec.Source = "ARIN"
	if len(cands) == 0 {
		if referral != "" {
			rec.Kind = KindNetwork
			rec.Warnings = append(rec.Warnings, "referral only, no network")
			return nil
		}
		return p.notFoundOr(FormatARIN, text)
	}
	rec.Kind = KindNetwork
	i := pickNetwork(nets, p.Query)
	c := cands[i]
	rec.Ranges = nets[i].ranges
	if c.sec < 0 {
		m := reARINTerse.FindStringSubmatch(c.line)
		rec.Org, rec.NetName, rec.Handle = m[1], m[2], m[3]
		return nil
	}
	o := c.net
	rec.NetName = o.Get("NetName")
	rec.Handle = o.Get("NetHandle")
	rec.Parent = o.Get("Parent")
	rec.Status = o.Get("NetType")
	rec.OriginAS = strings.ToUpper(strings.TrimSpace(o.Get("OriginAS")))
	if i := strings.IndexAny(rec.OriginAS, ", "); i >= 0 {
		rec.OriginAS = rec.OriginAS[:i]
	}
	rec.Remarks = o.GetAll("Comment")
	for _, k := range []string{"Organization", "Customer", "CustName"} {
		if v := o.Get(k); v != "" {
			if m := reParenHandle.FindStringSubmatch(v); m != nil {
				rec.Org, rec.OrgID = m[1], m[2]
			} else {
				rec.Org = v
			}
			break
		}
	}
	if v := o.Get("RegDate"); v != "" {
		rec.Created = p.date(rec, v)
	}
	if v := o.Get("Updated"); v != "" {
		rec.Updated = p.date(rec, v)
	}
	// The organisation or customer block and the POCs of the same section.
	for _, b := range sections[c.sec].objs {
		switch {
		case b.Get("OrgName") != "" || b.Get("CustName") != "":
			rec.Org = firstOf(b, "OrgName", "CustName")
			if id := b.Get("OrgId"); id != "" {
				rec.OrgID = id
			}
			rec.Country = strings.ToUpper(b.Get("Country"))
		case b.Get("OrgAbuseHandle") != "" || b.Get("OrgAbuseEmail") != "":
			if rec.Abuse.IsZero() {
				rec.Abuse = Contact{Handle: b.Get("OrgAbuseHandle"), Name: b.Get("OrgAbuseName"),
					Email: b.Get("OrgAbuseEmail"), Phone: b.Get("OrgAbusePhone")}
			}
		case b.Get("RAbuseHandle") != "" || b.Get("RAbuseEmail") != "":
			rec.Abuse = Contact{Handle: b.Get("RAbuseHandle"), Name: b.Get("RAbuseName"),
				Email: b.Get("RAbuseEmail"), Phone: b.Get("RAbusePhone")}
		case b.Get("OrgTechHandle") != "":
			if rec.Tech.IsZero() {
				rec.Tech = Contact{Handle: b.Get("OrgTechHandle"), Name: b.Get("OrgTechName"),
					Email: b.Get("OrgTechEmail"), Phone: b.Get("OrgTechPhone")}
			}
		case b.Get("RTechHandle") != "":
			rec.Tech = Contact{Handle: b.Get("RTechHandle"), Name: b.Get("RTechName"),
				Email: b.Get("RTechEmail"), Phone: b.Get("RTechPhone")}
		}
	}
	return nil
}
