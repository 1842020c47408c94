// Command gen writes the Tea Leaves replica (see package replica) into a
// folder.
//
// Usage:
//
//	go run ./internal/replica/gen -out testdata/tealeaves [-seed N]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dnsnexus/dnsnexus/internal/replica"
)

func main() {
	out := flag.String("out", "testdata/tealeaves", "folder to write the replica into")
	seed := flag.Uint64("seed", replica.DefaultSeed, "seed of the replica")
	flag.Parse()
	if err := replica.Generate(*out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
