package dnslog

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func namedReader(name, in string) *Reader {
	r := NewReader(strings.NewReader(in))
	r.File = name
	return r
}

// brief renders events as "file:line name client" for compact diffs.
func brief(evs []Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Pos.String()+" "+ev.Time.Format("15:04:05.000")+" "+ev.Client.String()+" "+ev.Name)
	}
	return out
}

func readMulti(t *testing.T, m *MultiReader) ([]Event, []error) {
	t.Helper()
	var evs []Event
	var errs []error
	for range 100000 {
		ev, err := m.Read()
		if err == io.EOF {
			return evs, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		evs = append(evs, ev)
	}
	t.Fatal("no io.EOF")
	return nil, nil
}

// The same lookups logged at three name servers, a few milliseconds
// apart, plus one lookup seen only at ns2.
const (
	ns1 = "2020-05-01T10:00:00.000Z 10.0.0.7 www.example.com A\n" +
		"2020-05-01T10:00:05.000Z 10.0.0.7 mail.example.com A\n" +
		"2020-05-01T10:01:00.000Z 10.0.0.7 www.example.com A\n"
	ns2 = "2020-05-01T10:00:00.004Z 10.0.0.7 www.example.com A\n" +
		"2020-05-01T10:00:03.000Z 10.0.0.9 www.example.com A\n" +
		"2020-05-01T10:00:05.002Z 10.0.0.7 mail.example.com A\n" +
		"2020-05-01T10:01:00.003Z 10.0.0.7 www.example.com A\n"
	ns3 = "2020-05-01T10:00:00.009Z 10.0.0.7 www.example.com A\n" +
		"2020-05-01T10:00:05.000Z 10.0.0.7 mail.example.com AAAA\n" +
		"2020-05-01T10:01:00.001Z 10.0.0.7 www.example.com A\n"
)

func TestMergeAndDedup(t *testing.T) {
	m := NewMultiReader(namedReader("ns1", ns1), namedReader("ns2", ns2), namedReader("ns3", ns3))
	got, errs := readMulti(t, m)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []string{
		"ns1:1 10:00:00.000 10.0.0.7 www.example.com",
		"ns2:1 10:00:00.004 10.0.0.7 www.example.com",
		"ns3:1 10:00:00.009 10.0.0.7 www.example.com",
		"ns2:2 10:00:03.000 10.0.0.9 www.example.com",
		"ns1:2 10:00:05.000 10.0.0.7 mail.example.com", // tie: first reader first
		"ns3:2 10:00:05.000 10.0.0.7 mail.example.com",
		"ns2:3 10:00:05.002 10.0.0.7 mail.example.com",
		"ns1:3 10:01:00.000 10.0.0.7 www.example.com",
		"ns3:3 10:01:00.001 10.0.0.7 www.example.com",
		"ns2:4 10:01:00.003 10.0.0.7 www.example.com",
	}
	if diff := cmp.Diff(want, brief(got)); diff != "" {
		t.Errorf("merge (-want +got):\n%s", diff)
	}

	m = NewMultiReader(namedReader("ns1", ns1), namedReader("ns2", ns2), namedReader("ns3", ns3))
	m.Dedup = 50 * time.Millisecond
	got, errs = readMulti(t, m)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want = []string{
		"ns1:1 10:00:00.000 10.0.0.7 www.example.com",
		"ns2:2 10:00:03.000 10.0.0.9 www.example.com",  // another client
		"ns1:2 10:00:05.000 10.0.0.7 mail.example.com", // A
		"ns3:2 10:00:05.000 10.0.0.7 mail.example.com", // AAAA: another type
		"ns1:3 10:01:00.000 10.0.0.7 www.example.com",  // a minute later
	}
	if diff := cmp.Diff(want, brief(got)); diff != "" {
		t.Errorf("dedup (-want +got):\n%s", diff)
	}
	if m.Duplicates() != 5 {
		t.Errorf("Duplicates %d, want 5", m.Duplicates())
	}
}

// TestDedupWindowDoesNotSlide: a query repeated every 400 ms with a 1 s
// window is kept once per window, measured from the kept event.
func TestDedupWindowDoesNotSlide(t *testing.T) {
	var b strings.Builder
	for i := range 6 {
		b.WriteString(time.Date(2020, 5, 1, 10, 0, 0, i*400e6, time.UTC).Format(time.RFC3339Nano) + " 10.0.0.7 a.example A\n")
	}
	m := NewMultiReader(namedReader("x", b.String()))
	m.Dedup = time.Second
	got, _ := readMulti(t, m)
	want := []string{"x:1 10:00:00.000 10.0.0.7 a.example", "x:4 10:00:01.200 10.0.0.7 a.example"}
	if diff := cmp.Diff(want, brief(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMergeUnsorted documents the order for an input that is not sorted:
// its events keep their own order and are merged as heads.
func TestMergeUnsorted(t *testing.T) {
	a := "2020-05-01T10:00:02Z 10.0.0.1 a2.example\n2020-05-01T10:00:00Z 10.0.0.1 a0.example\n"
	b := "2020-05-01T10:00:01Z 10.0.0.1 b1.example\n2020-05-01T10:00:03Z 10.0.0.1 b3.example\n"
	got, _ := readMulti(t, NewMultiReader(namedReader("a", a), namedReader("b", b)))
	want := []string{
		"b:1 10:00:01.000 10.0.0.1 b1.example",
		"a:1 10:00:02.000 10.0.0.1 a2.example",
		"a:2 10:00:00.000 10.0.0.1 a0.example",
		"b:2 10:00:03.000 10.0.0.1 b3.example",
	}
	if diff := cmp.Diff(want, brief(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMergeErrors(t *testing.T) {
	a := "2020-05-01T10:00:00Z 10.0.0.1 a0.example\nbad 1\n2020-05-01T10:00:02Z 10.0.0.1 a2.example\n"
	b := "2020-05-01T10:00:01Z 10.0.0.1 b1.example\n"
	got, errs := readMulti(t, NewMultiReader(namedReader("a", a), namedReader("b", b)))
	var pe *ParseError
	if len(errs) != 1 || !errors.As(errs[0], &pe) || pe.File != "a" || pe.Line != 2 {
		t.Errorf("errors %v, want one at a:2", errs)
	}
	if len(got) != 3 {
		t.Errorf("%d events, want 3 (reading goes on after a line error): %v", len(got), brief(got))
	}

	// Lenient readers: the MultiReader sums what they skipped.
	ra, rb := namedReader("a", a), namedReader("b", b+"bad 2\n")
	ra.Lenient, rb.Lenient = true, true
	m := NewMultiReader(ra, rb)
	got, errs = readMulti(t, m)
	if len(got) != 3 || len(errs) != 0 || m.Skipped() != 2 || len(m.Errors()) != 2 {
		t.Errorf("lenient: %d events, errors %v, skipped %d, kept %v", len(got), errs, m.Skipped(), m.Errors())
	}

	// A sticky error is returned again.
	m = NewMultiReader(namedReader("bin", "\x00\x01\x02"), namedReader("b", b))
	_, err1 := m.Read()
	_, err2 := m.Read()
	if !errors.Is(err1, ErrBinary) || err1 != err2 {
		t.Errorf("sticky errors %v, %v", err1, err2)
	}
}

// TestMultiReaderOrderManyInputs merges up to 12 sorted inputs with many
// equal times and compares with a stable sort of all events by time, which
// keeps the inputs' order among equal times (the first input wins a tie).
func TestMultiReaderOrderManyInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for round := range 50 {
		k := 1 + rng.IntN(12)
		var readers []*Reader
		var want []string
		type tagged struct {
			t   time.Time
			src int
			s   string
		}
		var all []tagged
		for i := range k {
			var b strings.Builder
			cur := base
			for j := range rng.IntN(40) {
				cur = cur.Add(time.Duration(rng.IntN(3)) * time.Second) // many ties
				line := fmt.Sprintf("%s 10.0.%d.%d host%d.example.com A\n", cur.Format(time.RFC3339), i, j%250, j)
				b.WriteString(line)
				all = append(all, tagged{cur, i, fmt.Sprintf("in%d:%d", i, j+1)})
			}
			readers = append(readers, namedReader(fmt.Sprintf("in%d", i), b.String()))
		}
		slices.SortStableFunc(all, func(a, b tagged) int {
			if c := a.t.Compare(b.t); c != 0 {
				return c
			}
			return a.src - b.src
		})
		for _, a := range all {
			want = append(want, a.s)
		}
		evs, errs := readMulti(t, NewMultiReader(readers...))
		if len(errs) > 0 {
			t.Fatalf("round %d: %v", round, errs)
		}
		var got []string
		for _, ev := range evs {
			got = append(got, ev.Pos.String())
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("round %d, %d inputs: merged order (-want +got):\n%s", round, k, d)
		}
	}
}
