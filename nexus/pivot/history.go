package pivot

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/netip"
	"slices"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
)

// Defaults for a History's zero-valued limits.
const (
	DefaultMaxPositions = 4
	DefaultMaxBindings  = 1 << 20
	DefaultMaxSeries    = 1 << 20
	DefaultMaxPeriods   = 64
	DefaultMaxAnswers   = 32
	DefaultMaxChain     = 8
	DefaultMaxDataBytes = 512
	DefaultMaxErrors    = 100
)

// Binding is one thing a name was seen bound to, with how often and when:
// an address (A, AAAA), a host name for an address (PTR), or another
// record (CNAME, MX, NS, TXT, …).
//
// For an address reached through CNAMEs, the query name gets a Binding
// whose Via is the canonical name (the last CNAME target), and the
// canonical name gets one of its own with Via empty. For PTR answers Name
// is the host name in the answer and Addr the address the query name
// spells, so the same Binding answers "which names did 66.216.133.29 have?"
// for forward and reverse lookups alike.
type Binding struct {
	Name   string      `json:"name"`
	Type   dnslog.Type `json:"type"`
	Addr   netip.Addr  `json:"addr,omitzero"`    // A, AAAA and PTR
	Target string      `json:"target,omitempty"` // CNAME, NS, MX, SRV target; the owner name for PTR
	Data   string      `json:"data"`             // the record data as text, normalised
	Via    string      `json:"via,omitempty"`    // canonical name for an address reached through CNAMEs

	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	Count int64     `json:"count"` // answers seen
	// MinTTL and MaxTTL span the TTLs logged with the answer; HasTTL is
	// false when no log gave one.
	MinTTL uint32 `json:"min_ttl,omitempty"`
	MaxTTL uint32 `json:"max_ttl,omitempty"`
	HasTTL bool   `json:"has_ttl"`
	// Positions are the first few events (Options.MaxPositions) that gave
	// the answer, in arrival order: the evidence to cite.
	Positions []dnslog.Position `json:"positions"`
}

// MarshalJSON writes Type as its mnemonic ("A", "PTR").
func (b Binding) MarshalJSON() ([]byte, error) {
	type plain Binding
	return json.Marshal(struct {
		plain
		Type string `json:"type"`
	}{plain(b), b.Type.String()})
}

// State is what a lookup of a name got.
type State uint8

// States of a Period.
const (
	StateAnswers  State = iota + 1 // one or more answers
	StateNXDomain                  // NXDOMAIN
	StateNoData                    // NOERROR without answers, after the name had answers
)

// String returns "answers", "NXDOMAIN" or "NODATA".
func (s State) String() string {
	switch s {
	case StateAnswers:
		return "answers"
	case StateNXDomain:
		return "NXDOMAIN"
	case StateNoData:
		return "NODATA"
	}
	return ""
}

// MarshalText writes String.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Period is a run of consecutive lookups of one name and type that got the
// same result: the same set of answers (ignoring order and TTLs), or the
// same failure.
type Period struct {
	State State `json:"state"`
	// Answers is the answer set, sorted by type and data, with TTLs left
	// out; nil unless State is StateAnswers.
	Answers  []dnslog.Answer `json:"-"`
	First    time.Time       `json:"first"`
	Last     time.Time       `json:"last"`
	Count    int64           `json:"count"`
	FirstPos dnslog.Position `json:"first_pos"`
	LastPos  dnslog.Position `json:"last_pos"`
}

// MarshalJSON writes Answers as "TYPE data" strings.
func (p Period) MarshalJSON() ([]byte, error) {
	type plain Period
	return json.Marshal(struct {
		plain
		Answers []string `json:"answers,omitempty"`
	}{plain(p), answerStrings(p.Answers)})
}

// AnswerText returns the answers as "A 66.216.133.29" strings.
func (p Period) AnswerText() []string { return answerStrings(p.Answers) }

// Addrs returns the addresses of the period's answers.
func (p Period) Addrs() []netip.Addr {
	var out []netip.Addr
	for _, a := range p.Answers {
		if a.Type == dnslog.TypeA || a.Type == dnslog.TypeAAAA {
			if addr, err := netip.ParseAddr(a.Data); err == nil {
				out = append(out, addr)
			}
		}
	}
	return out
}

