package dnslog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func gzipBytes(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const threeLines = "2016-09-23T13:56:29Z 10.0.0.1 a.example\n" +
	"2016-09-23T13:56:30Z 10.0.0.2 b.example\n" +
	"2016-09-23T13:56:31Z 10.0.0.3 c.example\n"

func TestGzip(t *testing.T) {
	want, errs := readAll(t, threeLines, nil)
	if len(errs) > 0 || len(want) != 3 {
		t.Fatalf("plain: %d events, errors %v", len(want), errs)
	}
	gz := gzipBytes(t, threeLines)
	got, errs := readAll(t, string(gz), nil)
	if len(errs) > 0 {
		t.Fatalf("gzip: %v", errs)
	}
	if diff := cmp.Diff(want, got, cmpEvents...); diff != "" {
		t.Errorf("gzip (-want +got):\n%s", diff)
	}

	// Cut the stream at several points after the two magic bytes: never
	// a silent EOF.
	for _, cut := range []int{2, 5, 12, len(gz) / 2, len(gz) - 4, len(gz) - 1} {
		_, errs := readAll(t, string(gz[:cut]), nil)
		if len(errs) == 0 {
			t.Errorf("gzip cut at %d of %d: no error", cut, len(gz))
			continue
		}
		var pe *ParseError
		last := errs[len(errs)-1]
		if !errors.As(last, &pe) || !errors.Is(last, ErrTruncated) {
			t.Errorf("gzip cut at %d of %d: error %v, want a ParseError wrapping ErrTruncated", cut, len(gz), last)
		}
	}
}

func TestEmptyInput(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\r\n  \n", "\xef\xbb\xbf"} {
		r := NewReader(strings.NewReader(in))
		if _, err := r.Read(); err != io.EOF {
			t.Errorf("%q: Read error %v, want io.EOF", in, err)
		}
		if _, err := r.Read(); err != io.EOF {
			t.Errorf("%q: second Read error %v, want io.EOF", in, err)
		}
		if f := r.DetectedFormat(); f != "" {
			t.Errorf("%q: detected %q", in, f)
		}
	}
}

