package whois

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"
)

// DefaultMaxBytes is the input cap used when Parser.MaxBytes is zero:
// 1 MiB, about 200 times the longest registry answer seen in practice.
const DefaultMaxBytes = 1 << 20

// Parser turns one WHOIS or RDAP answer into a Record. The zero value
// detects the format, picks the most specific network of the answer, reads
// zone-less dates as UTC and caps input at DefaultMaxBytes. A Parser holds
// no state between calls and may be used concurrently.
type Parser struct {
	// Format forces a syntax; FormatAuto (the zero value) detects it.
	Format Format
	// Query is the address the answer was asked about. When valid, the most
	// specific network covering it is chosen; otherwise the most specific
	// network of the answer.
	Query netip.Addr
	// Location is used for dates without a zone; nil means UTC.
	Location *time.Location
	// MaxBytes caps the input; longer input fails with ErrTooLarge without
	// being parsed. Zero means DefaultMaxBytes.
	MaxBytes int64
	// File names the input in errors.
	File string
}

// Parse parses one answer with a zero Parser.
func Parse(data []byte) (Record, error) {
	var p Parser
	return p.ParseBytes(data)
}

func (p *Parser) maxBytes() int64 {
	if p.MaxBytes > 0 {
		return p.MaxBytes
	}
	return DefaultMaxBytes
}

// Parse reads r to its end (at most MaxBytes+1 bytes are read) and parses
// it.
func (p *Parser) Parse(r io.Reader) (Record, error) {
	max := p.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return Record{}, &ParseError{File: p.File, Err: err}
	}
	return p.ParseBytes(data)
}

// ParseBytes parses one answer held in memory.
func (p *Parser) ParseBytes(data []byte) (Record, error) {
	if int64(len(data)) > p.maxBytes() {
		return Record{}, p.errAt(p.Format, 0, ErrTooLarge, fmt.Sprintf("more than %d bytes", p.maxBytes()))
	}
	return p.parseText(string(data))
}

func (p *Parser) parseText(s string) (Record, error) {
	rec := Record{Raw: s}
	if strings.TrimSpace(s) == "" {
		return rec, p.errAt(p.Format, 0, ErrEmpty, "")
	}
	if isBinary(s) {
		return rec, p.errAt(p.Format, 0, ErrBinary, "")
	}
	text := normalize(s)
	format := p.Format
	if format == FormatAuto || format == FormatJPNIC || format == FormatKRNIC {
		if looksHTML(text) && !strings.HasPrefix(strings.TrimSpace(text), "{") {
			text = stripHTML(text)
			if format == FormatAuto {
				format = detect(text)
				if format == FormatDomain {
					// An HTML page that is none of the known layouts.
					return rec, p.notFoundOr(FormatAuto, text)
				}
			}
		}
	}
	if format == FormatAuto {
		format = detect(text)
	}
	rec.Format = format
	var err error
	switch format {
	case FormatRDAP:
		err = p.parseRDAP(text, &rec)
	case FormatRPSL:
		err = p.parseRPSL(text, &rec)
	case FormatARIN:
		err = p.parseARIN(text, &rec)
	case FormatJPNIC:
		err = p.parseJPNIC(text, &rec)
	case FormatKRNIC:
		err = p.parseKRNIC(text, &rec)
	case FormatRWhois:
		err = p.parseRWhois(text, &rec)
	case FormatDomain:
		err = p.parseDomain(text, &rec)
	default:
		err = p.errAt("", 0, ErrUnsupported, "unknown format "+quote(string(format)))
	}
	return rec, err
}

// detect guesses the format of normalised, HTML-free text from its first
// 64 KiB, line by line. Anything not recognised as a network answer is
// taken for domain WHOIS.
func detect(text string) Format {
	head := text
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	if strings.HasPrefix(strings.TrimSpace(head), "{") {
		return FormatRDAP
	}
	var jp, kr, rw, rpsl, arin bool
	for line := range strings.SplitSeq(head, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		low := strings.ToLower(t)
		switch {
		case strings.Contains(t, "[Network Number]") || strings.Contains(t, "[IPv6 Address]") || strings.Contains(t, "[ネットワーク番号]"):
			jp = true
		case t == "[ Network Information ]" || (strings.HasPrefix(t, "IPv4 Address") || strings.HasPrefix(t, "IPv6 Address")) && strings.Contains(t, ":"):
			kr = true
		case strings.HasPrefix(low, "%rwhois") || strings.HasPrefix(low, "network:") && strings.Count(t, ":") >= 2:
			rw = true
		case hasFoldPrefix(line, "inetnum:", "inet6num:", "route:", "route6:"):
			rpsl = true
		case hasFoldPrefix(t, "NetRange:", "CIDR:", "ReferralServer:", "NetHandle:", "OrgName:", "CustName:"):
			arin = true
		case strings.Contains(t, "(NET") && reARINTerse.MatchString(t):
			arin = true
		}
	}
	switch {
	case jp:
		return FormatJPNIC
	case kr:
		return FormatKRNIC
	case rw:
		return FormatRWhois
	case rpsl:
		return FormatRPSL
	case arin:
		return FormatARIN
	}
	return FormatDomain
}

// hasFoldPrefix reports whether s starts with one of the prefixes, ignoring
// ASCII case.
func hasFoldPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

var (
	rateLimitPhrases = []string{
		"rate limit", "limit exceeded", "query limit", "too many queries", "too many requests",
		"access denied", "denied access", "permission denied", "server too busy", "quota exceeded",
		"exceeded the maximum", "%error:201",
	}
	notFoundPhrases = []string{
		"no match", "no entries found", "not found", "no data found", "nothing found",
		"no matching record", "%error:101", "no records found", "0 objects",
	}
)

// notFoundOr classifies an answer in which no record was found: a
// rate-limit or access-denied notice (ErrRateLimited), a no-match notice
// (ErrNotFound), or otherwise ErrUnsupported.
func (p *Parser) notFoundOr(f Format, text string) error {
	low := strings.ToLower(text)
	if len(low) > 64<<10 {
		low = low[:64<<10]
	}
	for _, k := range rateLimitPhrases {
		if strings.Contains(low, k) {
			return p.errAt(f, 0, ErrRateLimited, quote(strings.TrimSpace(firstLine(low[strings.Index(low, k):]))))
		}
	}
	for _, k := range notFoundPhrases {
		if strings.Contains(low, k) {
			return p.errAt(f, 0, ErrNotFound, "")
		}
	}
	switch f {
	case FormatAuto:
		return p.errAt(f, 0, ErrUnsupported, "HTML page without WHOIS data")
	case FormatDomain:
		return p.errAt(f, 0, ErrUnsupported, "no domain name found")
	}
	return p.errAt(f, 0, ErrUnsupported, "no network object")
}

func (p *Parser) errAt(f Format, line int, cause error, detail string) error {
	return &ParseError{File: p.File, Line: line, Format: f, Err: cause, Detail: detail}
}
