package synth

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// handEvents are a few events written by hand for the golden files.
func handEvents() []Event {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	c4, c6 := netip.MustParseAddr("192.0.2.17"), netip.MustParseAddr("2001:db8:0:7::1")
	return []Event{
		{Time: at("2026-03-02T09:15:04.250123456Z"), Client: c4, Server: Resolver4, Name: "www.d0042.example", Type: TypeA, TTL: 300, Label: Human},
		{Time: at("2026-03-02T09:15:04.281999999Z"), Client: c4, Server: Resolver4, Name: "www.d0042.example", Type: TypeAAAA, TTL: 300, Label: Artefact},
		{Time: at("2026-03-02T09:20:00Z"), Client: c6, Server: Resolver6, Name: "api.d0007.test", Type: TypeA, TTL: 30, Label: Periodic},
		{Time: at("2026-12-31T23:59:59.999999999Z"), Client: c6, Server: Resolver6b, Name: "api.d0007.test", Type: TypeA, TTL: 30, Label: Periodic},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
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

func TestWritersGolden(t *testing.T) {
	var r, z bytes.Buffer
	if err := WriteResearch(&r, handEvents()); err != nil {
		t.Fatal(err)
	}
	if err := WriteZeek(&z, handEvents()); err != nil {
		t.Fatal(err)
	}
	golden(t, "research.golden", r.Bytes())
	golden(t, "zeek.golden", z.Bytes())
}

// record is what the formats carry of an event.
type record struct {
	Time   time.Time
	Client netip.Addr
	Server netip.Addr
	Name   string
	Type   uint16
	TTL    uint32
}

// parseResearch reads the research format back, independently of the
// writer.
func parseResearch(t *testing.T, data []byte) []record {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	var out []record
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if sc.Text() != ResearchHeader {
				t.Fatalf("header %q", sc.Text())
			}
			continue
		}
		f := strings.Split(sc.Text(), " | ")
		if len(f) != 3 {
			t.Fatalf("line %d: %d fields: %q", line, len(f), sc.Text())
		}
		ts, err := time.Parse("2006-01-02T15:04:05.000Z07:00", f[0])
		if err != nil || len(f[0]) != len("2006-01-02T15:04:05.000Z") {
			t.Fatalf("line %d: time %q: %v", line, f[0], err)
		}
		a, err := netip.ParseAddr(f[2])
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		out = append(out, record{Time: ts, Client: a, Name: f[1]})
	}
	return out
}

// parseZeek reads a Zeek dns.log back, independently of the writer, and
// checks its header.
func parseZeek(t *testing.T, data []byte) []record {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	var fields []string
	var out []record
	closed := false
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if strings.HasPrefix(s, "#") {
			switch {
			case s == `#separator \x09`:
			case strings.HasPrefix(s, "#fields\t"):
				fields = strings.Split(s, "\t")[1:]
			case strings.HasPrefix(s, "#types\t"):
				if n := len(strings.Split(s, "\t")) - 1; n != len(fields) {
					t.Fatalf("%d types for %d fields", n, len(fields))
				}
			case strings.HasPrefix(s, "#close\t"):
				closed = true
			}
			continue
		}
		if closed {
			t.Fatalf("line %d after #close", line)
		}
		f := strings.Split(s, "\t")
		if len(f) != len(fields) || len(fields) != 24 {
			t.Fatalf("line %d: %d fields, header has %d", line, len(f), len(fields))
		}
		col := func(name string) string {
			for i, n := range fields {
				if n == name {
					return f[i]
				}
			}
			t.Fatalf("no field %s", name)
			return ""
		}
		sec, frac, ok := strings.Cut(col("ts"), ".")
		if !ok || len(frac) != 6 {
			t.Fatalf("line %d: ts %q", line, col("ts"))
		}
		si, err1 := strconv.ParseInt(sec, 10, 64)
		us, err2 := strconv.ParseInt(frac, 10, 64)
		qt, err3 := strconv.ParseUint(col("qtype"), 10, 16)
		ttl, err4 := strconv.ParseFloat(col("TTLs"), 64)
		c, err5 := netip.ParseAddr(col("id.orig_h"))
		srv, err6 := netip.ParseAddr(col("id.resp_h"))
		_, err7 := netip.ParseAddr(col("answers"))
		if err := errors.Join(err1, err2, err3, err4, err5, err6, err7); err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		if col("uid")[0] != 'C' || len(col("uid")) != 18 || col("id.resp_p") != "53" || col("rcode_name") != "NOERROR" {
			t.Fatalf("line %d: %q", line, s)
		}
		if name := map[string]string{"1": "A", "28": "AAAA"}[col("qtype")]; name != col("qtype_name") {
			t.Fatalf("line %d: qtype %s named %s", line, col("qtype"), col("qtype_name"))
		}
		out = append(out, record{Time: time.Unix(si, us*1000).UTC(), Client: c, Server: srv, Name: col("query"), Type: uint16(qt), TTL: uint32(ttl)})
	}
	if !closed {
		t.Fatal("no #close line")
	}
	return out
}

