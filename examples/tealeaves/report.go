package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/nexus"
	"github.com/dnsnexus/dnsnexus/nexus/pivot"
	"github.com/dnsnexus/dnsnexus/nexus/plot"
	"github.com/dnsnexus/dnsnexus/timing"
)

// writeOutputs writes the report, the pairs, the graph and the plots.
func (c *caseData) writeOutputs() error {
	if err := os.MkdirAll(c.cfg.out, 0o755); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"pairs.json", func(b *bytes.Buffer) error { return c.rep.WriteJSON(b) }},
		{"graph.dot", func(b *bytes.Buffer) error { return c.rep.Graph().WriteDOT(b) }},
		{"graph.json", func(b *bytes.Buffer) error { return c.rep.Graph().WriteJSON(b) }},
		{"activity.svg", c.plotRaster},
		{"profiles.svg", c.plotProfiles},
		{"periodogram.svg", c.plotPeriodogram},
		{"report.md", c.writeReport},
	}
	for _, f := range files {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(c.cfg.out, f.name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// series returns the main domain's lookups per resolver, for the resolvers
// with at least min lookups, largest first.
func (c *caseData) series(min int64) []plot.Series {
	var out []plot.Series
	for _, s := range c.mainScores() {
		if s.Events < min {
			continue
		}
		name := s.Client.String()
		if s.Enrichment.Org != "" {
			name += " (" + shortOrg(s.Enrichment.Org) + ")"
		}
		out = append(out, plot.Series{Name: name, Times: c.pairs[pairKey{s.Client.String(), s.Domain}].Times})
	}
	return out
}

func shortOrg(org string) string {
	if f := strings.Fields(org); len(f) > 3 {
		return strings.Join(f[:3], " ")
	}
	return org
}

// zone is the zone the plots are drawn in: the one asked for, else the
// best-fitting zone of the busiest resolver.
func (c *caseData) zone() *time.Location {
	if c.cfg.loc != nil {
		return c.cfg.loc
	}
	if ms := c.mainScores(); len(ms) > 0 {
		if loc, err := time.LoadLocation(ms[0].Zone); err == nil {
			return loc
		}
	}
	return time.UTC
}

func (c *caseData) plotRaster(b *bytes.Buffer) error {
	return plot.Raster(b, c.series(50), plot.RasterOptions{
		Title:    fmt.Sprintf("Lookups of %s by resolver, one row per day (%s)", c.host, c.zone()),
		Location: c.zone(),
	})
}

func (c *caseData) plotProfiles(b *bytes.Buffer) error {
	return plot.Profiles(b, c.series(50), c.zone(), plot.ProfileOptions{
		Title: fmt.Sprintf("When each resolver looks up %s (%s)", c.host, c.zone()),
	})
}

func (c *caseData) plotPeriodogram(b *bytes.Buffer) error {
	ms := c.mainScores()
	if len(ms) == 0 {
		return plot.Periodogram(b, nil, plot.PeriodogramOptions{})
	}
	s := ms[0]
	return plot.Periodogram(b, c.pairs[pairKey{s.Client.String(), s.Domain}].Times, plot.PeriodogramOptions{
		Title:     fmt.Sprintf("Periodogram of the lookups by %s", s.Client),
		Period:    s.Period,
		MaxPeriod: 8 * 24 * time.Hour,
	})
}

// writeReport writes report.md.
func (c *caseData) writeReport(b *bytes.Buffer) error {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	loc := c.zone()
	p("# DNS timing of %s\n\n", c.host)
	if c.synthetic {
		p("> **The data analysed here is a synthetic reconstruction**, generated from the facts published about the case, not the original logs. Figures describe the reconstruction; they show what the method finds on data with those properties.\n\n")
	}
	if len(c.readme) > 0 {
		p("Source: `%s` — %s\n\n", c.cfg.dir, strings.Join(c.readme, " "))
	}

	p("## The case\n\n")
	p("Lookups of `%s` were logged at %d authoritative name servers. A lookup logged at several servers within %s counts once: %d lookups remain of %d log lines (%d copies dropped).\n\n",
		c.host, len(c.logs), c.cfg.dedup, c.events, c.events+c.dupes, c.dupes)
	p("| server log | lookups kept from it |\n|---|---:|\n")
	for _, l := range c.logs {
		p("| %s | %d |\n", l.name, l.events)
	}
	ms := c.mainScores()
	if len(ms) > 0 {
		first, last := ms[0].First(), ms[0].Last()
		for _, s := range ms {
			if s.First().Before(first) {
				first = s.First()
			}
			if s.Last().After(last) {
				last = s.Last()
			}
		}
		p("\nThe lookups of `%s` run from %s to %s (UTC).\n\n", c.domain, first.Format(time.DateTime), last.Format(time.DateTime))
	}

	p("## Method\n\n")
	p("Each resolver's lookups of each registrable domain form a pair. For each pair, `timing.Analyze` folds near-simultaneous lookups, searches for a period in the gaps and tests it against a Poisson process (p-value, then Benjamini–Hochberg q-value across pairs), measures the rhythm of the working day in the resolver's best-fitting time zone, splits the lookups into sessions, and tests whether the gaps are floored at a cache TTL. `nexus` turns those figures into a beacon score, a human score and a verdict; it also measures each resolver's share of the lookups, lock-step between resolvers and search-suffix leaks, and attaches the WHOIS owner of each resolver.\n\n")

	p("## Ranked pairs\n\n")
	if err := nexus.WritePairsTable(b, c.rep.Scores, -1); err != nil {
		return err
	}

	p("\n## Who asked\n\n")
	c.writeShares(b)

	p("\n## Two resolvers acting as one\n\n")
	if len(c.rep.Syncs) == 0 {
		p("No two resolvers look the name up in lock-step (within 10 s, beyond chance).\n")
	} else {
		sy := c.rep.Syncs[0]
		p("%s and %s look up `%s` within 10 s of each other %d times out of %d; independent streams at their rates would coincide about %.1f times (p %s). Their daily counts correlate at r = %.2f. That is what two resolvers fed by one source do: one stub resolver or forwarder sending each query to both, or one client whose requests are load-balanced over both.\n\n",
			sy.A, sy.B, sy.Domain, sy.Matched, min(sy.NA, sy.NB), sy.Expected, pEq(sy.P), sy.DailyCorrelation)
		if err := nexus.WriteSyncTable(b, c.rep.Syncs, -1); err != nil {
			return err
		}
	}
	c.writeDailyTracking(b)

	p("\n## What a cache does to the timing\n\n")
	c.writeCache(b)

	p("\n## The working day\n\n")
	c.writeRhythm(b, loc)

	p("\n## Search-suffix leak\n\n")
	if len(c.rep.Leaks) == 0 {
		p("No queried name is another queried name with a suffix appended.\n")
	} else {
		for _, l := range c.rep.Leaks {
			p("`%s` is `%s` with `%s` appended, asked by %s at %s UTC. A stub resolver appends its search domains when a name does not resolve as given, so this lookup reveals that the asking host's DNS search list holds `%s` — an internal domain of the organisation behind that resolver — and that the name had stopped resolving for it.\n\n",
				l.Name, l.Base, l.Suffix, joinAddrs(l), l.First.Format(time.DateTime), l.Suffix)
			if last := c.lastLookup(l.Base); !last.IsZero() {
				p("The last lookup of `%s` follows %s later, at %s UTC.\n\n", l.Base, last.Sub(l.First).Round(time.Second), last.Format(time.DateTime))
			}
		}
	}

	c.writePivots(b)

	p("## Plots\n\n")
	p("![Activity raster](activity.svg)\n\n![Hour-of-day and weekday profiles](profiles.svg)\n\n![Periodogram](periodogram.svg)\n\n")

	p("## Evidence per pair\n\n")
	for i := range c.rep.Scores {
		if c.rep.Scores[i].Verdict == nexus.VerdictInsufficient {
			continue
		}
		if err := nexus.WritePairEvidence(b, i+1, &c.rep.Scores[i], loc); err != nil {
			return err
		}
	}

	p("\n## Caveats\n\n")
	for _, cv := range c.rep.Caveats {
		p("- %s\n", cv)
	}
	p("- The logs are from the authoritative side: they show when a resolver's cached answer had expired and someone behind it asked again, not every time someone asked.\n")
	p("- A rhythm of office hours says that the lookups follow a working day somewhere; marketing mail sent and read in office hours, or an office's mail gateway, would follow one too.\n")
	p("\nWhat would decide between the readings: the resolvers' own query logs (who behind them asked, how often, for which types — an MX or A lookup of a mail host is what a sending mail server makes); the mail server's SMTP logs for the same hours; the record's TTL and its history; and packet captures showing whether the two resolvers' queries came from one source.\n")
	return nil
}

func (c *caseData) lastLookup(name string) time.Time {
	var last time.Time
	for _, n := range c.rep.Scores {
		for _, nm := range n.Names {
			if nm == name && n.Last().After(last) {
				last = n.Last()
			}
		}
	}
	return last
}

// writePivots writes the mail host's name history (from the folder's
// recursive-side logs) and the domains held by the main domain's
// registrant.
func (c *caseData) writePivots(b *bytes.Buffer) {
	if c.history != nil {
		fmt.Fprintf(b, "## What %s resolved to\n\n", c.host)
		fmt.Fprintf(b, "From the answers in %s (lookups made on the resolving side, with their answers):\n\n", strings.Join(c.historyLogs, ", "))
		if err := pivot.WriteMarkdown(b, c.history, c.host); err != nil {
			fmt.Fprintf(b, "(history not written: %v)\n", err)
		}
		fmt.Fprintln(b)
	}
	rec, ok := c.owners.Domain(c.domain)
	if !ok {
		return
	}
	org := rec.Registrant.Org
	if org == "" {
		org = rec.Registrant.Name
	}
	if org == "" {
		return
	}
	fmt.Fprintf(b, "## Domains of the registrant\n\n")
	fmt.Fprintf(b, "`%s` is registered to %q. Domains in the WHOIS files whose registrant matches it (misspellings within a small edit distance count):\n\n", c.domain, org)
	if err := pivot.WriteRegistrants(b, pivot.DomainsByRegistrant(c.owners, org, pivot.MatchOptions{})); err != nil {
		fmt.Fprintf(b, "(not written: %v)\n", err)
	}
	fmt.Fprintln(b)
}

// writeShares writes each resolver's and each owner's share of the main
// domain's lookups.
func (c *caseData) writeShares(b *bytes.Buffer) {
	ms := c.mainScores()
	var total int64
	byOrg := map[string]int64{}
	for _, s := range ms {
		total += s.Events
		byOrg[orgName(s)] += s.Events
	}
	fmt.Fprintf(b, "| resolver | owner (WHOIS) | country | network | lookups of %s | share |\n|---|---|---|---|---:|---:|\n", c.domain)
	for _, s := range ms {
		network := ""
		if s.Enrichment.Network.IsValid() {
			network = s.Enrichment.Network.String()
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %d | %.1f %% |\n", s.Client, orgName(s), s.Enrichment.Country, network, s.Events, 100*s.Share.Fraction)
	}
	orgs := make([]string, 0, len(byOrg))
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	slices.SortFunc(orgs, func(a, b string) int { return int(byOrg[b] - byOrg[a]) })
	fmt.Fprintf(b, "\nBy owner: ")
	for i, o := range orgs {
		if i > 0 {
			fmt.Fprintf(b, "; ")
		}
		fmt.Fprintf(b, "%s %.1f %%", o, 100*float64(byOrg[o])/float64(max(1, total)))
	}
	if len(orgs) >= 2 {
		fmt.Fprintf(b, ". The two largest owners together make %.1f %% of the lookups.", 100*float64(byOrg[orgs[0]]+byOrg[orgs[1]])/float64(max(1, total)))
	}
	fmt.Fprintln(b)
}

func orgName(s *nexus.Score) string {
	if s.Enrichment.Org != "" {
		return s.Enrichment.Org
	}
	return "unknown (no WHOIS record)"
}

// writeDailyTracking compares the daily counts of the busiest resolver of
// each owner.
func (c *caseData) writeDailyTracking(b *bytes.Buffer) {
	ms := c.mainScores()
	if len(ms) < 2 {
		return
	}
	a := ms[0]
	for _, s := range ms[1:] {
		if orgName(s) == orgName(a) || s.Events < 50 {
			continue
		}
		ta := c.pairs[pairKey{a.Client.String(), a.Domain}].Times
		tb := c.pairs[pairKey{s.Client.String(), s.Domain}].Times
		r := nexus.DailyCorrelation(ta, tb)
		fmt.Fprintf(b, "\n%s (%s) is not in lock-step with %s, but its daily counts track those of %s: r = %.2f over the days either was active, at %.2f times the rate.\n",
			s.Client, orgName(s), a.Client, a.Client, r, float64(s.Events)/float64(a.Events))
		return
	}
}

func (c *caseData) writeCache(b *bytes.Buffer) {
	fmt.Fprintf(b, "A resolver keeps an answer for its TTL and asks the authoritative server again only for the first request after it expires. People asking all day long through one resolver therefore show up at the authoritative servers as lookups at least one TTL apart — usually a little more, the wait for the next request — which looks like a timer with a period of about the TTL. What tells the two apart is that a timer keeps beating at night and at weekends, while a cache in front of people beats only while they work.\n\n")
	fmt.Fprintf(b, "| resolver | gaps | shorter than 55 min | 60–70 min | period found | cache-gated | verdict |\n|---|---:|---:|---:|---:|---|---|\n")
	for _, s := range c.mainScores() {
		if s.Events < 50 {
			continue
		}
		times := c.pairs[pairKey{s.Client.String(), s.Domain}].Times
		in, _, n := gapShares(times, 60*time.Minute, 70*time.Minute)
		_, below55, _ := gapShares(times, 55*time.Minute, 70*time.Minute)
		fmt.Fprintf(b, "| %s | %d | %.0f %% | %.0f %% | %s | %v | %s |\n", s.Client, n, 100*below55, 100*in, s.Period.Round(time.Second), s.CacheGated, s.Verdict)
	}
	fmt.Fprintf(b, "\nGaps shorter than an hour are rare and gaps of 60–70 minutes common: the lookups are floored at an hourly TTL. The \"period\" of about an hour is the cache expiring, and the scorer does not call it a beacon.\n")
	c.writeClockHour(b)
}

// writeClockHour measures where in the clock hour the lookups fall. A cache
// alone drifts through the hour (each refill waits for the next request);
// lookups that keep to the start of the hour point to something scheduled
// by the clock in front of the cache.
func (c *caseData) writeClockHour(b *bytes.Buffer) {
	fmt.Fprintf(b, "\n| resolver | in the first quarter of the clock hour | mean minute | Rayleigh p at 1 h | at the gap period |\n|---|---:|---:|---:|---:|\n")
	locked, drifting, rows := 0, 0, 0
	for _, s := range c.mainScores() {
		if s.Events < 50 {
			continue
		}
		rows++
		times := c.pairs[pairKey{s.Client.String(), s.Domain}].Times
		hour := timing.CircleOf(times, time.Hour)
		first := 0
		for _, t := range times {
			if (t/int64(time.Second))%3600 < 900 {
				first++
			}
		}
		share := float64(first) / float64(len(times))
		if hour.P < 1e-3 && share > 0.4 {
			locked++
		}
		atPeriod := "–"
		if s.Period > 0 {
			pp := timing.CircleOf(times, s.Period).P
			atPeriod = fmtP(pp)
			if pp > 0.01 {
				drifting++
			}
		}
		fmt.Fprintf(b, "| %s | %.0f %% (uniform: 25 %%) | %.0f | %s | %s |\n", s.Client, 100*share, hour.Phase/60, fmtP(hour.P), atPeriod)
	}
	switch {
	case rows > 0 && locked == rows && drifting == rows:
		fmt.Fprintf(b, "\nEvery busy resolver's lookups keep to the start of the clock hour, while the rhythm of their gaps has no fixed phase. The cache explains the spacing; something tied to the clock — scheduled sending, or people acting on the hour — sets when the requests behind the cache start. The periodogram shows the clock peaks (1 h, 24 h) and no power at the period of the gaps.\n")
	case locked > 0:
		fmt.Fprintf(b, "\n%d of %d busy resolvers keep to the start of the clock hour (p < 0.001 and over 40 %% of lookups in its first quarter).\n", locked, rows)
	case rows > 0:
		fmt.Fprintf(b, "\nThe lookups do not keep to a fixed minute of the clock hour.\n")
	}
}

// fmtP formats a p-value for a table.
func fmtP(p float64) string {
	if p < 1e-300 {
		return "< 1e-300"
	}
	return fmt.Sprintf("%.2g", p)
}

func (c *caseData) writeRhythm(b *bytes.Buffer, loc *time.Location) {
	fmt.Fprintf(b, "| resolver | best-fitting zone | weekdays 09–18 there | night 00–06 | weekend | daily rhythm (Rayleigh p) |\n|---|---|---:|---:|---:|---:|\n")
	for _, s := range c.mainScores() {
		if s.Events < 50 {
			continue
		}
		zl, err := time.LoadLocation(s.Zone)
		if err != nil {
			zl = loc
		}
		r := timing.RhythmOf(c.pairs[pairKey{s.Client.String(), s.Domain}].Times, zl)
		fmt.Fprintf(b, "| %s | %s | %.0f %% | %.0f %% | %.0f %% | %.2g |\n", s.Client, s.Zone, 100*r.Business, 100*r.Night, 100*r.Weekend, r.Day.P)
	}
	fmt.Fprintf(b, "\nThe zone is fitted per resolver among a dozen zones around the world: the one whose working week holds most of its lookups. The profiles plot shows the hour of day and the weekday in %s.\n", loc)
}

// pEq formats "= p" or "< 1e-300".
func pEq(p float64) string {
	if p < 1e-300 {
		return "< 1e-300"
	}
	return fmt.Sprintf("= %.2g", p)
}
