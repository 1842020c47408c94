// Package plot draws the figures of a DNS timing report as SVG: an
// activity raster (one row per day, time of day across), hour-of-day and
// weekday profiles, and a periodogram of an event train with the detected
// period marked.
//
// It is kept apart from package nexus so that importing nexus does not
// pull in gonum/plot. Times are Unix nanoseconds, as in nexus.Pair.Times,
// in any order; the zone of days and hours is given by the caller (UTC
// when nil). Bad input (no events, one event, unsorted or far-flung
// times, odd names) gives a well-formed figure or an error, never a panic.
package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Series is one train of events to draw, e.g. the lookups of one client
// or logged at one server.
type Series struct {
	// Name labels the series in the legend.
	Name string
	// Times are the event times, Unix nanoseconds, in any order.
	Times []int64
}

// ErrSpan is returned when the events span more days than a figure
// allows (see RasterOptions.MaxDays).
var ErrSpan = errors.New("plot: events span too many days")

// Palette is the default series colours: ten distinct hues that stay
// apart for colour-blind readers in the first few; series past ten reuse
// them.
var Palette = []color.Color{
	rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728), rgb(0x9467bd),
	rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f), rgb(0xbcbd22), rgb(0x17becf),
}

func rgb(x uint32) color.Color {
	return color.RGBA{R: uint8(x >> 16), G: uint8(x >> 8), B: uint8(x), A: 0xff}
}

func seriesColor(colors []color.Color, i int) color.Color {
	if len(colors) == 0 {
		colors = Palette
	}
	c := colors[i%len(colors)]
	if c == nil {
		return Palette[i%len(Palette)]
	}
	return c
}

// clean makes a label safe for the SVG text of gonum/plot: invalid UTF-8
// and control characters become U+FFFD, line breaks spaces, and the
// result is cut to max runes.
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffe || r == 0xffff:
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

// newPlot returns a plot with the package's style: a bold subtitle (""
// for none), axis labels and readable ticks.
func newPlot(subtitle, xlabel, ylabel string) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = clean(subtitle, 200)
	p.Title.TextStyle.Font = sans(11)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Y.Tick.Marker = numTicks{}
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(10)
		a.Tick.Label.Font = sans(8)
		a.Padding = 0
	}
	return p
}

// numTicks are gonum's default ticks labelled without needless decimals
// ("2500", "0.5").
type numTicks struct{}

// Ticks implements gplot.Ticker.
func (numTicks) Ticks(lo, hi float64) []gplot.Tick {
	ts := gplot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 6, 64)
		}
	}
	return ts
}

// sans returns the sans-serif face of the default font at size points.
func sans(size float64) font.Font {
	f := gplot.DefaultFont
	f.Variant = "Sans"
	f.Size = vg.Points(size)
	return f
}

// legendEntry is a swatch and its text.
type legendEntry struct {
	color color.Color
	text  string
	dash  bool // a thin dashed line instead of a bar
	line  bool // a thin solid line instead of a bar
}

// legendHeight is the height of a legend strip with the given number of
// lines.
func legendHeight(lines int) vg.Length { return vg.Length(lines) * vg.Points(14) }

var legendFont = func() font.Face {
	f := sans(9)
	return font.DefaultCache.Lookup(f, f.Size)
}()

