package whois

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// RDAPClient queries RDAP servers over HTTP(S) (RFC 9082). It never fetches
// IANA's bootstrap registry: give it BaseURL, or a Bootstrap read from a
// file with ParseBootstrap. The zero value has neither and fails with
// ErrNoBase. Safe for concurrent use.
//
// A 404 answer gives ErrNotFound, 429 ErrRateLimited; a body longer than
// MaxBytes gives ErrTooLarge; a body cut short (fewer bytes than its
// Content-Length) gives an error wrapping ErrTruncated.
type RDAPClient struct {
	// BaseURL is the server, e.g. "https://rdap.example.net/"; queries go
	// to BaseURL + "ip/ADDR" and BaseURL + "domain/NAME".
	BaseURL string
	// Bootstrap, when set and BaseURL is empty, chooses the server.
	Bootstrap *Bootstrap
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
	// MaxBytes caps the body; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Location is passed to the Parser for zone-less dates.
	Location *time.Location
}

// IP fetches and parses the RDAP "ip network" record covering addr.
func (c *RDAPClient) IP(ctx context.Context, addr netip.Addr) (Record, error) {
	base := c.BaseURL
	if base == "" && c.Bootstrap != nil {
		base = c.Bootstrap.ForAddr(addr)
	}
	return c.get(ctx, base, "ip/"+addr.Unmap().String(), addr)
}

// Domain fetches and parses the RDAP "domain" record of name.
func (c *RDAPClient) Domain(ctx context.Context, name string) (Record, error) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if !validQuery(name) {
		return Record{}, fmt.Errorf("whois: bad domain name %q", name)
	}
	base := c.BaseURL
	if base == "" && c.Bootstrap != nil {
		base = c.Bootstrap.ForDomain(name)
	}
	return c.get(ctx, base, "domain/"+url.PathEscape(name), netip.Addr{})
}

func (c *RDAPClient) get(ctx context.Context, base, path string, q netip.Addr) (Record, error) {
	if base == "" {
		return Record{}, ErrNoBase
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	u := base + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Record{}, err
	}
	req.Header.Set("Accept", "application/rdap+json, application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Record{}, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Record{}, &ParseError{File: u, Format: FormatRDAP, Err: ErrNotFound}
	case http.StatusTooManyRequests:
		return Record{}, &ParseError{File: u, Format: FormatRDAP, Err: ErrRateLimited}
	default:
		return Record{}, &ParseError{File: u, Format: FormatRDAP, Err: ErrUnsupported, Detail: "HTTP " + resp.Status}
	}
	max := c.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if int64(len(body)) > max {
		return Record{}, &ParseError{File: u, Format: FormatRDAP, Err: ErrTooLarge, Detail: fmt.Sprintf("more than %d bytes", max)}
	}
	if err != nil {
		if ctx.Err() != nil {
			return Record{}, ctx.Err()
		}
		return Record{}, &ParseError{File: u, Format: FormatRDAP, Err: ErrTruncated, Detail: err.Error()}
	}
	p := Parser{Format: FormatRDAP, File: u, Query: q, MaxBytes: max, Location: c.Location}
	return p.ParseBytes(body)
}

// Bootstrap is an RDAP bootstrap registry (RFC 9224) read from a file:
// IANA's ipv4.json, ipv6.json and dns.json share its layout.
type Bootstrap struct {
	prefixes []bootPrefix
	domains  map[string]string // label suffix ("com", "co.uk") → base URL
}

type bootPrefix struct {
	p    netip.Prefix
	base string
}

// ParseBootstrap reads one bootstrap file ({"services": [[[keys...],
// [urls...]], ...]}); keys that parse as prefixes go to the address
// table, other keys are domain suffixes. The first https URL of each
// service is used, else the first URL. Several files can be merged by
// calling Merge.
func ParseBootstrap(data []byte) (*Bootstrap, error) {
	var doc struct {
		Services [][][]string `json:"services"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &ParseError{Format: FormatRDAP, Err: ErrSyntax, Detail: err.Error()}
	}
	b := &Bootstrap{domains: map[string]string{}}
	for _, svc := range doc.Services {
		if len(svc) < 2 || len(svc[1]) == 0 {
			continue
		}
		base := svc[1][0]
		for _, u := range svc[1] {
			if strings.HasPrefix(u, "https://") {
				base = u
				break
			}
		}
		for _, k := range svc[0] {
			if p, err := netip.ParsePrefix(k); err == nil {
				b.prefixes = append(b.prefixes, bootPrefix{p.Masked(), base})
			} else if k != "" {
				b.domains[strings.ToLower(strings.Trim(k, "."))] = base
			}
		}
	}
	return b, nil
}

// Merge adds the entries of o to b.
func (b *Bootstrap) Merge(o *Bootstrap) {
	b.prefixes = append(b.prefixes, o.prefixes...)
	if b.domains == nil {
		b.domains = map[string]string{}
	}
	for k, v := range o.domains {
		b.domains[k] = v
	}
}

// ForAddr returns the base URL of the longest bootstrap prefix covering
// addr, or "".
func (b *Bootstrap) ForAddr(addr netip.Addr) string {
	addr = addr.Unmap()
	best, bits := "", -1
	for _, e := range b.prefixes {
		if e.p.Contains(addr) && e.p.Bits() > bits {
			best, bits = e.base, e.p.Bits()
		}
	}
	return best
}

// ForDomain returns the base URL of the longest bootstrap suffix of name,
// or "".
func (b *Bootstrap) ForDomain(name string) string {
	name = strings.Trim(strings.ToLower(name), ".")
	for {
		if u, ok := b.domains[name]; ok {
			return u
		}
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return ""
		}
		name = name[i+1:]
	}
}
