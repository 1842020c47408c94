package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/internal/synth"
	"github.com/dnsnexus/dnsnexus/nexus"
	"github.com/google/go-cmp/cmp"
)

var replica = filepath.Join("..", "..", "testdata", "tealeaves")

func runScore(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func TestScoreJSONOnReplica(t *testing.T) {
	logs, _ := filepath.Glob(filepath.Join(replica, "ns*_cdcservices_com.log"))
	if len(logs) != 3 {
		t.Fatalf("replica logs: %v", logs)
	}
	args := append([]string{"-json", "-dedup", "5s", "-whois", replica, "-progress=false"}, logs...)
	out, errs, code := runScore(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	type row struct {
		Client  string   `json:"client"`
		Domain  string   `json:"domain"`
		Events  int64    `json:"events"`
		Beacon  *float64 `json:"beacon"`
		Human   *float64 `json:"human"`
		Period  *float64 `json:"period"`
		Verdict string   `json:"verdict"`
		Org     string   `json:"org"`
		Country string   `json:"country"`
	}
	got := map[string]row{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r row
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		if r.Beacon == nil || r.Human == nil || r.Period == nil {
			t.Errorf("line lacks beacon/human/period: %s", line)
		}
		switch r.Verdict {
		case "beacon", "human", "mixed", "aperiodic", "insufficient":
		default:
			t.Errorf("verdict %q not in the contract", r.Verdict)
		}
		got[r.Client+" "+r.Domain] = r
	}
	// The replica's published figures: the bank's resolvers make 2,820
	// lookups between them, the health system 714.
	bankA, bankB := got["217.12.96.15 trump-email.com"], got["217.12.97.15 trump-email.com"]
	if bankA.Events+bankB.Events != 2820 {
		t.Errorf("bank resolvers: %d + %d lookups, want 2820", bankA.Events, bankB.Events)
	}
	if h := got["167.73.110.8 trump-email.com"]; h.Events != 714 {
		t.Errorf("health system: %d lookups, want 714", h.Events)
	}
	if bankA.Country != "RU" || !strings.Contains(strings.ToLower(bankA.Org), "alfa") {
		t.Errorf("bank resolver enrichment: org %q country %q", bankA.Org, bankA.Country)
	}
	// Cache-gated office-hours use is not a beacon.
	for _, k := range []string{"217.12.96.15 trump-email.com", "217.12.97.15 trump-email.com", "167.73.110.8 trump-email.com"} {
		if v := got[k].Verdict; v == "beacon" {
			t.Errorf("%s: verdict beacon; the replica models people behind an hourly cache", k)
		}
	}
}

func TestScoreStdinByName(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(replica, "ns1_cdcservices_com.log"))
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code := runScore(t, string(data), "-by", "name", "-tz", "Europe/Moscow", "-progress=false", "-")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "mail1.trump-email.com ") || !strings.Contains(out, "(grouped by name)") {
		t.Errorf("table lacks the full query name:\n%s", out)
	}
}

func TestScoreErrors(t *testing.T) {
	if _, _, code := runScore(t, ""); code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
	if _, _, code := runScore(t, "", "-by", "nonsense", "x"); code != 2 {
		t.Errorf("bad -by: exit %d, want 2", code)
	}
	_, errs, code := runScore(t, "2016-05-04T04:03:27.000Z | mail1.example.com | 192.0.2.1\n2016-05-04T04:03:28.000Z | mail1.example.com | not-an-address\n", "-format", "research", "-progress=false", "-")
	if code != 1 || !strings.Contains(errs, "-:2:") {
		t.Errorf("bad line: exit %d, stderr %q; want 1 and a -:2: position", code, errs)
	}
}

// Scoring the shards i/n of the input in separate runs and merging their
// lines with -merge writes the same JSON lines as one run over all of it.
func TestShardMergeEqualsOneRun(t *testing.T) {
	logs, _ := filepath.Glob(filepath.Join(replica, "ns*_cdcservices_com.log"))
	var synthetic bytes.Buffer
	if err := synth.Stream(context.Background(), synth.StreamConfig{N: 40_000, Pairs: 400, Seed: 9, Format: synth.Zeek}, &synthetic); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zeek := filepath.Join(dir, "dns.log")
	if err := os.WriteFile(zeek, synthetic.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"replica", append([]string{"-dedup", "5s", "-whois", replica}, logs...)},
		{"synthetic", []string{zeek}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, errs, code := runScore(t, "", append([]string{"-json", "-progress=false"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("one run: exit %d, stderr:\n%s", code, errs)
			}
			const n = 3
			var files []string
			for i := range n {
				out, errs, code := runScore(t, "", append([]string{"-shard", fmt.Sprintf("%d/%d", i, n), "-progress=false"}, tc.args...)...)
				if code != 0 {
					t.Fatalf("shard %d/%d: exit %d, stderr:\n%s", i, n, code, errs)
				}
				if strings.Count(out, "\n") == strings.Count(want, "\n") {
					t.Errorf("shard %d/%d holds all %d pairs", i, n, strings.Count(out, "\n"))
				}
				f := filepath.Join(dir, fmt.Sprintf("shard%d.jsonl", i))
				if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, f)
			}
			got, errs, code := runScore(t, "", append([]string{"-merge"}, files...)...)
			if code != 0 {
				t.Fatalf("merge: exit %d, stderr:\n%s", code, errs)
			}
			if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n")); diff != "" {
				t.Errorf("merged shards differ from one run (-one +merged):\n%s", diff)
			}
		})
	}
}

