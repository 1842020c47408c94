package dnsnexus

// The Tea Leaves replica in testdata/tealeaves is a synthetic
// reconstruction made by internal/replica; go generate rebuilds it byte for
// byte.
//go:generate go run ./internal/replica/gen -out testdata/tealeaves