func answerStrings(as []dnslog.Answer) []string {
	if as == nil {
		return nil
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Type.String() + " " + a.Data
		if a.Type == 0 {
			out[i] = a.Data
		}
	}
	return out
}

// Series is the lookup history of one name and query type, as a sequence
// of Periods in arrival order. Feed events in time order (a
// dnslog.MultiReader merges files so) for the periods to mean "before" and
// "after"; OutOfOrder counts events older than the series' last one.
type Series struct {
	Name  string      `json:"name"`
	Type  dnslog.Type `json:"type"`
	Count int64       `json:"count"` // events
	First time.Time   `json:"first"`
	Last  time.Time   `json:"last"`
	// FirstPos is where the earliest lookup was read.
	FirstPos dnslog.Position `json:"first_pos"`
	// Answered counts events with answers, NXDomain those with NXDOMAIN,
	// NoData NOERROR events without answers, Failed other response codes
	// (SERVFAIL, REFUSED, …), and Unknown events whose log records no
	// response code and no answers.
	Answered int64 `json:"answered"`
	NXDomain int64 `json:"nxdomain"`
	NoData   int64 `json:"nodata"`
	Failed   int64 `json:"failed"`
	Unknown  int64 `json:"unknown"`
	// OutOfOrder counts events whose time is before the series' Last.
	OutOfOrder int64 `json:"out_of_order,omitempty"`
	// Periods are the runs of equal results. Past MaxPeriods, the first
	// MaxPeriods−1 are kept and the last slot holds the latest period;
	// Omitted counts the periods dropped between them.
	Periods []Period `json:"periods"`
	Omitted int      `json:"omitted,omitempty"`

	hadAnswers bool
}

// MarshalJSON writes Type as its mnemonic.
func (s Series) MarshalJSON() ([]byte, error) {
	type plain Series
	return json.Marshal(struct {
		plain
		Type string `json:"type"`
	}{plain(s), s.Type.String()})
}

// ChangeKind says how a binding changed.
type ChangeKind string

// Kinds of Change.
const (
	// ChangeAnswers: the name resolved before and after, to different
	// answer sets.
	ChangeAnswers ChangeKind = "changed"
	// ChangeStopped: the name had answers and then got NXDOMAIN or no data.
	ChangeStopped ChangeKind = "stopped"
	// ChangeResumed: the name failed and then had answers again.
	ChangeResumed ChangeKind = "resumed"
	// ChangeFailure: one failure followed another (NXDOMAIN, then NODATA).
	ChangeFailure ChangeKind = "failure"
)

// Change is a moment a binding changed: between Before.Last (the last
// lookup with the old result) and After.First (the first with the new).
type Change struct {
	Name   string      `json:"name"`
	Type   dnslog.Type `json:"type"`
	Kind   ChangeKind  `json:"kind"`
	Before Period      `json:"before"`
	After  Period      `json:"after"`
	// Omitted is non-zero when periods between Before and After were not
	// kept (see Series.Omitted).
	Omitted int `json:"omitted,omitempty"`
}

// MarshalJSON writes Type as its mnemonic.
func (c Change) MarshalJSON() ([]byte, error) {
	type plain Change
	return json.Marshal(struct {
		plain
		Type string `json:"type"`
	}{plain(c), c.Type.String()})
}

// Changes returns the changes between the series' consecutive periods.
func (s *Series) Changes() []Change {
	var out []Change
	for i := 1; i < len(s.Periods); i++ {
		b, a := s.Periods[i-1], s.Periods[i]
		c := Change{Name: s.Name, Type: s.Type, Before: b, After: a}
		switch {
		case b.State == StateAnswers && a.State == StateAnswers:
			c.Kind = ChangeAnswers
		case b.State == StateAnswers:
			c.Kind = ChangeStopped
		case a.State == StateAnswers:
			c.Kind = ChangeResumed
		default:
			c.Kind = ChangeFailure
		}
		if i == len(s.Periods)-1 {
			c.Omitted = s.Omitted
		}
		out = append(out, c)
	}
	return out
}

