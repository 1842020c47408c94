package dnslog

import (
	"errors"
	"net/netip"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// This file decodes the dnstap protobuf messages by hand with protowire
// (field numbers from dnstap.proto):
//
//	message Dnstap  { identity = 1; version = 2; extra = 3; message = 14; type = 15 }
//	message Message { type = 1; socket_family = 2; socket_protocol = 3;
//	                  query_address = 4; response_address = 5;
//	                  query_port = 6; response_port = 7;
//	                  query_time_sec = 8; query_time_nsec = 9 (fixed32);
//	                  query_message = 10; query_zone = 11;
//	                  response_time_sec = 12; response_time_nsec = 13 (fixed32);
//	                  response_message = 14; policy = 15; http_protocol = 16 }
//
// Unknown fields are skipped; a field with the wrong wire type is an error.

// dnstapMessage holds the fields of one Dnstap payload that events use.
// Byte slices alias the frame. Offsets are into the frame, for errors.
type dnstapMessage struct {
	hasMessage bool
	typ        uint64
	qaddr      []byte
	raddr      []byte
	qport      uint64
	rport      uint64
	sec        uint64
	nsec       uint32
	hasTime    bool
	query      []byte
	rsec       uint64
	rnsec      uint32
	hasRTime   bool
	resp       []byte

	msgOff, qaddrOff, raddrOff, timeOff, queryOff, respOff int
}

var errProtoWireType = errors.New("protobuf field has the wrong wire type")

// parse decodes a Dnstap payload. On error it returns the offset of the
// bad field.
func (m *dnstapMessage) parse(b []byte) (int, error) {
	*m = dnstapMessage{}
	off := 0
	for off < len(b) {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return off, protowire.ParseError(n)
		}
		start := off
		off += n
		if num == 14 {
			if typ != protowire.BytesType {
				return start, errProtoWireType
			}
			v, n := protowire.ConsumeBytes(b[off:])
			if n < 0 {
				return off, protowire.ParseError(n)
			}
			m.hasMessage = true
			m.msgOff = off
			if eoff, err := m.parseMessage(v, off+n-len(v)); err != nil {
				return eoff, err
			}
			off += n
			continue
		}
		n = protowire.ConsumeFieldValue(num, typ, b[off:])
		if n < 0 {
			return off, protowire.ParseError(n)
		}
		off += n
	}
	return 0, nil
}

// parseMessage decodes a dnstap.Message at offset base of the frame.
func (m *dnstapMessage) parseMessage(b []byte, base int) (int, error) {
	off := 0
	for off < len(b) {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return base + off, protowire.ParseError(n)
		}
		start := off
		off += n
		want := protowire.Type(-1)
		switch num {
		case 1, 6, 7, 8, 12:
			want = protowire.VarintType
		case 9, 13:
			want = protowire.Fixed32Type
		case 4, 5, 10, 14:
			want = protowire.BytesType
		}
		if want >= 0 && typ != want {
			return base + start, errProtoWireType
		}
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b[off:])
			if n < 0 {
				return base + off, protowire.ParseError(n)
			}
			switch num {
			case 1:
				m.typ = v
			case 6:
				m.qport = v
			case 7:
				m.rport = v
			case 8:
				m.sec, m.hasTime, m.timeOff = v, true, base+start
			case 12:
				m.rsec, m.hasRTime = v, true
			}
			off += n
		case protowire.Fixed32Type:
			v, n := protowire.ConsumeFixed32(b[off:])
			if n < 0 {
				return base + off, protowire.ParseError(n)
			}
			switch num {
			case 9:
				m.nsec = v
			case 13:
				m.rnsec = v
			}
			off += n
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b[off:])
			if n < 0 {
				return base + off, protowire.ParseError(n)
			}
			at := base + off + n - len(v)
			switch num {
			case 4:
				m.qaddr, m.qaddrOff = v, at
			case 5:
				m.raddr, m.raddrOff = v, at
			case 10:
				m.query, m.queryOff = v, at
			case 14:
				m.resp, m.respOff = v, at
			}
			off += n
		default:
			n := protowire.ConsumeFieldValue(num, typ, b[off:])
			if n < 0 {
				return base + off, protowire.ParseError(n)
			}
			off += n
		}
	}
	return 0, nil
}

// dnstapAddr converts a 4- or 16-byte address; an absent one is the zero
// Addr.
func dnstapAddr(b []byte) (netip.Addr, bool) {
	switch len(b) {
	case 0:
		return netip.Addr{}, true
	case 4:
		return netip.AddrFrom4([4]byte(b)), true
	case 16:
		return netip.AddrFrom16([16]byte(b)).Unmap(), true
	}
	return netip.Addr{}, false
}

func timeUnixUTC(sec, nsec int64) time.Time { return time.Unix(sec, nsec).UTC() }
