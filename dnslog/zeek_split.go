package dnslog

import (
	"encoding/binary"
	"math/bits"
)

// splitByte stores in spans the ranges of the fields of line separated by
// the byte sep and returns their number. It stops when spans is full, so
// a result of len(spans) means that the line has at least that many
// fields (the last one stored then ends at a separator).
//
// It looks at eight bytes at a time: x = w XOR (sep repeated) has a zero
// byte exactly where w has sep, and ^(((x & 0x7f…) + 0x7f…) | x | 0x7f…)
// sets the high bit of exactly those bytes (the addition cannot carry
// from one byte into the next), so a word without a separator costs a
// few operations and each separator a few more.
func splitByte(spans []span, line []byte, sep byte) int {
	const (
		ones = 0x0101010101010101
		low7 = 0x7f7f7f7f7f7f7f7f
	)
	if len(spans) == 0 {
		return 0
	}
	pat := ones * uint64(sep)
	n, start, i := 0, 0, 0
	for ; i+8 <= len(line); i += 8 {
		x := binary.LittleEndian.Uint64(line[i : i+8])
		x ^= pat
		m := ^(((x & low7) + low7) | x | low7)
		for m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			spans[n] = span{start, j}
			n++
			if n == len(spans) {
				return n
			}
			start = j + 1
			m &= m - 1
		}
	}
	for ; i < len(line); i++ {
		if line[i] == sep {
			spans[n] = span{start, i}
			n++
			if n == len(spans) {
				return n
			}
			start = i + 1
		}
	}
	spans[n] = span{start, len(line)}
	return n + 1
}
