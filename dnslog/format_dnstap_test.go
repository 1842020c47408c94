package dnslog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"
)

func init() {
	// The package's golden-file flag; defined here unless another test
	// file already did.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

// tbTap describes one dnstap Message for the generator.
type tbTap struct {
	Type         uint64
	QAddr, RAddr []byte
	QPort, RPort uint64
	Sec          uint64
	Nsec         uint32
	NoTime       bool
	RSec         uint64 // response_time_sec, when not 0
	Query, Resp  []byte
}

// encode returns the protobuf Dnstap payload.
func (m tbTap) encode() []byte {
	var msg []byte
	msg = protowire.AppendTag(msg, 1, protowire.VarintType)
	msg = protowire.AppendVarint(msg, m.Type)
	family := uint64(1)
	if len(m.QAddr) == 16 || len(m.RAddr) == 16 {
		family = 2
	}
	msg = protowire.AppendTag(msg, 2, protowire.VarintType)
	msg = protowire.AppendVarint(msg, family)
	msg = protowire.AppendTag(msg, 3, protowire.VarintType)
	msg = protowire.AppendVarint(msg, 1) // UDP
	if m.QAddr != nil {
		msg = protowire.AppendTag(msg, 4, protowire.BytesType)
		msg = protowire.AppendBytes(msg, m.QAddr)
	}
	if m.RAddr != nil {
		msg = protowire.AppendTag(msg, 5, protowire.BytesType)
		msg = protowire.AppendBytes(msg, m.RAddr)
	}
	if m.QPort != 0 {
		msg = protowire.AppendTag(msg, 6, protowire.VarintType)
		msg = protowire.AppendVarint(msg, m.QPort)
	}
	if m.RPort != 0 {
		msg = protowire.AppendTag(msg, 7, protowire.VarintType)
		msg = protowire.AppendVarint(msg, m.RPort)
	}
	if !m.NoTime {
		msg = protowire.AppendTag(msg, 8, protowire.VarintType)
		msg = protowire.AppendVarint(msg, m.Sec)
		msg = protowire.AppendTag(msg, 9, protowire.Fixed32Type)
		msg = protowire.AppendFixed32(msg, m.Nsec)
	}
	if m.RSec != 0 {
		msg = protowire.AppendTag(msg, 12, protowire.VarintType)
		msg = protowire.AppendVarint(msg, m.RSec)
		msg = protowire.AppendTag(msg, 13, protowire.Fixed32Type)
		msg = protowire.AppendFixed32(msg, 0)
	}
	if m.Query != nil {
		msg = protowire.AppendTag(msg, 10, protowire.BytesType)
		msg = protowire.AppendBytes(msg, m.Query)
	}
	if m.Resp != nil {
		msg = protowire.AppendTag(msg, 14, protowire.BytesType)
		msg = protowire.AppendBytes(msg, m.Resp)
	}
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, []byte("ns1.example"))
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendBytes(b, []byte("test 1.0"))
	b = protowire.AppendTag(b, 15, protowire.VarintType)
	b = protowire.AppendVarint(b, 1) // MESSAGE
	b = protowire.AppendTag(b, 14, protowire.BytesType)
	b = protowire.AppendBytes(b, msg)
	return b
}

