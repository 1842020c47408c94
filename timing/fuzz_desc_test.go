package timing

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// descFuzzMax bounds the events decoded from one fuzz input.
const descFuzzMax = 4096

// descDecodeTimes turns fuzz bytes into event times and a duration
// parameter. Byte 0 selects the encoding: even → raw little-endian int64
// values (any order, any range); odd → a start near 2026 plus cumulative
// 16-bit gaps in units of 1 ms, 1 s, 1 min or 1 h chosen by bits 1–2. Bytes
// 1–2 give the parameter in seconds (with bit 3 of byte 0 making it
// negative).
func descDecodeTimes(data []byte) ([]int64, time.Duration) {
	if len(data) < 3 {
		return nil, 0
	}
	mode := data[0]
	param := time.Duration(binary.LittleEndian.Uint16(data[1:3])) * time.Second
	if mode&8 != 0 {
		param = -param
	}
	data = data[3:]
	var times []int64
	if mode&1 == 0 {
		for len(data) >= 8 && len(times) < descFuzzMax {
			times = append(times, int64(binary.LittleEndian.Uint64(data)))
			data = data[8:]
		}
		return times, param
	}
	unit := [4]int64{1e6, 1e9, 60e9, 3600e9}[(mode>>1)&3]
	t := int64(1_780_000_000) * 1e9
	for len(data) >= 2 && len(times) < descFuzzMax {
		t += int64(binary.LittleEndian.Uint16(data)) * unit
		times = append(times, t)
		data = data[2:]
	}
	return times, param
}

// descCheckFinite fails if any float in v (recursively through structs,
// arrays and slices) is NaN or infinite.
func descCheckFinite(t *testing.T, name string, v any) {
	t.Helper()
	var walk func(path string, x reflect.Value)
	walk = func(path string, x reflect.Value) {
		switch x.Kind() {
		case reflect.Float64, reflect.Float32:
			if f := x.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				t.Errorf("%s%s = %v", name, path, f)
			}
		case reflect.Struct:
			for i := range x.NumField() {
				walk(path+"."+x.Type().Field(i).Name, x.Field(i))
			}
		case reflect.Array, reflect.Slice:
			for i := range x.Len() {
				walk(path+"[]", x.Index(i))
			}
		}
	}
	walk("", reflect.ValueOf(v))
}

func descInUnit(t *testing.T, name string, v float64) {
	t.Helper()
	if !(v >= 0 && v <= 1) {
		t.Errorf("%s = %v, want in [0, 1]", name, v)
	}
}

func FuzzSummarize(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var gaps []float64
		for len(data) >= 8 && len(gaps) < descFuzzMax {
			gaps = append(gaps, math.Float64frombits(binary.LittleEndian.Uint64(data)))
			data = data[8:]
		}
		s := Summarize(gaps)
		descCheckFinite(t, "Summary", s)
		if s.N+s.Dropped != len(gaps) {
			t.Errorf("N %d + Dropped %d != %d values", s.N, s.Dropped, len(gaps))
		}
		if s.N > 0 && !(s.Min <= s.Q1 && s.Q1 <= s.Median && s.Median <= s.Q3 && s.Q3 <= s.Max) {
			t.Errorf("quantiles out of order: %+v", s)
		}
		if s.MAD < 0 || s.StdDev < 0 || s.IQR < 0 || s.CV < 0 || math.Abs(s.Bowley) > 1 {
			t.Errorf("out of range: %+v", s)
		}
		for name, v := range map[string]float64{
			"Burstiness": Burstiness(gaps), "RawBurstiness": RawBurstiness(gaps), "Memory": Memory(gaps),
		} {
			if !(v >= -1 && v <= 1) {
				t.Errorf("%s = %v, want in [-1, 1]", name, v)
			}
		}
	})
}