// History gathers, from a stream of events, what every name was seen bound
// to and when: name → addresses and address → names over time, with the
// periods and changes of each name's answers. The zero value is ready to
// use with the default limits.
//
// Memory grows with distinct bindings and series, not with events: about
// 400 bytes per Binding with its map and index entries, plus 24 bytes per
// kept position (MaxPositions); about 250 bytes per Series plus its
// Periods (at most MaxPeriods, each about 120 bytes plus 32 per answer,
// at most MaxAnswers answers). Building the history of a 53,615-event
// Zeek capture (4,309 bindings, 2,063 series) allocates 4.6 MB in all.
// The Max* fields bound the whole on hostile input; what they turn away
// is counted (Dropped, Malformed).
//
// A History is not safe for concurrent use.
type History struct {
	// MaxPositions caps the positions kept per Binding (0 means
	// DefaultMaxPositions).
	MaxPositions int
	// MaxBindings caps the distinct bindings (0 means DefaultMaxBindings);
	// answers that would add more are counted in Dropped.
	MaxBindings int
	// MaxSeries caps the distinct (name, type) series (0 means
	// DefaultMaxSeries); events of new series past it are counted in
	// Dropped.
	MaxSeries int
	// MaxPeriods caps the periods kept per series (0 means
	// DefaultMaxPeriods, at least 2).
	MaxPeriods int
	// MaxAnswers caps the answers read per event (0 means
	// DefaultMaxAnswers); more are malformed (ErrTooMany) and skipped.
	MaxAnswers int
	// MaxChain caps the CNAME hops followed per event (0 means
	// DefaultMaxChain).
	MaxChain int
	// MaxDataBytes caps an answer's data (0 means DefaultMaxDataBytes).
	MaxDataBytes int
	// MaxErrors caps the malformed-answer errors kept (0 means
	// DefaultMaxErrors); Malformed counts them all.
	MaxErrors int

	bindings map[bindingKey]*Binding
	byName   map[string][]*Binding
	byAddr   map[netip.Addr][]*Binding
	aliases  map[string][]*Binding // CNAME bindings by target
	series   map[seriesKey]*Series
	seriesOf map[string][]*Series

	events    int64
	dropped   int64
	malformed int64
	errs      []error

	recs  []record
	items []dnslog.Answer
}

type bindingKey struct {
	name string
	typ  dnslog.Type
	data string
	via  string
}

