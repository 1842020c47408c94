package nexus

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPoissonUpper(t *testing.T) {
	// Reference values: 1 − Σ_{i<k} e^{−λ} λ^i / i!, computed term by term.
	for _, c := range []struct {
		k      int
		lambda float64
		want   float64
	}{
		{3, 1, 1 - 2.5/math.E}, // 0.0803013970713942
		{10, 2, 4.6498075017109564e-05},
		{1, 0.5, 1 - math.Exp(-0.5)},
		{50, 20, 1.2458925890967976e-08},
		{0, 3, 1},
		{4, 0, 0},
	} {
		got := poissonUpper(c.k, c.lambda)
		if math.Abs(got-c.want) > 1e-9*math.Max(1, c.want) && math.Abs(got-c.want)/c.want > 1e-6 {
			t.Errorf("poissonUpper(%d, %g) = %.12g, want %.12g", c.k, c.lambda, got, c.want)
		}
	}
}

func TestShares(t *testing.T) {
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	pairs := []Pair{
		{Client: a, Domain: "example.com", Events: 80},
		{Client: b, Domain: "example.com", Events: 20},
		{Client: a, Domain: "example.org", Events: 5},
	}
	want := []Share{
		{Fraction: 0.8, Clients: 2, DomainEvents: 100},
		{Fraction: 0.2, Clients: 2, DomainEvents: 100},
		{Fraction: 1, Clients: 1, DomainEvents: 5},
	}
	if diff := cmp.Diff(want, Shares(pairs)); diff != "" {
		t.Errorf("Shares (-want +got):\n%s", diff)
	}
}

// lockstep returns two event trains: B follows A by 1–4 s on 90 % of A's
// events; C is an independent Poisson stream of the same rate.
func lockstep(rng *rand.Rand, n int) (a, b, c []int64) {
	t := int64(0)
	for range n {
		t += int64(rng.ExpFloat64() * float64(time.Hour))
		a = append(a, t)
		if rng.Float64() < 0.9 {
			b = append(b, t+int64(time.Second)+rng.Int64N(int64(3*time.Second)))
		}
	}
	t = 0
	for range n {
		t += int64(rng.ExpFloat64() * float64(time.Hour))
		c = append(c, t)
	}
	return a, b, c
}

func TestSynchrony(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ta, tb, tc := lockstep(rng, 500)
	A, B, C := netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2"), netip.MustParseAddr("203.0.113.9")
	pairs := []Pair{
		{Client: A, Domain: "example.com", Times: ta, Events: int64(len(ta))},
		{Client: B, Domain: "example.com", Times: tb, Events: int64(len(tb))},
		{Client: C, Domain: "example.com", Times: tc, Events: int64(len(tc))},
	}
	got := Synchrony(pairs, SyncOptions{})
	if len(got) != 1 {
		t.Fatalf("Synchrony found %d pairs of clients, want 1 (A,B): %+v", len(got), got)
	}
	s := got[0]
	if s.A != A || s.B != B {
		t.Errorf("synchronous clients = %v,%v, want %v,%v", s.A, s.B, A, B)
	}
	if s.Fraction < 0.95 { // B has ~450 events, all within 4 s of an A event
		t.Errorf("Fraction = %.3f, want ≥ 0.95", s.Fraction)
	}
	if s.MedianLag < time.Second || s.MedianLag > 4*time.Second {
		t.Errorf("MedianLag = %v, want within [1s, 4s]", s.MedianLag)
	}
	if s.P > 1e-100 && s.P != 0 {
		t.Errorf("P = %g, want astronomically small", s.P)
	}
	cl := Clusters(got)
	if diff := cmp.Diff([]Cluster{{Domain: "example.com", Clients: []netip.Addr{A, B}}}, cl, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("Clusters (-want +got):\n%s", diff)
	}
}

// Independent Poisson streams must be reported at about the nominal
// rate: with α = 0.01, out of 300 independent pairs of streams, the count
// reported is Binomial(300, ≤0.01): more than 10 would be a 0.1 % event.
func TestSynchronyCalibration(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	reported := 0
	for i := range 300 {
		_, _, x := lockstep(rng, 200)
		_, _, y := lockstep(rng, 200)
		pairs := []Pair{
			{Client: netip.AddrFrom4([4]byte{10, 0, 0, 1}), Domain: "d.example", Times: x},
			{Client: netip.AddrFrom4([4]byte{10, 0, 0, 2}), Domain: "d.example", Times: y},
		}
		_ = i
		reported += len(Synchrony(pairs, SyncOptions{Alpha: 0.01}))
	}
	if reported > 10 {
		t.Errorf("independent streams reported as synchronous %d times out of 300 at α = 0.01", reported)
	}
}

func TestSuffixLeaks(t *testing.T) {
	c := &Collector{}
	add := func(name, client string, sec int64) {
		ev := testEvent(name, client, sec)
		c.Add(&ev)
	}
	add("mail1.example.com", "192.0.2.1", 100)
	add("mail1.example.com", "192.0.2.2", 110)
	add("mail1.example.com.corp.example.net", "192.0.2.1", 200)
	add("www.example.com", "192.0.2.1", 300)                      // sub-name: no leak
	add("example.com.example.com", "192.0.2.1", 310)              // same registrable domain: no leak
	add("unknown.example.org.corp.example.net", "192.0.2.1", 320) // base never queried
	got := SuffixLeaks(c.Names())
	want := []Leak{{
		Name: "mail1.example.com.corp.example.net", Base: "mail1.example.com", Suffix: "corp.example.net",
		Count: 1, First: time.Unix(200, 0).UTC(), Last: time.Unix(200, 0).UTC(),
		Clients: []netip.Addr{netip.MustParseAddr("192.0.2.1")},
	}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("SuffixLeaks (-want +got):\n%s", diff)
	}
}

func TestDailyCorrelation(t *testing.T) {
	d := int64(24 * time.Hour)
	// Daily counts 1, 2, 3 and 2, 4, 6: r = 1. Against 3, 2, 1: r = −1.
	a := []int64{0, d, d + 1, 2 * d, 2*d + 1, 2*d + 2}
	b := []int64{0, 1, d, d + 1, d + 2, d + 3, 2 * d, 2*d + 1, 2*d + 2, 2*d + 3, 2*d + 4, 2*d + 5}
	c := []int64{0, 1, 2, d, d + 1, 2 * d}
	if r := DailyCorrelation(a, b); math.Abs(r-1) > 1e-12 {
		t.Errorf("DailyCorrelation(a, b) = %g, want 1", r)
	}
	if r := DailyCorrelation(a, c); math.Abs(r+1) > 1e-12 {
		t.Errorf("DailyCorrelation(a, c) = %g, want −1", r)
	}
	if r := DailyCorrelation(a[:1], b[:1]); r != 0 {
		t.Errorf("one day: %g, want 0", r)
	}
}