func TestDetect(t *testing.T) {
	zeekTSV := zeekHeader(`\x09`, "ts", "id.orig_h", "query") + "1517336042\t10.0.0.1\ta.example\n"
	zeekJSON := `{"ts":1517336042.5,"id.orig_h":"10.0.0.1","query":"a.example"}` + "\n"
	tests := []struct {
		name  string
		in    string
		want  Format
		cause error
	}{
		{"research", threeLines, FormatResearch, nil},
		{"research with BOM and header", "\xef\xbb\xbfTIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP\r\n2016-09-23T13:56:29Z | a.example | 10.0.0.1\r\n", FormatResearch, nil},
		{"zeek", zeekTSV, FormatZeek, nil},
		{"zeek gzip", string(gzipBytes(t, zeekTSV)), FormatZeek, nil},
		{"zeek-json", zeekJSON, FormatZeekJSON, nil},
		{"unknown", "hello world\nthis is prose\n", "", ErrUnknownFormat},
		{"binary", "\x00\x01\x02\x03garbage\xff\xfe", "", ErrBinary},
		{"control bytes", strings.Repeat("\x01\x02\x03abcdefg", 10), "", ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			_, err := r.Read()
			if tt.cause != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || !errors.Is(err, tt.cause) {
					t.Fatalf("error %v, want a ParseError wrapping %v", err, tt.cause)
				}
				if _, err2 := r.Read(); err2 != err {
					t.Errorf("second Read: %v, want the same sticky error", err2)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := r.DetectedFormat(); got != tt.want {
				t.Errorf("detected %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetectAmbiguous(t *testing.T) {
	saved := formats
	defer func() { formats = saved }()
	formats = append(formats[:len(formats):len(formats)],
		formatSpec{name: "twin-a", sniff: func([][]byte) int { return 99 }, newLine: func(c *decodeConfig) lineDecoder { return &researchDecoder{cfg: c} }},
		formatSpec{name: "twin-b", sniff: func([][]byte) int { return 99 }, newLine: func(c *decodeConfig) lineDecoder { return &researchDecoder{cfg: c} }},
	)
	_, err := NewReader(strings.NewReader(threeLines)).Read()
	if !errors.Is(err, ErrAmbiguousFormat) || !strings.Contains(err.Error(), "twin-a, twin-b") {
		t.Errorf("error %v, want ErrAmbiguousFormat naming twin-a, twin-b", err)
	}
}

// TestDetectKeepsInput checks that detection consumes nothing: the first
// lines are still decoded, also when they fill the peek window.
func TestDetectKeepsInput(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "1474639%03d 10.0.%d.%d host%d.example\n", i%1000, i/256%256, i%256, i)
	}
	got, errs := readAll(t, b.String(), nil)
	if len(errs) > 0 || len(got) != 5000 {
		t.Fatalf("%d events, errors %v", len(got), errs)
	}
	if got[0].Name != "host0.example" || got[0].Pos.Line != 1 || got[4999].Pos.Line != 5000 {
		t.Errorf("first %v, last %v", got[0], got[4999])
	}
	// Blank lines beyond the peek window are skipped and still counted.
	got, errs = readAll(t, strings.Repeat("\n", 70000)+threeLines, nil)
	if len(errs) > 0 || len(got) != 3 || got[0].Pos.Line != 70001 {
		t.Fatalf("after blank lines: %d events (%v), errors %v", len(got), got, errs)
	}
}

func TestUnknownForcedFormat(t *testing.T) {
	_, err := NewReader(strings.NewReader(threeLines)).readWith(func(r *Reader) { r.Format = "nonesuch" })
	if !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("error %v, want ErrUnknownFormat", err)
	}
}

// readWith configures r and reads its first event.
func (r *Reader) readWith(setup func(*Reader)) (Event, error) {
	setup(r)
	return r.Read()
}

func TestLenient(t *testing.T) {
	in := "2016-09-23T13:56:29Z 10.0.0.1 a.example\n" +
		"garbage 1\n" +
		"2016-09-23T13:56:30Z 10.0.0.2 b..example\n" +
		"2016-09-23T13:56:31Z 10.0.0.3 c.example\n" +
		"2016-09-23T13:56:32Z nothing c.example\n"
	r := NewReader(strings.NewReader(in))
	r.Format = FormatResearch
	r.Lenient = true
	r.MaxErrors = 2
	var names []string
	for ev, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ev.Name)
	}
	if diff := cmp.Diff([]string{"a.example", "c.example"}, names); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if r.Skipped() != 3 {
		t.Errorf("Skipped %d, want 3", r.Skipped())
	}
	var got []string
	for _, e := range r.Errors() {
		got = append(got, e.Error())
	}
	want := []string{"2:1: research: bad timestamp: \"garbage\"", "3:31: research: bad query name: \"b..example\""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestStrictStopsAll(t *testing.T) {
	r := NewReader(strings.NewReader("2016-09-23T13:56:29Z 10.0.0.1 a.example\nbad 1\n2016-09-23T13:56:31Z 10.0.0.3 c.example\n"))
	r.Format = FormatResearch
	n, nerr := 0, 0
	for _, err := range r.All() {
		if err != nil {
			nerr++
			continue
		}
		n++
	}
	if n != 1 || nerr != 1 {
		t.Errorf("All yielded %d events and %d errors, want 1 and 1", n, nerr)
	}
	// Read goes on after a line error.
	if ev, err := r.Read(); err != nil || ev.Name != "c.example" {
		t.Errorf("Read after the error: %v, %v", ev.Name, err)
	}
}

func TestLineCap(t *testing.T) {
	long := "2016-09-23T13:56:30Z 10.0.0.2 " + strings.Repeat("x", 300000) + ".example"
	in := "2016-09-23T13:56:29Z 10.0.0.1 a.example\n" + long + "\n" + "2016-09-23T13:56:31Z 10.0.0.3 c.example\n"
	for _, lenient := range []bool{false, true} {
		r := NewReader(strings.NewReader(in))
		r.MaxLineBytes = 1000
		r.Lenient = lenient
		var names []string
		var errs []error
		for {
			ev, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			names = append(names, ev.Name)
		}
		if lenient {
			errs = r.Errors()
		}
		if diff := cmp.Diff([]string{"a.example", "c.example"}, names); diff != "" {
			t.Errorf("lenient=%v: events (-want +got):\n%s", lenient, diff)
		}
		var pe *ParseError
		if len(errs) != 1 || !errors.As(errs[0], &pe) || !errors.Is(pe, ErrLineTooLong) || pe.Line != 2 || pe.Column != 1001 {
			t.Errorf("lenient=%v: errors %v, want one ErrLineTooLong at 2:1001", lenient, errs)
		}
		if cap(r.long) > 1000+2*bufSize {
			t.Errorf("lenient=%v: line buffer grew to %d bytes", lenient, cap(r.long))
		}
	}
}

func TestLongLineUnderCap(t *testing.T) {
	name := strings.Repeat("a", 60) + "." + strings.Repeat("b.", 50000) + "example"
	got, errs := readAll(t, "2016-09-23T13:56:29Z 10.0.0.1 "+name+"\r\n", nil)
	if len(errs) > 0 || len(got) != 1 || got[0].Name != name {
		t.Errorf("long line: %d events, errors %v", len(got), errs)
	}
}

func TestContextCancel(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "1474639%03d 10.0.0.1 h%d.example\n", i%1000, i)
	}
	for _, par := range []int{0, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		r := NewReader(strings.NewReader(b.String()))
		r.Parallel = par
		n := 0
		var last error
		for _, err := range r.AllContext(ctx) {
			if err != nil {
				last = err
				break
			}
			if n++; n == 10 {
				cancel()
			}
		}
		if !errors.Is(last, context.Canceled) || n >= 3000 {
			t.Errorf("parallel=%d: stopped after %d events with %v, want context.Canceled", par, n, last)
		}
		if _, err := r.Read(); !errors.Is(err, context.Canceled) {
			t.Errorf("parallel=%d: Read after cancel: %v", par, err)
		}
	}
}

