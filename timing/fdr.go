package timing

import (
	"cmp"
	"math"
	"slices"
)

// BenjaminiHochberg returns the Benjamini–Hochberg q-values (adjusted p-values)
// of the m p-values p, in the same order. With p sorted ascending,
// p_(1) ≤ … ≤ p_(m),
//
//	q_(i) = min_{j ≥ i} min(1, m·p_(j) / j).
//
// Rejecting every hypothesis with q ≤ α controls the false discovery rate at α
// for independent (or positively dependent) tests. NaN and values above 1 count
// as 1, negative values as 0. Worked example: p = (0.01, 0.04, 0.03, 0.5) gives
// q = (0.04, 0.0533, 0.0533, 0.5): sorted 0.01, 0.03, 0.04, 0.5 scale to 0.04,
// 0.06, 0.0533, 0.5, and the running minimum from the right lowers 0.06 to
// 0.0533.
func BenjaminiHochberg(p []float64) []float64 {
	m := len(p)
	q := make([]float64, m)
	if m == 0 {
		return q
	}
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	val := func(i int) float64 {
		v := p[i]
		switch {
		case math.IsNaN(v) || v > 1:
			return 1
		case v < 0:
			return 0
		}
		return v
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(val(a), val(b)) })
	run := 1.0
	for r := m - 1; r >= 0; r-- {
		i := order[r]
		run = math.Min(run, val(i)*float64(m)/float64(r+1))
		q[i] = run
	}
	return q
}