type seriesKey struct {
	name string
	typ  dnslog.Type
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

func (h *History) init() {
	if h.bindings == nil {
		h.bindings = make(map[bindingKey]*Binding)
		h.byName = make(map[string][]*Binding)
		h.byAddr = make(map[netip.Addr][]*Binding)
		h.aliases = make(map[string][]*Binding)
		h.series = make(map[seriesKey]*Series)
		h.seriesOf = make(map[string][]*Series)
	}
}

// Events returns the number of events added.
func (h *History) Events() int64 { return h.events }

// Dropped returns the answers and events turned away by MaxBindings and
// MaxSeries.
func (h *History) Dropped() int64 { return h.dropped }

// Malformed returns the number of malformed answers seen (and skipped).
func (h *History) Malformed() int64 { return h.malformed }

// Errors returns the first MaxErrors malformed answers, each an
// *AnswerError.
func (h *History) Errors() []error { return h.errs }

func (h *History) bad(ev *dnslog.Event, data string, err error) {
	h.malformed++
	if len(h.errs) < orDefault(h.MaxErrors, DefaultMaxErrors) {
		h.errs = append(h.errs, &AnswerError{Pos: ev.Pos, Name: ev.Name, Data: cut(data, 64), Err: err})
	}
}

// AddAll adds every event of seq, stopping at the first error (which it
// returns) or when ctx is done.
func (h *History) AddAll(ctx context.Context, seq iter.Seq2[dnslog.Event, error]) error {
	n := 0
	for ev, err := range seq {
		if err != nil {
			return err
		}
		if n++; n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		h.Add(&ev)
	}
	return ctx.Err()
}

// Add records one event: its answers become bindings, and its result
// extends or starts a period of its (name, type) series.
func (h *History) Add(ev *dnslog.Event) {
	h.init()
	h.events++
	if ev.Name == "" {
		// Zeek logs some exchanges without a query; only answers
		// without a name to bind them to are malformed.
		if len(ev.Answers) > 0 {
			h.bad(ev, ev.Answers[0].Data, ErrQueryName)
		}
		return
	}
	maxAns := orDefault(h.MaxAnswers, DefaultMaxAnswers)
	maxData := orDefault(h.MaxDataBytes, DefaultMaxDataBytes)
	answers := ev.Answers
	if len(answers) > maxAns {
		h.bad(ev, answers[maxAns].Data, ErrTooMany)
		answers = answers[:maxAns]
	}
	recs := h.recs[:0]
	for _, a := range answers {
		r, err := classify(ev.Type, a, maxData)
		if err != nil {
			h.bad(ev, a.Data, err)
			continue
		}
		recs = append(recs, r)
	}
	h.recs = recs
	h.addSeries(ev, recs, len(answers) > 0)
	h.addBindings(ev, recs)
}

func (h *History) addBindings(ev *dnslog.Event, recs []record) {
	owner := ev.Name
	hops := 0
	maxChain := orDefault(h.MaxChain, DefaultMaxChain)
	var ptrAddr netip.Addr
	ptrChecked := false
	for i, r := range recs {
		switch r.typ {
		case dnslog.TypeCNAME, 39:
			if r.target == ev.Name || inChain(recs[:i], r.target) {
				h.bad(ev, r.data, ErrLoop)
				return
			}
			if hops++; hops > maxChain {
				h.bad(ev, r.data, ErrChain)
				return
			}
			h.bind(ev, r, owner, "")
			owner = r.target
		case dnslog.TypeA, dnslog.TypeAAAA:
			if owner != ev.Name {
				h.bind(ev, r, ev.Name, owner)
			}
			h.bind(ev, r, owner, "")
		case dnslog.TypePTR:
			if !ptrChecked {
				ptrChecked = true
				var ok bool
				ptrAddr, ok = ReverseAddr(ev.Name)
				if !ok && isReverseName(ev.Name) {
					h.bad(ev, r.data, ErrReverse)
				}
			}
			if ptrAddr.IsValid() {
				r.addr = ptrAddr
				h.bind(ev, r, r.target, "")
			} else {
				h.bind(ev, r, owner, "")
			}
		default:
			h.bind(ev, r, owner, "")
		}
	}
}

func inChain(recs []record, name string) bool {
	for _, r := range recs {
		if (r.typ == dnslog.TypeCNAME || r.typ == 39) && r.target == name {
			return true
		}
	}
	return false
}

func (h *History) bind(ev *dnslog.Event, r record, name, via string) {
	k := bindingKey{name: name, typ: r.typ, data: r.data, via: via}
	if r.typ == dnslog.TypePTR && r.addr.IsValid() {
		k.data = r.addr.String()
	}
	b := h.bindings[k]
	if b == nil {
		if len(h.bindings) >= orDefault(h.MaxBindings, DefaultMaxBindings) {
			h.dropped++
			return
		}
		b = &Binding{Name: name, Type: r.typ, Addr: r.addr, Target: r.target, Data: r.data, Via: via,
			First: ev.Time, Last: ev.Time, MinTTL: r.ttl, MaxTTL: r.ttl}
		if r.typ == dnslog.TypePTR && r.addr.IsValid() {
			b.Target = ev.Name
		}
		h.bindings[k] = b
		h.byName[name] = append(h.byName[name], b)
		if b.Addr.IsValid() {
			h.byAddr[b.Addr] = append(h.byAddr[b.Addr], b)
		}
		if b.Type == dnslog.TypeCNAME {
			h.aliases[b.Target] = append(h.aliases[b.Target], b)
		}
	}
	b.Count++
	if ev.Time.Before(b.First) {
		b.First = ev.Time
	}
	if ev.Time.After(b.Last) {
		b.Last = ev.Time
	}
	if r.hasTTL {
		if !b.HasTTL {
			b.MinTTL, b.MaxTTL, b.HasTTL = r.ttl, r.ttl, true
		} else {
			b.MinTTL = min(b.MinTTL, r.ttl)
			b.MaxTTL = max(b.MaxTTL, r.ttl)
		}
	}
	if len(b.Positions) < orDefault(h.MaxPositions, DefaultMaxPositions) &&
		(len(b.Positions) == 0 || b.Positions[len(b.Positions)-1] != ev.Pos) {
		if b.Positions == nil {
			b.Positions = make([]dnslog.Position, 0, orDefault(h.MaxPositions, DefaultMaxPositions))
		}
		b.Positions = append(b.Positions, ev.Pos)
	}
}

func (h *History) addSeries(ev *dnslog.Event, recs []record, hadAnswers bool) {
	k := seriesKey{name: ev.Name, typ: ev.Type}
	s := h.series[k]
	if s == nil {
		if len(h.series) >= orDefault(h.MaxSeries, DefaultMaxSeries) {
			h.dropped++
			return
		}
		s = &Series{Name: ev.Name, Type: ev.Type, First: ev.Time, Last: ev.Time, FirstPos: ev.Pos}
		h.series[k] = s
		h.seriesOf[ev.Name] = append(h.seriesOf[ev.Name], s)
	}
	s.Count++
	if ev.Time.Before(s.Last) {
		s.OutOfOrder++
	}
	if ev.Time.Before(s.First) {
		s.First, s.FirstPos = ev.Time, ev.Pos
	}
	if ev.Time.After(s.Last) {
		s.Last = ev.Time
	}
	var st State
	switch {
	case len(recs) > 0:
		s.Answered++
		st = StateAnswers
		s.hadAnswers = true
	case hadAnswers:
		// every answer was malformed: nothing to learn about the state
		s.Failed++
		return
	case ev.RCode == dnslog.RCodeNXDomain:
		s.NXDomain++
		st = StateNXDomain
	case ev.RCode == dnslog.RCodeNoError:
		s.NoData++
		if !s.hadAnswers {
			// Logs that record response codes but not answers look
			// like this for every lookup; only a name that had answers
			// can be said to have stopped having them.
			return
		}
		st = StateNoData
	case ev.RCode == dnslog.RCodeUnknown:
		s.Unknown++
		return
	default:
		s.Failed++
		return
	}
	items := h.items[:0]
	if st == StateAnswers {
		for _, r := range recs {
			items = append(items, dnslog.Answer{Type: r.typ, Data: r.data})
		}
		slices.SortFunc(items, func(a, b dnslog.Answer) int {
			return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Data, b.Data))
		})
		items = slices.Compact(items)
	}
	h.items = items
	if n := len(s.Periods); n > 0 {
		p := &s.Periods[n-1]
		if p.State == st && slices.Equal(p.Answers, items) {
			p.Count++
			if ev.Time.After(p.Last) {
				p.Last, p.LastPos = ev.Time, ev.Pos
			}
			if ev.Time.Before(p.First) {
				p.First, p.FirstPos = ev.Time, ev.Pos
			}
			return
		}
	}
	p := Period{State: st, First: ev.Time, Last: ev.Time, Count: 1, FirstPos: ev.Pos, LastPos: ev.Pos}
	if len(items) > 0 {
		p.Answers = slices.Clone(items)
	}
	maxP := max(2, orDefault(h.MaxPeriods, DefaultMaxPeriods))
	if len(s.Periods) >= maxP {
		s.Periods[maxP-1] = p
		s.Omitted++
		return
	}
	s.Periods = append(s.Periods, p)
}

