package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func runParse(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestJSONMerged(t *testing.T) {
	code, out, stderr := runParse(t, "", "-json", "testdata/campus.log", "testdata/epoch.log")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, m)
	}
	want := []map[string]any{
		{"time": "2016-09-23T13:56:29Z", "client": "10.1.2.3", "server": "", "name": "www.example.com", "type": "", "rcode": "", "format": "research", "file": "testdata/campus.log", "line": 3.0},
		{"time": "2016-09-23T13:56:31.25Z", "client": "10.1.2.4", "server": "", "name": "mail.example.org", "type": "", "rcode": "", "format": "research", "file": "testdata/campus.log", "line": 4.0},
		{"time": "2016-09-23T13:56:40.5Z", "client": "10.9.9.9", "server": "", "name": "cdn.example.com", "type": "AAAA", "class": "IN", "rcode": "", "format": "research", "file": "testdata/epoch.log", "line": 1.0},
		{"time": "2016-09-23T13:56:50Z", "client": "10.1.2.3", "server": "", "name": "cdn.example.com", "type": "A", "rcode": "", "format": "research", "file": "testdata/epoch.log", "line": 2.0},
		{"time": "2016-09-23T13:57:02Z", "client": "2001:db8::7", "server": "", "name": "updates.example.net", "type": "", "rcode": "", "format": "research", "file": "testdata/campus.log", "line": 5.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("-json output (-want +got):\n%s", diff)
	}
}

func TestCountStdin(t *testing.T) {
	in := "2016-09-23T13:56:29Z 10.0.0.1 a.example\n2016-09-23T13:56:30Z 10.0.0.1 b.example\n"
	code, out, stderr := runParse(t, in, "-count", "-")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if diff := cmp.Diff("events 2\nskipped 0\n", out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestBadLine(t *testing.T) {
	code, _, stderr := runParse(t, "", "testdata/bad.log")
	if code == 0 {
		t.Fatal("exit 0 on a bad line")
	}
	if !strings.HasPrefix(stderr, "testdata/bad.log:2:31: ") {
		t.Errorf("stderr %q does not start with file:line:col", stderr)
	}

	code, out, stderr := runParse(t, "", "-lenient", "-count", "testdata/bad.log")
	if code != 0 {
		t.Fatalf("lenient: exit %d, stderr %q", code, stderr)
	}
	if diff := cmp.Diff("events 2\nskipped 1\n", out); diff != "" {
		t.Errorf("lenient count (-want +got):\n%s", diff)
	}
	if !strings.Contains(stderr, "skipped 1") {
		t.Errorf("lenient stderr %q does not report the skipped line", stderr)
	}
}

func TestDedup(t *testing.T) {
	// The same lookup seen at three servers within a second, then again a
	// minute later.
	in := "" +
		"2016-09-23T13:00:00.000Z 10.0.0.1 www.example.com A\n" +
		"2016-09-23T13:00:00.200Z 10.0.0.1 www.example.com A\n" +
		"2016-09-23T13:00:00.400Z 10.0.0.1 www.example.com A\n" +
		"2016-09-23T13:00:00.500Z 10.0.0.2 www.example.com A\n" +
		"2016-09-23T13:01:00.000Z 10.0.0.1 www.example.com A\n"
	code, out, stderr := runParse(t, in, "-dedup", "1s", "-")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := "" +
		"2016-09-23T13:00:00Z 10.0.0.1 www.example.com A \n" +
		"2016-09-23T13:00:00.5Z 10.0.0.2 www.example.com A \n" +
		"2016-09-23T13:01:00Z 10.0.0.1 www.example.com A \n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runParse(t, ""); code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
	if code, _, _ := runParse(t, "", "-tz", "Nowhere/Atlantis", "x"); code != 2 {
		t.Errorf("bad zone: exit %d, want 2", code)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden checks the -json output for a made-up Zeek log against
// testdata/zeek.golden (refresh with -update after checking the change).
func TestGolden(t *testing.T) {
	code, out, stderr := runParse(t, "", "-json", "testdata/zeek.log")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden := filepath.Join("testdata", "zeek.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out); diff != "" {
		t.Errorf("-json output (-want +got):\n%s", diff)
	}
}
