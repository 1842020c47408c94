package nexus

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureReport is a hand-made report with every section filled, hostile
// names included, so that the writers are tested independently of the
// scoring.
func fixtureReport() *Report {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).UnixNano()
	hour := int64(time.Hour)
	bank1 := netip.MustParseAddr("192.0.2.15")
	bank2 := netip.MustParseAddr("192.0.2.16")
	clinic := netip.MustParseAddr("198.51.100.8")
	odd := netip.MustParseAddr("2001:db8::7")
	return &Report{
		Events:  1234,
		Dropped: 3,
		By:      ByDomain,
		Caveats: []string{"Resolvers cache answers.", "A period proves a timer, not its purpose."},
		Scores: []Score{
			{
				Pair: Pair{
					Client: bank1, Domain: "mail-vendor.example", Events: 500,
					Times: []int64{t0, t0 + hour, t0 + 2*hour, t0 + 72*hour},
					Names: []string{"mail1.mail-vendor.example"}, Types: []dnslog.Type{dnslog.TypeA, dnslog.TypeAAAA},
				},
				Beacon: 0.91234567, Human: 0.05, Period: time.Hour, P: 1.234567e-12, Q: 3.5e-11,
				Verdict: VerdictBeacon, Zone: "Europe/Moscow", TTL: 300 * time.Second,
				Evidence: []string{"period 1h0m0s: 420 of 499 gaps on the beat (p = 1.2e-12)", "jitter 2 %"},
				Caveats:  []string{"no TTL known for this pair: a cache with a TTL near the period would produce the same regularity"},
				Share:    Share{Fraction: 0.4, Clients: 3, DomainEvents: 1250},
				Features: Features{Events: 500, Folded: 498, OnBeat: 0.84, Jitter: 0.02, DayP: 0.3, Business: 0.3, Night: 0.25, GapCV: 0.1, Burstiness: -0.8},
				Enrichment: Enrichment{
					Org: "Example Bank", OrgID: "ORG-EB1", NetName: "EXAMPLE-BANK-NET", Country: "RU", Source: "RIPE",
					Network: netip.MustParsePrefix("192.0.2.0/24"), Registrant: "Mail Vendor Inc.", Registrar: "Registrar & Co",
				},
			},
			{
				Pair: Pair{
					Client: bank2, Domain: "mail-vendor.example", Events: 480,
					Times: []int64{t0 + 5e9, t0 + hour + 3e9}, Names: []string{"mail1.mail-vendor.example"},
					Types: []dnslog.Type{dnslog.TypeA},
				},
				Beacon: 0.05, Human: 0.77, Period: 23*time.Hour + 50*time.Minute, P: 0.5, Q: 0.9, Verdict: VerdictHuman, Zone: "Europe/Moscow",
				Evidence: []string{"time of day: Rayleigh p = 1e-20, mean 11:20"},
				Share:    Share{Fraction: 0.384, Clients: 3, DomainEvents: 1250},
				Features: Features{Events: 480, Folded: 470, Business: 0.81},
			},
			{
				Pair: Pair{
					Client: clinic, Domain: "we|ird`na*me_[x](y)<b>.example", Events: 270,
					Times: []int64{t0 + 30*hour, t0 + 100*hour}, Names: []string{"a\"b\\c.we|ird`na*me_[x](y)<b>.example", "line\nbreak.example"},
					NamesTruncated: true,
				},
				Beacon: 0.6, Human: 0.4, Period: 90 * time.Second, P: 1e-6, Q: 2e-6, Verdict: VerdictMixed, Zone: "America/New_York",
				Evidence: []string{"extra events follow office hours | 60 %", "<script>alert(1)</script>"},
				Features: Features{Events: 270, Folded: 270, Extra: 0.6},
			},
			{
				Pair:    Pair{Client: odd, Domain: "rare.example", Events: 2, Times: nil},
				Beacon:  math.NaN(),
				Human:   math.Inf(1),
				P:       1,
				Q:       1,
				Verdict: VerdictInsufficient,
				Evidence: []string{
					"insufficient data: 2 events after folding",
				},
			},
		},
		Syncs: []Sync{{
			A: bank1, B: bank2, Domain: "mail-vendor.example", NA: 500, NB: 480, Matched: 466,
			Fraction: 466.0 / 480, Expected: 3.21, P: 1e-300, MedianLag: 2500 * time.Millisecond, DailyCorrelation: 0.97,
		}},
		Clusters: []Cluster{{Domain: "mail-vendor.example", Clients: []netip.Addr{bank1, bank2}}},
		Leaks: []Leak{{
			Name: "mail1.mail-vendor.example.corp.bank.example", Base: "mail1.mail-vendor.example", Suffix: "corp.bank.example",
			Count: 2, First: time.Unix(0, t0+200*hour).UTC(), Last: time.Unix(0, t0+201*hour).UTC(), Clients: []netip.Addr{bank2},
		}},
	}
}

