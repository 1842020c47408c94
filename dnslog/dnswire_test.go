package dnslog

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// tbReadAll reads input as format f through a lenient Reader and
// returns the events and the skipped-line errors.
func tbReadAll(t *testing.T, f Format, input string) ([]Event, []error) {
	t.Helper()
	r := NewReader(strings.NewReader(input))
	r.Format = f
	r.Lenient = true
	r.MaxErrors = 1000
	r.Year = 2024
	var evs []Event
	for {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		evs = append(evs, ev)
	}
	return evs, r.Errors()
}

// tbCorpusPath returns a file of the real-data corpus, skipping the test
// when DNSNEXUS_CORPUS is unset.
func tbCorpusPath(t *testing.T, parts ...string) string {
	t.Helper()
	root := os.Getenv("DNSNEXUS_CORPUS")
	if root == "" {
		t.Skip("DNSNEXUS_CORPUS is not set")
	}
	return filepath.Join(append([]string{root, "dnslog"}, parts...)...)
}

// tbCorpus reads a corpus file with the given format, lenient, and
// checks the event and skipped counts.
func tbCorpus(t *testing.T, f Format, wantEvents, wantSkipped int, parts ...string) ([]Event, []error) {
	t.Helper()
	name := tbCorpusPath(t, parts...)
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := NewReader(fh)
	r.Format = f
	r.File = filepath.Base(name)
	r.Lenient = true
	r.Year = 2024
	var evs []Event
	for ev, err := range r.All() {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		evs = append(evs, ev)
	}
	if len(evs) != wantEvents || r.Skipped() != int64(wantSkipped) {
		t.Errorf("%s: %d events, %d skipped; want %d, %d; errors: %v", name, len(evs), r.Skipped(), wantEvents, wantSkipped, r.Errors())
	}
	return evs, r.Errors()
}

// tbErr is the comparable essence of a *ParseError for tests.
type tbErr struct {
	Line  int64
	Col   int
	Cause error
}

func tbErrs(t *testing.T, errs []error) []tbErr {
	t.Helper()
	var out []tbErr
	for _, e := range errs {
		var pe *ParseError
		if !errors.As(e, &pe) {
			t.Fatalf("error %v is not a *ParseError", e)
		}
		var cause error
		for _, c := range []error{ErrTime, ErrAddr, ErrName, ErrType, ErrField, ErrTruncated, ErrLineTooLong} {
			if errors.Is(e, c) {
				cause = c
				break
			}
		}
		out = append(out, tbErr{pe.Line, pe.Column, cause})
	}
	return out
}

var tbErrCmp = cmp.Comparer(func(a, b error) bool { return a == b })

func tbTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

func tbAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// tbSpec returns the registered spec of format f.
func tbSpec(t testing.TB, f Format) *formatSpec {
	t.Helper()
	for i := range formats {
		if formats[i].name == f {
			return &formats[i]
		}
	}
	t.Fatalf("format %q is not registered", f)
	return nil
}

