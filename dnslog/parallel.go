package dnslog

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"runtime"
	"slices"
	"sync"
)

// Parallel decoding.
//
// The reading goroutine (the caller of Read) only cuts the input into
// chunks: it reads about chunkBytes at a time straight into a chunk
// buffer, cuts the buffer after its last newline (the partial line after
// it starts the next chunk), counts the chunk's newlines for line numbers
// and, for formats with header lines, picks those out. Everything else
// (finding lines, trimming, length checks, decoding) happens on one
// goroutine per chunk, at most Parallel at a time, each with its own
// decoder and one of Parallel interners (a chunk goroutine owns its
// interner while it runs, so no locks). A decoded chunk is a []Event that
// Read serves in input order by indexing it, so an event is copied once
// into the chunk and once out of Read.
//
// No goroutine outlives its chunk, so abandoning a Reader leaks nothing.
//
// Memory: at most inFlight(Parallel) = 2·Parallel+2 chunks are in flight
// (read and queued or being decoded), plus the one being served and at
// most maxFree (2) consumed chunks kept for reuse, so a Reader holds at
// most 2·Parallel+5 chunk buffers, each chunkBytes+bufSize (320 KiB) of
// input and its events (192 bytes each before names and answers). For the
// 60-byte lines of the research format and Parallel=2 that is about
// 9 × 1.2 MB = 11 MB. A line
// longer than chunkBytes makes its chunk buffer grow, up to about twice
// MaxLineBytes; longer lines are skipped without being buffered,
// as in sequential mode.

// chunkBytes is the target chunk size (a variable so that tests can use
// many small chunks).
var chunkBytes = 256 << 10

// parallelSafe reports whether spec's lines can be decoded in chunks: the
// format says so with its parallel flag.
func parallelSafe(spec *formatSpec) bool {
	return spec.parallel
}

type parallelState struct {
	workers int
	interns chan *interner
	queue   []*chunk // in flight, in input order
	cur     *chunk
	pos     int // next event of cur
	errPos  int // next error of cur
	nextErr int // event index before which cur.errs[errPos] is due
	header  [][]byte
	carry   []byte // the partial line after the last chunk's cut
	// inputEnd is set once the input is exhausted or failed; endErr is
	// what ended it (io.EOF or a sticky error), served after the queue.
	inputEnd bool
	endErr   error
	nsince   int
	free     []*chunk // consumed chunks whose buffers can be reused
}

// chunk is a run of whole lines and, once done is closed, their events.
type chunk struct {
	data    []byte   // whole lines; the last one may lack its newline at EOF
	first   int64    // line number of the first line of data
	nlines  int      // lines in data
	tailErr error    // an over-long line after data, skipped by the splitter
	prefix  [][]byte // header lines to feed the decoder first
	events  []Event
	errs    []chunkErr
	skipped int64
	done    chan struct{}
}

// chunkErr is a line error to report after the first idx events.
type chunkErr struct {
	idx int
	err error
}

// noErr is nextErr when no error is due in the current chunk.
const noErr = int(^uint(0) >> 1)

// parallelism returns the number of chunk goroutines a Reader uses.
func (r *Reader) parallelism() int {
	if r.Parallel < 0 {
		return runtime.GOMAXPROCS(0)
	}
	return r.Parallel
}

func (r *Reader) startParallel() {
	n := r.parallelism()
	if n < 2 {
		return
	}
	p := &parallelState{workers: n, interns: make(chan *interner, n), nextErr: noErr}
	for range n {
		p.interns <- new(interner)
	}
	r.par = p
}

// maxFree is how many consumed chunks a Reader keeps for reuse: the
// next chunk is gathered as soon as one is consumed, so one or two do.
const maxFree = 2

// recycle keeps a consumed chunk's buffers for a later chunk, or hands
// them to chunkPool.
func (p *parallelState) recycle(c *chunk) {
	if len(p.free) < maxFree {
		p.free = append(p.free, c)
		return
	}
	pool(c)
}

// pool puts c in chunkPool without what its events reference.
func pool(c *chunk) {
	clear(c.events)
	*c = chunk{data: c.data[:0], events: c.events[:0], errs: c.errs[:0]}
	chunkPool.Put(c)
}

// chunkPool keeps the buffers of the chunks of finished Readers, so that
// reading many files in turn does not allocate them afresh.
var chunkPool sync.Pool

// release hands the chunks that are not in flight to chunkPool once the
// input is done.
func (p *parallelState) release() {
	if p.cur != nil {
		p.recycle(p.cur)
		p.cur = nil
	}
	for i, c := range p.free {
		pool(c)
		p.free[i] = nil
	}
	p.free = p.free[:0]
}