// tbControl encodes a Frame Streams control frame (with its escape).
func tbControl(typ uint32, contentType string) []byte {
	body := binary.BigEndian.AppendUint32(nil, typ)
	if contentType != "" {
		body = binary.BigEndian.AppendUint32(body, fstrmFieldContentType)
		body = binary.BigEndian.AppendUint32(body, uint32(len(contentType)))
		body = append(body, contentType...)
	}
	b := binary.BigEndian.AppendUint32(nil, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

// tbFrames encodes a dnstap file: START, one data frame per payload, STOP.
func tbFrames(payloads ...[]byte) []byte {
	b := tbControl(fstrmStart, dnstapContent)
	for _, p := range payloads {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return append(b, tbControl(fstrmStop, "")...)
}

// tbTapSample is the generator's sample file: one of each kind of
// message the decoder must handle.
func tbTapSample() []byte {
	v4 := func(a, b, c, d byte) []byte { return []byte{a, b, c, d} }
	v6 := tbAddr("2001:db8::5").AsSlice()
	return tbFrames(
		tbTap{Type: 5, QAddr: v4(192, 0, 2, 10), QPort: 40000, RAddr: v4(192, 0, 2, 53), RPort: 53,
			Sec: 1717200000, Nsec: 123456789, Query: tbMsg(0x0100, "WWW.Example.com", 1, nil)}.encode(),
		tbTap{Type: 6, QAddr: v4(192, 0, 2, 10), QPort: 40000, RAddr: v4(192, 0, 2, 53), RPort: 53,
			Sec: 1717200000, Nsec: 123456789, Resp: tbMsg(0x8180, "www.example.com", 1,
				[]tbRR{{Type: 1, TTL: 60, Data: []byte{192, 0, 2, 80}}})}.encode(),
		tbTap{Type: 3, QAddr: v6, QPort: 12345, RAddr: tbAddr("2001:db8::53").AsSlice(), RPort: 53,
			Sec: 1717200001, Query: tbMsg(0, "example.com", 28, nil)}.encode(),
		tbTap{Type: 13, QAddr: v4(192, 0, 2, 11), Sec: 1717200002, Query: tbMsg(0x2800, "zone.example", 6, nil)}.encode(),
		tbTap{Type: 7, QAddr: v4(192, 0, 2, 53), QPort: 1053, RAddr: v4(198, 51, 100, 1), RPort: 853,
			Sec: 1717200003, Nsec: 5, Query: tbMsg(0x0100, "fwd.example", 16, nil)}.encode(),
	)
}

var tbTapWant = []Event{
	{Time: tbMustTime("2024-06-01T00:00:00.123456789Z"), Client: tbAddr("192.0.2.10"), ClientPort: 40000,
		Server: tbAddr("192.0.2.53"), ServerPort: 53, Name: "www.example.com", RawName: "WWW.Example.com.",
		Type: TypeA, Class: ClassIN, RCode: RCodeNoError, Answers: []Answer{{Data: "192.0.2.80", Type: TypeA, TTL: 60, HasTTL: true}},
		Format: FormatDnstap, Pos: Position{Line: 1}},
	{Time: tbMustTime("2024-06-01T00:00:01Z"), Client: tbAddr("2001:db8::5"), ClientPort: 12345,
		Server: tbAddr("2001:db8::53"), ServerPort: 53, Name: "example.com", RawName: "example.com.",
		Type: TypeAAAA, Class: ClassIN, RCode: RCodeUnknown, Format: FormatDnstap, Pos: Position{Line: 3}},
	{Time: tbMustTime("2024-06-01T00:00:03.000000005Z"), Client: tbAddr("192.0.2.53"), ClientPort: 1053,
		Server: tbAddr("198.51.100.1"), ServerPort: 853, Name: "fwd.example", RawName: "fwd.example.",
		Type: TypeTXT, Class: ClassIN, RCode: RCodeUnknown, Format: FormatDnstap, Pos: Position{Line: 5}},
}

func TestDnstap(t *testing.T) {
	// Auto-detected through the Reader.
	r := NewReader(bytes.NewReader(tbTapSample()))
	evs, errs := tbCollect(t, r)
	if r.DetectedFormat() != FormatDnstap {
		t.Errorf("detected %q, want dnstap", r.DetectedFormat())
	}
	if diff := cmp.Diff(tbTapWant, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
}

// TestDnstapFile reads the committed sample, which the generator writes
// (go test -run TestDnstapFile -update).
func TestDnstapFile(t *testing.T) {
	name := filepath.Join("testdata", "dnstap", "sample.dnstap")
	want := tbTapSample()
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generator's output; refresh it with -update", name)
	}
	r := NewReader(bytes.NewReader(got))
	r.File = "sample.dnstap"
	evs, _ := tbCollect(t, r)
	if len(evs) != len(tbTapWant) {
		t.Errorf("%d events, want %d", len(evs), len(tbTapWant))
	}
}

func TestDnstapResponses(t *testing.T) {
	c1, c2 := []byte{192, 0, 2, 1}, []byte{192, 0, 2, 2}
	srv := []byte{192, 0, 2, 53}
	ok := func(name string) []byte {
		return tbMsg(0x8180, name, 1, []tbRR{{Type: 1, TTL: 5, Data: []byte{198, 51, 100, 1}}})
	}
	nx := func(name string) []byte { return tbMsg(0x8183, name, 1, nil) }
	q := func(name string) []byte { return tbMsg(0x0100, name, 1, nil) }

	// Responses only: each is an event with its rcode and answers.
	r := NewReader(bytes.NewReader(tbFrames(
		tbTap{Type: 6, QAddr: c1, QPort: 1000, RAddr: srv, RPort: 53, Sec: 100, Resp: ok("a.example")}.encode(),
		tbTap{Type: 6, QAddr: c2, QPort: 1001, RAddr: srv, RPort: 53, NoTime: true, RSec: 200, Resp: nx("b.example")}.encode(),
		tbTap{Type: 6, QAddr: c2, QPort: 1001, RAddr: srv, RPort: 53, NoTime: true, Resp: nx("b.example")}.encode(),
	)))
	r.Lenient = true
	evs, errs := tbCollect(t, r)
	got := tbSummary(evs)
	// The second response has only a response time; the third has no
	// time at all: an error.
	want := []string{"100 1 192.0.2.1 a.example NOERROR 1", "200 2 192.0.2.2 b.example NXDOMAIN 0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("responses only (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]tbErr{{3, 27, ErrTime}}, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	// Queries and responses: responses complete the matching query (same
	// client, port, message ID, name and type, and the paired type);
	// others are dropped. The query to c.example waits more than
	// dnstapWindow and is released unanswered.
	evs, errs = tbCollect(t, NewReader(bytes.NewReader(tbFrames(
		tbTap{Type: 5, QAddr: c1, QPort: 1000, Sec: 100, Query: q("a.example")}.encode(),
		tbTap{Type: 5, QAddr: c2, QPort: 1000, Sec: 100, Query: q("a.example")}.encode(),
		tbTap{Type: 5, QAddr: c1, QPort: 1000, Sec: 101, Query: q("c.example")}.encode(),
		tbTap{Type: 6, QAddr: c2, QPort: 1000, Sec: 100, Resp: nx("a.example")}.encode(),
		tbTap{Type: 4, QAddr: c1, QPort: 1000, Sec: 100, Resp: nx("a.example")}.encode(), // RESOLVER_RESPONSE: no pair
		tbTap{Type: 6, QAddr: c1, QPort: 1000, Sec: 100, Resp: ok("a.example")}.encode(),
		tbTap{Type: 6, QAddr: c1, QPort: 1000, Sec: 100, Resp: ok("zzz.example")}.encode(),
		tbTap{Type: 5, QAddr: c1, QPort: 1002, Sec: 112, Query: q("d.example")}.encode(),
		tbTap{Type: 6, QAddr: c1, QPort: 1000, Sec: 101, Resp: ok("c.example")}.encode(),
	))))
	got = tbSummary(evs)
	want = []string{
		"100 1 192.0.2.1 a.example NOERROR 1",
		"100 2 192.0.2.2 a.example NXDOMAIN 0",
		"101 3 192.0.2.1 c.example  0",
		"112 8 192.0.2.1 d.example  0",
	}
	if diff := cmp.Diff(want, got); diff != "" || len(errs) != 0 {
		t.Errorf("queries and responses (-want +got):\n%s%v", diff, errs)
	}
}

// tbSummary renders events as "unix-time record client name rcode
// answers".
func tbSummary(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%d %d %s %s %s %d", e.Time.Unix(), e.Pos.Line, e.Client, e.Name, e.RCode, len(e.Answers)))
	}
	return out
}

func TestDnstapBadRecords(t *testing.T) {
	q := tbMsg(0x0100, "a.example", 1, nil)
	good := tbTap{Type: 5, QAddr: []byte{192, 0, 2, 1}, Sec: 1717200000, Query: q}.encode()
	input := tbFrames(
		tbTap{Type: 5, QAddr: []byte{192, 0, 2, 1}, NoTime: true, Query: q}.encode(),
		tbTap{Type: 5, QAddr: []byte{192, 0, 2}, Sec: 1717200000, Query: q}.encode(),
		tbTap{Type: 5, QAddr: []byte{192, 0, 2, 1}, Sec: 1717200000}.encode(),
		tbTap{Type: 5, QAddr: []byte{192, 0, 2, 1}, Sec: 1717200000, Query: q[:15]}.encode(),
		tbTap{Type: 5, QAddr: []byte{192, 0, 2, 1}, Sec: 1717200000, Nsec: 2e9, Query: q}.encode(),
		[]byte{0x0a, 0x05, 'a'}, // a bytes field longer than the frame
		tbTap{Type: 5, QAddr: []byte{192, 0, 2, 1}, QPort: 70000, Sec: 1717200000, Query: q}.encode(),
		good,
	)
	r := NewReader(bytes.NewReader(input))
	r.Lenient = true
	evs, errs := tbCollect(t, r)
	if len(evs) != 1 || evs[0].Pos.Line != 8 {
		t.Errorf("events %+v, want one at record 8", evs)
	}
	got := tbErrs(t, errs)
	want := []tbErr{{1, 0, ErrTime}, {2, 0, ErrAddr}, {3, 0, ErrName}, {4, 0, ErrField}, {5, 0, ErrTime}, {6, 0, ErrField}, {7, 0, ErrAddr}}
	for i := range got {
		if got[i].Col <= 0 {
			t.Errorf("error %d has no column: %v", i, errs[i])
		}
		got[i].Col = 0
	}
	if diff := cmp.Diff(want, got, tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestDnstapFraming(t *testing.T) {
	sample := tbTapSample()
	frame1 := len(tbControl(fstrmStart, dnstapContent))
	huge := append(tbControl(fstrmStart, dnstapContent), 0x00, 0x20, 0x00, 0x00) // 2 MiB
	for _, c := range []struct {
		name   string
		input  []byte
		events int
		want   error
	}{
		{"cut in a data frame", sample[:frame1+20], 0, ErrTruncated},
		{"cut in a length", sample[:frame1+2], 0, ErrTruncated},
		{"cut in the START frame", sample[:10], 0, ErrTruncated},
		{"cut in STOP, after all data", sample[:len(sample)-3], 3, ErrTruncated},
		{"no STOP", sample[:len(sample)-len(tbControl(fstrmStop, ""))], 3, io.EOF},
		{"frame over the cap", huge, 0, ErrField},
		{"data before START", sample[frame1:], 0, ErrField},
		{"other content type", append(tbControl(fstrmStart, "protobuf:other"), sample[frame1:]...), 0, ErrField},
		{"two files", append(append([]byte{}, sample...), sample...), 6, io.EOF},
	} {
		r := NewReader(bytes.NewReader(c.input))
		r.Format = FormatDnstap
		r.Lenient = true // framing errors end the input even so
		n := 0
		var err error
		for {
			_, err = r.Read()
			if err != nil {
				break
			}
			n++
		}
		if n != c.events || !errors.Is(err, c.want) {
			t.Errorf("%s: %d events, error %v; want %d, %v", c.name, n, err, c.events, c.want)
		}
		if c.want != io.EOF {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%s: error %v is not a *ParseError", c.name, err)
			}
			if _, err2 := r.Read(); !errors.Is(err2, c.want) {
				t.Errorf("%s: error after the error: %v", c.name, err2)
			}
		}
	}
}

func TestDnstapSniff(t *testing.T) {
	s := tbTapSample()
	for _, c := range []struct {
		head []byte
		want bool
	}{
		{s, true},
		{s[:42], true}, // just enough for the content type
		{s[:41], false},
		{s[:20], false},
		{tbControl(fstrmStart, "protobuf:other"), false},
		{tbControl(fstrmReady, dnstapContent), false},
		{[]byte("2024-06-01T00:00:00Z 192.0.2.1 example.com"), false},
	} {
		if got := sniffDnstap(c.head); got != c.want {
			t.Errorf("sniffDnstap(%q) = %v, want %v", c.head, got, c.want)
		}
	}
}

func FuzzDnstap(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var in interner
		d := &dnstapDecoder{r: bufio.NewReader(bytes.NewReader(data)), c: &decodeConfig{intern: in.intern}}
		for i := 0; i < 10000; i++ {
			ev := Event{RCode: RCodeUnknown}
			_, err := d.next(&ev)
			if err == nil {
				if !tbNameOK(ev.Name) || ev.Time.IsZero() {
					t.Fatalf("bad event %+v", ev)
				}
				continue
			}
			var fe *fieldError
			if errors.As(err, &fe) {
				continue
			}
			// Framing errors and EOF are sticky.
			if _, err2 := d.next(&ev); err2 != err {
				t.Fatalf("error %v then %v", err, err2)
			}
			return
		}
		t.Fatal("no end after 10000 records")
	})
}

func tbMustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
