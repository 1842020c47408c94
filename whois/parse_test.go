package whois

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// sum is the part of a Record the table tests compare.
type sum struct {
	Kind                      Kind
	Format                    Format
	Source                    string
	Ranges                    []string
	NetName, Org, OrgID       string
	Country, OriginAS, Abuse  string
	Referral                  string
	Domain, Registrar         string
	NameServers               []string
	Created, Updated, Expires string
	DateAmbiguous             bool
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func summarize(r Record) sum {
	s := sum{Kind: r.Kind, Format: r.Format, Source: r.Source, NetName: r.NetName, Org: r.Org, OrgID: r.OrgID,
		Country: r.Country, OriginAS: r.OriginAS, Abuse: r.Abuse.Email, Referral: r.Referral,
		Domain: r.Domain, Registrar: r.Registrar, NameServers: r.NameServers,
		Created: day(r.Created), Updated: day(r.Updated), Expires: day(r.Expires), DateAmbiguous: r.DateAmbiguous}
	for _, p := range r.Ranges {
		s.Ranges = append(s.Ranges, p.String())
	}
	return s
}

func TestParseTestdata(t *testing.T) {
	tests := []struct {
		file string
		want sum
	}{
		{"ripe_192.0.2.77.whois", sum{Kind: KindNetwork, Format: FormatRPSL, Source: "RIPE",
			Ranges: []string{"192.0.2.64/27"}, NetName: "EXAMPLE-BANK-NET", Org: "Example Bank JSC", OrgID: "ORG-EB1-TEST",
			Country: "RU", OriginAS: "AS64500", Abuse: "abuse@example.net",
			Created: "2015-03-04T05:06:07Z", Updated: "2021-09-10T11:12:13Z"}},
		{"arin_198.51.100.20.whois", sum{Kind: KindNetwork, Format: FormatARIN, Source: "ARIN",
			Ranges: []string{"198.51.100.16/28"}, NetName: "EXAMPLE-CUST-16", Org: "Example Customer LLC", OrgID: "C00000001",
			Country: "US", Created: "2018-07-08T00:00:00Z", Updated: "2018-07-08T00:00:00Z"}},
		{"arin_terse_198.51.100.200.whois", sum{Kind: KindNetwork, Format: FormatARIN, Source: "ARIN",
			Ranges: []string{"198.51.100.128/25"}, NetName: "EXAMPLE-RESELL", Org: "Example Reseller"}},
		{"arin_referral_203.0.113.9.whois", sum{Kind: KindNetwork, Format: FormatARIN, Source: "ARIN",
			Ranges: []string{"203.0.113.0/25"}, NetName: "EXAMPLE-RWHOIS", Org: "Example Hosting", OrgID: "EXHO", Country: "CA",
			Referral: "rwhois://rwhois.example.net:4321", Created: "2012-12-12T00:00:00Z", Updated: "2013-01-31T00:00:00Z"}},
		{"lacnic_203.0.113.200.whois", sum{Kind: KindNetwork, Format: FormatRPSL, Source: "LACNIC",
			Ranges: []string{"203.0.113.128/25"}, Org: "Ejemplo S.A.", OrgID: "MX-EJEM-LACNIC", Country: "MX",
			OriginAS: "AS64502", Abuse: "abuse@ejemplo.example", Created: "2000-12-04T00:00:00Z", Updated: "2014-07-16T00:00:00Z"}},
		{"rdap_2001_db8_1__53.json", sum{Kind: KindNetwork, Format: FormatRDAP, Source: "RIPE",
			Ranges: []string{"2001:db8:1::/48"}, NetName: "EXAMPLE-V6", Org: "Example IPv6 GmbH", OrgID: "ORG-EX6-TEST",
			Country: "DE", Abuse: "abuse@v6.example", Created: "2016-05-06T07:08:09Z", Updated: "2022-01-02T01:04:05Z"}},
		{"rdap_arin_192.0.2.1.json", sum{Kind: KindNetwork, Format: FormatRDAP, Source: "ARIN",
			Ranges: []string{"192.0.2.0/24"}, NetName: "EXAMPLE-PADDED", Org: "Example Padded Org", OrgID: "EXPA",
			Created: "2007-03-13T16:09:54Z"}},
		{"rdap_example.com.json", sum{Kind: KindDomain, Format: FormatRDAP, Domain: "example.com",
			Registrar: "Example Registrar, Inc.", Org: "Example Holdings", Country: "US",
			NameServers: []string{"ns1.example.net", "ns2.example.net"},
			Created:     "1995-08-14T04:00:00Z", Updated: "2024-08-14T07:01:38Z", Expires: "2030-08-13T04:00:00Z"}},
		{"example.org.whois", sum{Kind: KindDomain, Format: FormatDomain, Source: "whois.registrar.example",
			Domain: "example.org", Registrar: "Example Registrar LLC", Org: "Example Org Foundation", Country: "US",
			NameServers: []string{"ns1.example.org", "ns2.example.org"},
			Created:     "1999-05-31T00:00:00Z", Updated: "2023-05-06T07:08:09Z", Expires: "2031-05-30T11:00:00Z"}},
		{"example.net.whois", sum{Kind: KindDomain, Format: FormatDomain, Domain: "example.net",
			Registrar: "Example Registrar LLC", NameServers: []string{"ns1.example.net"},
			Updated: "2021-02-03T02:05:06Z", Expires: "2030-04-13T00:00:00Z", DateAmbiguous: true}},
		{"jpnic_192.0.2.5.html", sum{Kind: KindNetwork, Format: FormatJPNIC, Source: "JPNIC",
			Ranges: []string{"192.0.2.0/25"}, NetName: "EXAMPLE-JP-NET", Org: "Example & Sons K.K.", Country: "JP",
			NameServers: []string{"ns1.example.jp"}, Created: "2001-02-03T00:00:00Z", Updated: "2015-01-14T02:50:03Z"}},
		{"krnic_203.0.113.70.html", sum{Kind: KindNetwork, Format: FormatKRNIC, Source: "KRNIC",
			Ranges: []string{"203.0.113.64/26"}, Org: "Example Customer", Country: "KR", Created: "2015-03-17T00:00:00Z"}},
		{"rwhois_203.0.113.9.whois", sum{Kind: KindNetwork, Format: FormatRWhois, Source: "rwhois 203.0.113.0/25",
			Ranges: []string{"203.0.113.0/26"}, NetName: "EXAMPLE-RW-CUST", Org: "Example Rwhois Customer", Country: "CA",
			Created: "2014-01-02T00:00:00Z", Updated: "2015-02-03T00:00:00Z"}},
		{"radb_origin_AS64500.whois", sum{Kind: KindRoute, Format: FormatRPSL, Source: "RADB",
			Ranges: []string{"192.0.2.0/24", "2001:db8::/32"}, Org: "Example route one", OriginAS: "AS64500"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := ParseFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(r)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	big := strings.Repeat("remarks: x\n", DefaultMaxBytes/10)
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"blank", " \n\r\n\t", ErrEmpty},
		{"binary", "\x00\x01\x02\xff\xfe garbage", ErrBinary},
		{"html error page", readTestdata(t, "error.html"), ErrUnsupported},
		{"not found", readTestdata(t, "notfound.whois"), ErrNotFound},
		{"rate limited", readTestdata(t, "ratelimit.whois"), ErrRateLimited},
		{"too large", big, ErrTooLarge},
		{"bad json", `{"objectClassName": "ip network", "startAddress": `, ErrSyntax},
		{"rdap 404", `{"errorCode": 404, "title": "Not Found"}`, ErrNotFound},
		{"rdap 429", `{"errorCode": 429, "title": "Too Many Requests"}`, ErrRateLimited},
		{"bad inetnum", "inetnum: 192.0.2.0 - banana\nnetname: X\n", ErrSyntax},
		{"rpsl without networks", "person: Someone\nnic-hdl: X1-TEST\n", ErrUnsupported},
		{"ripe no entries", "%ERROR:101: no entries found\n", ErrNotFound},
		{"unknown text", "NONE", ErrUnsupported},
		{"reserved domain", "Domain example.test is a reserved domain name.\n", ErrReserved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseErrorPosition(t *testing.T) {
	p := Parser{File: "x.whois"}
	_, err := p.ParseBytes([]byte("% comment\n\ninetnum: 192.0.2.0 - nope\n"))
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if got, want := err.Error(), `x.whois:3: rpsl: syntax error: bad range "192.0.2.0 - nope"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = p.ParseBytes([]byte("{\n  \"a\": 1,\n  oops\n}"))
	if !errors.As(err, &pe) || pe.Line != 3 {
		t.Errorf("JSON error %v: want line 3", err)
	}
}

func TestParseReader(t *testing.T) {
	p := Parser{MaxBytes: 100}
	_, err := p.Parse(strings.NewReader(strings.Repeat("x", 101)))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("101 bytes with MaxBytes 100: err = %v, want ErrTooLarge", err)
	}
	_, err = p.Parse(strings.NewReader("inetnum: 192.0.2.0/24\n"))
	if err != nil {
		t.Errorf("small input: %v", err)
	}
}

// TestParseHugeBoundedMemory feeds a 100 MB answer through Parse and checks
// that it is refused after reading only MaxBytes+1 bytes.
func TestParseHugeBoundedMemory(t *testing.T) {
	r := &countingReader{n: 100 << 20}
	_, err := (&Parser{}).Parse(r)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if read := int64(100<<20) - r.n; read > DefaultMaxBytes+1 {
		t.Errorf("read %d bytes, want at most %d", read, DefaultMaxBytes+1)
	}
}

type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errEOF
	}
	k := min(int64(len(p)), r.n)
	for i := range p[:k] {
		p[i] = 'a'
	}
	r.n -= k
	return int(k), nil
}

var errEOF = errors.New("EOF")

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRangePrefixes(t *testing.T) {
	tests := []struct {
		first, last string
		want        []string
	}{
		{"192.0.2.0", "192.0.2.255", []string{"192.0.2.0/24"}},
		{"217.12.96.0", "217.12.97.255", []string{"217.12.96.0/23"}},
		{"192.0.2.1", "192.0.2.6", []string{"192.0.2.1/32", "192.0.2.2/31", "192.0.2.4/31", "192.0.2.6/32"}},
		{"196.11.239.0", "196.11.246.255", []string{"196.11.239.0/24", "196.11.240.0/22", "196.11.244.0/23", "196.11.246.0/24"}},
		{"0.0.0.0", "255.255.255.255", []string{"0.0.0.0/0"}},
		{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", []string{"::/0"}},
		{"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", []string{"2001:db8::/32"}},
		{"192.0.2.9", "192.0.2.9", []string{"192.0.2.9/32"}},
		{"192.0.2.9", "192.0.2.8", nil},
		{"192.0.2.9", "2001:db8::", nil},
	}
	for _, tt := range tests {
		got := RangePrefixes(netip.MustParseAddr(tt.first), netip.MustParseAddr(tt.last))
		var gs []string
		for _, p := range got {
			gs = append(gs, p.String())
		}
		if diff := cmp.Diff(tt.want, gs); diff != "" {
			t.Errorf("RangePrefixes(%s, %s) (-want +got)\n%s", tt.first, tt.last, diff)
		}
	}
}

func TestParseRangesQuirks(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"200.57.128/19", []string{"200.57.128.0/19"}},
		{"074.125.000.000 - 074.125.255.255", []string{"74.125.0.0/16"}},
		{"62.239.237.0/32 - 62.239.237.255/32", []string{"62.239.237.0/24"}},
		{"2001:0240::/32", []string{"2001:240::/32"}},
		{"115.0.0.0 - 115.23.255.255 (/12+/13)", []string{"115.0.0.0/12", "115.16.0.0/13"}},
		{"192.0.2.0/24, 198.51.100.0/24", []string{"192.0.2.0/24", "198.51.100.0/24"}},
		{"::ffff:192.0.2.0/120", []string{"192.0.2.0/24"}},
	}
	for _, tt := range tests {
		got, ok := parseRanges(tt.in)
		if !ok {
			t.Errorf("parseRanges(%q) failed", tt.in)
			continue
		}
		var gs []string
		for _, p := range got {
			gs = append(gs, p.String())
		}
		if diff := cmp.Diff(tt.want, gs); diff != "" {
			t.Errorf("parseRanges(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in        string
		want      string
		ambiguous bool
	}{
		{"2021-02-03T04:05:06Z", "2021-02-03T04:05:06Z", false},
		{"2021-02-03 04:05:06 -0700", "2021-02-03T11:05:06Z", false},
		{"2021-02-03 04:05:06 +02:00", "2021-02-03T02:05:06Z", false},
		{"31 May 1999", "1999-05-31T00:00:00Z", false},
		{"31-May-1999", "1999-05-31T00:00:00Z", false},
		{"20001204", "2000-12-04T00:00:00Z", false},
		{"2015/01/14 11:50:03(JST)", "2015-01-14T02:50:03Z", false},
		{"13/04/2030", "2030-04-13T00:00:00Z", false},
		{"04/13/2030", "2030-04-13T00:00:00Z", false},
		{"03/04/2020", "", true},
		{"05/05/2020", "2020-05-05T00:00:00Z", false},
		{"31.12.2019", "2019-12-31T00:00:00Z", false},
	}
	for _, tt := range tests {
		got, amb, ok := parseDate(tt.in, nil)
		if !ok {
			t.Errorf("parseDate(%q) not ok", tt.in)
			continue
		}
		if day(got) != tt.want || amb != tt.ambiguous {
			t.Errorf("parseDate(%q) = %s, %v; want %s, %v", tt.in, day(got), amb, tt.want, tt.ambiguous)
		}
	}
	// A zone-less date is read in the given location.
	tokyo := time.FixedZone("JST", 9*3600)
	got, _, _ := parseDate("2020-01-01 09:00:00", tokyo)
	if want := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("zone-less in JST = %v, want %v UTC", got, want)
	}
	if _, _, ok := parseDate("yesterday", nil); ok {
		t.Error(`parseDate("yesterday") ok`)
	}
}

func TestQueryPicksCovering(t *testing.T) {
	b := []byte(readTestdata(t, "ripe_192.0.2.77.whois"))
	p := Parser{Query: netip.MustParseAddr("192.0.2.200")}
	r, err := p.ParseBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.NetName != "EXAMPLE-WIDE" {
		t.Errorf("query 192.0.2.200 picked %q, want EXAMPLE-WIDE", r.NetName)
	}
	if got := len(r.Objects); got != 6 {
		t.Errorf("kept %d objects, want 6", got)
	}
	if diff := cmp.Diff([]string{"resolvers for the head office"}, (Record{Remarks: objRemarks(r, "EXAMPLE-BANK-NET")}).Remarks, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("continuation lines (-want +got)\n%s", diff)
	}
}

func objRemarks(r Record, netname string) []string {
	for _, o := range r.Objects {
		if o.Get("netname") == netname {
			return o.GetAll("remarks")
		}
	}
	return nil
}

func TestHintAddr(t *testing.T) {
	for in, want := range map[string]string{
		"217.12.96.15.whois":            "217.12.96.15",
		"arin_74.125.225.229.txt":       "74.125.225.229",
		"rdap_arin_2001_db8__1.json":    "2001:db8::1",
		"dir/ripe_192.0.2.77.whois":     "192.0.2.77",
		"example.com.whois":             "invalid IP",
		"radb_origin_AS64500_192.0.2.1": "192.0.2.1",
	} {
		if got := hintAddr(in).String(); got != want {
			t.Errorf("hintAddr(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDomainParserPanicRecovered(t *testing.T) {
	r, err := ParseFile(filepath.Join("testdata", "nl_registrar_lines.whois"))
	if !errors.Is(err, ErrParserPanic) {
		t.Fatalf("err = %v (record %+v), want ErrParserPanic", err, r.Domain)
	}
	t.Log(err)
}

func TestDomainTooLarge(t *testing.T) {
	in := "Domain Name: EXAMPLE.COM\n" + strings.Repeat("Remark: x\n", DomainMaxBytes/10+1)
	if _, err := Parse([]byte(in)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestStripHTML(t *testing.T) {
	in := "<HTML><Script type=x>var a = '<pre>';</SCRIPT><pre>a. [Network Number] <A HREF=\"x\">192.0.2.0/24</A><br>b &amp; c &lt;d&gt;<!-- gone -->\n1 < 2</pre>"
	want := "a. [Network Number] 192.0.2.0/24\nb & c <d>\n1 < 2"
	if got := stripHTML(in); got != want {
		t.Errorf("stripHTML = %q, want %q", got, want)
	}
}

// TestHostileInputsFast checks that inputs built to trigger quadratic
// behaviour are refused or parsed quickly.
func TestHostileInputsFast(t *testing.T) {
	cases := map[string]string{
		"nl registrar lines": "Domain name: example.nl\nRegistrar:\n" + strings.Repeat("x\n", 30000),
		"unclosed tags":      "<html>" + strings.Repeat("<a", 300000),
		"terse lines":        strings.Repeat("A B (NET-1) 192.0.2.0 - 192.0.2.255\n", 20000),
		"continuations":      "inetnum: 192.0.2.0/24\nremarks: a\n" + strings.Repeat("+ b\n", 200000),
	}
	for name, in := range cases {
		start := time.Now()
		Parse([]byte(in))
		d := time.Since(start)
		t.Logf("%s: %d bytes in %v", name, len(in), d)
		if d > 5*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
