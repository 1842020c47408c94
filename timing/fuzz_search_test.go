package timing

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Reference forms of the period search's parts: each bin tested on its
// own, as the definitions read. The search's own forms use that the bin
// means ascend (see gapBins.finish); these do not.

func refStep(h *gapBins, t float64) (float64, bool) {
	var sg, sk float64
	a, b := refBetween(h, t/2, (maxBeats-0.5)*t)
	inv := 1 / t
	for j := a; j < b; j++ {
		k, r := beatOf(h.mean[j] * inv)
		if k >= 1 && k < maxBeats && r*r <= 0.09*k {
			sg += h.mean[j] * h.n[j]
			sk += h.n[j] * k
		}
	}
	if sk == 0 {
		return 0, false
	}
	return sg / sk, true
}

func refScore(h *gapBins, t float64) float64 {
	if h.total == 0 {
		return 0
	}
	a, b := refBetween(h, t/2, (maxBeats-0.5)*t)
	s := -h.short - h.cum[a]
	inv := 1 / t
	for j := a; j < b; j++ {
		k, r := beatOf(h.mean[j] * inv)
		switch {
		case k == 0:
			s -= h.n[j]
		case k < maxBeats:
			s += h.n[j] * (1 - 12*r*r - missPenalty*(k-1))
		}
	}
	return s / h.total
}

func refBetween(h *gapBins, lo, hi float64) (int, int) {
	a, _ := slices.BinarySearch(h.idx, h.keyOf(lo))
	b, found := slices.BinarySearch(h.idx, h.keyOf(hi))
	if found {
		b++
	}
	return a, b
}

func refQuantile(h *gapBins, q float64) float64 {
	var n float64
	for _, i := range h.idx {
		n += h.cnt[i]
	}
	target := q * n
	var c float64
	for _, i := range h.idx {
		c += h.cnt[i]
		if c >= target {
			return h.sum[i] / h.cnt[i]
		}
	}
	return 0
}

func refTolerance(h *gapBins, t float64) float64 {
	var sr, sc float64
	for _, i := range h.idx {
		k, r := beatOf(h.sum[i] / h.cnt[i] / t)
		if k == 1 && math.Abs(r) < 0.45 {
			sr += h.cnt[i] * math.Abs(r)
			sc += h.cnt[i]
		}
	}
	d := 0.35
	if sc > 0 {
		d = 2.5 * sr / sc
	}
	return math.Min(0.35, math.Max(d, math.Max(0.02, 0.5/t)))
}

func refOnBeatFraction(h *gapBins, t, delta float64) float64 {
	if h.total == 0 {
		return 0
	}
	var c float64
	cb := newComb(t, delta)
	for _, i := range h.idx {
		if _, ok := cb.on(h.sum[i] / h.cnt[i]); ok {
			c += h.cnt[i]
		}
	}
	return c / h.total
}

// refSeeds are the seeds of gapBins.search, each tested against all taken.
func refSeeds(h *gapBins) []float64 {
	var seeds []float64
	add := func(c float64) {
	next:
		for d := 1.0; d <= 3; d++ {
			v := c / d
			for _, o := range seeds {
				if math.Abs(o-v) <= 0.005*v {
					continue next
				}
			}
			seeds = append(seeds, v)
		}
	}
	add(h.mode())
	for q := 0.05; q < 1; q += 0.1 {
		add(refQuantile(h, q))
	}
	return seeds
}

