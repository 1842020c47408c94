// Package timing measures when events happen: the gaps between them, whether
// they beat with a period, how significant that period is, and whether their
// rhythm is that of a person or of a machine. It knows nothing of DNS: its
// input is a slice of event times in Unix nanoseconds ([]int64), sorted or not
// (FromTimes converts a []time.Time).
//
// # From times to gaps
//
// Logs often record one action several times: an A and an AAAA query 30 ms
// apart, a retry after 1 or 2 s, a duplicated line. Fold merges events closer
// than a tolerance to the last kept event, so 00:00:00.000, 00:00:00.030,
// 00:00:01.000 and 00:01:00.000 fold at 2 s into two events, 60 s apart.
// Gaps then lists the seconds between consecutive events and Summarize
// describes them: median, MAD, quartiles, Bowley skew, coefficient of
// variation. A beacon every 60 s with ±3 s of jitter has CV ≈ 0.03; Poisson
// traffic has CV ≈ 1; bursty human traffic has CV well above 1.
//
// # Periods
//
// DetectPeriod models a beacon as beats every T seconds, some missed, some
// shifted by jitter, with possibly extra events in between. A gap g is "on the
// beat" when g/T is within δ_k = min(0.45, δ·√k) of an integer k between 1
// and 15; k − 1 beats were then missed. Three kinds of jitter are handled:
// two-sided renewal jitter (each interval is T·(1 ± j/2)), one-sided
// "sleep minus jitter" (each interval is S·(1 − j·U), whose mean
// S·(1 − j/2) is what is reported), and scheduled jitter around a fixed grid
// (t_k = t_0 + k·T + noise, which does not accumulate).
//
// For the events at 0, 10, 20, 40, 50, 60, 80 and 90 s the gaps are 10, 10,
// 20, 10, 10, 20, 10 s: T = 90 s / 9 beats = 10 s, 8 beats heard, 2 missed
// (22 %), no jitter. Candidate periods come from the mode and deciles of the
// gaps and their halves and thirds; each is refined by T ← Σg / Σk, and the
// one with the best comb score wins. The score, 1 − 12·r² − 0.1·(k − 1)
// averaged over the gaps g = (k + r)·T, is 0 on average for random residuals
// and charges every implied missed beat, so T/2 (which fits every gap T fits)
// and 2T (which puts half the gaps at r = ½) both lose to T.
//
// DetectPeriods searches the events off the first beat again, so a 60 s
// heartbeat with an hourly task channel yields 60 s and 3,600 s.
// DetectChange finds one change of period, for example a beacon slowing from
// 60 s to 300 s, and where it happened. MeasurePeriod describes the beat near
// a period the caller names with the same figures, so that a period found one
// way can be measured again another way: on all the events rather than on
// what earlier periods left over, or on the events that remain once bursts
// are set aside.
//
// Measured accuracy on simulated beacons (periods 10 s to 24 h, a week of
// activity but 50 to 2,000 beats, 0 to 50 % of beats missed, 15 runs per
// cell), as the worst median relative error of T over periods and missed
// shares: 0 % without jitter; 0.47 % at 10 % jitter and 0.96 % at 20 %; at
// 50 % jitter 2.1 % (two-sided), 0.45 % (scheduled) and 5.4 % (one-sided, a
// 4 h period with half the beats missed: about 25 events; 3.8 % elsewhere).
//
// The search works on consecutive gaps, so unrelated events mixed into the
// same sequence split the beacon's gaps: a 600 s beacon is found among Poisson
// events at a quarter of its rate (they are counted in Period.Extra), but at
// half its rate the search settles on 300 s, and at an equal rate on noise.
// Separate the traffic first (per client and name) where possible.
//
// # Significance
//
// Period.P is a p-value under a stated null hypothesis: the events are a
// homogeneous Poisson process on their span, so the gaps are exponential with
// mean μ = span/(n − 1). The gaps are split by position into odd and even
// halves; T and δ are fitted on one half and the on-beat gaps counted on the
// other, where under the null each is on the beat with probability
//
//	p0 = Σ_{k=1}^{15} e^{−a(k−δ_k)} − e^{−a(k+δ_k)},  a = T/μ
//
// (OnBeatChance), so the count is Binomial(m, p0) and its mid-p value
// (BinomialMidP) needs no correction for the search, which happened on the
// other half. Both roles are played and the smaller p-value doubled. In the
// worked example above, a = 7/9, δ = 0.05, p0 = 0.086; three of three and four
// of four tested gaps hit, so P = 2·½·0.086⁴ = 5.5e−5.
//
// On 10,000 simulated Poisson sequences (20 to 1,000 events over an hour to a
// week) the rejection rate was 0.56 % at α = 0.01 and 3.65 % at α = 0.05: the
// test is somewhat conservative (the doubling and the discreteness of small
// counts), and p-values near 1 are over-represented. BenjaminiHochberg turns the
// p-values of many sequences (say one per client and domain) into q-values.
//
// # People, caches and machines
//
// A period alone does not make a machine. A person browsing behind a cache
// with a 300 s TTL produces gaps that are never below 300 s and often just
// above it: DetectPeriod honestly reports a period near 330 s with a tiny p.
// The Result carries what tells the two apart: Cache.Gated (a floor at the TTL
// with activity only in sessions), TTLRatio (period ÷ given TTL, near 1), the
// session structure, and the rhythm in a caller-given *time.Location (share of
// events on weekdays 09–18, at night, on weekends; Rayleigh tests of the hour
// of day and of the week). A beacon runs at night and on weekends; a person
// does not.
//
// # Analyze
//
// Analyze runs all of it on one sequence and returns a Result with plain
// figures and evidence lines such as
//
//	period 3,606 s ± 0.16 %, p = 1e-100, 216 beats, 36 % missed, jitter 2.9 %
//	100 % of events on weekdays 09–18 Europe/Moscow, 0 % at night (00–06), 0 % on weekends
//
// Guarantees: no function panics on any input (unsorted, empty, identical
// times, times decades apart or at the int64 limits); the caller's slice is
// never modified; every float in a Result is finite; with fewer than
// MinPeriodEvents events after folding Result.Insufficient is true and no
// period is claimed (Period.OK false, P = 1). Time is UTC unless a location is
// given; time.Local is never used.
//
// Cost: DetectPeriod is O(n) after an O(n) sortedness check (O(n log n) to
// sort unsorted input) with a fixed-size histogram of 64 bins per octave;
// Analyze adds the order statistics of the gaps, found in O(n) by counting
// the gaps into buckets of their bits (see Summarize), and shares one fold,
// one set of gaps and pooled buffers between its parts. From
// ConcurrentEvents folded events on, Analyze runs its period search on a
// second goroutine beside the descriptive statistics (the same Result; set
// Options.Serial when many sequences are analysed at once on every core).
// Nothing is safe for concurrent mutation, but all functions are pure:
// concurrent calls on shared, unmodified input are safe.
package timing
