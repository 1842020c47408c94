package synth

import (
	"bytes"
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"
)

func TestLabelledShort(t *testing.T) {
	start := time.Now()
	d := Labelled(Config{Seed: 1})
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Short took %v", el)
	}
	checkSorted(t, d.Events)
	w := d.Config.Window()
	if !w.Start.Equal(DefaultStart) || !w.End.Equal(DefaultStart.AddDate(0, 0, 7)) {
		t.Errorf("window %v–%v", w.Start, w.End)
	}

	pairs := d.Pairs()
	type key struct {
		client netip.Addr
		domain string
	}
	byKey := map[key]int{}
	for i, p := range pairs {
		k := key{p.Client, p.Domain}
		if _, dup := byKey[k]; dup {
			t.Errorf("pair %v %s twice", p.Client, p.Domain)
		}
		byKey[k] = i
		switch p.Client {
		case Resolver4, Resolver4b, Resolver6, Resolver6b:
			t.Errorf("client %v is a resolver address", p.Client)
		}
	}

	// Every scenario exists.
	var got []string
	for _, p := range pairs {
		if !slices.Contains(got, p.Scenario) {
			got = append(got, p.Scenario)
		}
	}
	want := []string{"beacon", "jitter-renewal", "jitter-one-sided", "jitter-scheduled", "missed", "office-hours",
		"update-4h", "update-daily", "cached-beacon", "interleaved", "human", "human-cache60", "human-cache300",
		"poisson", "shift-night", "shift-rotating", "mixed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scenarios (-want +got):\n%s", diff)
	}
	if len(pairs) != 47 {
		t.Errorf("%d pairs, want 47", len(pairs))
	}

	// Every event belongs to one pair, by client and registrable domain;
	// its label fits the pair's kind; counts match the truth table.
	counts := make([]int, len(pairs))
	labels := make([]map[Label]int, len(pairs))
	for _, e := range d.Events {
		if e.Time.Before(w.Start) || !e.Time.Before(w.End) {
			t.Fatalf("event at %v outside the window", e.Time)
		}
		if e.Name != strings.ToLower(e.Name) || strings.HasSuffix(e.Name, ".") {
			t.Fatalf("name %q not normalised", e.Name)
		}
		dom, err := publicsuffix.EffectiveTLDPlusOne(e.Name)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		i, ok := byKey[key{e.Client, dom}]
		if !ok {
			t.Fatalf("event %v %s: no pair %s", e.Client, e.Name, dom)
		}
		counts[i]++
		if labels[i] == nil {
			labels[i] = map[Label]int{}
		}
		labels[i][e.Label]++
	}
	for i, p := range pairs {
		if counts[i] != p.Events || p.Events == 0 {
			t.Errorf("%s %s: %d events, truth says %d", p.Scenario, p.Variant, counts[i], p.Events)
		}
		var want []Label
		switch p.Kind {
		case KindBeacon:
			want = []Label{Periodic}
		case KindHuman:
			want = []Label{Human}
		case KindAperiodic:
			want = []Label{Noise}
		case KindMixed:
			want = []Label{Periodic, Human}
		}
		var have []Label
		for l := range labels[i] {
			have = append(have, l)
		}
		slices.Sort(have)
		if diff := cmp.Diff(want, have); diff != "" {
			t.Errorf("%s %s: labels (-want +got):\n%s", p.Scenario, p.Variant, diff)
		}
		if p.Positive != (p.Kind == KindBeacon || p.Kind == KindMixed) {
			t.Errorf("%s: Positive %v for kind %v", p.Scenario, p.Positive, p.Kind)
		}
		if p.Positive != (p.Period > 0) {
			t.Errorf("%s: Positive %v with period %v", p.Scenario, p.Positive, p.Period)
		}
	}
}

// TestLabelledPeriods checks each periodic pair's logged gaps against its
// truth: the median gap of its Periodic lookups of the beacon name, over a
// month, is within 2 % of Period (times the mean number of periods a
// missed-beat gap spans).
func TestLabelledPeriods(t *testing.T) {
	d := Labelled(Config{Seed: 3, Days: 28})
	byPair := map[string][]Event{}
	for _, e := range d.Events {
		if e.Label == Periodic {
			k := e.Client.String() + " " + e.Name
			byPair[k] = append(byPair[k], e)
		}
	}
	for _, p := range d.Pairs() {
		if !p.Positive || p.Scenario == "office-hours" {
			continue
		}
		// The name with the most periodic lookups carries the main beat.
		var ev []Event
		for k, v := range byPair {
			if strings.HasPrefix(k, p.Client.String()+" ") && strings.HasSuffix(k, "."+p.Domain) && len(v) > len(ev) {
				ev = v
			}
		}
		g := gapsOf(ev)
		slices.Sort(g)
		med := g[len(g)/2]
		want := p.Period.Seconds()
		if p.Missed > 0 {
			// gaps are k periods with k ~ geometric(1−m); compare the mean.
			med, want = meanOf(g), want/(1-p.Missed)
		}
		tol := 0.02 + p.Jitter // a median of jittered gaps is looser
		if p.Model == OneSided || p.Missed > 0 || p.CacheTTL > 0 {
			med = meanOf(g)
			tol = 0.03
		}
		if p.Missed > 0 {
			// a gap spans k periods, k geometric with sd/mean = √m: allow
			// four standard errors of the mean.
			tol = max(tol, 4*math.Sqrt(p.Missed/float64(len(g))))
		}
		if !within(med, want, tol) {
			t.Errorf("%s %s: typical gap %.1f s, want %.1f s ± %.0f%%", p.Scenario, p.Variant, med, want, tol*100)
		}
	}
}

func TestDeterminism(t *testing.T) {
	write := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := WriteZeek(&b, Labelled(Config{Seed: seed}).Events); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(7), write(7), write(8)
	if !bytes.Equal(a, b) {
		t.Error("seed 7 twice: outputs differ")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 7 and 8: identical outputs")
	}
	// The zone moves office hours and human profiles.
	z := Labelled(Config{Seed: 7, Zone: time.FixedZone("UTC+9", 9*3600)})
	if len(z.Events) == len(Labelled(Config{Seed: 7}).Events) {
		var b bytes.Buffer
		WriteZeek(&b, z.Events)
		if bytes.Equal(a, b.Bytes()) {
			t.Error("zone ignored")
		}
	}
}

func TestDurString(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Minute: "60s", 30 * time.Second: "30s", 5 * time.Minute: "5m", 24 * time.Hour: "24h"} {
		if got := durString(d); got != want {
			t.Errorf("durString(%v) = %q, want %q", d, got, want)
		}
	}
	if math.IsNaN(meanOf([]float64{1})) {
		t.Error("meanOf")
	}
}
