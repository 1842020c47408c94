package dnslog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// readResult is everything a Reader reports: the events, the errors Read
// returned, and for lenient readers the skipped count and kept errors.
type readResult struct {
	Events  []Event
	Errs    []string
	Skipped int64
	Kept    []string
}

// readWith reads in with a Reader configured by setup, going on after
// line errors, until io.EOF or a sticky error.
func readWith(in io.Reader, setup func(r *Reader)) (readResult, *Reader) {
	r := NewReader(in)
	r.File = "p.log"
	setup(r)
	var res readResult
	for range 1 << 20 {
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			res.Errs = append(res.Errs, err.Error())
			if r.sticky != nil {
				break
			}
			continue
		}
		res.Events = append(res.Events, ev)
	}
	res.Skipped = r.Skipped()
	for _, e := range r.Errors() {
		res.Kept = append(res.Kept, e.Error())
	}
	return res, r
}

// compareParallel reads in sequentially and with Parallel=par and reports
// any difference in events, errors, skipped counts and kept errors.
func compareParallel(t *testing.T, name string, in []byte, par int, setup func(r *Reader)) {
	t.Helper()
	seq, _ := readWith(bytes.NewReader(in), setup)
	got, r := readWith(bytes.NewReader(in), func(r *Reader) { setup(r); r.Parallel = par })
	if r.spec != nil && r.spec.parallel && r.par == nil && len(in) > 0 {
		t.Fatalf("%s: not read in parallel", name)
	}
	if diff := diffEvents(seq.Events, got.Events, false); diff != "" {
		t.Errorf("%s: events (-sequential +parallel):\n%s", name, diff)
	}
	seq.Events, got.Events = nil, nil
	if diff := cmp.Diff(seq, got); diff != "" {
		t.Errorf("%s: errors (-sequential +parallel):\n%s", name, diff)
	}
}

// splitterInput is research input with what the splitter must get right:
// a byte order mark, CRLF and bare-CR endings, blank lines, bad lines,
// lines over the length cap (some longer than a chunk), and no newline at
// the end.
func splitterInput(n int) []byte {
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf2016-09-23T13:56:29Z 10.0.0.1 bom.example A\n# research log\n")
	for i := range n {
		switch {
		case i%97 == 13:
			b.WriteString("\n\r\n")
		case i%89 == 7:
			b.WriteString("2016-09-23T13:56:29Z not-an-address h.example A\n")
		case i%151 == 11:
			fmt.Fprintf(&b, "2016-09-23T13:56:29Z 10.0.0.1 %s.example A\n", strings.Repeat("x", 40+i%300))
		case i%83 == 5:
			fmt.Fprintf(&b, "2016-09-23T13:56:%02dZ 10.0.0.%d h%d.example AAAA\r\n", i%60, i%250, i)
		default:
			fmt.Fprintf(&b, "2016-09-23T13:56:%02dZ 10.0.%d.%d h%d.example A\n", i%60, i/256%256, i%256, i)
		}
	}
	b.WriteString("2016-09-23T13:56:29Z 10.9.9.9 last.example A")
	return b.Bytes()
}

// TestParallelSplitter compares parallel and sequential reads of input
// with odd line endings and long lines, with chunks from a few bytes to
// many lines, strict and lenient, with and without a tight line cap.
func TestParallelSplitter(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	in := splitterInput(3000)
	for _, cb := range []int{1, 37, 200, 4096, 64 << 10} {
		for _, maxLine := range []int{0, 120, 300} {
			for _, lenient := range []bool{false, true} {
				chunkBytes = cb
				name := fmt.Sprintf("chunk=%d max=%d lenient=%v", cb, maxLine, lenient)
				compareParallel(t, name, in, 2, func(r *Reader) {
					r.MaxLineBytes, r.Lenient, r.MaxErrors = maxLine, lenient, 7
				})
			}
		}
	}
}

// TestParallelZeekHeaders checks that header blocks (a new #separator and
// #fields mid-file, with CRLF endings and '#' inside values) reach every
// chunk, however the chunks fall.
func TestParallelZeekHeaders(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	var b strings.Builder
	b.WriteString(zeekHeader(`\x09`, "ts", "id.orig_h", "query", "qtype"))
	for i := range 3000 {
		switch {
		case i == 1000:
			b.WriteString(zeekHeader(`\x09`, "query", "ts", "id.orig_h"))
		case i == 2000:
			b.WriteString("#separator ;\r\n#fields;ts;query;id.orig_h\r\n")
		}
		switch {
		case i%331 == 1:
			b.WriteString("bad\tline\n")
		case i >= 2000:
			fmt.Fprintf(&b, "%d.5;n%d#x.example;10.0.%d.%d\r\n", 1517336042+i, i, i/256%256, i%256)
		case i >= 1000:
			fmt.Fprintf(&b, "n%d.example\t%d.5\t10.0.%d.%d\n", i, 1517336042+i, i/256%256, i%256)
		default:
			fmt.Fprintf(&b, "%d.5\t10.0.%d.%d\tn%d.example\t1\n", 1517336042+i, i/256%256, i%256, i)
		}
	}
	for _, cb := range []int{1, 50, 999, 16 << 10} {
		for _, lenient := range []bool{false, true} {
			chunkBytes = cb
			compareParallel(t, fmt.Sprintf("chunk=%d lenient=%v", cb, lenient), []byte(b.String()), 3,
				func(r *Reader) { r.Format, r.Lenient = FormatZeek, lenient })
		}
	}
}

