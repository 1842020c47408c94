package replica

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"
)

// ResearchHeader is the header line of the server logs, after the comment
// line that marks them synthetic.
const ResearchHeader = "TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP"

// researchComment is the first line of each server log.
const researchComment = "# SYNTHETIC RECONSTRUCTION (dnsnexus Tea Leaves replica), not the original data; see README.txt"

// Server logging. A resolver sends each lookup to one of the three servers,
// preferring some (resolvers pick by round-trip time); with probability
// SecondCopy the query also reaches a second server (a retry or parallel
// query) 0–1 s later, and with probability ThirdCopy, given a second, the
// third as well, up to 2 s later.
const (
	SecondCopy = 0.3
	ThirdCopy  = 0.25
)

// serverPreference gives each resolver's chance of sending a lookup first to
// ns1, ns2 and ns3.
func serverPreference(res netip.Addr) [3]float64 {
	switch res {
	case BankResolverA:
		return [3]float64{0.55, 0.25, 0.20}
	case BankResolverB:
		return [3]float64{0.30, 0.50, 0.20}
	case HealthResolver:
		return [3]float64{0.25, 0.25, 0.50}
	}
	return [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
}

func pick(r *rand.Rand, w [3]float64) int {
	u := r.Float64()
	for i := range 2 {
		if u < w[i] {
			return i
		}
		u -= w[i]
	}
	return 2
}

// spread copies the lookups to the three servers' logs, each sorted by
// time, then resolver, then name.
func spread(lk []lookup, seed uint64) [3][]lookup {
	r := newRand(seed, streamServers)
	var lines [3][]lookup
	for _, l := range lk {
		first := pick(r, serverPreference(l.res))
		lines[first] = append(lines[first], l)
		if r.Float64() >= SecondCopy {
			continue
		}
		rest := [2]int{(first + 1) % 3, (first + 2) % 3}
		if r.IntN(2) == 1 {
			rest[0], rest[1] = rest[1], rest[0]
		}
		second := l
		if !l.forced {
			second.t += r.Int64N(2)
		}
		lines[rest[0]] = append(lines[rest[0]], second)
		if r.Float64() >= ThirdCopy {
			continue
		}
		third := l
		if !l.forced {
			third.t += r.Int64N(3)
		}
		lines[rest[1]] = append(lines[rest[1]], third)
	}
	for i := range lines {
		slices.SortFunc(lines[i], lookupOrder)
	}
	return lines
}

// researchLog renders one server's log.
func researchLog(lines []lookup) []byte {
	var b bytes.Buffer
	b.WriteString(researchComment + "\n" + ResearchHeader + "\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "%s | %s | %s\n", time.Unix(l.t, 0).UTC().Format("2006-01-02T15:04:05.000Z"), l.name, l.res)
	}
	return b.Bytes()
}

// ZeekClient is the made-up client address in the Zeek log: the bank's
// internal hosts are not published.
var ZeekClient = netip.MustParseAddr("10.15.32.44")

// zeekLog writes a few of BankResolverB's lookups as a Zeek dns.log seen
// between a client and that resolver: MailHost answered with MailAddr and
// TTL 3600 on sampled days up to 22 September, NXDOMAIN on 23 September
// (the run-on name too), then FollowName answered with MailAddr.
func zeekLog(lk []lookup, seed uint64) []byte {
	r := newRand(seed, streamZeek)
	lastDay := day(LastLookup)
	samples := []time.Time{Start, date(time.June, 1), date(time.July, 1), date(time.August, 1), date(time.September, 1)}
	var b15 []lookup // BankResolverB's lookups of MailHost
	var picked []lookup
	for _, l := range lk {
		switch {
		case l.res != BankResolverB:
		case l.name == MailHost:
			b15 = append(b15, l)
		case l.name == RunOnName:
			picked = append(picked, l)
		case l.name == FollowName && !slices.ContainsFunc(picked, func(p lookup) bool { return p.name == FollowName }):
			picked = append(picked, l)
		}
	}
	// The first lookup on or after each sample day, the last before the
	// last day, the first and the last of the last day.
	onLastDay := slices.IndexFunc(b15, func(l lookup) bool { return !time.Unix(l.t, 0).Before(lastDay) })
	for _, d := range samples {
		if i := slices.IndexFunc(b15, func(l lookup) bool { return !time.Unix(l.t, 0).Before(d) }); i >= 0 && i < onLastDay {
			picked = append(picked, b15[i])
		}
	}
	if onLastDay > 0 {
		picked = append(picked, b15[onLastDay-1])
	}
	picked = append(picked, b15[onLastDay], b15[len(b15)-1])
	slices.SortFunc(picked, lookupOrder)
	picked = slices.Compact(picked)

	var b bytes.Buffer
	b.WriteString("# SYNTHETIC RECONSTRUCTION (dnsnexus Tea Leaves replica), not the original data; see README.txt\n")
	b.WriteString("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n")
	fmt.Fprintf(&b, "#open\t%s\n", time.Unix(picked[0].t, 0).UTC().Format("2006-01-02-15-04-05"))
	b.WriteString("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n")
	b.WriteString("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n")
	const uidChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var end float64
	for _, l := range picked {
		// The client's request comes a fraction of a second before the
		// resolver's query, which the servers log in whole seconds.
		ts := float64(l.t) + float64(r.IntN(500000))/1e6
		rtt := 0.04 + float64(r.IntN(200000))/1e6
		uid := []byte{'C'}
		for range 17 {
			uid = append(uid, uidChars[r.IntN(len(uidChars))])
		}
		rcode, answers, ttls := "0\tNOERROR", MailAddr.String(), "3600.000000"
		if l.name == RunOnName || l.name == MailHost && !time.Unix(l.t, 0).Before(lastDay) {
			rcode, answers, ttls = "3\tNXDOMAIN", "-", "-"
		}
		fmt.Fprintf(&b, "%.6f\t%s\t%s\t%d\t%s\t53\tudp\t%d\t%.6f\t%s\t1\tC_INTERNET\t1\tA\t%s\tF\tF\tT\tT\t0\t%s\t%s\tF\n",
			ts, uid, ZeekClient, 1024+r.IntN(64512), BankResolverB, r.IntN(65536), rtt, l.name, rcode, answers, ttls)
		end = ts + rtt
	}
	fmt.Fprintf(&b, "#close\t%s\n", time.Unix(int64(end)+1, 0).UTC().Format("2006-01-02-15-04-05"))
	return b.Bytes()
}
