package replica_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// FuzzParseLine checks the test reader of the server logs: it never panics,
// every failure is a positioned error with a known cause, and a parsed line
// renders back to a line that parses to the same values.
func FuzzParseLine(f *testing.F) {
	f.Add([]byte("2016-07-08T10:02:03.000Z | mail1.example.com | 192.0.2.7"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, ok, err := parseLine(b)
		if err != nil {
			var pe *parseError
			if !errors.As(err, &pe) || pe.col < 1 || pe.col > len(b)+1 {
				t.Fatalf("error %v is not a positioned error inside the line", err)
			}
			if !errors.Is(err, errFields) && !errors.Is(err, errStamp) && !errors.Is(err, errName) && !errors.Is(err, errAddr) {
				t.Fatalf("error %v has no known cause", err)
			}
			return
		}
		if !ok {
			return
		}
		again := fmt.Sprintf("%s | %s | %s", l.t.Format("2006-01-02T15:04:05.000Z"), l.name, l.res)
		l2, ok2, err := parseLine([]byte(again))
		if err != nil || !ok2 || !l2.t.Equal(l.t) || l2.name != l.name || l2.res != l.res {
			t.Fatalf("%q parsed to %+v, rendered %q, reparsed %+v, %v, %v", b, l, again, l2, ok2, err)
		}
		if l.t.Location() != time.UTC || strings.ContainsAny(l.name, " \t") {
			t.Fatalf("%q parsed to %+v", b, l)
		}
	})
}
