// Package replica builds the Tea Leaves replica: a seeded, synthetic
// reconstruction of the data published in 2016 about lookups of
// mail1.trump-email.com at the domain's three authoritative name servers.
//
// The original files are not available. The replica is made from the
// published facts only — date range, resolvers, lookup counts, shares,
// office hours, quiet spells, spikes and the events of 23 September 2016 —
// and a model of how such lookups arise: a person-driven request process
// behind each resolver's cache, which holds the answer for TTL seconds, so
// that a resolver asks an authoritative server only for the first request
// after its cached answer has expired. Everything it writes says, where the
// format allows a comment, that it is synthetic.
//
// Files returns the replica in memory and Generate writes it to a folder;
// both are deterministic functions of the seed (math/rand/v2 PCG streams,
// deterministic sorting, LF line endings). The project's copy lives in
// testdata/tealeaves and is rebuilt with go generate at the module root.
//
// # Counting rule
//
// A lookup is one query by one resolver for one name, however many of the
// three servers logged it. Log lines from any of the servers with the same
// resolver and name belong to the same lookup when their stamps lie within
// DedupWindow of the lookup's first line; the lookup's time is that of its
// earliest line. Because a resolver asks again only after the TTL has run
// out, any window from a few seconds to just under TTL gives the same
// counts. The published counts (BankLookups, HealthLookups and the handful
// from the other resolvers) are counts of lookups of MailHost under this
// rule; the run-on name and FollowName are counted apart.
package replica

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"
)

// DefaultSeed is the seed of the project's copy in testdata/tealeaves.
const DefaultSeed uint64 = 20160923

// Names queried in the replica.
const (
	// MailHost is the name whose lookups the case is about.
	MailHost = "mail1.trump-email.com"
	// RunOnName is MailHost with the bank's internal search suffix
	// appended, queried once shortly before the last lookup of MailHost.
	RunOnName = "mail1.trump-email.com.moscow.alfaintra.net"
	// FollowName is the name the bank's resolvers ask for after MailHost
	// stops resolving.
	FollowName = "trump1.contact-client.com"
)

// Resolvers, as published. The two bank resolvers and BankOther lie in the
// bank's network; HealthResolver in the health system's.
var (
	// BankResolverA and BankResolverB are the bank's two DNS servers in
	// Moscow; they ask in lock-step.
	BankResolverA = netip.MustParseAddr("217.12.96.15")
	BankResolverB = netip.MustParseAddr("217.12.97.15")
	// BankOther is a third address in the bank's network that asks a
	// handful of times.
	BankOther = netip.MustParseAddr("217.12.97.137")
	// HealthResolver is the Michigan health system's resolver.
	HealthResolver = netip.MustParseAddr("167.73.110.8")
	// UnknownResolver is an address whose owner was not published; it asks
	// a handful of times.
	UnknownResolver = netip.MustParseAddr("198.91.42.242")
	// MailAddr is the address MailHost (and later FollowName) resolved to.
	MailAddr = netip.MustParseAddr("66.216.133.29")
)

// Published lookup counts of MailHost, after de-duplication across the three
// servers (see the counting rule in the package documentation).
const (
	// BankLookups is the number of lookups made by BankResolverA and
	// BankResolverB together.
	BankLookups = 2820
	// HealthLookups is the number of lookups made by HealthResolver.
	HealthLookups = 714
	// BankOtherLookups and UnknownLookups are the handful made by BankOther
	// and UnknownResolver. The published text gives no figure; these are
	// chosen so that the bank's two resolvers make about 80 % and the two
	// organisations about 99 % of all lookups.
	BankOtherLookups = 5
	UnknownLookups   = 13
)

// TTL is the time to live of MailHost's address record: a resolver's cache
// answers requests for TTL after each lookup.
const TTL = 3600 * time.Second

// DedupWindow is the largest spread of stamps, measured from a lookup's
// first line, of the log lines that copy one lookup at the three servers.
// The generator never spreads copies over more than 2 s.
const DedupWindow = 5 * time.Second

