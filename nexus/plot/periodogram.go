package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"math/bits"
	"time"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"gonum.org/v1/gonum/dsp/fourier"
)

// PeriodogramOptions configures PowerSpectrum and Periodogram. The zero
// value is the documented default.
type PeriodogramOptions struct {
	// Title is the figure's title; "" means "Periodogram".
	Title string
	// Period is the detected period to mark with a vertical line and its
	// Rayleigh power; 0 marks none.
	Period time.Duration
	// MinPeriod and MaxPeriod bound the periods shown; 0 means 4 bins
	// (at least 2 s) and a third of the span of the events (at most 8
	// days).
	MinPeriod, MaxPeriod time.Duration
	// Bin is the width of the bins events are counted in; 0 means 1 s or
	// the span over 2^19, whichever is longer (so that the work memory
	// stays under about 24 MB). A shorter Bin than that is raised to it.
	Bin time.Duration
	// Alpha is the false-alarm probability of the threshold line; 0 means
	// 0.01.
	Alpha float64
	// Points is the most points of the curve: the periods are grouped in
	// that many logarithmic buckets and the largest power of each is kept;
	// 0 means 800, and more than 2^22 counts as 2^22.
	Points int
	// Width and Height are the figure's size in points; 0 means 820 × 380.
	Width, Height float64
}

// Spectrum is the periodogram of an event train (see PowerSpectrum).
type Spectrum struct {
	// Periods (seconds, ascending) and Power are the curve: at each period
	// the largest power of its bucket.
	Periods, Power []float64
	// N is the number of events; Bin the width of the bins counted.
	N   int
	Bin time.Duration
	// Independent is the number of independent frequencies in the range
	// shown, and Threshold the power that noise exceeds at any of them
	// with probability Alpha: z = −ln(1 − (1 − α)^(1/M)), M = Independent.
	Independent int
	Threshold   float64
	// Peak is the period (seconds) of the largest power, 0 when none.
	Peak float64
}

// maxBins bounds the bins of PowerSpectrum (before padding to a power of
// two).
const maxBins = 1 << 19

