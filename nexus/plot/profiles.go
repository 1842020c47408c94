package plot

import (
	"fmt"
	"image/color"
	"io"
	"time"

	"github.com/dnsnexus/dnsnexus/timing"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ProfileOptions configures Profiles. The zero value is the documented
// default.
type ProfileOptions struct {
	// Title is the figure's title; "" means "When the events happen".
	Title string
	// Width and Height are the figure's size in points; 0 means 900 × 330.
	Width, Height float64
	// Colors are the series colours; nil means Palette.
	Colors []color.Color
}

// Profile is the share of a series' events in each local hour of the day
// and each day of the week: HourOfDay[h] = 100 · n(h) / N and Weekday[d] =
// 100 · n(d) / N percent, Monday first, where N is the series' events (all
// zero when N = 0).
type Profile struct {
	N         int
	HourOfDay [24]float64
	Weekday   [7]float64
}

// ProfileOf returns the profile of times in loc (nil means UTC), in any
// order.
func ProfileOf(times []int64, loc *time.Location) Profile {
	r := timing.RhythmOf(times, loc)
	p := Profile{N: r.N}
	if r.N == 0 {
		return p
	}
	for h, n := range r.HourOfDay {
		p.HourOfDay[h] = 100 * float64(n) / float64(r.N)
	}
	for i, n := range r.HourOfWeek {
		p.Weekday[i/24] += 100 * float64(n) / float64(r.N)
	}
	return p
}

var weekdays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// Profiles draws, side by side, the hour-of-day profile (a line per
// series over the 24 local hours) and the weekday profile (grouped bars,
// Monday first) of each series in loc (nil means UTC), as SVG to w. Both
// show shares of each series' own events in percent (see Profile), so
// that series of different sizes compare; a dashed line marks the share
// of a flat profile (100/24 % and 100/7 %).
func Profiles(w io.Writer, series []Series, loc *time.Location, opts ProfileOptions) error {
	if loc == nil {
		loc = time.UTC
	}
	title := opts.Title
	if title == "" {
		title = "When the events happen"
	}
	width, height := opts.Width, opts.Height
	if width <= 0 {
		width = 900
	}
	if height <= 0 {
		height = 330
	}
	profiles := make([]Profile, len(series))
	for i, s := range series {
		profiles[i] = ProfileOf(s.Times, loc)
	}

	hours := newPlot("Hour of day", fmt.Sprintf("Hour of day (%s)", loc), "Share of the series' events (%)")
	hours.X.Min, hours.X.Max = 0, 24
	hours.Y.Min = 0
	hours.X.Tick.Marker = hourTicks{}
	hours.Add(flatLine(100.0 / 24))
	days := newPlot("Day of week", fmt.Sprintf("Day of week (%s)", loc), "Share of the series' events (%)")
	days.Y.Min = 0
	days.NominalX(weekdays...)
	days.X.Min, days.X.Max = -0.5, 6.5
	days.Add(flatLine(100.0 / 7))

	k := max(1, len(series))
	group := vg.Points(0.8 * (width/2 - 80) / 7)
	bar := group / vg.Length(k)
	var legend []legendEntry
	top := 100.0 / 7
	for i, s := range series {
		clr := seriesColor(opts.Colors, i)
		legend = append(legend, legendEntry{color: clr, text: fmt.Sprintf("%s (%d events)", clean(s.Name, 60), len(s.Times))})
		p := &profiles[i]
		if p.N == 0 {
			continue
		}
		xy := make(plotter.XYs, 24)
		for h := range 24 {
			xy[h] = plotter.XY{X: float64(h) + 0.5, Y: p.HourOfDay[h]}
			top = max(top, p.HourOfDay[h])
		}
		line, points, err := plotter.NewLinePoints(xy)
		if err != nil {
			return err
		}
		line.Color, line.Width = clr, vg.Points(1.5)
		points.Color, points.Shape, points.Radius = clr, draw.CircleGlyph{}, vg.Points(2)
		hours.Add(line, points)

		vals := make(plotter.Values, 7)
		for d := range 7 {
			vals[d] = p.Weekday[d]
			top = max(top, p.Weekday[d])
		}
		bars, err := plotter.NewBarChart(vals, bar)
		if err != nil {
			return err
		}
		bars.Color = clr
		bars.LineStyle.Width = 0
		bars.Offset = -group/2 + bar*vg.Length(i) + bar/2
		days.Add(bars)
	}
	hours.Y.Max = top * 1.08
	days.Y.Max = top * 1.08
	if count(series) == 0 {
		hours.Add(note("no events"))
		days.Add(note("no events"))
	}
	legend = append(legend, legendEntry{color: color.Gray{Y: 0x80}, text: "flat profile", dash: true})
	return render(w, title, vg.Points(width), vg.Points(height), legend, hours, days)
}

// flatLine is a dashed horizontal line at y, across the plot.
type flatLine float64

// Plot implements gplot.Plotter.
func (f flatLine) Plot(c draw.Canvas, p *gplot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(float64(f))
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}},
		c.Min.X, y, c.Max.X, y)
}

// note writes a line of text in the middle of the plot.
type note string

// Plot implements gplot.Plotter.
func (n note) Plot(c draw.Canvas, p *gplot.Plot) {
	sty := p.X.Label.TextStyle
	sty.Font = sans(11)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	sty.Rotation = 0
	c.FillText(sty, c.Center(), string(n))
}
