package dnslog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// dnstap files: Frame Streams (the file form of the bidirectional or
// unidirectional protocol) carrying protobuf dnstap.Dnstap payloads.
//
// A file is a START control frame (escape: a zero length, then the
// control frame's length and type) whose content type is
// "protobuf:dnstap.Dnstap", data frames (a non-zero big-endian 32-bit
// length and the payload), and a STOP control frame. READY, ACCEPT and
// FINISH control frames are ignored, and a START after a STOP begins a
// further stream (concatenated files). A file that ends on a frame
// boundary without STOP is read to its end; one that ends inside a frame
// is an ErrTruncated error. Frames longer than dnstapMaxFrame (1 MiB) and
// control frames longer than 512 bytes stop the input: framing is lost.
//
// Each data frame is one record (Event.Pos.Line is its 1-based number; an
// error's Column is the 1-based byte offset in the frame's payload). Query
// messages — AUTH_QUERY, RESOLVER_QUERY, CLIENT_QUERY, FORWARDER_QUERY,
// STUB_QUERY and TOOL_QUERY — are the events: Time from query_time_sec and
// query_time_nsec, Client and ClientPort from query_address and
// query_port (the initiator), Server and ServerPort from response_address
// and response_port (the responder), and Name, Type and Class from the
// question of query_message. UPDATE_QUERY and UPDATE_RESPONSE are not
// events.
//
// Response messages complete queries: the decoder holds query events back,
// in order, and a response of the matching type (CLIENT_RESPONSE for
// CLIENT_QUERY, …) from the same query address and port with the same DNS
// message ID, name and type sets the query's RCode and Answers from
// response_message. A held query is released when answered, when a frame
// more than dnstapWindow later (by query time) arrives, when more than
// dnstapMaxHeld are held, or at the end; unanswered it keeps RCodeUnknown.
// A response that matches no held query is dropped once the stream has
// carried any query message (its query was released or came before the
// input); in a stream of responses only (servers are often set to log
// just those), each response is an event by itself, timed by its query
// time (or its response time when that is all it has).

const (
	dnstapWindow     = 10 * time.Second
	dnstapMaxHeld    = 4096
	dnstapMaxFrame   = 1 << 20
	dnstapMaxControl = 512
	dnstapContent    = "protobuf:dnstap.Dnstap"

	fstrmAccept = 1
	fstrmStart  = 2
	fstrmStop   = 3
	fstrmReady  = 4
	fstrmFinish = 5

	fstrmFieldContentType = 1
)

func init() {
	register(formatSpec{
		name:        FormatDnstap,
		newStream:   func(r *bufio.Reader, c *decodeConfig) streamDecoder { return &dnstapDecoder{r: r, c: c} },
		sniffBinary: sniffDnstap,
	})
}

type dnstapDecoder struct {
	r       *bufio.Reader
	c       *decodeConfig
	started bool // inside a START … STOP stream
	rec     int64
	err     error // sticky framing error or io.EOF
	buf     []byte
	hdr     [8]byte // frame and control headers (a field, so reads do not allocate)
	cbuf    [dnstapMaxControl]byte
	w       wireDecoder
	msg     dnstapMessage

	held     []dnstapHeld // FIFO; held[head:] are live
	head     int
	latest   time.Time // latest query time seen
	sawQuery bool      // the stream has carried a query message
}

type dnstapHeld struct {
	ev       Event
	rec      int64
	typ      uint64 // message type of the query
	id       uint16 // DNS message ID
	answered bool
}

// sniffDnstap reports whether head starts with a Frame Streams START
// control frame whose content type is dnstap's.
func sniffDnstap(head []byte) bool {
	if len(head) < 12 || binary.BigEndian.Uint32(head) != 0 {
		return false
	}
	n := binary.BigEndian.Uint32(head[4:])
	if n < 4 || n > dnstapMaxControl || binary.BigEndian.Uint32(head[8:]) != fstrmStart {
		return false
	}
	end := min(len(head), 8+int(n))
	ct, ok := fstrmContentType(head[12:end])
	return ok && ct
}

