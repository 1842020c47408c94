package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var t0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday

// officeSeries makes events on weekdays 09–17 UTC over days days, about
// perDay a day.
func officeSeries(rng *rand.Rand, name string, days, perDay int) Series {
	s := Series{Name: name}
	for d := range days {
		day := t0.AddDate(0, 0, d)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for range perDay {
			s.Times = append(s.Times, day.Add(9*time.Hour+time.Duration(rng.Int64N(int64(8*time.Hour)))).UnixNano())
		}
	}
	return s
}

// beacon returns n events every period with uniform jitter of ±jitter·period/2,
// each kept with probability keep.
func beacon(rng *rand.Rand, n int, period time.Duration, jitter, keep float64) []int64 {
	var out []int64
	for i := range n {
		if rng.Float64() >= keep {
			continue
		}
		j := (rng.Float64() - 0.5) * jitter * float64(period)
		out = append(out, t0.Add(time.Duration(i)*period+time.Duration(j)).UnixNano())
	}
	return out
}

// poisson returns n events of a Poisson process with the given mean gap.
func poisson(rng *rand.Rand, n int, mean time.Duration) []int64 {
	out := make([]int64, n)
	t := t0.UnixNano()
	for i := range out {
		t += int64(rng.ExpFloat64() * float64(mean))
		out[i] = t
	}
	return out
}

// parseSVG checks that doc is well-formed XML with an <svg> root and
// returns its text and root attributes.
func parseSVG(t *testing.T, doc []byte) (text string, root map[string]string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var b strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if tok.Name.Local != "svg" {
					t.Fatalf("root element %q", tok.Name.Local)
				}
				root = map[string]string{}
				for _, a := range tok.Attr {
					root[a.Name.Local] = a.Value
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			b.Write(tok)
			b.WriteByte('\n')
		}
	}
	if root == nil || depth != 0 {
		t.Fatalf("no complete <svg> element")
	}
	return b.String(), root
}

func svgHeight(t *testing.T, root map[string]string) float64 {
	t.Helper()
	h, err := strconv.ParseFloat(strings.TrimSuffix(root["height"], "pt"), 64)
	if err != nil {
		t.Fatalf("height %q: %v", root["height"], err)
	}
	return h
}

// figures runs each figure on series.
var figures = map[string]func(w io.Writer, series []Series, title string) error{
	"raster": func(w io.Writer, s []Series, title string) error {
		return Raster(w, s, RasterOptions{Title: title})
	},
	"profiles": func(w io.Writer, s []Series, title string) error {
		return Profiles(w, s, nil, ProfileOptions{Title: title})
	},
	"periodogram": func(w io.Writer, s []Series, title string) error {
		var times []int64
		for _, x := range s {
			times = append(times, x.Times...)
		}
		return Periodogram(w, times, PeriodogramOptions{Title: title, Period: 5 * time.Minute})
	},
}

func TestFiguresWellFormed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	office := officeSeries(rng, "resolver A", 21, 30)
	unsorted := slices.Clone(office.Times)
	rng.Shuffle(len(unsorted), func(i, j int) { unsorted[i], unsorted[j] = unsorted[j], unsorted[i] })
	cases := map[string][]Series{
		"normal":      {office, {Name: "beacon", Times: beacon(rng, 2000, 5*time.Minute, 0.05, 0.8)}},
		"no series":   nil,
		"no events":   {{Name: "empty"}},
		"one event":   {{Name: "one", Times: []int64{t0.UnixNano()}}},
		"same time":   {{Name: "same", Times: []int64{t0.UnixNano(), t0.UnixNano(), t0.UnixNano()}}},
		"unsorted":    {{Name: "shuffled", Times: unsorted}},
		"odd names":   {{Name: "a<b>&\"c'\x00\x01\xff\n\u2028" + strings.Repeat("x", 500), Times: office.Times[:10]}},
		"many series": make([]Series, 14),
	}
	for name, series := range cases {
		for fig, draw := range figures {
			t.Run(name+"/"+fig, func(t *testing.T) {
				title := "Title <" + name + "> & co"
				var buf bytes.Buffer
				if err := draw(&buf, series, title); err != nil {
					t.Fatal(err)
				}
				text, _ := parseSVG(t, buf.Bytes())
				if !strings.Contains(text, title) {
					t.Errorf("title %q not in the SVG text", title)
				}
			})
		}
	}
}

