package pivot

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/whois"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// replicaHistory reads the replica's Zeek log with the file named as in
// the report ("recursive_dns.log").
func replicaHistory(t testing.TB) *History {
	t.Helper()
	f, err := os.Open(filepath.Join(replicaDir, "recursive_dns.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := dnslog.NewReader(f)
	r.File = "recursive_dns.log"
	var h History
	if err := h.AddAll(context.Background(), r.All()); err != nil {
		t.Fatal(err)
	}
	return &h
}

func replicaTable(t testing.TB) *whois.Table {
	t.Helper()
	tab, err := whois.LoadFiles(context.Background(),
		filepath.Join(replicaDir, "trump-email.com.whois"),
		filepath.Join(replicaDir, "contact-client.com.whois"),
		filepath.Join(replicaDir, "66.216.133.29.whois"))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestReplicaHistory checks the facts the replica was built on: the mail
// host resolved to 66.216.133.29 up to 22 September 2016 and stopped
// resolving on 23 September, when trump1.contact-client.com appeared on
// the same address.
func TestReplicaHistory(t *testing.T) {
	h := replicaHistory(t)
	if h.Malformed() != 0 {
		t.Fatalf("malformed answers: %v", h.Errors())
	}
	n := h.Name("mail1.trump-email.com")
	if n == nil {
		t.Fatal("mail1.trump-email.com not seen")
	}
	mailAddr := netip.MustParseAddr("66.216.133.29")
	if diff := cmp.Diff([]netip.Addr{mailAddr}, n.Addrs(), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if len(n.Changes) != 1 {
		t.Fatalf("changes: %+v, want one", n.Changes)
	}
	c := n.Changes[0]
	type summary struct {
		Kind              ChangeKind
		Before, After     string
		BeforeDay, Day    string
		BeforePos, AtLine int64
	}
	got := summary{c.Kind, resultText(c.Before), resultText(c.After), c.Before.Last.Format(time.DateOnly),
		c.After.First.Format(time.DateOnly), c.Before.LastPos.Line, c.After.FirstPos.Line}
	want := summary{ChangeStopped, "A 66.216.133.29", "NXDOMAIN", "2016-09-22", "2016-09-23", 15, 16}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("change (-want +got):\n%s", diff)
	}
	day := time.Date(2016, 9, 23, 0, 0, 0, 0, time.UTC)
	var names []string
	for _, b := range h.CoHosted(netip.PrefixFrom(mailAddr, 32), day, day.Add(24*time.Hour)) {
		names = append(names, b.Name)
	}
	if diff := cmp.Diff([]string{"trump1.contact-client.com"}, names); diff != "" {
		t.Errorf("names on 66.216.133.29 on 23 September (-want +got):\n%s", diff)
	}
	names = nil
	for _, b := range h.Addr(mailAddr) {
		names = append(names, b.Name)
	}
	if diff := cmp.Diff([]string{"mail1.trump-email.com", "trump1.contact-client.com"}, names); diff != "" {
		t.Errorf("names of 66.216.133.29 (-want +got):\n%s", diff)
	}
}

func TestReplicaMarkdown(t *testing.T) {
	h := replicaHistory(t)
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, h, "mail1.trump-email.com"); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&buf, h, "never.example"); err != nil {
		t.Fatal(err)
	}
	tab := replicaTable(t)
	buf.WriteString("\n")
	if err := WriteMail(&buf, h.Mail(tab, MailOptions{})); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n")
	if err := WriteHits(&buf, GroupByDomain(h.Search(Query{Pattern: regexp.MustCompile(`^(mail|trump)[0-9]`)}))); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n")
	if err := WriteRegistrants(&buf, DomainsByRegistrant(tab, "Trump Organization", MatchOptions{})); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n")
	if err := WriteNetworks(&buf, NetworksByOrg(tab, "Listrak", MatchOptions{})); err != nil {
		t.Fatal(err)
	}
	golden(t, "replica.md", buf.Bytes())
}

func TestReplicaJSON(t *testing.T) {
	h := replicaHistory(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, h.Name("mail1.trump-email.com")); err != nil {
		t.Fatal(err)
	}
	golden(t, "replica_name.json", buf.Bytes())
	// The JSON reads back: types as mnemonics, answers as text.
	var back struct {
		Name    string
		Changes []struct {
			Kind   string
			Type   string
			Before struct{ Answers []string }
			After  struct{ State string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Changes) != 1 || back.Changes[0].Type != "A" || back.Changes[0].After.State != "NXDOMAIN" ||
		cmp.Diff([]string{"A 66.216.133.29"}, back.Changes[0].Before.Answers) != "" {
		t.Errorf("JSON read back: %+v", back)
	}
}

func TestMail(t *testing.T) {
	var l logBuilder
	l.add(0, "example.com", dnslog.TypeMX, dnslog.RCodeNoError, "MX 10 MX1.Example.NET.", "MX 20 mx2.example.net.")
	l.add(1, "example.org", dnslog.TypeMX, dnslog.RCodeNoError, "mx1.example.net") // Zeek: exchange only
	l.add(2, "mx1.example.net", dnslog.TypeA, dnslog.RCodeNoError, "A 192.0.2.25")
	l.add(3, "smtp.example.org", dnslog.TypeA, dnslog.RCodeNoError, "198.51.100.25")
	l.add(4, "mail.example.org.corp.example", dnslog.TypeA, dnslog.RCodeNXDomain) // never resolved
	l.add(5, "www.example.org", dnslog.TypeA, dnslog.RCodeNoError, "198.51.100.80")
	h := l.history(nil)
	var tab whois.Table
	tab.Add(whois.Record{Kind: whois.KindNetwork, Ranges: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")},
		Org: "Example Mail Hosting", NetName: "EXMAIL"})
	tab.Add(whois.Record{Kind: whois.KindDomain, Domain: "example.net", Registrant: whois.Contact{Org: "Example Net Ltd"}})

	type row struct {
		Host, Registrant string
		MX               []string
		ByName           bool
		Addrs            []string
	}
	var got []row
	for _, m := range h.Mail(&tab, MailOptions{}) {
		r := row{Host: m.Host, Registrant: m.Registrant, ByName: m.ByName}
		for _, x := range m.MXFor {
			r.MX = append(r.MX, x.Domain+"/"+strconv.Itoa(x.Pref))
		}
		for _, a := range m.Addrs {
			r.Addrs = append(r.Addrs, a.Addr.String()+" "+a.NetName+" "+a.Owner)
		}
		got = append(got, r)
	}
	want := []row{
		{Host: "mx1.example.net", Registrant: "Example Net Ltd", MX: []string{"example.com/10", "example.org/-1"}, ByName: true,
			Addrs: []string{"192.0.2.25 EXMAIL Example Mail Hosting"}},
		{Host: "mx2.example.net", Registrant: "Example Net Ltd", MX: []string{"example.com/20"}},
		{Host: "smtp.example.org", ByName: true, Addrs: []string{"198.51.100.25  "}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Mail (-want +got):\n%s", diff)
	}
	if ms := h.Mail(nil, MailOptions{MXOnly: true}); len(ms) != 2 {
		t.Errorf("MXOnly: %d systems, want 2", len(ms))
	}
}

func TestSearch(t *testing.T) {
	var l logBuilder
	l.add(0, "mail.alpha-corp.example", dnslog.TypeA, dnslog.RCodeNoError, "www.beta.example", "192.0.2.1")
	l.add(1, "1.2.0.192.in-addr.arpa", dnslog.TypePTR, dnslog.RCodeNoError, "alpha-gw.gamma.co.uk")
	l.add(2, "txt.example", dnslog.TypeTXT, dnslog.RCodeNoError, `TXT "v=spf1 include:alpha-corp.example"`)
	l.add(3, "unrelated.example", dnslog.TypeA, dnslog.RCodeNXDomain)
	h := l.history(nil)
	hits := func(q Query) []string {
		var out []string
		for _, g := range GroupByDomain(h.Search(q)) {
			for _, x := range g.Hits {
				out = append(out, g.Domain+" "+x.Field.String()+" "+x.Text)
			}
		}
		return out
	}
	if diff := cmp.Diff([]string{
		` answer "v=spf1 include:alpha-corp.example"`,
		"alpha-corp.example query mail.alpha-corp.example",
		"gamma.co.uk ptr alpha-gw.gamma.co.uk",
	}, hits(Query{Word: "ALPHA"})); diff != "" {
		t.Errorf("word (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"gamma.co.uk ptr alpha-gw.gamma.co.uk"}, hits(Query{Word: "alpha", Fields: FieldPTR})); diff != "" {
		t.Errorf("PTR only (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"beta.example answer www.beta.example"},
		hits(Query{Pattern: regexp.MustCompile(`^www\.`)})); diff != "" {
		t.Errorf("regexp (-want +got):\n%s", diff)
	}
	ptr := h.Search(Query{Fields: FieldPTR})
	if len(ptr) != 1 || ptr[0].Addr != netip.MustParseAddr("192.0.2.1") || ptr[0].Name != "1.2.0.192.in-addr.arpa" {
		t.Errorf("PTR hit = %+v", ptr)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, ptr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"field": "ptr"`, `"type": "PTR"`, `"addr": "192.0.2.1"`, `"domain": "gamma.co.uk"`} {
		if !bytes.Contains(js.Bytes(), []byte(want)) {
			t.Errorf("hit JSON lacks %s:\n%s", want, js.String())
		}
	}
}