// refSearch is gapBins.search with the reference parts and no memo.
func refSearch(h *gapBins, lo, hi float64) (float64, bool) {
	if len(h.idx) == 0 {
		return 0, false
	}
	type cand struct{ t, s float64 }
	var cands []cand
	bestS := math.Inf(-1)
	for _, c := range refSeeds(h) {
		if !(c >= lo/1.5 && c <= hi*1.5) {
			continue
		}
		t := c
		for range 5 {
			nt, ok := refStep(h, t)
			if !ok {
				break
			}
			if math.Abs(nt-t) <= 1e-7*t {
				t = nt
				break
			}
			t = nt
		}
		if !(t >= lo && t <= hi) || slices.ContainsFunc(cands, func(o cand) bool { return math.Abs(o.t-t) <= 1e-6*t }) {
			continue
		}
		s := refScore(h, t)
		cands = append(cands, cand{t, s})
		bestS = math.Max(bestS, s)
	}
	if len(cands) == 0 {
		return 0, false
	}
	t := 0.0
	for _, c := range cands {
		if c.s >= bestS-0.03 && c.t > t {
			t = c.t
		}
	}
	return t, true
}

// fuzzGapTimes turns fuzz bytes into sorted times: byte 0 picks a base
// period T (2⁰…2¹⁵ s) and the rest, two bytes a gap (at most 1,023), give
// gaps of k = 1…16 periods off by up to ±T·√k/4, or, with the top bit
// set, arbitrary whole seconds below 2¹⁵.
func fuzzGapTimes(data []byte) []int64 {
	if len(data) < 3 {
		return nil
	}
	base := math.Ldexp(1, int(data[0]%16))
	ts := []int64{1_700_000_000e9}
	for d := data[1:]; len(d) >= 2 && len(ts) < 1024; d = d[2:] {
		u := binary.LittleEndian.Uint16(d)
		var g float64
		if u>>15 == 0 {
			k := float64(1 + u>>11&15)
			g = base * (k + (float64(u&2047)/2047-0.5)*0.5*math.Sqrt(k))
		} else {
			g = float64(u & 0x7fff)
		}
		ts = append(ts, ts[len(ts)-1]+int64(math.Max(g, 0)*1e9))
	}
	return ts
}

// refOn is the beat test as Period defines it: x = g/t in [0.5, 15.5),
// k = ⌊x + ½⌋ and |x − k| ≤ δ_k.
func refOn(g, t, delta float64) (float64, bool) {
	x := g * (1 / t)
	if !(x >= 0.5 && x < maxBeats-0.5) {
		return 0, false
	}
	k := math.Floor(x + 0.5)
	return k, math.Abs(x-k) <= window(delta, k)
}

// refWalkBeats is walkBeats as the beat model reads, one event after
// another with each count kept as it changes.
func refWalkBeats(times []int64, t, delta float64, off []int64) (Period, []int64) {
	var p Period
	mark := len(off)
	for iter := 0; iter < 3; iter++ {
		off = off[:mark]
		p = Period{Tolerance: delta}
		last, pending := 0, -1
		p.Start = times[0]
		p.Beats = 1
		var sg, sk, sabs float64
		accept := func(i int, k, g float64) {
			sg += g
			sk += k
			sabs += math.Abs(g-k*t) * (1 / (t * math.Sqrt(k)))
			p.Missed += int(k) - 1
			p.Beats++
			p.End = times[i]
			last = i
		}
		for i := 1; i < len(times); i++ {
			g := secondsBetween(times[last], times[i])
			if k, ok := refOn(g, t, delta); ok {
				accept(i, k, g)
				pending = -1
				continue
			}
			if pending >= 0 {
				g := secondsBetween(times[pending], times[i])
				if k, ok := refOn(g, t, delta); ok {
					p.Breaks++
					p.Beats++
					p.Extra--
					off = off[:len(off)-1]
					accept(i, k, g)
					pending = -1
					continue
				}
			}
			p.Extra++
			off = append(off, times[i])
			pending = i
		}
		if sk == 0 {
			return Period{P: 1}, off[:mark]
		}
		nt := sg / sk
		p.Seconds = nt
		p.Jitter = 1.2533 * sabs / float64(p.Beats-1-p.Breaks)
		p.RelErr = p.Jitter / math.Sqrt(sk)
		p.MissedFrac = float64(p.Missed) / sk
		p.OK = true
		if math.Abs(nt-t) <= 1e-9*t {
			break
		}
		t = nt
	}
	return p, off
}

