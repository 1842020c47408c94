package dnslog

import (
	"context"
	"errors"
	"io"
	"runtime"
)

// Parallel decoding. The reading goroutine (the caller of Read) splits the
// input into chunks of whole lines, about chunkBytes each, and starts one
// goroutine per chunk, at most Parallel at a time. Each chunk goroutine
// makes its own decoder, borrows one of Parallel interners, decodes its
// lines into a slice of events and exits; Read then serves the chunks in
// input order. No goroutine outlives its chunk, so abandoning a Reader
// leaks nothing. Memory: at most Parallel+1 chunks (input bytes plus
// their events) are held at once.

// chunkBytes is the target chunk size (a variable so that tests can use
// many small chunks).
var chunkBytes = 256 << 10

// parallelSafe reports whether spec's lines can be decoded in chunks: the
// format says so with its parallel flag.
func parallelSafe(spec *formatSpec) bool {
	return spec.parallel
}

type parallelState struct {
	workers  int
	interns  chan *interner
	queue    []*chunk // in flight, in input order
	cur      *chunk
	pos      int // next event of cur
	errPos   int // next error of cur
	header   [][]byte
	inputEnd bool
	endErr   error // what ended the input (io.EOF or a sticky error)
	nsince   int
	free     []*chunk // consumed chunks whose buffers can be reused
}

// recycle keeps a consumed chunk's buffers for a later chunk.
func (p *parallelState) recycle(c *chunk) {
	if len(p.free) <= p.workers {
		clear(c.events) // drop references to names and answers
		p.free = append(p.free, c)
	}
}

// newChunk returns an empty chunk, reusing a consumed one when possible.
func (p *parallelState) newChunk() *chunk {
	c := &chunk{}
	if n := len(p.free); n > 0 {
		c, p.free = p.free[n-1], p.free[:n-1]
		*c = chunk{data: c.data[:0], lines: c.lines[:0], events: c.events[:0]}
	}
	c.done = make(chan struct{})
	c.prefix = p.header
	return c
}

// lineRef locates one line in a chunk's data.
type lineRef struct {
	off, end int
	no       int64
	err      error // set for a line the gatherer already rejected
}

type chunk struct {
	data    []byte
	lines   []lineRef
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

func (r *Reader) startParallel() {
	n := r.Parallel
	if n < 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if n < 2 {
		return
	}
	p := &parallelState{workers: n, interns: make(chan *interner, n)}
	for range n {
		p.interns <- new(interner)
	}
	r.par = p
}

// nextParallel serves the next event from the chunk queue.
func (r *Reader) nextParallel(ctx context.Context, ev *Event) error {
	p := r.par
	for {
		if c := p.cur; c != nil {
			if p.errPos < len(c.errs) && c.errs[p.errPos].idx == p.pos {
				err := c.errs[p.errPos].err
				p.errPos++
				return err
			}
			if p.pos < len(c.events) {
				*ev = c.events[p.pos]
				p.pos++
				if p.nsince++; p.nsince >= 256 {
					p.nsince = 0
					if err := ctx.Err(); err != nil {
						return r.fail(err)
					}
				}
				return nil
			}
			p.recycle(c)
			p.cur = nil
		}
		if err := ctx.Err(); err != nil {
			return r.fail(err)
		}
		r.fillQueue()
		if len(p.queue) == 0 {
			if p.endErr == io.EOF {
				r.progressDone()
			}
			return r.fail(p.endErr)
		}
		c := p.queue[0]
		p.queue = p.queue[1:]
		<-c.done
		if r.Lenient {
			r.skipped += c.skipped
			for _, e := range c.errs {
				r.keepErr(e.err)
			}
			c.errs = nil
		}
		p.cur, p.pos, p.errPos = c, 0, 0
	}
}

// fillQueue gathers and starts chunks until workers+1 are in flight or
// the input ends.
func (r *Reader) fillQueue() {
	p := r.par
	for !p.inputEnd && len(p.queue) <= p.workers {
		c := r.gather()
		if len(c.lines) > 0 {
			p.queue = append(p.queue, c)
			go r.decodeChunk(c)
		}
	}
}

// gather reads the next chunk of lines on the reading goroutine.
func (r *Reader) gather() *chunk {
	p := r.par
	c := p.newChunk()
	for len(c.data) < chunkBytes {
		line, err := r.readLine()
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && errors.Is(err, ErrLineTooLong) {
				c.lines = append(c.lines, lineRef{no: r.line, err: err})
				continue
			}
			p.inputEnd = true
			if err == io.EOF {
				p.endErr = io.EOF
			} else {
				p.endErr = r.inputErr(err)
				r.sticky = nil // reported after the queued chunks
			}
			break
		}
		if len(line) == 0 {
			continue
		}
		if r.spec.header != nil {
			switch r.spec.header(line) {
			case 1:
				p.header = append(p.header[:len(p.header):len(p.header)], append([]byte(nil), line...))
			case 2:
				p.header = [][]byte{append([]byte(nil), line...)}
			}
		}
		off := len(c.data)
		c.data = append(c.data, line...)
		c.lines = append(c.lines, lineRef{off: off, end: len(c.data), no: r.line})
	}
	return c
}

// decodeChunk decodes c on its own goroutine.
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
	if cap(c.events) < len(c.lines) {
		c.events = make([]Event, 0, len(c.lines))
	}
	for _, l := range c.lines {
		var err error
		if l.err == nil {
			c.events = append(c.events, Event{RCode: RCodeUnknown, Pos: Position{File: r.File, Line: l.no}})
			ev := &c.events[len(c.events)-1]
			var ok bool
			ok, err = dec.decode(c.data[l.off:l.end], ev)
			if ok && err == nil {
				ev.Format = r.spec.name
				ev.Pos = Position{File: r.File, Line: l.no}
				continue
			}
			c.events = c.events[:len(c.events)-1]
			if err != nil {
				err = r.lineErr(l.no, err)
			}
		} else {
			err = l.err
		}
		if err != nil {
			if r.Lenient {
				c.skipped++
			}
			c.errs = append(c.errs, chunkErr{idx: len(c.events), err: err})
		}
	}
}
