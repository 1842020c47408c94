package replica_test

import (
	"bytes"
	"flag"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dnsnexus/dnsnexus/internal/replica"
)

var update = flag.Bool("update", false, "rewrite testdata/tealeaves from the generator")

// goldenDir is the project's copy of the replica.
var goldenDir = filepath.Join("..", "..", "testdata", "tealeaves")

func readDir(t *testing.T, dir string) []replica.File {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []replica.File
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, replica.File{Name: e.Name(), Data: b})
	}
	return files
}

func names(files []replica.File) []string {
	var n []string
	for _, f := range files {
		n = append(n, f.Name)
	}
	slices.Sort(n)
	return n
}

func fileMap(files []replica.File) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Name] = f.Data
	}
	return m
}

// TestGolden regenerates the replica into a temporary folder and compares it
// byte for byte with testdata/tealeaves, so that a stale copy fails.
func TestGolden(t *testing.T) {
	if *update {
		if err := replica.Generate(goldenDir, replica.DefaultSeed); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := replica.Generate(dir, replica.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	got, want := readDir(t, dir), readDir(t, goldenDir)
	if diff := cmp.Diff(names(want), names(got)); diff != "" {
		t.Fatalf("file names (-want +got):\n%s\nrun go generate at the module root", diff)
	}
	gm := fileMap(got)
	for _, w := range want {
		if !bytes.Equal(w.Data, gm[w.Name]) {
			diff := cmp.Diff(strings.Split(string(w.Data), "\n"), strings.Split(string(gm[w.Name]), "\n"))
			t.Errorf("%s is stale (-want +got):\n%s\nrun go generate at the module root", w.Name, diff)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := replica.Files(7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := replica.Files(7)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two runs with seed 7 differ (-first +second):\n%s", diff)
	}
	c, err := replica.Files(8)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(fileMap(a)[replica.ServerLogs[0]], fileMap(c)[replica.ServerLogs[0]]) {
		t.Error("seeds 7 and 8 give the same ns1 log")
	}
}

// replicaData is a replica read back with the local parser.
type replicaData struct {
	files   map[string][]byte
	lines   []logLine
	lookups []lookup
}

func load(t *testing.T, files []replica.File) replicaData {
	t.Helper()
	d := replicaData{files: fileMap(files)}
	for i, name := range replica.ServerLogs {
		b, ok := d.files[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		lines, err := parseLog(bytes.NewReader(b), name, i)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSortedFunc(lines, func(a, b logLine) int { return a.t.Compare(b.t) }) {
			t.Errorf("%s is not sorted by time", name)
		}
		d.lines = append(d.lines, lines...)
	}
	d.lookups = dedup(d.lines, replica.DedupWindow)
	return d
}

// mail returns the lookups of the mail host.
func (d replicaData) mail() []lookup {
	var out []lookup
	for _, l := range d.lookups {
		if l.name == replica.MailHost {
			out = append(out, l)
		}
	}
	return out
}

func perResolver(lk []lookup) map[netip.Addr]int {
	m := map[netip.Addr]int{}
	for _, l := range lk {
		m[l.res]++
	}
	return m
}

// TestFigures checks the published figures on the project's copy and on
// replicas made with other seeds.
func TestFigures(t *testing.T) {
	t.Run("testdata", func(t *testing.T) { checkFigures(t, load(t, readDir(t, goldenDir))) })
	for _, seed := range []uint64{1, 2} {
		t.Run("seed"+strconv.FormatUint(seed, 10), func(t *testing.T) {
			files, err := replica.Files(seed)
			if err != nil {
				t.Fatal(err)
			}
			checkFigures(t, load(t, files))
		})
	}
}

func checkFigures(t *testing.T, d replicaData) {
	mail := d.mail()
	byRes := perResolver(mail)
	a, b := byRes[replica.BankResolverA], byRes[replica.BankResolverB]
	health := byRes[replica.HealthResolver]
	total := len(mail)

	t.Run("counts", func(t *testing.T) {
		got := map[string]int{
			"bank":    a + b,
			"health":  health,
			"other":   byRes[replica.BankOther],
			"unknown": byRes[replica.UnknownResolver],
			"all":     total,
		}
		want := map[string]int{"bank": 2820, "health": 714, "other": 5, "unknown": 13, "all": 2820 + 714 + 5 + 13}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lookups of %s (-want +got):\n%s", replica.MailHost, diff)
		}
		// Any window well under the TTL counts the same.
		if diff := cmp.Diff(byRes, perResolver(onlyMail(dedup(d.lines, 30*time.Minute)))); diff != "" {
			t.Errorf("counts with a 30 min window differ from those with %v (-%v +30m):\n%s", replica.DedupWindow, replica.DedupWindow, diff)
		}
		// De-duplication matters: many lookups reach more than one server.
		multi := 0
		for _, l := range mail {
			if l.servers&(l.servers-1) != 0 {
				multi++
			}
		}
		t.Logf("lookups per resolver %v; %d lines, %d lookups, %d at more than one server", byRes, len(d.lines), total, multi)
		if f := float64(multi) / float64(total); f < 0.15 || len(d.lines) <= total {
			t.Errorf("%.1f %% of lookups logged at more than one server (%d lines, %d lookups); want at least 15 %%", 100*f, len(d.lines), total)
		}
	})

	t.Run("shares", func(t *testing.T) {
		bank := float64(a+b) / float64(total)
		orgs := float64(a+b+byRes[replica.BankOther]+health) / float64(total)
		t.Logf("bank share %.4f, organisations %.4f, health/bank server %.3f", bank, orgs, float64(health)/(float64(a+b)/2))
		if bank < 0.78 || bank > 0.82 {
			t.Errorf("bank share %.3f, want about 0.80", bank)
		}
		if orgs < 0.985 || orgs >= 1 {
			t.Errorf("two organisations' share %.4f, want about 0.99", orgs)
		}
		// Each bank server about the same; the health system about half of one.
		if math.Abs(float64(a-b)) > 0.05*float64(a+b)/2 {
			t.Errorf("bank servers %d and %d differ by more than 5 %%", a, b)
		}
		if r := float64(health) / (float64(a+b) / 2); r < 0.4 || r > 0.6 {
			t.Errorf("health system makes %.2f of one bank server's lookups, want about half", r)
		}
	})

	t.Run("dates", func(t *testing.T) {
		first, last := mail[0], mail[len(mail)-1]
		if !day(first.t).Equal(replica.Start) {
			t.Errorf("first lookup %v, want on %v", first.t, replica.Start.Format(time.DateOnly))
		}
		if !last.t.Equal(replica.LastLookup) || last.res != replica.BankResolverB {
			t.Errorf("last lookup %v by %v, want %v by %v", last.t, last.res, replica.LastLookup, replica.BankResolverB)
		}
		end := day(replica.LastLookup).AddDate(0, 0, 1)
		for _, l := range d.lookups {
			if l.t.Before(replica.Start) || !l.t.Before(end) {
				t.Errorf("lookup %v of %s outside 4 May - 23 Sep 2016", l.t, l.name)
			}
		}
	})

	t.Run("ending", func(t *testing.T) {
		var runOn, follow []lookup
		for _, l := range d.lookups {
			switch l.name {
			case replica.RunOnName:
				runOn = append(runOn, l)
			case replica.FollowName:
				follow = append(follow, l)
			}
		}
		if len(runOn) != 1 || runOn[0].res != replica.BankResolverB {
			t.Fatalf("run-on lookups %v, want one by %v", runOn, replica.BankResolverB)
		}
		if lead := replica.LastLookup.Sub(runOn[0].t); lead < 85*time.Second || lead > 95*time.Second {
			t.Errorf("run-on name asked %v before the last lookup, want about 90 s", lead)
		}
		if len(follow) == 0 {
			t.Fatalf("no lookups of %s", replica.FollowName)
		}
		for _, l := range follow {
			if !l.t.After(replica.LastLookup) || !day(l.t).Equal(day(replica.LastLookup)) {
				t.Errorf("%s looked up at %v, want after %v on the same day", l.name, l.t, replica.LastLookup)
			}
		}
	})

	t.Run("ttl and lock-step", func(t *testing.T) {
		times := map[netip.Addr][]time.Time{}
		for _, l := range mail {
			times[l.res] = append(times[l.res], l.t)
		}
		for res, ts := range times {
			for i := 1; i < len(ts); i++ {
				if g := ts[i].Sub(ts[i-1]); g < replica.TTL {
					t.Errorf("%v asks again after %v, less than the TTL", res, g)
				}
			}
		}
		paired := 0
		bt := times[replica.BankResolverB]
		for _, ta := range times[replica.BankResolverA] {
			i := sort.Search(len(bt), func(i int) bool { return !bt[i].Before(ta.Add(-10 * time.Second)) })
			if i < len(bt) && bt[i].Sub(ta) <= 10*time.Second {
				paired++
			}
		}
		t.Logf("lock-step: %d of %d", paired, a)
		if f := float64(paired) / float64(a); f < 0.85 {
			t.Errorf("%.2f of %v's lookups have one by %v within 10 s, want at least 0.85", f, replica.BankResolverA, replica.BankResolverB)
		}
	})

	t.Run("calendar", func(t *testing.T) {
		daily := dailyCounts(mail)
		for _, s := range replica.QuietSpells {
			for d := s.First; !d.After(s.Last); d = d.AddDate(0, 0, 1) {
				if n := daily[d]; n.bank+n.health != 0 {
					t.Errorf("%v: %d lookups in a quiet spell", d.Format(time.DateOnly), n.bank+n.health)
				}
			}
		}
		// The weekend of 23-24 July is a gap: the weekends around it are not.
		for _, d := range []time.Time{date(time.July, 16), date(time.July, 17), date(time.July, 30)} {
			if daily[d].bank == 0 {
				t.Errorf("no bank lookups on %v", d.Format(time.DateOnly))
			}
		}
		// Each spike day is busier than 90 % of the other active days.
		var other []int
		for d, n := range daily {
			if !slices.ContainsFunc(replica.SpikeDays, d.Equal) && n.bank+n.health > 0 {
				other = append(other, n.bank+n.health)
			}
		}
		slices.Sort(other)
		p90 := other[len(other)*9/10]
		for _, d := range replica.SpikeDays {
			if n := daily[d]; n.bank+n.health <= p90 {
				t.Errorf("spike day %v has %d lookups, not above the 90th percentile %d of other days", d.Format(time.DateOnly), n.bank+n.health, p90)
			}
		}
		// The health system's days track the bank's.
		var xs, ys []float64
		for d := replica.Start; !d.After(replica.LastLookup); d = d.AddDate(0, 0, 1) {
			xs = append(xs, float64(daily[d].bank))
			ys = append(ys, float64(daily[d].health))
		}
		t.Logf("spike threshold (p90 of other days) %d; spikes %v", p90, spikeCounts(daily))
		if r := pearson(xs, ys); r < 0.6 {
			t.Errorf("correlation of daily bank and health counts %.2f, want at least 0.6", r)
		}
	})

	t.Run("rhythm", func(t *testing.T) {
		var early, orgs int
		gaps := map[netip.Addr][]time.Time{}
		var inZone, bankSeen, healthIn, healthSeen int
		for _, l := range mail {
			gaps[l.res] = append(gaps[l.res], l.t)
			switch l.res {
			case replica.BankResolverA, replica.BankResolverB:
				orgs++
				if slices.ContainsFunc(replica.SpikeDays, day(l.t).Equal) {
					break
				}
				bankSeen++
				if h := l.t.In(replica.BankZone).Hour(); h >= 8 && h < 21 {
					inZone++
				}
			case replica.HealthResolver:
				orgs++
				if slices.ContainsFunc(replica.SpikeDays, day(l.t).Equal) {
					break
				}
				healthSeen++
				if h := l.t.In(replica.HealthZone).Hour(); h >= 8 && h < 21 {
					healthIn++
				}
			default:
				continue
			}
			if l.t.Minute() < 15 {
				early++
			}
		}
		var short, hour, late int
		for _, ts := range gaps {
			for i := 1; i < len(ts); i++ {
				g := ts[i].Sub(ts[i-1])
				if g >= 2*time.Hour {
					continue
				}
				short++
				if g < 70*time.Minute {
					hour++
				}
				if g >= 65*time.Minute && g < 70*time.Minute {
					late++
				}
			}
		}
		t.Logf("first quarter-hour %d/%d; bank in hours %d/%d; health in hours %d/%d; gaps <2h %d, 60-70 %d, 65-70 %d",
			early, orgs, inZone, bankSeen, healthIn, healthSeen, short, hour, late)
		if f := float64(early) / float64(orgs); f < 0.45 {
			t.Errorf("%.2f of lookups in the first quarter of the hour, want at least 0.45 (0.25 if uniform)", f)
		}
		if f := float64(inZone) / float64(bankSeen); f < 0.85 {
			t.Errorf("%.2f of the bank's lookups (spike days aside) in 08-21 Moscow time, want at least 0.85", f)
		}
		if f := float64(healthIn) / float64(healthSeen); f < 0.85 {
			t.Errorf("%.2f of the health system's lookups (spike days aside) in 08-21 New York time, want at least 0.85", f)
		}
		if f := float64(hour) / float64(short); f < 0.5 {
			t.Errorf("%.2f of gaps under 2 h are 60-70 min, want at least 0.5", f)
		}
		if f := float64(late) / float64(short); f < 0.15 {
			t.Errorf("%.2f of gaps under 2 h are 65-70 min, want at least 0.15", f)
		}
	})
}

func spikeCounts(daily map[time.Time]dayCount) []int {
	var n []int
	for _, d := range replica.SpikeDays {
		n = append(n, daily[d].bank+daily[d].health)
	}
	return n
}

func onlyMail(lk []lookup) []lookup {
	return slices.DeleteFunc(lk, func(l lookup) bool { return l.name != replica.MailHost })
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func date(m time.Month, d int) time.Time { return time.Date(2016, m, d, 0, 0, 0, 0, time.UTC) }

type dayCount struct{ bank, health int }

func dailyCounts(lk []lookup) map[time.Time]dayCount {
	m := map[time.Time]dayCount{}
	for _, l := range lk {
		c := m[day(l.t)]
		switch l.res {
		case replica.BankResolverA, replica.BankResolverB:
			c.bank++
		case replica.HealthResolver:
			c.health++
		}
		m[day(l.t)] = c
	}
	return m
}

// pearson is the sample correlation Σ(x-x̄)(y-ȳ) / √(Σ(x-x̄)² Σ(y-ȳ)²).
func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestPearson(t *testing.T) {
	for _, c := range []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, []float64{2, 4, 6, 8}, 1},
		{[]float64{1, 2, 3, 4}, []float64{8, 6, 4, 2}, -1},
		{[]float64{1, 2, 3, 4}, []float64{1, 3, 3, 1}, 0},
	} {
		if got := pearson(c.x, c.y); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("pearson(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

// TestFileRules checks the labels, line endings and size of the project's
// copy.
func TestFileRules(t *testing.T) {
	files := readDir(t, goldenDir)
	size := 0
	for _, f := range files {
		size += len(f.Data)
		if bytes.ContainsRune(f.Data, '\r') {
			t.Errorf("%s has CR line endings", f.Name)
		}
		first, _, _ := strings.Cut(string(f.Data), "\n")
		switch {
		case f.Name == replica.ReadmeFile:
			if first != "SYNTHETIC RECONSTRUCTION - NOT THE ORIGINAL DATA" {
				t.Errorf("%s starts %q", f.Name, first)
			}
		case (first[0] == '#' || first[0] == '%') && strings.Contains(first, "SYNTHETIC RECONSTRUCTION"):
		default:
			t.Errorf("%s does not start with a comment saying it is synthetic: %q", f.Name, first)
		}
	}
	if size > 1<<20 {
		t.Errorf("testdata/tealeaves holds %d bytes, want under 1 MiB", size)
	}
}

// TestWhois checks that each address file's network covers its address and
// that the domain records carry the published facts.
func TestWhois(t *testing.T) {
	files := fileMap(readDir(t, goldenDir))
	for _, a := range []string{"167.73.110.8", "198.91.42.242", "217.12.96.15", "217.12.97.137", "217.12.97.15", "66.216.133.29"} {
		text := string(files[a+".whois"])
		key := "NetRange:"
		if strings.HasPrefix(a, "217.") {
			key = "inetnum:"
			if !strings.Contains(text, "% This is the RIPE Database query service.") || !strings.Contains(text, "source:         RIPE") {
				t.Errorf("%s.whois is not a RIPE answer", a)
			}
		}
		lo, hi, ok := rangeOf(text, key)
		addr := netip.MustParseAddr(a)
		if !ok || addr.Less(lo) || hi.Less(addr) {
			t.Errorf("%s.whois: %s %v - %v does not cover %v", a, key, lo, hi, addr)
		}
	}
	if !strings.Contains(string(files["198.91.42.242.whois"]), "Comment:        owner not published in the seed data") {
		t.Error("198.91.42.242.whois does not say its owner is unpublished")
	}
	for name, want := range map[string][]string{
		"trump-email.com.whois": {"Domain Name: TRUMP-EMAIL.COM", "Creation Date: 2009-", "Registrant Organization: Trump Orgainzation",
			"Registrant Street: 725 Fifth Ave", "Registrant City: New York", "Admin Organization: Cendyn"},
		"contact-client.com.whois": {"Domain Name: CONTACT-CLIENT.COM", "Registrant Organization: Cendyn"},
	} {
		for _, w := range want {
			if !strings.Contains(string(files[name]), "\n"+w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
}

// rangeOf reads "key: A - B" from a WHOIS text.
func rangeOf(text, key string) (lo, hi netip.Addr, ok bool) {
	for line := range strings.Lines(text) {
		v, found := strings.CutPrefix(line, key)
		if !found {
			continue
		}
		a, b, found := strings.Cut(strings.TrimSpace(v), " - ")
		lo, err1 := netip.ParseAddr(a)
		hi, err2 := netip.ParseAddr(b)
		return lo, hi, found && err1 == nil && err2 == nil
	}
	return lo, hi, false
}

// TestZeek checks the recursive-side log against the server logs: answers up
// to 22 September, NXDOMAIN on 23 September, then the follow-up name.
func TestZeek(t *testing.T) {
	d := load(t, readDir(t, goldenDir))
	var fields []string
	rows := 0
	for line := range strings.Lines(string(d.files[replica.ZeekFile])) {
		line = strings.TrimSuffix(line, "\n")
		if f, ok := strings.CutPrefix(line, "#fields\t"); ok {
			fields = strings.Split(f, "\t")
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		rows++
		v := strings.Split(line, "\t")
		if len(v) != len(fields) {
			t.Fatalf("row %q has %d fields, header %d", line, len(v), len(fields))
		}
		row := map[string]string{}
		for i, f := range fields {
			row[f] = v[i]
		}
		sec, err := strconv.ParseFloat(row["ts"], 64)
		if err != nil {
			t.Fatal(err)
		}
		ts := time.Unix(int64(sec), 0).UTC()
		got := []string{row["query"], row["rcode_name"], row["answers"], row["TTLs"], row["id.resp_h"]}
		var want []string
		switch {
		case row["query"] == replica.FollowName || row["query"] == replica.MailHost && ts.Before(day(replica.LastLookup)):
			want = []string{row["query"], "NOERROR", replica.MailAddr.String(), "3600.000000", replica.BankResolverB.String()}
		default:
			want = []string{row["query"], "NXDOMAIN", "-", "-", replica.BankResolverB.String()}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("row at %v (-want +got):\n%s", ts, diff)
		}
		// Each row is a lookup the servers logged, in the same second.
		if !slices.ContainsFunc(d.lookups, func(l lookup) bool {
			return l.name == row["query"] && l.res == replica.BankResolverB && l.t.Equal(ts)
		}) {
			t.Errorf("row at %v for %s matches no lookup by %v in the server logs", ts, row["query"], replica.BankResolverB)
		}
	}
	if rows < 8 {
		t.Errorf("%d rows, want at least 8", rows)
	}
}