// FuzzPeriodSearch: the search's step, score, range, quantiles, seeds,
// tolerance, on-beat share and whole search equal their reference forms bit for bit, on the three
// histograms of arbitrary gap sequences, at the seeds and at periods
// around each bin's multiples; the beat test and the beat walk equal
// theirs at some of those periods, with the gaps given and without.
func FuzzPeriodSearch(f *testing.F) {
	f.Fuzz(fuzzPeriodSearchBody)
}

func fuzzPeriodSearchBody(t *testing.T, data []byte) {
	ts := fuzzGapTimes(data)
	if len(ts) < MinPeriodEvents {
		return
	}
	span := secondsBetween(ts[0], ts[len(ts)-1])
	lo, hi := 1.0, span/2
	if !(hi >= lo) {
		return
	}
	gaps := Gaps(nil, ts)
	all, odd, even := binGaps(ts, gaps, lo, hi)
	defer all.release()
	defer odd.release()
	defer even.release()
	for name, h := range map[string]*gapBins{"all": &all, "odd": &odd, "even": &even} {
		for i := 1; i < len(h.mean); i++ {
			if h.mean[i] < h.mean[i-1] {
				t.Fatalf("%s: bin means descend at %d: %v", name, i, h.mean)
			}
		}
		var qs []float64
		h.quantiles(func(c float64) { qs = append(qs, c) })
		j := 0
		for q := 0.05; q < 1; q += 0.1 {
			if want := refQuantile(h, q); qs[j] != want {
				t.Fatalf("%s: quantile %g = %v, want %v", name, q, qs[j], want)
			}
			j++
		}
		// Periods to try: the seeds, and each bin mean over each beat
		// count and window edge, nudged by an ulp either way.
		ps := refSeeds(h)
		walks := 0
		// At most 48 bins, spread over all, keep a run quick.
		step := max(1, len(h.mean)/48)
		for i := 0; i < len(h.mean); i += step {
			m := h.mean[i]
			for _, e := range []float64{0.5, 0.55, 0.58, 0.7, 1, 1.3, 1.42, 1.45, 1.5, 2 - math.Sqrt(0.18), 2.5, 3.5, 7.5, 15.5} {
				v := m / e
				ps = append(ps, v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1)))
			}
		}
		for _, p := range ps {
			if !(p > 0) || math.IsInf(p, 0) {
				continue
			}
			ga, gb := h.between(p/2, (maxBeats-0.5)*p)
			wa, wb := refBetween(h, p/2, (maxBeats-0.5)*p)
			if ga != wa || gb != wb {
				t.Fatalf("%s: between at %v = %d, %d, want %d, %d", name, p, ga, gb, wa, wb)
			}
			gv, gok := h.step(p)
			wv, wok := refStep(h, p)
			if math.Float64bits(gv) != math.Float64bits(wv) || gok != wok {
				t.Fatalf("%s: step(%v) = %v, %v, want %v, %v", name, p, gv, gok, wv, wok)
			}
			if g, w := h.score(p), refScore(h, p); math.Float64bits(g) != math.Float64bits(w) {
				t.Fatalf("%s: score(%v) = %v, want %v", name, p, g, w)
			}
			d := h.tolerance(p)
			if w := refTolerance(h, p); math.Float64bits(d) != math.Float64bits(w) {
				t.Fatalf("%s: tolerance(%v) = %v, want %v", name, p, d, w)
			}
			if g, w := h.onBeatFraction(p, d), refOnBeatFraction(h, p, d); math.Float64bits(g) != math.Float64bits(w) {
				t.Fatalf("%s: onBeatFraction(%v) = %v, want %v", name, p, g, w)
			}
			if walks < 24 && name == "all" {
				walks++
				checkWalk(t, ts, gaps, p, d)
			}
		}
		gt, gok := h.search(lo, hi)
		wt, wok := refSearch(h, lo, hi)
		if math.Float64bits(gt) != math.Float64bits(wt) || gok != wok {
			t.Fatalf("%s: search = %v, %v, want %v, %v", name, gt, gok, wt, wok)
		}
		if gok && name == "all" {
			checkWalk(t, ts, gaps, gt, h.tolerance(gt))
		}
	}
}