func TestWritersParseBack(t *testing.T) {
	ev := Labelled(Config{Seed: 5}).Events
	ev = ApplyArtefacts(ev, testRNG(20), Typical)
	var r, z bytes.Buffer
	if err := WriteResearch(&r, ev); err != nil {
		t.Fatal(err)
	}
	if err := WriteZeek(&z, ev); err != nil {
		t.Fatal(err)
	}
	var wantR, wantZ []record
	for _, e := range ev {
		wantR = append(wantR, record{Time: e.Time.Truncate(time.Millisecond), Client: e.Client, Name: e.Name})
		wantZ = append(wantZ, record{Time: e.Time.Truncate(time.Microsecond), Client: e.Client, Server: e.Server, Name: e.Name, Type: e.Type, TTL: e.TTL})
	}
	compareRecords(t, "research", wantR, parseResearch(t, r.Bytes()))
	compareRecords(t, "zeek", wantZ, parseZeek(t, z.Bytes()))
}

// compareRecords diffs the first records that differ (go-cmp over 100,000
// records would be slow).
func compareRecords(t *testing.T, what string, want, got []record) {
	t.Helper()
	addrs := cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
	if len(want) != len(got) {
		t.Errorf("%s: %d records, want %d", what, len(got), len(want))
	}
	for i := range min(len(want), len(got)) {
		w, g := want[i], got[i]
		if !w.Time.Equal(g.Time) || w.Client != g.Client || w.Server != g.Server || w.Name != g.Name || w.Type != g.Type || w.TTL != g.TTL {
			t.Errorf("%s: record %d (-want +got):\n%s", what, i, cmp.Diff(want[i:min(i+3, len(want))], got[i:min(i+3, len(got))], addrs))
			return
		}
	}
}

func TestAppendNumbers(t *testing.T) {
	for _, x := range []uint64{0, 7, 10, 99, 100, 65535, 1<<64 - 1} {
		if got, want := string(appendUint(nil, x)), strconv.FormatUint(x, 10); got != want {
			t.Errorf("appendUint(%d) = %s", x, got)
		}
	}
	for us, want := range map[int64]string{0: "0.000000", 200: "0.000200", 999999: "0.999999", 1e6: "1.000000",
		1772409600123456: "1772409600.123456", -1500000: "-1.500000"} {
		if got := string(appendMicros(nil, us)); got != want {
			t.Errorf("appendMicros(%d) = %s, want %s", us, got, want)
		}
	}
}

func TestAppendRFC3339Milli(t *testing.T) {
	for _, s := range []string{"1970-01-01T00:00:00Z", "2026-03-02T00:00:00Z", "2024-02-29T23:59:59.999999Z",
		"2000-03-01T12:34:56.789Z", "1969-12-31T23:59:59.999Z", "1700-03-01T01:02:03.004Z", "2262-04-11T23:47:16.854Z", "1677-09-21T00:12:43.146Z"} {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		want := tm.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
		if got := string(appendRFC3339Milli(nil, tm.UnixNano())); got != want {
			t.Errorf("%s: got %s, want %s", s, got, want)
		}
	}
}

// FuzzAppendRFC3339Milli checks the hand-written timestamp formatter
// against time.Time.Format over the whole int64 range of Unix nanoseconds
// (years 1677 to 2262).
func FuzzAppendRFC3339Milli(f *testing.F) {
	f.Add(int64(0))
	f.Add(int64(1772409600123456789))
	f.Fuzz(func(t *testing.T, ns int64) {
		// time.Truncate rounds towards the zero time, not towards minus
		// infinity: floor the milliseconds by hand.
		ms := ns / 1e6
		if ns%1e6 < 0 {
			ms--
		}
		tm := time.UnixMilli(ms).UTC()
		want := tm.Format("2006-01-02T15:04:05.000Z")
		if got := string(appendRFC3339Milli(nil, ns)); got != want {
			t.Errorf("%d: got %s, want %s", ns, got, want)
		}
	})
}

func TestStreamOrderAndCount(t *testing.T) {
	for _, f := range []Format{Research, Zeek} {
		cfg := StreamConfig{N: 50_000, Pairs: 2000, Seed: 3, Format: f}
		var b bytes.Buffer
		if err := Stream(context.Background(), cfg, &b); err != nil {
			t.Fatal(err)
		}
		var recs []record
		if f == Zeek {
			recs = parseZeek(t, b.Bytes())
		} else {
			recs = parseResearch(t, b.Bytes())
		}
		if len(recs) != int(cfg.N) {
			t.Fatalf("%v: %d lines, want %d", f, len(recs), cfg.N)
		}
		pairs := map[string]bool{}
		for i, r := range recs {
			if i > 0 && r.Time.Before(recs[i-1].Time) {
				t.Fatalf("%v: line %d at %v before %v", f, i, r.Time, recs[i-1].Time)
			}
			pairs[r.Client.String()+" "+r.Name] = true
		}
		if len(pairs) > cfg.Pairs || len(pairs) < cfg.Pairs/2 {
			t.Errorf("%v: %d distinct pairs, want at most %d and most of them", f, len(pairs), cfg.Pairs)
		}
	}
}

