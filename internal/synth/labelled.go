package synth

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultStart is the start of the default window: Monday 2 March 2026,
// 00:00 UTC.
var DefaultStart = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)

// Preset chooses the size of a labelled dataset.
type Preset uint8

// The presets.
const (
	// Short has one pair per scenario variant (47 pairs, about 60,000
	// events over 7 days): for tests.
	Short Preset = iota
	// Full has 20 pairs per scenario variant (940 pairs, about 1.2 million
	// events over 7 days): for benchmarks.
	Full
)

// Config configures Labelled. The zero Config is the Short preset with
// seed 0 over the 7 days from DefaultStart in UTC.
type Config struct {
	// Seed seeds the one random source everything is drawn from; the same
	// Config always gives the same dataset.
	Seed uint64
	// Start is the start of the window; the zero Time means DefaultStart.
	Start time.Time
	// Days is the length of the window; 0 or less means 7. The dataset
	// grows linearly with it: about 9,000 events (Short) or 175,000 events
	// (Full) a day, 96 bytes each.
	Days int
	// Zone is the local zone of every client, for office hours, daily jobs
	// and human profiles; nil means UTC.
	Zone *time.Location
	// Preset is the size.
	Preset Preset
	// PerVariant, when positive, overrides the preset's number of pairs per
	// scenario variant.
	PerVariant int
}

func (c Config) withDefaults() Config {
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	c.Start = c.Start.UTC()
	if c.Days <= 0 {
		c.Days = 7
	}
	if c.Zone == nil {
		c.Zone = time.UTC
	}
	if c.PerVariant <= 0 {
		c.PerVariant = 1
		if c.Preset == Full {
			c.PerVariant = 20
		}
	}
	return c
}

// Window returns the window the Config covers.
func (c Config) Window() Window {
	c = c.withDefaults()
	return Window{Start: c.Start, End: c.Start.AddDate(0, 0, c.Days), Zone: c.Zone}
}

// Dataset is a labelled dataset: the events of every pair, merged and
// sorted by time, and the ground truth of every pair.
type Dataset struct {
	// Config is the configuration the dataset was made from, with the
	// defaults filled in.
	Config Config
	// Events are all lookups, sorted by time.
	Events []Event
	truth  []Truth
}

// Pairs returns the ground truth of every pair, in scenario order. The
// slice is a copy.
func (d *Dataset) Pairs() []Truth { return slices.Clone(d.truth) }

// variant is one parameterisation of a scenario.
type variant struct {
	truth Truth
	names int
	ttl   uint32
	gen   func(rng *rand.Rand, w Window, t Target) []Event
}

func durString(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0 && d > 2*time.Minute:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + "s"
}

func pct(x float64) string { return strconv.FormatFloat(x*100, 'f', -1, 64) + "%" }

