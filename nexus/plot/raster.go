package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"time"

	xfont "golang.org/x/image/font"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RasterOptions configures Raster. The zero value is the documented
// default.
type RasterOptions struct {
	// Title is the figure's title; "" means "Activity by day and time of
	// day".
	Title string
	// Location is the zone of the days and the time of day; nil means UTC.
	Location *time.Location
	// Slot is the width of a cell of the time of day; 0 means 2 minutes.
	// It is clamped to [1 minute, 1 hour].
	Slot time.Duration
	// Width is the figure's width in points (1/72 inch); 0 means 820.
	Width float64
	// RowHeight is the height of one day's row in points; 0 means
	// max(7, 3 × number of series), so that 5 months stay readable at
	// about 1,000 points high.
	RowHeight float64
	// MaxDays is the most days (rows) drawn; 0 means 400. Events spanning
	// more days give ErrSpan.
	MaxDays int
	// Colors are the series colours; nil means Palette.
	Colors []color.Color
}

// Raster draws an activity raster as SVG to w: one row per calendar day
// in opts.Location (first day at the top, dates on the left, weekends
// shaded), the time of day across in slots of opts.Slot, and a mark in
// every slot with at least one event. Each series has its own colour and
// its own stripe within a day's row, so series in lock-step show as
// marks stacked one above the other. The legend gives each series' name
// and event count.
//
// The canvas grows with the number of days (RowHeight points each).
// Series without events still appear in the legend; with no events at
// all the figure says so.
func Raster(w io.Writer, series []Series, opts RasterOptions) error {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	slot := opts.Slot
	if slot <= 0 {
		slot = 2 * time.Minute
	}
	slot = min(max(slot, time.Minute), time.Hour)
	maxDays := opts.MaxDays
	if maxDays <= 0 {
		maxDays = 400
	}
	title := opts.Title
	if title == "" {
		title = "Activity by day and time of day"
	}

	first, days, cells, err := rasterCells(series, loc, slot, maxDays)
	if err != nil {
		return err
	}
	k := max(1, len(series))

	rowH := opts.RowHeight
	if rowH <= 0 {
		rowH = max(7, 3*float64(k))
	}
	width := opts.Width
	if width <= 0 {
		width = 820
	}

	p := newPlot("", fmt.Sprintf("Time of day (%s)", loc), fmt.Sprintf("Date (%s)", loc))
	p.X.Min, p.X.Max = 0, 24
	p.Y.Min, p.Y.Max = 0, float64(days)
	p.X.Tick.Marker = hourTicks{}
	p.Y.Tick.Marker = dayTicks{first: first, days: days}
	p.Y.Tick.Label.Font.Size = vg.Points(min(8, max(5, rowH)))
	r := &rasterPlotter{cells: cells, colors: opts.Colors, first: first, days: days, slots: slotsPerDay(slot), empty: count(series) == 0}
	p.Add(r)

	var legend []legendEntry
	for i, s := range series {
		legend = append(legend, legendEntry{color: seriesColor(opts.Colors, i), text: fmt.Sprintf("%s (%d events)", clean(s.Name, 60), len(s.Times))})
	}
	legend = append(legend, legendEntry{color: weekendShade, text: "Saturday, Sunday"})
	height := vg.Points(rowH*float64(days) + 50)
	return render(w, title, vg.Points(width), height, legend, p)
}

func slotsPerDay(slot time.Duration) int { return int((24*time.Hour + slot - 1) / slot) }

// rasterCells returns the first civil day in loc, the number of days,
// and for each series the set of occupied cells (bit day·slots + slot,
// slots = slotsPerDay(slot)). With no events it returns day 0 and one
// day; past maxDays days, ErrSpan.
func rasterCells(series []Series, loc *time.Location, slot time.Duration, maxDays int) (first int64, days int, cells [][]uint64, err error) {
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for _, s := range series {
		for _, t := range s.Times {
			d := civilDay(t, loc)
			first, last = min(first, d), max(last, d)
		}
	}
	days = 1
	if first <= last {
		if uint64(last-first) >= uint64(maxDays) {
			return 0, 0, nil, fmt.Errorf("%w: %d days from %s to %s, more than %d (see RasterOptions.MaxDays)", ErrSpan,
				uint64(last-first)+1, dayDate(first).Format(time.DateOnly), dayDate(last).Format(time.DateOnly), maxDays)
		}
		days = int(last-first) + 1
	} else {
		first = 0
	}
	slots := slotsPerDay(slot)
	cells = make([][]uint64, len(series))
	for i, s := range series {
		bits := make([]uint64, (days*slots+63)/64)
		for _, t := range s.Times {
			lt := time.Unix(0, t).In(loc)
			d := int(civilDay(t, loc) - first)
			sec := lt.Hour()*3600 + lt.Minute()*60 + lt.Second()
			j := min(slots-1, int(time.Duration(sec)*time.Second/slot))
			c := d*slots + j
			bits[c/64] |= 1 << (c % 64)
		}
		cells[i] = bits
	}
	return first, days, cells, nil
}