// NameHistory is everything a History holds about one name.
type NameHistory struct {
	Name string `json:"name"`
	// Bindings are the name's bindings (addresses, CNAME targets, MX, …,
	// and PTR names when Name is a host name), sorted by type, then first
	// seen, then data.
	Bindings []Binding `json:"bindings"`
	// Series are the name's lookups, one per query type.
	Series []Series `json:"series"`
	// Changes are the changes of all its series, in time order.
	Changes []Change `json:"changes"`
	// Aliases are CNAME bindings of other names that point at Name.
	Aliases []Binding `json:"aliases,omitempty"`
}

// Name returns the history of name (lowercase, no trailing dot), or
// nil when the History never saw it.
func (h *History) Name(name string) *NameHistory {
	bs, ss := h.byName[name], h.seriesOf[name]
	var aliases []Binding
	for _, b := range h.aliases[name] {
		aliases = append(aliases, copyBinding(b))
	}
	if bs == nil && ss == nil && aliases == nil {
		return nil
	}
	n := &NameHistory{Name: name, Aliases: aliases}
	for _, b := range bs {
		n.Bindings = append(n.Bindings, copyBinding(b))
	}
	sortBindings(n.Bindings)
	sortBindings(n.Aliases)
	for _, s := range ss {
		c := *s
		c.Periods = slices.Clone(s.Periods)
		n.Series = append(n.Series, c)
		n.Changes = append(n.Changes, s.Changes()...)
	}
	slices.SortFunc(n.Series, func(a, b Series) int { return cmp.Compare(a.Type, b.Type) })
	slices.SortStableFunc(n.Changes, func(a, b Change) int {
		return cmp.Or(a.After.First.Compare(b.After.First), cmp.Compare(a.Type, b.Type))
	})
	return n
}

