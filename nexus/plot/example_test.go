package plot_test

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/dnsnexus/dnsnexus/nexus/plot"
)

// every returns n events every period from a Monday 08:00 UTC.
func every(n int, period time.Duration) []int64 {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	out := make([]int64, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * period).UnixNano()
	}
	return out
}

func ExampleRaster() {
	series := []plot.Series{
		{Name: "192.0.2.15", Times: every(500, 17*time.Minute)},
		{Name: "192.0.2.16", Times: every(300, 29*time.Minute)},
	}
	var buf bytes.Buffer
	err := plot.Raster(&buf, series, plot.RasterOptions{
		Title:    "Lookups of example.com by resolver",
		Location: time.FixedZone("MSK", 3*3600),
	})
	fmt.Println(err, bytes.Contains(buf.Bytes(), []byte("<svg")))
	// Output: <nil> true
}

func ExampleProfiles() {
	series := []plot.Series{{Name: "hourly", Times: every(24*7, time.Hour)}}
	err := plot.Profiles(io.Discard, series, time.UTC, plot.ProfileOptions{Title: "When the lookups happen"})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleProfileOf() {
	// Two events on Monday at 08:xx, one on Tuesday at 09:xx.
	times := every(3, 12*time.Hour+30*time.Minute)
	p := plot.ProfileOf(times, time.UTC)
	fmt.Printf("08:00 %.0f %%, 20:00 %.0f %%, 09:00 %.0f %%\n", p.HourOfDay[8], p.HourOfDay[20], p.HourOfDay[9])
	fmt.Printf("Mon %.0f %%, Tue %.0f %%\n", p.Weekday[0], p.Weekday[1])
	// Output:
	// 08:00 33 %, 20:00 33 %, 09:00 33 %
	// Mon 67 %, Tue 33 %
}

func ExamplePowerSpectrum() {
	times := every(2000, 5*time.Minute)
	sp := plot.PowerSpectrum(times, plot.PeriodogramOptions{})
	fmt.Printf("peak at %.0f s, power %.0f for %d events\n", sp.Peak, plot.RayleighPower(times, 5*time.Minute), sp.N)
	// Output: peak at 300 s, power 2000 for 2000 events
}

func ExamplePeriodogram() {
	times := every(2000, 5*time.Minute)
	err := plot.Periodogram(io.Discard, times, plot.PeriodogramOptions{
		Title:  "Lookups of c2.example.net by 192.0.2.15",
		Period: 5 * time.Minute,
	})
	fmt.Println(err)
	// Output: <nil>
}