func TestStreamDeterminism(t *testing.T) {
	run := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := Stream(context.Background(), StreamConfig{N: 20_000, Pairs: 500, Seed: seed}, &b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if a, b := run(1), run(1); !bytes.Equal(a, b) {
		t.Error("seed 1 twice: outputs differ")
	}
	if bytes.Equal(run(1), run(2)) {
		t.Error("seeds 1 and 2: identical outputs")
	}
}

// TestStreamTruth checks Pair against the stream itself: over a long run,
// the mean gap of each beacon pair matches its period, the gaps of a
// beacon without missed beats stay within its jitter, and Poisson pairs
// have gap CV near 1.
func TestStreamTruth(t *testing.T) {
	cfg := StreamConfig{N: 200_000, Pairs: 100, Seed: 9, Days: 7}
	var b bytes.Buffer
	if err := Stream(context.Background(), cfg, &b); err != nil {
		t.Fatal(err)
	}
	byPair := map[string][]Event{}
	for _, r := range parseResearch(t, b.Bytes()) {
		k := r.Client.String() + " " + r.Name[strings.IndexByte(r.Name, '.')+1:]
		byPair[k] = append(byPair[k], Event{Time: r.Time})
	}
	checked := 0
	for k := range cfg.Pairs {
		p := cfg.Pair(k)
		ev := byPair[p.Client.String()+" "+p.Domain]
		if len(ev) < 200 {
			continue
		}
		checked++
		g := gapsOf(ev)
		switch p.Scenario {
		case "stream-beacon":
			for _, x := range g {
				if r := x / p.Period.Seconds(); r < 1-p.Jitter-0.01 || r > 1+p.Jitter+0.01 {
					t.Fatalf("pair %d (%v, j=%v): gap %.3f s", k, p.Period, p.Jitter, x)
				}
			}
		case "stream-missed":
			if m := meanOf(g); !within(m, p.Period.Seconds()/(1-p.Missed), 4*math.Sqrt(p.Missed/float64(len(g)))+0.01) {
				t.Errorf("pair %d: mean gap %.2f s, period %v, missed %v", k, m, p.Period, p.Missed)
			}
		case "stream-poisson":
			if cv := cvOf(g); cv < 0.8 || cv > 1.2 {
				t.Errorf("pair %d: Poisson gap CV %.2f", k, cv)
			}
		default:
			t.Fatalf("pair %d: scenario %q", k, p.Scenario)
		}
	}
	if checked < 20 {
		t.Errorf("only %d pairs with 200 events", checked)
	}
}

func TestStreamCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Stream(ctx, StreamConfig{N: 1_000_000}, &countWriter{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestStreamBadConfig(t *testing.T) {
	for _, cfg := range []StreamConfig{
		{Days: 1 << 40},
		{Start: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Start: time.Date(2199, 12, 20, 0, 0, 0, 0, time.UTC)},
	} {
		if err := Stream(context.Background(), cfg, &countWriter{}); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: err = %v, want ErrConfig", cfg, err)
		}
	}
}

func TestDegenerateParameters(t *testing.T) {
	w := Window{Start: DefaultStart, End: DefaultStart.AddDate(0, 0, 1)}
	rng := testRNG(30)
	inf := math.Inf(1)
	var nanProfile Profile
	for i := range nanProfile {
		nanProfile[i] = math.NaN()
	}
	for name, n := range map[string]int{
		"poisson +Inf":   len(Poisson(rng, w, testTarget, inf)),
		"poisson NaN":    len(Poisson(rng, w, testTarget, math.NaN())),
		"poisson 0":      len(Poisson(rng, w, testTarget, 0)),
		"browse +Inf":    len(Browse(rng, w, testTarget, BrowseParams{Profile: OfficeProfile(), Rate: inf})),
		"browse NaN":     len(Browse(rng, w, testTarget, BrowseParams{Profile: nanProfile})),
		"browse zero":    len(Browse(rng, w, testTarget, BrowseParams{})),
		"beacon 0":       len(Beacon(rng, w, testTarget, BeaconParams{})),
		"beacon -1h":     len(Beacon(rng, w, testTarget, BeaconParams{Period: -time.Hour})),
		"no names":       len(Beacon(rng, w, Target{}, BeaconParams{Period: time.Minute})),
		"daily no names": len(Daily(rng, w, Target{}, DailyParams{})),
	} {
		if n != 0 {
			t.Errorf("%s: %d events, want none", name, n)
		}
	}
	// Out-of-range jitter and misses are clamped.
	ev := Beacon(rng, w, testTarget, BeaconParams{Period: time.Hour, Jitter: 7, Missed: 3})
	if len(ev) > 24*10 {
		t.Errorf("clamped beacon: %d events", len(ev))
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range []Format{Research, Zeek} {
		if g, err := ParseFormat(f.String()); err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("bind"); !errors.Is(err, ErrFormat) {
		t.Errorf("ParseFormat(bind): %v, want ErrFormat", err)
	}
}
