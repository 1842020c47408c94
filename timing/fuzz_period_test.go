package timing

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"
	"time"
)

// FuzzAnalyze feeds arbitrary int64 slices (little-endian, 8 bytes each) to
// Analyze, DetectPeriods and DetectChange: no panic, no NaN or Inf anywhere in
// the results, P in [0, 1], and Insufficient exactly when fewer than
// MinPeriodEvents events remain after folding.
func FuzzAnalyze(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			data = data[:1<<16]
		}
		ts := make([]int64, len(data)/8)
		for i := range ts {
			ts[i] = int64(binary.LittleEndian.Uint64(data[8*i:]))
		}
		var opts Options
		if len(data)%8 > 0 {
			// Vary the options with the left-over bytes.
			b := data[len(data)-1]
			opts.TTL = time.Duration(b%7) * 60 * time.Second
			opts.FoldTolerance = time.Duration(int(b%5)-1) * time.Second
			opts.Location = time.FixedZone("F", int(b%25-12)*3600)
			opts.Period.Min = time.Duration(b%3) * time.Second
		}
		r := Analyze(ts, opts)
		if s := finiteResult(reflect.ValueOf(r), "Result"); s != "" {
			t.Fatalf("non-finite %s for %v", s, ts)
		}
		if r.Insufficient != (r.Folded < MinPeriodEvents) {
			t.Fatalf("Insufficient %v with %d folded events", r.Insufficient, r.Folded)
		}
		for _, p := range r.Periods {
			if !(p.P >= 0 && p.P <= 1) || (p.OK && !(p.Seconds > 0)) {
				t.Fatalf("bad period %+v", p)
			}
		}
		if c, ok := DetectChange(ts, opts.Period); ok && (c.Index <= 0 || c.Index >= len(ts) || math.IsNaN(c.Before.Seconds)) {
			t.Fatalf("bad change %+v", c)
		}
	})
}
