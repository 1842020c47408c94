package timing_test

import (
	"fmt"
	"time"

	"github.com/dnsnexus/dnsnexus/timing"
)

// A one-minute beat with a lookup of its own at +20 s, measured near 55 s:
// the beat is 60 s, and the extra lookup is counted, not taken for a beat.
func ExampleMeasurePeriod() {
	var s []float64
	for i := range 31 {
		s = append(s, float64(i)*60)
	}
	s = append(s[:2], append([]float64{80}, s[2:]...)...)
	p := timing.MeasurePeriod(secs(s...), 55*time.Second, timing.PeriodOptions{})
	fmt.Printf("period %.0f s, %d beats, %d extra, %d missed\n", p.Seconds, p.Beats, p.Extra, p.Missed)
	// Output: period 60 s, 31 beats, 1 extra, 0 missed
}
