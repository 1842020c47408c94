package whois

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Kind says what a Record describes.
type Kind string

// Kinds of records.
const (
	// KindNetwork is an address block: an inetnum/inet6num, an ARIN NetRange,
	// an RDAP "ip network", a JPNIC or KRNIC network.
	KindNetwork Kind = "network"
	// KindDomain is a registered domain name.
	KindDomain Kind = "domain"
	// KindRoute is a set of IRR route/route6 objects (an answer made only of
	// routing-registry objects, such as a RADb query by origin AS). Its
	// Ranges are the announced prefixes and OriginAS the origin; it says who
	// routes the addresses, not who holds them.
	KindRoute Kind = "route"
)

// Format names the syntax a Record was parsed from.
type Format string

// Formats recognised by Parser.
const (
	FormatAuto   Format = ""       // detect from the content
	FormatRPSL   Format = "rpsl"   // RIPE, APNIC, AFRINIC, LACNIC and IRR objects
	FormatARIN   Format = "arin"   // ARIN full, terse and indented answers
	FormatRDAP   Format = "rdap"   // RDAP JSON (RFC 9083)
	FormatJPNIC  Format = "jpnic"  // JPNIC "a. [Network Number]" text, plain or in HTML
	FormatKRNIC  Format = "krnic"  // KRNIC "# ENGLISH" section, plain or in HTML
	FormatRWhois Format = "rwhois" // RWhois "network:Attribute:value" answers
	FormatDomain Format = "domain" // domain-name WHOIS of registries and registrars
)

// Contact is a person, role or organisation named by a record. Every field
// may be empty.
type Contact struct {
	Handle  string // registry handle: nic-hdl, ARIN POC handle, RDAP entity handle
	Name    string
	Org     string
	Email   string
	Phone   string
	Street  string // street lines joined by ", "
	City    string
	Country string
}

// IsZero reports whether every field of c is empty.
func (c Contact) IsZero() bool { return c == Contact{} }

// Object is one RPSL object (or one ARIN block): its class and primary key
// are the first attribute's name and value.
type Object struct {
	Line  int    // 1-based line of the first attribute in the input
	Attrs []Attr // in input order, continuation lines folded in
}

// Attr is one attribute of an Object. Continuation lines are joined to
// Value with a single space.
type Attr struct {
	Name  string // lower-case attribute name
	Value string // trimmed value, trailing "# comment" kept
	Line  int    // 1-based input line
}

// Class returns the object's class, the name of its first attribute.
func (o Object) Class() string {
	if len(o.Attrs) == 0 {
		return ""
	}
	return o.Attrs[0].Name
}

// Key returns the object's primary key, the value of its first attribute.
func (o Object) Key() string {
	if len(o.Attrs) == 0 {
		return ""
	}
	return o.Attrs[0].Value
}