// golden compares got with testdata/golden/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestReportGolden(t *testing.T) {
	r := fixtureReport()
	for _, c := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"report.jsonl", r.WriteJSON},
		{"report.csv", r.WriteCSV},
		{"report.md", func(w io.Writer) error {
			return r.WriteMarkdown(w, MarkdownOptions{Title: "Case 42: lookups of mail-vendor.example", Intro: []string{"Made-up data for the writer's test."}})
		}},
	} {
		var buf bytes.Buffer
		if err := c.write(&buf); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		golden(t, c.name, buf.Bytes())
	}
}

// TestPairJSON checks the values of the first pair's object against the
// fixture, field by field.
func TestPairJSON(t *testing.T) {
	r := fixtureReport()
	got := r.Scores[0].JSON()
	want := PairJSON{
		Client: "192.0.2.15", Domain: "mail-vendor.example", Events: 500, Kept: 4, Folded: 498,
		Verdict: "beacon", Beacon: 0.912346, Human: 0.05, Period: 3600, P: 1.23457e-12, Q: 3.5e-11,
		First: "2026-03-02T08:00:00Z", Last: "2026-03-05T08:00:00Z",
		Names: []string{"mail1.mail-vendor.example"}, Types: []string{"A", "AAAA"},
		Zone: "Europe/Moscow", TTL: 300, Share: 0.4, ClientsForDomain: 3, DomainEvents: 1250,
		OnBeat: 0.84, Jitter: 0.02, DayP: 0.3, Business: 0.3, Night: 0.25, GapCV: 0.1, Burstiness: -0.8,
		Evidence: []string{"period 1h0m0s: 420 of 499 gaps on the beat (p = 1.2e-12)", "jitter 2 %"},
		Caveats:  []string{"no TTL known for this pair: a cache with a TTL near the period would produce the same regularity"},
		Org:      "Example Bank", OrgID: "ORG-EB1", NetName: "EXAMPLE-BANK-NET", Country: "RU", Network: "192.0.2.0/24",
		Registrant: "Mail Vendor Inc.", Registrar: "Registrar & Co",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON() (-want +got):\n%s", diff)
	}
	// The insufficient pair: no times, non-finite scores, nil lists.
	got = r.Scores[3].JSON()
	if got.Beacon != 0 || got.Human != 0 || got.First != "" || got.Last != "" {
		t.Errorf("insufficient pair: beacon %v human %v first %q last %q", got.Beacon, got.Human, got.First, got.Last)
	}
	if got.Names == nil || got.Types == nil || got.Caveats == nil || got.Evidence == nil {
		t.Errorf("nil list in %+v", got)
	}
}

// jsonKeys returns the keys of a JSON object in their order.
func jsonKeys(t *testing.T, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	var keys []string
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %q", line)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestJSONLinesSchema checks each line of WriteJSON against the schema the
// other tools rely on.
func TestJSONLinesSchema(t *testing.T) {
	r := fixtureReport()
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != len(r.Scores) {
		t.Fatalf("%d lines for %d pairs", len(lines), len(r.Scores))
	}
	required := []string{"client", "domain", "events", "beacon", "human", "period", "verdict", "p", "q", "first", "last",
		"names", "types", "zone", "cache_gated", "ttl", "share", "clients_for_domain", "evidence", "caveats",
		"org", "org_id", "netname", "country", "network", "registrant", "registrar"}
	verdicts := map[string]bool{"beacon": true, "human": true, "mixed": true, "aperiodic": true, "insufficient": true}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, k := range required {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d: no %q", i+1, k)
			}
		}
		if v, _ := m["verdict"].(string); !verdicts[v] {
			t.Errorf("line %d: verdict %q", i+1, v)
		}
		for _, k := range []string{"names", "types", "evidence", "caveats"} {
			if _, ok := m[k].([]any); !ok {
				t.Errorf("line %d: %s is %T, want an array", i+1, k, m[k])
			}
		}
		for _, k := range []string{"first", "last"} {
			if s := m[k].(string); s != "" {
				if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
					t.Errorf("line %d: %s: %v", i+1, k, err)
				}
			}
		}
	}
	if diff := cmp.Diff(CSVHeader(), jsonKeys(t, lines[0])); diff != "" {
		t.Errorf("CSV header vs JSON keys (-csv +json):\n%s", diff)
	}
}

