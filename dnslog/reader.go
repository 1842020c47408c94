package dnslog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"
)

// Defaults for the Reader's zero-valued fields.
const (
	// DefaultMaxLineBytes is the line cap when Reader.MaxLineBytes is 0.
	DefaultMaxLineBytes = 1 << 20
	// DefaultMaxErrors is how many errors a lenient Reader keeps when
	// Reader.MaxErrors is 0.
	DefaultMaxErrors = 100
	// progressEvery is how many input bytes pass between Progress calls.
	progressEvery = 4 << 20
	// bufSize is the size of the Reader's read buffer; detection peeks at
	// most this many bytes.
	bufSize = 64 << 10
	// sniffLines is how many non-empty lines detection looks at.
	sniffLines = 16
)

// Reader reads DNS query events from a log. It detects the log's format
// (unless Format is set), decompresses gzip transparently, and decodes one
// line (or binary record) at a time into an Event.
//
// The exported fields configure it; set them after NewReader and before the
// first Read. Their zero values are the documented defaults.
//
// Errors: a bad line yields a *ParseError naming the file, line and column
// and wrapping one of the Err* causes. In strict mode (Lenient false) Read
// returns it, and a later Read continues with the next line, as
// encoding/csv does; All stops at it. Errors that lose the input (I/O and
// decompression errors, a truncated gzip stream, detection failures,
// cancellation) are sticky: every later Read returns the same error.
//
// Empty input, or input of blank lines only, yields io.EOF at the first
// Read, with no error and no detected format.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	// Format forces a format; "" detects it from the first lines (see
	// DetectedFormat).
	Format Format
	// File names the input in positions and errors; "" for none.
	File string
	// Location is the zone of timestamps that carry none; nil means UTC.
	// Events are always in UTC.
	Location *time.Location
	// Year is the year of year-less syslog stamps; 0 means the current year
	// in Location. A log that crosses New Year moves on to the next year.
	Year int
	// Lenient skips bad lines instead of returning their errors: every
	// good event is still returned, Skipped counts the bad lines, and
	// Errors keeps the first MaxErrors of their errors. Sticky errors (see
	// above) are returned in lenient mode too.
	Lenient bool
	// MaxErrors caps the errors a lenient Reader keeps; 0 means
	// DefaultMaxErrors, a negative value keeps none.
	MaxErrors int
	// MaxLineBytes caps the length of one line, without its terminator; 0
	// means DefaultMaxLineBytes. A longer line is an ErrLineTooLong
	// ParseError; the Reader skips the rest of it without buffering it
	// and goes on at the next line.
	MaxLineBytes int
	// Progress, when set, is called with the number of input bytes
	// consumed so far (compressed bytes for gzip input) every few
	// megabytes and once at the end of input.
	Progress func(bytesRead int64)
	// Parallel, when greater than 1, decodes chunks of about 256 KiB
	// on up to Parallel goroutines for formats whose lines are independent
	// (research, zeek, zeek-json and others that declare it) and returns
	// the same events and errors in the same order as a sequential Reader.
	// The goroutine calling Read only reads the input and cuts it after
	// line ends; splitting and decoding the lines is what is spread (on
	// 2 cores a 100 MB file reads about 1.7–2.0 times as fast with
	// Parallel 2 as sequentially: see BENCHMARKS.md). Other formats, and
	// values below 2, read sequentially. A negative value means
	// runtime.GOMAXPROCS(0).
	//
	// In parallel mode Skipped and Errors account for a chunk when its
	// first event is returned; the input is read a chunk at a time, so a
	// slow source (a pipe being written) delivers events in bursts; and up
	// to 2·Parallel+5 chunks are held with their events (about 1.2 MB per
	// chunk of 60-byte lines), per Reader: a MultiReader over many files
	// holds that for each. The zero value stays sequential for these
	// reasons: set Parallel to -1 for large files.
	Parallel int
	// CSVColumns maps lower-case CSV header names to the fields they
	// fill, for the csv format; nil means DefaultCSVColumns. To read a
	// layout with other names, copy DefaultCSVColumns (maps.Clone), add
	// the names and set this field.
	CSVColumns map[string]CSVField
	// DateOrder forces the day/month order of Windows DNS Server debug
	// logs, whose dates follow the server's locale; DateOrderAuto (the
	// zero value) learns it from the file (see FormatWindows).
	DateOrder DateOrder

	src  *countingReader
	br   *bufio.Reader
	gz   *gzip.Reader
	spec *formatSpec
	cfg  decodeConfig
	in   interner

	dec     lineDecoder
	pend    pendingDecoder
	stream  streamDecoder
	started bool
	sticky  error
	eof     bool // input exhausted (pending decoders are drained with eof)
	drain   bool // pending decoder may have events to pop
	line    int64
	first   bool // next line is the first one (strip a BOM)
	long    []byte
	nsince  int // lines since the last context check

	skipped int64
	errs    []error

	par *parallelState
	ev  Event // the event being decoded
}

