// Command tealeaves runs the dnsnexus analysis on the seed case: DNS lookups
// of one mail host seen at its three authoritative name servers, with WHOIS
// records of the resolvers that asked.
//
// With no arguments it analyses the bundled synthetic replica in
// testdata/tealeaves (a reconstruction from published facts, not the
// original data). With -in DIR it analyses a directory laid out like the
// original publication — README.txt, ns*_*.log server logs and *.whois
// files — so anyone holding the real files can rerun the analysis.
//
//	go run ./examples/tealeaves [-in DIR] [-out DIR] [-dedup 5s] [-tz ZONE]
//
// It prints a ranked table of (resolver, domain) pairs and writes to -out
// (default tealeaves-report/): report.md, pairs.json, graph.dot,
// graph.json and SVG plots.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tealeaves", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "`DIR` laid out like the original publication (default: the bundled replica)")
	out := fs.String("out", "tealeaves-report", "`DIR` to write the report, JSON, graph and plots to")
	dedup := fs.Duration("dedup", 5*time.Second, "count a lookup logged at several servers within this window once")
	tz := fs.String("tz", "", "time `ZONE` for the rhythm of every resolver (default: best-fitting zone per resolver)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "tealeaves: unexpected arguments; use -in DIR")
		return 2
	}
	dir := *in
	if dir == "" {
		var cleanup func()
		var err error
		dir, cleanup, err = bundledReplica()
		if err != nil {
			fmt.Fprintln(stderr, "tealeaves:", err)
			return 1
		}
		defer cleanup()
	}
	cfg := config{dir: dir, out: *out, dedup: *dedup}
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			fmt.Fprintln(stderr, "tealeaves: -tz:", err)
			return 2
		}
		cfg.loc = loc
	}
	c, err := analyse(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "tealeaves:", err)
		return 1
	}
	if err := c.printTable(stdout); err != nil {
		fmt.Fprintln(stderr, "tealeaves:", err)
		return 1
	}
	if err := c.writeOutputs(); err != nil {
		fmt.Fprintln(stderr, "tealeaves:", err)
		return 1
	}
	fmt.Fprintf(stdout, "\nwrote %s\n", filepath.Join(cfg.out, "report.md"))
	return 0
}
