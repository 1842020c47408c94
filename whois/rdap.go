package whois

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
)

// rdapRegistries maps the port43 host of an RDAP answer to its registry.
var rdapRegistries = map[string]string{
	"whois.arin.net":    "ARIN",
	"whois.ripe.net":    "RIPE",
	"whois.apnic.net":   "APNIC",
	"whois.lacnic.net":  "LACNIC",
	"whois.afrinic.net": "AFRINIC",
	"whois.nic.ad.jp":   "JPNIC",
	"whois.kisa.or.kr":  "KRNIC",
	"whois.nic.or.kr":   "KRNIC",
}

// jsonObj is a decoded JSON object; the accessors tolerate wrong types.
type jsonObj map[string]any

func (o jsonObj) str(k string) string {
	switch v := o[k].(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return fmt.Sprint(v)
	}
	return ""
}

func (o jsonObj) list(k string) []any {
	v, _ := o[k].([]any)
	return v
}

func (o jsonObj) objs(k string) []jsonObj {
	var out []jsonObj
	for _, v := range o.list(k) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func (o jsonObj) strs(k string) []string {
	var out []string
	if s, ok := o[k].(string); ok {
		return []string{s}
	}
	for _, v := range o.list(k) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// rdapEntity is an RDAP entity flattened: its roles and vCard fields.
type rdapEntity struct {
	roles   []string
	kind    string
	contact Contact
}

func (e rdapEntity) has(role string) bool {
	for _, r := range e.roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// flattenEntities walks nested entities (depth-limited) and returns them
// in document order.
func flattenEntities(list []jsonObj, depth int, out []rdapEntity) []rdapEntity {
	if depth > 4 {
		return out
	}
	for _, e := range list {
		ent := rdapEntity{roles: e.strs("roles"), contact: Contact{Handle: e.str("handle")}}
		readVCard(e.list("vcardArray"), &ent)
		out = append(out, ent)
		out = flattenEntities(e.objs("entities"), depth+1, out)
	}
	return out
}

// readVCard reads fn, org, kind, email, tel and adr from a jCard
// (RFC 7095): ["vcard", [[name, params, type, value...], ...]].
func readVCard(v []any, ent *rdapEntity) {
	if len(v) < 2 {
		return
	}
	props, _ := v[1].([]any)
	for _, p := range props {
		prop, _ := p.([]any)
		if len(prop) < 4 {
			continue
		}
		name, _ := prop[0].(string)
		params, _ := prop[1].(map[string]any)
		val := jcardText(prop[3:])
		c := &ent.contact
		switch strings.ToLower(name) {
		case "fn":
			c.Name = val
		case "org":
			c.Org = val
		case "kind":
			ent.kind = strings.ToLower(val)
		case "email":
			if c.Email == "" {
				c.Email = val
			}
		case "tel":
			if c.Phone == "" {
				c.Phone = strings.TrimPrefix(val, "tel:")
			}
		case "adr":
			if label, ok := params["label"].(string); ok && label != "" {
				label = strings.ReplaceAll(strings.TrimSpace(label), `\n`, "\n")
				c.Street = strings.Join(strings.Split(label, "\n"), ", ")
			} else if parts, ok := prop[3].([]any); ok && len(parts) >= 7 {
				str := func(i int) string { s, _ := parts[i].(string); return s }
				c.Street, c.City, c.Country = str(2), str(3), str(6)
				if c.Country == "" {
					if cc, ok := params["cc"].(string); ok {
						c.Country = cc
					}
				}
			}
		}
	}
}

// jcardText joins the text of a jCard value, which may be a string or an
// array of strings (as for org).
func jcardText(vals []any) string {
	var parts []string
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			if x != "" {
				parts = append(parts, x)
			}
		case []any:
			for _, y := range x {
				if s, ok := y.(string); ok && s != "" {
					parts = append(parts, s)
				}
			}
		}
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// parseRDAP builds a Record from an RDAP response (RFC 9083) for an "ip
// network" or a "domain". It tolerates zero-padded IPv4 octets, "/32" or
// "/128" on addresses and a missing objectClassName (then guessed from
// startAddress or ldhName). An RDAP error response maps to ErrNotFound
// (404), ErrRateLimited (429) or ErrUnsupported.
func (p *Parser) parseRDAP(text string, rec *Record) error {
	var raw any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		line, col := 0, 0
		if se, ok := err.(*json.SyntaxError); ok {
			line, col = lineCol(text, int(se.Offset))
		}
		return &ParseError{File: p.File, Line: line, Column: col, Format: FormatRDAP, Err: ErrSyntax, Detail: err.Error()}
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return p.errAt(FormatRDAP, 1, ErrSyntax, "top level is not a JSON object")
	}
	o := jsonObj(m)
	if code := o.str("errorCode"); code != "" {
		switch code {
		case "404":
			return p.errAt(FormatRDAP, 0, ErrNotFound, o.str("title"))
		case "429":
			return p.errAt(FormatRDAP, 0, ErrRateLimited, o.str("title"))
		}
		return p.errAt(FormatRDAP, 0, ErrUnsupported, "RDAP error "+code+" "+quote(o.str("title")))
	}
	class := strings.ToLower(o.str("objectClassName"))
	if class == "" {
		switch {
		case o.str("startAddress") != "":
			class = "ip network"
		case o.str("ldhName") != "" || o.str("unicodeName") != "":
			class = "domain"
		}
	}
	rec.Source = rdapRegistries[strings.ToLower(o.str("port43"))]
	if rec.Source == "" {
		rec.Source = o.str("port43")
	}
	rec.Handle = o.str("handle")
	rec.Status = strings.Join(o.strs("status"), ", ")
	ents := flattenEntities(o.objs("entities"), 0, nil)
	for _, ev := range o.objs("events") {
		date := ev.str("eventDate")
		switch strings.ToLower(ev.str("eventAction")) {
		case "registration":
			rec.Created = p.date(rec, date)
		case "last changed":
			rec.Updated = p.date(rec, date)
		case "expiration":
			rec.Expires = p.date(rec, date)
		}
	}
	for _, r := range o.objs("remarks") {
		d := r.strs("description")
		t := strings.ToLower(r.str("title"))
		if t == "" || t == "description" {
			rec.Descr = append(rec.Descr, d...)
		} else {
			rec.Remarks = append(rec.Remarks, d...)
		}
	}
	for _, e := range ents {
		switch {
		case e.has("abuse") && rec.Abuse.IsZero():
			rec.Abuse = e.contact
		case e.has("administrative") && rec.Admin.IsZero():
			rec.Admin = e.contact
		case e.has("technical") && rec.Tech.IsZero():
			rec.Tech = e.contact
		}
	}
	switch class {
	case "ip network":
		return p.rdapNetwork(o, ents, rec)
	case "domain":
		return p.rdapDomain(o, ents, rec)
	}
	return p.errAt(FormatRDAP, 0, ErrUnsupported, "RDAP object class "+quote(class))
}

func (p *Parser) rdapNetwork(o jsonObj, ents []rdapEntity, rec *Record) error {
	rec.Kind = KindNetwork
	first, ok1 := parseAddrLoose(o.str("startAddress"))
	last, ok2 := parseAddrLoose(o.str("endAddress"))
	if ok1 && ok2 {
		rec.Ranges = RangePrefixes(first, last)
		if first == last {
			rec.Warnings = append(rec.Warnings, "range is the single address "+first.String())
		}
	}
	if rec.Ranges == nil {
		for _, c := range o.objs("cidr0_cidrs") {
			pfx := c.str("v4prefix") + c.str("v6prefix")
			if pp, err := netip.ParsePrefix(pfx + "/" + c.str("length")); err == nil {
				rec.Ranges = append(rec.Ranges, pp.Masked())
			}
		}
	}
	if rec.Ranges == nil {
		return p.errAt(FormatRDAP, 0, ErrSyntax, "bad address range "+quote(o.str("startAddress")+" - "+o.str("endAddress")))
	}
	rec.NetName = o.str("name")
	rec.Country = strings.ToUpper(o.str("country"))
	rec.Parent = o.str("parentHandle")
	if t := o.str("type"); t != "" {
		rec.Status = t
	}
	for _, e := range ents {
		if e.has("registrant") && (e.contact.Name != "" || e.contact.Org != "") {
			rec.Org, rec.OrgID = orDefault(e.contact.Name, e.contact.Org), e.contact.Handle
			rec.Registrant = e.contact
			break
		}
	}
	if rec.Org == "" {
		for _, e := range ents {
			if e.kind == "org" && e.contact.Name != "" {
				rec.Org, rec.OrgID = e.contact.Name, e.contact.Handle
				break
			}
		}
	}
	if rec.Org == "" && len(rec.Descr) > 0 {
		rec.Org = rec.Descr[0]
	}
	return nil
}

func (p *Parser) rdapDomain(o jsonObj, ents []rdapEntity, rec *Record) error {
	rec.Kind = KindDomain
	rec.Domain = strings.TrimSuffix(strings.ToLower(orDefault(o.str("ldhName"), o.str("unicodeName"))), ".")
	if rec.Domain == "" {
		return p.errAt(FormatRDAP, 0, ErrNotFound, "domain object without a name")
	}
	rec.DomainStatus = o.strs("status")
	for _, ns := range o.objs("nameservers") {
		rec.NameServers = append(rec.NameServers, normNames([]string{ns.str("ldhName")})...)
	}
	for _, e := range ents {
		switch {
		case e.has("registrar") && rec.Registrar == "":
			rec.Registrar = orDefault(e.contact.Name, e.contact.Org)
		case e.has("registrant") && rec.Registrant.IsZero():
			rec.Registrant = e.contact
			rec.Org = orDefault(e.contact.Org, e.contact.Name)
			rec.Country = strings.ToUpper(e.contact.Country)
		}
	}
	return nil
}

func orDefault(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// lineCol converts a byte offset in s to a 1-based line and column.
func lineCol(s string, off int) (int, int) {
	off = min(max(off, 0), len(s))
	line := 1 + strings.Count(s[:off], "\n")
	col := off - strings.LastIndexByte(s[:off], '\n')
	return line, col
}