// fstrmContentType scans control fields; it reports whether one names
// dnstap's content type, and false for ok when the fields are malformed.
// An incomplete last field (a cut head) is not malformed.
func fstrmContentType(b []byte) (dnstap, ok bool) {
	for len(b) >= 8 {
		typ := binary.BigEndian.Uint32(b)
		n := binary.BigEndian.Uint32(b[4:])
		if n > dnstapMaxControl {
			return false, false
		}
		if int(n) > len(b)-8 {
			return false, true
		}
		if typ == fstrmFieldContentType && string(b[8:8+n]) == dnstapContent {
			return true, true
		}
		b = b[8+n:]
	}
	return false, true
}

// readFull reads len(p) bytes; an end of input inside them is
// ErrTruncated.
func (d *dnstapDecoder) readFull(p []byte, what string) error {
	_, err := io.ReadFull(d.r, p)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: dnstap input ends inside %s", ErrTruncated, what)
	}
	return err
}

func (d *dnstapDecoder) next(ev *Event) (int64, error) {
	for {
		if rec, ok := d.pop(ev, d.err != nil); ok {
			return rec, nil
		}
		if d.err != nil {
			return d.rec, d.err
		}
		if err := d.readFrame(); err != nil {
			var fe *fieldError
			if errors.As(err, &fe) {
				return d.rec, err
			}
			d.err = err
		}
	}
}

// pop releases the oldest held event when it is complete, too old, over
// the cap, or when all is to be released.
func (d *dnstapDecoder) pop(ev *Event, all bool) (int64, bool) {
	if d.head >= len(d.held) {
		return 0, false
	}
	h := &d.held[d.head]
	if !(all || h.answered || len(d.held)-d.head > dnstapMaxHeld || d.latest.Sub(h.ev.Time) > dnstapWindow) {
		return 0, false
	}
	*ev = h.ev
	rec := h.rec
	*h = dnstapHeld{}
	d.head++
	return rec, true
}

func (d *dnstapDecoder) hold(h dnstapHeld) {
	if h.ev.Time.After(d.latest) {
		d.latest = h.ev.Time
	}
	if d.head > 0 && d.head == len(d.held) {
		d.held, d.head = d.held[:0], 0
	} else if d.head > len(d.held)/2 && d.head > 64 {
		n := copy(d.held, d.held[d.head:])
		clear(d.held[n:])
		d.held, d.head = d.held[:n], 0
	}
	d.held = append(d.held, h)
}

// readFrame reads frames until it has decoded one data frame (holding its
// event, if any). Errors that lose framing are returned as plain errors,
// a bad record as a fieldError.
func (d *dnstapDecoder) readFrame() error {
	hdr := d.hdr[:4]
	for {
		n, err := io.ReadFull(d.r, hdr)
		if err == io.EOF && n == 0 {
			return io.EOF
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = fmt.Errorf("%w: dnstap input ends inside a frame length", ErrTruncated)
			}
			return err
		}
		size := binary.BigEndian.Uint32(hdr)
		if size == 0 {
			if err := d.control(); err != nil {
				return err
			}
			continue
		}
		if !d.started {
			return fmt.Errorf("%w: dnstap data frame outside a START…STOP stream", ErrField)
		}
		if size > dnstapMaxFrame {
			return fmt.Errorf("%w: dnstap frame of %d bytes exceeds the %d-byte limit", ErrField, size, dnstapMaxFrame)
		}
		// Read in pieces so that a cut file claiming a large frame does
		// not make the buffer grow past what is there.
		frame := d.buf[:0]
		for left := int(size); left > 0; {
			n := min(left, 64<<10)
			frame = slices.Grow(frame, n)[:len(frame)+n]
			if err := d.readFull(frame[len(frame)-n:], "a data frame"); err != nil {
				return err
			}
			left -= n
		}
		d.buf = frame
		d.rec++
		return d.decodeFrame(frame)
	}
}

