package plot

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// FuzzFigures draws every figure from arbitrary times: the first byte
// picks a zone offset and the number of series, the rest are
// little-endian int32 offsets in milliseconds from 2026-03-02 (a span of
// up to 50 days, so that the fuzzer spends its time drawing; the ends of
// the int64 range are tested by TestFiguresFarFlung), dealt round the
// series. Each figure must return well-formed SVG, or ErrSpan from
// Raster, and never panic.
func FuzzFigures(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 4*4096 {
			return
		}
		base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).UnixNano()
		loc := time.FixedZone("Z", (int(int8(data[0]))%15)*3600)
		series := make([]Series, 1+int(data[0]>>4)%4)
		for i, j := 1, 0; i+4 <= len(data); i, j = i+4, j+1 {
			s := &series[j%len(series)]
			s.Times = append(s.Times, base+int64(int32(binary.LittleEndian.Uint32(data[i:])))*int64(time.Millisecond))
		}
		series[0].Name = string(data[1:min(len(data), 20)])
		var buf bytes.Buffer
		if err := Raster(&buf, series, RasterOptions{Location: loc, MaxDays: 60}); err != nil {
			if !errors.Is(err, ErrSpan) {
				t.Fatalf("Raster: %v", err)
			}
		} else {
			parseSVG(t, buf.Bytes())
		}
		buf.Reset()
		if err := Profiles(&buf, series, loc, ProfileOptions{}); err != nil {
			t.Fatalf("Profiles: %v", err)
		}
		parseSVG(t, buf.Bytes())
		buf.Reset()
		if err := Periodogram(&buf, series[0].Times, PeriodogramOptions{Period: time.Duration(int64(len(data)) * int64(time.Second)), Bin: time.Minute}); err != nil {
			t.Fatalf("Periodogram: %v", err)
		}
		parseSVG(t, buf.Bytes())
	})
}
