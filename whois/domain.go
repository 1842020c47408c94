package whois

import (
	"errors"
	"fmt"
	"strings"
	"time"

	whoisparser "github.com/likexian/whois-parser"
)

// DomainMaxBytes caps the text handed to the domain parser, whose
// preparation of some registries' answers takes time quadratic in the
// number of lines. Registry answers are a few KiB; longer text fails with
// ErrTooLarge.
const DomainMaxBytes = 64 << 10

// DomainMaxLines caps the number of lines handed to the domain parser for
// the same reason: registry answers run to a few hundred lines.
const DomainMaxLines = 2000

// parseDomain builds a Record from a domain-name WHOIS answer with
// github.com/likexian/whois-parser, guarded:
//
//   - text over DomainMaxBytes or DomainMaxLines is refused with
//     ErrTooLarge;
//   - a panic inside the parser (such as the index error on a .nl
//     "Registrar:" block of more than five lines) becomes an error
//     wrapping ErrParserPanic;
//   - its not-found, reserved/premium/blocked and limit errors become
//     ErrNotFound, ErrReserved and ErrRateLimited, and "invalid data"
//     becomes ErrUnsupported;
//   - a success without a domain name is ErrNotFound (some registries'
//     not-found answers are otherwise taken for records);
//   - every contact may be nil;
//   - dates are re-read from the text the parser kept: an unambiguous
//     reading of ours wins over the parser's, an ambiguous one such as
//     "03/04/2020" leaves the date zero and sets DateAmbiguous.
func (p *Parser) parseDomain(text string, rec *Record) (err error) {
	if len(text) > DomainMaxBytes {
		return p.errAt(FormatDomain, 0, ErrTooLarge, fmt.Sprintf("domain answer over %d bytes", DomainMaxBytes))
	}
	if n := strings.Count(text, "\n"); n > DomainMaxLines {
		return p.errAt(FormatDomain, 0, ErrTooLarge, fmt.Sprintf("domain answer over %d lines", DomainMaxLines))
	}
	var info whoisparser.WhoisInfo
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = p.errAt(FormatDomain, 0, ErrParserPanic, fmt.Sprint(r))
			}
		}()
		info, err = whoisparser.Parse(text)
	}()
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return err
		}
		switch {
		case errors.Is(err, whoisparser.ErrNotFoundDomain):
			return p.errAt(FormatDomain, 0, ErrNotFound, "")
		case errors.Is(err, whoisparser.ErrReservedDomain), errors.Is(err, whoisparser.ErrPremiumDomain),
			errors.Is(err, whoisparser.ErrBlockedDomain):
			return p.errAt(FormatDomain, 0, ErrReserved, err.Error())
		case errors.Is(err, whoisparser.ErrDomainLimitExceed):
			return p.errAt(FormatDomain, 0, ErrRateLimited, "")
		}
		return p.notFoundOr(FormatDomain, text)
	}
	d := info.Domain
	name := ""
	if d != nil {
		name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d.Domain)), ".")
		if d.Punycode != "" {
			name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d.Punycode)), ".")
		}
	}
	if name == "" { // no domain, or only the root "."
		low := strings.ToLower(text)
		for _, k := range reservedPhrases {
			if strings.Contains(low, k) {
				return p.errAt(FormatDomain, 0, ErrReserved, "")
			}
		}
		if err := p.notFoundOr(FormatDomain, text); errors.Is(err, ErrRateLimited) {
			return err
		}
		return p.errAt(FormatDomain, 0, ErrNotFound, "answer names no domain")
	}
	rec.Kind = KindDomain
	rec.Domain = name
	rec.Handle = d.ID
	rec.Source = d.WhoisServer
	rec.NameServers = normNames(d.NameServers)
	for _, s := range d.Status {
		if s = strings.TrimSpace(s); s != "" {
			rec.DomainStatus = append(rec.DomainStatus, s)
		}
	}
	rec.Created = p.domainDate(rec, d.CreatedDate, d.CreatedDateInTime)
	rec.Updated = p.domainDate(rec, d.UpdatedDate, d.UpdatedDateInTime)
	rec.Expires = p.domainDate(rec, d.ExpirationDate, d.ExpirationDateInTime)
	if c := info.Registrar; c != nil {
		rec.Registrar = orDefault(c.Name, c.Organization)
	}
	rec.Registrant = contactOf(info.Registrant)
	rec.Admin = contactOf(info.Administrative)
	rec.Tech = contactOf(info.Technical)
	rec.Org = orDefault(rec.Registrant.Org, rec.Registrant.Name)
	rec.Country = strings.ToUpper(rec.Registrant.Country)
	if len(rec.Country) != 2 {
		rec.Country = ""
	}
	return nil
}

var reservedPhrases = []string{"reserved domain", "reserved by the registry", "is reserved", "not available for registration"}

func contactOf(c *whoisparser.Contact) Contact {
	if c == nil {
		return Contact{}
	}
	return Contact{Handle: c.ID, Name: c.Name, Org: c.Organization, Email: c.Email,
		Phone: c.Phone, Street: c.Street, City: c.City, Country: c.Country}
}

// domainDate re-reads a date the domain parser kept as text, falling back
// to the parser's own reading.
func (p *Parser) domainDate(rec *Record, text string, parsed *time.Time) time.Time {
	text = strings.TrimSpace(text)
	if text == "" {
		if parsed != nil {
			return parsed.UTC()
		}
		return time.Time{}
	}
	// Some registries list several dates; the first is the one meant.
	if i := strings.IndexByte(text, ','); i > 0 && len(text) > 20 {
		text = strings.TrimSpace(text[:i])
	}
	t, amb, ok := parseDate(text, p.Location)
	switch {
	case amb:
		rec.DateAmbiguous = true
		rec.Warnings = append(rec.Warnings, "ambiguous date "+quote(text))
		return time.Time{}
	case ok:
		return t
	case parsed != nil && !parsed.IsZero():
		return parsed.UTC()
	}
	rec.Warnings = append(rec.Warnings, "unparsed date "+quote(text))
	return time.Time{}
}
