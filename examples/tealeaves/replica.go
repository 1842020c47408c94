package main

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/dnsnexus/dnsnexus/internal/replica"
)

// bundledReplica returns the folder of the bundled replica: the copy in
// testdata/tealeaves when the program runs from a checkout of the module
// (found relative to the working directory or to this source file), or a
// freshly generated one in a temporary folder otherwise.
func bundledReplica() (string, func(), error) {
	candidates := []string{filepath.Join("testdata", "tealeaves")}
	if _, file, _, ok := runtime.Caller(0); ok {
		candidates = append(candidates, filepath.Join(filepath.Dir(file), "..", "..", "testdata", "tealeaves"))
	}
	for _, c := range candidates {
		if st, err := os.Stat(filepath.Join(c, "README.txt")); err == nil && !st.IsDir() {
			return c, func() {}, nil
		}
	}
	tmp, err := os.MkdirTemp("", "tealeaves-replica-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	if err := replica.Generate(tmp, replica.DefaultSeed); err != nil {
		cleanup()
		return "", nil, err
	}
	return tmp, cleanup, nil
}