// NewReader returns a Reader reading from rd.
func NewReader(rd io.Reader) *Reader {
	return &Reader{src: &countingReader{r: rd}}
}

// DetectedFormat returns the format being read: Format when set, else the
// detected one, or "" before the first Read and for empty input.
func (r *Reader) DetectedFormat() Format {
	if r.spec == nil {
		return r.Format
	}
	return r.spec.name
}

// Skipped returns how many bad lines a lenient Reader has skipped.
func (r *Reader) Skipped() int64 { return r.skipped }

// Errors returns the first MaxErrors errors of the lines a lenient Reader
// skipped, in input order.
func (r *Reader) Errors() []error { return r.errs }

// Read returns the next event, or io.EOF at the end of the input.
func (r *Reader) Read() (Event, error) {
	ev, err := r.nextEvent(context.Background())
	return *ev, err
}

// ReadContext is Read with cancellation: once ctx is done it returns
// ctx.Err() (checked every few hundred lines), which is sticky.
func (r *Reader) ReadContext(ctx context.Context) (Event, error) {
	ev, err := r.nextEvent(ctx)
	return *ev, err
}

// nextEvent reads the next event and returns a pointer to it, valid until
// the next call: r.ev in sequential mode (decoding into a field rather
// than a local keeps the event off the heap, since decoders are called
// through interfaces), the event in its chunk in parallel mode, which
// saves a copy.
func (r *Reader) nextEvent(ctx context.Context) (*Event, error) {
	if r.par != nil && r.sticky == nil {
		ev, err := r.nextParallel(ctx)
		if err != nil {
			r.ev = Event{}
			return &r.ev, err
		}
		return ev, nil
	}
	err := r.next(ctx, &r.ev)
	return &r.ev, err
}

// All returns an iterator over the events. It stops after yielding the
// first error (with a zero Event); io.EOF ends it without being yielded.
func (r *Reader) All() iter.Seq2[Event, error] {
	return r.AllContext(context.Background())
}

// AllContext is All with cancellation, as ReadContext.
func (r *Reader) AllContext(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for {
			ev, err := r.nextEvent(ctx)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Event{}, err)
				return
			}
			if !yield(*ev, nil) {
				return
			}
		}
	}
}

// Options configures the whole-file helpers (ReadFile, OpenFile,
// OpenFiles); each field means what the Reader field of the same name
// means, and the zero value gives the same defaults.
type Options struct {
	Format       Format
	Location     *time.Location
	Year         int
	Lenient      bool
	MaxErrors    int
	MaxLineBytes int
	Progress     func(bytesRead int64)
	Parallel     int
	CSVColumns   map[string]CSVField
	DateOrder    DateOrder
}

// configure copies the options onto r.
func (o Options) configure(r *Reader) {
	r.Format = o.Format
	r.Location = o.Location
	r.Year = o.Year
	r.Lenient = o.Lenient
	r.MaxErrors = o.MaxErrors
	r.MaxLineBytes = o.MaxLineBytes
	r.Progress = o.Progress
	r.Parallel = o.Parallel
	r.CSVColumns = o.CSVColumns
	r.DateOrder = o.DateOrder
}

// OpenFile opens the named file ("-" for standard input) and returns a
// Reader for it, configured by opts, with File set to name, and the file
// to close when done.
func OpenFile(name string, opts Options) (*Reader, io.Closer, error) {
	var f io.ReadCloser
	if name == "-" {
		f = io.NopCloser(os.Stdin)
	} else {
		of, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		f = of
	}
	r := NewReader(f)
	opts.configure(r)
	r.File = name
	return r, f, nil
}

