package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