func TestMergeErrors(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.jsonl")
	os.WriteFile(plain, []byte(`{"client":"192.0.2.1","domain":"example.com","events":3}`+"\n"), 0o644)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("\n{\"client\": 1\n"), 0o644)
	for _, tc := range []struct {
		file, want string
	}{
		{plain, "plain.jsonl:1: not a line of score -shard"},
		{bad, "bad.jsonl:2:"},
		{filepath.Join(dir, "missing.jsonl"), "missing.jsonl"},
	} {
		_, errs, code := runScore(t, "", "-merge", tc.file)
		if code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("-merge %s: exit %d, stderr %q; want 1 and %q", filepath.Base(tc.file), code, errs, tc.want)
		}
	}
	for _, s := range []string{"3/3", "x", "1/0", "-1/2"} {
		if _, _, code := runScore(t, "", "-shard", s, "-"); code != 2 {
			t.Errorf("-shard %s: exit %d, want 2", s, code)
		}
	}
}

// -json and -csv score in bounded memory (scoreLean); their output is
// what nexus.Analyze and Report.WriteJSON or WriteCSV give.
func TestLeanOutputEqualsReport(t *testing.T) {
	var synthetic bytes.Buffer
	if err := synth.Stream(context.Background(), synth.StreamConfig{N: 60_000, Pairs: 500, Seed: 4, Format: synth.Zeek}, &synthetic); err != nil {
		t.Fatal(err)
	}
	c := &nexus.Collector{}
	r := dnslog.NewReader(bytes.NewReader(synthetic.Bytes()))
	for ev, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		c.Add(&ev)
	}
	rep, err := nexus.Analyze(context.Background(), c, nexus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON, wantCSV bytes.Buffer
	if err := rep.WriteJSON(&wantJSON); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteCSV(&wantCSV); err != nil {
		t.Fatal(err)
	}
	top := *rep
	top.Scores = rep.Scores[:7]
	var wantTop bytes.Buffer
	top.WriteJSON(&wantTop)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-json"}, wantJSON.String()},
		{[]string{"-csv"}, wantCSV.String()},
		{[]string{"-json", "-top", "7"}, wantTop.String()},
	} {
		got, errs, code := runScore(t, synthetic.String(), append(tc.args, "-progress=false", "-")...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr:\n%s", tc.args, code, errs)
		}
		if diff := cmp.Diff(strings.Split(tc.want, "\n"), strings.Split(got, "\n")); diff != "" {
			t.Errorf("%v: output differs from Analyze + Report (-report +score):\n%s", tc.args, diff)
		}
	}
}

// readShard never panics, and what it accepts has a client, a domain and
// exact figures; errors name the input and the line.
func FuzzReadShard(f *testing.F) {
	f.Add([]byte(`{"client":"192.0.2.1","domain":"example.com","events":3,"exact":{"p":0.5,"beacon":0,"human":0,"off_beat":0}}` + "\n"))
	f.Add([]byte("\n{\"client\": 1\n"))
	f.Add([]byte(`{"client":"192.0.2.1","domain":"example.com","events":3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pairs, err := readShard("-", bytes.NewReader(data), nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "-:") {
				t.Errorf("error %q does not name the input and line", err)
			}
			return
		}
		for _, p := range pairs {
			if p.Client == "" || p.Domain == "" {
				t.Errorf("accepted a pair without client or domain: %+v", p)
			}
		}
	})
}

func TestScoreHistory(t *testing.T) {
	out, errs, code := runScore(t, "", "-progress=false", "-history", "Mail1.Trump-Email.com.", filepath.Join(replica, "recursive_dns.log"))
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"Binding history of `mail1.trump-email.com`", "66.216.133.29", "**stopped**", "trump1.contact-client.com (A, from 2016-09-23)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, _, code := runScore(t, "", "-json", "-history", "x.example", "x"); code != 2 {
		t.Errorf("-history with -json: exit %d, want 2", code)
	}
}

// Millisecond stamps score as their whole seconds do unless -resolution asks
// for the logged precision.
func TestScoreResolution(t *testing.T) {
	var fine, coarse strings.Builder
	start := int64(1_772_409_600_000) // 2026-03-02 00:00:00 UTC, in ms
	seed := uint64(7)
	next := func(n int64) int64 { // a small LCG: the test needs no statistics from it
		seed = seed*6364136223846793005 + 1442695040888963407
		return int64(seed>>33) % n
	}
	line := func(b *strings.Builder, ms int64) {
		ts := time.UnixMilli(ms).UTC()
		fmt.Fprintf(b, "%s 192.0.2.7 c2.example.com\n", ts.Format("2006-01-02T15:04:05.000Z"))
	}
	for ms := start; ms < start+3*86_400_000; ms += 120_000 + next(40_000) - 20_000 {
		stamps := []int64{ms + next(1000)}
		if next(3) == 0 {
			stamps = append(stamps, ms+1500+next(1000))
		}
		for _, s := range stamps {
			line(&fine, s)
			line(&coarse, s-s%1000)
		}
	}
	run := func(in string, args ...string) string {
		out, errs, code := runScore(t, in, append(args, "-json", "-tz", "UTC", "-progress=false", "-")...)
		if code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", code, errs)
		}
		return out
	}
	// first and last keep the logged stamps; every figure must agree.
	figures := func(out string) []map[string]any {
		var rows []map[string]any
		for l := range strings.Lines(out) {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "first")
			delete(m, "last")
			rows = append(rows, m)
		}
		return rows
	}
	if diff := cmp.Diff(figures(run(coarse.String())), figures(run(fine.String()))); diff != "" {
		t.Errorf("millisecond stamps scored differently from whole seconds (-seconds +milliseconds):\n%s", diff)
	}
	if run(fine.String(), "-resolution", "-1ns") == run(coarse.String(), "-resolution", "-1ns") {
		t.Error("-resolution -1ns scored millisecond stamps as whole seconds")
	}
}