// layoutLegend places entries left to right in lines of at most width
// points and returns the lines.
func layoutLegend(entries []legendEntry, width vg.Length) [][]legendEntry {
	var lines [][]legendEntry
	var line []legendEntry
	x := vg.Length(0)
	for _, e := range entries {
		w := entryWidth(e)
		if len(line) > 0 && x+w > width {
			lines = append(lines, line)
			line, x = nil, 0
		}
		line = append(line, e)
		x += w
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	return lines
}

func entryWidth(e legendEntry) vg.Length {
	return vg.Points(16) + legendFont.Width(e.text) + vg.Points(14)
}

// drawLegend draws the lines of a legend, left-aligned at x0, the first
// line's baseline at top − 11 pt.
func drawLegend(c draw.Canvas, lines [][]legendEntry, x0, top vg.Length) {
	sty := text.Style{Color: color.Black, Font: sans(9), Handler: gplot.DefaultTextHandler}
	for i, line := range lines {
		y := top - vg.Points(11) - vg.Length(i)*vg.Points(14)
		x := x0
		for _, e := range line {
			ls := draw.LineStyle{Color: e.color, Width: vg.Points(6)}
			if e.dash || e.line {
				ls.Width = vg.Points(1.5)
			}
			if e.dash {
				ls.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
			}
			c.StrokeLine2(ls, x, y+vg.Points(3), x+vg.Points(12), y+vg.Points(3))
			c.FillText(sty, vg.Point{X: x + vg.Points(16), Y: y}, e.text)
			x += entryWidth(e)
		}
	}
}

// render writes an SVG document: the title, a legend strip under it, and
// the plots side by side below (each given an equal share of the width);
// height is the height of the plots.
func render(w io.Writer, title string, width, height vg.Length, legend []legendEntry, plots ...*gplot.Plot) (err error) {
	defer func() {
		// gonum/plot panics on some degenerate input; report it as an error.
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: drawing failed: %v", r)
		}
	}()
	lines := layoutLegend(legend, width-vg.Points(80))
	head := vg.Points(26) + legendHeight(len(lines))
	if len(lines) > 0 {
		head += vg.Points(4)
	}
	cv := vgsvg.New(width, height+head)
	dc := draw.New(cv)
	dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: width, Y: 0}, {X: width, Y: height + head}, {X: 0, Y: height + head}})
	tsty := text.Style{Color: color.Black, Font: sans(13), Handler: gplot.DefaultTextHandler,
		XAlign: draw.XCenter, YAlign: draw.YTop}
	tsty.Font.Weight = xfont.WeightBold
	dc.FillText(tsty, vg.Point{X: width / 2, Y: height + head - vg.Points(6)}, clean(title, 200))
	if len(lines) > 0 {
		drawLegend(dc, lines, vg.Points(60), height+head-vg.Points(26))
	}
	body := draw.Crop(dc, 0, 0, 0, -head)
	n := len(plots)
	for i, p := range plots {
		left := vg.Length(i) * width / vg.Length(n)
		right := width - vg.Length(i+1)*width/vg.Length(n)
		pc := draw.Crop(body, left+vg.Points(6), -right-vg.Points(12), vg.Points(4), 0)
		p.Draw(pc)
	}
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return err
	}
	// Name fallbacks for viewers without the Liberation fonts.
	doc := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	_, err = w.Write(doc)
	return err
}

// fmtDuration formats a period for an axis or a label: "500 ms", "30 s",
// "5 min", "1 h 05 min", "2 d".
func fmtDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	case d < 10*time.Second && d%time.Second != 0:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d < time.Hour:
		d = d.Round(time.Second)
		if s := d % time.Minute; s != 0 {
			return fmt.Sprintf("%d min %02d s", d/time.Minute, s/time.Second)
		}
		return fmt.Sprintf("%d min", d/time.Minute)
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
		if m := d % time.Hour; m != 0 {
			return fmt.Sprintf("%d h %02d min", d/time.Hour, m/time.Minute)
		}
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	days := d.Hours() / 24
	if math.Abs(days-math.Round(days)) < 0.05 {
		return fmt.Sprintf("%.0f d", days)
	}
	return fmt.Sprintf("%.1f d", days)
}

// civilDay returns the number of the calendar day of t in loc (days since
// 1970-01-01 of the proleptic Gregorian calendar).
func civilDay(ns int64, loc *time.Location) int64 {
	y, m, d := time.Unix(0, ns).In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dayDate returns the civil date of day number n, as a UTC midnight.
func dayDate(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// count returns the events of all series.
func count(series []Series) int {
	n := 0
	for _, s := range series {
		n += len(s.Times)
	}
	return n
}