// ReadFile reads every event of the named file. In lenient mode bad lines
// are skipped; otherwise the first error stops it and is returned with the
// events read before it.
func ReadFile(ctx context.Context, name string, opts Options) ([]Event, error) {
	r, c, err := OpenFile(name, opts)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var evs []Event
	for ev, err := range r.AllContext(ctx) {
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

// maxLine returns the effective line cap.
func (r *Reader) maxLine() int {
	if r.MaxLineBytes > 0 {
		return r.MaxLineBytes
	}
	return DefaultMaxLineBytes
}

// perr builds a ParseError for the current input.
func (r *Reader) perr(line int64, col int, err error) *ParseError {
	var f Format
	if r.spec != nil {
		f = r.spec.name
	} else {
		f = r.Format
	}
	return &ParseError{File: r.File, Line: line, Column: col, Format: f, Err: err}
}

// fail records err as sticky and returns it.
func (r *Reader) fail(err error) error {
	r.sticky = err
	return err
}

// inputErr turns an error from the underlying input into a sticky error.
func (r *Reader) inputErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) && r.gz != nil {
		err = fmt.Errorf("%w: gzip stream ended early", ErrTruncated)
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return r.fail(err)
	}
	if r.gz != nil {
		return r.fail(r.perr(r.line+1, 0, err))
	}
	return r.fail(&ParseError{File: r.File, Line: r.line + 1, Format: r.DetectedFormat(), Err: err})
}

// start opens the input: gzip detection, format detection, decoder.
func (r *Reader) start() error {
	r.started = true
	r.first = true
	if r.src == nil {
		r.src = &countingReader{r: eofReader{}}
	}
	r.src.progress = r.Progress
	raw := bufio.NewReaderSize(r.src, bufSize)
	head, err := raw.Peek(2)
	if err != nil && err != io.EOF && len(head) < 2 {
		if len(head) == 0 && err != io.EOF {
			return r.inputErr(err)
		}
	}
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(raw)
		if err != nil {
			if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
				return r.fail(r.perr(0, 0, fmt.Errorf("%w: gzip header cut short", ErrTruncated)))
			}
			return r.fail(r.perr(0, 0, err))
		}
		r.gz = gz
		r.br = bufio.NewReaderSize(gz, bufSize)
	} else {
		r.br = raw
	}
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	r.cfg = decodeConfig{loc: loc, year: r.Year, intern: r.in.intern, csvColumns: r.CSVColumns, dateOrder: r.DateOrder}

	spec, err := r.detect()
	if err != nil {
		if err == io.EOF {
			r.eof = true
			return r.fail(io.EOF)
		}
		return r.fail(err)
	}
	r.spec = spec
	if spec.newStream != nil {
		r.stream = spec.newStream(r.br, &r.cfg)
	} else {
		r.dec = spec.newLine(&r.cfg)
		r.pend, _ = r.dec.(pendingDecoder)
	}
	if r.Parallel != 0 && r.stream == nil && r.pend == nil && parallelSafe(spec) {
		r.startParallel()
	}
	return nil
}

// next reads the next event into ev.
func (r *Reader) next(ctx context.Context, ev *Event) error {
	if r.sticky != nil {
		return r.sticky
	}
	if !r.started {
		if err := r.start(); err != nil {
			return err
		}
	}
	if r.par != nil {
		pev, err := r.nextParallel(ctx)
		if err == nil {
			*ev = *pev
		}
		return err
	}
	if r.stream != nil {
		return r.nextStream(ctx, ev)
	}
	for {
		if r.drain {
			*ev = Event{RCode: RCodeUnknown}
			if r.pend.pop(ev, r.eof) {
				r.finish(ev, 0)
				return nil
			}
			r.drain = false
		}
		if r.eof {
			r.progressDone()
			return r.fail(io.EOF)
		}
		if r.nsince++; r.nsince >= 256 {
			r.nsince = 0
			if err := ctx.Err(); err != nil {
				return r.fail(err)
			}
		}
		line, err := r.readLine()
		if err == io.EOF {
			r.eof = true
			r.drain = r.pend != nil
			continue
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && errors.Is(err, ErrLineTooLong) {
				if r.Lenient {
					r.skip(err)
					continue
				}
				return err
			}
			return r.inputErr(err)
		}
		if len(line) == 0 {
			continue
		}
		*ev = Event{RCode: RCodeUnknown, Pos: Position{File: r.File, Line: r.line}}
		ok, derr := r.dec.decode(line, ev)
		r.drain = r.pend != nil
		if derr != nil {
			perr := r.lineErr(r.line, derr)
			if r.Lenient {
				r.skip(perr)
				continue
			}
			return perr
		}
		if ok {
			r.finish(ev, r.line)
			return nil
		}
	}
}

