package replica_test

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// A small reader of the research-style server logs, independent of the
// generator, so that the figures are checked on the bytes as written.

// logLine is one line of a server log.
type logLine struct {
	t      time.Time
	name   string
	res    netip.Addr
	server int
}

var (
	errFields = errors.New("want 3 fields separated by \" | \"")
	errStamp  = errors.New("bad time stamp")
	errAddr   = errors.New("bad address")
	errName   = errors.New("bad name")
)

// parseError places a cause at file:line:column.
type parseError struct {
	file      string
	line, col int
	err       error
}

func (e *parseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.file, e.line, e.col, e.err)
}

func (e *parseError) Unwrap() error { return e.err }

// maxLine bounds a line's length; longer lines are an error.
const maxLine = 4096

// parseLog reads a server log: "#" comment lines and the header line are
// skipped, every other line must be "STAMP | NAME | ADDRESS".
func parseLog(r io.Reader, file string, server int) ([]logLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	var out []logLine
	n := 0
	for sc.Scan() {
		n++
		l, ok, err := parseLine(sc.Bytes())
		if err != nil {
			var pe *parseError
			if errors.As(err, &pe) {
				pe.file, pe.line = file, n
			}
			return out, err
		}
		if ok {
			l.server = server
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return out, &parseError{file, n + 1, 1, err}
	}
	return out, nil
}

// parseLine parses one line; ok is false for comments, the header and
// blank lines. Errors carry the 1-based column.
func parseLine(b []byte) (l logLine, ok bool, err error) {
	s := string(bytes.TrimSuffix(b, []byte("\r")))
	if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "TIMESTAMP |") {
		return l, false, nil
	}
	f := strings.Split(s, " | ")
	if len(f) != 3 {
		return l, false, &parseError{col: 1, err: errFields}
	}
	l.t, err = time.Parse("2006-01-02T15:04:05.000Z", f[0])
	if err != nil {
		return l, false, &parseError{col: 1, err: errStamp}
	}
	col := len(f[0]) + 4
	if f[1] == "" || strings.ContainsAny(f[1], " \t") {
		return l, false, &parseError{col: col, err: errName}
	}
	l.name = f[1]
	col += len(f[1]) + 3
	if l.res, err = netip.ParseAddr(f[2]); err != nil {
		return l, false, &parseError{col: col, err: errAddr}
	}
	return l, true, nil
}

// lookup is one distinct lookup after de-duplication.
type lookup struct {
	t       time.Time
	name    string
	res     netip.Addr
	servers int // bit i set when server i logged it
}

// dedup merges the lines of all servers: lines with the same resolver and
// name whose stamps lie within window of a lookup's first line are copies
// of that lookup. The result is sorted by time.
func dedup(lines []logLine, window time.Duration) []lookup {
	lines = slices.Clone(lines)
	slices.SortFunc(lines, func(a, b logLine) int {
		return cmp.Or(a.res.Compare(b.res), cmp.Compare(a.name, b.name), a.t.Compare(b.t))
	})
	var out []lookup
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1].res == l.res && out[n-1].name == l.name && l.t.Sub(out[n-1].t) <= window {
			out[n-1].servers |= 1 << l.server
			continue
		}
		out = append(out, lookup{t: l.t, name: l.name, res: l.res, servers: 1 << l.server})
	}
	slices.SortStableFunc(out, func(a, b lookup) int { return a.t.Compare(b.t) })
	return out
}
