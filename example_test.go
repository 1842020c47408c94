package dnsnexus_test

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/nexus"
	"github.com/dnsnexus/dnsnexus/whois"
)

// The whole path on the bundled replica of the 2016 case (synthetic data):
// merge the three name servers' logs, count a lookup seen at several
// servers once, group by (resolver, registrable domain), enrich from WHOIS
// and score.
func Example() {
	ctx := context.Background()
	dir := filepath.Join("testdata", "tealeaves")
	logs, _ := filepath.Glob(filepath.Join(dir, "ns*_cdcservices_com.log"))
	m, err := dnslog.OpenFiles(logs, dnslog.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	m.Dedup = 5 * time.Second

	var c nexus.Collector
	for ev, err := range m.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		c.Add(&ev)
	}
	whoisFiles, _ := filepath.Glob(filepath.Join(dir, "*.whois"))
	owners, _ := whois.LoadFiles(ctx, whoisFiles...)
	rep, err := nexus.Analyze(ctx, &c, nexus.Options{Whois: owners})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Scores[:3] {
		fmt.Printf("%s (%s, %s) %s: %d lookups, %s, zone %s, cache-gated %v\n",
			s.Client, s.Enrichment.Org, s.Enrichment.Country, s.Domain, s.Events, s.Verdict, s.Zone, s.CacheGated)
	}
	sy := rep.Syncs[0]
	fmt.Printf("lock-step: %s and %s, %d coincidences where %.0f were expected\n", sy.A, sy.B, sy.Matched, sy.Expected)
	fmt.Printf("search-suffix leak: %s\n", rep.Leaks[0].Suffix)
	// Output:
	// 167.73.110.8 (Spectrum Health, US) trump-email.com: 714 lookups, human, zone America/New_York, cache-gated true
	// 217.12.97.15 (Alfa-Bank, RU) trump-email.com: 1411 lookups, human, zone Europe/Moscow, cache-gated true
	// 217.12.96.15 (Alfa-Bank, RU) trump-email.com: 1409 lookups, human, zone Europe/Moscow, cache-gated true
	// lock-step: 217.12.96.15 and 217.12.97.15, 1309 coincidences where 3 were expected
	// search-suffix leak: moscow.alfaintra.net
}
