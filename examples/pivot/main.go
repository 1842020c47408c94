// Command pivot answers analysts' pivots from DNS logs and WHOIS files:
// what a name resolved to over time and when that changed, which names
// shared an address, which names contain a word, which domains an
// organisation registered, and which mail hosts were seen.
//
// Usage:
//
//	go run ./examples/pivot [flags] FILE...
//
// FILE is a DNS log in any format the dnslog package reads ("-" for
// standard input); several files are merged in time order. Flags:
//
//	-name NAME         binding history of NAME (repeat or separate with commas)
//	-addr ADDR         names seen on ADDR, from answers and PTR lookups
//	-cohost ADDR|PFX   names on an address or prefix, within -from/-to
//	-from, -to DATE    window for -cohost (2016-09-23 or RFC 3339)
//	-grep WORD         query names, answers and PTR names containing WORD
//	-regexp RE         the same with a regular expression
//	-registrant ORG    domains whose registrant matches ORG (needs -whois)
//	-contacts          -registrant also searches admin and tech contacts
//	-network ORG       networks whose holder matches ORG (needs -whois)
//	-whois DIR         WHOIS files to load (whois.LoadDir)
//	-mail              MX targets and mail-looking hosts, with their networks
//	-live SERVER       also ask SERVER (host:port) about the -name and -addr
//	                   values and the names' addresses; off by default
//	-live-max N        cap on live queries (default 50)
//	-json              JSON instead of Markdown
//	-format, -tz, -year, -lenient   as for examples/parse
//
// Without a pivot flag it prints every binding change in the logs.
//
// For the Tea Leaves replica:
//
//	go run ./examples/pivot -whois testdata/tealeaves -name mail1.trump-email.com \
//	    -cohost 66.216.133.29 -registrant "Trump Organization" -mail \
//	    testdata/tealeaves/recursive_dns.log
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus/pivot"
	"github.com/dnsnexus/dnsnexus/whois"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p), ".")); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// output is the JSON document; the Markdown has the same sections.
type output struct {
	Files       []string                `json:"files"`
	Events      int64                   `json:"events"`
	Malformed   int64                   `json:"malformed"`
	Errors      []string                `json:"errors,omitempty"`
	Names       []*pivot.NameHistory    `json:"names,omitempty"`
	Addr        []pivot.Binding         `json:"addr,omitempty"`
	CoHosted    []pivot.Binding         `json:"cohosted,omitempty"`
	Search      []pivot.DomainHits      `json:"search,omitempty"`
	Registrants []pivot.RegistrantMatch `json:"registrants,omitempty"`
	Networks    []pivot.NetworkMatch    `json:"networks,omitempty"`
	Mail        []pivot.MailSystem      `json:"mail,omitempty"`
	Live        []pivot.LiveRecord      `json:"live,omitempty"`
	Changes     []pivot.Change          `json:"changes,omitempty"`
}

