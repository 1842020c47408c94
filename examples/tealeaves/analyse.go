package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
	"github.com/dnsnexus/dnsnexus/nexus/pivot"
	"github.com/dnsnexus/dnsnexus/timing"
	"github.com/dnsnexus/dnsnexus/whois"
)

type config struct {
	dir, out string
	dedup    time.Duration
	loc      *time.Location
}

// caseData is everything the report is written from.
type caseData struct {
	cfg       config
	readme    []string // the first lines of README.txt
	synthetic bool     // README.txt says the data is a reconstruction
	logs      []logFile
	whoisErrs []error
	owners    *whois.Table
	rep       *nexus.Report
	pairs     map[pairKey]*nexus.Pair
	events    int64
	dupes     int64
	host      string // the most looked-up name
	domain    string // its registrable domain
	// history holds the name/address bindings of the other logs in the
	// folder (recursive-side lookups with answers), nil when there are none.
	history     *pivot.History
	historyLogs []string
}

type logFile struct {
	name   string
	events int64
}

type pairKey struct{ client, domain string }

// analyse reads the server logs and WHOIS files of cfg.dir and scores the
// pairs.
func analyse(ctx context.Context, cfg config, stderr io.Writer) (*caseData, error) {
	c := &caseData{cfg: cfg, pairs: map[pairKey]*nexus.Pair{}}
	if err := c.readREADME(); err != nil {
		return nil, err
	}
	logs, err := filepath.Glob(filepath.Join(cfg.dir, "ns*_*.log"))
	if err != nil {
		return nil, err
	}
	if len(logs) == 0 {
		return nil, fmt.Errorf("no server logs (ns*_*.log) in %s", cfg.dir)
	}
	slices.Sort(logs)
	m, err := dnslog.OpenFiles(logs, dnslog.Options{Location: cfg.loc})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	m.Dedup = cfg.dedup
	col := &nexus.Collector{}
	perFile := map[string]int64{}
	names := map[string]int64{}
	for ev, err := range m.AllContext(ctx) {
		if err != nil {
			return nil, err
		}
		col.Add(&ev)
		perFile[ev.Pos.File]++
		names[ev.Name]++
		c.events++
	}
	c.dupes = m.Duplicates()
	for _, r := range m.Readers() {
		// Lines per server, before de-duplication.
		c.logs = append(c.logs, logFile{name: filepath.Base(r.File), events: perFile[r.File]})
	}
	for n, k := range names {
		if k > names[c.host] || k == names[c.host] && n < c.host {
			c.host = n
		}
	}
	c.domain = nexus.RegistrableDomain(c.host)

	whoisFiles, _ := filepath.Glob(filepath.Join(cfg.dir, "*.whois"))
	slices.Sort(whoisFiles)
	owners, err := whois.LoadFiles(ctx, whoisFiles...)
	if owners == nil {
		return nil, err
	}
	if err != nil {
		var j interface{ Unwrap() []error }
		if errors.As(err, &j) {
			c.whoisErrs = j.Unwrap()
		} else {
			c.whoisErrs = []error{err}
		}
		for _, e := range c.whoisErrs {
			fmt.Fprintln(stderr, "tealeaves: whois:", e)
		}
	}
	c.owners = owners
	if err := c.readHistory(ctx, logs); err != nil {
		return nil, err
	}
	for _, p := range col.Pairs() {
		p := p
		c.pairs[pairKey{p.Client.String(), p.Domain}] = &p
	}
	c.rep, err = nexus.Analyze(ctx, col, nexus.Options{Whois: owners, Location: cfg.loc})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// readHistory reads the folder's other logs (not the server logs) into a
// pivot.History: recursive-side lookups with answers give the name ↔
// address history of the mail host.
func (c *caseData) readHistory(ctx context.Context, serverLogs []string) error {
	all, err := filepath.Glob(filepath.Join(c.cfg.dir, "*.log"))
	if err != nil {
		return err
	}
	var other []string
	for _, f := range all {
		if !slices.Contains(serverLogs, f) {
			other = append(other, f)
		}
	}
	if len(other) == 0 {
		return nil
	}
	m, err := dnslog.OpenFiles(other, dnslog.Options{Location: c.cfg.loc})
	if err != nil {
		return err
	}
	defer m.Close()
	h := &pivot.History{}
	if err := h.AddAll(ctx, m.All()); err != nil {
		return err
	}
	c.history = h
	for _, f := range other {
		c.historyLogs = append(c.historyLogs, filepath.Base(f))
	}
	return nil
}

func (c *caseData) readREADME() error {
	f, err := os.Open(filepath.Join(c.cfg.dir, "README.txt"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() && len(c.readme) < 6 {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if len(c.readme) > 0 {
				break
			}
			continue
		}
		c.readme = append(c.readme, line)
		if strings.Contains(strings.ToUpper(line), "SYNTHETIC") {
			c.synthetic = true
		}
	}
	return sc.Err()
}

// mainScores returns the scored pairs of the main domain, most events first.
func (c *caseData) mainScores() []*nexus.Score {
	var out []*nexus.Score
	for i := range c.rep.Scores {
		if s := &c.rep.Scores[i]; s.Domain == c.domain {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b *nexus.Score) int { return cmp.Compare(b.Events, a.Events) })
	return out
}

// printTable prints the ranked pairs with their main evidence.
func (c *caseData) printTable(w io.Writer) error {
	var b strings.Builder
	if c.synthetic {
		fmt.Fprintf(&b, "Data: %s (a synthetic reconstruction, not the original logs)\n", c.cfg.dir)
	} else {
		fmt.Fprintf(&b, "Data: %s\n", c.cfg.dir)
	}
	fmt.Fprintf(&b, "%d lookups after merging %d server logs (%d copies of a lookup seen at another server dropped)\n\n", c.events, len(c.logs), c.dupes)
	fmt.Fprintf(&b, "%-4s %-16s %-22s %-28s %7s %6s %-12s %6s %6s %9s\n", "rank", "resolver", "domain", "owner", "lookups", "share", "verdict", "beacon", "human", "period")
	for i := range c.rep.Scores {
		s := &c.rep.Scores[i]
		period := "-"
		if s.Period > 0 {
			period = s.Period.Round(time.Second).String()
		}
		owner := s.Enrichment.Org
		if s.Enrichment.Country != "" {
			owner += " (" + s.Enrichment.Country + ")"
		}
		fmt.Fprintf(&b, "%-4d %-16s %-22s %-28s %7d %5.1f%% %-12s %6.3f %6.3f %9s\n", i+1, s.Client, clip(s.Domain, 22), clip(owner, 28),
			s.Events, 100*s.Share.Fraction, s.Verdict, s.Beacon, s.Human, period)
		if s.Verdict == nexus.VerdictInsufficient {
			continue
		}
		for j, e := range s.Evidence {
			if j == 3 {
				break
			}
			fmt.Fprintf(&b, "     %s\n", e)
		}
	}
	for _, sy := range c.rep.Syncs {
		fmt.Fprintf(&b, "\nlock-step: %s and %s on %s: %d of %d lookups within 10 s of each other (%.1f expected by chance)\n",
			sy.A, sy.B, sy.Domain, sy.Matched, min(sy.NA, sy.NB), sy.Expected)
	}
	for _, l := range c.rep.Leaks {
		fmt.Fprintf(&b, "search-suffix leak: %s reveals the internal domain %s (asked by %s)\n", l.Name, l.Suffix, joinAddrs(l))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func joinAddrs(l nexus.Leak) string {
	var s []string
	for _, a := range l.Clients {
		s = append(s, a.String())
	}
	return strings.Join(s, ", ")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// gapShares returns the share of a pair's gaps (after folding) that are
// at least lo and less than hi, and the share shorter than lo.
func gapShares(times []int64, lo, hi time.Duration) (in, below float64, n int) {
	folded := timing.Fold(nil, times, timing.DefaultFold)
	gaps := timing.Gaps(nil, folded)
	for _, g := range gaps {
		switch {
		case g < lo.Seconds():
			below++
		case g < hi.Seconds():
			in++
		}
	}
	if len(gaps) == 0 {
		return 0, 0, 0
	}
	return in / float64(len(gaps)), below / float64(len(gaps)), len(gaps)
}
