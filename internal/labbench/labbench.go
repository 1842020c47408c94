// Package labbench runs the labelled benchmark of the nexus scorer: it
// generates labelled DNS activity with internal/synth, writes it through a
// real log format, reads it back with dnslog, scores every pair with nexus
// and compares the scores with the ground truth, next to a baseline (RITA
// v5's published beacon formula, implemented from its description).
package labbench

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/internal/synth"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// Config configures a run.
type Config struct {
	// Seed of the generated dataset.
	Seed uint64
	// Preset is the dataset size (synth.Short or synth.Full).
	Preset synth.Preset
	// Format is the log format the events go through: "zeek" (with TTLs),
	// "research" (no TTLs), or "" to skip the text round trip.
	Format string
	// FPR is the false-positive rate over all negatives that sets the
	// beacon-score threshold; 0 means 0.01.
	FPR float64
	// Artefacts, when set, also scores the dataset with artefacts
	// injected and reports how far each pair's beacon score moved:
	// ArtefactSet, or when it is nil synth.Typical (AAAA twins, retries,
	// duplicates, load-balanced resolvers) with 1-s rounding.
	Artefacts   bool
	ArtefactSet *synth.Artefacts
	// Zone is the clients' zone; nil means UTC.
	Zone *time.Location
}

// PairResult is one pair's truth and scores.
type PairResult struct {
	Truth    synth.Truth
	Score    nexus.Score
	Baseline float64
	// Moved is |Beacon with artefacts − Beacon without| (when measured).
	Moved float64
	// LabelAccuracy is the share of events of a mixed pair labelled
	// correctly (−1 when not applicable).
	LabelAccuracy float64
}

// Row is the summary of one scenario.
type Row struct {
	Scenario string
	Positive bool
	Pairs    int
	// Flagged is the share of the scenario's pairs above the threshold
	// (recall for positive scenarios, false-positive rate for negative
	// ones); Baseline the same for the baseline at its own threshold.
	Flagged, Baseline float64
	// PeriodErr is the median relative error of the detected period over
	// the scenario's pairs with a known period (NaN-free: −1 when none).
	PeriodErr float64
	// Verdicts counts the pairs by verdict.
	Verdicts map[nexus.Verdict]int
}

// Result is the outcome of a run.
type Result struct {
	Config Config
	Pairs  []PairResult
	Rows   []Row
	// Threshold and BaselineThreshold are the scores above which a pair
	// is flagged, chosen so that at most FPR of all negatives are.
	Threshold, BaselineThreshold float64
	// Recall is over all positive pairs; FalsePositive the achieved rate.
	Recall, BaselineRecall    float64
	FalsePositive, BaselineFP float64
	PeriodErr20, PeriodErr50  float64 // median relative period error at jitter ≤ 20 %, in (20 %, 50 %]
	MixedLabelAccuracy        float64 // mean over mixed pairs; −1 when none
	ArtefactMaxMove           float64 // max |Δ beacon| with artefacts; −1 when not measured
	Events                    int
	Elapsed                   time.Duration
}

type pairKey struct {
	client netip.Addr
	domain string
}

// Run generates, reads, scores and evaluates one dataset.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	if cfg.FPR <= 0 {
		cfg.FPR = 0.01
	}
	ds := synth.Labelled(synth.Config{Seed: cfg.Seed, Preset: cfg.Preset, Zone: cfg.Zone})
	scores, err := score(ctx, ds.Events, cfg)
	if err != nil {
		return nil, err
	}
	res := &Result{Config: cfg, Events: len(ds.Events), ArtefactMaxMove: -1, MixedLabelAccuracy: -1}
	byKey := make(map[pairKey]*nexus.Score, len(scores))
	for i := range scores {
		byKey[pairKey{scores[i].Client, scores[i].Domain}] = &scores[i]
	}
	var moved map[pairKey]float64
	if cfg.Artefacts {
		rng := rand.New(rand.NewPCG(cfg.Seed, 0xa7))
		art := synth.Typical
		art.Round = true
		if cfg.ArtefactSet != nil {
			art = *cfg.ArtefactSet
		}
		dirty := synth.ApplyArtefacts(ds.Events, rng, art)
		ds2, err := score(ctx, dirty, cfg)
		if err != nil {
			return nil, err
		}
		moved = make(map[pairKey]float64)
		res.ArtefactMaxMove = 0
		for i := range ds2 {
			k := pairKey{ds2[i].Client, ds2[i].Domain}
			if s, ok := byKey[k]; ok {
				d := math.Abs(ds2[i].Beacon - s.Beacon)
				moved[k] = d
				res.ArtefactMaxMove = math.Max(res.ArtefactMaxMove, d)
			}
		}
	}
	labels := eventLabels(ds.Events)
	for _, tr := range ds.Pairs() {
		k := pairKey{tr.Client, tr.Domain}
		s, ok := byKey[k]
		if !ok {
			return nil, fmt.Errorf("labbench: pair %v %s of scenario %s was not scored", tr.Client, tr.Domain, tr.Scenario)
		}
		pr := PairResult{Truth: tr, Score: *s, Baseline: Baseline(s.Times), LabelAccuracy: -1, Moved: moved[k]}
		if tr.Kind == synth.KindMixed && s.Labels != nil {
			pr.LabelAccuracy = labelAccuracy(s, labels[k])
		}
		pr.Score.Times = nil
		res.Pairs = append(res.Pairs, pr)
	}
	res.evaluate()
	res.Elapsed = time.Since(start)
	return res, nil
}

