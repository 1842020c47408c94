package dnslog

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// readAll reads every event of in with r configured by setup, returning
// the events and every error (a strict Reader goes on after line errors).
func readAll(t *testing.T, in string, setup func(r *Reader)) ([]Event, []error) {
	t.Helper()
	r := NewReader(strings.NewReader(in))
	r.File = "t.log"
	if setup != nil {
		setup(r)
	}
	var evs []Event
	var errs []error
	for range 1 << 20 {
		ev, err := r.Read()
		if err == io.EOF {
			return evs, errs
		}
		if err != nil {
			errs = append(errs, err)
			if r.sticky != nil {
				return evs, errs
			}
			continue
		}
		evs = append(evs, ev)
	}
	t.Fatal("no io.EOF after 1<<20 reads")
	return nil, nil
}

var cmpEvents = []cmp.Option{cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmpopts.EquateEmpty()}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func research(t, client, name string, typ Type, class Class, line int64) Event {
	return Event{Time: ts(t), Client: netip.MustParseAddr(client), Name: name, RawName: name, Type: typ, Class: class,
		RCode: RCodeUnknown, Format: FormatResearch, Pos: Position{File: "t.log", Line: line}}
}

func TestResearch(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	tests := []struct {
		name string
		in   string
		loc  *time.Location
		want []Event
	}{
		{"spaces", "2016-09-23T13:56:29Z 10.0.0.1 www.example.com\n", nil,
			[]Event{research("2016-09-23T13:56:29Z", "10.0.0.1", "www.example.com", 0, 0, 1)}},
		{"pipes with header, name first", "TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP\n2016-09-23T13:56:29.000Z | www.example.com | 192.0.2.7\n", nil,
			[]Event{research("2016-09-23T13:56:29Z", "192.0.2.7", "www.example.com", 0, 0, 2)}},
		{"commas, type and class", "1474639000.25,10.0.0.1,a.example,AAAA,IN\n", nil,
			[]Event{research("2016-09-23T13:56:40.25Z", "10.0.0.1", "a.example", TypeAAAA, ClassIN, 1)}},
		{"class before type", "1474639000 10.0.0.1 a.example IN MX\n", nil,
			[]Event{research("2016-09-23T13:56:40Z", "10.0.0.1", "a.example", TypeMX, ClassIN, 1)}},
		{"tabs and IPv6", "2016-09-23T13:56:29+02:00\t2001:db8::1\ta.example\t28\n", nil,
			[]Event{research("2016-09-23T11:56:29Z", "2001:db8::1", "a.example", TypeAAAA, 0, 1)}},
		{"zone-less stamp in Location", "2016-01-10 08:00:00.5 10.0.0.1 a.example\n", newYork,
			[]Event{research("2016-01-10T13:00:00.5Z", "10.0.0.1", "a.example", 0, 0, 1)}},
		{"comments, blank lines, CRLF", "# c\r\n\r\n2016-09-23T13:56:29Z 10.0.0.1 a.example\r\n", nil,
			[]Event{research("2016-09-23T13:56:29Z", "10.0.0.1", "a.example", 0, 0, 3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := readAll(t, tt.in, func(r *Reader) { r.Format = FormatResearch; r.Location = tt.loc })
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, cmpEvents...); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestResearchRawName(t *testing.T) {
	got, errs := readAll(t, "2016-09-23T13:56:29Z 10.0.0.1 WWW.Example.COM.\n", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := research("2016-09-23T13:56:29Z", "10.0.0.1", "www.example.com", 0, 0, 1)
	want.RawName = "WWW.Example.COM."
	if diff := cmp.Diff([]Event{want}, got, cmpEvents...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestResearchErrors(t *testing.T) {
	tests := []struct {
		in    string
		cause error
		col   int
	}{
		{"2016-13-23T13:56:29Z 10.0.0.1 a.example", ErrTime, 1},
		{"2016-09-23T13:56:29Z a.example b.example", ErrAddr, 22},
		{"2016-09-23T13:56:29Z 10.0.0.1 a..example", ErrName, 31},
		{"2016-09-23T13:56:29Z 10.0.0.1 a.example BOGUS", ErrType, 41},
		{"2016-09-23T13:56:29Z 10.0.0.1 a.example A BOGUS", ErrType, 43},
		{"2016-09-23T13:56:29Z 10.0.0.1", ErrField, 30},
		{"2016-09-23T13:56:29Z 10.0.0.1 a.example A IN x", ErrField, 46},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, errs := readAll(t, "2016-09-23T13:56:28Z 10.0.0.1 ok.example\n"+tt.in+"\n", func(r *Reader) { r.Format = FormatResearch })
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want 1", len(errs), errs)
			}
			var pe *ParseError
			if !errors.As(errs[0], &pe) {
				t.Fatalf("%T is not a *ParseError", errs[0])
			}
			got := [4]any{pe.File, pe.Line, pe.Column, errors.Is(pe, tt.cause)}
			if diff := cmp.Diff([4]any{"t.log", int64(2), tt.col, true}, got); diff != "" {
				t.Errorf("%v: file, line, column, cause (-want +got):\n%s", pe, diff)
			}
		})
	}
}

func TestParseAddrBytes(t *testing.T) {
	for _, s := range []string{"0.0.0.0", "10.0.0.1", "255.255.255.255", "1.2.3.4", "::1", "2001:db8::1", "::ffff:1.2.3.4",
		"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "", "a.b.c.d", "fe80::1%eth0", "1.2.3.4 "} {
		want, werr := netip.ParseAddr(s)
		got, ok := parseAddrBytes([]byte(s))
		if s == "fe80::1%eth0" {
			werr = errors.New("zones rejected")
		}
		if ok != (werr == nil) || (ok && got != want) {
			t.Errorf("parseAddrBytes(%q) = %v, %v; want %v, %v", s, got, ok, want, werr == nil)
		}
	}
}

// diffEvents is cmp.Diff for long event slices: a plain field-by-field
// comparison finds the differing events, and cmp.Diff reports at most the
// first five of them (and a length mismatch), since cmp over tens of
// thousands of events is slow. ignorePos leaves Format and Pos out.
func diffEvents(want, got []Event, ignorePos bool) string {
	opts := cmpEvents
	if ignorePos {
		opts = append(opts[:len(opts):len(opts)], cmpopts.IgnoreFields(Event{}, "Format", "Pos"))
	}
	var out strings.Builder
	if len(want) != len(got) {
		fmt.Fprintf(&out, "length: want %d, got %d\n", len(want), len(got))
	}
	bad := 0
	for i := range min(len(want), len(got)) {
		if sameEvent(&want[i], &got[i], ignorePos) {
			continue
		}
		fmt.Fprintf(&out, "event %d:\n%s", i, cmp.Diff(want[i], got[i], opts...))
		if bad++; bad == 5 {
			break
		}
	}
	return out.String()
}

func sameEvent(a, b *Event, ignorePos bool) bool {
	if !a.Time.Equal(b.Time) || a.Client != b.Client || a.ClientPort != b.ClientPort || a.Server != b.Server ||
		a.ServerPort != b.ServerPort || a.Name != b.Name || a.RawName != b.RawName || a.Type != b.Type ||
		a.Class != b.Class || a.RCode != b.RCode || !slices.Equal(a.Answers, b.Answers) {
		return false
	}
	return ignorePos || (a.Format == b.Format && a.Pos == b.Pos)
}

// TestResearchHeaderLines: a digit-free line that names columns is a
// header wherever it stands (files concatenated with their headers); a
// digit-free line of other words is an error at its line, not passed over.
func TestResearchHeaderLines(t *testing.T) {
	ev := "2016-09-23T13:56:29Z,10.0.0.1,a.example\n"
	for _, h := range []string{
		"TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP",
		"time,client,query",
		"ts\tquery\tclient_ip",
		"Date Time Client QueryName Type",
		"timestamp,src,domain,qtype,qclass",
	} {
		in := h + "\n" + ev + h + "\n" + ev
		got, errs := readAll(t, in, func(r *Reader) { r.Format = FormatResearch })
		if len(errs) > 0 || len(got) != 2 {
			t.Errorf("%q: %d events, errors %v; want 2 events and the header passed over twice", h, len(got), errs)
		}
	}
	for _, bad := range []string{"garbage line here", "lorem,ipsum,dolor", "-"} {
		in := ev + bad + "\n" + ev
		got, errs := readAll(t, in, func(r *Reader) { r.Format = FormatResearch })
		var pe *ParseError
		if len(got) != 2 || len(errs) != 1 || !errors.As(errs[0], &pe) || pe.Line != 2 || !errors.Is(pe, ErrTime) {
			t.Errorf("%q: %d events, errors %v; want 2 events and a bad timestamp at line 2", bad, len(got), errs)
		}
	}
}
