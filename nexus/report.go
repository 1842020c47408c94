package nexus

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PairJSON is the machine-readable form of one scored pair: the schema of
// Report.WriteJSON (one object per line) and of the columns of
// Report.WriteCSV. Tools that print pairs build it with Score.JSON so that
// they all write the same objects.
//
// Every float is finite and rounded to six significant digits (so that
// the output does not depend on the last bits of the arithmetic); lists
// are never null; unknown strings are empty; durations are in seconds.
type PairJSON struct {
	// Client is the address that asked; Domain the registrable domain or
	// query name it asked for (see Report.By).
	Client string `json:"client"`
	Domain string `json:"domain"`
	// Events counts every event of the pair; Kept the timestamps kept
	// (fewer when the collector's cap was reached); Folded the events left
	// after folding near-duplicates.
	Events int64 `json:"events"`
	Kept   int   `json:"kept"`
	Folded int   `json:"folded"`
	// Verdict is one of beacon, human, mixed, aperiodic, insufficient.
	Verdict string `json:"verdict"`
	// Beacon and Human are the scores in [0, 1].
	Beacon float64 `json:"beacon"`
	Human  float64 `json:"human"`
	// Period is the best-fitting period found, in seconds, 0 when none;
	// P is its p-value and Q its Benjamini–Hochberg q-value. A period is
	// reported even when it is not significant or is explained by a cache:
	// only beacon and mixed verdicts rest on it.
	Period float64 `json:"period"`
	P      float64 `json:"p"`
	Q      float64 `json:"q"`
	// First and Last are the earliest and latest kept events, RFC 3339 in
	// UTC ("" without events).
	First string `json:"first"`
	Last  string `json:"last"`
	// Names are the distinct query names seen (NamesTruncated when there
	// were more); Types the query types.
	Names          []string `json:"names"`
	NamesTruncated bool     `json:"names_truncated"`
	Types          []string `json:"types"`
	// Zone is the time zone the human rhythm was measured in.
	Zone string `json:"zone"`
	// CacheGated reports that a cache with TTL TTL (seconds, 0 when
	// unknown) explains the regularity.
	CacheGated bool    `json:"cache_gated"`
	TTL        float64 `json:"ttl"`
	// Share is the pair's fraction of its domain's lookups;
	// ClientsForDomain the number of clients that asked for the domain and
	// DomainEvents their lookups.
	Share            float64 `json:"share"`
	ClientsForDomain int     `json:"clients_for_domain"`
	DomainEvents     int64   `json:"domain_events"`
	// Timing features (see Features).
	OnBeat     float64 `json:"on_beat"`
	Missed     float64 `json:"missed"`
	Jitter     float64 `json:"jitter"`
	Extra      float64 `json:"extra"`
	GapCV      float64 `json:"gap_cv"`
	DayP       float64 `json:"day_p"`
	Business   float64 `json:"business"`
	Night      float64 `json:"night"`
	Burstiness float64 `json:"burstiness"`
	// Evidence and Caveats are the sentences behind the verdict and what
	// the data cannot rule out.
	Evidence []string `json:"evidence"`
	Caveats  []string `json:"caveats"`
	// WHOIS enrichment of the client address (Network is a CIDR prefix)
	// and of the domain; empty when unknown.
	Org        string `json:"org"`
	OrgID      string `json:"org_id"`
	NetName    string `json:"netname"`
	Country    string `json:"country"`
	Network    string `json:"network"`
	Registrant string `json:"registrant"`
	Registrar  string `json:"registrar"`
}

