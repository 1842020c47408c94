package nexus_test

import (
	"context"
	"testing"

	"github.com/dnsnexus/dnsnexus/internal/labbench"
	"github.com/dnsnexus/dnsnexus/internal/synth"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// TestLabelledShort runs the labelled benchmark on the short preset (one
// pair per scenario variant, written as Zeek dns.log and read back) on a
// seed the scorer was not developed on, and holds it to the goals that a
// small sample can support. The full preset is run by
// `go run ./internal/labbench/cmd/labbench -preset full`; its figures are in
// BENCHMARKS.md.
func TestLabelledShort(t *testing.T) {
	if testing.Short() {
		t.Skip("labelled benchmark skipped in -short mode")
	}
	res, err := labbench.Run(context.Background(), labbench.Config{Seed: 7, Preset: synth.Short, Format: "zeek"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Pairs {
		if !p.Truth.Positive && p.Score.Verdict == nexus.VerdictBeacon {
			t.Errorf("%s %s (%s): negative pair called a beacon (beacon %.3f, period %v)",
				p.Truth.Scenario, p.Truth.Variant, p.Truth.Client, p.Score.Beacon, p.Score.Period)
		}
		if p.Truth.Scenario == "poisson" && p.Score.Verdict != nexus.VerdictAperiodic {
			t.Errorf("poisson %s: verdict %s, want aperiodic", p.Truth.Variant, p.Score.Verdict)
		}
	}
	if res.Recall < 0.9 {
		t.Errorf("recall %.3f at the 1 %% false-positive threshold, want ≥ 0.9", res.Recall)
	}
	if res.Recall <= res.BaselineRecall {
		t.Errorf("recall %.3f not ahead of the baseline's %.3f", res.Recall, res.BaselineRecall)
	}
	if res.PeriodErr20 > 0.02 {
		t.Errorf("median period error at jitter ≤ 20 %%: %.4f, want ≤ 0.02", res.PeriodErr20)
	}
	if res.PeriodErr50 > 0.05 {
		t.Errorf("median period error at jitter 20–50 %%: %.4f, want ≤ 0.05", res.PeriodErr50)
	}
	if t.Failed() {
		var b testWriter
		res.WriteMarkdown(&b)
		t.Log(string(b))
	}
}

type testWriter []byte

func (w *testWriter) Write(p []byte) (int, error) { *w = append(*w, p...); return len(p), nil }
