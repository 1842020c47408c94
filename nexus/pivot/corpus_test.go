package pivot

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

// wrccdcPath returns the WRCCDC Zeek capture in the corpus, skipping the
// test when DNSNEXUS_CORPUS is unset.
func wrccdcPath(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("DNSNEXUS_CORPUS")
	if dir == "" {
		tb.Skip("DNSNEXUS_CORPUS not set")
	}
	return filepath.Join(dir, "dnslog", "zeek", "wrccdc_zeek-default_dns.log.gz")
}

// TestCorpusWRCCDC builds the history of the 53,615-record WRCCDC capture
// and checks it against facts of the capture read off the raw log:
// ise.wrccdc.org answered through the CNAME ise.wrccdc.cpp.edu with
// 134.71.3.16, and the build takes well under a second.
func TestCorpusWRCCDC(t *testing.T) {
	path := wrccdcPath(t)
	evs, err := dnslog.ReadFile(context.Background(), path, dnslog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 53615 {
		t.Fatalf("%d events, want 53615", len(evs))
	}
	start := time.Now()
	var h History
	for i := range evs {
		h.Add(&evs[i])
	}
	elapsed := time.Since(start)
	t.Logf("%d events in %v (%.0f events/s): %d bindings, %d series, %d malformed, %d dropped",
		len(evs), elapsed, float64(len(evs))/elapsed.Seconds(), len(h.bindings), len(h.series), h.Malformed(), h.Dropped())
	if elapsed > time.Second {
		t.Errorf("building took %v, want well under a second", elapsed)
	}
	if h.Dropped() != 0 {
		t.Errorf("%d dropped under default limits", h.Dropped())
	}
	n := h.Name("ise.wrccdc.org")
	if n == nil {
		t.Fatal("ise.wrccdc.org not seen")
	}
	found := false
	for _, b := range n.Bindings {
		if b.Type == dnslog.TypeA && b.Addr.String() == "134.71.3.16" && b.Via == "ise.wrccdc.cpp.edu" {
			found = true
		}
	}
	if !found {
		t.Errorf("ise.wrccdc.org → 134.71.3.16 via ise.wrccdc.cpp.edu missing: %+v", n.Bindings)
	}
	// PTR lookups with answers become PTR bindings of their address.
	ptrs := 0
	for _, b := range h.bindings {
		if b.Type == dnslog.TypePTR && b.Addr.IsValid() {
			ptrs++
		}
	}
	if ptrs == 0 {
		t.Error("no PTR bindings")
	}
	for _, err := range h.Errors() {
		t.Logf("malformed: %v", err)
	}
}

func BenchmarkBuildWRCCDC(b *testing.B) {
	path := wrccdcPath(b)
	evs, err := dnslog.ReadFile(context.Background(), path, dnslog.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var h History
		for i := range evs {
			h.Add(&evs[i])
		}
	}
	b.ReportMetric(float64(len(evs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
