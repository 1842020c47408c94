// Command score reads DNS query logs in any format dnslog reads, groups the
// lookups into (client, domain) pairs, and prints the pairs ranked by how
// machine-like (beacon) or human-like their timing is, with verdicts and
// evidence.
//
// Usage:
//
//	go run ./examples/score [-json] [-by domain|name] [-whois DIR] [-tz ZONE]
//	    [-ttl SECONDS] [-resolution D] [-format NAME] [-dedup DURATION] [-lenient] FILE...
//
// A FILE of "-" is standard input; several files are merged in time order.
// Without -json it prints a ranked table; with -json one JSON object per
// pair per line (nexus.PairJSON: client, domain, events, beacon, human,
// period, verdict, evidence, enrichment, …).
//
// Large inputs: parsing runs on all cores (dnslog.Reader.Parallel), the
// pairs are kept compactly (see nexus.Collector for the bytes per event
// and per pair, and the caps), and -progress (the default when standard
// error is a terminal) prints the events read and the pairs scored.
// -stats prints the wall time of each stage (read+group, pairs, score,
// synchrony, leaks, write) with the peak RSS, and -cpuprofile FILE writes
// a CPU profile that splits the reading stage into parsing and grouping.
//
// Sharding across processes or machines: run
//
//	score -shard i/n [flags] FILE... > shard-i.jsonl
//
// for i = 0 … n−1 on the same input (each keeps only the pairs with
// nexus.ShardOf(client, domain, n) == i and writes them, unranked, as
// nexus.ShardJSON lines), then
//
//	score -merge [-csv] [-top N] shard-*.jsonl
//
// recomputes the shares, q-values and verdicts across all the pairs and
// prints the ranking as JSON lines, the same lines one -json run over the
// whole input prints. See SCALING.md at the root of the repository.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
	"github.com/dnsnexus/dnsnexus/nexus/pivot"
	"github.com/dnsnexus/dnsnexus/whois"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "print one JSON object per pair per line")
	csvOut := fs.Bool("csv", false, "print CSV with a header row")
	mdOut := fs.Bool("md", false, "print a Markdown report")
	by := fs.String("by", "domain", "group lookups by registrable `domain` or by full query `name`")
	whoisDir := fs.String("whois", "", "`DIR` of WHOIS/RDAP files to enrich clients and domains")
	tz := fs.String("tz", "", "time `ZONE` of the human rhythm (e.g. Europe/Moscow); default: best-fitting zone per pair")
	ttl := fs.Int("ttl", 0, "cache TTL in `SECONDS` in front of the clients; default: the answer TTLs logged")
	resolution := fs.Duration("resolution", 0, "clock `resolution` the pairs are scored at (nexus.Options.Resolution; default 1s, -1ns keeps the logged precision)")
	format := fs.String("format", "", "force the log `format` (default: detect)")
	dedup := fs.Duration("dedup", 0, "count a query seen at several servers within this `window` once (e.g. 5s)")
	lenient := fs.Bool("lenient", false, "skip bad lines (counted on stderr) instead of stopping")
	year := fs.Int("year", 0, "year of year-less syslog stamps (default: this year)")
	top := fs.Int("top", 0, "print only the first N pairs (default: all)")
	progress := fs.Bool("progress", isTerminal(stderr), "print progress on stderr")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `FILE`")
	memlimit := fs.Int64("memlimit", 5<<9, "soft limit of the Go heap in `MiB` (debug.SetMemoryLimit; the GOMEMLIMIT environment variable wins; 0 for none): past it the garbage collector runs more often instead of letting the heap double")
	memprofile := fs.String("memprofile", "", "write a heap profile to `FILE` after scoring")
	stats := fs.Bool("stats", false, "print the wall time of each stage, the peak heap and the throughput on stderr")
	shard := fs.String("shard", "", "keep only the pairs of shard `i/n` (hash of client and domain mod n == i) and write them as JSON lines for -merge")
	history := fs.String("history", "", "also print the name ↔ address history of `NAME` from the answers in the logs (table and -md output only)")
	merge := fs.Bool("merge", false, "merge the JSON lines that -shard runs wrote (the FILEs) into one ranking: recompute shares, q-values and verdicts")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: score [flags] FILE... (- for standard input)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "score:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "score:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && *memlimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(*memlimit << 20))
	}
	if *merge {
		return runMerge(fs.Args(), *csvOut, *top, stdin, stdout, stderr)
	}
	if *history != "" && (*jsonOut || *csvOut || *shard != "") {
		fmt.Fprintln(stderr, "score: -history goes with the table or -md output, not -json, -csv or -shard")
		return 2
	}
	shardI, shardN, err := parseShard(*shard)
	if err != nil {
		fmt.Fprintln(stderr, "score: -shard:", err)
		return 2
	}
	grouping, err := nexus.ParseGroupBy(*by)
	if err != nil {
		fmt.Fprintln(stderr, "score:", err)
		return 2
	}
	opts := nexus.Options{TTL: time.Duration(*ttl) * time.Second, Resolution: *resolution}
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			fmt.Fprintln(stderr, "score: -tz:", err)
			return 2
		}
		opts.Location = loc
	}
	if *whoisDir != "" {
		t, err := whois.LoadDir(ctx, *whoisDir)
		if t == nil || ctx.Err() != nil {
			fmt.Fprintln(stderr, "score: -whois:", err)
			return 1
		}
		if err != nil {
			// Files that are not WHOIS answers (logs, a README) are skipped.
			var failed []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				failed = j.Unwrap()
			} else {
				failed = []error{err}
			}
			fmt.Fprintf(stderr, "score: -whois: %d of the files in %s are not WHOIS answers and were skipped (first: %v)\n",
				len(failed), *whoisDir, failed[0])
		}
		opts.Whois = t
	}
	ropts := dnslog.Options{Format: dnslog.Format(*format), Lenient: *lenient, Year: *year, Location: opts.Location, Parallel: -1}
	var readers []*dnslog.Reader
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, name := range fs.Args() {
		var r *dnslog.Reader
		if name == "-" {
			r = dnslog.NewReader(stdin)
			r.File = "-"
			r.Format, r.Lenient, r.Year, r.Location, r.Parallel = ropts.Format, ropts.Lenient, ropts.Year, ropts.Location, ropts.Parallel
		} else {
			rr, c, err := dnslog.OpenFile(name, ropts)
			if err != nil {
				fmt.Fprintln(stderr, "score:", err)
				return 1
			}
			r, closers = rr, append(closers, c)
		}
		readers = append(readers, r)
	}
	m := dnslog.NewMultiReader(readers...)
	m.Dedup = *dedup
	events := m.AllContext(ctx)
	if len(readers) == 1 && *dedup == 0 {
		// One input needs no merging: read it directly (the same events).
		events = readers[0].AllContext(ctx)
	}
	var hist *pivot.History
	if *history != "" {
		// Tee the events into a name/address history as they are read.
		hist = &pivot.History{}
		inner := events
		events = func(yield func(dnslog.Event, error) bool) {
			for ev, err := range inner {
				if err == nil {
					hist.Add(&ev)
				}
				if !yield(ev, err) {
					return
				}
			}
		}
	}
	c := &nexus.Collector{By: grouping, Shard: shardI, Shards: shardN}
	st := newStats(*stats, stderr)
	start := time.Now()
	copts := nexus.CollectOptions{}
	if *progress {
		copts.Progress = func(n int64) {
			el := time.Since(start).Seconds()
			fmt.Fprintf(stderr, "\rread %d events, %.0fs, %.0f events/s", n, el, float64(n)/el)
		}
	}
	n, err := c.Collect(ctx, events, copts)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "score: interrupted")
		} else {
			fmt.Fprintln(stderr, "score:", err)
		}
		return 1
	}
	st.stage("read+group", n)
	if *progress {
		fmt.Fprintf(stderr, "\rread %d events into %d pairs in %.1fs; scoring…\n", n, c.Len(), time.Since(start).Seconds())
		opts.Progress = func(done, total int) {
			fmt.Fprintf(stderr, "\rscored %d of %d pairs", done, total)
			if done == total {
				fmt.Fprintln(stderr)
			}
		}
	}
	if k := m.Skipped(); k > 0 {
		fmt.Fprintf(stderr, "score: skipped %d bad lines\n", k)
	}
	if shardN > 1 {
		fmt.Fprintf(stderr, "score: shard %d/%d: %d pairs, %d events of other shards' pairs ignored\n", shardI, shardN, c.Len(), c.OtherShards())
	}
	if shardN > 1 || ((*jsonOut || *csvOut) && !*mdOut) {
		// Only per-pair lines are written: score in bounded memory.
		defer st.done()
		return scoreLean(ctx, c, opts, shardN > 1, *csvOut && !*jsonOut, *top, stdout, stderr, st)
	}
	opts.Stage = func(name string, d time.Duration) { st.stageTime(name, d) }
	rep, err := nexus.Analyze(ctx, c, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "score: interrupted")
		} else {
			fmt.Fprintln(stderr, "score:", err)
		}
		return 1
	}
	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			fmt.Fprintln(stderr, "score:", err)
			return 1
		}
	}
	st.reset()
	defer st.done()
	defer st.stage("write", 0)
	if *top > 0 && *top < len(rep.Scores) {
		rep.Scores = rep.Scores[:*top]
	}
	switch {
	case *jsonOut:
		err = rep.WriteJSON(stdout)
	case *csvOut:
		err = rep.WriteCSV(stdout)
	case *mdOut:
		err = rep.WriteMarkdown(stdout, nexus.MarkdownOptions{Top: -1, Location: opts.Location})
	default:
		err = writeTable(stdout, rep)
	}
	if err == nil && hist != nil {
		fmt.Fprintln(stdout)
		err = pivot.WriteMarkdown(stdout, hist, strings.TrimSuffix(strings.ToLower(*history), "."))
	}
	if err != nil {
		fmt.Fprintln(stderr, "score:", err)
		return 1
	}
	return 0
}

