package dnslog

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// zeekHeader writes a Zeek TSV header with the given separator (as
// written in "#separator", e.g. `\x09`) and field names.
func zeekHeader(sepEsc string, fields ...string) string {
	sep := string(zeekUnescape(nil, []byte(sepEsc)))
	return "#separator " + sepEsc + "\n" +
		"#set_separator" + sep + ",\n" +
		"#empty_field" + sep + "(empty)\n" +
		"#unset_field" + sep + "-\n" +
		"#path" + sep + "dns\n" +
		"#fields" + sep + strings.Join(fields, sep) + "\n"
}

var zeekFields = []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id", "rtt",
	"query", "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name", "AA", "TC", "RD", "RA", "Z", "answers", "TTLs", "rejected"}

func zeekRow(vals ...string) string { return strings.Join(vals, "\t") + "\n" }

func zev(t string, client string, cport uint16, server string, sport uint16, name string, typ Type, rc RCode, line int64) Event {
	return Event{Time: ts(t), Client: netip.MustParseAddr(client), ClientPort: cport, Server: netip.MustParseAddr(server), ServerPort: sport,
		Name: name, RawName: name, Type: typ, Class: ClassIN, RCode: rc, Format: FormatZeek, Pos: Position{File: "t.log", Line: line}}
}

