package synth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"time"
)

// Format is an output format of Stream.
type Format uint8

// The formats.
const (
	// Research is the format of WriteResearch.
	Research Format = iota
	// Zeek is the format of WriteZeek.
	Zeek
)

// String returns "research" or "zeek".
func (f Format) String() string {
	switch f {
	case Research:
		return "research"
	case Zeek:
		return "zeek"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ErrFormat is the cause of ParseFormat's errors.
var ErrFormat = errors.New("synth: unknown format")

// ErrConfig is the cause of Stream's errors for a StreamConfig it cannot
// run.
var ErrConfig = errors.New("synth: bad stream configuration")

// ParseFormat returns the Format named s ("research" or "zeek").
func ParseFormat(s string) (Format, error) {
	switch s {
	case "research":
		return Research, nil
	case "zeek":
		return Zeek, nil
	}
	return 0, fmt.Errorf("%w %q (want research or zeek)", ErrFormat, s)
}

// StreamConfig configures Stream. The zero value writes one million
// research-format lines across 1,000 pairs.
type StreamConfig struct {
	// N is the number of lookups to write; 0 means 1,000,000.
	N int64
	// Pairs is the number of (client, domain) pairs, at most 1<<31 − 1; 0
	// means 1,000.
	Pairs int
	// Clients is the number of clients the pairs are spread over; 0 means
	// ⌈Pairs/16⌉. Client c is 10.1.0.1 + c (at most 16,711,680 clients).
	Clients int
	// Seed seeds the pairs' parameters and the one random source of the
	// gaps.
	Seed uint64
	// Start is when the stream starts; the zero Time means DefaultStart.
	Start time.Time
	// Days is the span the N lookups are spread over on average; 0 or less
	// means 7. Start and the span, with room for the slowest pairs, must
	// stay within the years 1970 to 2200.
	Days int
	// Format is the output format.
	Format Format
}

func (c StreamConfig) withDefaults() StreamConfig {
	if c.N <= 0 {
		c.N = 1_000_000
	}
	if c.Pairs <= 0 {
		c.Pairs = 1000
	}
	c.Pairs = min(c.Pairs, math.MaxInt32)
	if c.Clients <= 0 {
		c.Clients = (c.Pairs + 15) / 16
	}
	c.Clients = min(c.Clients, c.Pairs, 0xfeffff)
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	if c.Days <= 0 {
		c.Days = 7
	}
	return c
}

// nicePeriods are the periods stream beacons snap to, in seconds.
var nicePeriods = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 604800}

// pairParams derives pair k's parameters from a hash of (seed, k).
func (c StreamConfig) pairParams(k int) (kind uint8, gap float64, jitter float64) {
	h1 := mix64(c.Seed ^ uint64(k)*0x9e3779b97f4a7c15)
	h2 := mix64(h1)
	u := func(h uint64) float64 { return (float64(h>>11) + 0.5) / (1 << 53) }
	const sigma = 1.5
	z := math.Sqrt(-2*math.Log(u(h1))) * math.Cos(2*math.Pi*u(h2))
	mult := math.Exp(sigma*z - sigma*sigma/2)
	span := float64(c.Days) * 86400
	gap = span * float64(c.Pairs) / float64(c.N) / mult
	gap = min(max(gap, 1), span)
	sel := mix64(h2) % 10
	switch {
	case sel < 4:
		kind, jitter = 0, float64(mix64(h1^h2)%31)/100
	case sel < 5:
		kind, jitter = 1, 0.1
		gap *= 1 - streamMissed
	default:
		return 2, gap, 0
	}
	// snap a beacon's period to the nearest nice period on a log scale
	best := nicePeriods[0]
	for _, p := range nicePeriods[1:] {
		if p*best < gap*gap { // p/gap < gap/best: p is nearer on a log scale
			best = p
		}
	}
	return kind, best, jitter
}

// streamMissed is the probability a beat is dropped for beacons with
// missed beats.
const streamMissed = 0.3

func (c StreamConfig) client(k int) netip.Addr {
	v := 0x0a010001 + uint32(k%c.Clients)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// domainIndex maps pair k to its domain: the pairs of one client get
// distinct domains, rotated per client so that domains are shared by
// many clients.
func (c StreamConfig) domainIndex(k int) int {
	return int((uint64(k/c.Clients) + uint64(k%c.Clients)*7919) % uint64(c.domains()))
}

// domains returns the number of domains: Pairs/4, or more if a client
// has more pairs than that.
func (c StreamConfig) domains() int {
	return max((c.Pairs+c.Clients-1)/c.Clients, c.Pairs/4)
}

// appendName appends the query name of domain index d:
// <prefix>.d<7 digits>.example.
func appendName(dst []byte, d int) []byte {
	dst = append(dst, prefixes[uint64(d)*0x9e3779b97f4a7c15>>60%uint64(len(prefixes))]...)
	dst = append(dst, ".d"...)
	if d < 1e7 {
		dst = appendDigits(dst, uint64(d), 7)
	} else {
		dst = strconv.AppendInt(dst, int64(d), 10)
	}
	return append(dst, ".example"...)
}

// Pair returns the ground truth of stream pair k (0 ≤ k < Pairs) under
// the defaults of c: scenario "stream-beacon", "stream-missed" or
// "stream-poisson" (see Stream). Events is left 0.
func (c StreamConfig) Pair(k int) Truth {
	c = c.withDefaults()
	kind, gap, jit := c.pairParams(k)
	name := appendName(nil, c.domainIndex(k))
	t := Truth{Client: c.client(k), Domain: string(name[indexByte(name, '.')+1:])}
	d := time.Duration(gap * 1e9)
	switch kind {
	case 0:
		t.Scenario, t.Kind, t.Positive, t.Period, t.Beat, t.Jitter = "stream-beacon", KindBeacon, true, d, d, jit
	case 1:
		t.Scenario, t.Kind, t.Positive, t.Period, t.Beat, t.Jitter, t.Missed = "stream-missed", KindBeacon, true, d, d, jit, streamMissed
	default:
		t.Scenario, t.Kind = "stream-poisson", KindAperiodic
	}
	return t
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// Stream writes cfg.N lookups of cfg.Pairs pairs to w in time order, in
// cfg.Format, generating them on the fly in O(Pairs) memory: 24 bytes a
// pair (and, for Zeek, 8 bytes a domain), plus two buffers for a window of about a million
// 16-byte lookups (32 to 64 MiB).
//
// Pair k's parameters come from a hash of (Seed, k), so Pair(k) can
// report them without running the stream. Its activity level is a
// log-normal multiplier M (σ = 1.5, mean 1) of the average rate
// N/(Pairs·Days·86,400 s); its mean gap is clamped to [1 s, Days]. 40 % of
// the pairs are beacons ("stream-beacon": renewal jitter j uniform in
// 0–30 %), 10 % beacons that miss 30 % of their beats with 10 % jitter
// ("stream-missed"), their periods snapped to the nearest of 1 s, 2 s,
// 5 s, … 1 h, 2 h, … 7 d (log scale); 50 % are Poisson noise
// ("stream-poisson"). Client c of k is k mod Clients; the pairs of a client
// get distinct domains d<7 digits>.example, each name one fixed sub-name
// of its domain. All A lookups, TTL 300, resolver 10.0.0.53.
//
// Lookups are made window by window: every pair's lookups in the next
// window of time (sized to hold about a million) are generated in pair
// order, radix-sorted by their microsecond (stable, so ties keep pair
// order) and written. The stream stops after N lines whatever time it has
// reached. It checks ctx once a window. Gaps are drawn from one PCG source
// seeded from Seed, in a fixed order, so output is byte-for-byte
// reproducible.
func Stream(ctx context.Context, cfg StreamConfig, w io.Writer) error {
	cfg = cfg.withDefaults()
	if lo, hi := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC); cfg.Start.Before(lo) ||
		cfg.Days > 20*365 || cfg.Start.AddDate(0, 0, 4*cfg.Days).After(hi) {
		return fmt.Errorf("%w: from %s over %d days leaves 1970–2200", ErrConfig, cfg.Start.Format(time.RFC3339), cfg.Days)
	}
	start := cfg.Start.UnixNano()
	span := float64(cfg.Days) * 86400e9
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x73747265616d))

	var answers []uint64
	if cfg.Format == Zeek {
		answers = make([]uint64, cfg.domains())
		for d := range answers {
			answers[d] = mix64(uint64(d))
		}
	}
	pairs := make([]streamItem, cfg.Pairs)
	for k := range pairs {
		kind, gap, jit := cfg.pairParams(k)
		it := streamItem{client: int32(k % cfg.Clients), dom: int32(cfg.domainIndex(k)), gap: float32(gap), kind: kind, jit: uint8(math.Round(jit * 100))}
		var off float64
		if kind == 2 {
			off = rng.ExpFloat64() * gap
		} else {
			off = rng.Float64() * gap
		}
		it.t = start + int64(off*1e9)
		pairs[k] = it
	}

	// The window holds about windowEvents lookups on average; it lasts at
	// least a microsecond and at most the span.
	window := int64(min(max(windowEvents*span/float64(cfg.N), 1e3), span))
	recs := make([]streamRec, 0, min(cfg.N, windowEvents)*5/4+1024)
	var tmp []streamRec
	buf := make([]byte, 0, 256<<10)
	flush := func() error {
		_, err := w.Write(buf)
		buf = buf[:0]
		return err
	}
	server := []byte("10.0.0.53")
	if cfg.Format == Zeek {
		buf = appendZeekHeader(buf, start)
	} else {
		buf = append(buf, ResearchHeader+"\n"...)
	}
	lastDay, lastSec := int64(math.MinInt64), int64(math.MinInt64)
	var datePrefix, secPrefix, cl []byte
	last := start
	written := int64(0)
	for from := start; written < cfg.N; from += window {
		if err := ctx.Err(); err != nil {
			return err
		}
		to := from + window
		recs = recs[:0]
		for k := range pairs {
			it := &pairs[k]
			for it.t < to {
				recs = append(recs, streamRec{us: it.t / 1e3, client: it.client, dom: it.dom})
				it.t += int64(it.nextGap(rng) * 1e9)
			}
		}
		if cap(tmp) < len(recs) {
			tmp = make([]streamRec, len(recs), cap(recs))
		}
		recs, tmp = radixSort(recs, tmp[:len(recs)], from/1e3, to/1e3)
		for _, r := range recs {
			if written == cfg.N {
				break
			}
			if cfg.Format == Zeek {
				if sec := r.us / 1e6; sec != lastSec {
					lastSec = sec
					secPrefix = append(strconv.AppendInt(secPrefix[:0], sec, 10), '.')
				}
				buf = append(buf, secPrefix...)
				buf = appendDigits(buf, uint64(r.us%1e6), 6)
				cl = appendStreamClient(cl[:0], r.client)
				buf = appendZeekRest(buf, uint64(written), cl, server)
				buf = appendName(buf, int(r.dom))
				buf = appendZeekTail(buf, TypeA, 300, answers[r.dom])
			} else {
				ms := r.us / 1e3
				if day := ms / 86400000; day != lastDay {
					lastDay = day
					datePrefix = appendDate(datePrefix[:0], day)
				}
				buf = append(buf, datePrefix...)
				buf = appendDayTime(buf, ms%86400000)
				buf = append(buf, " | "...)
				buf = appendName(buf, int(r.dom))
				buf = append(buf, " | "...)
				buf = appendStreamClient(buf, r.client)
				buf = append(buf, '\n')
			}
			last = r.us * 1e3
			written++
			if len(buf) > 240<<10 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if cfg.Format == Zeek {
		buf = appendZeekClose(buf, last)
	}
	return flush()
}

// windowEvents is the mean number of lookups in a window of Stream.
const windowEvents = 1 << 20

// streamItem is the state of one stream pair: its next event time and
// parameters (24 bytes).
type streamItem struct {
	t      int64
	client int32
	dom    int32
	gap    float32 // mean gap (Poisson) or period (beacon), seconds
	kind   uint8   // 0 beacon, 1 beacon with missed beats, 2 Poisson
	jit    uint8   // jitter, percent
}

// nextGap draws the gap in seconds to the pair's next logged lookup.
func (it *streamItem) nextGap(rng *rand.Rand) float64 {
	g := float64(it.gap)
	j := float64(it.jit) / 100
	switch it.kind {
	case 2:
		return rng.ExpFloat64() * g
	case 1:
		next := 0.0
		for {
			next += g * (1 + j*(2*rng.Float64()-1))
			if rng.Float64() >= streamMissed {
				return next
			}
		}
	}
	return g * (1 + j*(2*rng.Float64()-1))
}

// streamRec is one lookup of a window: its time in Unix microseconds and
// its pair's client and domain (16 bytes).
type streamRec struct {
	us     int64
	client int32
	dom    int32
}

// radixSort sorts recs, whose times lie in [lo, hi) microseconds, by time
// with a stable least-significant-digit radix sort on 12-bit digits of
// us − lo, using tmp (as long as recs) as scratch. It returns the sorted
// slice and the other one.
func radixSort(recs, tmp []streamRec, lo, hi int64) ([]streamRec, []streamRec) {
	const bits = 12
	var count [1 << bits]int
	for shift := uint(0); hi-lo > 1<<shift; shift += bits {
		clear(count[:])
		for _, r := range recs {
			count[uint64(r.us-lo)>>shift&(1<<bits-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, r := range recs {
			d := uint64(r.us-lo) >> shift & (1<<bits - 1)
			tmp[count[d]] = r
			count[d]++
		}
		recs, tmp = tmp, recs
	}
	return recs, tmp
}

// appendStreamClient appends the address of stream client c,
// 10.1.0.1 + c.
func appendStreamClient(dst []byte, c int32) []byte {
	v := 0x0a010001 + uint32(c)
	dst = append(dst, '1', '0', '.')
	dst = appendOctet(dst, byte(v>>16))
	dst = append(dst, '.')
	dst = appendOctet(dst, byte(v>>8))
	dst = append(dst, '.')
	return appendOctet(dst, byte(v))
}

func appendOctet(dst []byte, b byte) []byte {
	switch {
	case b >= 100:
		return append(dst, '0'+b/100, '0'+b/10%10, '0'+b%10)
	case b >= 10:
		return append(dst, '0'+b/10, '0'+b%10)
	}
	return append(dst, '0'+b)
}