// writeTable prints the ranked pairs as an aligned text table with the
// first evidence lines of each.
func writeTable(w io.Writer, rep *nexus.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d events, %d pairs (grouped by %s)\n\n", rep.Events, len(rep.Scores), rep.By)
	fmt.Fprintf(&b, "%-4s %-39s %-30s %8s %-12s %6s %6s %10s %9s\n", "rank", "client", "domain", "events", "verdict", "beacon", "human", "period", "q")
	for i := range rep.Scores {
		s := &rep.Scores[i]
		period := "-"
		if s.Period > 0 {
			period = s.Period.Round(time.Second).String()
		}
		fmt.Fprintf(&b, "%-4d %-39s %-30s %8d %-12s %6.3f %6.3f %10s %9.2g\n", i+1, s.Client, trunc(s.Domain, 30), s.Events, s.Verdict, s.Beacon, s.Human, period, s.Q)
		if org := s.Enrichment.Org; org != "" {
			fmt.Fprintf(&b, "     owner: %s (%s)\n", org, s.Enrichment.Country)
		}
		for j, e := range s.Evidence {
			if j == 3 {
				break
			}
			fmt.Fprintf(&b, "     %s\n", e)
		}
	}
	for _, sy := range rep.Syncs {
		fmt.Fprintf(&b, "\nlock-step: %s and %s on %s: %d of %d lookups within the window (expected %.1f by chance, p = %.2g), median lag %s\n",
			sy.A, sy.B, sy.Domain, sy.Matched, min(sy.NA, sy.NB), sy.Expected, sy.P, sy.MedianLag)
	}
	for _, l := range rep.Leaks {
		fmt.Fprintf(&b, "\nsearch-suffix leak: %s = %s + %s (%d lookups)\n", l.Name, l.Base, l.Suffix, l.Count)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