// lineErr turns a decoder error on line n into a *ParseError.
func (r *Reader) lineErr(n int64, err error) *ParseError {
	col := 0
	var fe *fieldError
	if errors.As(err, &fe) {
		col = fe.col
	}
	return r.perr(n, col, err)
}

// skip counts a skipped line and keeps its error if there is room.
func (r *Reader) skip(err error) {
	r.skipped++
	r.keepErr(err)
}

// keepErr keeps err if fewer than MaxErrors are kept.
func (r *Reader) keepErr(err error) {
	max := r.MaxErrors
	if max == 0 {
		max = DefaultMaxErrors
	}
	if len(r.errs) < max {
		r.errs = append(r.errs, err)
	}
}

// finish fills the fields the Reader owns.
func (r *Reader) finish(ev *Event, line int64) {
	ev.Format = r.spec.name
	ev.Pos.File = r.File
	if ev.Pos.Line == 0 {
		ev.Pos.Line = line
	}
}

func (r *Reader) nextStream(ctx context.Context, ev *Event) error {
	for {
		if err := ctx.Err(); err != nil {
			return r.fail(err)
		}
		*ev = Event{RCode: RCodeUnknown}
		pos, err := r.stream.next(ev)
		if err == nil {
			r.finish(ev, pos)
			return nil
		}
		if err == io.EOF {
			r.progressDone()
			return r.fail(io.EOF)
		}
		var fe *fieldError
		if errors.As(err, &fe) {
			perr := r.lineErr(pos, err)
			if r.Lenient {
				r.skip(perr)
				continue
			}
			return perr
		}
		if errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrTruncated) {
			err = fmt.Errorf("%w: %w", ErrTruncated, err)
		}
		return r.fail(r.perr(pos, 0, err))
	}
}

func (r *Reader) progressDone() {
	if r.Progress != nil && !r.src.done {
		r.src.done = true
		r.Progress(r.src.n)
	}
}

// readLine returns the next line without its terminator and trailing \r
// (and without a BOM on the first line), valid until the next call, and
// advances r.line. A line longer than the cap yields an ErrLineTooLong
// ParseError after the rest of it has been discarded.
func (r *Reader) readLine() ([]byte, error) {
	max := r.maxLine()
	b, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], b...)
		for err == bufio.ErrBufferFull {
			if len(r.long) > max+2 { // room for "\r\n"
				// Too long: discard the rest of the line unbuffered.
				for err == bufio.ErrBufferFull {
					_, err = r.br.ReadSlice('\n')
				}
				if err != nil && err != io.EOF {
					return nil, err
				}
				r.line++
				r.first = false
				return nil, r.perr(r.line, max+1, ErrLineTooLong)
			}
			b, err = r.br.ReadSlice('\n')
			r.long = append(r.long, b...)
		}
		b = r.long
	}
	if err != nil {
		if err != io.EOF {
			return nil, err
		}
		if len(b) == 0 {
			return nil, io.EOF
		}
	}
	r.line++
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if r.first {
		r.first = false
		b = bytes.TrimPrefix(b, bom)
	}
	if len(b) > max {
		return nil, r.perr(r.line, max+1, ErrLineTooLong)
	}
	return b, nil
}

var bom = []byte("\xef\xbb\xbf")

// countingReader counts the bytes read through it and reports progress.
type countingReader struct {
	r        io.Reader
	n        int64
	last     int64
	done     bool
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.last >= progressEvery {
		c.last = c.n
		c.progress(c.n)
	}
	return n, err
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
