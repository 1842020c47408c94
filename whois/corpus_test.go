package whois

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func corpusDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("DNSNEXUS_CORPUS")
	if root == "" {
		t.Skip("DNSNEXUS_CORPUS not set")
	}
	return filepath.Join(root, "whois", "ipwhois")
}

// corpusSum is what the real-data test checks for each file.
type corpusSum struct {
	Kind     Kind
	Source   string
	Ranges   []string
	NetName  string
	Org      string
	Country  string
	OriginAS string
}

// TestCorpusIPWhois parses every file of $DNSNEXUS_CORPUS/whois/ipwhois.
// The expectations were written by reading each file. Route listings
// (radb_origin_*) become KindRoute records of all their prefixes, with the
// origin AS and the first descr as Org; the empty RADb answer is
// ErrNotFound and the bare "NONE" is ErrUnsupported.
func TestCorpusIPWhois(t *testing.T) {
	dir := corpusDir(t)
	net := func(src string, ranges []string, netname, org, cc string) corpusSum {
		return corpusSum{Kind: KindNetwork, Source: src, Ranges: ranges, NetName: netname, Org: org, Country: cc}
	}
	mtn := []string{"196.11.239.0/24", "196.11.240.0/22", "196.11.244.0/23", "196.11.246.0/24"}
	google15169 := []string{"66.249.64.0/20", "66.249.80.0/20", "74.125.57.240/29", "216.239.44.0/24", "216.239.45.0/24",
		"23.251.128.0/23", "23.251.128.0/24", "23.251.129.0/24", "23.251.130.0/23", "23.251.130.0/24"}
	want := map[string]corpusSum{
		"afrinic_196.11.240.215.txt":                net("AFRINIC", mtn, "NET-196-11-239-0", "MTN SA", "ZA"),
		"afrinic_2001_43f8_7b0__.txt":               net("AFRINIC", []string{"2001:43f8:7b0::/48"}, "Tespok", "Telecommunication Sevice  Providers Association of Kenya - TESPOK", "KE"),
		"apnic_2001_240_10c_1__ca20_9d1d.txt":       net("JPNIC", []string{"2001:240:10c::/48"}, "IIJ-PRJNET", "Internet Initiative Japan Inc.", "JP"),
		"apnic_210.107.73.73.txt":                   net("APNIC", []string{"210.107.0.0/17"}, "BORANET-NET-210-107", "DACOM Corp.", "KR"),
		"arin_2001_4860_4860__8888.txt":             {Kind: KindNetwork, Source: "ARIN", Ranges: []string{"2001:4860::/32"}, NetName: "GOOGLE-IPV6", Org: "Google Inc.", Country: "US", OriginAS: "AS15169"},
		"arin_74.125.225.229.txt":                   net("ARIN", []string{"74.125.0.0/16"}, "GOOGLE", "Google Inc.", "US"),
		"jpnic_133.1.2.5.html":                      net("JPNIC", []string{"133.1.0.0/16"}, "OSAKAU-NET", "Osaka University", "JP"),
		"krnic_115.1.2.3.html":                      net("KRNIC", []string{"115.1.2.0/26"}, "", "KT", "KR"),
		"lacnic_200.57.141.161.txt":                 net("LACNIC", []string{"200.57.128.0/19"}, "", "Triara.com, S.A. de C.V.", "MX"),
		"lacnic_2801_10_c000__.txt":                 net("LACNIC", []string{"2801:10:c000::/48"}, "", "Universidad Catolica de Oriente", "CO"),
		"ripencc_2a00_2381_ffff__1.txt":             {Kind: KindNetwork, Source: "RIPE", Ranges: []string{"2a00:2381:ffff::/64"}, NetName: "BT-WORLD-IPVSIX-LAUNCH", Org: "BT World IPv6 Launch", Country: "GB", OriginAS: "AS2856"},
		"ripencc_62.239.237.1.txt":                  {Kind: KindNetwork, Source: "RIPE", Ranges: []string{"62.239.237.0/24"}, NetName: "BT-CORPORATE", Org: "UDC", Country: "GB", OriginAS: "AS2856"},
		"rdap_afrinic_196.11.240.215.json":          net("AFRINIC", mtn, "ORG-VSA1-AFRINIC", "ORG-VSA1-AFRINIC", "ZA"),
		"rdap_afrinic_2001_43f8_7b0__.json":         net("AFRINIC", []string{"2001:43f8:7b0::/48"}, "ORG-TA38-AFRINIC", "ORG-TA38-AFRINIC", "KE"),
		"rdap_apnic_2001_240_10c_1__ca20_9d1d.json": net("APNIC", []string{"2001:240::/32"}, "IIJ-JPNIC-JP-20000308", "Japan Network Information Center", "JP"),
		"rdap_apnic_210.107.73.73.json":             net("APNIC", []string{"210.107.0.0/17"}, "BORANET-NET-210-107", "DACOM Corp.", "KR"),
		// ARIN's RDAP network carries no country.
		"rdap_arin_2001_4860_4860__8888.json": net("ARIN", []string{"2001:4860::/32"}, "GOOGLE-IPV6", "Google Inc.", ""),
		"rdap_arin_74.125.225.229.json":       net("ARIN", []string{"74.125.0.0/16"}, "GOOGLE", "Google Inc.", ""),
		// LACNIC's RDAP answers give the queried address as both ends.
		"rdap_lacnic_200.57.141.161.json":              net("LACNIC", []string{"200.57.141.161/32"}, "Triara.com, S.A. de C.V.", "Triara.com, S.A. de C.V.", "MX"),
		"rdap_lacnic_2801_10_c000__.json":              net("LACNIC", []string{"2801:10:c000::/128"}, "Universidad Catolica de Oriente", "Universidad Catolica de Oriente", "CO"),
		"rdap_ripencc_2a00_2381_ffff__1.json":          net("RIPE", []string{"2a00:2381:ffff::/64"}, "BT-WORLD-IPVSIX-LAUNCH", "BT World IPv6 Launch", "GB"),
		"rdap_ripencc_62.239.237.1.json":               net("RIPE", []string{"62.239.237.0/24"}, "BT-CORPORATE", "UDC", "GB"),
		"radb_origin_AS15169_2001_4860_4860__8888.txt": {Kind: KindRoute, Source: "RADB", Ranges: append(google15169[:10:10], "23.251.131.0/24"), Org: "Google", OriginAS: "AS15169"},
		"radb_origin_AS19373_200.57.141.161.txt":       {Kind: KindRoute, Source: "RADB", Ranges: []string{"200.57.144.0/20"}, Org: "IC_AMERICA_MOVIL_OLLEROS", OriginAS: "AS19373"},
		"radb_origin_AS37578_2001_43f8_7b0__.txt":      {Kind: KindRoute, Source: "AFRINIC", Ranges: []string{"196.6.220.0/24", "2001:43f8:7b0::/48"}, Org: "KIXP Nairobi Management Network", OriginAS: "AS37578"},
	}
	// Long route listings: checked for kind, origin and prefix count.
	routeCounts := map[string]struct {
		origin string
		n      int
	}{
		"radb_origin_AS15169_74.125.225.229.txt":           {"AS15169", 25},
		"radb_origin_AS2497_2001_240_10c_1__ca20_9d1d.txt": {"AS2497", 14},
		"radb_origin_AS2856_2a00_2381_ffff__1.txt":         {"AS2856", 9},
		"radb_origin_AS2856_62.239.237.1.txt":              {"AS2856", 8},
		"radb_origin_AS3786_210.107.73.73.txt":             {"AS3786", 14},
	}
	wantErr := map[string]error{
		"radb_origin_AS12091_196.11.240.215.txt": ErrNotFound,
		"radb_origin_ASNA_2801_10_c000__.txt":    ErrUnsupported,
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		if name == "SOURCES.txt" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			r, err := ParseFile(f)
			if e, ok := wantErr[name]; ok {
				if !errors.Is(err, e) {
					t.Fatalf("err = %v, want %v", err, e)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rc, ok := routeCounts[name]; ok {
				if r.Kind != KindRoute || r.OriginAS != rc.origin || len(r.Ranges) != rc.n {
					t.Errorf("got kind %s origin %s %d prefixes; want route %s %d", r.Kind, r.OriginAS, len(r.Ranges), rc.origin, rc.n)
				}
				return
			}
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			got := corpusSum{Kind: r.Kind, Source: r.Source, NetName: r.NetName, Org: r.Org, Country: r.Country, OriginAS: r.OriginAS}
			for _, p := range r.Ranges {
				got.Ranges = append(got.Ranges, p.String())
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// parserTestdata finds the whois-parser module's testdata in the module
// cache, or skips.
func parserTestdata(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/likexian/whois-parser").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Skip("whois-parser module not in the module cache")
	}
	dir := filepath.Join(m.Dir, "testdata")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no %s", dir)
	}
	return dir
}

// TestWhoisParserNotError parses every raw record of the domain parser's
// own noterror samples: none may panic, and each either parses or fails
// with a classified error.
func TestWhoisParserNotError(t *testing.T) {
	dir := parserTestdata(t)
	files, _ := filepath.Glob(filepath.Join(dir, "noterror", "*"))
	var parsed, failed, panicked int
	for _, f := range files {
		if strings.HasSuffix(f, ".json") || strings.HasSuffix(f, ".pre") || strings.HasSuffix(f, ".md") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := Parser{File: filepath.Base(f)}
		_, err = p.ParseBytes(b)
		switch {
		case err == nil:
			parsed++
		case errors.Is(err, ErrParserPanic):
			panicked++
			t.Logf("%v", err)
		default:
			failed++
			t.Logf("%v", err)
		}
	}
	t.Logf("noterror: %d parsed, %d failed with an error, %d recovered panics", parsed, failed, panicked)
	if parsed == 0 || failed > 0 || panicked > 0 {
		t.Errorf("want every sample parsed")
	}
}

// TestWhoisParserNotFound checks that every notfound sample gives
// ErrNotFound.
func TestWhoisParserNotFound(t *testing.T) {
	dir := parserTestdata(t)
	files, _ := filepath.Glob(filepath.Join(dir, "notfound", "*"))
	if len(files) == 0 {
		t.Skip("no notfound samples")
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Parse(b)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: err = %v (domain %q), want ErrNotFound", filepath.Base(f), err, r.Domain)
		}
	}
}
