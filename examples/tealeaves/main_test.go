package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTealeavesOnReplica(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	table := stdout.String()
	for _, want := range []string{"synthetic reconstruction", "217.12.96.15", "Alfa-Bank (RU)", "lock-step: 217.12.96.15 and 217.12.97.15", "moscow.alfaintra.net"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"synthetic reconstruction", "## Two resolvers acting as one", "## What a cache does to the timing",
		"## The working day", "Europe/Moscow", "## Search-suffix leak", "`moscow.alfaintra.net`", "## Caveats", "activity.svg",
		"## What mail1.trump-email.com resolved to", "66.216.133.29", "trump1.contact-client.com (A, from 2016-09-23)", "**stopped**",
		"## Domains of the registrant", "Trump Orgainzation"} {
		if !bytes.Contains(report, []byte(want)) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	// pairs.json: the examples/score -json fields plus enrichment.
	pj, err := os.ReadFile(filepath.Join(out, "pairs.json"))
	if err != nil {
		t.Fatal(err)
	}
	bank := 0
	for _, line := range strings.Split(strings.TrimSpace(string(pj)), "\n") {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("pairs.json line %q: %v", line, err)
		}
		for _, k := range []string{"client", "domain", "events", "beacon", "human", "period", "verdict", "org", "country"} {
			if _, ok := row[k]; !ok {
				t.Errorf("pairs.json line lacks %q: %s", k, line)
			}
		}
		if row["country"] == "RU" && row["domain"] == "trump-email.com" {
			bank += int(row["events"].(float64))
			if row["verdict"] == "beacon" {
				t.Errorf("bank resolver %v called a beacon: the replica models people behind an hourly cache", row["client"])
			}
		}
	}
	if bank != 2825 { // 2,820 by the two DNS servers and 5 by a third bank address
		t.Errorf("bank network lookups = %d, want 2825", bank)
	}
	dot, err := os.ReadFile(filepath.Join(out, "graph.dot"))
	if err != nil || !bytes.HasPrefix(bytes.TrimSpace(dot), []byte("digraph")) {
		t.Errorf("graph.dot: %v, starts %q", err, firstLine(dot))
	}
	var g struct {
		Nodes []any `json:"nodes"`
		Edges []any `json:"edges"`
	}
	if gj, err := os.ReadFile(filepath.Join(out, "graph.json")); err != nil || json.Unmarshal(gj, &g) != nil || len(g.Nodes) == 0 || len(g.Edges) == 0 {
		t.Errorf("graph.json: %v, %d nodes, %d edges", err, len(g.Nodes), len(g.Edges))
	}
	for _, name := range []string{"activity.svg", "profiles.svg", "periodogram.svg"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(f)
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s is not well-formed XML: %v", name, err)
				break
			}
		}
		f.Close()
	}
}

func TestTealeavesBadInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-in", t.TempDir(), "-out", t.TempDir()}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "no server logs") {
		t.Errorf("empty -in: exit %d, stderr %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"extra"}, &stdout, &stderr); code != 2 {
		t.Errorf("stray argument: exit %d, want 2", code)
	}
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}
