package dnslog

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestParseRFC3339(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	tests := []struct {
		in   string
		loc  *time.Location
		want string // RFC 3339 in UTC; "" for a rejected stamp
	}{
		{"2016-09-23T13:56:29Z", nil, "2016-09-23T13:56:29Z"},
		{"2016-09-23T13:56:29.000Z", nil, "2016-09-23T13:56:29Z"},
		{"2016-09-23T13:56:29.123456789Z", nil, "2016-09-23T13:56:29.123456789Z"},
		{"2016-09-23T13:56:29.1234567891Z", nil, "2016-09-23T13:56:29.123456789Z"},
		{"2016-09-23T13:56:29+03:00", nil, "2016-09-23T10:56:29Z"},
		{"2016-09-23T13:56:29-0130", nil, "2016-09-23T15:26:29Z"},
		{"2016-09-23T13:56:29+02", nil, "2016-09-23T11:56:29Z"},
		{"2016-09-23 13:56:29,5", nil, "2016-09-23T13:56:29.5Z"},
		{"2016-09-23 13:56:29", kolkata, "2016-09-23T08:26:29Z"},
		{"2016-12-31T23:59:60Z", nil, "2016-12-31T23:59:59.999999999Z"},
		{"2016-02-29T00:00:00Z", nil, "2016-02-29T00:00:00Z"},
		{"2015-02-29T00:00:00Z", nil, ""},
		{"2016-13-01T00:00:00Z", nil, ""},
		{"2016-09-23T24:00:00Z", nil, ""},
		{"2016-09-23T13:56:29.Z", nil, ""},
		{"2016-09-23T13:56:29Q", nil, ""},
		{"2016-09-23", nil, ""},
		{"2016/09/23T13:56:29Z", nil, ""},
	}
	for _, tt := range tests {
		loc := tt.loc
		if loc == nil {
			loc = time.UTC
		}
		got, ok := parseRFC3339([]byte(tt.in), loc)
		var gs string
		if ok {
			gs = got.Format(time.RFC3339Nano)
			if got.Location() != time.UTC {
				t.Errorf("%q: result not in UTC", tt.in)
			}
		}
		if gs != tt.want {
			t.Errorf("parseRFC3339(%q) = %q, want %q", tt.in, gs, tt.want)
		}
	}
}

func TestParseEpoch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1474639000", "2016-09-23T13:56:40Z"},
		{"1610645203.325590", "2021-01-14T17:26:43.32559Z"},
		{"0", "1970-01-01T00:00:00Z"},
		{"1474639000.", ""},
		{"-1", ""},
		{"1e9", ""},
		{"99999999999", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := parseEpoch([]byte(tt.in))
		var gs string
		if ok {
			gs = got.Format(time.RFC3339Nano)
		}
		if gs != tt.want {
			t.Errorf("parseEpoch(%q) = %q, want %q", tt.in, gs, tt.want)
		}
	}
}

func TestParseSyslogStamp(t *testing.T) {
	cfg := decodeConfig{loc: time.UTC, year: 2019}
	y := newYearTracker(&cfg)
	steps := []struct {
		in   string
		want string
		n    int
	}{
		{"Dec 31 23:59:58 host named[1]: x", "2019-12-31T23:59:58Z", 15},
		{"Jan  1 00:00:01.651 host", "2020-01-01T00:00:01.651Z", 19},
		{"Feb 29 12:00:00 x", "2020-02-29T12:00:00Z", 15},
		{"Feb 30 12:00:00 x", "", 0},
		{"Foo  1 00:00:00 x", "", 0},
		{"Jan 1 00:00:00", "", 0},
	}
	for _, s := range steps {
		got, n, ok := parseSyslogStamp([]byte(s.in), &y, time.UTC)
		var gs string
		if ok {
			gs = got.Format(time.RFC3339Nano)
		}
		if gs != s.want || (ok && n != s.n) {
			t.Errorf("parseSyslogStamp(%q) = %q, %d; want %q, %d", s.in, gs, n, s.want, s.n)
		}
	}
}

func TestYearTrackerDefault(t *testing.T) {
	loc := time.FixedZone("X", 14*3600)
	y := newYearTracker(&decodeConfig{loc: loc})
	if want := time.Now().In(loc).Year(); y.year != want {
		t.Errorf("default year %d, want %d", y.year, want)
	}
}

func TestParseMonth(t *testing.T) {
	for i, m := range []string{"Jan", "FEB", "mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "dec"} {
		if got, ok := parseMonth([]byte(m)); !ok || got != i+1 {
			t.Errorf("parseMonth(%q) = %d, %v", m, got, ok)
		}
	}
	for _, m := range []string{"", "Ja", "Janu", "J4n"} {
		if _, ok := parseMonth([]byte(m)); ok {
			t.Errorf("parseMonth(%q) accepted", m)
		}
	}
}

// parseEpochRef is the first version of parseEpoch, which scaled each
// fraction digit as it went; parseEpoch must agree with it.
func parseEpochRef(b []byte) (time.Time, bool) {
	if len(b) == 0 {
		return time.Time{}, false
	}
	var sec int64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if sec > math.MaxInt64/10-10 {
			return time.Time{}, false
		}
		sec = sec*10 + int64(b[i]-'0')
	}
	if i == 0 {
		return time.Time{}, false
	}
	var nsec int64
	if i < len(b) {
		if b[i] != '.' {
			return time.Time{}, false
		}
		i++
		scale := int64(100000000)
		start := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			nsec += int64(b[i]-'0') * scale
			scale /= 10
		}
		if i != len(b) || i == start {
			return time.Time{}, false
		}
	}
	if sec > 9200000000 {
		return time.Time{}, false
	}
	return time.Unix(sec, nsec).UTC(), true
}

// trickyEpochs are stamps for parseEpoch and parseEpochRef to agree on.
var trickyEpochs = []string{
	"", "0", "1", "1521911720", "1521911720.070000", "1521911720.1", "1521911720.123456789",
	"1521911720.1234567891", "1521911720.9999999999999999999999", "1521911720.", ".5", "1.5e9", "-1", "+1",
	"1521911720.5x", "1521911720x", "9200000000", "9200000000.999999999", "9200000001", "00000000000000000000001.5",
	"922337203685477580", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1.", "1..5",
	"1.5.5", " 1", "1 ", "١٢", "0.000000001", "0.0000000009",
}

func checkParseEpoch(t *testing.T, b []byte) {
	t.Helper()
	got, ok := parseEpoch(b)
	want, wok := parseEpochRef(b)
	if ok != wok || !got.Equal(want) || got.Location() != want.Location() {
		t.Fatalf("parseEpoch(%q) = %v, %v; want %v, %v", b, got, ok, want, wok)
	}
}

func TestParseEpochRef(t *testing.T) {
	for _, s := range trickyEpochs {
		checkParseEpoch(t, []byte(s))
	}
	rng := rand.New(rand.NewPCG(8, 9))
	alphabet := []byte("0123456789012345678901234567890123456789.x")
	for range 100000 {
		b := make([]byte, rng.IntN(30))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkParseEpoch(t, b)
	}
}

func FuzzParseEpoch(f *testing.F) {
	for _, s := range trickyEpochs {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkParseEpoch(t, b) })
}
