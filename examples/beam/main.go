// Command beam scores DNS lookups by (client, domain) pair on Apache Beam:
// the same scoring as examples/score -json, on any Beam runner, for logs
// too large for one machine.
//
// Usage (from examples/beam):
//
//	go run . -input 'path/glob' -output out.jsonl [-format NAME]
//	    [-by domain|name] [-read auto|lines|files] [-tz ZONE] [-ttl SECONDS]
//	    [-lenient] [-year YEAR] [-runner prism|direct|flink|spark|dataflow|…]
//
// It writes one JSON object per pair per line (nexus.PairJSON), ranked as
// examples/score ranks them. The Beam runner flags (-runner, -endpoint,
// -environment_type, -project, -region, -temp_location, …) are Beam's own;
// see README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
)

var (
	input   = flag.String("input", "", "`glob` of the log files to read")
	output  = flag.String("output", "", "`file` to write the JSON lines to")
	format  = flag.String("format", "", "force the log `format` (default: detect per file)")
	by      = flag.String("by", "domain", "group lookups by registrable `domain` or by full query `name`")
	read    = flag.String("read", ReadAuto, "read `mode`: lines (one element per line, files split among workers), files (one element per file, every format), or auto (lines when -format is line by line, else files)")
	tz      = flag.String("tz", "", "time `ZONE` of zone-less stamps and of the human rhythm (default: UTC stamps, best-fitting zone per pair)")
	ttl     = flag.Int("ttl", 0, "cache TTL in `SECONDS` in front of the clients; default: the answer TTLs logged")
	lenient = flag.Bool("lenient", false, "skip bad lines (counted in the bad_lines metric) instead of failing")
	year    = flag.Int("year", 0, "year of year-less syslog stamps (default: this year)")
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: beam -input GLOB -output FILE [flags] [Beam runner flags]")
		flag.PrintDefaults()
	}
	flag.Parse()
	beam.Init()

	grouping, err := nexus.ParseGroupBy(*by)
	if err != nil {
		fatal(err)
	}
	cfg := Config{
		Input: *input, Output: *output, Format: dnslog.Format(*format), By: grouping,
		Read: *read, Zone: *tz, TTL: time.Duration(*ttl) * time.Second, Lenient: *lenient, Year: *year,
	}
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, cfg); err != nil {
		fatal(err)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "beam:", err)
	os.Exit(1)
}
