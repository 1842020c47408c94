package wire

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
)

var addrCmp = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func testEvents() []dnslog.Event {
	t0 := time.Date(2016, 5, 4, 4, 3, 27, 0, time.UTC)
	srv := netip.MustParseAddr("2001:db8::53")
	return []dnslog.Event{
		{Time: t0, Client: netip.MustParseAddr("192.0.2.7"), Name: "mail1.example.com", Type: dnslog.TypeA, RCode: 0,
			Answers: []dnslog.Answer{{Data: "198.51.100.1", TTL: 3600, HasTTL: true}, {Data: "x", TTL: 60, HasTTL: true}}, Server: srv},
		{Time: t0.Add(-time.Hour), Client: netip.MustParseAddr("192.0.2.7"), Name: "a.example.com", Type: dnslog.TypeAAAA, RCode: dnslog.RCodeUnknown},
		{Time: t0.Add(90 * time.Second), Client: netip.MustParseAddr("192.0.2.7"), Name: "mail1.example.com", Type: dnslog.TypeMX, RCode: 3,
			Server: netip.MustParseAddr("fe80::1%eth0")},
		{Time: time.Unix(0, -5), Client: netip.MustParseAddr("192.0.2.7"), Name: "b.example.com", RCode: 30},
	}
}

// TestQueryRoundTrip checks that an event reduced to a Query, encoded,
// decoded and rebuilt is recorded by a PairAccumulator exactly as the
// original event.
func TestQueryRoundTrip(t *testing.T) {
	var want, got nexus.PairAccumulator
	l := nexus.Limits{}
	for _, ev := range testEvents() {
		want.Add(&ev, l)
		q, err := DecodeQuery(EncodeQuery(NewQuery(&ev)))
		if err != nil {
			t.Fatal(err)
		}
		back := q.Event()
		got.Add(&back, l)
	}
	if diff := cmp.Diff(want, got, addrCmp); diff != "" {
		t.Errorf("accumulator from decoded queries (-want +got):\n%s", diff)
	}
}

// TestAccumulatorRoundTrip checks the accumulator codec against one built
// from the events, and that merging decoded halves gives the same pair as
// one pass.
func TestAccumulatorRoundTrip(t *testing.T) {
	l := nexus.Limits{MaxEvents: 3, MaxNames: 2}
	evs := testEvents()
	var whole, a, b nexus.PairAccumulator
	for i := range evs {
		whole.Add(&evs[i], l)
		if i%2 == 0 {
			a.Add(&evs[i], l)
		} else {
			b.Add(&evs[i], l)
		}
	}
	da, err := DecodeAccumulator(EncodeAccumulator(&a))
	if err != nil {
		t.Fatal(err)
	}
	db, err := DecodeAccumulator(EncodeAccumulator(&b))
	if err != nil {
		t.Fatal(err)
	}
	da.Merge(db, l)
	c := netip.MustParseAddr("192.0.2.7")
	want := whole.Pair(c, "example.com", l)
	got := da.Pair(c, "example.com", l)
	if diff := cmp.Diff(want, got, addrCmp, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("pair from merged decoded halves (-want +got):\n%s", diff)
	}
	if !got.Truncated || !got.NamesTruncated || got.Events != 4 {
		t.Errorf("caps not carried: truncated %v, names truncated %v, events %d", got.Truncated, got.NamesTruncated, got.Events)
	}
}

func TestPairKey(t *testing.T) {
	for _, c := range []struct{ client, domain string }{
		{"192.0.2.7", "example.com"},
		{"fe80::1%eth0", "weird name\x00with bytes"},
		{"::ffff:192.0.2.1", ""},
	} {
		a := netip.MustParseAddr(c.client)
		gotA, gotD, err := SplitKey(PairKey(a, c.domain))
		if err != nil {
			t.Fatal(err)
		}
		if gotA != a || gotD != c.domain {
			t.Errorf("SplitKey(PairKey(%v, %q)) = %v, %q", a, c.domain, gotA, gotD)
		}
	}
	for _, bad := range []string{"", "\x05abc", "\x03abcexample.com", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"} {
		if _, _, err := SplitKey(bad); !errors.Is(err, ErrRecord) {
			t.Errorf("SplitKey(%q) error = %v, want ErrRecord", bad, err)
		}
	}
}

func TestDecodeBad(t *testing.T) {
	good := EncodeAccumulator(&nexus.PairAccumulator{Events: 2, Times: []int64{5, 1}, Names: []string{"a", "b"}})
	for name, b := range map[string][]byte{
		"empty":          nil,
		"cut":            good[:len(good)-1],
		"trailing":       append(append([]byte{}, good...), 0),
		"huge count":     {0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"names unsorted": EncodeAccumulator(&nexus.PairAccumulator{Names: []string{"b", "a"}}),
	} {
		if _, err := DecodeAccumulator(b); !errors.Is(err, ErrRecord) {
			t.Errorf("%s: DecodeAccumulator error = %v, want ErrRecord", name, err)
		}
	}
	if _, err := DecodeQuery([]byte{0, 0, 0, 0x80, 0x80, 0x04}); !errors.Is(err, ErrRecord) {
		t.Errorf("DecodeQuery with an RCode past int16: error = %v, want ErrRecord", err)
	}
}

// FuzzDecodeAccumulator checks that any bytes either fail to decode or
// decode to an accumulator that encodes back to the same bytes (after the
// times are sorted, which the encoding does anyway) and merges without
// panicking.
func FuzzDecodeAccumulator(f *testing.F) {
	evs := testEvents()
	var a nexus.PairAccumulator
	for i := range evs {
		a.Add(&evs[i], nexus.Limits{})
	}
	f.Add(EncodeAccumulator(&a))
	f.Add(EncodeAccumulator(&nexus.PairAccumulator{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		acc, err := DecodeAccumulator(b)
		if err != nil {
			if !errors.Is(err, ErrRecord) {
				t.Fatalf("error %v does not wrap ErrRecord", err)
			}
			return
		}
		again, err := DecodeAccumulator(EncodeAccumulator(acc))
		if err != nil {
			t.Fatalf("re-encoded accumulator does not decode: %v", err)
		}
		if diff := cmp.Diff(acc, again, addrCmp); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		var m nexus.PairAccumulator
		m.Merge(acc, nexus.Limits{MaxEvents: 4, MaxNames: 2})
		_ = m.Pair(netip.IPv4Unspecified(), "x", nexus.Limits{MaxEvents: 4, MaxNames: 2})
	})
}

// FuzzDecodeQuery checks that any bytes either fail to decode or give a
// Query that round-trips and rebuilds an event.
func FuzzDecodeQuery(f *testing.F) {
	for _, ev := range testEvents() {
		f.Add(EncodeQuery(NewQuery(&ev)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := DecodeQuery(b)
		if err != nil {
			if !errors.Is(err, ErrRecord) {
				t.Fatalf("error %v does not wrap ErrRecord", err)
			}
			return
		}
		again, err := DecodeQuery(EncodeQuery(q))
		if err != nil {
			t.Fatalf("re-encoded Query does not decode: %v", err)
		}
		if diff := cmp.Diff(q, again, addrCmp, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		ev := q.Event()
		var a nexus.PairAccumulator
		a.Add(&ev, nexus.Limits{})
	})
}
