// Command parse reads DNS query logs of any format dnslog knows and prints
// their events.
//
// Usage:
//
//	parse [-json] [-count] [-format NAME] [-tz ZONE] [-year N] [-lenient]
//	      [-dedup DURATION] [-parallel N] FILE...
//
// A FILE of "-" is standard input; gzip input is decompressed. Several
// files are merged in time order (each file is assumed to be in order);
// -dedup drops the same client, name and type seen again within the
// window (see dnslog.MultiReader).
//
// Output: by default one line per event, "TIME CLIENT NAME TYPE RCODE".
// With -json, one JSON object per line with the members time (RFC 3339,
// UTC, with the fraction the log has), client, client_port, server, name,
// type, class, rcode ("" when the log has none), answers, format, file and
// line; server is "" when unknown. With -count, only "events N" and
// "skipped N" lines.
//
// A bad line stops it with "file:line:column: …" on standard error and exit
// status 1, unless -lenient, which skips bad lines, reports how many on
// standard error and exits 0.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// jsonEvent is the -json output record.
type jsonEvent struct {
	Time       string       `json:"time"`
	Client     string       `json:"client"`
	ClientPort uint16       `json:"client_port,omitempty"`
	Server     string       `json:"server"`
	Name       string       `json:"name"`
	Type       string       `json:"type"`
	Class      string       `json:"class,omitempty"`
	RCode      string       `json:"rcode"`
	Answers    []jsonAnswer `json:"answers,omitempty"`
	Format     string       `json:"format"`
	File       string       `json:"file"`
	Line       int64        `json:"line"`
}

type jsonAnswer struct {
	Data string  `json:"data"`
	Type string  `json:"type,omitempty"`
	TTL  *uint32 `json:"ttl,omitempty"`
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per event")
	count := fs.Bool("count", false, "print only the numbers of events and skipped lines")
	format := fs.String("format", "", "log format (default: detect); one of "+fmt.Sprint(dnslog.Formats()))
	tz := fs.String("tz", "UTC", "time zone of zone-less timestamps (IANA name)")
	year := fs.Int("year", 0, "year of year-less timestamps (default: current year)")
	lenient := fs.Bool("lenient", false, "skip bad lines and report how many")
	dedup := fs.Duration("dedup", 0, "drop repeats of the same client, name and type within this window")
	parallel := fs.Int("parallel", 0, "decode chunks on N goroutines where the format allows (-1: all CPUs)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parse [-json] [-count] [-format NAME] [-tz ZONE] [-year N] [-lenient] [-dedup D] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		fmt.Fprintf(stderr, "parse: -tz: %v\n", err)
		return 2
	}
	opts := dnslog.Options{
		Format:   dnslog.Format(*format),
		Location: loc,
		Year:     *year,
		Lenient:  *lenient,
		Parallel: *parallel,
	}
	var readers []*dnslog.Reader
	for _, name := range fs.Args() {
		if name == "-" {
			r := dnslog.NewReader(stdin)
			configure(r, opts)
			r.File = "-"
			readers = append(readers, r)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "parse: %v\n", err)
			return 1
		}
		defer f.Close()
		r := dnslog.NewReader(f)
		configure(r, opts)
		r.File = name
		readers = append(readers, r)
	}
	m := dnslog.NewMultiReader(readers...)
	m.Dedup = *dedup

	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	var n int64
	for ev, err := range m.AllContext(ctx) {
		if err != nil {
			w.Flush()
			fmt.Fprintf(stderr, "%v\n", err)
			var pe *dnslog.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, context.Canceled) {
				fmt.Fprintln(stderr, "parse: stopped")
			}
			return 1
		}
		n++
		switch {
		case *count:
		case *asJSON:
			if err := enc.Encode(toJSON(&ev)); err != nil {
				fmt.Fprintf(stderr, "parse: %v\n", err)
				return 1
			}
		default:
			fmt.Fprintf(w, "%s %s %s %s %s\n", ev.Time.Format(time.RFC3339Nano), ev.Client, ev.Name, ev.Type, ev.RCode)
		}
	}
	if *count {
		fmt.Fprintf(w, "events %d\nskipped %d\n", n, m.Skipped())
	}
	if *lenient && m.Skipped() > 0 {
		w.Flush()
		fmt.Fprintf(stderr, "parse: skipped %d bad lines\n", m.Skipped())
		for _, e := range m.Errors() {
			fmt.Fprintf(stderr, "  %v\n", e)
		}
	}
	if *dedup > 0 {
		w.Flush()
		fmt.Fprintf(stderr, "parse: dropped %d duplicates\n", m.Duplicates())
	}
	return 0
}

func configure(r *dnslog.Reader, o dnslog.Options) {
	r.Format = o.Format
	r.Location = o.Location
	r.Year = o.Year
	r.Lenient = o.Lenient
	r.Parallel = o.Parallel
}

func addrString(s fmt.Stringer, valid bool) string {
	if !valid {
		return ""
	}
	return s.String()
}

func toJSON(ev *dnslog.Event) jsonEvent {
	j := jsonEvent{
		Time:       ev.Time.UTC().Format(time.RFC3339Nano),
		Client:     addrString(ev.Client, ev.Client.IsValid()),
		ClientPort: ev.ClientPort,
		Server:     addrString(ev.Server, ev.Server.IsValid()),
		Name:       ev.Name,
		Type:       ev.Type.String(),
		Class:      ev.Class.String(),
		RCode:      ev.RCode.String(),
		Format:     string(ev.Format),
		File:       ev.Pos.File,
		Line:       ev.Pos.Line,
	}
	for _, a := range ev.Answers {
		ja := jsonAnswer{Data: a.Data, Type: a.Type.String()}
		if a.HasTTL {
			ttl := a.TTL
			ja.TTL = &ttl
		}
		j.Answers = append(j.Answers, ja)
	}
	return j
}
