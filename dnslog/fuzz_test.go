package dnslog

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzReader feeds arbitrary input to a detecting Reader: it must never
// panic, must return only *ParseError values or io.EOF, and must keep its
// events consistent.
func FuzzReader(f *testing.F) {
	f.Add([]byte(threeLines))
	f.Add(gzipBytes(f, threeLines))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, lenient := range []bool{false, true} {
			r := NewReader(bytes.NewReader(in))
			r.Lenient = lenient
			r.MaxLineBytes = 4096
			r.Year = 2020
			for range 10000 {
				ev, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					var pe *ParseError
					if !errors.As(err, &pe) {
						t.Fatalf("error %T %v is not a *ParseError", err, err)
					}
					if r.sticky != nil {
						break
					}
					continue
				}
				if ev.Format != r.DetectedFormat() || ev.Format == "" {
					t.Fatalf("event format %q, detected %q", ev.Format, r.DetectedFormat())
				}
				if ev.Time.Location() != time.UTC {
					t.Fatalf("time %v not in UTC", ev.Time)
				}
			}
			if lenient && int64(len(r.Errors())) > r.Skipped() {
				t.Fatalf("%d errors kept for %d skipped lines", len(r.Errors()), r.Skipped())
			}
		}
	})
}

// fuzzLines decodes each line of in with a fresh decoder of format name
// and checks the decoder contract.
func fuzzLines(t *testing.T, name Format, in []byte) {
	spec := lookupFormat(name)
	var it interner
	cfg := decodeConfig{loc: time.UTC, intern: it.intern}
	d := spec.newLine(&cfg)
	for line := range bytes.SplitSeq(in, []byte("\n")) {
		keep := string(line)
		ev := Event{RCode: RCodeUnknown}
		ok, err := d.decode(line, &ev)
		if string(line) != keep {
			t.Fatalf("decode modified its input")
		}
		if err != nil {
			var fe *fieldError
			if ok || !errors.As(err, &fe) || fe.col < 1 || fe.col > len(line)+1 {
				t.Fatalf("decode(%q) = %v, %v: want a fieldError with column in 1..%d", line, ok, err, len(line)+1)
			}
			continue
		}
		if !ok {
			continue
		}
		if ev.Time.Location() != time.UTC || !ev.Client.IsValid() {
			t.Fatalf("decode(%q): bad event %+v", line, ev)
		}
		if ev.Name != "." && ev.Name != "" && (strings.HasSuffix(ev.Name, ".") || strings.ToLower(ev.Name) != ev.Name) {
			t.Fatalf("decode(%q): name %q not normalised", line, ev.Name)
		}
		for _, a := range ev.Answers {
			_ = a.Data
		}
	}
}

func FuzzResearch(f *testing.F) {
	f.Add([]byte(threeLines))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzLines(t, FormatResearch, in) })
}

func FuzzZeek(f *testing.F) {
	f.Add([]byte(zeekHeader(`\x09`, "ts", "id.orig_h", "query", "answers", "TTLs") + "1517336042\t10.0.0.1\ta.example\tb,c\t1.0,2.0\n"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzLines(t, FormatZeek, in) })
}

func FuzzZeekJSON(f *testing.F) {
	f.Add([]byte(`{"ts":1517336042.5,"id.orig_h":"10.0.0.1","query":"a.example","answers":["x"],"TTLs":[1.0]}`))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzLines(t, FormatZeekJSON, in) })
}