// newChunk returns an empty chunk with room for chunkBytes+bufSize bytes,
// reusing a consumed one when possible.
func (p *parallelState) newChunk() *chunk {
	var c *chunk
	if n := len(p.free); n > 0 {
		c, p.free = p.free[n-1], p.free[:n-1]
	} else if pc, ok := chunkPool.Get().(*chunk); ok {
		c = pc
	} else {
		c = &chunk{}
	}
	*c = chunk{data: c.data[:0], events: c.events, errs: c.errs[:0]}
	if want := chunkBytes + bufSize; cap(c.data) < want {
		c.data = make([]byte, 0, want)
	}
	c.done = make(chan struct{})
	c.prefix = p.header
	return c
}

// nextParallel returns the next event from the chunk queue. The event
// stays valid until the next call.
func (r *Reader) nextParallel(ctx context.Context) (*Event, error) {
	p := r.par
	for {
		if c := p.cur; c != nil {
			if p.pos == p.nextErr {
				err := c.errs[p.errPos].err
				p.errPos++
				p.nextErr = noErr
				if p.errPos < len(c.errs) {
					p.nextErr = c.errs[p.errPos].idx
				}
				return nil, err
			}
			if p.pos < len(c.events) {
				ev := &c.events[p.pos]
				p.pos++
				if p.nsince++; p.nsince >= 256 {
					p.nsince = 0
					if err := ctx.Err(); err != nil {
						return nil, r.fail(err)
					}
				}
				return ev, nil
			}
			p.recycle(c)
			p.cur = nil
		}
		if err := ctx.Err(); err != nil {
			return nil, r.fail(err)
		}
		r.fillQueue()
		if len(p.queue) == 0 {
			if p.endErr == io.EOF {
				r.progressDone()
			}
			p.release()
			return nil, r.fail(p.endErr)
		}
		c := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		<-c.done
		if r.Lenient {
			r.skipped += c.skipped
			for _, e := range c.errs {
				r.keepErr(e.err)
			}
			c.errs = c.errs[:0]
		}
		p.cur, p.pos, p.errPos, p.nextErr = c, 0, 0, noErr
		if len(c.errs) > 0 {
			p.nextErr = c.errs[0].idx
		}
		// Start the next chunk now that a slot is free, so that it decodes
		// while this one is served.
		r.fillQueue()
	}
}

// inFlight is how many chunks a Reader with the given number of workers
// keeps read ahead: every worker decoding one and, behind them, as many
// again started and waiting for an interner, plus two. A worker that
// finishes a chunk then starts the next at once, without waiting for the
// reading goroutine to wake up and read one (with Parallel+1 in flight,
// both cores were 1.83–1.86 busy while reading a 100 MB Zeek log with
// Parallel 2; with 2·Parallel+2, 1.95–1.98: BenchmarkLargeFile's
// par-cpus).
func inFlight(workers int) int { return 2*workers + 2 }

// fillQueue gathers and starts chunks until inFlight are in flight or the
// input ends.
func (r *Reader) fillQueue() {
	p := r.par
	for !p.inputEnd && len(p.queue) < inFlight(p.workers) {
		c := r.gather()
		if c.nlines > 0 || c.tailErr != nil {
			p.queue = append(p.queue, c)
			go r.decodeChunk(c)
		} else {
			p.recycle(c)
		}
	}
}

