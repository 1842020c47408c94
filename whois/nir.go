package whois

import (
	"regexp"
	"strings"
)

// reJPNIC matches JPNIC lines such as "a. [Network Number]  192.0.2.0/24"
// and "[Last Update]  2020/01/02 03:04:05(JST)".
var reJPNIC = regexp.MustCompile(`^(?:[a-z]\.\s*)?\[([^\]]+)\]\s*(.*?)\s*$`)

// parseJPNIC builds a Record from a JPNIC answer (English form, "/e"),
// already stripped of HTML. Only the first network block is read; the
// "Less Specific" and "More Specific" listings that follow are ignored.
func (p *Parser) parseJPNIC(text string, rec *Record) error {
	var o Object
	lineNo := 0
	for line := range strings.SplitSeq(text, "\n") {
		lineNo++
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "Less Specific Info") || strings.HasPrefix(t, "More Specific Info") {
			break
		}
		m := reJPNIC.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		o.Attrs = append(o.Attrs, Attr{Name: strings.ToLower(m[1]), Value: m[2], Line: lineNo})
	}
	rec.Objects = []Object{o}
	rng := firstOf(o, "network number", "ipv6 address", "ipv4 address")
	if rng == "" {
		return p.notFoundOr(FormatJPNIC, text)
	}
	rs, ok := parseRanges(rng)
	if !ok {
		return p.errAt(FormatJPNIC, o.Attrs[0].Line, ErrSyntax, "bad range "+quote(rng))
	}
	rec.Kind = KindNetwork
	rec.Source = "JPNIC"
	rec.Country = "JP"
	rec.Ranges = rs
	rec.NetName = o.Get("network name")
	rec.Org = o.Get("organization")
	rec.Status = o.Get("status")
	rec.Admin.Handle = o.Get("administrative contact")
	rec.Tech.Handle = o.Get("technical contact")
	rec.NameServers = normNames(o.GetAll("nameserver"))
	if v := firstOf(o, "assigned date", "allocated date"); v != "" {
		rec.Created = p.date(rec, v)
	}
	if v := o.Get("last update"); v != "" {
		rec.Updated = p.date(rec, v)
	}
	return nil
}

