package pivot

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/whois"
)

// DefaultMailHosts matches host names that by convention name a mail host
// (mail1.example.com, mx-2.example.net, smtp.example.org, …). It is matched
// against whole lowercase names.
var DefaultMailHosts = regexp.MustCompile(`^(mail|mx|smtp|mta|relay|mailhost|mailgw|mailout|mailin|mxout)[0-9-]*\.`)

// MailOptions tunes History.Mail. The zero value finds MX targets and
// names matching DefaultMailHosts.
type MailOptions struct {
	// Hosts matches names to treat as mail hosts without MX evidence; nil
	// means DefaultMailHosts.
	Hosts *regexp.Regexp
	// MXOnly keeps only hosts named by MX answers.
	MXOnly bool
}

// MXRef is one domain whose MX answers named a host.
type MXRef struct {
	Domain    string            `json:"domain"`
	Pref      int               `json:"pref"` // -1 when the log gives no preference
	First     time.Time         `json:"first"`
	Last      time.Time         `json:"last"`
	Count     int64             `json:"count"`
	Positions []dnslog.Position `json:"positions"`
}

// MailAddr is one address of a mail host, with the network that holds it.
type MailAddr struct {
	Addr      netip.Addr        `json:"addr"`
	First     time.Time         `json:"first"`
	Last      time.Time         `json:"last"`
	Count     int64             `json:"count"`
	Positions []dnslog.Position `json:"positions"`
	// Network fields from whois.Table.Lookup; empty when no record covers
	// the address.
	Ranges  []netip.Prefix `json:"ranges,omitempty"`
	NetName string         `json:"net_name,omitempty"`
	Owner   string         `json:"owner,omitempty"`
	OrgID   string         `json:"org_id,omitempty"`
	Country string         `json:"country,omitempty"`
}

// MailSystem is one mail host seen in the logs: named by MX answers, or
// by a name that looks like a mail host, with its addresses and owners.
type MailSystem struct {
	Host   string `json:"host"`
	Domain string `json:"domain"` // registrable domain of Host
	// MXFor lists the domains whose MX answers named Host.
	MXFor []MXRef `json:"mx_for,omitempty"`
	// ByName is set when Host matched MailOptions.Hosts.
	ByName bool       `json:"by_name"`
	Addrs  []MailAddr `json:"addrs"`
	// Registrant and Registrar come from the domain record of Domain.
	Registrant string `json:"registrant,omitempty"`
	Registrar  string `json:"registrar,omitempty"`
}

// Mail returns the mail systems seen: every MX target, and unless
// opts.MXOnly every query or answer name matching opts.Hosts that resolved
// to an address (a run-on name that only got NXDOMAIN is left out), each
// with the
// addresses it resolved to, the network record covering each address
// (t.Lookup) and the registrant of its domain (t.Domain). t may be nil.
// The result is sorted by host.
func (h *History) Mail(t *whois.Table, opts MailOptions) []MailSystem {
	hosts := opts.Hosts
	if hosts == nil {
		hosts = DefaultMailHosts
	}
	systems := make(map[string]*MailSystem)
	get := func(host string) *MailSystem {
		m := systems[host]
		if m == nil {
			m = &MailSystem{Host: host, Domain: registrable(host)}
			systems[host] = m
		}
		return m
	}
	for _, b := range h.bindings {
		if b.Type != dnslog.TypeMX || b.Target == "" {
			continue
		}
		ref := MXRef{Domain: b.Name, Pref: -1, First: b.First, Last: b.Last, Count: b.Count,
			Positions: slices.Clone(b.Positions)}
		if p, _, ok := strings.Cut(b.Data, " "); ok {
			ref.Pref = atoiOr(p, -1)
		}
		m := get(b.Target)
		m.MXFor = append(m.MXFor, ref)
	}
	if !opts.MXOnly {
		for name := range h.seriesOf {
			if hosts.MatchString(name) {
				get(name).ByName = true
			}
		}
		for name := range h.byName {
			if hosts.MatchString(name) {
				get(name).ByName = true
			}
		}
	}
	out := make([]MailSystem, 0, len(systems))
	for _, m := range systems {
		slices.SortFunc(m.MXFor, func(a, b MXRef) int {
			return cmp.Or(cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Pref, b.Pref))
		})
		m.Addrs = h.mailAddrs(m.Host, t)
		if len(m.MXFor) == 0 && len(m.Addrs) == 0 {
			continue // a name that looks like a mail host but never resolved
		}
		if t != nil {
			if r, ok := t.Domain(m.Host); ok {
				m.Registrant = cmp.Or(r.Registrant.Org, r.Registrant.Name, r.Org)
				m.Registrar = r.Registrar
			}
		}
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b MailSystem) int { return cmp.Compare(a.Host, b.Host) })
	return out
}

// mailAddrs merges the host's A and AAAA bindings (direct or through
// CNAMEs) by address.
func (h *History) mailAddrs(host string, t *whois.Table) []MailAddr {
	var out []MailAddr
	for _, b := range h.byName[host] {
		if b.Type != dnslog.TypeA && b.Type != dnslog.TypeAAAA {
			continue
		}
		i := slices.IndexFunc(out, func(m MailAddr) bool { return m.Addr == b.Addr })
		if i < 0 {
			out = append(out, MailAddr{Addr: b.Addr, First: b.First, Last: b.Last})
			i = len(out) - 1
		}
		m := &out[i]
		m.Count += b.Count
		if b.First.Before(m.First) {
			m.First = b.First
		}
		if b.Last.After(m.Last) {
			m.Last = b.Last
		}
		for _, p := range b.Positions {
			if len(m.Positions) < DefaultMaxPositions && !slices.Contains(m.Positions, p) {
				m.Positions = append(m.Positions, p)
			}
		}
	}
	for i := range out {
		m := &out[i]
		if t == nil {
			continue
		}
		if r, ok := t.Lookup(m.Addr); ok {
			m.Ranges = slices.Clone(r.Ranges)
			m.NetName, m.Owner, m.OrgID, m.Country = r.NetName, r.Org, r.OrgID, r.Country
		}
	}
	slices.SortFunc(out, func(a, b MailAddr) int { return cmp.Or(a.First.Compare(b.First), a.Addr.Compare(b.Addr)) })
	return out
}

func atoiOr(s string, d int) int {
	if s == "" || len(s) > 5 {
		return d
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return d
		}
		n = n*10 + int(c-'0')
	}
	return n
}