// gather reads the next chunk on the reading goroutine: at least
// chunkBytes of whole lines unless the input ends first.
func (r *Reader) gather() *chunk {
	p := r.par
	c := p.newChunk()
	c.data = append(c.data, p.carry...)
	c.first = r.line + 1
	p.carry = p.carry[:0]
	max := r.maxLine()
	scanned := len(c.data) // the carry holds no newline
	var rerr error
	empty := 0 // reads in a row that returned nothing
	for {
		if r.first && (len(c.data) >= len(bom) || rerr != nil) {
			// The first line loses a byte order mark before anything else.
			r.first = false
			c.data = bytes.TrimPrefix(c.data, bom)
			scanned = 0
		}
		if len(c.data) >= chunkBytes || rerr != nil {
			cut := -1
			if i := bytes.LastIndexByte(c.data[scanned:], '\n'); i >= 0 {
				cut = scanned + i + 1
			}
			scanned = len(c.data)
			if rerr == io.EOF {
				cut = len(c.data)
			}
			if cut >= 0 {
				p.carry = append(p.carry, c.data[cut:]...)
				c.data = c.data[:cut]
				break
			}
			if rerr != nil {
				// Input error: the partial line is lost, as in sequential
				// mode.
				c.data = c.data[:0]
				break
			}
			if len(c.data) > max+2 { // room for "\r\n"
				// One line too long to keep: skip the rest of it
				// unbuffered and report it after the chunk's (no) lines.
				c.data = c.data[:0]
				rerr = r.skipLine()
				if rerr == nil || rerr == io.EOF {
					r.first = false
					c.tailErr = r.perr(r.line+1, max+1, ErrLineTooLong)
				}
				break
			}
		}
		// Read what is missing up to chunkBytes (bufio reads 64 KiB or
		// more straight into the chunk), or more of a long line.
		want := chunkBytes - len(c.data)
		if want <= 0 {
			want = bufSize
		}
		c.data = slices.Grow(c.data, want)
		n, err := r.br.Read(c.data[len(c.data) : len(c.data)+want])
		c.data = c.data[:len(c.data)+n]
		if err != nil {
			rerr = err
		} else if n == 0 {
			if empty++; empty >= 100 {
				rerr = io.ErrNoProgress
			}
		} else {
			empty = 0
		}
	}
	if len(c.data) > 0 {
		c.nlines = bytes.Count(c.data, []byte{'\n'})
		if c.data[len(c.data)-1] != '\n' {
			c.nlines++
		}
		if r.spec.header != nil {
			r.scanHeaders(c.data, max)
		}
	}
	r.line += int64(c.nlines)
	if c.tailErr != nil {
		r.line++
	}
	if rerr != nil {
		p.inputEnd = true
		if rerr == io.EOF {
			p.endErr = io.EOF
		} else {
			p.endErr = r.inputErr(rerr)
			r.sticky = nil // reported after the queued chunks
		}
	}
	return c
}

// skipLine discards the input up to and including the next newline
// without buffering it.
func (r *Reader) skipLine() error {
	for {
		_, err := r.br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// scanHeaders updates the header state from the header lines in data
// (whole lines). With headerByte set only lines starting with it are
// looked at, found with one IndexByte scan.
func (r *Reader) scanHeaders(data []byte, max int) {
	p := r.par
	hb := r.spec.headerByte
	for off := 0; off < len(data); {
		i := 0
		if hb != 0 {
			i = bytes.IndexByte(data[off:], hb)
			if i < 0 {
				return
			}
			if off+i > 0 && data[off+i-1] != '\n' {
				off += i + 1
				continue
			}
		}
		start := off + i
		end := len(data)
		if j := bytes.IndexByte(data[start:], '\n'); j >= 0 {
			end = start + j
		}
		off = end + 1
		line := data[start:end]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) == 0 || len(line) > max {
			continue
		}
		switch r.spec.header(line) {
		case 1:
			p.header = append(p.header[:len(p.header):len(p.header)], append([]byte(nil), line...))
		case 2:
			p.header = [][]byte{append([]byte(nil), line...)}
		}
	}
}

// decodeChunk decodes c on its own goroutine: it splits c.data into
// lines, checks their length and decodes them into c.events.
func (r *Reader) decodeChunk(c *chunk) {
	in := <-r.par.interns
	defer func() {
		r.par.interns <- in
		close(c.done)
	}()
	cfg := r.cfg
	cfg.intern = in.intern
	dec := r.spec.newLine(&cfg)
	var scratch Event
	for _, h := range c.prefix {
		dec.decode(h, &scratch)
	}
	maxLen := r.maxLine()
	used := len(c.events) // by an earlier use of the buffer
	if cap(c.events) < c.nlines {
		c.events, used = make([]Event, 0, c.nlines), 0
	}
	evs := c.events[:0]
	data := c.data
	no := c.first - 1
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		no++
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		var err error
		switch {
		case len(line) > maxLen:
			err = r.perr(no, maxLen+1, ErrLineTooLong)
		case len(line) == 0:
			continue
		default:
			evs = append(evs, Event{RCode: RCodeUnknown, Pos: Position{File: r.File, Line: no}})
			ev := &evs[len(evs)-1]
			ok, derr := dec.decode(line, ev)
			if ok && derr == nil {
				ev.Format = r.spec.name
				ev.Pos = Position{File: r.File, Line: no}
				continue
			}
			used = max(used, len(evs))
			evs = evs[:len(evs)-1]
			if derr == nil {
				continue
			}
			err = r.lineErr(no, derr)
		}
		c.errs = append(c.errs, chunkErr{idx: len(evs), err: err})
	}
	if c.tailErr != nil {
		c.errs = append(c.errs, chunkErr{idx: len(evs), err: c.tailErr})
	}
	if r.Lenient {
		c.skipped = int64(len(c.errs))
	}
	// Drop what events beyond the end (of an earlier use of the buffer,
	// or of lines that turned out bad) reference.
	if used > len(evs) {
		clear(evs[len(evs):used])
	}
	c.events = evs
}
