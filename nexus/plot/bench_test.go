package plot

import (
	"io"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkRaster draws five months of office-hours activity of three
// series (about 9,000 events).
func BenchmarkRaster(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	series := []Series{officeSeries(rng, "a", 150, 20), officeSeries(rng, "b", 150, 20), officeSeries(rng, "c", 150, 20)}
	n := count(series)
	b.ReportAllocs()
	for b.Loop() {
		if err := Raster(io.Discard, series, RasterOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPowerSpectrum computes the periodogram of 30 days of a
// 5-minute beacon (2^19 one-second bins before the span limit).
func BenchmarkPowerSpectrum(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	times := beacon(rng, 30*288, 5*time.Minute, 0.05, 0.9)
	b.ReportAllocs()
	for b.Loop() {
		PowerSpectrum(times, PeriodogramOptions{})
	}
	b.ReportMetric(float64(len(times))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
