package dnslog

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// splitByteRef is splitByte written plainly, one byte at a time.
func splitByteRef(line []byte, sep byte, max int) []span {
	spans := []span{}
	if max == 0 {
		return spans
	}
	start := 0
	for i, c := range line {
		if c == sep {
			spans = append(spans, span{start, i})
			if len(spans) == max {
				return spans
			}
			start = i + 1
		}
	}
	if len(spans) < max {
		spans = append(spans, span{start, len(line)})
	}
	return spans
}

// checkSplitByte compares splitByte with splitByteRef.
func checkSplitByte(t *testing.T, line []byte, sep byte, max int) {
	t.Helper()
	want := splitByteRef(line, sep, max)
	spans := make([]span, max)
	got := spans[:splitByte(spans, line, sep)]
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(span{})); diff != "" {
		t.Fatalf("splitByte(%q, %q, %d) (-want +got):\n%s", line, sep, max, diff)
	}
}

func TestSplitByte(t *testing.T) {
	for _, c := range []struct {
		line string
		max  int
	}{
		{"", 3}, {"\t", 3}, {"a", 1}, {"a\tb", 1}, {"a\tb", 2}, {"a\tb\t", 2}, {"a\tb\t", 3},
		{"\t\t\t\t\t\t\t\t\t", 20}, {"1234567\t", 3}, {"12345678\t", 3}, {"12345678", 3},
		{"1521911720.070000\tC00000000\t10.1.6.184\t19482\t10.0.0.100\t53", 7},
		{"1521911720.070000\tC00000000\t10.1.6.184\t19482\t10.0.0.100\t53", 6},
		{"1521911720.070000\tC00000000\t10.1.6.184\t19482\t10.0.0.100\t53", 4},
		{"\x89\x09\x88\x08\xff\t\x00\t", 9}, {"\t\t\t\t\t\t\t\t", 4}, {"", 0}, {"a\tb", 0},
	} {
		checkSplitByte(t, []byte(c.line), '\t', c.max)
	}
	// Every separator byte over random lines, dense and sparse, with
	// bytes that differ from the separator only in the high bit or by one.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		sep := byte(rng.IntN(256))
		alphabet := []byte{sep, sep ^ 0x80, sep + 1, sep - 1, 'a', 0, 0xff}
		line := make([]byte, rng.IntN(70))
		for i := range line {
			line[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkSplitByte(t, line, sep, rng.IntN(40))
	}
}

// FuzzSplitByte checks splitByte against the byte loop: the first byte of
// the input is the separator, the second the limit, the rest the line.
func FuzzSplitByte(f *testing.F) {
	f.Add([]byte("\t\x18" + "1521911720.070000\tC1\t10.1.6.184\t19482\t10.0.0.100\t53\tudp\t1\t-\thost.example\n"))
	f.Add([]byte(",\x02a,b,c"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 2 {
			return
		}
		checkSplitByte(t, in[2:], in[0], int(in[1]))
	})
}

// BenchmarkSplitByte splits the benchmark's Zeek lines.
func BenchmarkSplitByte(b *testing.B) {
	data := benchZeek(1000)
	lines := bytes.Split(data, []byte("\n"))
	spans := make([]span, 25)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			splitByte(spans, l, '\t')
		}
	}
	b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