var (
	weekendShade = color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	hourLine     = color.RGBA{R: 0xd0, G: 0xd0, B: 0xd0, A: 0xff}
)

// rasterPlotter draws the cells of a raster: y = days − row (the first
// day at the top), x = hours.
type rasterPlotter struct {
	cells       [][]uint64
	colors      []color.Color
	first       int64
	days, slots int
	empty       bool
}

// Plot implements gplot.Plotter.
func (r *rasterPlotter) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	rect := func(x0, x1, y0, y1 float64, clr color.Color, minW vg.Length) {
		X0, X1, Y0, Y1 := trX(x0), trX(x1), trY(y0), trY(y1)
		if X1-X0 < minW {
			X1 = X0 + minW
		}
		c.FillPolygon(clr, []vg.Point{{X: X0, Y: Y0}, {X: X1, Y: Y0}, {X: X1, Y: Y1}, {X: X0, Y: Y1}})
	}
	// Weekend rows.
	for d := range r.days {
		if wd := dayDate(r.first + int64(d)).Weekday(); wd == time.Saturday || wd == time.Sunday {
			y := float64(r.days - d)
			rect(0, 24, y-1, y, weekendShade, 0)
		}
	}
	// Hour lines.
	for h := 1; h < 24; h++ {
		ls := draw.LineStyle{Color: hourLine, Width: vg.Points(0.4)}
		if h%6 == 0 {
			ls.Width = vg.Points(0.8)
		}
		c.StrokeLine2(ls, trX(float64(h)), c.Min.Y, trX(float64(h)), c.Max.Y)
	}
	if r.empty {
		sty := p.Title.TextStyle
		sty.Font.Size = vg.Points(11)
		sty.Font.Weight = xfont.WeightNormal
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		c.FillText(sty, c.Center(), "no events")
		return
	}
	k := len(r.cells)
	band := 0.84 / float64(k) // each series' share of a row
	hoursPerSlot := 24 / float64(r.slots)
	for i, bits := range r.cells {
		clr := seriesColor(r.colors, i)
		for d := range r.days {
			top := float64(r.days-d) - 0.08 - float64(i)*band
			for j := 0; j < r.slots; {
				c0 := d*r.slots + j
				if bits[c0/64]&(1<<(c0%64)) == 0 {
					j++
					continue
				}
				e := j + 1
				for e < r.slots {
					ce := d*r.slots + e
					if bits[ce/64]&(1<<(ce%64)) == 0 {
						break
					}
					e++
				}
				rect(float64(j)*hoursPerSlot, float64(e)*hoursPerSlot, top-band, top, clr, vg.Points(1.5))
				j = e
			}
		}
	}
}

// hourTicks marks every hour, labels every second as "08:00".
type hourTicks struct{}

// Ticks implements gplot.Ticker.
func (hourTicks) Ticks(min, max float64) []gplot.Tick {
	var out []gplot.Tick
	for h := 0; h <= 24; h++ {
		t := gplot.Tick{Value: float64(h)}
		if h%2 == 0 {
			t.Label = fmt.Sprintf("%02d:00", h)
		}
		out = append(out, t)
	}
	return out
}

// dayTicks marks each day's row; it labels every day when there are few,
// and Mondays (and the first day) when there are many.
type dayTicks struct {
	first int64
	days  int
}

// Ticks implements gplot.Ticker.
func (t dayTicks) Ticks(min, max float64) []gplot.Tick {
	var out []gplot.Tick
	every := t.days <= 35
	for d := range t.days {
		date := dayDate(t.first + int64(d))
		tk := gplot.Tick{Value: float64(t.days-d) - 0.5}
		if every || d == 0 || date.Weekday() == time.Monday {
			tk.Label = date.Format("Mon 2006-01-02")
		}
		if !every && tk.Label == "" {
			continue // a minor tick per day would crowd the axis
		}
		out = append(out, tk)
	}
	return out
}
