package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/dnsnexus/dnsnexus/nexus"
)

// ExampleBuild runs the pipeline on Prism over a small made-up log in the
// research format: one client polls a name every five minutes, another
// looks names up at random moments.
func ExampleBuild() {
	dir, err := os.MkdirTemp("", "beam-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	var log strings.Builder
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	for i := range 288 { // a day of polls, 300 s apart
		t := start.Add(time.Duration(i)*300*time.Second + time.Duration(rng.IntN(1500))*time.Millisecond)
		fmt.Fprintf(&log, "%s 192.0.2.10 poll.example.net\n", t.Format(time.RFC3339Nano))
	}
	for range 60 { // lookups at random moments of the same day
		t := start.Add(time.Duration(rng.Int64N(int64(24 * time.Hour))))
		fmt.Fprintf(&log, "%s 192.0.2.20 www.example.org\n", t.Format(time.RFC3339Nano))
	}
	if err := os.WriteFile(filepath.Join(dir, "queries.log"), []byte(log.String()), 0o644); err != nil {
		fmt.Println(err)
		return
	}

	out := filepath.Join(dir, "pairs.jsonl")
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, Config{Input: filepath.Join(dir, "*.log"), Output: out}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := prism.Execute(context.Background(), p); err != nil {
		fmt.Println(err)
		return
	}
	b, err := os.ReadFile(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var j nexus.PairJSON
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s %s: %d events, %s (best period %.0f s, q = %.2g)\n", j.Client, j.Domain, j.Events, j.Verdict, j.Period, j.Q)
	}
	// Output:
	// 192.0.2.10 example.net: 288 events, beacon (best period 300 s, q = 9.7e-214)
	// 192.0.2.20 example.org: 60 events, aperiodic (best period 298 s, q = 0.33)
}
