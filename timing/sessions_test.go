package timing

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestSessionsWorked: events at minutes 0 1 2 40 41 100 with a 30-minute
// idle threshold split into [0, 2] (3 events), [40, 41] (2), [100] (1).
//
//	Count 3, Singletons 1, MaxEvents 3, MeanEvents = MedianEvents = 2.
//	Durations 120, 60, 0 s: mean 60, median 60, max 120.
//	Between: 38 min = 2280 s and 59 min = 3540 s: mean = median = 2910.
//	Inner gaps 60, 60, 60: CV 0.
//	Active = (120 + 60 + 0) / 6000 = 0.03.
func TestSessionsWorked(t *testing.T) {
	m := int64(time.Minute)
	times := []int64{0, 1 * m, 2 * m, 40 * m, 41 * m, 100 * m}
	want := []Session{{0, 2 * m, 3}, {40 * m, 41 * m, 2}, {100 * m, 100 * m, 1}}
	if diff := cmp.Diff(want, Sessions(times, 30*time.Minute)); diff != "" {
		t.Errorf("Sessions (-want +got):\n%s", diff)
	}
	// Unsorted input and the default threshold give the same.
	shuffled := []int64{41 * m, 0, 100 * m, 2 * m, 40 * m, 1 * m}
	if diff := cmp.Diff(want, Sessions(shuffled, 0)); diff != "" {
		t.Errorf("Sessions(unsorted, default) (-want +got):\n%s", diff)
	}
	st := SessionStatsOf(times, 30*time.Minute)
	wantSt := SessionStats{
		Idle: 30 * time.Minute, Count: 3, Singletons: 1, MaxEvents: 3,
		MeanEvents: 2, MedianEvents: 2, MeanDuration: 60, MedianDuration: 60, MaxDuration: 120,
		Between: Summary{N: 2, Min: 2280, Max: 3540, Mean: 2910, StdDev: 630, Median: 2910, MAD: 630,
			Q1: 2595, Q3: 3225, IQR: 630, CV: 630.0 / 2910, MADRatio: 630.0 / 2910},
		Inner:  Summary{N: 3, Min: 60, Max: 60, Mean: 60, Median: 60, Q1: 60, Q3: 60},
		Active: 0.03,
	}
	if diff := cmp.Diff(wantSt, st, descApprox); diff != "" {
		t.Errorf("SessionStatsOf (-want +got):\n%s", diff)
	}
}

func TestSessionsEdges(t *testing.T) {
	m := int64(time.Minute)
	for _, tc := range []struct {
		name  string
		times []int64
		idle  time.Duration
		want  []Session
	}{
		{"empty", nil, time.Minute, nil},
		{"one", []int64{5}, time.Minute, []Session{{5, 5, 1}}},
		{"gap equal to idle does not split", []int64{0, 30 * m}, 30 * time.Minute, []Session{{0, 30 * m, 2}}},
		{"gap just over idle splits", []int64{0, 30*m + 1}, 30 * time.Minute, []Session{{0, 0, 1}, {30*m + 1, 30*m + 1, 1}}},
		{"identical times", []int64{7, 7, 7}, time.Second, []Session{{7, 7, 3}}},
		{"extremes", []int64{-1 << 63, 1<<63 - 1}, time.Hour, []Session{{-1 << 63, -1 << 63, 1}, {1<<63 - 1, 1<<63 - 1, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Sessions(tc.times, tc.idle)); diff != "" {
				t.Errorf("Sessions (-want +got):\n%s", diff)
			}
		})
	}
	if got := SessionStatsOf(nil, 0); got != (SessionStats{Idle: DefaultIdle}) {
		t.Errorf("SessionStatsOf(nil) = %+v", got)
	}
	if d := (Session{Start: 10, End: 25}).Duration(); d != 15 {
		t.Errorf("Duration = %v, want 15ns", d)
	}
}

// TestSessionsSimulated: 200 sessions, each of 10 events 20 s apart,
// separated by idle gaps of 2–10 h, are recovered exactly.
func TestSessionsSimulated(t *testing.T) {
	r := descRand(5)
	var times []int64
	var want []Session
	t0 := int64(1_770_000_000) * dSec
	for range 200 {
		t0 += (2*3600 + r.Int64N(8*3600)) * dSec
		want = append(want, Session{Start: t0, End: t0 + 9*20*dSec, Events: 10})
		for k := range 10 {
			times = append(times, t0+int64(k)*20*dSec)
		}
		t0 += 9 * 20 * dSec
	}
	got := Sessions(times, 0)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sessions (-want +got):\n%s", diff)
	}
	st := SessionStatsOf(times, 0)
	if diff := cmp.Diff([]float64{200, 10, 180, 0}, []float64{float64(st.Count), st.MedianEvents, st.MedianDuration, st.Inner.CV}, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("[Count MedianEvents MedianDuration Inner.CV] (-want +got):\n%s", diff)
	}
}

// TestSessionCoverAgrees checks the one-pass count and cover used by
// CacheGating against SessionStatsOf on random sequences.
func TestSessionCoverAgrees(t *testing.T) {
	r := descRand(9)
	for trial := range 300 {
		n := r.IntN(200)
		times := make([]int64, n)
		tt := int64(0)
		for i := range times {
			tt += int64(r.ExpFloat64() * float64(20*time.Minute))
			times[i] = tt
		}
		st := SessionStatsOf(times, 0)
		count, active := sessionCover(times, DefaultIdle)
		if diff := cmp.Diff([2]float64{float64(st.Count), st.Active}, [2]float64{float64(count), active}, descApprox); diff != "" {
			t.Fatalf("trial %d: [Count Active] (-SessionStatsOf +sessionCover):\n%s", trial, diff)
		}
	}
}
