package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestJSON(t *testing.T) {
	var out, errb bytes.Buffer
	files := []string{"testdata/192.0.2.70.whois", "testdata/missing.whois", "testdata/example.com.whois", "testdata/nomatch.whois"}
	code := run(append([]string{"-json"}, files...), &out, &errb)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	wantErr := "testdata/missing.whois: no such file or directory\ntestdata/nomatch.whois: domain: no match\n"
	if diff := cmp.Diff(wantErr, errb.String()); diff != "" {
		t.Errorf("stderr (-want +got)\n%s", diff)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d JSON lines, want 2:\n%s", len(lines), out.String())
	}
	type contract struct {
		File      string   `json:"file"`
		Kind      string   `json:"kind"`
		Ranges    []string `json:"ranges"`
		NetName   string   `json:"netname"`
		Org       string   `json:"org"`
		Country   string   `json:"country"`
		Source    string   `json:"source"`
		Domain    string   `json:"domain"`
		Registrar string   `json:"registrar"`
		Created   string   `json:"created"`
		Updated   string   `json:"updated"`
		Expires   string   `json:"expires"`
	}
	want := []contract{
		{File: "testdata/192.0.2.70.whois", Kind: "ip", Ranges: []string{"192.0.2.64/27"}, NetName: "EXAMPLE-BANK-NET",
			Org: "Example Bank JSC", Country: "RU", Source: "RIPE", Created: "2015-03-04T05:06:07Z"},
		{File: "testdata/example.com.whois", Kind: "domain", Ranges: []string{}, Org: "Example Holdings", Country: "US",
			Domain: "example.com", Registrar: "Example Registrar LLC",
			Created: "1995-08-14T04:00:00Z", Updated: "2024-08-14T07:01:38Z", Expires: "2030-08-13T04:00:00Z"},
	}
	for i, l := range lines {
		var got contract
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		// Every contract key is present, even when empty.
		var keys map[string]any
		json.Unmarshal([]byte(l), &keys)
		for _, k := range []string{"kind", "ranges", "netname", "org", "country", "source", "domain", "registrar", "created", "updated", "expires"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("line %d lacks key %q", i+1, k)
			}
		}
		if diff := cmp.Diff(want[i], got); diff != "" {
			t.Errorf("line %d (-want +got)\n%s", i+1, diff)
		}
	}
}

func TestText(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"testdata/192.0.2.70.whois", "testdata/example.com.whois"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	golden := filepath.Join("testdata", "text.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage") {
		t.Errorf("no args: exit %d, stderr %q", code, errb.String())
	}
}
