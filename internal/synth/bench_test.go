package synth

import (
	"context"
	"io"
	"testing"
)

// countWriter counts the bytes written to it.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func benchmarkStream(b *testing.B, f Format) {
	const n = 2_000_000
	cfg := StreamConfig{N: n, Pairs: 100_000, Seed: 1, Format: f}
	b.ReportAllocs()
	var bytes int64
	for b.Loop() {
		var w countWriter
		if err := Stream(context.Background(), cfg, &w); err != nil {
			b.Fatal(err)
		}
		bytes += w.n
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(n)*float64(b.N)/sec, "lines/s")
	b.ReportMetric(float64(bytes)/1e6/sec, "MB/s")
}

// BenchmarkStream measures Stream's throughput: 2 million lines of 100,000
// pairs per iteration, written to a counting writer.
func BenchmarkStream(b *testing.B) {
	b.Run("research", func(b *testing.B) { benchmarkStream(b, Research) })
	b.Run("zeek", func(b *testing.B) { benchmarkStream(b, Zeek) })
}

var _ io.Writer = (*countWriter)(nil)

// BenchmarkLabelled measures Labelled with the Full preset.
func BenchmarkLabelled(b *testing.B) {
	b.ReportAllocs()
	var n int
	for b.Loop() {
		d := Labelled(Config{Seed: 1, Preset: Full})
		n = len(d.Events)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(n), "events")
}