// TestParallelInputErrors checks that an input error (a failing reader, a
// gzip stream cut short) comes after the events before it, at the same
// line as in sequential mode, and stays.
func TestParallelInputErrors(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	in := splitterInput(2000)
	gz := gzipBytes(t, string(in))
	boom := errors.New("boom")
	for _, cb := range []int{100, 4096} {
		chunkBytes = cb
		for _, cut := range []int{1, 500, 20000, len(in) - 10} {
			src := func() io.Reader {
				return io.MultiReader(iotest.HalfReader(bytes.NewReader(in[:cut])), iotest.ErrReader(boom))
			}
			name := fmt.Sprintf("chunk=%d failing at %d", cb, cut)
			seq, _ := readWith(src(), func(r *Reader) { r.Format = FormatResearch })
			got, r := readWith(src(), func(r *Reader) { r.Format, r.Parallel = FormatResearch, 2 })
			if diff := cmp.Diff(seq, got, cmpEvents...); diff != "" {
				t.Errorf("%s (-sequential +parallel):\n%s", name, diff)
			}
			if _, err := r.Read(); !errors.Is(err, boom) {
				t.Errorf("%s: Read after the error: %v", name, err)
			}
		}
		for _, cut := range []int{len(gz) / 3, len(gz) - 5} {
			compareParallel(t, fmt.Sprintf("chunk=%d gzip cut at %d", cb, cut), gz[:cut], 2, func(r *Reader) {})
		}
	}
}

// FuzzParallel reads arbitrary input sequentially and in parallel chunks
// of a few bytes to a few lines and requires the same events, errors and
// counts. The first byte picks the format (research, zeek, zeek-json or
// detection) and the chunk size.
func FuzzParallel(f *testing.F) {
	f.Add(append([]byte{0}, splitterInput(40)...))
	f.Add([]byte("\x05" + zeekHeader(`\x09`, "ts", "id.orig_h", "query") + "1517336042.5\t10.0.0.1\ta.example\r\n#separator ;\n#fields;query;ts;id.orig_h\nb.example;1517336043;10.0.0.2"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > 1<<16 {
			return
		}
		defer func(n int) { chunkBytes = n }(chunkBytes)
		chunkBytes = []int{1, 3, 16, 100}[in[0]>>2%4]
		format := []Format{FormatResearch, FormatZeek, FormatZeekJSON, ""}[in[0]%4]
		for _, lenient := range []bool{false, true} {
			compareParallel(t, fmt.Sprintf("format %q chunk %d lenient %v", format, chunkBytes, lenient), in[1:], 2, func(r *Reader) {
				r.Format, r.Lenient, r.MaxLineBytes, r.MaxErrors = format, lenient, 64, 5
			})
		}
	})
}

// TestParallelProgress checks that a parallel Reader reports progress
// every few megabytes and once at the end with the whole input.
func TestParallelProgress(t *testing.T) {
	in := strings.Repeat("2016-09-23T13:56:29Z 10.0.0.1 a.example\n", 200000) // 8 MB
	var calls []int64
	r := NewReader(strings.NewReader(in))
	r.Parallel = 2
	r.Progress = func(n int64) { calls = append(calls, n) }
	n := 0
	for _, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if r.par == nil || n != 200000 {
		t.Fatalf("%d events, parallel %v", n, r.par != nil)
	}
	if len(calls) < 2 || calls[len(calls)-1] != int64(len(in)) {
		t.Errorf("progress calls %v, want a few ending at %d", calls, len(in))
	}
}

// xReader is an endless run of 'x'.
type xReader struct{}

func (xReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// TestParallelHugeLine checks that a 64 MB line is skipped without being
// buffered: the parallel Reader reports it as too long at its line, goes
// on with the next line, and allocates a few megabytes, not the line.
func TestParallelHugeLine(t *testing.T) {
	in := io.MultiReader(strings.NewReader("1474639000 10.0.0.1 a.example A\n"), io.LimitReader(xReader{}, 64<<20),
		strings.NewReader("\n1474639001 10.0.0.2 b.example A\n"))
	r := NewReader(in)
	r.Format, r.Parallel, r.Lenient = FormatResearch, 2, true
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var names []string
	for ev, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ev.Name)
	}
	runtime.ReadMemStats(&ms1)
	if diff := cmp.Diff([]string{"a.example", "b.example"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if errs := r.Errors(); len(errs) != 1 || !errors.Is(errs[0], ErrLineTooLong) || !strings.HasPrefix(errs[0].Error(), "2:") {
		t.Errorf("errors %v, want one ErrLineTooLong on line 2", errs)
	}
	if a := ms1.TotalAlloc - ms0.TotalAlloc; a > 16<<20 {
		t.Errorf("allocated %d MB for a 64 MB line", a>>20)
	}
}

// TestParallelMemoryBound checks the chunk counts behind the documented
// memory bound while a large input is read: at most inFlight(Parallel)
// chunks in flight and maxFree kept for reuse.
func TestParallelMemoryBound(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 4 << 10
	in := genResearch(50000, false)
	r := NewReader(strings.NewReader(in))
	r.Parallel = 3
	n, maxQueue, maxFreeSeen := 0, 0, 0
	for _, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
		maxQueue, maxFreeSeen = max(maxQueue, len(r.par.queue)), max(maxFreeSeen, len(r.par.free))
	}
	if want := 2*3 + 2; n != 50000 || maxQueue > want || maxFreeSeen > maxFree {
		t.Errorf("%d events; up to %d chunks queued (want ≤ %d), %d free (want ≤ %d)", n, maxQueue, want, maxFreeSeen, maxFree)
	}
}