// JSON returns the machine-readable form of s (see PairJSON).
func (s *Score) JSON() PairJSON {
	j := PairJSON{
		Client:           addrString(s.Client),
		Domain:           s.Domain,
		Events:           s.Events,
		Kept:             len(s.Times),
		Folded:           s.Features.Folded,
		Verdict:          string(s.Verdict),
		Beacon:           num(s.Beacon),
		Human:            num(s.Human),
		Period:           num(s.Period.Seconds()),
		P:                num(s.P),
		Q:                num(s.Q),
		Names:            nonNil(slices.Clone(s.Names)),
		NamesTruncated:   s.NamesTruncated,
		Types:            make([]string, 0, len(s.Types)),
		Zone:             s.Zone,
		CacheGated:       s.CacheGated,
		TTL:              num(s.TTL.Seconds()),
		Share:            num(s.Share.Fraction),
		ClientsForDomain: s.Share.Clients,
		DomainEvents:     s.Share.DomainEvents,
		OnBeat:           num(s.Features.OnBeat),
		Missed:           num(s.Features.Missed),
		Jitter:           num(s.Features.Jitter),
		Extra:            num(s.Features.Extra),
		GapCV:            num(s.Features.GapCV),
		DayP:             num(s.Features.DayP),
		Business:         num(s.Features.Business),
		Night:            num(s.Features.Night),
		Burstiness:       num(s.Features.Burstiness),
		Evidence:         nonNil(slices.Clone(s.Evidence)),
		Caveats:          nonNil(slices.Clone(s.Caveats)),
		Org:              s.Enrichment.Org,
		OrgID:            s.Enrichment.OrgID,
		NetName:          s.Enrichment.NetName,
		Country:          s.Enrichment.Country,
		Registrant:       s.Enrichment.Registrant,
		Registrar:        s.Enrichment.Registrar,
	}
	if j.Verdict == "" {
		j.Verdict = string(VerdictInsufficient)
	}
	if len(s.Times) > 0 {
		j.First = s.First().Format(time.RFC3339Nano)
		j.Last = s.Last().Format(time.RFC3339Nano)
	}
	for _, t := range s.Types {
		if n := t.String(); n != "" { // the zero Type: not logged
			j.Types = append(j.Types, n)
		}
	}
	if s.Enrichment.Network.IsValid() {
		j.Network = s.Enrichment.Network.String()
	}
	return j
}