// checkWalk compares the beat test at every gap of ts, and walkBeats
// with and without the gaps, with their reference forms at period p and
// tolerance d.
func checkWalk(t *testing.T, ts []int64, gaps []float64, p, d float64) {
	t.Helper()
	cb := newComb(p, d)
	for _, g := range gaps {
		gk, gok := cb.on(g)
		wk, wok := refOn(g, p, d)
		if gok != wok || gok && gk != wk {
			t.Fatalf("on(%v) at period %v, tolerance %v = %v, %v, want %v, %v", g, p, d, gk, gok, wk, wok)
		}
	}
	want, wantOff := refWalkBeats(ts, p, d, []int64{-1})
	for _, gs := range [][]float64{gaps, nil} {
		got, gotOff := walkBeats(ts, gs, p, d, []int64{-1})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("walkBeats at period %v, tolerance %v, gaps given %v (-want +got):\n%s", p, d, gs != nil, diff)
		}
		if diff := cmp.Diff(wantOff, gotOff); diff != "" {
			t.Fatalf("walkBeats' off-beat events at period %v, tolerance %v (-want +got):\n%s", p, d, diff)
		}
	}
}

// TestPeriodSearchMatchesReference runs FuzzPeriodSearch's checks on
// simulated beacons, noise and their mixtures.
func TestPeriodSearchMatchesReference(t *testing.T) {
	for seed := range uint64(40) {
		rng := descRand(seed)
		var b []byte
		b = append(b, byte(rng.IntN(16)))
		for range 20 + rng.IntN(600) {
			var u uint16
			if rng.IntN(10) == 0 {
				u = 1<<15 | uint16(rng.IntN(1<<15))
			} else {
				u = uint16(rng.IntN(1 << 15))
				if rng.IntN(4) > 0 {
					u &^= 15 << 11 // mostly one beat
				}
			}
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) { fuzzPeriodSearchBody(t, b) })
	}
}

// TestToleranceEdges: gaps just inside the one-beat window's reach (|r|
// just under 0.45 on either side) count in the tolerance, and those just
// outside do not, as in the reference that visits every bin.
func TestToleranceEdges(t *testing.T) {
	for _, x := range []float64{0.53, 0.56, 0.6, 1.4, 1.44, 1.47} {
		ts := []int64{0}
		for i := range 50 {
			g := 100.0
			if i == 25 {
				g = 100 * x
			}
			ts = append(ts, ts[len(ts)-1]+int64(g*1e9))
		}
		all, odd, even := binGaps(ts, nil, 10, 1000)
		got, want := all.tolerance(100), refTolerance(&all, 100)
		all.release()
		odd.release()
		even.release()
		if got != want {
			t.Errorf("gap at %g beats: tolerance %v, want %v", x, got, want)
		}
	}
}

// FuzzBeatWalk: the beat test and the beat walk equal their reference
// forms (see checkWalk) on arbitrary gap sequences (see fuzzGapTimes), at a
// period of ¼ to 4 times the base of the gaps and a tolerance of 0.02 to
// 0.35 that the input's last two bytes choose.
func FuzzBeatWalk(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ts := fuzzGapTimes(data)
		if len(ts) < 2 {
			return
		}
		base := math.Ldexp(1, int(data[0]%16))
		p := base * math.Pow(2, float64(data[len(data)-1])/64-2)
		d := 0.02 + 0.33*float64(data[len(data)-2])/255
		checkWalk(t, ts, Gaps(nil, ts), p, d)
	})
}