// control reads a control frame after its escape.
func (d *dnstapDecoder) control() error {
	hdr := d.hdr[4:8]
	if err := d.readFull(hdr, "a control frame length"); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr)
	if n < 4 || n > dnstapMaxControl {
		return fmt.Errorf("%w: Frame Streams control frame of %d bytes", ErrField, n)
	}
	c := d.cbuf[:n]
	if err := d.readFull(c, "a control frame"); err != nil {
		return err
	}
	switch binary.BigEndian.Uint32(c) {
	case fstrmStart:
		if d.started {
			return fmt.Errorf("%w: Frame Streams START inside a stream", ErrField)
		}
		isDnstap, ok := fstrmContentType(c[4:])
		if !ok {
			return fmt.Errorf("%w: malformed Frame Streams control fields", ErrField)
		}
		if !isDnstap && len(c) > 4 {
			return fmt.Errorf("%w: Frame Streams content type is not %q", ErrField, dnstapContent)
		}
		d.started = true
	case fstrmStop:
		d.started = false
	case fstrmAccept, fstrmReady, fstrmFinish:
	default:
		return fmt.Errorf("%w: unknown Frame Streams control type %d", ErrField, binary.BigEndian.Uint32(c))
	}
	return nil
}

// decodeFrame decodes one dnstap payload: a query is held, a response
// completes a held query or (in a responses-only stream) is held as an
// event of its own.
func (d *dnstapDecoder) decodeFrame(frame []byte) error {
	m := &d.msg
	if off, err := m.parse(frame); err != nil {
		return badField(off, ErrField, err.Error())
	}
	if !m.hasMessage || m.typ < 1 || m.typ > 12 {
		return nil
	}
	isQuery := m.typ%2 == 1
	h := dnstapHeld{rec: d.rec, typ: m.typ, answered: !isQuery}
	ev := &h.ev
	*ev = Event{RCode: RCodeUnknown, Pos: Position{Line: d.rec}}
	switch {
	case m.hasTime:
		if m.nsec >= 1e9 || m.sec > 9200000000 {
			return badField(m.timeOff, ErrTime, fmt.Sprintf("query time %d.%09d", m.sec, m.nsec))
		}
		ev.Time = timeUnixUTC(int64(m.sec), int64(m.nsec))
	case !isQuery && m.hasRTime && m.rnsec < 1e9 && m.rsec <= 9200000000:
		ev.Time = timeUnixUTC(int64(m.rsec), int64(m.rnsec))
	default:
		return badField(m.msgOff, ErrTime, "no query_time_sec")
	}
	var ok bool
	if ev.Client, ok = dnstapAddr(m.qaddr); !ok {
		return badField(m.qaddrOff, ErrAddr, fmt.Sprintf("query_address of %d bytes", len(m.qaddr)))
	}
	if ev.Server, ok = dnstapAddr(m.raddr); !ok {
		return badField(m.raddrOff, ErrAddr, fmt.Sprintf("response_address of %d bytes", len(m.raddr)))
	}
	if m.qport > 65535 || m.rport > 65535 {
		return badField(m.msgOff, ErrAddr, "port out of range")
	}
	ev.ClientPort, ev.ServerPort = uint16(m.qport), uint16(m.rport)
	wire, wireOff, what := m.query, m.queryOff, "query_message"
	if !isQuery {
		wire, wireOff, what = m.resp, m.respOff, "response_message"
	}
	if wire == nil {
		if !isQuery {
			return nil // a response without its message tells nothing
		}
		return badField(m.msgOff, ErrName, "no query_message")
	}
	if err := d.w.decode(wire, d.c.intern, ev, !isQuery); err != nil {
		cause := ErrField
		if errors.Is(err, errWireName) {
			cause = ErrName
		}
		return badField(wireOff, cause, what+": "+err.Error())
	}
	if len(wire) >= 2 {
		h.id = binary.BigEndian.Uint16(wire)
	}
	if isQuery {
		d.sawQuery = true
		d.hold(h)
		return nil
	}
	for k := d.head; k < len(d.held); k++ {
		q := &d.held[k]
		if !q.answered && q.typ+1 == m.typ && q.id == h.id && q.ev.ClientPort == ev.ClientPort &&
			q.ev.Client == ev.Client && q.ev.Type == ev.Type && q.ev.Name == ev.Name {
			q.ev.RCode, q.ev.Answers = ev.RCode, ev.Answers
			q.answered = true
			return nil
		}
	}
	if !d.sawQuery {
		d.hold(h)
	}
	return nil
}