// The parameters of the scenarios; see the package doc.
var (
	beaconPeriods = []time.Duration{time.Minute, 5 * time.Minute, time.Hour, 4 * time.Hour, 8 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	gridPeriods   = []time.Duration{5 * time.Minute, time.Hour}
	jitters       = []float64{0.1, 0.25, 0.5}
	misses        = []float64{0.1, 0.25, 0.5}
	poissonRates  = []float64{0.5, 4, 30}
)

func beaconVariant(scenario, name string, p BeaconParams, ttl uint32) variant {
	period := p.Period
	if p.Model == OneSided {
		period = time.Duration(float64(p.Period) * (1 - p.Jitter/2))
	}
	return variant{
		truth: Truth{Scenario: scenario, Variant: name, Kind: KindBeacon, Positive: true, Period: period,
			Beat: p.Period, Jitter: p.Jitter, Model: p.Model, Missed: p.Missed},
		names: 1, ttl: ttl,
		gen: func(rng *rand.Rand, w Window, t Target) []Event { return Beacon(rng, w, t, p) },
	}
}

func browseVariant(scenario, name string, prof Profile, cache time.Duration) variant {
	return variant{
		truth: Truth{Scenario: scenario, Variant: name, Kind: KindHuman, CacheTTL: cache},
		names: 4, ttl: 300,
		gen: func(rng *rand.Rand, w Window, t Target) []Event {
			return Cache(Browse(rng, w, t, BrowseParams{Profile: prof, Rate: 1}), cache)
		},
	}
}

func variants() []variant {
	var vs []variant
	for _, p := range beaconPeriods {
		vs = append(vs, beaconVariant("beacon", "P="+durString(p), BeaconParams{Period: p}, 30))
	}
	for _, m := range []JitterModel{Renewal, OneSided, Scheduled} {
		for _, p := range gridPeriods {
			for _, j := range jitters {
				vs = append(vs, beaconVariant("jitter-"+m.String(), "P="+durString(p)+" j="+pct(j),
					BeaconParams{Period: p, Jitter: j, Model: m}, 30))
			}
		}
	}
	for _, p := range gridPeriods {
		for _, m := range misses {
			vs = append(vs, beaconVariant("missed", "P="+durString(p)+" j=5% m="+pct(m),
				BeaconParams{Period: p, Jitter: 0.05, Missed: m}, 30))
		}
	}
	for _, p := range gridPeriods {
		vs = append(vs, beaconVariant("office-hours", "P="+durString(p)+" j=10% Mon-Fri 09-18",
			BeaconParams{Period: p, Jitter: 0.1, Hours: &Office}, 30))
	}
	vs = append(vs, beaconVariant("update-4h", "P=4h j=5%", BeaconParams{Period: 4 * time.Hour, Jitter: 0.05}, 300))
	daily := DailyParams{Hour: 3, Spread: 5 * time.Minute}
	vs = append(vs, variant{
		truth: Truth{Scenario: "update-daily", Variant: "03:00 ±5m", Kind: KindBeacon, Positive: true,
			Period: 24 * time.Hour, Beat: 24 * time.Hour, Jitter: float64(daily.Spread) / float64(24*time.Hour), Model: Scheduled},
		names: 1, ttl: 300,
		gen: func(rng *rand.Rand, w Window, t Target) []Event { return Daily(rng, w, t, daily) },
	})

	// A 30 s beacon behind a 300 s stub cache: the logged gap is the TTL
	// plus the wait for the first beat after expiry, whose mean is the
	// renewal process's mean residual life E[G²]/(2E[G]) = P(1 + j²/3)/2.
	fast := BeaconParams{Period: 30 * time.Second, Jitter: 0.1}
	ttl := 300 * time.Second
	vs = append(vs, variant{
		truth: Truth{Scenario: "cached-beacon", Variant: "P=30s j=10% TTL=300s", Kind: KindBeacon, Positive: true,
			Period: ttl + time.Duration(float64(fast.Period)*(1+fast.Jitter*fast.Jitter/3)/2),
			Beat:   fast.Period, Jitter: fast.Jitter, CacheTTL: ttl},
		names: 1, ttl: 300,
		gen: func(rng *rand.Rand, w Window, t Target) []Event { return Cache(Beacon(rng, w, t, fast), ttl) },
	})

	heartbeat := BeaconParams{Period: time.Minute, Jitter: 0.05}
	tasking := BeaconParams{Period: time.Hour, Jitter: 0.05}
	vs = append(vs, variant{
		truth: Truth{Scenario: "interleaved", Variant: "P=60s+1h j=5%", Kind: KindBeacon, Positive: true,
			Period: heartbeat.Period, Beat: heartbeat.Period, Secondary: tasking.Period, Jitter: heartbeat.Jitter},
		names: 2, ttl: 30,
		gen: func(rng *rand.Rand, w Window, t Target) []Event {
			ev := Beacon(rng, w, t, heartbeat)
			t.Names = t.Names[1:]
			ev = append(ev, Beacon(rng, w, t, tasking)...)
			SortEvents(ev)
			return ev
		},
	})

	vs = append(vs,
		browseVariant("human", "office profile", OfficeProfile(), 0),
		browseVariant("human-cache60", "office profile, cache TTL=60s", OfficeProfile(), time.Minute),
		browseVariant("human-cache300", "office profile, cache TTL=300s", OfficeProfile(), 5*time.Minute),
	)
	for _, r := range poissonRates {
		vs = append(vs, variant{
			truth: Truth{Scenario: "poisson", Variant: strconv.FormatFloat(r, 'f', -1, 64) + "/h", Kind: KindAperiodic},
			names: 3, ttl: 60,
			gen: func(rng *rand.Rand, w Window, t Target) []Event { return Poisson(rng, w, t, r) },
		})
	}
	vs = append(vs,
		browseVariant("shift-night", "nights 22-06 Mon-Fri", NightShiftProfile(), 0),
		browseVariant("shift-rotating", "2-2-3 early/late/night", RotatingProfile(), 0),
	)
	for _, p := range gridPeriods {
		bp := BeaconParams{Period: p, Jitter: 0.1}
		vs = append(vs, variant{
			truth: Truth{Scenario: "mixed", Variant: "office profile + P=" + durString(p) + " j=10%", Kind: KindMixed,
				Positive: true, Period: p, Beat: p, Jitter: bp.Jitter},
			names: 4, ttl: 300,
			gen: func(rng *rand.Rand, w Window, t Target) []Event {
				ev := Browse(rng, w, t, BrowseParams{Profile: OfficeProfile(), Rate: 1})
				bt := t
				bt.Names = t.Names[rng.IntN(len(t.Names)):]
				ev = append(ev, Beacon(rng, w, bt, bp)...)
				SortEvents(ev)
				return ev
			},
		})
	}
	return vs
}

// prefixes are the sub-name labels pairs draw their names from.
var prefixes = []string{"www", "api", "cdn", "static", "img", "update", "sync", "mail", "login", "data", "app", "edge"}

// clientPool returns the client addresses of labelled datasets: the
// RFC 5737 ranges (hosts .1–.254 but the resolvers .53 and .54) and 254
// RFC 3849 addresses.
func clientPool() []netip.Addr {
	var pool []netip.Addr
	for _, net := range [][3]byte{{192, 0, 2}, {198, 51, 100}, {203, 0, 113}} {
		for h := 1; h < 255; h++ {
			if h != 53 && h != 54 {
				pool = append(pool, netip.AddrFrom4([4]byte{net[0], net[1], net[2], byte(h)}))
			}
		}
	}
	for n := 1; n < 255; n++ {
		pool = append(pool, netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, byte(n), 15: 1}))
	}
	return pool
}