// tbFuzzLines feeds every line of data to a fresh decoder of format f and
// checks the decoder contract: no panic, errors are fieldErrors with a
// column inside the line (or just past it), events have a valid name, a
// time and a client or server unless the format logs none.
func tbFuzzLines(t *testing.T, f Format, data []byte) {
	spec := tbSpec(t, f)
	var in interner
	c := &decodeConfig{loc: time.UTC, year: 2024, intern: in.intern}
	dec := spec.newLine(c)
	pend, _ := dec.(pendingDecoder)
	check := func(ev *Event) {
		if ev.Time.IsZero() {
			t.Errorf("event without time: %+v", ev)
		}
		if !tbNameOK(ev.Name) {
			t.Errorf("event name %q is not normalised", ev.Name)
		}
		if ev.Time.Location() != time.UTC {
			t.Errorf("time %v is not UTC", ev.Time)
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		ev := Event{RCode: RCodeUnknown}
		ok, err := dec.decode([]byte(line), &ev)
		if err != nil {
			var fe *fieldError
			if !errors.As(err, &fe) {
				t.Fatalf("decode(%q): error %v is not a fieldError", line, err)
			}
			if fe.col < 1 || fe.col > len(line)+1 {
				t.Fatalf("decode(%q): column %d outside the line", line, fe.col)
			}
			if ok {
				t.Fatalf("decode(%q): event and error", line)
			}
		}
		if ok {
			check(&ev)
		}
		for pend != nil {
			ev := Event{RCode: RCodeUnknown}
			if !pend.pop(&ev, false) {
				break
			}
			check(&ev)
		}
	}
	for pend != nil {
		ev := Event{RCode: RCodeUnknown}
		if !pend.pop(&ev, true) {
			break
		}
		check(&ev)
	}
}

// tbSniffAll scores lines with every format of this file's family and
// returns the best-scoring one.
func tbSniffBest(lines []string) (Format, int) {
	var bl [][]byte
	for _, l := range lines {
		bl = append(bl, []byte(l))
	}
	best, score := Format(""), 0
	for i := range formats {
		f := &formats[i]
		if s := f.score(bl, nil); s > score {
			best, score = f.name, s
		}
	}
	return best, score
}

// tbOpts compares events: addresses by value.
var tbOpts = cmpopts.EquateComparable(netip.Addr{})

// tbReader returns a lenient Reader of input forced to format f.
func tbReader(input string, f Format) *Reader {
	r := NewReader(strings.NewReader(input))
	r.Format = f
	r.Lenient = true
	r.MaxErrors = 1000
	r.Year = 2024
	return r
}

// tbCollect reads r to its end.
func tbCollect(t *testing.T, r *Reader) ([]Event, []error) {
	t.Helper()
	var evs []Event
	for ev, err := range r.All() {
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		evs = append(evs, ev)
	}
	return evs, r.Errors()
}

// tbName encodes a dotted name in wire form (no compression).
func tbName(name string) []byte {
	var b []byte
	for l := range strings.SplitSeq(strings.TrimSuffix(name, "."), ".") {
		if l == "" {
			continue
		}
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

// tbRR is an answer record for tbMsg; a nil Owner means a pointer to the
// question name.
type tbRR struct {
	Owner []byte
	Type  uint16
	TTL   uint32
	Data  []byte
}

// tbMsg builds a DNS message: header, one question, answers, and extra
// additional records.
func tbMsg(flags uint16, qname string, qtype uint16, answers []tbRR, additional ...tbRR) []byte {
	b := binary.BigEndian.AppendUint16(nil, 0x1234)
	b = binary.BigEndian.AppendUint16(b, flags)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(answers)))
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(additional)))
	b = append(b, tbName(qname)...)
	b = binary.BigEndian.AppendUint16(b, qtype)
	b = binary.BigEndian.AppendUint16(b, 1)
	for _, rr := range append(answers, additional...) {
		if rr.Owner == nil {
			b = append(b, 0xc0, 12)
		} else {
			b = append(b, rr.Owner...)
		}
		b = binary.BigEndian.AppendUint16(b, rr.Type)
		class := uint16(1)
		if rr.Type == 41 {
			class = 1232
		}
		b = binary.BigEndian.AppendUint16(b, class)
		b = binary.BigEndian.AppendUint32(b, rr.TTL)
		b = binary.BigEndian.AppendUint16(b, uint16(len(rr.Data)))
		b = append(b, rr.Data...)
	}
	return b
}

