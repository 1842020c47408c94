package dnslog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
// STUB_QUERY and TOOL_QUERY — become events: Time from query_time_sec and
// query_time_nsec, Client and ClientPort from query_address and
// query_port (the initiator), Server and ServerPort from response_address
// and response_port (the responder), and Name, Type and Class from the
// question of query_message. RCode stays RCodeUnknown. Response messages
// and UPDATE_QUERY/UPDATE_RESPONSE are not events: a query and its
// response describe one lookup, and joining them would need a buffer of
// open queries keyed by address, port and message ID; logs written with
// responses only therefore yield no events.

const (
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

func (d *dnstapDecoder) fail(err error) (int64, error) {
	d.err = err
	return d.rec, err
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
	if d.err != nil {
		return d.rec, d.err
	}
	hdr := d.hdr[:4]
	for {
		n, err := io.ReadFull(d.r, hdr)
		if err == io.EOF && n == 0 {
			return d.fail(io.EOF)
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = fmt.Errorf("%w: dnstap input ends inside a frame length", ErrTruncated)
			}
			return d.fail(err)
		}
		size := binary.BigEndian.Uint32(hdr)
		if size == 0 {
			if err := d.control(); err != nil {
				return d.fail(err)
			}
			continue
		}
		if !d.started {
			return d.fail(fmt.Errorf("%w: dnstap data frame outside a START…STOP stream", ErrField))
		}
		if size > dnstapMaxFrame {
			return d.fail(fmt.Errorf("%w: dnstap frame of %d bytes exceeds the %d-byte limit", ErrField, size, dnstapMaxFrame))
		}
		if cap(d.buf) < int(size) {
			d.buf = make([]byte, size)
		}
		frame := d.buf[:size]
		if err := d.readFull(frame, "a data frame"); err != nil {
			return d.fail(err)
		}
		d.rec++
		ok, err := d.decodeFrame(frame, ev)
		if err != nil {
			return d.rec, err
		}
		if ok {
			return d.rec, nil
		}
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

// decodeFrame decodes one dnstap payload; it reports whether it is a
// query event.
func (d *dnstapDecoder) decodeFrame(frame []byte, ev *Event) (bool, error) {
	m := &d.msg
	if off, err := m.parse(frame); err != nil {
		return false, badField(off, ErrField, err.Error())
	}
	if !m.hasMessage {
		return false, nil
	}
	switch m.typ {
	case 1, 3, 5, 7, 9, 11: // the *_QUERY types except UPDATE_QUERY
	default:
		return false, nil
	}
	if !m.hasTime {
		return false, badField(m.msgOff, ErrTime, "no query_time_sec")
	}
	if m.nsec >= 1e9 || m.sec > 9200000000 {
		return false, badField(m.timeOff, ErrTime, fmt.Sprintf("query time %d.%09d", m.sec, m.nsec))
	}
	ev.Time = timeUnixUTC(int64(m.sec), int64(m.nsec))
	var ok bool
	if ev.Client, ok = dnstapAddr(m.qaddr); !ok {
		return false, badField(m.qaddrOff, ErrAddr, fmt.Sprintf("query_address of %d bytes", len(m.qaddr)))
	}
	if ev.Server, ok = dnstapAddr(m.raddr); !ok {
		return false, badField(m.raddrOff, ErrAddr, fmt.Sprintf("response_address of %d bytes", len(m.raddr)))
	}
	if m.qport > 65535 || m.rport > 65535 {
		return false, badField(m.msgOff, ErrAddr, "port out of range")
	}
	ev.ClientPort, ev.ServerPort = uint16(m.qport), uint16(m.rport)
	if m.query == nil {
		return false, badField(m.msgOff, ErrName, "no query_message")
	}
	if err := d.w.decode(m.query, d.c.intern, ev, false); err != nil {
		cause := ErrField
		if errors.Is(err, errWireName) {
			cause = ErrName
		}
		return false, badField(m.queryOff, cause, "query_message: "+err.Error())
	}
	return true, nil
}
