package timing

import "time"

// OnBeat labels each event of times as on the beat of p (true) or off it
// (false), by the same walk DetectPeriod uses to count Beats and Extra: an
// event is on the beat when its gap to the previous on-beat event is
// within δ_k of k periods (δ_k = min(0.45, Tolerance·√k), 1 ≤ k < 16), and
// when the beat is lost it is picked up again at the first event from
// which it continues.
//
// times must be sorted ascending (as the times of a nexus pair are);
// unsorted input gives all false. Events are first folded with tolerance
// fold (as Analyze does with Options.FoldTolerance; 0 means DefaultFold,
// negative none), and an event folded into an earlier one takes that
// event's label, so an AAAA twin 30 ms after an on-beat A lookup is on the
// beat too. A Period that is not OK labels every event false.
//
// Worked example: times 0, 10, 20, 23, 40, 50 s with a 10 s period and
// tolerance 0.05 give true, true, true, false, true, true (23 s is 3 s off
// the beat; 40 s is two periods after 20 s, one beat missed).
func OnBeat(times []int64, p Period, fold time.Duration) []bool {
	out := make([]bool, len(times))
	if !p.OK || !(p.Seconds > 0) || len(times) == 0 || !Sorted(times) {
		return out
	}
	if fold == 0 {
		fold = DefaultFold
	}
	folded := times
	if fold > 0 {
		folded = Fold(make([]int64, 0, len(times)), times, fold)
	}
	tol := p.Tolerance
	if !(tol > 0) {
		tol = 0.1
	}
	_, off := walkBeats(folded, nil, p.Seconds, tol, nil)
	// Label the folded events: off lists the off-beat ones in order.
	lab := make([]bool, len(folded))
	j := 0
	for i, t := range folded {
		if j < len(off) && off[j] == t {
			j++
			continue
		}
		lab[i] = true
	}
	// Carry each folded event's label to the raw events folded into it.
	k := 0
	for i, t := range times {
		for k+1 < len(folded) && folded[k+1] <= t {
			k++
		}
		out[i] = lab[k]
	}
	return out
}