// score writes events through the configured format, reads them back and
// scores the pairs.
func score(ctx context.Context, events []synth.Event, cfg Config) ([]nexus.Score, error) {
	c := &nexus.Collector{}
	switch cfg.Format {
	case "":
		for i := range events {
			e := &events[i]
			ev := dnslog.Event{Time: e.Time, Client: e.Client, Name: e.Name, Type: dnslog.Type(e.Type),
				RCode: dnslog.RCodeUnknown, Answers: []dnslog.Answer{{TTL: e.TTL, HasTTL: true}}}
			c.Add(&ev)
		}
	case "zeek", "research":
		var buf bytes.Buffer
		var err error
		if cfg.Format == "zeek" {
			err = synth.WriteZeek(&buf, events)
		} else {
			err = synth.WriteResearch(&buf, events)
		}
		if err != nil {
			return nil, err
		}
		r := dnslog.NewReader(&buf)
		for {
			ev, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			c.Add(&ev)
		}
	default:
		return nil, fmt.Errorf("labbench: unknown format %q", cfg.Format)
	}
	return nexus.ScorePairs(ctx, c.Pairs(), nexus.Options{Location: cfg.Zone})
}

// eventLabels maps each pair to its events' times and labels, in time order.
func eventLabels(events []synth.Event) map[pairKey][]labelled {
	m := make(map[pairKey][]labelled)
	for i := range events {
		e := &events[i]
		k := pairKey{e.Client, nexus.RegistrableDomain(e.Name)}
		m[k] = append(m[k], labelled{e.Time.UnixNano(), e.Label})
	}
	return m
}

type labelled struct {
	t     int64
	label synth.Label
}

// labelAccuracy compares the scorer's per-time labels with the truth. Both
// are in time order; the scorer labels the pair's kept times, which are the
// truth's times.
func labelAccuracy(s *nexus.Score, truth []labelled) float64 {
	if len(truth) == 0 || len(s.Labels) != len(s.Times) {
		return -1
	}
	j, right, n := 0, 0, 0
	for i, t := range s.Times {
		for j < len(truth) && truth[j].t < t {
			j++
		}
		if j == len(truth) || truth[j].t != t {
			continue
		}
		n++
		periodic := truth[j].label == synth.Periodic
		if periodic == (s.Labels[i] == nexus.LabelPeriodic) {
			right++
		}
	}
	if n == 0 {
		return -1
	}
	return float64(right) / float64(n)
}

