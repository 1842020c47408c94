package dnslog

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
)

// lookupFormat returns the registered spec named f.
func lookupFormat(f Format) *formatSpec {
	for i := range formats {
		if formats[i].name == f {
			return &formats[i]
		}
	}
	return nil
}

// Formats returns the names of the registered formats, sorted.
func Formats() []Format {
	out := make([]Format, 0, len(formats))
	for _, f := range formats {
		out = append(out, f.name)
	}
	slices.Sort(out)
	return out
}

// detect chooses the format. It only peeks at the buffered input, except
// for leading blank lines beyond the peek window, which it consumes while
// counting them. It returns io.EOF for input with no non-blank line.
func (r *Reader) detect() (*formatSpec, error) {
	if r.Format != "" {
		if s := lookupFormat(r.Format); s != nil {
			return s, nil
		}
		return nil, &ParseError{File: r.File, Err: fmt.Errorf("%w: no format named %q", ErrUnknownFormat, r.Format)}
	}
	for {
		head, err := r.br.Peek(bufSize)
		atEOF := err != nil
		if err != nil && err != io.EOF {
			return nil, r.inputErr(err)
		}
		if len(head) == 0 {
			return nil, io.EOF
		}
		bin := head
		if len(bin) > 512 {
			bin = bin[:512]
		}
		for i := range formats {
			if f := &formats[i]; f.sniffBinary != nil && f.sniffBinary(bin) {
				return f, nil
			}
		}
		if looksBinary(bin) {
			return nil, &ParseError{File: r.File, Err: ErrBinary}
		}
		lines := sniffSample(head, atEOF, r.first)
		if len(lines) == 0 {
			if atEOF {
				return nil, io.EOF
			}
			// A full window of blank lines: consume it and look again.
			n := bytes.LastIndexByte(head, '\n') + 1
			if n == 0 {
				return nil, &ParseError{File: r.File, Line: r.line + 1, Err: ErrLineTooLong}
			}
			r.line += int64(bytes.Count(head[:n], []byte("\n")))
			r.first = false
			if _, err := r.br.Discard(n); err != nil {
				return nil, r.inputErr(err)
			}
			continue
		}
		return pickFormat(r.File, lines, &r.cfg)
	}
}

// sniffSample returns up to sniffLines non-blank lines of head, without
// terminators, trailing \r or a leading BOM. A last line cut by the window
// is kept only when it is the only line.
func sniffSample(head []byte, atEOF, first bool) [][]byte {
	var lines [][]byte
	if first {
		head = bytes.TrimPrefix(head, bom)
	}
	for len(head) > 0 && len(lines) < sniffLines {
		i := bytes.IndexByte(head, '\n')
		var l []byte
		if i < 0 {
			if !atEOF && len(lines) > 0 {
				break
			}
			l, head = head, nil
		} else {
			l, head = head[:i], head[i+1:]
		}
		l = bytes.TrimSuffix(l, []byte("\r"))
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

// looksBinary reports whether b looks like binary data rather than text:
// it has a NUL byte, or more than one in ten bytes are control characters
// other than tab, newline, carriage return, form feed and escape.
func looksBinary(b []byte) bool {
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b, c == 0x7f:
			ctl++
		}
	}
	return ctl*10 > len(b)
}

// pickFormat scores every registered line format on lines and returns the
// best one, ErrUnknownFormat when none scores above 0, or
// ErrAmbiguousFormat naming the formats tied for the best score.
func pickFormat(file string, lines [][]byte, c *decodeConfig) (*formatSpec, error) {
	best := 0
	var tied []*formatSpec
	for i := range formats {
		f := &formats[i]
		if f.newLine == nil {
			continue
		}
		s := f.score(lines, c)
		switch {
		case s <= 0 || s < best:
		case s > best:
			best, tied = s, append(tied[:0], f)
		default:
			tied = append(tied, f)
		}
	}
	switch len(tied) {
	case 0:
		return nil, &ParseError{File: file, Err: ErrUnknownFormat}
	case 1:
		return tied[0], nil
	}
	names := make([]string, len(tied))
	for i, f := range tied {
		names[i] = string(f.name)
	}
	slices.Sort(names)
	return nil, &ParseError{File: file, Err: fmt.Errorf("%w: %s all score %d; set Reader.Format", ErrAmbiguousFormat, strings.Join(names, ", "), best)}
}
