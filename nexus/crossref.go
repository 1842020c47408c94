package nexus

import (
	"cmp"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Share is a pair's place among all the clients that asked for its
// domain.
type Share struct {
	// Fraction is the pair's events over all events for the domain:
	// share = n(client, domain) / Σ_c n(c, domain).
	Fraction float64
	// Clients is the number of distinct clients that asked for the domain
	// (its prevalence).
	Clients int
	// DomainEvents is Σ_c n(c, domain).
	DomainEvents int64
}

// Shares computes each pair's share of its domain's lookups, indexed like
// pairs.
func Shares(pairs []Pair) []Share {
	total := make(map[string]int64)
	clients := make(map[string]int)
	for i := range pairs {
		total[pairs[i].Domain] += pairs[i].Events
		clients[pairs[i].Domain]++
	}
	out := make([]Share, len(pairs))
	for i := range pairs {
		t := total[pairs[i].Domain]
		s := Share{Clients: clients[pairs[i].Domain], DomainEvents: t}
		if t > 0 {
			s.Fraction = float64(pairs[i].Events) / float64(t)
		}
		out[i] = s
	}
	return out
}

// SyncOptions configures Synchrony. The zero value is the documented
// default.
type SyncOptions struct {
	// Window is the largest lag at which two lookups count as coincident
	// (0 means 10 s).
	Window time.Duration
	// Alpha is the significance level for reporting a pair of clients
	// (0 means 0.001).
	Alpha float64
	// MinEvents is the fewest events each client must have for the domain
	// (0 means 10).
	MinEvents int
}

// Sync describes two clients that look up one domain in lock-step.
type Sync struct {
	A, B   netip.Addr
	Domain string
	// NA and NB are the clients' event counts over the common span.
	NA, NB int
	// Matched counts A's events with a B event within ±Window.
	Matched int
	// Fraction is Matched / min(NA, NB).
	Fraction float64
	// Expected is the number of coincidences expected if the two clients
	// were independent Poisson streams over the common span T:
	// λ = NA · NB · 2W / T.
	Expected float64
	// P is the upper tail P(Poisson(λ) ≥ Matched).
	P float64
	// MedianLag is the median of (B − A) over matched events; positive
	// when B tends to follow A.
	MedianLag time.Duration
	// DailyCorrelation is Pearson's r between the two clients' daily
	// event counts over the days of the common span (0 when undefined).
	DailyCorrelation float64
}

// Synchrony finds pairs of clients that query the same domain in
// lock-step: for every domain asked by two or more clients, and every two
// such clients, it counts A's events that have a B event within ±Window
// (a cross-correlation of the event trains at lags |τ| ≤ W) and tests the
// count against the independent-Poisson expectation. It returns the
// significant ones (P < Alpha), most significant first.
func Synchrony(pairs []Pair, opts SyncOptions) []Sync {
	w := opts.Window
	if w <= 0 {
		w = 10 * time.Second
	}
	alpha := opts.Alpha
	if alpha <= 0 {
		alpha = 0.001
	}
	minEv := opts.MinEvents
	if minEv <= 0 {
		minEv = 10
	}
	byDomain := make(map[string][]int)
	for i := range pairs {
		if len(pairs[i].Times) >= minEv {
			byDomain[pairs[i].Domain] = append(byDomain[pairs[i].Domain], i)
		}
	}
	var out []Sync
	for dom, idx := range byDomain {
		if len(idx) < 2 || len(idx) > 2000 {
			continue
		}
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				s, ok := syncPair(&pairs[idx[x]], &pairs[idx[y]], w, minEv)
				if !ok || s.P >= alpha {
					continue
				}
				s.Domain = dom
				out = append(out, s)
			}
		}
	}
	slices.SortFunc(out, func(a, b Sync) int {
		if c := cmp.Compare(a.P, b.P); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Matched, a.Matched); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		if c := a.A.Compare(b.A); c != 0 {
			return c
		}
		return a.B.Compare(b.B)
	})
	return out
}

func syncPair(a, b *Pair, w time.Duration, minEv int) (Sync, bool) {
	ta, tb := a.Times, b.Times
	lo := max(ta[0], tb[0]) - int64(w)
	hi := min(ta[len(ta)-1], tb[len(tb)-1]) + int64(w)
	if hi <= lo {
		return Sync{}, false
	}
	ta = window(ta, lo, hi)
	tb = window(tb, lo, hi)
	if len(ta) < minEv || len(tb) < minEv {
		return Sync{}, false
	}
	matched := 0
	var lags []int64
	j := 0
	for _, t := range ta {
		for j < len(tb) && tb[j] < t-int64(w) {
			j++
		}
		// nearest B event within the window
		best := int64(math.MaxInt64)
		for k := j; k < len(tb) && tb[k] <= t+int64(w); k++ {
			if d := tb[k] - t; abs64(d) < abs64(best) {
				best = d
			}
		}
		if best != math.MaxInt64 {
			matched++
			lags = append(lags, best)
		}
	}
	span := float64(hi - lo)
	lambda := float64(len(ta)) * float64(len(tb)) * 2 * float64(w) / span
	s := Sync{
		A: a.Client, B: b.Client, NA: len(ta), NB: len(tb), Matched: matched,
		Fraction: float64(matched) / float64(min(len(ta), len(tb))),
		Expected: lambda,
		P:        poissonUpper(matched, lambda),
	}
	if len(lags) > 0 {
		slices.Sort(lags)
		s.MedianLag = time.Duration(lags[len(lags)/2])
	}
	s.DailyCorrelation = dailyCorrelation(ta, tb, lo, hi)
	return s, true
}