func TestProgress(t *testing.T) {
	in := strings.Repeat("2016-09-23T13:56:29Z 10.0.0.1 a.example\n", 200000) // 8 MB
	var calls []int64
	r := NewReader(strings.NewReader(in))
	r.Progress = func(n int64) { calls = append(calls, n) }
	for _, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(calls) < 2 || calls[len(calls)-1] != int64(len(in)) {
		t.Errorf("progress calls %v, want a few ending at %d", calls, len(in))
	}
}

// genResearch makes n seeded research lines with a few bad ones.
func genResearch(n int, bad bool) string {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	t := int64(1474639000)
	for i := range n {
		t += rng.Int64N(3)
		if bad && i%997 == 5 {
			b.WriteString("bad 1 line\n")
			continue
		}
		fmt.Fprintf(&b, "%d.%03d 10.%d.%d.%d h%d.example.com A\n", t, rng.IntN(1000), rng.IntN(4), rng.IntN(256), rng.IntN(256), rng.IntN(5000))
	}
	return b.String()
}

// TestParallelEqualsSequential compares parallel and sequential reads,
// events and errors, on research and Zeek input, strict and lenient.
func TestParallelEqualsSequential(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 32 << 10
	var z strings.Builder
	z.WriteString(zeekHeader(`\x09`, "ts", "id.orig_h", "query", "qtype"))
	for i := range 20000 {
		if i == 10000 { // a new header block with another layout mid-file
			z.WriteString(zeekHeader(`\x09`, "query", "ts", "id.orig_h"))
		}
		if i%1979 == 3 {
			z.WriteString("bad\tline\n")
		}
		if i >= 10000 {
			fmt.Fprintf(&z, "n%d.example\t%d.5\t10.0.%d.%d\n", i, 1517336042+i, i/256%256, i%256)
		} else {
			fmt.Fprintf(&z, "%d.5\t10.0.%d.%d\tn%d.example\t1\n", 1517336042+i, i/256%256, i%256, i)
		}
	}
	inputs := map[string]string{"research": genResearch(30000, true), "zeek": z.String()}
	for name, in := range inputs {
		for _, lenient := range []bool{false, true} {
			seq, seqErrs := readAll(t, in, func(r *Reader) { r.Lenient = lenient })
			var par []Event
			var parErrs []error
			r := NewReader(strings.NewReader(in))
			r.File = "t.log"
			r.Lenient = lenient
			r.Parallel = 3
			for {
				ev, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					parErrs = append(parErrs, err)
					continue
				}
				par = append(par, ev)
			}
			if r.par == nil {
				t.Fatalf("%s: not read in parallel", name)
			}
			if len(seq) < 15000 {
				t.Fatalf("%s: only %d events", name, len(seq))
			}
			if diff := diffEvents(seq, par, false); diff != "" {
				t.Errorf("%s lenient=%v: events (-sequential +parallel):\n%s", name, lenient, diff)
			}
			errStr := func(es []error) []string {
				var s []string
				for _, e := range es {
					s = append(s, e.Error())
				}
				return s
			}
			if lenient {
				seqR := NewReader(strings.NewReader(in))
				seqR.File, seqR.Lenient = "t.log", true
				for range seqR.All() {
				}
				seqErrs, parErrs = seqR.Errors(), r.Errors()
				if seqR.Skipped() != r.Skipped() || seqR.Skipped() == 0 {
					t.Errorf("%s: skipped %d sequential, %d parallel", name, seqR.Skipped(), r.Skipped())
				}
			}
			if diff := cmp.Diff(errStr(seqErrs), errStr(parErrs)); diff != "" || len(seqErrs) == 0 {
				t.Errorf("%s lenient=%v: errors (-sequential +parallel):\n%s", name, lenient, diff)
			}
		}
	}
}
