// Package synth generates labelled synthetic DNS activity: lookups of
// beacons, update checkers, people and background noise, each lookup
// labelled by the process that made it and each (client, registrable
// domain) pair with its ground truth, plus the log formats to write them
// in. Everything is drawn from one seeded math/rand/v2 PCG source, so the
// same configuration always gives the same bytes.
//
// The package is a leaf: it imports nothing from the project, so every
// package's tests and benchmarks can use it.
//
// # Building blocks
//
// Each process is a function from a random source, a Window (start, end,
// local zone) and a Target (client, resolver, names, answer TTL) to sorted
// events:
//
//   - Beacon: beats of period P with jitter j under one of three models
//     (JitterModel): renewal, gap = P·(1 + U(−j, j)); one-sided (sleep
//     minus jitter), gap = P·(1 − U(0, j)); scheduled (non-accumulating),
//     beat k at t₀ + k·P + U(−j, j)·P. Each beat is dropped independently
//     with probability m (missed beats). With Hours set, the host is on only
//     in those local hours (Office: Monday to Friday, 09–18) and the beacon
//     restarts U(0, P) after each opening.
//   - Daily: a job once a day at a fixed local clock time ± a spread.
//   - Poisson: a homogeneous Poisson process of r lookups an hour.
//   - Browse: a person. Sessions start as a non-homogeneous Poisson process
//     whose intensity follows a weekly Profile in the local zone
//     (OfficeProfile, NightShiftProfile, RotatingProfile); a session has a
//     Pareto number of page views (α = 1.3) over a log-normal duration
//     (median 4 min, σ = 1.2), with Pareto (α = 1.2) gaps between views, so
//     activity is bursty; each view looks up the page name and, with
//     probability ½ each, resource names within 400 ms.
//   - Cache: a stub cache with a TTL in front of any events: a lookup reaches
//     the log only at the first request at or after the previous logged
//     one's expiry.
//   - ApplyArtefacts: logging artefacts as a transform of any events (A+AAAA
//     twins 0–50 ms apart, retries at +1 s and +2 s, duplicate lines, 1-s
//     truncation of timestamps, clients load-balanced across two
//     resolvers), so scores can be compared with and without them.
//
// # Scenarios
//
// Labelled builds a dataset from these scenarios over a window of Days days
// (7 by default, from Monday 2026-03-02 00:00 UTC); every variant gets
// PerVariant pairs (Short: 1, 47 pairs; Full: 20, 940 pairs). Truth.Scenario
// names the family, Truth.Variant the parameters:
//
//	beacon          P ∈ {60 s, 5 min, 1 h, 4 h, 8 h, 12 h, 24 h}, no jitter, no misses
//	jitter-renewal  P ∈ {5 min, 1 h} × j ∈ {10, 25, 50 %}, renewal model
//	jitter-one-sided  the same, one-sided model (Truth.Period = P·(1 − j/2))
//	jitter-scheduled  the same, scheduled model
//	missed          P ∈ {5 min, 1 h} × m ∈ {10, 25, 50 %}, 5 % renewal jitter
//	office-hours    P ∈ {5 min, 1 h}, 10 % jitter, Monday–Friday 09–18 local
//	update-4h       an update checker, P = 4 h ± 5 % (renewal)
//	update-daily    an update checker daily at 03:00 local ± 5 min
//	cached-beacon   a 30-s beacon (10 % jitter) behind a 300-s stub cache
//	interleaved     a 60-s heartbeat and hourly tasking (5 % jitter each) on
//	                two names of one domain
//	human           a person with the office profile, no cache
//	human-cache60   the same behind a 60-s stub cache
//	human-cache300  the same behind a 300-s stub cache
//	poisson         round-the-clock Poisson noise, r ∈ {0.5, 4, 30} an hour
//	shift-night     a person working nights, 22–06, Monday to Friday
//	shift-rotating  a person on a 2-2-3 early/late/night rotation
//	mixed           a person (office profile) and a beacon, P ∈ {5 min, 1 h},
//	                10 % jitter, on one client and domain
//
// Beacons, update checkers, the cached beacon, interleaved and mixed pairs
// are Positive: they hold a periodic process a timing scorer should flag.
// Update checkers are benign, but telling them from command and control is
// not a matter of timing; a benchmark may leave them out by scenario. Human,
// shift and Poisson pairs are negatives. Truth.Period is the period a
// scorer should find in the log; for the cached beacon it is the TTL plus
// the beacon's mean residual life, 300 s + P·(1 + j²/3)/2.
//
// Clients come from the documentation ranges (RFC 5737 and RFC 3849) and
// ask the resolver 192.0.2.53 or 2001:db8::53; domains are d<NNNN>.example
// or d<NNNN>.test, unique per pair, with names such as www.d0042.example
// under them, so that the public suffix list's default rule makes
// d<NNNN>.example the registrable domain.
//
// # Formats and scale
//
// WriteResearch writes "2026-03-02T09:15:04.250Z | www.d0042.example |
// 192.0.2.17" lines under a header; WriteZeek writes a Zeek dns.log in its
// TSV form with the full header, answers and TTLs. Stream writes N lookups
// of many pairs in time order in either format, generating them on the fly
// in O(pairs) memory; the synthlog command (cmd/synthlog) runs it.
package synth