// PowerSpectrum computes the periodogram of an event train (times in Unix
// nanoseconds, any order) with gonum's FFT. The events are counted in L
// bins of width Δ from the first event, c_j, and the mean count N/L is
// removed; the series is zero-padded to M = 2^⌈log₂ L⌉ bins. The power
// at frequency k/(MΔ), period T_k = MΔ/k, is
//
//	P_k = |Σ_j (c_j − N/L) e^{−2πi jk/M}|² / N,
//
// the binned form of the Rayleigh power Z(T) = |Σ_n e^{2πi t_n/T}|² / n
// (see RayleighPower). For a homogeneous Poisson process P_k is about
// exponential with mean 1 at every k, so the level of noise is 1 whatever
// the rate; a strict beacon with n events has P ≈ n at its period (less a
// factor sinc²(πΔ/T) from the binning, 0.81 at T = 4Δ) and at its
// harmonics T/2, T/3, ….
//
// Fewer than two events, or events all in one bin, give an empty
// Spectrum.
func PowerSpectrum(times []int64, opts PeriodogramOptions) Spectrum {
	sp := Spectrum{N: len(times)}
	alpha := opts.Alpha
	if !(alpha > 0 && alpha < 1) {
		alpha = 0.01
	}
	if len(times) < 2 {
		return sp
	}
	lo, hi := times[0], times[0]
	for _, t := range times {
		lo, hi = min(lo, t), max(hi, t)
	}
	span := uint64(hi) - uint64(lo) // exact for hi ≥ lo, even across the int64 range
	bin := uint64(max(opts.Bin, time.Second))
	if minBin := span/maxBins + 1; bin < minBin {
		bin = minBin
	}
	sp.Bin = time.Duration(bin)
	l := span/bin + 1
	if l < 8 {
		return sp
	}
	m := 1 << bits.Len64(l-1)
	counts := make([]float64, m)
	for _, t := range times {
		counts[(uint64(t)-uint64(lo))/bin]++
	}
	mean := float64(len(times)) / float64(l)
	for j := range l {
		counts[j] -= mean
	}
	coef := fourier.NewFFT(m).Coefficients(nil, counts)

	// The range of periods, in seconds.
	binS := float64(bin) / 1e9
	tMin := max(4*binS, 2, opts.MinPeriod.Seconds())
	tMax := float64(span) / 1e9 / 3
	tMax = min(tMax, 8*86400)
	if opts.MaxPeriod > 0 {
		tMax = min(opts.MaxPeriod.Seconds(), float64(span)/1e9)
	}
	if !(tMax > tMin) {
		return sp
	}
	total := float64(m) * binS
	kLo := max(1, int(math.Ceil(total/tMax)))
	kHi := min(m/2, int(math.Floor(total/tMin)))
	if kHi < kLo {
		return sp
	}
	points := opts.Points
	if points <= 0 {
		points = 800
	}
	points = min(points, 1<<22)
	logLo, logHi := math.Log(tMin), math.Log(tMax)
	bucketP := make([]float64, points)
	bucketT := make([]float64, points)
	best := -1.0
	n := float64(len(times))
	for k := kLo; k <= kHi; k++ {
		c := coef[k]
		p := (real(c)*real(c) + imag(c)*imag(c)) / n
		t := total / float64(k)
		b := int(float64(points) * (math.Log(t) - logLo) / (logHi - logLo))
		b = min(max(b, 0), points-1)
		if p > bucketP[b] || bucketT[b] == 0 {
			bucketP[b], bucketT[b] = p, t
		}
		if p > best {
			best, sp.Peak = p, t
		}
	}
	for b := range points {
		if bucketT[b] > 0 {
			sp.Periods = append(sp.Periods, bucketT[b])
			sp.Power = append(sp.Power, bucketP[b])
		}
	}
	// Zero-padding oversamples the frequencies by M/L.
	sp.Independent = max(1, int(float64(kHi-kLo+1)*float64(l)/float64(m)))
	sp.Threshold = -math.Log(-math.Expm1(math.Log1p(-alpha) / float64(sp.Independent)))
	return sp
}

// RayleighPower returns the Rayleigh power of times at period T,
//
//	Z(T) = |Σ_n e^{2πi t_n/T}|² / n,
//
// computed exactly (phases from t mod T in integer nanoseconds). It is
// about exponential with mean 1 for Poisson events and n for events
// locked to the period; 0 for no events or T ≤ 0.
func RayleighPower(times []int64, period time.Duration) float64 {
	if len(times) == 0 || period <= 0 {
		return 0
	}
	var c, s float64
	for _, t := range times {
		ph := t % int64(period)
		if ph < 0 {
			ph += int64(period)
		}
		a := 2 * math.Pi * float64(ph) / float64(period)
		c += math.Cos(a)
		s += math.Sin(a)
	}
	return (c*c + s*s) / float64(len(times))
}