// Time frame and the events of the last day, all in UTC.
var (
	// Start is the first day of the logs, 4 May 2016 (00:00 UTC).
	Start = time.Date(2016, time.May, 4, 0, 0, 0, 0, time.UTC)
	// LastLookup is the time of the last lookup of MailHost, made by
	// BankResolverB on 23 September 2016.
	LastLookup = time.Date(2016, time.September, 23, 13, 56, 29, 0, time.UTC)
	// RunOnLead is how long before LastLookup BankResolverB asks for
	// RunOnName.
	RunOnLead = 90 * time.Second
)

// Zones of the two organisations' office hours. For May–September 2016
// Moscow is UTC+3 and New York UTC-4 throughout; the generator uses those
// fixed offsets when the system has no zone database, so its output does not
// depend on the host.
var (
	// BankZone is Europe/Moscow.
	BankZone = loadZone("Europe/Moscow", 3*3600)
	// HealthZone is America/New_York (Michigan keeps Eastern time).
	HealthZone = loadZone("America/New_York", -4*3600)
)

func loadZone(name string, offset int) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone(name, offset)
}

// Span is a range of whole days, both ends included, as calendar dates in
// UTC.
type Span struct {
	First, Last time.Time
}

// Contains reports whether t falls on one of the span's days (in UTC).
func (s Span) Contains(t time.Time) bool {
	d := day(t)
	return !d.Before(s.First) && !d.After(s.Last)
}

func date(m time.Month, d int) time.Time { return time.Date(2016, m, d, 0, 0, 0, 0, time.UTC) }

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Calendar of activity shared by both organisations: nobody asks during the
// quiet spells, and the spike days are busier than any other day.
var (
	// QuietSpells are the days without lookups: the weekend of 23–24 July
	// and the spells of 13–17 August and 14–20 September 2016.
	QuietSpells = []Span{
		{date(time.July, 23), date(time.July, 24)},
		{date(time.August, 13), date(time.August, 17)},
		{date(time.September, 14), date(time.September, 20)},
	}
	// SpikeDays are the days of the published spikes: 24 June, 8–9 July,
	// 25–26 July and 31 July 2016.
	SpikeDays = []time.Time{
		date(time.June, 24), date(time.July, 8), date(time.July, 9),
		date(time.July, 25), date(time.July, 26), date(time.July, 31),
	}
)

// File names of the replica.
const (
	// ReadmeFile describes the replica.
	ReadmeFile = "README.txt"
	// ZeekFile is a Zeek dns.log of a few lookups seen between a client and
	// the bank's resolver, with answers.
	ZeekFile = "recursive_dns.log"
)

// ServerLogs are the names of the three authoritative servers' logs, in the
// order ns1, ns2, ns3.
var ServerLogs = [3]string{
	"ns1_cdcservices_com.log",
	"ns2_cdcservices_com.log",
	"ns3_cdcservices_com.log",
}

// File is one file of the replica: its base name and its bytes.
type File struct {
	Name string
	Data []byte
}

// Files builds the replica for seed in memory, in a fixed order (README,
// server logs, WHOIS files, Zeek log). It returns an error only when the
// model cannot reproduce the published figures with that seed.
func Files(seed uint64) ([]File, error) {
	lk, err := simulate(seed)
	if err != nil {
		return nil, err
	}
	logs := spread(lk, seed)
	files := []File{{ReadmeFile, readme(seed, count(lk, logs))}}
	for i, name := range ServerLogs {
		files = append(files, File{name, researchLog(logs[i])})
	}
	files = append(files, whoisFiles()...)
	files = append(files, File{ZeekFile, zeekLog(lk, seed)})
	return files, nil
}

// Generate writes the replica for seed into dir, creating dir if needed and
// replacing files of the same names. It leaves other files in dir alone.
func Generate(dir string, seed uint64) error {
	files, err := Files(seed)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("replica: %w", err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return fmt.Errorf("replica: %w", err)
		}
	}
	return nil
}
