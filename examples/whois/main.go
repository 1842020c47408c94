// Command whois parses saved WHOIS and RDAP answers and prints what each
// one says about a network or a domain.
//
//	go run ./examples/whois [-json] FILE...
//
// With -json it prints one JSON object per file on one line, with at least
// the fields file, kind ("ip" for networks and IRR route listings,
// "domain" for domains; record_kind says "network", "route" or
// "domain"), ranges (CIDR strings),
// netname, org, country, source, domain, registrar, and created, updated
// and expires (RFC 3339, or "" when absent). Without -json it prints a
// readable summary. A file that cannot be read or parsed is reported on
// standard error as "file: error"; the others are still printed, and the
// exit status is 1.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/whois"
)

// output is the JSON contract of -json.
type output struct {
	File          string   `json:"file"`
	Kind          string   `json:"kind"`        // "ip" or "domain"
	RecordKind    string   `json:"record_kind"` // "network", "route" or "domain"
	Format        string   `json:"format"`
	Source        string   `json:"source"`
	Ranges        []string `json:"ranges"`
	NetName       string   `json:"netname"`
	Handle        string   `json:"handle"`
	Org           string   `json:"org"`
	OrgID         string   `json:"org_id"`
	Country       string   `json:"country"`
	OriginAS      string   `json:"origin_as"`
	Abuse         string   `json:"abuse"`
	Referral      string   `json:"referral"`
	Domain        string   `json:"domain"`
	Registrar     string   `json:"registrar"`
	NameServers   []string `json:"name_servers"`
	Created       string   `json:"created"`
	Updated       string   `json:"updated"`
	Expires       string   `json:"expires"`
	DateAmbiguous bool     `json:"date_ambiguous"`
	Warnings      []string `json:"warnings"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func toOutput(file string, r whois.Record) output {
	o := output{File: file, Kind: "ip", RecordKind: string(r.Kind), Format: string(r.Format), Source: r.Source,
		Ranges: []string{}, NetName: r.NetName, Handle: r.Handle, Org: r.Org, OrgID: r.OrgID, Country: r.Country,
		OriginAS: r.OriginAS, Abuse: r.Abuse.Email, Referral: r.Referral, Domain: r.Domain, Registrar: r.Registrar,
		NameServers: r.NameServers, Created: rfc3339(r.Created), Updated: rfc3339(r.Updated),
		Expires: rfc3339(r.Expires), DateAmbiguous: r.DateAmbiguous, Warnings: r.Warnings}
	if r.Kind == whois.KindDomain {
		o.Kind = "domain"
	}
	for _, p := range r.Ranges {
		o.Ranges = append(o.Ranges, p.String())
	}
	if o.NameServers == nil {
		o.NameServers = []string{}
	}
	if o.Warnings == nil {
		o.Warnings = []string{}
	}
	return o
}

func printText(w io.Writer, o output) {
	fmt.Fprintf(w, "%s\n", o.File)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-10s %s\n", k+":", v)
		}
	}
	line("kind", o.RecordKind+" ("+o.Format+")")
	line("source", o.Source)
	line("ranges", strings.Join(o.Ranges, " "))
	line("netname", o.NetName)
	org := o.Org
	if o.OrgID != "" {
		org += " (" + o.OrgID + ")"
	}
	line("org", org)
	line("country", o.Country)
	line("origin", o.OriginAS)
	line("abuse", o.Abuse)
	line("referral", o.Referral)
	line("domain", o.Domain)
	line("registrar", o.Registrar)
	line("ns", strings.Join(o.NameServers, " "))
	line("created", o.Created)
	line("updated", o.Updated)
	line("expires", o.Expires)
	if o.DateAmbiguous {
		line("dates", "ambiguous (left empty)")
	}
	for _, wn := range o.Warnings {
		line("warning", wn)
	}
}

// describe returns err's text without the file name, which the caller
// prints first.
func describe(err error) string {
	var pe *whois.ParseError
	if errors.As(err, &pe) {
		c := *pe
		c.File = ""
		return c.Error()
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err.Error()
	}
	return err.Error()
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("whois", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "print one JSON object per file")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: whois [-json] FILE...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return 2
	}
	status := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i, file := range fl.Args() {
		r, err := whois.ParseFile(file)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", file, describe(err))
			status = 1
			continue
		}
		o := toOutput(file, r)
		if *asJSON {
			enc.Encode(o)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printText(stdout, o)
	}
	return status
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