// Periodogram draws the periodogram of times (see PowerSpectrum) as SVG
// to w: power against period on a logarithmic axis, the false-alarm
// threshold at opts.Alpha as a dashed line, and opts.Period, when given,
// as a red vertical line labelled with the period and its exact Rayleigh
// power. With too few events the figure says so.
func Periodogram(w io.Writer, times []int64, opts PeriodogramOptions) error {
	sp := PowerSpectrum(times, opts)
	title := opts.Title
	if title == "" {
		title = "Periodogram"
	}
	width, height := opts.Width, opts.Height
	if width <= 0 {
		width = 820
	}
	if height <= 0 {
		height = 380
	}
	p := newPlot("", "Period (logarithmic)", "Power (noise mean = 1)")
	p.X.Scale = gplot.LogScale{}
	p.X.Tick.Marker = periodTicks{}
	p.Y.Min = 0
	alpha := opts.Alpha
	if !(alpha > 0 && alpha < 1) {
		alpha = 0.01
	}
	desc := fmt.Sprintf("power (%d events)", sp.N)
	if sp.Bin > 0 {
		desc = fmt.Sprintf("power (%d events, bins of %s)", sp.N, fmtDuration(sp.Bin))
	}
	legend := []legendEntry{{color: Palette[0], line: true, text: desc}}
	if len(sp.Periods) == 0 {
		p.X.Min, p.X.Max = 1, 86400
		p.Y.Max = 1
		p.Add(note(fmt.Sprintf("too few events or too short a span (%d events)", sp.N)))
	} else {
		xy := make(plotter.XYs, len(sp.Periods))
		top := sp.Threshold
		for i := range sp.Periods {
			xy[i] = plotter.XY{X: sp.Periods[i], Y: sp.Power[i]}
			top = max(top, sp.Power[i])
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		line.Color, line.Width = Palette[0], vg.Points(1)
		p.Add(line)
		p.X.Min, p.X.Max = sp.Periods[0], sp.Periods[len(sp.Periods)-1]
		if p.X.Max <= p.X.Min {
			p.X.Min, p.X.Max = p.X.Min/2, p.X.Max*2
		}
		p.Y.Max = top * 1.1
		p.Add(flatLine(sp.Threshold))
		legend = append(legend, legendEntry{color: color.Gray{Y: 0x80}, dash: true,
			text: fmt.Sprintf("false-alarm level %g %% (z = %.1f over %d frequencies)", 100*alpha, sp.Threshold, sp.Independent)})
	}
	if opts.Period > 0 {
		z := RayleighPower(times, opts.Period)
		label := fmt.Sprintf("detected period %s (Z = %.0f)", fmtDuration(opts.Period), z)
		p.Add(marker{x: opts.Period.Seconds(), label: label})
		legend = append(legend, legendEntry{color: markColor, text: label, dash: true})
	}
	return render(w, title, vg.Points(width), vg.Points(height), legend, p)
}

var markColor = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}

// marker is a red vertical line at x with a label beside its top.
type marker struct {
	x     float64
	label string
}

// Plot implements gplot.Plotter.
func (m marker) Plot(c draw.Canvas, p *gplot.Plot) {
	if !(m.x >= p.X.Min && m.x <= p.X.Max) || m.x <= 0 {
		return
	}
	trX, _ := p.Transforms(&c)
	x := trX(m.x)
	c.StrokeLine2(draw.LineStyle{Color: markColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, x, c.Min.Y, x, c.Max.Y)
	sty := p.X.Label.TextStyle
	sty.Font = sans(9)
	sty.Color = markColor
	sty.YAlign = draw.YTop
	sty.XAlign = draw.XLeft
	pt := vg.Point{X: x + vg.Points(3), Y: c.Max.Y - vg.Points(2)}
	if x > c.Min.X+(c.Max.X-c.Min.X)*0.7 {
		sty.XAlign = draw.XRight
		pt.X = x - vg.Points(3)
	}
	c.FillText(sty, pt, m.label)
}

// niceDurations are the candidate ticks of a period axis.
var niceDurations = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour,
}

// periodTicks labels a period axis in seconds with durations (1 s, 5 min,
// 1 h, 1 d, …), keeping at most about ten labels.
type periodTicks struct{}

// Ticks implements gplot.Ticker.
func (periodTicks) Ticks(lo, hi float64) []gplot.Tick {
	var in []time.Duration
	for _, d := range niceDurations {
		if s := d.Seconds(); s >= lo && s <= hi {
			in = append(in, d)
		}
	}
	step := (len(in) + 9) / 10
	var out []gplot.Tick
	for i, d := range in {
		t := gplot.Tick{Value: d.Seconds()}
		if step <= 1 || i%step == 0 {
			t.Label = fmtDuration(d)
		}
		out = append(out, t)
	}
	if len(out) < 2 { // a narrow range: fall back to plain seconds
		out = append(out[:0], gplot.Tick{Value: lo, Label: fmtDuration(time.Duration(lo * 1e9))},
			gplot.Tick{Value: hi, Label: fmtDuration(time.Duration(hi * 1e9))})
	}
	return out
}