func TestZeekTSV(t *testing.T) {
	h := zeekHeader(`\x09`, zeekFields...)
	withAnswers := zev("2018-01-30T18:14:02.279652Z", "192.168.88.2", 55638, "198.51.100.15", 53, "a.example.com", TypeA, RCodeNoError, 7)
	withAnswers.RawName = "A.Example.com"
	withAnswers.Answers = []Answer{{Data: "b.example.net", TTL: 60, HasTTL: true}, {Data: "192.0.2.1", TTL: 30, HasTTL: true}}
	unsetRcode := zev("2018-01-30T18:14:03Z", "fe80::1", 5353, "ff02::fb", 5353, "_ipp._tcp.local", TypePTR, RCodeUnknown, 8)
	unsetRcode.Class = Class(32769)
	root := zev("2018-01-30T18:14:04Z", "10.0.0.1", 1046, "192.0.2.4", 53, ".", TypeNS, RCodeUnknown, 9)
	root.RawName = ""
	noQuery := zev("2018-01-30T18:14:05Z", "10.0.0.1", 1046, "192.0.2.4", 53, "", 0, RCodeNXDomain, 10)
	noQuery.Class = 0
	mdns := zev("2018-01-30T18:14:06Z", "10.0.0.2", 5353, "224.0.0.251", 5353, `nougat\032[28:d2].local`, TypeSRV, RCodeUnknown, 11)
	mdns.RawName = "nougat [28:d2].local"
	escaped := zev("2018-01-30T18:14:07Z", "10.0.0.2", 1, "10.0.0.3", 53, `a\009b.example`, TypeA, RCodeNoError, 12)
	escaped.RawName = "a\tb.example"

	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"rows", h +
			zeekRow("1517336042.279652", "C1", "192.168.88.2", "55638", "198.51.100.15", "53", "udp", "1", "0.07", "A.Example.com", "1", "C_INTERNET", "1", "A", "0", "NOERROR", "F", "F", "T", "T", "0", "B.example.net.,192.0.2.1", "60.000000,30.000000", "F") +
			zeekRow("1517336043", "C2", "fe80::1", "5353", "ff02::fb", "5353", "udp", "0", "-", "_ipp._tcp.local", "32769", "qclass-32769", "12", "PTR", "-", "-", "F", "F", "F", "F", "0", "-", "-", "F") +
			zeekRow("1517336044", "C3", "10.0.0.1", "1046", "192.0.2.4", "53", "udp", "0", "-", "(empty)", "1", "C_INTERNET", "2", "NS", "-", "-", "F", "F", "F", "F", "0", "-", "-", "F") +
			zeekRow("1517336045", "C4", "10.0.0.1", "1046", "192.0.2.4", "53", "udp", "0", "-", "-", "-", "-", "-", "-", "3", "NXDOMAIN", "F", "F", "F", "F", "0", "(empty)", "(empty)", "F") +
			zeekRow("1517336046", "C5", "10.0.0.2", "5353", "224.0.0.251", "5353", "udp", "0", "-", "nougat [28:d2].local", "1", "C_INTERNET", "33", "SRV", "-", "-", "F", "F", "F", "F", "0", "-", "-", "F") +
			zeekRow("1517336047", "C6", "10.0.0.2", "1", "10.0.0.3", "53", "udp", "0", "-", `a\x09b.example`, "1", "C_INTERNET", "1", "A", "0", "NOERROR", "F", "F", "F", "F", "0", "-", "-", "F") +
			"#close\t2018-01-30-19-00-00\n",
			[]Event{withAnswers, unsetRcode, root, noQuery, mdns, escaped}},
		{"space separator, old layout, names not numbers, no #close",
			zeekHeader(`\x20`, "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "query", "qclass_name", "qtype_name", "rcode_name") +
				"1517336042.5 10.0.0.1 3333 10.0.0.53 53 x.example C_INTERNET * NXDOMAIN\n",
			[]Event{func() Event {
				e := zev("2018-01-30T18:14:02.5Z", "10.0.0.1", 3333, "10.0.0.53", 53, "x.example", TypeANY, RCodeNXDomain, 7)
				return e
			}()}},
		{"concatenated files with different layouts", h +
			zeekRow("1517336042", "C1", "10.0.0.1", "1", "10.0.0.53", "53", "udp", "1", "-", "a.example", "1", "C_INTERNET", "1", "A", "0", "NOERROR", "F", "F", "T", "T", "0", "-", "-", "F") +
			"#close\t2018-01-30-19-00-00\n" +
			zeekHeader(`\x09`, "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id", "query", "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name") +
			zeekRow("1517336043", "C2", "10.0.0.1", "2", "10.0.0.53", "53", "udp", "1", "b.example", "1", "C_INTERNET", "28", "AAAA", "0", "NOERROR"),
			[]Event{
				zev("2018-01-30T18:14:02Z", "10.0.0.1", 1, "10.0.0.53", 53, "a.example", TypeA, RCodeNoError, 7),
				zev("2018-01-30T18:14:03Z", "10.0.0.1", 2, "10.0.0.53", 53, "b.example", TypeAAAA, RCodeNoError, 15),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := readAll(t, tt.in, nil)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, cmpEvents...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestZeekTSVErrors(t *testing.T) {
	h := zeekHeader(`\x09`, "ts", "id.orig_h", "query", "qtype", "rcode")
	tests := []struct {
		name  string
		in    string
		cause error
		line  int64
		col   int
	}{
		{"no header", "1517336042\t10.0.0.1\ta.example\n", ErrField, 1, 1},
		{"too few fields", h + "1517336042\t10.0.0.1\ta.example\t1\n", ErrField, 7, 32},
		{"too many fields", h + "1517336042\t10.0.0.1\ta.example\t1\t0\tx\n", ErrField, 7, 35},
		{"bad ts", h + "15173x\t10.0.0.1\ta.example\t1\t0\n", ErrTime, 7, 1},
		{"bad addr", h + "1517336042\t10.0.0.999\ta.example\t1\t0\n", ErrAddr, 7, 12},
		{"bad type", h + "1517336042\t10.0.0.1\ta.example\t70000\t0\n", ErrType, 7, 31},
		{"bad name", h + "1517336042\t10.0.0.1\ta..example\t1\t0\n", ErrName, 7, 21},
		{"unset ts", h + "-\t10.0.0.1\ta.example\t1\t0\n", ErrTime, 7, 1},
		{"fields without ts", zeekHeader(`\x09`, "id.orig_h", "query"), ErrField, 6, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := readAll(t, tt.in, func(r *Reader) { r.Format = FormatZeek })
			if len(errs) != 1 {
				t.Fatalf("got errors %v, want 1", errs)
			}
			var pe *ParseError
			if !errors.As(errs[0], &pe) {
				t.Fatalf("%T is not a *ParseError", errs[0])
			}
			got := [4]any{pe.Line, pe.Column, pe.Format, errors.Is(pe, tt.cause)}
			if diff := cmp.Diff([4]any{tt.line, tt.col, FormatZeek, true}, got); diff != "" {
				t.Errorf("%v: line, column, format, cause (-want +got):\n%s", pe, diff)
			}
		})
	}
}

func TestZeekJSON(t *testing.T) {
	in := `{"ts":1517336042.279652,"uid":"C1","id.orig_h":"192.168.88.2","id.orig_p":55638,"id.resp_h":"198.51.100.15","id.resp_p":53,"proto":"udp","query":"A.Example.com","qclass":1,"qtype":1,"rcode":0,"AA":false,"answers":["b.example.net.","192.0.2.1"],"TTLs":[60.0,30.0],"nested":{"x":[1,{"y":"}"}]}}` + "\n" +
		`{"_path":"dns","ts":"2018-01-30T18:14:03Z","id.orig_h":"fe80::1","id.orig_p":5353,"id.resp_h":"ff02::fb","id.resp_p":5353,"query":"_ipp._tcp.local","qclass":32769,"qtype_name":"PTR","rcode":null}` + "\n" +
		` { "ts" : 1517336044 , "id.orig_h" : "10.0.0.1" , "id.orig_p" : 1046 , "id.resp_h" : "192.0.2.4" , "id.resp_p" : 53 , "query" : "" , "qclass" : 1 , "qtype" : 2 } ` + "\n" +
		`{"_path":"conn","ts":1517336045,"id.orig_h":"10.0.0.1"}` + "\n" +
		`{"ts":1517336046,"id.orig_h":"10.0.0.2","id.orig_p":5353,"id.resp_h":"224.0.0.251","id.resp_p":5353,"query":"nougat [28:d2]\u002elocal","qclass":1,"qtype":33}` + "\n" +
		`{"ts":1517336047,"id.orig_h":"10.0.0.2","id.orig_p":1,"id.resp_h":"10.0.0.3","id.resp_p":53,"query":"a\\x09b.example","qclass":1,"qtype":1,"rcode":0,"answers":["q\"uote"],"TTLs":[5]}` + "\n"
	withAnswers := zev("2018-01-30T18:14:02.279652Z", "192.168.88.2", 55638, "198.51.100.15", 53, "a.example.com", TypeA, RCodeNoError, 1)
	withAnswers.RawName = "A.Example.com"
	withAnswers.Answers = []Answer{{Data: "b.example.net", TTL: 60, HasTTL: true}, {Data: "192.0.2.1", TTL: 30, HasTTL: true}}
	unsetRcode := zev("2018-01-30T18:14:03Z", "fe80::1", 5353, "ff02::fb", 5353, "_ipp._tcp.local", TypePTR, RCodeUnknown, 2)
	unsetRcode.Class = Class(32769)
	root := zev("2018-01-30T18:14:04Z", "10.0.0.1", 1046, "192.0.2.4", 53, ".", TypeNS, RCodeUnknown, 3)
	root.RawName = ""
	mdns := zev("2018-01-30T18:14:06Z", "10.0.0.2", 5353, "224.0.0.251", 5353, `nougat\032[28:d2].local`, TypeSRV, RCodeUnknown, 5)
	mdns.RawName = "nougat [28:d2].local"
	escaped := zev("2018-01-30T18:14:07Z", "10.0.0.2", 1, "10.0.0.3", 53, `a\009b.example`, TypeA, RCodeNoError, 6)
	escaped.RawName = "a\tb.example"
	escaped.Answers = []Answer{{Data: `q"uote`, TTL: 5, HasTTL: true}}
	want := []Event{withAnswers, unsetRcode, root, mdns, escaped}
	for i := range want {
		want[i].Format = FormatZeekJSON
	}
	got, errs := readAll(t, in, nil)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if diff := cmp.Diff(want, got, cmpEvents...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestZeekJSONErrors(t *testing.T) {
	good := `{"ts":1517336042,"id.orig_h":"10.0.0.1","query":"a.example"}`
	tests := []struct {
		name  string
		line  string
		cause error
		col   int
	}{
		{"wrapper", `{"preview":false,"result":{"_raw":"{\"ts\":1}"}}`, ErrField, 1},
		{"not an object", `["ts"]`, ErrField, 1},
		{"truncated", `{"ts":1517336042,"id.orig_h":"10.0`, ErrField, 30},
		{"trailing text", good + ` x`, ErrField, len(good) + 2},
		{"bad ts", `{"ts":"yesterday","id.orig_h":"10.0.0.1"}`, ErrTime, 8},
		{"bad addr", `{"ts":1,"id.orig_h":"10.0.0.1.1"}`, ErrAddr, 22},
		{"nested role", `{"ts":1,"id.orig_h":"10.0.0.1","query":{"a":1}}`, ErrField, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := readAll(t, good+"\n"+tt.line+"\n", func(r *Reader) { r.Format = FormatZeekJSON })
			if len(errs) != 1 {
				t.Fatalf("got errors %v, want 1", errs)
			}
			var pe *ParseError
			if !errors.As(errs[0], &pe) {
				t.Fatalf("%T is not a *ParseError", errs[0])
			}
			got := [3]any{pe.Line, pe.Column, errors.Is(pe, tt.cause)}
			if diff := cmp.Diff([3]any{int64(2), tt.col, true}, got); diff != "" {
				t.Errorf("%v: line, column, cause (-want +got):\n%s", pe, diff)
			}
		})
	}
}

func corpusDir(t *testing.T, sub ...string) string {
	t.Helper()
	root := os.Getenv("DNSNEXUS_CORPUS")
	if root == "" {
		t.Skip("DNSNEXUS_CORPUS not set")
	}
	return filepath.Join(append([]string{root, "dnslog"}, sub...)...)
}

// TestZeekCorpus reads every Zeek log of the corpus strictly; the only
// line allowed to fail is the search-export wrapper that ends the Elastic
// sample.
func TestZeekCorpus(t *testing.T) {
	dir := corpusDir(t, "zeek")
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	wantSkipped := map[string]int64{"elastic_zeek_test-dns.log": 1}
	n := 0
	for _, name := range names {
		base := filepath.Base(name)
		if base == "SOURCES.txt" || strings.HasSuffix(base, "LICENSE") {
			continue
		}
		n++
		t.Run(base, func(t *testing.T) {
			r, c, err := OpenFile(name, Options{Lenient: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			events := 0
			for _, err := range r.All() {
				if err != nil {
					t.Fatal(err)
				}
				events++
			}
			if f := r.DetectedFormat(); f != FormatZeek && f != FormatZeekJSON {
				t.Errorf("detected %q", f)
			}
			if r.Skipped() != wantSkipped[base] {
				t.Errorf("skipped %d lines, want %d: %v", r.Skipped(), wantSkipped[base], r.Errors())
			}
			if events == 0 {
				t.Error("no events")
			}
		})
	}
	if n < 10 {
		t.Errorf("only %d corpus files", n)
	}
}

// TestZeekWRCCDC checks that the TSV and JSON renderings of the same
// capture give the same 53,615 events.
func TestZeekWRCCDC(t *testing.T) {
	dir := corpusDir(t, "zeek")
	ctx := context.Background()
	tsv, err := ReadFile(ctx, filepath.Join(dir, "wrccdc_zeek-default_dns.log.gz"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	js, err := ReadFile(ctx, filepath.Join(dir, "wrccdc_zeek-json_dns.json.gz"), Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(tsv) != 53615 || len(js) != 53615 {
		t.Fatalf("TSV %d events, JSON %d, want 53615 each", len(tsv), len(js))
	}
	if diff := diffEvents(tsv, js, true); diff != "" {
		t.Errorf("TSV vs JSON (-tsv +json):\n%s", diff)
	}
	var root, unset, spaced int
	for _, ev := range tsv {
		switch {
		case ev.Name == ".":
			root++
		case ev.Name == "":
			unset++
		case strings.Contains(ev.RawName, " "):
			spaced++
		}
	}
	if root != 12 || unset != 2 || spaced == 0 {
		t.Errorf("root queries %d (want 12), unset queries %d (want 2), names with spaces %d (want some)", root, unset, spaced)
	}
}

// TestZeekRITA checks a few events of the RITA samples field by field.
func TestZeekRITA(t *testing.T) {
	dir := corpusDir(t, "zeek")
	first := func(name string) Event {
		t.Helper()
		r, c, err := OpenFile(filepath.Join(dir, name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ev, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	want := []Event{
		{Time: ts("2021-01-14T17:26:43.32559Z"), Client: netip.MustParseAddr("192.168.0.20"), ClientPort: 5353,
			Server: netip.MustParseAddr("224.0.0.251"), ServerPort: 5353, Name: "_homekit._tcp.local", RawName: "_homekit._tcp.local",
			Type: TypePTR, Class: Class(32769), RCode: RCodeUnknown, Format: FormatZeek},
		{Time: ts("2024-04-19T12:00:00.520842Z"), Client: netip.MustParseAddr("64.225.56.201"), ClientPort: 52251,
			Server: netip.MustParseAddr("67.207.67.2"), ServerPort: 53, Name: "2.149.98.87.in-addr.arpa", RawName: "2.149.98.87.in-addr.arpa",
			Type: TypePTR, Class: ClassIN, RCode: RCodeNoError, Answers: []Answer{{Data: "ip2.ip-87-98-149.eu", TTL: 85850, HasTTL: true}}, Format: FormatZeek},
		{Time: ts("2018-01-30T18:14:02.279652Z"), Client: netip.MustParseAddr("192.168.88.2"), ClientPort: 55638,
			Server: netip.MustParseAddr("165.227.88.15"), ServerPort: 53, Name: "6dde0175375169c68f.dnsc.r-1x.com", RawName: "6dde0175375169c68f.dnsc.r-1x.com",
			Type: TypeTXT, Class: ClassIN, RCode: RCodeNoError, Answers: []Answer{{Data: "TXT 18 302f017537c68f5169", TTL: 60, HasTTL: true}}, Format: FormatZeekJSON},
	}
	got := []Event{
		first("rita_proxy_dns.log"),
		first("rita_missing_host_2024-04-19_dns.12_00_00-13_00_00.log.gz"),
		first("rita_json_with_all_fields_dns.log"),
	}
	if diff := cmp.Diff(want, got, append(cmpEvents, cmpopts.IgnoreFields(Event{}, "Pos"))...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// checkZeekName compares the query-name fast path with the general one.
func checkZeekName(t *testing.T, b []byte, quoted bool) {
	t.Helper()
	res := func(general bool) []any {
		var in interner
		d := zeekCommon{cfg: &decodeConfig{loc: time.UTC, intern: in.intern}}
		q := zval{b: b, off: 3, set: true, quoted: quoted}
		var ev Event
		var err error
		if general {
			err = d.nameGeneral(&q, &ev)
		} else {
			err = d.name(&q, &ev)
		}
		return []any{ev.Name, ev.RawName, fmt.Sprint(err)}
	}
	if diff := cmp.Diff(res(true), res(false)); diff != "" {
		t.Fatalf("name(%q, quoted %v) (-general +fast):\n%s", b, quoted, diff)
	}
}

func TestZeekNameFast(t *testing.T) {
	extra := []string{`a\x20b`, `a\x41`, `A\u0041`, `a\\x41`, `x\xZZ`, `a\`, `\x2e`, "a\\x2e.b", `\u0000`}
	for _, s := range append(trickyNames, extra...) {
		for _, quoted := range []bool{false, true} {
			checkZeekName(t, []byte(s), quoted)
		}
	}
}

func FuzzZeekName(f *testing.F) {
	for _, s := range trickyNames {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`a\x20b.example`), false)
	f.Add([]byte(`A\u0041.example`), true)
	f.Fuzz(func(t *testing.T, b []byte, quoted bool) { checkZeekName(t, b, quoted) })
}
