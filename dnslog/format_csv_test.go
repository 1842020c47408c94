package dnslog

import (
	"errors"
	"io"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCSVHeader(t *testing.T) {
	const input = `Date, Client IP ,Query Name,"Query Type",RCODE,Server,Extra
2024-05-01 10:00:00,192.0.2.1:5300,Example.COM.,A,NOERROR,198.51.100.53,"x, y"
2024-05-01T10:00:01.5Z,2001:db8::1,"b.example",28 (AAAA),3,[2001:db8::53]:53,
1714557602 , 192.0.2.2 , "_dmarc.example" ,TXT,,,"say ""hi"""

2024-05-01 10:00:03,192.0.2.3,c.example
2024-05-01 10:00:04,192.0.2.999,c.example,MX,NOERROR,,
2024-05-01 10:00:04,192.0.2.3,c..example,MX,NOERROR,,
2024-05-01 10:00:04,192.0.2.3,c.example,MXX,NOERROR,,
2024-05-01 10:00:04,192.0.2.3,c.example,MX,NOPE,,
2024-05-01 10:00:61,192.0.2.3,c.example,MX,NOERROR,,
2024-05-01 10:00:04,192.0.2.3,"c.example
2024-05-01 10:00:04,192.0.2.3
2024-05-01 10:00:04,192.0.2.3,"c.example" x,A
`
	loc := time.FixedZone("UTC-5", -5*3600)
	r := tbReader(input, FormatCSV)
	r.Location = loc
	evs, errs := tbCollect(t, r)
	want := []Event{
		// Zone-less stamps are read in the Reader's Location.
		{Time: tbTime(t, "2024-05-01T15:00:00Z"), Client: tbAddr("192.0.2.1"), ClientPort: 5300, Server: tbAddr("198.51.100.53"),
			Name: "example.com", RawName: "Example.COM.", Type: TypeA, RCode: RCodeNoError, Pos: Position{Line: 2}},
		{Time: tbTime(t, "2024-05-01T10:00:01.5Z"), Client: tbAddr("2001:db8::1"), Server: tbAddr("2001:db8::53"), ServerPort: 53,
			Name: "b.example", RawName: "b.example", Type: TypeAAAA, RCode: RCodeNXDomain, Pos: Position{Line: 3}},
		{Time: tbTime(t, "2024-05-01T10:00:02Z"), Client: tbAddr("192.0.2.2"),
			Name: "_dmarc.example", RawName: "_dmarc.example", Type: TypeTXT, RCode: RCodeUnknown, Pos: Position{Line: 4}},
		// A short row: the missing optional columns are empty.
		{Time: tbTime(t, "2024-05-01T15:00:03Z"), Client: tbAddr("192.0.2.3"),
			Name: "c.example", RawName: "c.example", RCode: RCodeUnknown, Pos: Position{Line: 6}},
	}
	for i := range want {
		want[i].Format = FormatCSV
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantErrs := []tbErr{
		{7, 21, ErrAddr},
		{8, 31, ErrName},
		{9, 41, ErrType},
		{10, 44, ErrField},
		{11, 1, ErrTime},
		{12, 31, ErrField},
		{13, 30, ErrField},
		{14, 43, ErrField},
	}
	if diff := cmp.Diff(wantErrs, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCSVNoHeader(t *testing.T) {
	// Neither a header nor an Umbrella row: every line is an error until
	// a header appears.
	const input = "2024-05-01 10:00:00,192.0.2.1,a.example\nts,client,qname,qtype\n2024-05-01 10:00:00,192.0.2.1,a.example,A\n"
	evs, errs := tbReadAll(t, FormatCSV, input)
	if len(evs) != 1 || evs[0].Name != "a.example" || evs[0].Type != TypeA || evs[0].Pos.Line != 3 {
		t.Errorf("events %+v, want a.example A at line 3", evs)
	}
	if diff := cmp.Diff([]tbErr{{1, 1, ErrField}}, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCSVUmbrella(t *testing.T) {
	// Made-up rows in Umbrella's header-less layout, with the irregular
	// spacing, 10- and 13-column rows and commas inside quotes.
	const input = `"2024-06-01 00:00:01","Lab PC","Lab PC,Site A, Net 1","10.20.30.40","203.0.113.9","Allowed","28 (AAAA)","NOERROR","Files.Example.net.","Cloud Storage,Application","Roaming Computers","Roaming Computers,Sites",""
"2024-06-01 00:00:02","Lab PC", "Lab PC,Site A", "10.20.30.41","203.0.113.9","Blocked","1 (A)", "NXDOMAIN","bad.example.", "Malware,Security"
"2024-06-01 00:00:03","Lab PC","Lab PC","10.20.30.42","203.0.113.9","Allowed","65 (HTTPS)","SERVFAIL","svc.example."
"2024-06-01 00:00:04","Lab PC","Lab PC","10.20.30.42","203.0.113.9","Allowed","1 (A)","NOERROR"
`
	evs, errs := tbReadAll(t, FormatCSV, input)
	want := []Event{
		{Time: tbTime(t, "2024-06-01T00:00:01Z"), Client: tbAddr("10.20.30.40"),
			Name: "files.example.net", RawName: "Files.Example.net.", Type: TypeAAAA, RCode: RCodeNoError, Pos: Position{Line: 1}},
		{Time: tbTime(t, "2024-06-01T00:00:02Z"), Client: tbAddr("10.20.30.41"),
			Name: "bad.example", RawName: "bad.example.", Type: TypeA, RCode: RCodeNXDomain, Pos: Position{Line: 2}},
		{Time: tbTime(t, "2024-06-01T00:00:03Z"), Client: tbAddr("10.20.30.42"),
			Name: "svc.example", RawName: "svc.example.", Type: TypeHTTPS, RCode: RCodeServFail, Pos: Position{Line: 3}},
	}
	for i := range want {
		want[i].Format = FormatCSV
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]tbErr{{4, 96, ErrField}}, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCSVDateAndTime(t *testing.T) {
	const input = `"Date","Time","Identity","Internal IP","External IP","Action","Query Type","Response Code","Domain"
"2024-05-01","10:00:00","Lab PC","192.0.2.4","203.0.113.9","Allowed","1 (A)","NOERROR","a.example."
"2024-05-01","25:00:00","Lab PC","192.0.2.4","203.0.113.9","Allowed","1 (A)","NOERROR","a.example."
`
	evs, errs := tbReadAll(t, FormatCSV, input)
	want := []Event{{Time: tbTime(t, "2024-05-01T10:00:00Z"), Client: tbAddr("192.0.2.4"), Name: "a.example", RawName: "a.example.",
		Type: TypeA, RCode: RCodeNoError, Format: FormatCSV, Pos: Position{Line: 2}}}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]tbErr{{3, 2, ErrTime}}, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCSVCustomColumns(t *testing.T) {
	cols := maps.Clone(DefaultCSVColumns)
	cols["requesting host"] = CSVClient
	cols["looked up"] = CSVName
	r := NewReader(strings.NewReader("Time;Requesting Host;Looked Up\n2024-05-01T00:00:00Z;192.0.2.9;x.example\n"))
	r.Format = FormatCSV
	r.CSVColumns = cols
	evs, err := readAllEvents(r)
	if err != nil || len(evs) != 1 || evs[0].Client != tbAddr("192.0.2.9") || evs[0].Name != "x.example" {
		t.Errorf("events %+v, error %v", evs, err)
	}
	// The default mapping is untouched: the same file does not parse.
	r = NewReader(strings.NewReader("Time;Requesting Host;Looked Up\n2024-05-01T00:00:00Z;192.0.2.9;x.example\n"))
	r.Format = FormatCSV
	if _, err := readAllEvents(r); err == nil {
		t.Errorf("default columns read a layout they do not know")
	}
}

func TestCSVCorpus(t *testing.T) {
	evs, _ := tbCorpus(t, FormatCSV, 15, 0, "csv", "cisco_umbrella_test-umbrella-dnslogs.log")
	const file = "cisco_umbrella_test-umbrella-dnslogs.log"
	ev := func(line int64, ts, client, name string, typ Type) Event {
		return Event{Time: tbTime(t, ts), Client: tbAddr(client), Name: name, RawName: name + ".", Type: typ,
			RCode: RCodeNoError, Format: FormatCSV, Pos: Position{file, line}}
	}
	want := map[int]Event{
		0:  ev(1, "2020-07-23T23:49:54Z", "192.168.1.1", "www.elastic.co", TypeA),
		8:  ev(9, "2015-01-16T17:48:41Z", "10.10.1.100", "domain-visited.com", TypeA), // 10 columns, spaces after commas
		9:  ev(10, "2015-01-16T17:48:41Z", "10.10.1.100", "android.googleapis.com", TypeA),
		11: ev(12, "2023-05-05T12:50:00Z", "2a02:cf40::1", "us-v10c.events.data.microsoft.com", TypeAAAA),
		14: ev(15, "2023-05-05T12:40:01Z", "192.168.4.66", "outlook.office365.com", TypeA),
	}
	for i, w := range want {
		if i >= len(evs) {
			t.Errorf("no event %d", i)
			continue
		}
		if diff := cmp.Diff(w, evs[i], tbOpts); diff != "" {
			t.Errorf("event %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestCSVSniff(t *testing.T) {
	for _, lines := range [][]string{
		{`"2024-06-01 00:00:01","Lab PC","Lab PC,Site A","10.20.30.40","203.0.113.9","Allowed","28 (AAAA)","NOERROR","files.example.net.","Cloud Storage"`},
		{`timestamp,src_ip,dst_ip,query,qtype,rcode,action`, `2024-05-01T10:00:00Z,192.0.2.1,192.0.2.53,a.example,A,NOERROR,allow`},
	} {
		if f, s := tbSniffBest(lines); f != FormatCSV {
			t.Errorf("sniff %q: best %s (%d), want csv", lines, f, s)
		}
	}
}

func FuzzCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { tbFuzzLines(t, FormatCSV, data) })
}

// readAllEvents reads r to the end, stopping at the first error.
func readAllEvents(r *Reader) ([]Event, error) {
	var evs []Event
	for {
		ev, err := r.Read()
		if errors.Is(err, io.EOF) {
			return evs, nil
		}
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}
