package wire_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/examples/beam/internal/wire"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// Two workers accumulate parts of one pair; their accumulators cross the
// shuffle encoded and are merged on the other side.
func ExampleEncodeAccumulator() {
	t0 := time.Date(2024, 1, 8, 12, 0, 0, 0, time.UTC)
	var w1, w2 nexus.PairAccumulator
	for i := range 6 {
		ev := dnslog.Event{Time: t0.Add(time.Duration(i) * time.Minute), Name: "poll.example.net", Type: dnslog.TypeA, RCode: 0}
		if i%2 == 0 {
			w1.Add(&ev, nexus.Limits{})
		} else {
			w2.Add(&ev, nexus.Limits{})
		}
	}
	b1, b2 := wire.EncodeAccumulator(&w1), wire.EncodeAccumulator(&w2)
	a, err := wire.DecodeAccumulator(b1)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := wire.DecodeAccumulator(b2)
	if err != nil {
		fmt.Println(err)
		return
	}
	a.Merge(b, nexus.Limits{})
	p := a.Pair(netip.MustParseAddr("192.0.2.10"), "example.net", nexus.Limits{})
	fmt.Println(len(b1), "and", len(b2), "bytes")
	fmt.Println(p.Events, "events from", p.First().Format(time.TimeOnly), "to", p.Last().Format(time.TimeOnly), p.Names)
	// Output:
	// 70 and 70 bytes
	// 6 events from 12:00:00 to 12:05:00 [poll.example.net]
}
