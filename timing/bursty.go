package timing

import "math"

// Burstiness is the burstiness of gaps corrected for the number of gaps n
// (Kim and Jo, Phys. Rev. E 94, 032311, 2016):
//
//	r = σ/μ,  A_n = (√(n+1)·r − √(n−1)) / ((√(n+1) − 2)·r + √(n−1))
//
// with μ the mean and σ the population standard deviation of the gaps. A_n is
// −1 for a perfectly regular series, about 0 for exponential (Poisson) gaps
// at any n, and 1 for the most bursty series of n gaps (all the time in one
// gap, r = √(n−1)); the uncorrected RawBurstiness reaches those bounds only
// as n → ∞. r is clamped to [0, √(n−1)] against rounding, and the result to
// [−1, 1].
//
// Fewer than two usable gaps, or a mean ≤ 0, give 0 (no evidence either
// way); callers should check the gap count. Values Summarize drops (NaN, ±Inf,
// |x| > MaxGap) are ignored. The gaps are not modified and nothing is
// allocated.
func Burstiness(gaps []float64) float64 {
	n, mean, sd := moments(gaps)
	return burstinessOf(n, mean, sd)
}

// burstinessOf is Burstiness from the count, mean and population standard
// deviation of the usable gaps (as moments or Summary computes them).
func burstinessOf(n int, mean, sd float64) float64 {
	if n < 2 || mean <= 0 {
		return 0
	}
	nf := float64(n)
	r := clamp(sd/mean, 0, math.Sqrt(nf-1))
	a, b := math.Sqrt(nf+1), math.Sqrt(nf-1)
	den := (a-2)*r + b
	if den <= 0 {
		return 0
	}
	return clamp((a*r-b)/den, -1, 1)
}

// RawBurstiness is the burstiness parameter without the finite-size
// correction (Goh and Barabási, EPL 81, 48002, 2008):
//
//	B = (σ − μ) / (σ + μ)
//
// with μ the mean and σ the population standard deviation of the gaps: −1 for
// a regular series, 0 for Poisson gaps in the limit of many gaps. Fewer than
// two usable gaps, or a mean ≤ 0, give 0.
func RawBurstiness(gaps []float64) float64 {
	n, mean, sd := moments(gaps)
	if n < 2 || mean <= 0 {
		return 0
	}
	return clamp((sd-mean)/(sd+mean), -1, 1)
}

// Memory is the memory coefficient of consecutive gaps (Goh and Barabási,
// 2008), the Pearson correlation of each gap with the next:
//
//	M = 1/(n−1) · Σᵢ₌₁ⁿ⁻¹ (τᵢ − m₁)(τᵢ₊₁ − m₂) / (σ₁σ₂)
//
// where m₁, σ₁ are the mean and population standard deviation of τ₁ … τₙ₋₁ and
// m₂, σ₂ those of τ₂ … τₙ. M is in [−1, 1]: positive when long gaps follow
// long gaps (and short follow short), as in human sessions, about 0 for a
// renewal process such as Poisson or a jittered beacon. Fewer than three
// usable gaps, or σ₁σ₂ = 0, give 0. Unusable values (see Burstiness) are
// skipped, joining their neighbours.
func Memory(gaps []float64) float64 {
	var m1, m2 float64
	var n int
	prev, have := 0.0, false
	for _, g := range gaps {
		if !usable(g) {
			continue
		}
		if have {
			m1 += prev
			m2 += g
			n++
		}
		prev, have = g, true
	}
	if n < 2 {
		return 0
	}
	m1 /= float64(n)
	m2 /= float64(n)
	var s1, s2, cov float64
	have = false
	for _, g := range gaps {
		if !usable(g) {
			continue
		}
		if have {
			d1, d2 := prev-m1, g-m2
			s1 += d1 * d1
			s2 += d2 * d2
			cov += d1 * d2
		}
		prev, have = g, true
	}
	return memoryOf(s1, s2, cov)
}

// memoryOf is Memory from the sums of squares and of products of the
// deviations of consecutive gaps.
func memoryOf(s1, s2, cov float64) float64 {
	den := math.Sqrt(s1) * math.Sqrt(s2) // not √(s1·s2): the product can underflow
	if !(den > 0) {
		return 0
	}
	m := cov / den
	if math.IsNaN(m) {
		return 0
	}
	return clamp(m, -1, 1)
}

func usable(g float64) bool { return g >= -MaxGap && g <= MaxGap } // false for NaN and ±Inf

// moments returns the count, mean and population standard deviation of the
// usable values of x (two passes, no allocation).
func moments(x []float64) (n int, mean, sd float64) {
	var sum float64
	for _, v := range x {
		if usable(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0, 0, 0
	}
	mean = sum / float64(n)
	var ss float64
	for _, v := range x {
		if usable(v) {
			d := v - mean
			ss += d * d
		}
	}
	return n, mean, math.Sqrt(ss / float64(n))
}
