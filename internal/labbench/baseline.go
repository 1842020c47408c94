package labbench

import (
	"math"
	"slices"
	"time"
)

// Baseline scores a pair's times with RITA v5's published beacon formula,
// implemented here from its description (not from its code), as a point of
// comparison:
//
//   - only the last 24 h of the pair count, at one-second resolution, and
//     fewer than 4 unique timestamps score 0;
//   - timing sub-score: the mean of 1 − |Bowley skew| and
//     max(0, 1 − MAD/30 s) of the gaps, where Bowley skew =
//     (Q1 + Q3 − 2·Q2)/(Q3 − Q1) (0 when Q3 = Q1, Q2 = Q1 or Q2 = Q3) and
//     MAD = median |g − Q2|;
//   - histogram sub-score: over 24 hourly bins of counts, the larger of
//     max(0, 1 − CV) and a bimodal fit, the share of active bins whose count
//     is one of the two most frequent counts (one outlier bin forgiven),
//     taken only when at least 11 hours are active;
//   - duration sub-score: the larger of the coverage (hours from the first
//     to the last event over 24) and the longest run of consecutive active
//     hours over 12, capped at 1;
//   - data-size sub-score: 1 (DNS lookups carry no payload size);
//   - score: the mean of the four.
func Baseline(times []int64) float64 {
	if len(times) == 0 {
		return 0
	}
	end := times[len(times)-1]
	startWin := end - int64(24*time.Hour)
	var secs []int64
	for _, t := range times {
		if t < startWin {
			continue
		}
		s := t / int64(time.Second)
		if len(secs) == 0 || secs[len(secs)-1] != s {
			secs = append(secs, s)
		}
	}
	if len(secs) < 4 {
		return 0
	}
	gaps := make([]float64, len(secs)-1)
	for i := 1; i < len(secs); i++ {
		gaps[i-1] = float64(secs[i] - secs[i-1])
	}
	slices.Sort(gaps)
	q1, q2, q3 := quantile(gaps, 0.25), quantile(gaps, 0.5), quantile(gaps, 0.75)
	skew := 0.0
	if q3 != q1 && q2 != q1 && q2 != q3 {
		skew = (q1 + q3 - 2*q2) / (q3 - q1)
	}
	dev := make([]float64, len(gaps))
	for i, g := range gaps {
		dev[i] = math.Abs(g - q2)
	}
	slices.Sort(dev)
	mad := quantile(dev, 0.5)
	ts := ((1 - math.Abs(skew)) + math.Max(0, 1-mad/30)) / 2

	// 24 hourly bins ending at the last event.
	var bins [24]float64
	endSec := secs[len(secs)-1]
	for _, s := range secs {
		h := int((endSec - s) / 3600)
		if h > 23 {
			h = 23
		}
		bins[23-h]++
	}
	var mean, sd float64
	for _, b := range bins {
		mean += b
	}
	mean /= 24
	for _, b := range bins {
		sd += (b - mean) * (b - mean)
	}
	sd = math.Sqrt(sd / 24)
	cvScore := 0.0
	if mean > 0 {
		cvScore = math.Max(0, 1-sd/mean)
	}
	active := 0
	freq := map[float64]int{}
	longest, run := 0, 0
	for _, b := range bins {
		if b > 0 {
			active++
			freq[b]++
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	bimodal := 0.0
	if active >= 11 {
		var f []int
		for _, n := range freq {
			f = append(f, n)
		}
		slices.Sort(f)
		top := f[len(f)-1]
		if len(f) > 1 {
			top += f[len(f)-2]
		}
		bimodal = math.Min(1, float64(top)/float64(max(1, active-1)))
	}
	hist := math.Max(cvScore, bimodal)

	first := secs[0]
	coverage := math.Min(1, float64((endSec-first)/3600+1)/24)
	dur := math.Min(1, math.Max(coverage, float64(longest)/12))

	return (ts + hist + dur + 1) / 4
}

// quantile is the linear-interpolation quantile (Hyndman–Fan type 7) of
// sorted x.
func quantile(x []float64, q float64) float64 {
	if len(x) == 1 {
		return x[0]
	}
	h := q * float64(len(x)-1)
	i := int(h)
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}