// Addrs returns the addresses the name was bound to (directly or through
// CNAMEs), in order of first sight.
func (n *NameHistory) Addrs() []netip.Addr {
	var out []netip.Addr
	bs := slices.Clone(n.Bindings)
	slices.SortStableFunc(bs, func(a, b Binding) int { return a.First.Compare(b.First) })
	for _, b := range bs {
		if (b.Type == dnslog.TypeA || b.Type == dnslog.TypeAAAA) && !slices.Contains(out, b.Addr) {
			out = append(out, b.Addr)
		}
	}
	return out
}

// Addr returns every binding of addr — names that resolved to it and names
// its PTR lookups gave — sorted by first seen, then name.
func (h *History) Addr(addr netip.Addr) []Binding {
	addr = addr.Unmap()
	var out []Binding
	for _, b := range h.byAddr[addr] {
		out = append(out, copyBinding(b))
	}
	slices.SortFunc(out, func(a, b Binding) int {
		return cmp.Or(a.First.Compare(b.First), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Via, b.Via))
	})
	return out
}

// CoHosted returns the address bindings (A, AAAA, PTR) whose address lies
// in p and whose time span [First, Last] overlaps [from, to]; a zero from or
// to leaves that end open. A single address is the prefix addr/32 (or
// /128). The result is sorted by address, then name.
func (h *History) CoHosted(p netip.Prefix, from, to time.Time) []Binding {
	p = p.Masked()
	if p.Addr().Is4In6() {
		p = netip.PrefixFrom(p.Addr().Unmap(), max(0, p.Bits()-96))
	}
	var out []Binding
	for a, bs := range h.byAddr {
		if !p.Contains(a) {
			continue
		}
		for _, b := range bs {
			if !to.IsZero() && b.First.After(to) || !from.IsZero() && b.Last.Before(from) {
				continue
			}
			out = append(out, copyBinding(b))
		}
	}
	sortByAddr(out)
	return out
}

// Bindings returns every binding, sorted by name, type, first seen and
// data.
func (h *History) Bindings() []Binding {
	out := make([]Binding, 0, len(h.bindings))
	for _, b := range h.bindings {
		out = append(out, copyBinding(b))
	}
	sortBindings(out)
	return out
}

// Series returns every series, sorted by name and type.
func (h *History) Series() []Series {
	out := make([]Series, 0, len(h.series))
	for _, s := range h.series {
		c := *s
		c.Periods = slices.Clone(s.Periods)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Series) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
	})
	return out
}

// Changes returns the changes of every series, in time order of their
// After.First.
func (h *History) Changes() []Change {
	var out []Change
	for _, s := range h.series {
		out = append(out, s.Changes()...)
	}
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(a.After.First.Compare(b.After.First), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
	})
	return out
}

func copyBinding(b *Binding) Binding {
	c := *b
	c.Positions = slices.Clone(b.Positions)
	return c
}

func sortBindings(bs []Binding) {
	slices.SortFunc(bs, func(a, b Binding) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type), a.First.Compare(b.First),
			cmp.Compare(a.Data, b.Data), cmp.Compare(a.Via, b.Via))
	})
}

func sortByAddr(bs []Binding) {
	slices.SortFunc(bs, func(a, b Binding) int {
		return cmp.Or(a.Addr.Compare(b.Addr), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type),
			cmp.Compare(a.Via, b.Via), a.First.Compare(b.First))
	})
}