// reKRNICKV matches "Key Words   : value" lines of KRNIC's English section.
var reKRNICKV = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9 -]*?)\s*:\s?(.*)$`)

// parseKRNIC builds a Record from the "# ENGLISH" section of a KRNIC
// answer, already stripped of HTML. Each "[ Network Information ]" block
// is a candidate; the most specific one covering Query wins. KRNIC gives
// no country line: Country is "KR".
func (p *Parser) parseKRNIC(text string, rec *Record) error {
	if i := strings.Index(text, "# ENGLISH"); i >= 0 {
		text = text[i:]
	}
	var blocks []Object
	var cur *Object
	lineNo := 0
	for line := range strings.SplitSeq(text, "\n") {
		lineNo++
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.Contains(strings.ToLower(t), "network information") {
			blocks = append(blocks, Object{})
			cur = &blocks[len(blocks)-1]
			continue
		}
		if cur == nil || strings.HasPrefix(t, "----") {
			continue
		}
		if m := reKRNICKV.FindStringSubmatch(t); m != nil && len(cur.Attrs) < maxAttrs {
			cur.Attrs = append(cur.Attrs, Attr{Name: strings.ToLower(strings.TrimSpace(m[1])), Value: strings.TrimSpace(m[2]), Line: lineNo})
		}
	}
	rec.Objects = blocks
	var nets []network
	var idx []int
	for i, b := range blocks {
		rng := firstOf(b, "ipv4 address", "ipv6 address")
		if rng == "" {
			continue
		}
		rs, ok := parseRanges(rng)
		if !ok {
			return p.errAt(FormatKRNIC, b.Attrs[0].Line, ErrSyntax, "bad range "+quote(rng))
		}
		nets = append(nets, network{i, rs})
		idx = append(idx, i)
	}
	if len(nets) == 0 {
		return p.notFoundOr(FormatKRNIC, text)
	}
	k := pickNetwork(nets, p.Query)
	b := blocks[idx[k]]
	rec.Kind = KindNetwork
	rec.Source = "KRNIC"
	rec.Country = "KR"
	rec.Ranges = nets[k].ranges
	rec.Org = b.Get("organization name")
	rec.NetName = b.Get("service name")
	rec.Status = b.Get("network type")
	if v := b.Get("address"); v != "" {
		rec.Registrant.Street = v
	}
	if v := b.Get("registration date"); v != "" {
		rec.Created = p.date(rec, v)
	}
	rec.Tech = Contact{Name: b.Get("name"), Phone: b.Get("phone"), Email: b.Get("e-mail")}
	return nil
}

// parseRWhois builds a Record from an RWhois answer made of
// "network:Attribute:value" lines; blank lines separate networks.
func (p *Parser) parseRWhois(text string, rec *Record) error {
	var blocks []Object
	var cur Object
	flush := func() {
		if len(cur.Attrs) > 0 && len(blocks) < maxObjects {
			blocks = append(blocks, cur)
		}
		cur = Object{}
	}
	lineNo := 0
	for line := range strings.SplitSeq(text, "\n") {
		lineNo++
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '%' {
			flush()
			continue
		}
		class, rest, ok := strings.Cut(t, ":")
		if !ok || !strings.EqualFold(class, "network") {
			continue
		}
		name, value, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		if i := strings.IndexByte(name, ';'); i >= 0 { // "Org-Name;I"
			name = name[:i]
		}
		if strings.EqualFold(name, "Class-Name") || strings.EqualFold(name, "ID") && len(cur.Attrs) > 0 && cur.Get("id") != "" {
			flush()
		}
		if len(cur.Attrs) < maxAttrs {
			cur.Attrs = append(cur.Attrs, Attr{Name: strings.ToLower(name), Value: strings.TrimSpace(value), Line: lineNo})
		}
	}
	flush()
	rec.Objects = blocks
	var nets []network
	for i, b := range blocks {
		rng := firstOf(b, "ip-network", "ip-network-block", "ipv6-network")
		if rng == "" {
			continue
		}
		rs, ok := parseRanges(rng)
		if !ok {
			return p.errAt(FormatRWhois, b.Attrs[0].Line, ErrSyntax, "bad range "+quote(rng))
		}
		nets = append(nets, network{i, rs})
	}
	if len(nets) == 0 {
		return p.notFoundOr(FormatRWhois, text)
	}
	n := nets[pickNetwork(nets, p.Query)]
	b := blocks[n.obj]
	rec.Kind = KindNetwork
	rec.Source = "rwhois"
	if v := b.Get("auth-area"); v != "" {
		rec.Source = "rwhois " + v
	}
	rec.Ranges = n.ranges
	rec.Handle = b.Get("id")
	rec.NetName = b.Get("network-name")
	rec.Org = firstOf(b, "org-name", "organization", "org")
	rec.Country = strings.ToUpper(firstOf(b, "country-code", "country"))
	rec.Registrant.Street = b.Get("street-address")
	rec.Registrant.City = b.Get("city")
	rec.Tech.Handle = b.Get("tech-contact")
	rec.Admin.Handle = b.Get("admin-contact")
	if v := b.Get("created"); v != "" {
		rec.Created = p.date(rec, v)
	}
	if v := b.Get("updated"); v != "" {
		rec.Updated = p.date(rec, v)
	}
	return nil
}

// normNames lower-cases host names and drops trailing dots and empties.
func normNames(in []string) []string {
	var out []string
	for _, n := range in {
		if f := strings.Fields(n); len(f) > 0 {
			n = strings.TrimSuffix(strings.ToLower(f[0]), ".")
			if n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}
