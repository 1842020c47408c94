package dnslog

import (
	"errors"
	"fmt"
)

// Causes of parse errors, for use with errors.Is. A *ParseError wraps one
// of them (or another error, such as a gzip or I/O error).
var (
	// ErrTime: a timestamp is missing or malformed.
	ErrTime = errors.New("bad timestamp")
	// ErrAddr: a client or server address is missing or malformed.
	ErrAddr = errors.New("bad address")
	// ErrName: a query name is missing or malformed.
	ErrName = errors.New("bad query name")
	// ErrType: a query type or class is malformed.
	ErrType = errors.New("bad query type or class")
	// ErrField: a line has the wrong number of fields or a malformed field
	// not covered by a more specific cause.
	ErrField = errors.New("bad field")
	// ErrLineTooLong: a line exceeds Reader.MaxLineBytes.
	ErrLineTooLong = errors.New("line too long")
	// ErrBinary: the input looks like binary data, not a text log.
	ErrBinary = errors.New("binary data")
	// ErrUnknownFormat: no format matched the first lines of the input.
	ErrUnknownFormat = errors.New("unknown log format")
	// ErrAmbiguousFormat: several formats matched the first lines equally
	// well; set Reader.Format to choose one.
	ErrAmbiguousFormat = errors.New("ambiguous log format")
	// ErrTruncated: a compressed or framed input ended early.
	ErrTruncated = errors.New("truncated input")
)

// ParseError reports where and why a record could not be read. Its Error
// method prints "file:line:column: format: cause", omitting what is unknown.
type ParseError struct {
	File   string // file name as given to the reader; "" for an unnamed reader
	Line   int64  // 1-based line (or record) number; 0 when not about a line
	Column int    // 1-based byte column of the fault; 0 when unknown
	Format Format // the format being read; "" before one is known
	Err    error  // the cause: one of the Err* values or an underlying error
}

// Error formats the error as "file:line:column: format: cause".
func (e *ParseError) Error() string {
	var s string
	if e.File != "" {
		s = e.File + ":"
	}
	if e.Line > 0 {
		s += fmt.Sprintf("%d:", e.Line)
		if e.Column > 0 {
			s += fmt.Sprintf("%d:", e.Column)
		}
	}
	if s != "" {
		s += " "
	}
	if e.Format != "" {
		s += string(e.Format) + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// fieldError is what a decoder returns for a bad line: the cause and the
// 1-based column, which the Reader completes into a *ParseError with the
// file, line and format. detail, when set, is appended to the cause's text.
type fieldError struct {
	col    int
	cause  error
	detail string
}

func (e *fieldError) Error() string {
	if e.detail == "" {
		return e.cause.Error()
	}
	return e.cause.Error() + ": " + e.detail
}

func (e *fieldError) Unwrap() error { return e.cause }

// badField returns a decoder error for a fault at byte offset off (0-based)
// of the line. detail should quote the offending text briefly (at most a
// few dozen bytes; use quoteField).
func badField(off int, cause error, detail string) error {
	return &fieldError{col: off + 1, cause: cause, detail: detail}
}

// quoteField quotes b for an error message, cut to 40 bytes.
func quoteField(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%q…", b[:40])
	}
	return fmt.Sprintf("%q", b)
}