func (r *Result) evaluate() {
	var neg, negB []float64
	for _, p := range r.Pairs {
		if !p.Truth.Positive {
			neg = append(neg, p.Score.Beacon)
			negB = append(negB, p.Baseline)
		}
	}
	r.Threshold = thresholdAt(neg, r.Config.FPR)
	r.BaselineThreshold = thresholdAt(negB, r.Config.FPR)
	type acc struct {
		row  Row
		errs []float64
		hit  int
		hitB int
	}
	rows := map[string]*acc{}
	var order []string
	var pos, posHit, posHitB, negN, negHit, negHitB int
	var err20, err50 []float64
	var labSum float64
	var labN int
	for _, p := range r.Pairs {
		a, ok := rows[p.Truth.Scenario]
		if !ok {
			a = &acc{row: Row{Scenario: p.Truth.Scenario, Positive: p.Truth.Positive, Verdicts: map[nexus.Verdict]int{}}}
			rows[p.Truth.Scenario] = a
			order = append(order, p.Truth.Scenario)
		}
		a.row.Pairs++
		a.row.Verdicts[p.Score.Verdict]++
		flag := p.Score.Beacon > r.Threshold
		flagB := p.Baseline > r.BaselineThreshold
		if flag {
			a.hit++
		}
		if flagB {
			a.hitB++
		}
		if p.Truth.Positive {
			pos++
			if flag {
				posHit++
			}
			if flagB {
				posHitB++
			}
		} else {
			negN++
			if flag {
				negHit++
			}
			if flagB {
				negHitB++
			}
		}
		if p.Truth.Period > 0 && p.Truth.Kind == synth.KindBeacon {
			e := 1.0
			if p.Score.Period > 0 {
				e = math.Abs(p.Score.Period.Seconds()-p.Truth.Period.Seconds()) / p.Truth.Period.Seconds()
			}
			a.errs = append(a.errs, e)
			switch {
			case p.Truth.Jitter <= 0.2:
				err20 = append(err20, e)
			case p.Truth.Jitter <= 0.5:
				err50 = append(err50, e)
			}
		}
		if p.LabelAccuracy >= 0 {
			labSum += p.LabelAccuracy
			labN++
		}
	}
	for _, name := range order {
		a := rows[name]
		a.row.Flagged = float64(a.hit) / float64(a.row.Pairs)
		a.row.Baseline = float64(a.hitB) / float64(a.row.Pairs)
		a.row.PeriodErr = median(a.errs)
		r.Rows = append(r.Rows, a.row)
	}
	r.Recall = ratio(posHit, pos)
	r.BaselineRecall = ratio(posHitB, pos)
	r.FalsePositive = ratio(negHit, negN)
	r.BaselineFP = ratio(negHitB, negN)
	r.PeriodErr20 = median(err20)
	r.PeriodErr50 = median(err50)
	if labN > 0 {
		r.MixedLabelAccuracy = labSum / float64(labN)
	}
}

// thresholdAt returns the smallest score t such that at most fpr of the
// negatives score above t.
func thresholdAt(neg []float64, fpr float64) float64 {
	if len(neg) == 0 {
		return 0
	}
	s := slices.Clone(neg)
	slices.SortFunc(s, func(a, b float64) int { return cmp.Compare(b, a) })
	k := int(math.Floor(fpr * float64(len(s)))) // may flag k negatives
	if k >= len(s) {
		return s[len(s)-1]
	}
	return s[k]
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return -1
	}
	s := slices.Clone(x)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// WriteMarkdown writes the per-scenario table and the summary.
func (r *Result) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Seed %d, %d pairs, %d events, format %q, threshold at %.0f %% false positives over all negatives: ours %.3f, baseline %.3f. Run time %s.\n\n",
		r.Config.Seed, len(r.Pairs), r.Events, r.Config.Format, 100*r.Config.FPR, r.Threshold, r.BaselineThreshold, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "| scenario | class | pairs | flagged (ours) | flagged (baseline) | period error (median) | verdicts |\n|---|---|---:|---:|---:|---:|---|\n")
	for _, row := range r.Rows {
		class := "negative"
		if row.Positive {
			class = "positive"
		}
		perr := "–"
		if row.PeriodErr >= 0 {
			perr = fmt.Sprintf("%.2f %%", 100*row.PeriodErr)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.2f | %.2f | %s | %s |\n", row.Scenario, class, row.Pairs, row.Flagged, row.Baseline, perr, verdictCounts(row.Verdicts))
	}
	fmt.Fprintf(&b, "\nOverall recall %.3f (baseline %.3f) at false-positive rate %.3f (baseline %.3f).\n", r.Recall, r.BaselineRecall, r.FalsePositive, r.BaselineFP)
	fmt.Fprintf(&b, "Period median relative error: %.2f %% at jitter ≤ 20 %%, %.2f %% at jitter 20–50 %%.\n", 100*r.PeriodErr20, 100*r.PeriodErr50)
	if r.MixedLabelAccuracy >= 0 {
		fmt.Fprintf(&b, "Per-event labelling accuracy on mixed pairs: %.3f.\n", r.MixedLabelAccuracy)
	}
	if r.ArtefactMaxMove >= 0 {
		fmt.Fprintf(&b, "Largest beacon-score move when artefacts are injected: %.3f.\n", r.ArtefactMaxMove)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func verdictCounts(m map[nexus.Verdict]int) string {
	var out string
	for _, v := range []nexus.Verdict{nexus.VerdictBeacon, nexus.VerdictMixed, nexus.VerdictHuman, nexus.VerdictAperiodic, nexus.VerdictInsufficient} {
		if m[v] > 0 {
			if out != "" {
				out += ", "
			}
			out += fmt.Sprintf("%s %d", v, m[v])
		}
	}
	return out
}
