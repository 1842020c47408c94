package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
)

func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

// testInputs fills a directory with the Tea Leaves replica logs (research
// format, from the module's testdata) and two made-up logs written here: a
// Zeek TSV file (whose "#fields" header rules out reading it line by line)
// and a Zeek JSON one (line by line).
func testInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range []string{"ns1", "ns2", "ns3"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "tealeaves", n+"_cdcservices_com.log"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n+".log"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

	// Zeek TSV: a 600 s beacon with a few seconds of jitter and misses,
	// and a client browsing in office hours.
	var z strings.Builder
	z.WriteString("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n")
	z.WriteString("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\tqtype_name\trcode_name\tanswers\tTTLs\n")
	z.WriteString("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tstring\tstring\tstring\tvector[string]\tvector[interval]\n")
	zeekLine := func(ts time.Time, client, name string) {
		fmt.Fprintf(&z, "%.6f\tC%d\t%s\t%d\t10.0.0.53\t53\tudp\t%d\t%s\tA\tNOERROR\t192.0.2.%d\t300.000000\n",
			float64(ts.UnixMicro())/1e6, rng.IntN(1e6), client, 1024+rng.IntN(60000), rng.IntN(65536), name, 1+rng.IntN(200))
	}
	for ts := start; ts.Before(start.Add(48 * time.Hour)); ts = ts.Add(600 * time.Second) {
		if rng.IntN(20) == 0 {
			continue
		}
		zeekLine(ts.Add(time.Duration(rng.IntN(4000))*time.Millisecond), "10.1.0.5", "update.beacon-example.net")
	}
	for day := range 2 {
		for range 40 {
			ts := start.Add(time.Duration(day)*24*time.Hour + 9*time.Hour + time.Duration(rng.IntN(8*3600))*time.Second)
			zeekLine(ts, "10.1.0.6", fmt.Sprintf("www%d.news-example.org", rng.IntN(3)))
		}
	}
	z.WriteString("#close\t2024-03-06-00-00-00\n")
	if err := os.WriteFile(filepath.Join(dir, "zeek.tsv"), []byte(z.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	// Zeek JSON: a 900 s beacon on changing subdomains.
	var j strings.Builder
	for ts := start; ts.Before(start.Add(36 * time.Hour)); ts = ts.Add(900 * time.Second) {
		ts := ts.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
		fmt.Fprintf(&j, `{"ts":%.6f,"uid":"J%d","id.orig_h":"10.2.0.9","id.orig_p":%d,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","query":"s%d.c2-example.info","qtype_name":"TXT","rcode_name":"NXDOMAIN"}`+"\n",
			float64(ts.UnixMicro())/1e6, rng.IntN(1e6), 1024+rng.IntN(60000), rng.IntN(5))
	}
	if err := os.WriteFile(filepath.Join(dir, "zeek-json.log"), []byte(j.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// singleMachine scores files as examples/score -json does (without
// -dedup): every file through dnslog, merged in time order, one
// nexus.Collector, nexus.Analyze.
func singleMachine(t *testing.T, files []string, format dnslog.Format, by nexus.GroupBy) []byte {
	t.Helper()
	m, err := dnslog.OpenFiles(files, dnslog.Options{Format: format, Parallel: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := &nexus.Collector{By: by}
	for ev, err := range m.All() {
		if err != nil {
			t.Fatal(err)
		}
		c.Add(&ev)
	}
	rep, err := nexus.Analyze(context.Background(), c, nexus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// runBeam runs the pipeline on Prism and returns the output file.
func runBeam(t *testing.T, cfg Config) ([]byte, error) {
	t.Helper()
	cfg.Output = filepath.Join(t.TempDir(), "out.jsonl")
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, cfg); err != nil {
		return nil, err
	}
	start := time.Now()
	_, err := prism.Execute(context.Background(), p)
	t.Logf("prism run: %.1fs", time.Since(start).Seconds())
	if err != nil {
		return nil, err
	}
	return os.ReadFile(cfg.Output)
}

func parseLines(t *testing.T, b []byte) []nexus.PairJSON {
	t.Helper()
	var out []nexus.PairJSON
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var j nexus.PairJSON
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, j)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPipelineMatchesSingleMachine runs the pipeline on Prism and compares
// its pairs with those of the single-machine path on the same files.
func TestPipelineMatchesSingleMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Beam pipelines")
	}
	dir := testInputs(t)
	for _, tc := range []struct {
		name   string
		glob   string
		read   string
		format dnslog.Format
		by     nexus.GroupBy
	}{
		// Whole files: research, Zeek TSV and Zeek JSON together.
		{name: "files-domain", glob: "*", read: ReadFiles, by: nexus.ByDomain},
		// Line by line, formats detected per file (research and Zeek JSON).
		{name: "lines-name", glob: "*.log", read: ReadLines, by: nexus.ByName},
		// Auto with a line-by-line format given: reads lines.
		{name: "auto-research", glob: "ns*.log", format: dnslog.FormatResearch, by: nexus.ByDomain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join(dir, tc.glob))
			if err != nil || len(files) == 0 {
				t.Fatalf("glob %s: %v, %d files", tc.glob, err, len(files))
			}
			want := singleMachine(t, files, tc.format, tc.by)
			got, err := runBeam(t, Config{Input: filepath.Join(dir, tc.glob), Read: tc.read, Format: tc.format, By: tc.by})
			if err != nil {
				t.Fatal(err)
			}
			wantPairs, gotPairs := parseLines(t, want), parseLines(t, got)
			if len(wantPairs) < 3 {
				t.Fatalf("single-machine path gave %d pairs; the test needs several", len(wantPairs))
			}
			byPair := cmpopts.SortSlices(func(a, b nexus.PairJSON) bool {
				return a.Client+" "+a.Domain < b.Client+" "+b.Domain
			})
			if diff := cmp.Diff(wantPairs, gotPairs, byPair); diff != "" {
				t.Errorf("pairs (-single machine +beam):\n%s", diff)
			}
			t.Logf("%d pairs, %d files; output byte-identical (same ranking): %v",
				len(gotPairs), len(files), bytes.Equal(want, got))
		})
	}
}

// TestLinesRefusesStatefulFormat checks that reading a Zeek TSV file line
// by line fails and names the file, instead of parsing lines without
// their "#fields" header.
func TestLinesRefusesStatefulFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a Beam pipeline")
	}
	dir := testInputs(t)
	_, err := runBeam(t, Config{Input: filepath.Join(dir, "*"), Read: ReadLines})
	if err == nil || !strings.Contains(err.Error(), "zeek.tsv") || !strings.Contains(err.Error(), "-read files") {
		t.Fatalf("error = %v, want one naming zeek.tsv and -read files", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Input: "x", Output: ""},
		{Input: "x", Output: "y", Read: "sideways"},
		{Input: "x", Output: "y", Read: ReadLines, Format: dnslog.FormatZeek},
		{Input: "x", Output: "y", Format: "nonesuch"},
		{Input: "x", Output: "y", Zone: "Mars/Olympus_Mons"},
	} {
		_, s := beam.NewPipelineWithRoot()
		if err := Build(s, cfg); err == nil {
			t.Errorf("Build(%+v) = nil, want an error", cfg)
		}
	}
}

// BenchmarkPipeline runs the whole pipeline on Prism over a made-up
// research-format log of 200 000 lookups in 2 000 pairs, line by line and
// whole-file.
func BenchmarkPipeline(b *testing.B) {
	const events, clients, domains = 200_000, 200, 10
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(3, 5))
	var sb strings.Builder
	start := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	for i := range events {
		t := start.Add(time.Duration(i) * 400 * time.Millisecond)
		c := rng.IntN(clients)
		fmt.Fprintf(&sb, "%s 10.9.%d.%d host%d.domain%d-example.com\n", t.Format(time.RFC3339),
			c/250, c%250+1, rng.IntN(4), rng.IntN(domains))
	}
	path := filepath.Join(dir, "big.log")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{ReadLines, ReadFiles} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, s := beam.NewPipelineWithRoot()
				cfg := Config{Input: path, Output: filepath.Join(dir, "out-"+mode+".jsonl"), Read: mode, Format: dnslog.FormatResearch}
				if err := Build(s, cfg); err != nil {
					b.Fatal(err)
				}
				if _, err := prism.Execute(context.Background(), p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(len(sb.String()))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
	}
}
