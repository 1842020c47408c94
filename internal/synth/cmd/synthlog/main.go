// Command synthlog writes a synthetic DNS query log to standard output:
// N lookups of many (client, domain) pairs in time order, generated on the
// fly in bounded memory, in the research or Zeek dns.log format.
//
// Usage:
//
//	synthlog [-n 100000000] [-pairs 1000000] [-clients 0] [-days 7] [-format research|zeek] [-seed 1] [-truth file]
//
// With -truth, it also writes the ground truth of every pair to file as
// tab-separated lines: client, domain, scenario, kind, period in seconds,
// jitter, missed-beat probability.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/dnsnexus/dnsnexus/internal/synth"
)

func main() {
	n := flag.Int64("n", 1_000_000, "number of lookups to write")
	pairs := flag.Int("pairs", 1000, "number of (client, domain) pairs")
	clients := flag.Int("clients", 0, "number of clients (0: pairs/16)")
	days := flag.Int("days", 7, "span the lookups are spread over, in days")
	format := flag.String("format", "research", "output format: research or zeek")
	seed := flag.Uint64("seed", 1, "random seed")
	start := flag.String("start", "2026-03-02T00:00:00Z", "start time, RFC 3339")
	truth := flag.String("truth", "", "write the pairs' ground truth to this file")
	flag.Parse()

	f, err := synth.ParseFormat(*format)
	if err != nil {
		fail(err)
	}
	t0, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		fail(fmt.Errorf("-start: %w", err))
	}
	cfg := synth.StreamConfig{N: *n, Pairs: *pairs, Clients: *clients, Days: *days, Seed: *seed, Start: t0, Format: f}
	if *truth != "" {
		if err := writeTruth(*truth, cfg); err != nil {
			fail(err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := synth.Stream(ctx, cfg, os.Stdout); err != nil {
		fail(err)
	}
}

func writeTruth(path string, cfg synth.StreamConfig) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	n := cfg.Pairs
	if n <= 0 {
		n = 1000
	}
	w.WriteString("#client\tdomain\tscenario\tkind\tperiod_s\tjitter\tmissed\n")
	for k := range n {
		t := cfg.Pair(k)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Client, t.Domain, t.Scenario, t.Kind,
			strconv.FormatFloat(t.Period.Seconds(), 'f', -1, 64),
			strconv.FormatFloat(t.Jitter, 'f', -1, 64), strconv.FormatFloat(t.Missed, 'f', -1, 64))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "synthlog:", err)
	os.Exit(2)
}