// TestCSVMatchesJSON reads the CSV back and checks each cell against the
// JSON object of the same pair.
func TestCSVMatchesJSON(t *testing.T) {
	r := fixtureReport()
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(r.Scores) {
		t.Fatalf("%d records for %d pairs", len(recs), len(r.Scores))
	}
	header := recs[0]
	for i, rec := range recs[1:] {
		b, err := json.Marshal(r.Scores[i].JSON())
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for c, name := range header {
			var want string
			switch v := m[name].(type) {
			case string:
				want = v
			case float64:
				want = fmt.Sprint(v)
			case bool:
				want = fmt.Sprint(v)
			case []any:
				parts := make([]string, len(v))
				for k := range v {
					parts[k] = v[k].(string)
				}
				want = strings.Join(parts, " | ")
			default:
				t.Fatalf("column %s: %T", name, v)
			}
			if rec[c] != want {
				t.Errorf("pair %d column %s: %q, JSON says %q", i+1, name, rec[c], want)
			}
		}
	}
	if got := recs[1][slicesIndex(header, "evidence")]; got != "period 1h0m0s: 420 of 499 gaps on the beat (p = 1.2e-12) | jitter 2 %" {
		t.Errorf("evidence cell %q", got)
	}
}

func slicesIndex(s []string, v string) int {
	for i := range s {
		if s[i] == v {
			return i
		}
	}
	return -1
}

var codeSpan = regexp.MustCompile("`` .*? ``|`[^`\n]*`")

var unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)