func FuzzRhythmOf(f *testing.F) {
	zones := []*time.Location{time.UTC, time.FixedZone("X", -(9*3600 + 30*60))}
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		times, param := descDecodeTimes(data)
		loc := zones[int(uint64(param)%uint64(len(zones)))]
		r := RhythmOf(times, loc)
		descCheckFinite(t, "Rhythm", r)
		sum := 0
		for _, c := range r.HourOfDay {
			sum += c
		}
		if sum != len(times) || r.N != len(times) {
			t.Errorf("HourOfDay sums to %d, N %d, want %d", sum, r.N, len(times))
		}
		for name, v := range map[string]float64{"Business": r.Business, "Weekday": r.Weekday, "Weekend": r.Weekend,
			"Night": r.Night, "Day.P": r.Day.P, "Week.P": r.Week.P, "Day.R": r.Day.R, "Entropy": r.Entropy, "WeekEntropy": r.WeekEntropy} {
			descInUnit(t, name, v)
		}
		if r.Day.Phase < 0 || r.Day.Phase >= 86400 || r.Week.Phase < 0 || r.Week.Phase >= 604800 {
			t.Errorf("phases out of range: %v %v", r.Day.Phase, r.Week.Phase)
		}
		// Analyze's one-pass profile of the sorted times: RhythmOf's
		// figures of them, bit for bit.
		sorted := sortedView(times)
		rp, p := rhythmPersistence(sorted, loc)
		if diff := cmp.Diff(RhythmOf(sorted, loc), rp); diff != "" {
			t.Errorf("one-pass rhythm (-RhythmOf +one pass):\n%s", diff)
		}
		if p != PersistenceOf(times, loc) {
			t.Errorf("PersistenceOf differs from the one-pass profile's")
		}
		descCheckFinite(t, "Persistence", p)
		if p.N > 0 && (p.ActiveDays > p.Days || p.ActiveHours > p.Hours || p.ActiveDays < 1 || p.LongestRun > p.ActiveDays) {
			t.Errorf("inconsistent Persistence %+v", p)
		}
		descInUnit(t, "DayCoverage", p.DayCoverage)
		descInUnit(t, "HourCoverage", p.HourCoverage)
		c := CircleOf(times, param)
		descCheckFinite(t, "Circle", c)
		descInUnit(t, "Circle.P", c.P)
	})
}

func FuzzSessions(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		times, param := descDecodeTimes(data)
		ss := Sessions(times, param)
		total := 0
		for i, s := range ss {
			total += s.Events
			if s.Events < 1 || s.End < s.Start || (i > 0 && s.Start <= ss[i-1].End) {
				t.Fatalf("bad session %d: %+v", i, s)
			}
		}
		if total != len(times) {
			t.Errorf("sessions hold %d events, want %d", total, len(times))
		}
		st := SessionStatsOf(times, param)
		descCheckFinite(t, "SessionStats", st)
		if st.Count != len(ss) {
			t.Errorf("Count %d, want %d", st.Count, len(ss))
		}
		descInUnit(t, "Active", st.Active)
		folded := Fold(nil, times, param)
		if len(folded) > len(times) || (len(times) > 0 && len(folded) == 0) || !Sorted(folded) {
			t.Errorf("Fold kept %d of %d events, sorted %v", len(folded), len(times), Sorted(folded))
		}
		g := Gaps(nil, times)
		descCheckFinite(t, "Gaps", g)
		for _, v := range g {
			if v < 0 {
				t.Fatalf("negative gap %v", v)
			}
		}
	})
}

func FuzzCacheGating(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		times, param := descDecodeTimes(data)
		c := CacheGating(times, param)
		descCheckFinite(t, "Cache", c)
		descInUnit(t, "P", c.P)
		descInUnit(t, "Active", c.Active)
		if c.Gated && !(c.Floored && c.Intermittent) {
			t.Errorf("Gated without Floored and Intermittent: %+v", c)
		}
		if len(c.Evidence) == 0 {
			t.Error("no evidence")
		}
		if c.BelowTTL+c.NearTTL > c.Gaps {
			t.Errorf("BelowTTL %d + NearTTL %d > Gaps %d", c.BelowTTL, c.NearTTL, c.Gaps)
		}
	})
}
