package timing

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The significance of a period is tested against the null hypothesis H0: the
// events are a homogeneous Poisson process on their observed span, so that the
// gaps are (up to the fixed total) independent exponential variables with mean
// μ = span / (n − 1).
//
// The test splits the gaps into two halves by parity (odd and even positions):
// the period T and the tolerance δ are estimated on one half and the number X of
// on-beat gaps is counted on the other. Under H0 the halves are independent, T
// and δ are fixed with respect to the tested half, and each tested gap is on the
// beat with probability p0 = OnBeatChance(T/μ, δ), so X ~ Binomial(m, p0) and
// the mid-p value BinomialMidP(X, m, p0) is (close to) uniform. The search over
// periods happens on the other half, so no correction for it is needed. Both
// roles are played and the smaller p-value is doubled (Bonferroni for two
// tests): P = min(1, 2·min(p_odd→even, p_even→odd)).

// splitResult is one direction of the split test.
type splitResult struct {
	p        float64
	hits     int
	tested   int
	expected float64
}

// splitTest fits the period on the gaps of fit and counts on-beat gaps among
// the gaps of times whose index parity is parity (gap i ends at event i);
// gaps, when not nil, are the gaps of times.
//
// resolution is the clock resolution in seconds: the null's window is widened by
// resolution/T (see PeriodOptions.Resolution).
func splitTest(times []int64, gaps []float64, parity int, fit *gapBins, lo, hi, mean, resolution float64) splitResult {
	res := splitResult{p: 1}
	t, ok := fit.search(lo, hi)
	if !ok {
		return res
	}
	delta := fit.tolerance(t)
	cb := newComb(t, delta)
	start := 2 - parity // first index i ≥ 1 with i%2 == parity
	if len(gaps) == len(times)-1 {
		// Gap i ends at event i: gaps[i−1]. Counted without a branch.
		for i := start - 1; i < len(gaps); i += 2 {
			_, on := cb.on(gaps[i])
			res.hits += b2i(on)
		}
		res.tested = max(0, (len(gaps)-start+2)/2)
	} else {
		for i := start; i < len(times); i += 2 {
			res.tested++
			if _, on := cb.on(gapAt(times, gaps, i)); on {
				res.hits++
			}
		}
	}
	res.test(t, delta, mean, resolution)
	return res
}

// test sets P and Expected of a count of on-beat gaps of period t and
// tolerance delta, the mean gap being mean (see splitTest).
func (res *splitResult) test(t, delta, mean, resolution float64) {
	p0 := OnBeatChance(t/mean, delta+resolution/t)
	res.expected = p0 * float64(res.tested)
	res.p = BinomialMidP(res.hits, res.tested, p0)
}

// OnBeatChance returns the probability p0 that an exponential gap with mean μ
// falls on the beat of a period T = ratio·μ with tolerance δ:
//
//	p0 = Σ_{k=1}^{15} [exp(−a·(k − δ_k)) − exp(−a·(k + δ_k))],  a = T/μ,
//	δ_k = min(0.45, δ·√k).
//
// Worked example: a = 1, δ = 0.1 gives, for k = 1, e^−0.9 − e^−1.1 = 0.073720,
// for k = 2 (δ_2 = 0.141421) e^−1.858579 − e^−2.141421 = 0.038406, and so on;
// the sum is 0.141881. Invalid input (ratio ≤ 0, δ ≤ 0 or NaN) gives 0.
func OnBeatChance(ratio, tolerance float64) float64 {
	if !(ratio > 0) || !(tolerance > 0) || math.IsInf(ratio, 0) {
		return 0
	}
	var s float64
	for k := 1.0; k < maxBeats; k++ {
		d := window(tolerance, k)
		s += math.Exp(-ratio*(k-d)) * -math.Expm1(-2*ratio*d)
	}
	return math.Min(1, s)
}

// BinomialMidP returns the mid-p upper tail of X ~ Binomial(n, p) at x:
//
//	P(X > x) + ½·P(X = x),
//
// with P(X ≥ x) = I_p(x, n − x + 1), the regularized incomplete beta function,
// and P(X = x) = C(n, x)·p^x·(1 − p)^(n−x). The mid-p value is used because the
// binomial is discrete; its mean under the null is exactly ½. Worked example:
// n = 4, p = ½, x = 3 gives 1/16 + ½·4/16 = 0.1875. The result is clamped to
// [1e−300, 1]; invalid input gives 1.
func BinomialMidP(x, n int, p float64) float64 {
	if n <= 0 || x <= 0 || x > n || !(p >= 0 && p <= 1) {
		if n > 0 && x > n {
			return 1e-300
		}
		if x <= 0 && n > 0 && p >= 0 && p <= 1 {
			return 1 - 0.5*binomPMF(0, n, p)
		}
		return 1
	}
	var gt float64
	if x < n {
		gt = mathext.RegIncBeta(float64(x+1), float64(n-x), p)
	}
	v := gt + 0.5*binomPMF(x, n, p)
	if !(v >= 1e-300) {
		return 1e-300
	}
	return math.Min(1, v)
}

func binomPMF(x, n int, p float64) float64 {
	switch {
	case p == 0:
		if x == 0 {
			return 1
		}
		return 0
	case p == 1:
		if x == n {
			return 1
		}
		return 0
	}
	ln1, _ := math.Lgamma(float64(n + 1))
	ln2, _ := math.Lgamma(float64(x + 1))
	ln3, _ := math.Lgamma(float64(n - x + 1))
	return math.Exp(ln1 - ln2 - ln3 + float64(x)*math.Log(p) + float64(n-x)*math.Log1p(-p))
}