// TestMarkdownTablesIntact checks that hostile names cannot add cells,
// rows, HTML or links: each table row has as many cells as its header.
func TestMarkdownTablesIntact(t *testing.T) {
	r := fixtureReport()
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	cells := -1
	tables := 0
	for i, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cells = -1
			continue
		}
		n := len(unescapedPipe.FindAllString(line, -1))
		if cells < 0 {
			cells = n
			tables++
		} else if n != cells {
			t.Errorf("line %d has %d cell borders, header %d: %s", i+1, n, cells, line)
		}
	}
	if tables != 3 {
		t.Errorf("%d tables, want 3 (pairs, synchrony, leaks)", tables)
	}
	prose := codeSpan.ReplaceAllString(out, "")
	for _, bad := range []string{"<script>", "<b>", "](y)", "line\nbreak"} {
		if strings.Contains(prose, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"# DNS timing report", "## Summary", "- Verdicts: beacon 1, mixed 1, human 1, aperiodic 0, insufficient 1",
		"## Ranked pairs", "## Evidence", "## Synchrony", "### Clusters", "## Search-suffix leaks", "`corp.bank.example`", "## Caveats",
		"| 1 | `192.0.2.15` | `mail-vendor.example` | 500 | beacon | 0.91 | 0.05 | 1 h 00 min | 3.5e-11 | 40 % | Example Bank | RU |",
		"466 (97 %) | 3.2 | 1.0e-300 | 2.5 s | 0.97 |",
		"| 2 | `192.0.2.16` | `mail-vendor.example` | 480 | human | 0.05 | 0.77 | (23 h 50 min) | 0.90 | 38 % |  |  |",
		"A period in parentheses was found but is not part of the verdict"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestMarkdownTop(t *testing.T) {
	r := fixtureReport()
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf, MarkdownOptions{Top: 1, MaxRows: -1, Location: time.FixedZone("MSK", 3*3600)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "The 1 highest-ranked of 4 pairs") {
		t.Error("no count of the pairs shown")
	}
	if strings.Count(out, "\n### ") != 2 { // one pair's evidence, and the clusters
		t.Errorf("%d subsections, want 2:\n%s", strings.Count(out, "\n### "), out)
	}
	if strings.Contains(out, "192.0.2.16` | `mail-vendor.example` | 480") {
		t.Error("second pair in the table with Top 1")
	}
	if !strings.Contains(out, "2026-03-02 11:00:00 MSK") {
		t.Error("times not shown in the given zone")
	}
}

func TestMarkdownEmptyReport(t *testing.T) {
	var buf bytes.Buffer
	if err := (&Report{}).WriteMarkdown(&buf, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"All 0 pairs", "No two clients", "No query name", "None stated."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("empty report lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	if err := (&Report{}).WriteJSON(&buf); err != nil || buf.Len() != 0 {
		t.Errorf("WriteJSON of no pairs: %q, %v", buf.String(), err)
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, io.ErrClosedPipe
	}
	return len(p), nil
}

func TestWritersReportErrors(t *testing.T) {
	r := fixtureReport()
	for name, write := range map[string]func(io.Writer) error{
		"json":     r.WriteJSON,
		"csv":      r.WriteCSV,
		"markdown": func(w io.Writer) error { return r.WriteMarkdown(w, MarkdownOptions{}) },
		"dot":      r.Graph().WriteDOT,
		"graph":    r.Graph().WriteJSON,
	} {
		if err := write(&failWriter{after: 10}); err == nil {
			t.Errorf("%s: no error from a failing writer", name)
		}
	}
}

func TestFormatters(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{fmtPeriod(0), "—"},
		{fmtPeriod(250 * time.Millisecond), "250 ms"},
		{fmtPeriod(1500 * time.Millisecond), "1.5 s"},
		{fmtPeriod(90 * time.Second), "1 min 30 s"},
		{fmtPeriod(3600 * time.Second), "1 h 00 min"},
		{fmtPeriod(65*time.Minute + 40*time.Second), "1 h 06 min"},
		{fmtPeriod(50 * time.Hour), "2 d 02 h"},
		{fmtLag(-3 * time.Second), "−3.0 s"},
		{fmtP(0.5), "0.50"},
		{fmtP(0.001234), "1.2e-3"},
		{fmtP(0), "< 1e-300"},
		{fmtP(math.NaN()), "—"},
		{mdText("a_b*c|d<e>[f]"), `a\_b\*c\|d\<e\>\[f\]`},
		{mdCode("x`y"), "`` x`y ``"},
		{mdCell("a|b"), "`a\\|b`"},
		{mdCode("a\nb"), "`a b`"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestAnalyzeToJSON runs the writers on a report scored from made-up
// traffic: a 5-minute beacon and a Poisson stream.
func TestAnalyzeToJSON(t *testing.T) {
	var c Collector
	beacon := netip.MustParseAddr("192.0.2.1")
	noise := netip.MustParseAddr("192.0.2.2")
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	x := uint64(1)
	rnd := func() float64 { // a fixed LCG: uniform on (0, 1)
		x = x*6364136223846793005 + 1442695040888963407
		return (float64(x>>11) + 0.5) / (1 << 53)
	}
	for i := range 600 {
		jitter := time.Duration(rnd() * 10 * float64(time.Second))
		ev := dnslog.Event{Time: start.Add(time.Duration(i)*5*time.Minute + jitter),
			Client: beacon, Name: "c2.example.net", Type: dnslog.TypeA}
		c.Add(&ev)
	}
	tm := start
	for range 300 {
		tm = tm.Add(time.Duration(-math.Log(rnd()) * float64(10*time.Minute)))
		ev := dnslog.Event{Time: tm, Client: noise, Name: "www.example.org", Type: dnslog.TypeA}
		c.Add(&ev)
	}
	r, err := Analyze(t.Context(), &c, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got []PairJSON
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var p PairJSON
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	if len(got) != 2 {
		t.Fatalf("%d pairs, want 2", len(got))
	}
	if got[0].Client != "192.0.2.1" || got[0].Verdict != "beacon" || math.Abs(got[0].Period-300) > 3 {
		t.Errorf("first pair %s %s period %v, want the 300 s beacon", got[0].Client, got[0].Verdict, got[0].Period)
	}
	if got[1].Verdict == "beacon" {
		t.Errorf("Poisson stream judged a beacon")
	}
	if err := r.WriteMarkdown(io.Discard, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestTeaLeavesReport runs the writers on the synthetic Tea Leaves
// replica (made by internal/replica; see testdata/tealeaves/README.txt)
// and checks that the report surfaces what the replica was built to
// show: the bank's two resolvers in lock-step and the internal search
// suffix leaked by the run-on name.
func TestTeaLeavesReport(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 5,000 log lines")
	}
	var c Collector
	for _, f := range []string{"ns1_cdcservices_com.log", "ns2_cdcservices_com.log", "ns3_cdcservices_com.log"} {
		evs, err := dnslog.ReadFile(t.Context(), filepath.Join("..", "testdata", "tealeaves", f), dnslog.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range evs {
			c.Add(&evs[i])
		}
	}
	r, err := Analyze(t.Context(), &c, Options{TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md, MarkdownOptions{Title: "Tea Leaves replica"}); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	if p := os.Getenv("DNSNEXUS_REPORT_OUT"); p != "" { // for a look at the whole report
		if err := os.WriteFile(p, md.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{
		"| `trump-email.com` | `217.12.96.15` | `217.12.97.15` |",
		"| `mail1.trump-email.com.moscow.alfaintra.net` | `mail1.trump-email.com` | `moscow.alfaintra.net` |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	g := r.Graph()
	var lockstep, suffix bool
	for _, e := range g.Edges {
		lockstep = lockstep || e.Kind == EdgeLockstep && e.From == "client:217.12.96.15" && e.To == "client:217.12.97.15"
		suffix = suffix || e.Kind == EdgeUsesSuffix && e.From == "client:217.12.97.15" && e.To == "suffix:moscow.alfaintra.net"
	}
	if !lockstep || !suffix {
		t.Errorf("graph: lock-step edge %v, suffix edge %v", lockstep, suffix)
	}
	var dot bytes.Buffer
	if err := g.WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	checkDOT(t, dot.String())
}

// FuzzMarkdownEscape checks that escaped text cannot change a Markdown
// document's structure: mdText escapes every special character and
// unescapes to the one-line text; mdCode is a code span that no run of
// backticks inside can close; mdCell has no unescaped pipe.
func FuzzMarkdownEscape(f *testing.F) {
	for _, s := range []string{"", "plain.example", "a|b", "x`y``z", "` lead", "trail `", "*_[]<>#&~\\", "line\nbreak\r\n", "\xff\x00bad", "\u2028sep"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := oneLine(s)
		// mdText: a backslash always escapes a special character, and no
		// special character stands alone.
		txt := mdText(s)
		var un strings.Builder
		for i := 0; i < len(txt); i++ {
			c := txt[i]
			if c == '\\' {
				if i+1 >= len(txt) || !strings.ContainsRune(mdSpecial, rune(txt[i+1])) {
					t.Fatalf("mdText(%q) = %q: stray backslash at %d", s, txt, i)
				}
				un.WriteByte(txt[i+1])
				i++
				continue
			}
			if strings.ContainsRune(mdSpecial, rune(c)) || c == '\n' || c == '\r' {
				t.Fatalf("mdText(%q) = %q: unescaped %q at %d", s, txt, c, i)
			}
			un.WriteByte(c)
		}
		if un.String() != want {
			t.Fatalf("mdText(%q) unescapes to %q, want %q", s, un.String(), want)
		}
		// mdCode: fences of n backticks, no run of exactly n inside.
		code := mdCode(s)
		if want == "" {
			if code != "" {
				t.Fatalf("mdCode(%q) = %q, want empty", s, code)
			}
			return
		}
		n := len(code) - len(strings.TrimLeft(code, "`"))
		if n == 0 || len(code) < 2*n || strings.Repeat("`", n) != code[len(code)-n:] {
			t.Fatalf("mdCode(%q) = %q: bad fences", s, code)
		}
		inner := code[n : len(code)-n]
		for _, run := range regexp.MustCompile("`+").FindAllString(inner, -1) {
			if len(run) == n {
				t.Fatalf("mdCode(%q) = %q: a run of %d backticks inside closes the span", s, code, n)
			}
		}
		if len(inner) >= 2 && inner[0] == ' ' && inner[len(inner)-1] == ' ' && strings.Trim(inner, " ") != "" {
			inner = inner[1 : len(inner)-1]
		}
		if inner != want {
			t.Fatalf("mdCode(%q) holds %q, want %q", s, inner, want)
		}
		if cell := mdCell(s); unescapedPipe.MatchString(cell) {
			t.Fatalf("mdCell(%q) = %q: unescaped pipe", s, cell)
		}
	})
}

// BenchmarkWriteJSON writes 1,000 pairs as JSON Lines.
func BenchmarkWriteJSON(b *testing.B) {
	f := fixtureReport()
	r := &Report{}
	for i := range 1000 {
		s := f.Scores[i%3]
		s.Client = netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		r.Scores = append(r.Scores, s)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.WriteJSON(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportMetric(float64(len(r.Scores))*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}