// Get returns the value of the first attribute named name ("" if none).
func (o Object) Get(name string) string {
	for _, a := range o.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// GetAll returns the values of every attribute named name, in order.
func (o Object) GetAll(name string) []string {
	var vs []string
	for _, a := range o.Attrs {
		if a.Name == name {
			vs = append(vs, a.Value)
		}
	}
	return vs
}

// Record is one parsed WHOIS or RDAP answer, reduced to the network or
// domain it is about. Fields that the answer does not carry are zero.
// Times are UTC; a zero time.Time means absent.
type Record struct {
	Kind   Kind
	Format Format
	// Source is the registry that holds the data: "RIPE", "ARIN", "APNIC",
	// "LACNIC", "AFRINIC", "JPNIC", "KRNIC", an IRR name such as "RADB",
	// or, for RWhois and domain answers, the answering server when known.
	Source string

	// Network fields (KindNetwork, KindRoute).
	Ranges   []netip.Prefix // exact CIDR cover of the chosen range(s), masked
	Handle   string         // NetHandle, RDAP handle, inetnum key
	NetName  string
	Org      string // holder's name (see the format notes in the package doc)
	OrgID    string // holder's handle (org:, OrgId, ownerid, RDAP registrant handle)
	Country  string // ISO 3166 code as given, upper-cased
	Status   string // e.g. "ASSIGNED PA", "Direct Allocation"
	OriginAS string // "AS15169" from OriginAS:, origin: or a covering route object
	Parent   string // parent block or handle, as given
	Abuse    Contact
	Referral string // ARIN "ReferralServer:" value, e.g. "rwhois://rwhois.example.net:4321"
	Descr    []string

	// Domain fields (KindDomain).
	Domain       string // lower-case, as given by the registry (punycode for IDN)
	Registrar    string
	NameServers  []string // lower-case, no trailing dot (also JPNIC networks)
	DomainStatus []string

	// Contacts, for both kinds where the answer names them: the
	// registrant of a domain (or the holder's address for KRNIC and
	// RWhois networks), and administrative and technical contacts,
	// resolved from their handles when the answer includes the objects.
	Registrant Contact
	Admin      Contact
	Tech       Contact

	// Dates common to both kinds.
	Created time.Time
	Updated time.Time
	Expires time.Time
	// DateAmbiguous is set when a date such as "03/04/2020" could be read
	// day-first or month-first; the date is then left zero and a warning
	// names it.
	DateAmbiguous bool

	Remarks  []string
	Warnings []string // things the parser noticed but did not fail on
	Objects  []Object // every RPSL object or ARIN block of the answer
	Raw      string   // the input as read (after the MaxBytes cap)
}

// Contains reports whether addr lies in one of r's ranges.
func (r *Record) Contains(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range r.Ranges {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Causes of errors, for use with errors.Is. A *ParseError wraps one of
// them (or an I/O error).
var (
	// ErrNotFound: the answer says there is no such network or domain.
	ErrNotFound = errors.New("no match")
	// ErrRateLimited: the server refused the query for exceeding its limits.
	ErrRateLimited = errors.New("rate limited")
	// ErrReserved: the domain is reserved, blocked or otherwise not
	// registrable, or the address block is reserved by IANA.
	ErrReserved = errors.New("reserved")
	// ErrUnsupported: the input is text but no known WHOIS or RDAP layout
	// was recognised (an HTML error page, an unknown format).
	ErrUnsupported = errors.New("unsupported whois format")
	// ErrEmpty: the input holds no data.
	ErrEmpty = errors.New("empty answer")
	// ErrBinary: the input is binary data, not text.
	ErrBinary = errors.New("binary data")
	// ErrTooLarge: the input is longer than the configured MaxBytes.
	ErrTooLarge = errors.New("answer too large")
	// ErrSyntax: a recognised format is malformed (bad JSON, a bad range).
	ErrSyntax = errors.New("syntax error")
	// ErrTruncated: a connection ended in error part-way through an answer.
	ErrTruncated = errors.New("truncated answer")
	// ErrParserPanic: the domain parser panicked on this input; the panic
	// was recovered.
	ErrParserPanic = errors.New("domain parser failed")
)

// ParseError reports where and why an answer could not be parsed. Its
// Error method prints "file:line:column: format: cause", omitting what is
// unknown.
type ParseError struct {
	File   string // file name as given to the Parser; "" when unnamed
	Line   int    // 1-based line, 0 when not about a line
	Column int    // 1-based byte column, 0 when unknown
	Format Format // the format being parsed, "" before one is known
	Err    error  // the cause: one of the Err* values or an underlying error
	Detail string // what was wrong, quoted briefly
}

func (e *ParseError) Error() string {
	s := ""
	if e.File != "" {
		s = e.File + ":"
	}
	if e.Line > 0 {
		s += fmt.Sprintf("%d:", e.Line)
		if e.Column > 0 {
			s += fmt.Sprintf("%d:", e.Column)
		}
	}
	if s != "" {
		s += " "
	}
	if e.Format != "" {
		s += string(e.Format) + ": "
	}
	s += e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// quote quotes s for an error message, cut to 40 bytes.
func quote(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%q…", s[:40])
	}
	return fmt.Sprintf("%q", s)
}
