package timing

import (
	"slices"
	"time"
)

// DefaultIdle is the idle gap that ends a session when the caller gives none.
const DefaultIdle = 30 * time.Minute

// Session is a run of events with no idle gap longer than the threshold
// between consecutive events.
type Session struct {
	Start, End int64 // first and last event, Unix nanoseconds
	Events     int   // events in the session, at least 1
}

// Duration is End − Start (0 for a single-event session).
func (s Session) Duration() time.Duration { return time.Duration(s.End - s.Start) }

// Sessions splits times into sessions: a new session starts at an event whose
// gap to the previous event is longer than idle (a gap exactly idle long does
// not split). idle ≤ 0 means DefaultIdle. Unsorted input is split from a
// sorted copy. The result has one element per session (allocated once per
// call); no events give nil.
func Sessions(times []int64, idle time.Duration) []Session {
	return appendSessions(nil, sortedView(times), idle)
}

// appendSessions appends the sessions of sorted times to dst.
func appendSessions(dst []Session, times []int64, idle time.Duration) []Session {
	if len(times) == 0 {
		return dst
	}
	if idle <= 0 {
		idle = DefaultIdle
	}
	lim := uint64(idle)
	// Each session runs from event i to event j − 1; the inner loop, with
	// no call in it, keeps its figures in registers.
	for i := 0; i < len(times); {
		j, prev := i+1, times[i]
		for ; j < len(times); j++ {
			t := times[j]
			if uint64(t)-uint64(prev) > lim { // t ≥ prev: exact unsigned gap
				break
			}
			prev = t
		}
		dst = append(dst, Session{Start: times[i], End: prev, Events: j - i})
		i = j
	}
	return dst
}

// SessionStats summarizes the sessions of a sequence. Durations and gaps are
// in seconds; medians use the type-7 quantile of Summary. With no events it
// is the zero value apart from Idle. All fields are finite.
type SessionStats struct {
	Idle       time.Duration // threshold used to split sessions
	Count      int           // sessions
	Singletons int           // sessions of a single event
	MaxEvents  int           // events in the largest session
	// MeanEvents and MedianEvents are the mean and median events per session.
	MeanEvents, MedianEvents float64
	// MeanDuration, MedianDuration and MaxDuration describe End − Start.
	MeanDuration, MedianDuration, MaxDuration float64
	// Between summarizes the idle gaps between consecutive sessions
	// (Count − 1 values): how long the sequence rests.
	Between Summary
	// Inner summarizes the gaps inside sessions: its CV shows regularity
	// within activity, which cache gating of interactive use produces.
	Inner Summary
	// Active is the share of the total span covered by sessions,
	// Σ durations / (last − first), in [0, 1]; 0 when the span is 0.
	Active float64
}

// SessionStatsOf splits times into sessions with Sessions(times, idle) and
// summarizes them. It allocates O(number of sessions + events) scratch space.
func SessionStatsOf(times []int64, idle time.Duration) SessionStats {
	times = sortedView(times)
	var sc scratch
	return sc.sessionStats(times, Gaps(nil, times), idle, nil)
}

// sessionStats is SessionStatsOf on sorted times with their gaps, using the
// buffers of sc; inner, when not nil, is the summary of the gaps inside
// sessions (see gapSummaries).
func (sc *scratch) sessionStats(times []int64, gaps []float64, idle time.Duration, inner *Summary) SessionStats {
	if idle <= 0 {
		idle = DefaultIdle
	}
	st := SessionStats{Idle: idle}
	ss := appendSessions(sc.sessions[:0], times, idle)
	sc.sessions = ss
	st.Count = len(ss)
	if st.Count == 0 {
		return st
	}
	events := slices.Grow(sc.events[:0], len(ss))
	durs := slices.Grow(sc.durs[:0], len(ss))
	between := slices.Grow(sc.between[:0], len(ss))
	var active float64
	for i, s := range ss {
		if s.Events == 1 {
			st.Singletons++
		}
		st.MaxEvents = max(st.MaxEvents, s.Events)
		events = append(events, float64(s.Events))
		d := diffSeconds(s.Start, s.End)
		durs = append(durs, d)
		active += d
		if i > 0 {
			between = append(between, diffSeconds(ss[i-1].End, s.Start))
		}
	}
	sc.events, sc.durs, sc.between = events, durs, between
	var ev, du Summary
	ev, sc.work = SummarizeWith(sc.work, events)
	st.MeanEvents, st.MedianEvents = ev.Mean, ev.Median
	du, sc.work = SummarizeWith(sc.work, durs)
	st.MeanDuration, st.MedianDuration, st.MaxDuration = du.Mean, du.Median, du.Max
	st.Between, sc.work = SummarizeWith(sc.work, between)
	if inner != nil {
		st.Inner = *inner
	} else {
		in := slices.Grow(sc.inner[:0], len(gaps))
		for i, g := range gaps {
			if uint64(times[i+1])-uint64(times[i]) <= uint64(idle) {
				in = append(in, g)
			}
		}
		sc.inner = in
		st.Inner, sc.work = SummarizeWith(sc.work, in)
	}
	if span := diffSeconds(times[0], times[len(times)-1]); span > 0 {
		st.Active = clamp(active/span, 0, 1)
	}
	return st
}

// sessionCover counts the sessions of sorted times at the idle threshold and
// the share of the span they cover (SessionStats.Count and Active) in one
// pass, without allocating.
func sessionCover(times []int64, idle time.Duration) (count int, active float64) {
	if len(times) == 0 {
		return 0, 0
	}
	lim := uint64(idle)
	start, end := times[0], times[0]
	count = 1
	for _, t := range times[1:] {
		if uint64(t)-uint64(end) > lim {
			active += diffSeconds(start, end)
			start = t
			count++
		}
		end = t
	}
	active += diffSeconds(start, end)
	if span := diffSeconds(times[0], times[len(times)-1]); span > 0 {
		return count, clamp(active/span, 0, 1)
	}
	return count, 0
}