// num makes x fit for JSON: NaN and ±Inf become 0, and the rest is
// rounded to six significant digits.
func num(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	if err != nil || math.IsInf(r, 0) {
		return x
	}
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// WriteJSON writes one PairJSON object per pair and line (JSON Lines), in
// the order of r.Scores. The output depends only on r.
func (r *Report) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range r.Scores {
		if err := enc.Encode(r.Scores[i].JSON()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// CSVHeader returns the column names of Report.WriteCSV: the JSON names of
// the PairJSON fields, in order.
func CSVHeader() []string {
	t := reflect.TypeFor[PairJSON]()
	out := make([]string, t.NumField())
	for i := range out {
		out[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return out
}

// CSVRecord returns j as the fields of one CSV record, in the order of
// CSVHeader: numbers as in JSON, booleans as true or false, and lists
// joined with " | ".
func (j *PairJSON) CSVRecord() []string {
	v := reflect.ValueOf(j).Elem()
	out := make([]string, v.NumField())
	for i := range out {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			out[i] = f.String()
		case reflect.Int, reflect.Int64:
			out[i] = strconv.FormatInt(f.Int(), 10)
		case reflect.Float64:
			out[i] = strconv.FormatFloat(f.Float(), 'g', -1, 64)
		case reflect.Bool:
			out[i] = strconv.FormatBool(f.Bool())
		case reflect.Slice:
			out[i] = strings.Join(f.Interface().([]string), " | ")
		}
	}
	return out
}

// WriteCSV writes the pairs as CSV: a header row (CSVHeader) and one
// record per pair (PairJSON.CSVRecord), in the order of r.Scores.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
		return err
	}
	for i := range r.Scores {
		j := r.Scores[i].JSON()
		if err := cw.Write(j.CSVRecord()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MarkdownOptions configures WriteMarkdown. The zero value is the
// documented default.
type MarkdownOptions struct {
	// Title is the report's heading; "" means "DNS timing report".
	Title string
	// Intro are paragraphs written after the title, as given (they may
	// hold Markdown of the caller's own).
	Intro []string
	// Top is the number of pairs in the ranked table and with their
	// evidence; 0 means 20, a negative value all pairs.
	Top int
	// MaxRows limits the rows of the synchrony and leak tables; 0 means 50,
	// a negative value all.
	MaxRows int
	// Location is the zone times are shown in; nil means UTC.
	Location *time.Location
}

func (o *MarkdownOptions) top(n int) int {
	switch {
	case o.Top < 0:
		return n
	case o.Top == 0:
		return min(n, 20)
	}
	return min(n, o.Top)
}

func (o *MarkdownOptions) rows(n int) int {
	switch {
	case o.MaxRows < 0:
		return n
	case o.MaxRows == 0:
		return min(n, 50)
	}
	return min(n, o.MaxRows)
}

func (o *MarkdownOptions) loc() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// WriteMarkdown writes r as a Markdown report for a case file: the title
// and intro, a summary of the counts, the ranked table of the top pairs,
// the evidence of each of them, the clients in lock-step and their
// clusters, the search-suffix leaks, and the caveats (the report's and
// those of the pairs shown). Names, addresses and WHOIS text from the
// logs are escaped, so that they cannot change the document's structure.
func (r *Report) WriteMarkdown(w io.Writer, opts MarkdownOptions) error {
	ew := &errWriter{w: bufio.NewWriter(w)}
	title := opts.Title
	if title == "" {
		title = "DNS timing report"
	}
	fmt.Fprintf(ew, "# %s\n\n", mdText(title))
	for _, p := range opts.Intro {
		fmt.Fprintf(ew, "%s\n\n", strings.TrimSpace(p))
	}
	r.writeSummary(ew, &opts)

	top := opts.top(len(r.Scores))
	fmt.Fprintf(ew, "## Ranked pairs\n\n")
	if top < len(r.Scores) {
		fmt.Fprintf(ew, "The %d highest-ranked of %d pairs: beacons first (by beacon score), then mixed, human (by human score), aperiodic and insufficient.\n\n", top, len(r.Scores))
	} else {
		fmt.Fprintf(ew, "All %d pairs: beacons first (by beacon score), then mixed, human (by human score), aperiodic and insufficient.\n\n", len(r.Scores))
	}
	WritePairsTable(ew, r.Scores, top)

	if top > 0 {
		fmt.Fprintf(ew, "## Evidence\n\n")
		for i := range top {
			WritePairEvidence(ew, i+1, &r.Scores[i], opts.loc())
		}
	}

	fmt.Fprintf(ew, "## Synchrony\n\n")
	if len(r.Syncs) == 0 {
		fmt.Fprintf(ew, "No two clients looked up a domain in lock-step.\n\n")
	} else {
		n := opts.rows(len(r.Syncs))
		fmt.Fprintf(ew, "Pairs of clients whose lookups of one domain coincide (within the matching window) far more often than independent streams would; %d shown of %d, most significant first.\n\n", n, len(r.Syncs))
		WriteSyncTable(ew, r.Syncs, n)
		if len(r.Clusters) > 0 {
			fmt.Fprintf(ew, "### Clusters\n\nClients joined by lock-step on one domain:\n\n")
			for _, c := range r.Clusters[:opts.rows(len(r.Clusters))] {
				cl := make([]string, len(c.Clients))
				for i, a := range c.Clients {
					cl[i] = mdCode(addrString(a))
				}
				fmt.Fprintf(ew, "- %s: %s\n", mdCode(c.Domain), strings.Join(cl, ", "))
			}
			fmt.Fprintf(ew, "\n")
		}
	}

	fmt.Fprintf(ew, "## Search-suffix leaks\n\n")
	if len(r.Leaks) == 0 {
		fmt.Fprintf(ew, "No query name is another queried name with a search suffix appended.\n\n")
	} else {
		n := opts.rows(len(r.Leaks))
		fmt.Fprintf(ew, "Query names that are another queried name with a suffix appended, as a stub resolver does when a lookup fails and it tries its search list. The suffix names an internal domain of the asking organisation. %d shown of %d.\n\n", n, len(r.Leaks))
		WriteLeaksTable(ew, r.Leaks, n, opts.loc())
	}

	fmt.Fprintf(ew, "## Caveats\n\n")
	for _, c := range r.Caveats {
		fmt.Fprintf(ew, "- %s\n", mdText(c))
	}
	if len(r.Caveats) > 0 {
		fmt.Fprintf(ew, "\n")
	}
	shown := false
	for i := range top {
		s := &r.Scores[i]
		if len(s.Caveats) == 0 {
			continue
		}
		if !shown {
			fmt.Fprintf(ew, "Of the pairs shown:\n\n")
			shown = true
		}
		fmt.Fprintf(ew, "- Pair %d, %s → %s:\n", i+1, mdCode(addrString(s.Client)), mdCode(s.Domain))
		for _, c := range s.Caveats {
			fmt.Fprintf(ew, "  - %s\n", mdText(c))
		}
	}
	if shown {
		fmt.Fprintf(ew, "\n")
	}
	if !shown && len(r.Caveats) == 0 {
		fmt.Fprintf(ew, "None stated.\n\n")
	}
	if ew.err != nil {
		return ew.err
	}
	return ew.w.(*bufio.Writer).Flush()
}

func (r *Report) writeSummary(w io.Writer, opts *MarkdownOptions) {
	counts := map[Verdict]int{}
	clients := map[netip.Addr]bool{}
	domains := map[string]bool{}
	var first, last int64
	for i := range r.Scores {
		s := &r.Scores[i]
		counts[s.Verdict]++
		clients[s.Client] = true
		domains[s.Domain] = true
		if len(s.Times) > 0 {
			if f := s.Times[0]; first == 0 || f < first {
				first = f
			}
			if l := s.Times[len(s.Times)-1]; l > last {
				last = l
			}
		}
	}
	fmt.Fprintf(w, "## Summary\n\n")
	fmt.Fprintf(w, "- Events: %d collected", r.Events)
	if r.Dropped > 0 {
		fmt.Fprintf(w, ", %d ignored (no client or name, or past the pair limit)", r.Dropped)
	}
	fmt.Fprintf(w, "\n")
	if last > 0 {
		fmt.Fprintf(w, "- Span: %s to %s\n", fmtTime(first, opts.loc()), fmtTime(last, opts.loc()))
	}
	unit := "domain"
	if r.By == ByName {
		unit = "query name"
	}
	fmt.Fprintf(w, "- Pairs (client, %s): %d, of %d clients and %d %ss\n", unit, len(r.Scores), len(clients), len(domains), unit)
	var vs []string
	for _, v := range sortedVerdicts {
		vs = append(vs, fmt.Sprintf("%s %d", v, counts[v]))
	}
	fmt.Fprintf(w, "- Verdicts: %s\n", strings.Join(vs, ", "))
	fmt.Fprintf(w, "- Lock-step: %d client pairs in %d clusters\n", len(r.Syncs), len(r.Clusters))
	fmt.Fprintf(w, "- Search-suffix leaks: %d\n\n", len(r.Leaks))
}

// WritePairsTable writes the first n of scores (all when n < 0 or n
// exceeds them) as a Markdown table: rank, client, domain, events,
// verdict, beacon and human scores, period, q-value, share of the
// domain's lookups, and the client's organisation and country when any
// score is enriched. It writes nothing when there is nothing to show.
func WritePairsTable(w io.Writer, scores []Score, n int) error {
	if n < 0 || n > len(scores) {
		n = len(scores)
	}
	if n == 0 {
		return nil
	}
	ew := &errWriter{w: w}
	enriched := false
	for i := range n {
		if e := &scores[i].Enrichment; e.Org != "" || e.Country != "" {
			enriched = true
		}
	}
	fmt.Fprintf(ew, "| # | Client | Domain | Events | Verdict | Beacon | Human | Period | q | Share |")
	if enriched {
		fmt.Fprintf(ew, " Org | Country |")
	}
	fmt.Fprintf(ew, "\n|--:|---|---|--:|---|--:|--:|--:|--:|--:|")
	if enriched {
		fmt.Fprintf(ew, "---|---|")
	}
	fmt.Fprintf(ew, "\n")
	for i := range n {
		s := &scores[i]
		fmt.Fprintf(ew, "| %d | %s | %s | %d | %s | %.2f | %.2f | %s | %s | %s |",
			i+1, mdCell(addrString(s.Client)), mdCell(s.Domain), s.Events, verdictName(s.Verdict),
			num(s.Beacon), num(s.Human), tablePeriod(s), fmtP(s.Q), fmtShare(s.Share))
		if enriched {
			fmt.Fprintf(ew, " %s | %s |", mdText(s.Enrichment.Org), mdText(s.Enrichment.Country))
		}
		fmt.Fprintf(ew, "\n")
	}
	fmt.Fprintf(ew, "\n")
	for i := range n {
		if s := &scores[i]; s.Period > 0 && !periodic(s.Verdict) {
			fmt.Fprintf(ew, "A period in parentheses was found but is not part of the verdict (not significant, or explained by a cache or by the time of day).\n\n")
			break
		}
	}
	return ew.err
}

func periodic(v Verdict) bool { return v == VerdictBeacon || v == VerdictMixed }

// tablePeriod is the period for the ranked table: in parentheses when it
// is not part of the verdict.
func tablePeriod(s *Score) string {
	if s.Period > 0 && !periodic(s.Verdict) {
		return "(" + fmtPeriod(s.Period) + ")"
	}
	return fmtPeriod(s.Period)
}

func verdictName(v Verdict) string {
	if v == "" {
		return string(VerdictInsufficient)
	}
	return mdText(string(v))
}

// WritePairEvidence writes the evidence of one pair as a Markdown
// subsection headed by its rank: the figures (events, span, names, types,
// zone, TTL, share, enrichment) and the evidence sentences. Times are
// shown in loc (nil means UTC).
func WritePairEvidence(w io.Writer, rank int, s *Score, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "### %d. %s → %s: %s\n\n", rank, mdCode(addrString(s.Client)), mdCode(s.Domain), verdictName(s.Verdict))
	fmt.Fprintf(ew, "- Events: %d", s.Events)
	if s.Truncated {
		fmt.Fprintf(ew, " (%d kept)", len(s.Times))
	}
	if len(s.Times) > 0 {
		fmt.Fprintf(ew, ", %s to %s", fmtTime(s.Times[0], loc), fmtTime(s.Times[len(s.Times)-1], loc))
	}
	fmt.Fprintf(ew, "\n")
	fmt.Fprintf(ew, "- Scores: beacon %.2f, human %.2f", num(s.Beacon), num(s.Human))
	if s.Period > 0 {
		fmt.Fprintf(ew, "; period %s (p = %s, q = %s", fmtPeriod(s.Period), fmtP(s.P), fmtP(s.Q))
		if !periodic(s.Verdict) {
			fmt.Fprintf(ew, "; not part of the verdict")
		}
		fmt.Fprintf(ew, ")")
	}
	fmt.Fprintf(ew, "\n")
	if len(s.Names) > 0 {
		ns := make([]string, 0, min(len(s.Names), 10))
		for _, n := range s.Names[:min(len(s.Names), 10)] {
			ns = append(ns, mdCode(n))
		}
		more := ""
		if len(s.Names) > 10 || s.NamesTruncated {
			more = ", …"
		}
		fmt.Fprintf(ew, "- Names: %s%s\n", strings.Join(ns, ", "), more)
	}
	var ts []string
	for _, t := range s.Types {
		if n := t.String(); n != "" {
			ts = append(ts, mdText(n))
		}
	}
	if len(ts) > 0 {
		fmt.Fprintf(ew, "- Types: %s\n", strings.Join(ts, ", "))
	}
	if s.Zone != "" {
		fmt.Fprintf(ew, "- Zone of the rhythm: %s\n", mdText(s.Zone))
	}
	if s.TTL > 0 {
		gated := ""
		if s.CacheGated {
			gated = " (the timing is explained by the cache)"
		}
		fmt.Fprintf(ew, "- Cache TTL: %s%s\n", fmtDur(s.TTL), gated)
	}
	if s.Share.Clients > 0 {
		fmt.Fprintf(ew, "- Share: %s of the domain's %d lookups, by %d client(s)\n", fmtShare(s.Share), s.Share.DomainEvents, s.Share.Clients)
	}
	e := &s.Enrichment
	if e.Org != "" || e.NetName != "" || e.Network.IsValid() {
		var parts []string
		if e.Org != "" {
			o := mdText(e.Org)
			if e.OrgID != "" {
				o += " (" + mdText(e.OrgID) + ")"
			}
			parts = append(parts, o)
		}
		if e.NetName != "" {
			parts = append(parts, "net "+mdText(e.NetName))
		}
		if e.Network.IsValid() {
			parts = append(parts, mdCode(e.Network.String()))
		}
		if e.Country != "" {
			parts = append(parts, mdText(e.Country))
		}
		fmt.Fprintf(ew, "- Client network: %s\n", strings.Join(parts, ", "))
	}
	if e.Registrant != "" || e.Registrar != "" {
		var parts []string
		if e.Registrant != "" {
			parts = append(parts, "registrant "+mdText(e.Registrant))
		}
		if e.Registrar != "" {
			parts = append(parts, "registrar "+mdText(e.Registrar))
		}
		fmt.Fprintf(ew, "- Domain holder: %s\n", strings.Join(parts, ", "))
	}
	if len(s.Evidence) > 0 {
		fmt.Fprintf(ew, "\nEvidence:\n\n")
		for _, ev := range s.Evidence {
			fmt.Fprintf(ew, "- %s\n", mdText(ev))
		}
	}
	fmt.Fprintf(ew, "\n")
	return ew.err
}

// WriteSyncTable writes the first n of syncs (all when n < 0 or n exceeds
// them) as a Markdown table: domain, the two clients, their events,
// matched events against the number expected of independent streams, the
// p-value, the median lag of B behind A, and the correlation of their
// daily counts. It writes nothing when there is nothing to show.
func WriteSyncTable(w io.Writer, syncs []Sync, n int) error {
	if n < 0 || n > len(syncs) {
		n = len(syncs)
	}
	if n == 0 {
		return nil
	}
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "| Domain | Client A | Client B | Events A | Events B | Matched | Expected | p | Median lag | Daily r |\n")
	fmt.Fprintf(ew, "|---|---|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, s := range syncs[:n] {
		fmt.Fprintf(ew, "| %s | %s | %s | %d | %d | %d (%.0f %%) | %.1f | %s | %s | %.2f |\n",
			mdCell(s.Domain), mdCell(addrString(s.A)), mdCell(addrString(s.B)), s.NA, s.NB,
			s.Matched, 100*num(s.Fraction), num(s.Expected), fmtP(s.P), fmtLag(s.MedianLag), num(s.DailyCorrelation))
	}
	fmt.Fprintf(ew, "\n")
	return ew.err
}

// WriteLeaksTable writes the first n of leaks (all when n < 0 or n
// exceeds them) as a Markdown table: the run-on name, the name it
// extends, the suffix (the internal domain it reveals), the lookups, the
// clients and the first and last time, shown in loc (nil means UTC). It
// writes nothing when there is nothing to show.
func WriteLeaksTable(w io.Writer, leaks []Leak, n int, loc *time.Location) error {
	if n < 0 || n > len(leaks) {
		n = len(leaks)
	}
	if n == 0 {
		return nil
	}
	if loc == nil {
		loc = time.UTC
	}
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "| Name | Queried name | Suffix (internal domain) | Lookups | Clients | First | Last |\n")
	fmt.Fprintf(ew, "|---|---|---|--:|---|---|---|\n")
	for _, l := range leaks[:n] {
		cl := make([]string, 0, len(l.Clients))
		for _, a := range l.Clients {
			cl = append(cl, mdCell(addrString(a)))
		}
		fmt.Fprintf(ew, "| %s | %s | %s | %d | %s | %s | %s |\n",
			mdCell(l.Name), mdCell(l.Base), mdCell(l.Suffix), l.Count, strings.Join(cl, ", "),
			fmtTimeT(l.First, loc), fmtTimeT(l.Last, loc))
	}
	fmt.Fprintf(ew, "\n")
	return ew.err
}

// errWriter keeps the first write error and drops later writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// mdText escapes text for Markdown prose and table cells: line breaks
// become spaces, invalid UTF-8 becomes U+FFFD, and every ASCII character
// that Markdown or inline HTML could read as syntax is escaped with a
// backslash.
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(mdSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdSpecial are the characters mdText escapes.
const mdSpecial = "\\`*_[]<>#|&~"

// mdCode returns s as a Markdown code span (for names and addresses: no
// emphasis, links or HTML inside), with a fence longer than any run of
// backticks in s.
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	run, longest := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if (longest > 0 || s[0] == ' ' || s[len(s)-1] == ' ') && strings.Trim(s, " ") != "" {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdCell is mdCode for a table cell, where a pipe must be escaped even in
// a code span.
func mdCell(s string) string {
	return strings.ReplaceAll(mdCode(s), "|", "\\|")
}

func oneLine(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
}

// fmtPeriod formats a period for a reader: "—" for none, "1.5 s",
// "4 min 30 s", "1 h 05 min", "1 d 02 h".
func fmtPeriod(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return fmtDur(d)
}

func fmtDur(d time.Duration) string {
	s := d.Seconds()
	switch {
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", 1000*s)
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", s)
	case d < time.Minute:
		return fmt.Sprintf("%.0f s", s)
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%d min %02d s", d/time.Minute, d%time.Minute/time.Second)
	case d < 24*time.Hour:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%d h %02d min", d/time.Hour, d%time.Hour/time.Minute)
	}
	d = d.Round(time.Hour)
	return fmt.Sprintf("%d d %02d h", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
}

func fmtLag(d time.Duration) string {
	if d < 0 {
		return "−" + fmtDur(-d)
	}
	if d == 0 {
		return "0 s"
	}
	return fmtDur(d)
}

// fmtP formats a p- or q-value with two significant digits.
func fmtP(p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	p = num(p)
	switch {
	case p >= 0.01:
		return fmt.Sprintf("%.2f", p)
	case p < 1e-300:
		return "< 1e-300"
	}
	return strings.Replace(fmt.Sprintf("%.1e", p), "e-0", "e-", 1)
}

func fmtShare(s Share) string {
	if s.Clients == 0 && s.DomainEvents == 0 {
		return "—"
	}
	pct := 100 * num(s.Fraction)
	switch {
	case pct == 0:
		return "0 %"
	case pct < 0.1:
		return "< 0.1 %"
	case pct < 9.95:
		return fmt.Sprintf("%.1f %%", pct)
	}
	return fmt.Sprintf("%.0f %%", pct)
}

func fmtTime(ns int64, loc *time.Location) string {
	return time.Unix(0, ns).In(loc).Format("2006-01-02 15:04:05 MST")
}

func fmtTimeT(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

// sortedVerdicts is the order in which verdicts are listed.
var sortedVerdicts = []Verdict{VerdictBeacon, VerdictMixed, VerdictHuman, VerdictAperiodic, VerdictInsufficient}