// Resolver addresses: the one every client uses, and the second one
// ApplyArtefacts load-balances onto.
var (
	Resolver4  = netip.MustParseAddr("192.0.2.53")
	Resolver6  = netip.MustParseAddr("2001:db8::53")
	Resolver4b = netip.MustParseAddr("192.0.2.54")
	Resolver6b = netip.MustParseAddr("2001:db8::54")
)

// Labelled generates a labelled dataset: PerVariant pairs of every variant
// of every scenario (see the package doc) over the Config's window. Each
// pair has its own client–domain combination: the domain d<NNNN>.example or
// d<NNNN>.test is unique to the pair, the client is drawn from the
// documentation ranges (shared by up to two pairs). Numbers and clients are
// shuffled, so neither says anything about the scenario.
func Labelled(cfg Config) *Dataset {
	cfg = cfg.withDefaults()
	w := cfg.Window()
	master := rand.New(rand.NewPCG(cfg.Seed, 0x6c6162656c6c6564))
	vs := variants()
	n := len(vs) * cfg.PerVariant
	nums := master.Perm(n)
	pool := clientPool()
	master.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	d := &Dataset{Config: cfg, truth: make([]Truth, 0, n)}
	parts := make([][]Event, 0, n)
	total := 0
	i := 0
	for _, v := range vs {
		for range cfg.PerVariant {
			rng := rand.New(rand.NewPCG(master.Uint64(), master.Uint64()))
			num := nums[i] + 1
			tld := ".example"
			if num%2 == 0 {
				tld = ".test"
			}
			domain := "d" + pad4(num) + tld
			client := pool[i%len(pool)]
			server := Resolver4
			if client.Is6() {
				server = Resolver6
			}
			pre := slices.Clone(prefixes)
			rng.Shuffle(len(pre), func(a, b int) { pre[a], pre[b] = pre[b], pre[a] })
			names := make([]string, v.names)
			for k := range names {
				names[k] = pre[k] + "." + domain
			}
			ev := v.gen(rng, w, Target{Client: client, Server: server, Names: names, TTL: v.ttl})
			t := v.truth
			t.Client, t.Domain, t.Events = client, domain, len(ev)
			d.truth = append(d.truth, t)
			parts = append(parts, ev)
			total += len(ev)
			i++
		}
	}
	d.Events = make([]Event, 0, total)
	for k, p := range parts {
		d.Events = append(d.Events, p...)
		parts[k] = nil
	}
	slices.SortFunc(d.Events, compareEvents)
	return d
}

// compareEvents orders events by time, then client, name, type and label:
// a total order on the events of a dataset, so the sorted order does not
// depend on the sort algorithm.
func compareEvents(a, b Event) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	if c := a.Client.Compare(b.Client); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if a.Type != b.Type {
		return int(a.Type) - int(b.Type)
	}
	return int(a.Label) - int(b.Label)
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
