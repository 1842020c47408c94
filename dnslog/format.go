package dnslog

import (
	"bufio"
	"time"
)

// This file is the internal contract between the Reader and the formats.
// Each format lives in its own file (format_<name>.go) and registers a
// formatSpec from an init function.

// formatSpec describes one log format.
type formatSpec struct {
	name Format
	// sniff scores how well the first lines of an input (at most 16
	// non-empty lines, without line terminators) fit the format: 0 means
	// not at all, 100 means certain. Scores of different formats are
	// compared, so be conservative: 100 only for an unmistakable signature
	// (a Zeek "#fields" header), about 80 for "every line parses", lower for
	// partial fits. Must not panic on any input.
	sniff func(lines [][]byte) int
	// sniffWith, when set, is used instead of sniff by formats whose
	// detection depends on the Reader's configuration (the CSV column
	// names).
	sniffWith func(lines [][]byte, c *decodeConfig) int
	// newLine makes a fresh line decoder for one input. nil for binary
	// formats.
	newLine func(c *decodeConfig) lineDecoder
	// newStream makes a decoder for binary formats that read the input
	// themselves (dnstap). nil for line formats.
	newStream func(r *bufio.Reader, c *decodeConfig) streamDecoder
	// sniffBinary, for binary formats, reports whether the first bytes
	// (up to 512) carry the format's signature.
	sniffBinary func(head []byte) bool
	// parallel reports that lines decode independently of each other
	// (apart from header lines, see header), so that a Reader may decode
	// chunks of the input on several goroutines, each with its own
	// decoder. Leave it false for decoders that carry state from line to
	// line (pending queries, year trackers that must see every line).
	parallel bool
	// header, for parallel formats whose lines depend on earlier header
	// lines (Zeek's "#fields"), classifies a line: 0 for an ordinary line,
	// 1 for a header line that a fresh decoder must see before decoding
	// later lines, 2 for a header line that starts a new header block
	// (earlier header lines no longer matter). nil when no line is a
	// header. Must be cheap: it sees every line.
	header func(line []byte) int
	// headerByte, when not 0, is the byte every header line starts with
	// (header returns 0 for other lines), so that the parallel splitter
	// finds header lines with one IndexByte scan instead of looking at
	// every line.
	headerByte byte
}

var formats []formatSpec

// score returns the format's sniff score for lines, read with c (which
// may be nil for the defaults).
func (f *formatSpec) score(lines [][]byte, c *decodeConfig) int {
	switch {
	case f.sniffWith != nil:
		return f.sniffWith(lines, c)
	case f.sniff != nil:
		return f.sniff(lines)
	}
	return 0
}

func register(f formatSpec) { formats = append(formats, f) }

// decodeConfig is what a decoder needs from the Reader's configuration.
type decodeConfig struct {
	// loc is the zone for timestamps that carry none; never nil.
	loc *time.Location
	// year is the year for syslog stamps that carry none (0: the current
	// year in loc); decoders use a yearTracker to handle rollover.
	year int
	// intern returns a string equal to b, sharing storage with earlier
	// calls for the same bytes; use it for names and other repeated text so
	// that events cost at most one allocation amortised.
	intern func(b []byte) string
	// csvColumns is Reader.CSVColumns (nil: DefaultCSVColumns).
	csvColumns map[string]CSVField
	// dateOrder is Reader.DateOrder.
	dateOrder DateOrder
}

// lineDecoder decodes one line-oriented format. A Reader makes one per
// input; it need not be safe for concurrent use.
type lineDecoder interface {
	// decode parses one line (without its terminator; a trailing \r is
	// already removed) into ev, which the caller has reset to the zero
	// Event with RCode set to RCodeUnknown and Pos set to the line's
	// position (so that a decoder holding the event back can keep it).
	// It returns:
	//   (true, nil)   ev holds an event;
	//   (false, nil)  the line is well-formed but not a query event
	//                 (comment, header, another log category, a reply that
	//                 only annotates an earlier query);
	//   (false, err)  the line is bad; err should come from badField so
	//                 that the Reader can report the column.
	// decode must not keep line after returning (copy or intern what it
	// keeps) and must never panic.
	decode(line []byte, ev *Event) (bool, error)
}

// pendingDecoder is implemented by line decoders that hold events back to
// complete them from later lines (dnsmasq replies, Unbound query/reply
// pairs). After each decode the Reader drains pop until it reports false;
// at end of input it drains pop with eof set, which must release
// everything held. The Reader resets ev as for decode but with a zero
// Pos: pop sets Pos.Line to the held event's line (the Reader fills
// File and Format).
type pendingDecoder interface {
	lineDecoder
	pop(ev *Event, eof bool) bool
}

// streamDecoder reads a binary format record by record.
type streamDecoder interface {
	// next decodes the next event into ev. It returns io.EOF at a clean
	// end, ErrTruncated (wrapped) for an input cut short, and a
	// *fieldError or other error for a bad record; after an error that
	// loses framing it keeps returning that error. pos receives the
	// 1-based record number for provenance.
	next(ev *Event) (pos int64, err error)
}