func TestWireDecode(t *testing.T) {
	mx := append([]byte{0, 10}, 0xc0, 12) // 10 <question name>
	txt := []byte("\x05hello\x08a \"b\" \\c")
	resp := tbMsg(0x8183, "WWW.Example.org", 1, []tbRR{
		{Type: 5, TTL: 300, Data: append([]byte("\x03cdn"), 0xc0, 16)}, // cdn.example.org via a pointer
		{Owner: tbName("cdn.example.org"), Type: 1, TTL: 60, Data: []byte{192, 0, 2, 1}},
		{Type: 28, TTL: 60, Data: tbAddr("2001:db8::1").AsSlice()},
		{Type: 15, TTL: 1, Data: mx},
		{Type: 16, TTL: 2, Data: txt},
		{Type: 99, TTL: 3, Data: []byte{0xab, 0x01}},
		{Type: 12, TTL: 4, Data: tbName("a\\.b.example")},
	}, tbRR{Owner: []byte{0}, Type: 41, TTL: 1 << 24, Data: nil}) // extended rcode 1<<4 | 3
	var w wireDecoder
	var in interner
	ev := Event{RCode: RCodeUnknown}
	if err := w.decode(resp, in.intern, &ev, true); err != nil {
		t.Fatal(err)
	}
	want := Event{
		Name: "www.example.org", RawName: "WWW.Example.org.", Type: TypeA, Class: ClassIN, RCode: 19,
		Answers: []Answer{
			{Data: "cdn.example.org", Type: TypeCNAME, TTL: 300, HasTTL: true},
			{Data: "192.0.2.1", Type: TypeA, TTL: 60, HasTTL: true},
			{Data: "2001:db8::1", Type: TypeAAAA, TTL: 60, HasTTL: true},
			{Data: "10 www.example.org", Type: TypeMX, TTL: 1, HasTTL: true},
			{Data: `"hello" "a \"b\" \\c"`, Type: TypeTXT, TTL: 2, HasTTL: true},
			{Data: `\# 2 ab01`, Type: 99, TTL: 3, HasTTL: true},
			{Data: `a\\.b.example`, Type: TypePTR, TTL: 4, HasTTL: true},
		},
	}
	if diff := cmp.Diff(want, ev, tbOpts); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}

	// A query: no rcode, no answers.
	ev = Event{RCode: RCodeUnknown}
	if err := w.decode(tbMsg(0x0100, "q.example", 28, nil), in.intern, &ev, true); err != nil {
		t.Fatal(err)
	}
	if want := (Event{Name: "q.example", RawName: "q.example.", Type: TypeAAAA, Class: ClassIN, RCode: RCodeUnknown}); !cmp.Equal(want, ev, tbOpts) {
		t.Errorf("query: %s", cmp.Diff(want, ev, tbOpts))
	}

	selfLoop := tbMsg(0x8180, "a.example", 1, nil)
	selfLoop = append(selfLoop[:12], 0xc0, 12) // the question name points at itself
	forwardPtr := tbMsg(0x8180, "a.example", 1, nil)
	forwardPtr = append(forwardPtr[:12], 0xc0, 14, 0, 0, 1, 0, 1)
	// An answer owner that points forward.
	pingPong := tbMsg(0x8180, "a.example", 1, []tbRR{{Owner: []byte{0xc0, 0x20}, Type: 1, Data: []byte{1, 2, 3, 4}}})
	pingPong = append(pingPong, 0xc0, byte(len(pingPong)))
	badLabel := tbMsg(0x8180, "a.example", 1, nil)
	badLabel[12] = 0x41
	longName := tbMsg(0x8180, strings.Repeat("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz.", 5), 1, nil)
	for _, c := range []struct {
		name string
		msg  []byte
		want error
	}{
		{"short header", []byte{1, 2, 3}, errWireShort},
		{"no question", make([]byte, 12), errWireNoQ},
		{"cut question", tbMsg(0, "a.example", 1, nil)[:20], errWireShort},
		{"cut type", tbMsg(0, "a.example", 1, nil)[:25], errWireShort},
		{"self pointer", selfLoop, errWireName},
		{"forward pointer", forwardPtr, errWireName},
		{"forward pointer in an answer", pingPong, errWireName},
		{"label type 01", badLabel, errWireName},
		{"name over 255", longName, errWireName},
		{"cut answer", tbMsg(0x8180, "a.example", 1, []tbRR{{Type: 1, Data: []byte{1, 2, 3, 4}}})[:35], errWireShort},
		{"cut rdata", tbMsg(0x8180, "a.example", 1, []tbRR{{Type: 1, Data: []byte{1, 2, 3, 4}}})[:40], errWireShort},
		{"bad CNAME", tbMsg(0x8180, "a.example", 1, []tbRR{{Type: 5, Data: []byte{3, 'a'}}}), errWireShort},
	} {
		ev := Event{RCode: RCodeUnknown}
		if err := w.decode(c.msg, in.intern, &ev, true); err != c.want {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

func FuzzWire(f *testing.F) {
	f.Fuzz(func(t *testing.T, msg []byte) {
		var w wireDecoder
		var in interner
		ev := Event{RCode: RCodeUnknown}
		if err := w.decode(msg, in.intern, &ev, true); err != nil {
			return
		}
		if !tbNameOK(ev.Name) {
			t.Errorf("name %q is not normalised", ev.Name)
		}
		if len(ev.Answers) > wireMaxAnswers {
			t.Errorf("%d answers kept", len(ev.Answers))
		}
	})
}

// tbNameOK reports whether name looks normalised: printable ASCII without
// upper case or spaces, and either the root or without a trailing
// (unescaped) dot.
func tbNameOK(name string) bool {
	if name == "." {
		return true
	}
	if name == "" || strings.HasSuffix(name, ".") && !strings.HasSuffix(name, `\.`) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// TestDetectCorpusFormatsB checks that auto-detection picks the right
// format for each real sample of the CoreDNS, PowerDNS, Technitium,
// AdGuard Home and Umbrella formats.
func TestDetectCorpusFormatsB(t *testing.T) {
	for _, c := range []struct {
		want  Format
		parts []string
	}{
		{FormatCoreDNS, []string{"coredns", "elastic_test-coredns.log"}},
		{FormatCoreDNS, []string{"coredns", "elastic_test-coredns-json.log"}},
		{FormatPowerDNS, []string{"powerdns", "extracted_examples.log"}},
		{FormatTechnitium, []string{"technitium", "extracted_examples.log"}},
		{FormatAdGuard, []string{"adguardhome", "decode_test_examples.jsonl"}},
		{FormatCSV, []string{"csv", "cisco_umbrella_test-umbrella-dnslogs.log"}},
	} {
		f, err := os.Open(tbCorpusPath(t, c.parts...))
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(f)
		r.Lenient = true
		if _, err := r.Read(); err != nil {
			t.Errorf("%s: %v", c.parts[1], err)
		}
		if got := r.DetectedFormat(); got != c.want {
			t.Errorf("%s/%s: detected %q, want %q", c.parts[0], c.parts[1], got, c.want)
		}
		f.Close()
	}
}

// tbBenchInput generates n log lines (or dnstap frames) of format f from
// a fixed seed, with 1000 distinct names and 200 clients.
func tbBenchInput(f string, n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	var payloads [][]byte
	base := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		ts := base.Add(time.Duration(i) * 37 * time.Millisecond)
		name := fmt.Sprintf("host%d.zone%d.example.com", rng.IntN(1000), rng.IntN(7))
		client := fmt.Sprintf("10.0.%d.%d", rng.IntN(4), rng.IntN(50))
		port := 1024 + rng.IntN(60000)
		switch f {
		case "coredns":
			fmt.Fprintf(&b, "%s [INFO] %s:%d - %d \"A IN %s. udp 51 false 512\" NOERROR qr,rd,ra 106 0.000143s\n",
				ts.Format(time.RFC3339Nano), client, port, i&0xffff, name)
		case "coredns-json":
			fmt.Fprintf(&b, `{"log":"[INFO] %s:%d - %d \"A IN %s. udp 51 false 512\" NOERROR qr,rd,ra 106 0.000143s\n","stream":"stdout","time":"%s"}`+"\n",
				client, port, i&0xffff, name, ts.Format(time.RFC3339Nano))
		case "powerdns":
			sec := float64(ts.UnixMilli()) / 1000
			fmt.Fprintf(&b, `msg="Question" subsystem="syncres" level="0" prio="Info" tid="1" ts="%.3f" ecs="" mtid="0" proto="udp" qname="%s" qtype="A" remote="%s:%d"`+"\n", sec, name, client, port)
			fmt.Fprintf(&b, `msg="Answer" subsystem="syncres" level="0" prio="Info" tid="1" ts="%.3f" answers="1" qname="%s" qtype="A" rcode="0" remote="%s:%d" totms="1.5"`+"\n", sec+0.002, name, client, port)
		case "technitium":
			fmt.Fprintf(&b, "[%s UTC] [%s:%d] [UDP] QNAME: %s; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: [192.0.2.%d]\n",
				ts.Format(time.DateTime), client, port, name, rng.IntN(250))
		case "adguard":
			msg := tbMsg(0x8180, name, 1, []tbRR{{Type: 1, TTL: 300, Data: []byte{192, 0, 2, byte(rng.IntN(250))}}})
			fmt.Fprintf(&b, `{"IP":"%s","T":"%s","QH":"%s","QT":"A","QC":"IN","CP":"","Answer":"%s","Result":{},"Elapsed":12345,"Upstream":"tls://dns.example"}`+"\n",
				client, ts.Format(time.RFC3339Nano), name, base64.StdEncoding.EncodeToString(msg))
		case "csv":
			fmt.Fprintf(&b, `"%s","Lab PC","Lab PC,Site A","%s","203.0.113.9","Allowed","1 (A)","NOERROR","%s.","Application,Infrastructure","AD Users","AD Users,Sites",""`+"\n",
				ts.Format(time.DateTime), client, name)
		case "dnstap":
			c := netip.MustParseAddr(client).AsSlice()
			payloads = append(payloads, tbTap{Type: 5, QAddr: c, QPort: uint64(port), RAddr: []byte{192, 0, 2, 53}, RPort: 53,
				Sec: uint64(ts.Unix()), Nsec: uint32(ts.Nanosecond()), Query: tbMsg(0x0100, name, 1, nil)}.encode())
		}
	}
	if f == "dnstap" {
		return tbFrames(payloads...)
	}
	return b.Bytes()
}

// BenchmarkFormatsB reads generated input through the Reader, one format
// at a time (forced, sequential).
func BenchmarkFormatsB(b *testing.B) {
	for _, c := range []struct {
		name string
		f    Format
	}{
		{"coredns", FormatCoreDNS}, {"coredns-json", FormatCoreDNS}, {"powerdns", FormatPowerDNS},
		{"technitium", FormatTechnitium}, {"adguard", FormatAdGuard}, {"csv", FormatCSV}, {"dnstap", FormatDnstap},
	} {
		b.Run(c.name, func(b *testing.B) {
			const n = 20000
			input := tbBenchInput(c.name, n)
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			events := 0
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				r := NewReader(bytes.NewReader(input))
				r.Format = c.f
				for {
					_, err := r.Read()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					events++
				}
			}
			if events != n*b.N {
				b.Fatalf("%d events, want %d", events, n*b.N)
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			runtime.ReadMemStats(&ms1)
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(events), "allocs/event")
		})
	}
}

// TestParallelFormatsB checks that the formats marked parallel decode the
// same events in chunks as in one pass.
func TestParallelFormatsB(t *testing.T) {
	for _, c := range []struct {
		name string
		f    Format
	}{{"coredns", FormatCoreDNS}, {"coredns-json", FormatCoreDNS}, {"technitium", FormatTechnitium}, {"adguard", FormatAdGuard}} {
		const n = 12000 // over 1 MB: several chunks
		input := tbBenchInput(c.name, n)
		read := func(par int) []Event {
			r := NewReader(bytes.NewReader(input))
			r.Format = c.f
			r.Parallel = par
			evs, errs := tbCollect(t, r)
			if len(errs) != 0 {
				t.Fatalf("%s: %v", c.name, errs[0])
			}
			return evs
		}
		seq, par := read(0), read(2)
		if len(seq) != n {
			t.Errorf("%s: %d events, want %d", c.name, len(seq), n)
		}
		if cmp.Equal(seq, par, tbOpts) {
			continue
		}
		if diff := cmp.Diff(seq, par, tbOpts); diff != "" {
			t.Errorf("%s: parallel differs (-sequential +parallel):\n%s", c.name, diff)
		}
	}
}