func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q (want 2016-09-23 or RFC 3339)", s)
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad address or prefix %q", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pivot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var names listFlag
	fs.Var(&names, "name", "binding history of `NAME` (repeatable, comma-separated)")
	addrFlag := fs.String("addr", "", "names seen on `ADDR`")
	cohost := fs.String("cohost", "", "names on an address or `PREFIX`")
	from := fs.String("from", "", "start of the -cohost window (`DATE`)")
	to := fs.String("to", "", "end of the -cohost window (`DATE`)")
	grep := fs.String("grep", "", "names containing `WORD`")
	re := fs.String("regexp", "", "names matching `RE`")
	registrant := fs.String("registrant", "", "domains registered to `ORG`")
	contacts := fs.Bool("contacts", false, "-registrant also searches admin and tech contacts")
	network := fs.String("network", "", "networks held by `ORG`")
	whoisDir := fs.String("whois", "", "WHOIS files in `DIR`")
	mail := fs.Bool("mail", false, "mail systems")
	live := fs.String("live", "", "ask DNS `SERVER` (host:port) live")
	liveMax := fs.Int("live-max", 50, "cap on live queries")
	asJSON := fs.Bool("json", false, "JSON output")
	format := fs.String("format", "", "log format (default: detect)")
	tz := fs.String("tz", "UTC", "time zone of zone-less stamps")
	year := fs.Int("year", 0, "year of year-less stamps")
	lenient := fs.Bool("lenient", false, "skip bad lines")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "pivot:", err)
		return 1
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: pivot [flags] FILE... (\"-\" for standard input)")
		fs.PrintDefaults()
		return 2
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fail(err)
	}
	var pattern *regexp.Regexp
	if *re != "" {
		if pattern, err = regexp.Compile(*re); err != nil {
			return fail(err)
		}
	}
	var window [2]time.Time
	if window[0], err = parseDay(*from, false); err != nil {
		return fail(err)
	}
	if window[1], err = parseDay(*to, true); err != nil {
		return fail(err)
	}

	m, err := dnslog.OpenFiles(fs.Args(), dnslog.Options{Format: dnslog.Format(*format), Location: loc, Year: *year,
		Lenient: *lenient})
	if err != nil {
		return fail(err)
	}
	defer m.Close()
	var h pivot.History
	if err := h.AddAll(ctx, m.AllContext(ctx)); err != nil {
		return fail(err)
	}
	for _, err := range m.Errors() {
		fmt.Fprintln(stderr, "pivot: skipped:", err)
	}

	var table *whois.Table
	if *whoisDir != "" {
		table, err = whois.LoadDir(ctx, *whoisDir)
		if table == nil {
			return fail(err)
		}
		if err != nil {
			n := strings.Count(err.Error(), "\n") + 1
			fmt.Fprintf(stderr, "pivot: %d files in %s are not WHOIS answers or did not parse\n", n, *whoisDir)
		}
	} else if *registrant != "" || *network != "" {
		return fail(errors.New("-registrant and -network need -whois DIR"))
	}

	out := output{Files: fs.Args()}
	var addr netip.Addr
	if *addrFlag != "" {
		if addr, err = netip.ParseAddr(*addrFlag); err != nil {
			return fail(err)
		}
	}
	if *live != "" {
		r := &pivot.Resolver{Server: *live, MaxQueries: *liveMax}
		var addrs []netip.Addr
		if addr.IsValid() {
			addrs = append(addrs, addr)
		}
		for _, n := range names {
			if nh := h.Name(n); nh != nil {
				addrs = append(addrs, nh.Addrs()...)
			}
		}
		recs, err := r.Pivot(ctx, names, addrs)
		if err != nil {
			fmt.Fprintln(stderr, "pivot: live:", err)
		}
		for i, rec := range recs {
			ev := rec.Event(int64(i + 1))
			h.Add(&ev)
		}
		out.Live = recs
	}
	for _, n := range names {
		if nh := h.Name(n); nh != nil {
			out.Names = append(out.Names, nh)
		} else {
			out.Names = append(out.Names, &pivot.NameHistory{Name: n})
		}
	}
	if addr.IsValid() {
		out.Addr = h.Addr(addr)
	}
	if *cohost != "" {
		p, err := parsePrefix(*cohost)
		if err != nil {
			return fail(err)
		}
		out.CoHosted = h.CoHosted(p, window[0], window[1])
	}
	if *grep != "" || pattern != nil {
		out.Search = pivot.GroupByDomain(h.Search(pivot.Query{Word: *grep, Pattern: pattern}))
	}
	if *registrant != "" {
		out.Registrants = pivot.DomainsByRegistrant(table, *registrant, pivot.MatchOptions{Contacts: *contacts})
	}
	if *network != "" {
		out.Networks = pivot.NetworksByOrg(table, *network, pivot.MatchOptions{})
	}
	if *mail {
		out.Mail = h.Mail(table, pivot.MailOptions{})
	}
	pivoted := len(names) > 0 || addr.IsValid() || *cohost != "" || *grep != "" || pattern != nil ||
		*registrant != "" || *network != "" || *mail
	if !pivoted {
		out.Changes = h.Changes()
	}
	out.Events, out.Malformed = h.Events(), h.Malformed()
	for _, err := range h.Errors() {
		out.Errors = append(out.Errors, err.Error())
	}

	if *asJSON {
		err = pivot.WriteJSON(stdout, out)
	} else {
		err = writeMarkdown(stdout, &h, out, *registrant, *network, *cohost)
	}
	if err != nil {
		return fail(err)
	}
	return 0
}

func writeMarkdown(w io.Writer, h *pivot.History, out output, registrant, network, cohost string) error {
	fmt.Fprintf(w, "# Pivots over %s\n\n", strings.Join(out.Files, ", "))
	fmt.Fprintf(w, "%d events; %d malformed answers skipped.\n\n", out.Events, out.Malformed)
	for _, n := range out.Names {
		if err := pivot.WriteMarkdown(w, h, n.Name); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	section := func(title string, write func() error) error {
		fmt.Fprintf(w, "## %s\n\n", title)
		if err := write(); err != nil {
			return err
		}
		_, err := fmt.Fprintln(w)
		return err
	}
	var err error
	if out.Addr != nil {
		err = errors.Join(err, section("Names on the address", func() error { return pivot.WriteBindings(w, out.Addr) }))
	}
	if cohost != "" {
		err = errors.Join(err, section("Names on "+cohost, func() error { return pivot.WriteBindings(w, out.CoHosted) }))
	}
	if out.Search != nil {
		err = errors.Join(err, section("Search", func() error { return pivot.WriteHits(w, out.Search) }))
	}
	if registrant != "" {
		err = errors.Join(err, section("Domains registered to "+registrant, func() error {
			return pivot.WriteRegistrants(w, out.Registrants)
		}))
	}
	if network != "" {
		err = errors.Join(err, section("Networks held by "+network, func() error { return pivot.WriteNetworks(w, out.Networks) }))
	}
	if out.Mail != nil {
		err = errors.Join(err, section("Mail systems", func() error { return pivot.WriteMail(w, out.Mail) }))
	}
	if out.Live != nil {
		err = errors.Join(err, section("Live DNS", func() error { return pivot.WriteLive(w, out.Live) }))
	}
	if out.Changes != nil {
		err = errors.Join(err, section("Binding changes", func() error {
			for _, c := range out.Changes {
				fmt.Fprintf(w, "- %s %s **%s**: %s until %s (%s); %s from %s (%s)\n", c.Name, c.Type, c.Kind,
					strings.Join(answers(c.Before), ", "), c.Before.Last.Format(time.RFC3339), c.Before.LastPos,
					strings.Join(answers(c.After), ", "), c.After.First.Format(time.RFC3339), c.After.FirstPos)
			}
			return nil
		}))
	}
	if len(out.Errors) > 0 {
		err = errors.Join(err, section("Malformed answers (first few)", func() error {
			for _, e := range out.Errors {
				fmt.Fprintf(w, "- %s\n", e)
			}
			return nil
		}))
	}
	return err
}

func answers(p pivot.Period) []string {
	if p.State != pivot.StateAnswers {
		return []string{p.State.String()}
	}
	return p.AnswerText()
}
