package dnslog

import (
	"net/netip"
	"strconv"
	"time"
)

// Event is one DNS query as seen in a log, whatever the log's format.
//
// Fields a format does not log keep their zero value, except RCode, which
// every reader sets to RCodeUnknown when the log carries no response code,
// so that "not logged" is never mistaken for NOERROR.
type Event struct {
	// Time is the moment the query was logged, in UTC, with the
	// sub-second precision the log has. It lies between 1970 and 2262
	// (it converts to Unix nanoseconds); a stamp outside that range is an
	// ErrTime error.
	Time time.Time
	// Client is the address that sent the query; ClientPort is its source
	// port, or 0 when the log does not record it.
	Client     netip.Addr
	ClientPort uint16
	// Server is the address that received the query (the resolver or the
	// authoritative server), or the zero Addr when the log does not say.
	Server     netip.Addr
	ServerPort uint16
	// Name is the query name normalised: lowercase ASCII (IDNs in their
	// punycode form), no trailing dot; the root is ".".
	Name string
	// RawName is the query name exactly as the log wrote it. When it equals
	// Name the two share storage.
	RawName string
	// Type and Class are the query type and class; 0 when not logged.
	Type  Type
	Class Class
	// RCode is the response code, or RCodeUnknown when the log has none.
	RCode RCode
	// Answers holds the answer records when the log records them, in log
	// order; nil otherwise.
	Answers []Answer
	// Format names the log format the event was read from.
	Format Format
	// Pos is where the event was read: file name and 1-based line number.
	Pos Position
}

// Answer is one answer record as logged. Many logs record only the data;
// Type is 0 and HasTTL false when the log does not say.
type Answer struct {
	// Data is the record data as text: an address, a name (lowercase, no
	// trailing dot) or the format's own rendering of other types.
	Data   string
	Type   Type
	TTL    uint32
	HasTTL bool
}

// Position locates a record in its source: the file name as given to the
// reader ("" for an unnamed io.Reader) and the 1-based line number (for
// binary formats, the 1-based record number).
type Position struct {
	File string
	Line int64
}

// String formats the position as "file:line" (or "line N" without a file).
func (p Position) String() string {
	if p.File == "" {
		return "line " + strconv.FormatInt(p.Line, 10)
	}
	return p.File + ":" + strconv.FormatInt(p.Line, 10)
}

// Format names a log format. The constants below are the formats this
// package reads; Reader.Format forces one of them.
type Format string

// The formats this package reads.
const (
	// FormatResearch: "TIMESTAMP CLIENT NAME [TYPE [CLASS]]" lines (or NAME
	// before CLIENT), separated by whitespace, commas, tabs or pipes, with an
	// optional header line; RFC 3339 or epoch-second stamps.
	FormatResearch Format = "research"
	// FormatBIND: BIND 9 querylog lines (9.3 to 9.18+), syslog-wrapped or
	// not, and Infoblox NIOS "query: … response:" lines.
	FormatBIND Format = "bind"
	// FormatZeek: Zeek dns.log in its TSV form with # header blocks.
	FormatZeek Format = "zeek"
	// FormatZeekJSON: Zeek dns.log written as JSON lines.
	FormatZeekJSON Format = "zeek-json"
	// FormatDnsmasq: dnsmasq and Pi-hole log-queries lines.
	FormatDnsmasq Format = "dnsmasq"
	// FormatUnbound: Unbound log-queries and log-replies lines.
	FormatUnbound Format = "unbound"
	// FormatCoreDNS: CoreDNS log plugin lines, bare or in Kubernetes JSON.
	FormatCoreDNS Format = "coredns"
	// FormatPowerDNS: PowerDNS Recursor structured logging and
	// Authoritative query logging.
	FormatPowerDNS Format = "powerdns"
	// FormatWindows: Windows DNS Server debug log PACKET lines.
	FormatWindows Format = "windows"
	// FormatTechnitium: Technitium DNS Server query log lines.
	FormatTechnitium Format = "technitium"
	// FormatAdGuard: AdGuard Home querylog.json lines.
	FormatAdGuard Format = "adguard"
	// FormatCSV: CSV with a header row, mapped by column names (Cisco
	// Umbrella's layout works without configuration).
	FormatCSV Format = "csv"
	// FormatDnstap: dnstap Frame Streams files.
	FormatDnstap Format = "dnstap"
)