// TestFiguresFarFlung checks times at the ends of the int64 range: an
// error or a figure, never a panic.
func TestFiguresFarFlung(t *testing.T) {
	times := []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}
	for fig, draw := range figures {
		var buf bytes.Buffer
		err := draw(&buf, []Series{{Name: "x", Times: times}}, "far")
		if fig == "raster" {
			if !errors.Is(err, ErrSpan) {
				t.Errorf("raster: %v, want ErrSpan", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", fig, err)
			continue
		}
		parseSVG(t, buf.Bytes())
	}
	sp := PowerSpectrum(times, PeriodogramOptions{})
	if sp.Bin < time.Duration(math.MaxInt64/maxBins) {
		t.Errorf("bin %v for a span of 2^64 ns", sp.Bin)
	}
}

func TestRasterCells(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	at := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixNano()
	}
	series := []Series{
		{Name: "a", Times: []int64{at("2026-03-02T23:59:59Z"), at("2026-03-02T00:00:00Z"), at("2026-03-02T00:01:59Z")}},
		{Name: "b", Times: []int64{at("2026-03-04T12:03:00Z")}},
	}
	set := func(bits []uint64) []int {
		var out []int
		for i := range len(bits) * 64 {
			if bits[i/64]&(1<<(i%64)) != 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for _, c := range []struct {
		loc   *time.Location
		first string
		days  int
		a, b  []int
	}{
		// UTC: day 0 slots 0 (twice) and 719; b on day 2 at 12:03 → slot 361.
		{time.UTC, "2026-03-02", 3, []int{0, 719}, []int{2*720 + 361}},
		// MSK (+3 h): 00:00Z is 03:00 (slot 90), 00:01:59Z 03:01:59 (slot
		// 90), 23:59:59Z is 02:59:59 of the next day (slot 89).
		{msk, "2026-03-02", 3, []int{90, 720 + 89}, []int{2*720 + 451}},
	} {
		first, days, cells, err := rasterCells(series, c.loc, 2*time.Minute, 400)
		if err != nil {
			t.Fatal(err)
		}
		if got := dayDate(first).Format(time.DateOnly); got != c.first || days != c.days {
			t.Errorf("%s: first %s, %d days; want %s, %d", c.loc, got, days, c.first, c.days)
		}
		if diff := cmp.Diff([][]int{c.a, c.b}, [][]int{set(cells[0]), set(cells[1])}); diff != "" {
			t.Errorf("%s: cells (-want +got):\n%s", c.loc, diff)
		}
	}
	if _, _, _, err := rasterCells(series, time.UTC, 2*time.Minute, 2); !errors.Is(err, ErrSpan) {
		t.Errorf("3 days with MaxDays 2: %v", err)
	}
}

// TestRasterSizedByRows checks that the canvas grows with the days: five
// months stay at the row height given.
func TestRasterSizedByRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	h := map[int]float64{}
	for _, days := range []int{7, 140} {
		var buf bytes.Buffer
		s := []Series{officeSeries(rng, "a", days, 5), officeSeries(rng, "b", days, 5)}
		if err := Raster(&buf, s, RasterOptions{}); err != nil {
			t.Fatal(err)
		}
		text, root := parseSVG(t, buf.Bytes())
		h[days] = svgHeight(t, root)
		if days == 140 && !strings.Contains(text, "Mon 2026-03-09") {
			t.Error("no Monday label on the date axis")
		}
	}
	if got := h[140] - h[7]; math.Abs(got-133*7) > 1 { // 2 series: max(7, 3·2) = 7 pt a row
		t.Errorf("140 days are %.1f pt taller than 7 days, want %d", got, 133*7)
	}
}

func TestProfileOf(t *testing.T) {
	at := func(s string) int64 {
		tm, _ := time.Parse(time.RFC3339, s)
		return tm.UnixNano()
	}
	// Three events on Monday 09:xx UTC, one on Saturday 21:00 UTC.
	times := []int64{at("2026-03-07T21:00:00Z"), at("2026-03-02T09:10:00Z"), at("2026-03-02T09:20:00Z"), at("2026-03-02T09:59:59Z")}
	var want Profile
	want.N = 4
	want.HourOfDay[9], want.HourOfDay[21] = 75, 25
	want.Weekday[0], want.Weekday[5] = 75, 25
	if diff := cmp.Diff(want, ProfileOf(times, nil), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("UTC (-want +got):\n%s", diff)
	}
	// At UTC−5 the Monday events are at 04:xx, the Saturday one at 16:00.
	var want2 Profile
	want2.N = 4
	want2.HourOfDay[4], want2.HourOfDay[16] = 75, 25
	want2.Weekday[0], want2.Weekday[5] = 75, 25
	if diff := cmp.Diff(want2, ProfileOf(times, time.FixedZone("EST", -5*3600)), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("UTC−5 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Profile{}, ProfileOf(nil, nil)); diff != "" {
		t.Errorf("no events (-want +got):\n%s", diff)
	}
}
