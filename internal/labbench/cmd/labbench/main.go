// Command labbench runs the labelled benchmark of the nexus scorer and
// prints its Markdown table.
//
//	go run ./internal/labbench/cmd/labbench -preset full -seed 2 -format zeek -artefacts
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/dnsnexus/dnsnexus/internal/labbench"
	"github.com/dnsnexus/dnsnexus/internal/synth"
)

func main() {
	preset := flag.String("preset", "short", "dataset size: short or full")
	seed := flag.Uint64("seed", 2, "dataset seed")
	format := flag.String("format", "zeek", "log format the events go through: zeek, research, or none")
	artefacts := flag.Bool("artefacts", false, "also measure how far artefacts move the beacon scores")
	verbose := flag.Bool("v", false, "print every pair")
	only := flag.String("only", "", "with -artefacts, inject only these artefacts (comma-separated: aaaa,retry,dup,round,split)")
	flag.Parse()
	cfg := labbench.Config{Seed: *seed, Format: *format, Artefacts: *artefacts}
	if *only != "" {
		var a synth.Artefacts
		for _, k := range strings.Split(*only, ",") {
			switch k {
			case "aaaa":
				a.AAAA = synth.Typical.AAAA
			case "retry":
				a.Retry = synth.Typical.Retry
			case "dup":
				a.Duplicate = synth.Typical.Duplicate
			case "round":
				a.Round = true
			case "split":
				a.Split = synth.Typical.Split
			default:
				fmt.Fprintf(os.Stderr, "labbench: unknown artefact %q\n", k)
				os.Exit(2)
			}
		}
		cfg.ArtefactSet = &a
	}
	if cfg.Format == "none" {
		cfg.Format = ""
	}
	switch *preset {
	case "short":
		cfg.Preset = synth.Short
	case "full":
		cfg.Preset = synth.Full
	default:
		fmt.Fprintln(os.Stderr, "labbench: -preset must be short or full")
		os.Exit(2)
	}
	res, err := labbench.Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *verbose {
		for _, p := range res.Pairs {
			f := p.Score.Features
			fmt.Printf("%-16s %-28s pos=%-5v beacon=%.3f human=%.3f base=%.3f verdict=%-10s period=%-10v true=%-8v p=%.2g score=%.2f onbeat=%.2f extra=%.2f gated=%v dayP=%.2g n=%d moved=%.3f\n",
				p.Truth.Scenario, p.Truth.Variant, p.Truth.Positive, p.Score.Beacon, p.Score.Human, p.Baseline, p.Score.Verdict,
				p.Score.Period.Round(1e9), p.Truth.Period, f.PeriodP, f.PeriodScore, f.OnBeat, f.Extra, p.Score.CacheGated, f.DayP, f.Folded, p.Moved)
		}
	}
	if err := res.WriteMarkdown(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