func window(t []int64, lo, hi int64) []int64 {
	i, _ := slices.BinarySearch(t, lo)
	j, _ := slices.BinarySearch(t, hi+1)
	return t[i:j]
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// poissonUpper returns P(X ≥ k) for X ~ Poisson(λ), computed in log space
// by summing the upper tail terms until they vanish.
func poissonUpper(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	if float64(k) < lambda {
		// Lower tail is the short side: 1 − P(X ≤ k−1).
		sum := 0.0
		lt := -lambda
		for i := 0; i < k; i++ {
			if i > 0 {
				lt += math.Log(lambda) - math.Log(float64(i))
			}
			sum += math.Exp(lt)
		}
		return math.Max(0, math.Min(1, 1-sum))
	}
	lg, _ := math.Lgamma(float64(k) + 1)
	lt := -lambda + float64(k)*math.Log(lambda) - lg
	sum := 0.0
	for i := k; i < k+100000; i++ {
		if i > k {
			lt += math.Log(lambda) - math.Log(float64(i))
		}
		term := math.Exp(lt)
		sum += term
		if term < sum*1e-16 {
			break
		}
	}
	return math.Min(1, sum)
}

const day = int64(24 * time.Hour)

// DailyCorrelation returns Pearson's r between the daily event counts of
// two sorted event trains (Unix nanoseconds), over the UTC days from the
// first event of either to the last of either; 0 when it is undefined
// (fewer than 3 days, or a constant series).
func DailyCorrelation(a, b []int64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	return dailyCorrelation(a, b, min(a[0], b[0]), max(a[len(a)-1], b[len(b)-1]))
}

func dailyCorrelation(ta, tb []int64, lo, hi int64) float64 {
	d0 := lo / day
	nd := int(hi/day-d0) + 1
	if nd < 3 || nd > 100000 {
		return 0
	}
	ca := make([]float64, nd)
	cb := make([]float64, nd)
	for _, t := range ta {
		ca[t/day-d0]++
	}
	for _, t := range tb {
		cb[t/day-d0]++
	}
	return pearson(ca, cb)
}

// pearson returns Pearson's correlation r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²),
// or 0 when either series is constant.
func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Cluster is a group of clients joined by significant synchrony on one
// domain: the connected components of the Sync graph.
type Cluster struct {
	Domain  string
	Clients []netip.Addr
}

// Clusters groups the clients of syncs into connected components per
// domain, largest first.
func Clusters(syncs []Sync) []Cluster {
	type key struct {
		d string
		a netip.Addr
	}
	parent := map[key]key{}
	var find func(k key) key
	find = func(k key) key {
		p, ok := parent[k]
		if !ok || p == k {
			parent[k] = k
			return k
		}
		r := find(p)
		parent[k] = r
		return r
	}
	for _, s := range syncs {
		a, b := find(key{s.Domain, s.A}), find(key{s.Domain, s.B})
		if a != b {
			if b.a.Less(a.a) {
				a, b = b, a
			}
			parent[b] = a
		}
	}
	groups := map[key][]netip.Addr{}
	for k := range parent {
		r := find(k)
		groups[r] = append(groups[r], k.a)
	}
	out := make([]Cluster, 0, len(groups))
	for r, cl := range groups {
		slices.SortFunc(cl, netip.Addr.Compare)
		out = append(out, Cluster{Domain: r.d, Clients: cl})
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		if c := cmp.Compare(len(b.Clients), len(a.Clients)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		return a.Clients[0].Compare(b.Clients[0])
	})
	return out
}

// Leak is a query name that is another queried name with a suffix
// appended: what a stub resolver sends when a lookup fails and it tries
// the host's DNS search list. The suffix reveals an internal domain of
// the asking organisation.
type Leak struct {
	// Name is the run-on name, e.g. "mail1.example.com.corp.example.net".
	Name string
	// Base is the queried name it extends, e.g. "mail1.example.com".
	Base string
	// Suffix is what was appended, e.g. "corp.example.net".
	Suffix      string
	Count       int64
	First, Last time.Time
	Clients     []netip.Addr
}

// SuffixLeaks finds names that are another queried name followed by a
// search suffix. A name N counts when N = B + "." + S where B is a
// distinct query name that has at least two labels, and N's registrable
// domain differs from B's (so www.example.com under example.com does not
// count). Results are sorted by name.
func SuffixLeaks(names []Name) []Leak {
	set := make(map[string]int, len(names))
	for i := range names {
		set[names[i].Name] = i
	}
	var out []Leak
	for i := range names {
		n := names[i].Name
		for j := 0; j < len(n); j++ {
			if n[j] != '.' {
				continue
			}
			base := n[:j]
			if !strings.Contains(base, ".") {
				continue
			}
			_, ok := set[base]
			if !ok || RegistrableDomain(base) == RegistrableDomain(n) {
				continue
			}
			out = append(out, Leak{
				Name: n, Base: base, Suffix: n[j+1:],
				Count: names[i].Count, First: names[i].First, Last: names[i].Last,
				Clients: names[i].Clients,
			})
			break
		}
	}
	return out
}
