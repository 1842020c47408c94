// Package whois turns WHOIS and RDAP answers about networks and domains
// into one Record, and answers "which record covers this address?".
//
// # Parsing
//
// Parse, Parser.Parse and ParseFile read one answer and detect its layout:
//
//   - RPSL, as served by RIPE, APNIC, AFRINIC and LACNIC and by routing
//     registries: objects separated by blank lines, repeated attributes,
//     continuation lines starting with a space, a tab or "+", "%" comments
//     and several "% Information related to" sections (see below).
//   - IRR route listings (route:/route6:/origin: only, such as a RADb query
//     by origin AS) become a KindRoute record holding every announced
//     prefix, OriginAS "AS64500" and the first descr: line as Org. Table
//     keeps routes apart from networks: Table.Route, not Table.Lookup,
//     answers from them.
//   - ARIN: the full answer (several networks in "#"-separated sections,
//     each with its OrgName or CustName block; the most specific covering
//     Query wins), the terse form "Example Org EXAMPLE-NET
//     (NET-192-0-2-0-1) 192.0.2.0 - 192.0.2.255" and indented variants.
//     "ReferralServer:" is exposed as Record.Referral.
//   - JPNIC ("a. [Network Number]") and KRNIC (the "# ENGLISH" section),
//     also inside the HTML pages of their web gateways: tags are stripped
//     and entities decoded. Their Country is "JP" or "KR".
//   - RWhois "network:Attribute:value" answers.
//   - RDAP JSON (RFC 9083) for "ip network" and "domain" objects, tolerating
//     zero-padded octets ("074.125.000.000"), "/32" on addresses and a
//     missing objectClassName. Org is the registrant's vCard fn; Abuse,
//     Admin and Tech come from entities with those roles; events give
//     Created, Updated and Expires.
//   - Domain-name WHOIS through github.com/likexian/whois-parser, guarded
//     against its panics (ErrParserPanic), capped at DomainMaxBytes, with
//     empty results treated as ErrNotFound and dates re-read: "31 May 1999",
//     "2021-02-03 04:05:06 -0700" and "... +02:00" are understood, while
//     "03/04/2020" is left zero with DateAmbiguous set.
//
// Every RPSL object is kept in Record.Objects; the record describes the
// most specific inetnum or inet6num covering Parser.Query. For
//
//	inetnum:  192.0.2.0 - 192.0.2.255
//	netname:  EXAMPLE-WIDE
//
//	inetnum:  192.0.2.64 - 192.0.2.95
//	netname:  EXAMPLE-BANK-NET
//	org:      ORG-EB1-TEST
//
// a query for 192.0.2.70 gives NetName "EXAMPLE-BANK-NET", Ranges
// [192.0.2.64/27], and Org from the org-name of the organisation object
// ORG-EB1-TEST (without an org: reference, from the first descr: line).
// Abuse comes from the "% Abuse contact for" comment, abuse-c or mnt-irt;
// OriginAS from a route object of the same answer. LACNIC's short ranges
// ("200.57.128/19"), owner:/ownerid: and YYYYMMDD dates are understood.
//
// A range such as "217.12.96.0 - 217.12.97.255" becomes its exact CIDR
// cover (RangePrefixes), here [217.12.96.0/23]. Times are UTC; zone-less
// dates are read in Parser.Location (UTC when nil), never time.Local.
//
// # Errors
//
// Failures are *ParseError values naming the file, line, column and format
// where known and wrapping a cause for errors.Is: ErrNotFound (a no-match
// answer), ErrRateLimited (a refusal for load or access), ErrReserved,
// ErrUnsupported (an HTML error page, "NONE", an unknown layout), ErrEmpty,
// ErrBinary, ErrTooLarge (input over Parser.MaxBytes, DefaultMaxBytes by
// default, read through an io.LimitReader), ErrSyntax and ErrTruncated.
//
// # Tables
//
// LoadDir and LoadFiles parse many files into a Table; file names such as
// "192.0.2.77.whois" or "arin_2001_db8__1.txt" hint at the queried address
// but are not required. Table.Lookup does longest-prefix matching over
// IPv4 and IPv6 by one binary search over flattened address intervals;
// Table.Domain finds a domain record by registrable domain, so
// "www.mail.example.co.uk" finds "example.co.uk".
//
// # Live queries
//
// Client speaks WHOIS on port 43, following IANA "refer:" lines and ARIN
// "ReferralServer:" whois:// and rwhois:// referrals, with per-server query
// syntax (QueryString), a per-server rate limit, context deadlines and a
// size cap. RDAPClient queries an RDAP base URL, or one chosen from a
// bootstrap file given to ParseBootstrap; it never fetches IANA's registry.
package whois
