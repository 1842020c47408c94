package dnslog

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() {
	// The package's golden-file flag; defined here unless another test
	// file already did.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

// Values for each Zeek column: the first of each pair are well-formed,
// the second odd or bad forms the decoder must keep handling as it does
// (the golden files pin what it makes of every one).
var (
	trickyTS = [2][]string{{"1521911720.070000", "1521911720", "1521911720.123456789", "1521911720.5", "1521911721.000001"},
		{"1521911720.1234567891234", "1521911720.", ".5", "1.5e9", "1521911720.5x", "2018-03-24T17:15:20.5Z",
			"2018-03-24 17:15:20", "99999999999", "9200000000", "9200000001", "0", "00001521911720.25", "+1521911720",
			"-1", "", "abc", "1521911720.0000005", "922337203685477580712", "1521911720.999999999", "1e400", "0x10"}}
	trickyAddr = [2][]string{{"10.0.0.1", "192.168.1.254", "172.16.5.4", "8.8.8.8", "2001:db8::1"},
		{"0.0.0.0", "255.255.255.255", "192.168.001.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.",
			".1.2.3", "0.1.2.3", "1.02.3.4", "1.2.3.400", "fe80::1%eth0", "::ffff:1.2.3.4", "::", "10.0.0.1 ", "x",
			"", "1234.1.1.1", "9.9.9.9", "1.2.3.4:53", "01.2.3.4", "1.2.3.04", "00.1.1.1", "1.1.1.255"}}
	trickyPort  = [2][]string{{"53", "5353", "40000"}, {"0", "65535", "65536", "x", "00053", "", "123456789012345678901"}}
	trickyQuery = [2][]string{{"www.example.com", "host1.example.org", "_ldap._tcp.dc._msdcs.example.org", "q"},
		{"WWW.Example.COM.", "www.example.com.", ".", "a..b", ".a", "a..", "a\\x20b.local", "svc [aa:bb].local",
			"bücher.example", "B\xc3\xbcCHER.example", "\xff\xfe", "a\\x2eb", "a\\\\b", "x\\xZZ.example",
			"a~b!c.example", "\x7f.example", "mIxEd.CaSe", "a\\x41.example", "xn--bcher-kva.example", "ab\x01cd",
			"Z", "a\\x2", "-.", "a.-", "trailing\\"}}
	trickyClass     = [2][]string{{"1"}, {"255", "65536", "x", ""}}
	trickyClassName = [2][]string{{"C_INTERNET"}, {"IN", "CH", "bogus"}}
	trickyType      = [2][]string{{"1", "28", "16"}, {"65535", "65536", "x"}}
	trickyTypeName  = [2][]string{{"A", "AAAA", "TXT"}, {"*", "bogus", "TYPE65"}}
	trickyRCode     = [2][]string{{"0", "3"}, {"4095", "4096", "x"}}
	trickyRCodeName = [2][]string{{"NOERROR", "NXDOMAIN"}, {"bogus", "SERVFAIL"}}
	trickyAnswers   = [2][]string{{"192.0.2.1", "a.example,192.0.2.1", "host.example"},
		{"A.EXAMPLE.", "TXT with space", "x\\x2cy,z", ",", "a,,b", "2001:db8::1", "Mixed.Case.", ".", "a\\x20b"}}
	trickyTTLs = [2][]string{{"60.000000", "300.000000,30.000000"},
		{"60.5,30", "1.4", "x", "4294967295.9", "4294967296", "0.5", "", "7,8,9", "1.x"}}
)

// trickyZeekTSV generates Zeek TSV input: header blocks with different
// separators, markers and column sets, and rows drawn from the tricky
// values, some with a field too many or too few.
func trickyZeekTSV(n int) []byte {
	rng := rand.New(rand.NewPCG(3, 5))
	pick := func(vals [2][]string) string {
		k := 0
		if rng.IntN(14) == 0 {
			k = 1
		}
		return vals[k][rng.IntN(len(vals[k]))]
	}
	var b bytes.Buffer
	type block struct {
		sepEsc, sep, unset, empty, setSep string
		fields                            []string
	}
	blocks := []block{
		{`\x09`, "\t", "-", "(empty)", ",", zeekFields},
		{`\x09`, "\t", "-", "(empty)", ",", []string{"ts", "id.orig_h", "id.orig_p", "query", "qtype_name", "qclass_name", "rcode_name", "answers", "TTLs"}},
		{`\x20`, " ", "-", "(empty)", ",", []string{"query", "ts", "id.resp_h", "id.orig_h", "qtype", "rcode"}},
		{`\x2c\x2c`, ",,", "NULL", "(none)", "|", []string{"ts", "id.orig_h", "id.resp_h", "id.resp_p", "query", "answers", "TTLs", "qtype"}},
	}
	for i := range n {
		if i%(n/8) == 0 {
			k := blocks[rng.IntN(len(blocks))]
			fmt.Fprintf(&b, "#separator %s\n#set_separator%s%s\n#empty_field%s%s\n#unset_field%s%s\n#path%sdns\n#fields%s%s\n",
				k.sepEsc, k.sep, k.setSep, k.sep, k.empty, k.sep, k.unset, k.sep, k.sep, strings.Join(k.fields, k.sep))
			blocks = append(blocks[:0:0], blocks...)
			blocks[0], blocks[len(blocks)-1] = k, blocks[0]
		}
		k := blocks[0]
		var row []string
		for _, f := range k.fields {
			var v string
			switch f {
			case "ts":
				v = pick(trickyTS)
			case "id.orig_h", "id.resp_h":
				v = pick(trickyAddr)
			case "id.orig_p", "id.resp_p":
				v = pick(trickyPort)
			case "query":
				v = pick(trickyQuery)
			case "qclass":
				v = pick(trickyClass)
			case "qclass_name":
				v = pick(trickyClassName)
			case "qtype":
				v = pick(trickyType)
			case "qtype_name":
				v = pick(trickyTypeName)
			case "rcode":
				v = pick(trickyRCode)
			case "rcode_name":
				v = pick(trickyRCodeName)
			case "answers":
				v = strings.ReplaceAll(pick(trickyAnswers), ",", k.setSep)
			case "TTLs":
				v = strings.ReplaceAll(pick(trickyTTLs), ",", k.setSep)
			default:
				v = "C" + strconv.Itoa(rng.IntN(1000))
			}
			switch r := rng.IntN(20); {
			case r == 0:
				v = k.unset
			case r == 1:
				v = k.empty
			case r < 6 && f != "ts" && f != "id.orig_h":
				v = k.unset
			}
			if k.sep == " " {
				v = strings.ReplaceAll(v, " ", `\x20`)
			}
			row = append(row, v)
		}
		switch rng.IntN(40) {
		case 0:
			row = row[:len(row)-1]
		case 1:
			row = append(row, "extra")
		}
		b.WriteString(strings.Join(row, k.sep))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// trickyZeekJSON generates Zeek JSON lines from the tricky values, with
// members left out, null, repeated, escaped or of the wrong kind.
func trickyZeekJSON(n int) []byte {
	rng := rand.New(rand.NewPCG(4, 6))
	pick := func(vals [2][]string) string {
		k := 0
		if rng.IntN(14) == 0 {
			k = 1
		}
		return vals[k][rng.IntN(len(vals[k]))]
	}
	str := func(s string) string {
		if rng.IntN(8) == 0 && len(s) > 0 {
			return `"\u00` + strconv.FormatInt(int64(s[0]), 16) + s[1:] + `"`
		}
		return strconv.Quote(s)
	}
	list := func(vals [2][]string, sep string, quote bool) string {
		var items []string
		for v := range strings.SplitSeq(pick(vals), sep) {
			if quote {
				v = str(v)
			}
			items = append(items, v)
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	var b bytes.Buffer
	for range n {
		var m []string
		add := func(k, v string) {
			if rng.IntN(25) == 0 {
				v = "null"
			}
			if rng.IntN(30) != 0 {
				m = append(m, strconv.Quote(k)+":"+v)
			}
		}
		ts := pick(trickyTS)
		if _, err := strconv.ParseFloat(ts, 64); err == nil && rng.IntN(3) > 0 {
			add("ts", ts)
		} else {
			add("ts", str(ts))
		}
		add("uid", str("C1"))
		add("id.orig_h", str(pick(trickyAddr)))
		add("id.orig_p", pick(trickyPort))
		add("id.resp_h", str(pick(trickyAddr)))
		add("id.resp_p", pick(trickyPort))
		add("query", str(pick(trickyQuery)))
		add("qtype", pick(trickyType))
		add("qtype_name", str(pick(trickyTypeName)))
		add("rcode_name", str(pick(trickyRCodeName)))
		switch rng.IntN(4) {
		case 0:
			add("answers", str(pick(trickyAnswers)))
		default:
			add("answers", list(trickyAnswers, ",", true))
		}
		add("TTLs", list(trickyTTLs, ",", rng.IntN(4) == 0))
		if rng.IntN(10) == 0 {
			add("answers", list(trickyAnswers, ",", true))
		}
		if rng.IntN(10) == 0 {
			add("TTLs", list(trickyTTLs, ",", false))
		}
		if rng.IntN(20) == 0 {
			add("_path", str("conn"))
		}
		b.WriteString("{" + strings.Join(m, ",") + "}\n")
	}
	return b.Bytes()
}

// decodeReport decodes every line of in with one decoder of format name
// and writes what became of each line: the event's fields or the error
// with its column.
func decodeReport(name Format, in []byte) []byte {
	var it interner
	cfg := decodeConfig{loc: time.UTC, intern: it.intern}
	d := lookupFormat(name).newLine(&cfg)
	var out bytes.Buffer
	for i, line := range bytes.Split(in, []byte("\n")) {
		ev := Event{RCode: RCodeUnknown}
		ok, err := d.decode(line, &ev)
		fmt.Fprintf(&out, "%d ", i+1)
		var fe *fieldError
		switch {
		case errors.As(err, &fe):
			fmt.Fprintf(&out, "error col %d: %v\n", fe.col, err)
		case err != nil:
			fmt.Fprintf(&out, "error: %v\n", err)
		case !ok:
			out.WriteString("-\n")
		default:
			fmt.Fprintf(&out, "%s %v:%d %v:%d %q %q %v %v %v", ev.Time.Format(time.RFC3339Nano), ev.Client, ev.ClientPort,
				ev.Server, ev.ServerPort, ev.Name, ev.RawName, ev.Type, ev.Class, ev.RCode)
			for _, a := range ev.Answers {
				fmt.Fprintf(&out, " [%q %v %d %v]", a.Data, a.Type, a.TTL, a.HasTTL)
			}
			if ev.Answers != nil {
				fmt.Fprintf(&out, " (%d answers)", len(ev.Answers))
			}
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// TestZeekGolden decodes generated Zeek TSV and JSON input full of odd
// values and compares what becomes of each line with the golden files
// (refresh them with -update only when a change of results is meant).
func TestZeekGolden(t *testing.T) {
	for _, c := range []struct {
		format Format
		in     []byte
		golden string
	}{
		{FormatZeek, trickyZeekTSV(4000), "zeek_tsv.golden"},
		{FormatZeekJSON, trickyZeekJSON(2000), "zeek_json.golden"},
	} {
		got := decodeReport(c.format, c.in)
		name := filepath.Join("testdata", "golden", c.golden)
		if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", name, diff)
		}
	}
}
