package plot

import (
	"bytes"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPowerSpectrumMatchesRayleigh checks the FFT against the direct sum:
// with events at whole seconds spanning exactly 1024 one-second bins, no
// padding is needed and P_k equals the Rayleigh power at T = 1024 s / k.
func TestPowerSpectrumMatchesRayleigh(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	base := t0.UnixNano()
	times := []int64{base, base + 1023e9}
	for range 300 {
		times = append(times, base+rng.Int64N(1024)*1e9)
	}
	sp := PowerSpectrum(times, PeriodogramOptions{Bin: time.Second, Points: 1 << 20})
	if sp.Bin != time.Second {
		t.Fatalf("bin %v", sp.Bin)
	}
	checked := 0
	for i, T := range sp.Periods {
		k := 1024 / T
		if math.Abs(k-math.Round(k)) > 1e-6 {
			t.Fatalf("period %v is not 1024 s / k", T)
		}
		want := RayleighPower(times, time.Duration(T*1e9))
		if math.Abs(sp.Power[i]-want) > 1e-6*math.Max(1, want) {
			t.Errorf("T = %.3f s: FFT power %.9g, Rayleigh %.9g", T, sp.Power[i], want)
		}
		checked++
	}
	// Periods from 4 s to 1024/3 s: k from 4 to 256.
	if checked != 253 {
		t.Errorf("%d periods compared, want 253", checked)
	}
}

func TestRayleighPower(t *testing.T) {
	// Locked to the period: Z = n.
	var locked []int64
	for i := range 100 {
		locked = append(locked, int64(i)*int64(time.Hour)+17e9)
	}
	if z := RayleighPower(locked, time.Hour); math.Abs(z-100) > 1e-9 {
		t.Errorf("locked: Z = %v, want 100", z)
	}
	// Two events half a period apart cancel: Z = 0.
	if z := RayleighPower([]int64{0, 30 * 60e9}, time.Hour); z > 1e-20 {
		t.Errorf("opposite: Z = %v, want 0", z)
	}
	// Negative times take the same phase as positive ones.
	if z := RayleighPower([]int64{-int64(time.Hour), 0, int64(time.Hour)}, time.Hour); math.Abs(z-3) > 1e-9 {
		t.Errorf("negative times: Z = %v, want 3", z)
	}
	if RayleighPower(nil, time.Hour) != 0 || RayleighPower(locked, 0) != 0 {
		t.Error("no events or no period should give 0")
	}
}

// TestPowerSpectrumBeacon: a 5-minute beacon with jitter and missed beats
// peaks at 5 minutes, far above the false-alarm level.
func TestPowerSpectrumBeacon(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	times := beacon(rng, 5000, 5*time.Minute, 0.1, 0.7)
	times = append(times, poisson(rng, 500, 30*time.Minute)...)
	sp := PowerSpectrum(times, PeriodogramOptions{})
	if math.Abs(sp.Peak-300)/300 > 0.005 {
		t.Errorf("peak at %.2f s, want 300 s", sp.Peak)
	}
	best := 0.0
	for _, p := range sp.Power {
		best = max(best, p)
	}
	if best < 10*sp.Threshold {
		t.Errorf("peak power %.1f, threshold %.1f", best, sp.Threshold)
	}
}

// TestPowerSpectrumDaily: office-hours activity peaks at 24 hours when the
// range reaches it.
func TestPowerSpectrumDaily(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	s := officeSeries(rng, "office", 60, 20)
	sp := PowerSpectrum(s.Times, PeriodogramOptions{MinPeriod: time.Hour})
	if math.Abs(sp.Peak-86400)/86400 > 0.02 {
		t.Errorf("peak at %s, want 24 h", time.Duration(sp.Peak*1e9))
	}
}

// TestPowerSpectrumPoisson: for Poisson events the power averages 1 and
// stays under the false-alarm level.
func TestPowerSpectrumPoisson(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	times := poisson(rng, 20000, 90*time.Second)
	// Every frequency, one per bucket, to average them all.
	sp := PowerSpectrum(times, PeriodogramOptions{Points: 1 << 22})
	mean := 0.0
	above := 0
	for _, p := range sp.Power {
		mean += p
		if p > sp.Threshold {
			above++
		}
	}
	mean /= float64(len(sp.Power))
	if math.Abs(mean-1) > 0.05 {
		t.Errorf("mean power %.3f over %d periods, want 1", mean, len(sp.Power))
	}
	// The threshold is for the maximum over all frequencies at α = 1 %.
	if above > 0 {
		t.Errorf("%d of %d powers above the 1 %% false-alarm level %.1f", above, len(sp.Power), sp.Threshold)
	}
	if sp.Independent < 1000 {
		t.Errorf("%d independent frequencies", sp.Independent)
	}
}

func TestPowerSpectrumDegenerate(t *testing.T) {
	for name, times := range map[string][]int64{
		"none":      nil,
		"one":       {5},
		"same time": {5, 5, 5},
		"short":     {0, 3e9},
	} {
		sp := PowerSpectrum(times, PeriodogramOptions{})
		if len(sp.Periods) != 0 || sp.Peak != 0 {
			t.Errorf("%s: %d periods, peak %v", name, len(sp.Periods), sp.Peak)
		}
	}
}

func TestPeriodogramMarksPeriod(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	times := beacon(rng, 3000, 5*time.Minute, 0.05, 0.9)
	var buf bytes.Buffer
	if err := Periodogram(&buf, times, PeriodogramOptions{Title: "C2 beacon", Period: 5 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	text, _ := parseSVG(t, buf.Bytes())
	for _, want := range []string{"C2 beacon", "detected period 5 min (Z = ", "false-alarm level 1 %", "Period (logarithmic)", "Power (noise mean = 1)"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG text lacks %q:\n%s", want, text)
		}
	}
	// The period axis is labelled with durations.
	if n := len(regexp.MustCompile(`(?m)^\d+ (s|min|h|d)$`).FindAllString(text, -1)); n < 4 {
		t.Errorf("%d duration labels on the period axis:\n%s", n, text)
	}
}

func TestFmtDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "0",
		250 * time.Millisecond:  "250 ms",
		4600 * time.Millisecond: "4.6 s",
		30 * time.Second:        "30 s",
		5 * time.Minute:         "5 min",
		90 * time.Second:        "1 min 30 s",
		time.Hour:               "1 h",
		65 * time.Minute:        "1 h 05 min",
		24 * time.Hour:          "24 h",
		7 * 24 * time.Hour:      "7 d",
		60 * time.Hour:          "2.5 d",
	} {
		if got := fmtDuration(d); got != want {
			t.Errorf("fmtDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
