package dnslog

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Benchmark inputs are generated in memory from a fixed seed: lines with
// 4,000 distinct names and 16,384 clients.

func benchResearch(n int) []byte {
	rng := rand.New(rand.NewPCG(7, 11))
	var b bytes.Buffer
	t := time.Date(2016, 9, 23, 0, 0, 0, 0, time.UTC)
	types := []string{"A", "AAAA", "MX", "TXT", "PTR"}
	for range n {
		t = t.Add(time.Duration(rng.IntN(200)) * time.Millisecond)
		fmt.Fprintf(&b, "%s 10.%d.%d.%d host%d.example%d.com %s\n", t.Format("2006-01-02T15:04:05.000Z"),
			rng.IntN(4), rng.IntN(16), rng.IntN(256), rng.IntN(200), rng.IntN(20), types[rng.IntN(len(types))])
	}
	return b.Bytes()
}

func benchZeek(n int) []byte {
	rng := rand.New(rand.NewPCG(7, 12))
	var b bytes.Buffer
	b.WriteString(zeekHeader(`\x09`, zeekFields...))
	ts := 1521911720.0
	for i := range n {
		ts += float64(rng.IntN(200)) / 1000
		name := fmt.Sprintf("host%d.example%d.com", rng.IntN(200), rng.IntN(20))
		ans, ttl, rc := "-", "-", "3\tNXDOMAIN"
		if rng.IntN(4) > 0 {
			ans = fmt.Sprintf("192.0.%d.%d", rng.IntN(4), rng.IntN(256))
			ttl = strconv.Itoa(rng.IntN(4)*300) + ".000000"
			rc = "0\tNOERROR"
		}
		fmt.Fprintf(&b, "%.6f\tC%08x\t10.%d.%d.%d\t%d\t10.0.0.100\t53\tudp\t%d\t0.000870\t%s\t1\tC_INTERNET\t1\tA\t%s\tF\tF\tT\tT\t0\t%s\t%s\tF\n",
			ts, i, rng.IntN(4), rng.IntN(16), rng.IntN(256), 1024+rng.IntN(60000), rng.IntN(65536), name, rc, ans, ttl)
	}
	return b.Bytes()
}

// refEvent is what the reference parsers produce.
type refEvent struct {
	t      time.Time
	client netip.Addr
	name   string
	typ    string
}

// refResearch is a minimal reference parser for the research benchmark
// lines: split on spaces, a hand ISO-8601 parse, netip.ParseAddr.
func refResearch(data []byte, emit func(*refEvent)) error {
	var ev refEvent
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data)
		}
		line := data[:i]
		data = data[min(i+1, len(data)):]
		f := bytes.Fields(line)
		if len(f) < 3 {
			return fmt.Errorf("short line %q", line)
		}
		t, err := refISO(f[0])
		if err != nil {
			return err
		}
		a, err := netip.ParseAddr(string(f[1]))
		if err != nil {
			return err
		}
		ev = refEvent{t: t, client: a, name: string(bytes.ToLower(f[2]))}
		if len(f) > 3 {
			ev.typ = string(f[3])
		}
		emit(&ev)
	}
	return nil
}

// refISO parses "2006-01-02T15:04:05.000Z".
func refISO(b []byte) (time.Time, error) {
	if len(b) < 20 {
		return time.Time{}, fmt.Errorf("bad stamp %q", b)
	}
	n := func(s []byte) int {
		v := 0
		for _, c := range s {
			v = v*10 + int(c-'0')
		}
		return v
	}
	ns := 0
	if b[19] == '.' {
		ns = n(b[20:23]) * 1e6
	}
	return time.Date(n(b[0:4]), time.Month(n(b[5:7])), n(b[8:10]), n(b[11:13]), n(b[14:16]), n(b[17:19]), ns, time.UTC), nil
}

// refZeek is a minimal reference parser for the Zeek benchmark lines:
// skip "#" lines, split on tabs, strconv.ParseFloat, netip.ParseAddr.
func refZeek(data []byte, emit func(*refEvent)) error {
	var ev refEvent
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data)
		}
		line := data[:i]
		data = data[min(i+1, len(data)):]
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		f := bytes.Split(line, []byte{'\t'})
		if len(f) < 24 {
			return fmt.Errorf("short line %q", line)
		}
		sec, err := strconv.ParseFloat(string(f[0]), 64)
		if err != nil {
			return err
		}
		a, err := netip.ParseAddr(string(f[2]))
		if err != nil {
			return err
		}
		ev = refEvent{t: time.Unix(0, int64(sec*1e9)).UTC(), client: a, name: string(f[9]), typ: string(f[13])}
		emit(&ev)
	}
	return nil
}

// benchReader reads data with a Reader configured by setup and reports
// events/s, MB/s and allocations per event.
func benchReader(b *testing.B, data []byte, setup func(*Reader)) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var events int64
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		if setup != nil {
			setup(r)
		}
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			events++
		}
	}
	runtime.ReadMemStats(&ms1)
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/sec, "events/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(events), "allocs/event")
}

func benchRef(b *testing.B, data []byte, parse func([]byte, func(*refEvent)) error) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var events int64
	for b.Loop() {
		if err := parse(data, func(*refEvent) { events++ }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkResearch compares the Reader (sequential and with two chunk
// goroutines) with the reference parser on the same lines.
func BenchmarkResearch(b *testing.B) {
	data := benchResearch(200000)
	b.Run("reference", func(b *testing.B) { benchRef(b, data, refResearch) })
	b.Run("reader", func(b *testing.B) { benchReader(b, data, nil) })
	b.Run("reader-parallel2", func(b *testing.B) { benchReader(b, data, func(r *Reader) { r.Parallel = 2 }) })
}

// BenchmarkZeekTSV is BenchmarkResearch for Zeek TSV lines.
func BenchmarkZeekTSV(b *testing.B) {
	data := benchZeek(100000)
	b.Run("reference", func(b *testing.B) { benchRef(b, data, refZeek) })
	b.Run("reader", func(b *testing.B) { benchReader(b, data, nil) })
	b.Run("reader-parallel2", func(b *testing.B) { benchReader(b, data, func(r *Reader) { r.Parallel = 2 }) })
}

// TestBenchReferences checks that the reference parsers and the Reader
// agree on the benchmark input, so that the comparison is like for like.
func TestBenchReferences(t *testing.T) {
	for name, c := range map[string]struct {
		data  []byte
		parse func([]byte, func(*refEvent)) error
	}{"research": {benchResearch(2000), refResearch}, "zeek": {benchZeek(2000), refZeek}} {
		var ref []refEvent
		if err := c.parse(c.data, func(e *refEvent) { ref = append(ref, *e) }); err != nil {
			t.Fatal(err)
		}
		evs, errs := readAll(t, string(c.data), nil)
		if len(errs) > 0 || len(evs) != len(ref) {
			t.Fatalf("%s: reader %d events (errors %v), reference %d", name, len(evs), errs, len(ref))
		}
		for i, ev := range evs {
			r := ref[i]
			// The float reference is off by up to a microsecond.
			if d := ev.Time.Sub(r.t); d > time.Microsecond || d < -time.Microsecond || ev.Client != r.client || ev.Name != r.name || ev.Type.String() != r.typ {
				t.Fatalf("%s event %d: reader %v %v %v %v, reference %+v", name, i, ev.Time, ev.Client, ev.Name, ev.Type, r)
			}
		}
	}
}

// readCount reads data with a Reader configured by setup and returns the
// number of events.
func readCount(b *testing.B, data []byte, setup func(*Reader)) int {
	r := NewReader(bytes.NewReader(data))
	if setup != nil {
		setup(r)
	}
	return countEvents(b, r)
}

// countEvents reads r to the end and returns the number of events.
func countEvents(b *testing.B, r *Reader) int {
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkPaired runs two contenders back to back in every iteration
// and reports the ratio of their speeds, which stays meaningful when the
// machine's load drifts during the run (separate sub-benchmarks can land
// in quiet and busy moments): "x-ref" is the Reader's speed as a multiple
// of the reference parser's, "speedup" is Parallel=2 over sequential,
// both from the total times. "x-ref-best" and "speedup-best" compare the
// fastest run of each contender instead, which on a shared machine
// estimates the figure without the other load (run with -benchtime 20x or
// more so that each contender has quiet moments).
func BenchmarkPaired(b *testing.B) {
	type contender func() int
	pair := func(b *testing.B, data []byte, base, cand contender, metric string) {
		b.SetBytes(int64(len(data)))
		var tb, tc time.Duration
		minB, minC := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		var events int
		for b.Loop() {
			t0 := time.Now()
			base()
			t1 := time.Now()
			events += cand()
			t2 := time.Now()
			tc += t2.Sub(t1)
			tb += t1.Sub(t0)
			minB, minC = min(minB, t1.Sub(t0)), min(minC, t2.Sub(t1))
		}
		b.ReportMetric(float64(tb)/float64(tc), metric)
		b.ReportMetric(float64(minB)/float64(minC), metric+"-best")
		b.ReportMetric(float64(events)/tc.Seconds(), "events/s")
	}
	research := benchResearch(200000)
	zeek := benchZeek(100000)
	ref := func(data []byte, parse func([]byte, func(*refEvent)) error) contender {
		return func() int {
			n := 0
			if err := parse(data, func(*refEvent) { n++ }); err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	reader := func(data []byte, par int) contender {
		return func() int { return readCount(b, data, func(r *Reader) { r.Parallel = par }) }
	}
	b.Run("research-vs-ref", func(b *testing.B) { pair(b, research, ref(research, refResearch), reader(research, 0), "x-ref") })
	b.Run("zeek-vs-ref", func(b *testing.B) { pair(b, zeek, ref(zeek, refZeek), reader(zeek, 0), "x-ref") })
	b.Run("research-parallel2", func(b *testing.B) { pair(b, research, reader(research, 0), reader(research, 2), "speedup") })
	b.Run("zeek-parallel2", func(b *testing.B) { pair(b, zeek, reader(zeek, 0), reader(zeek, 2), "speedup") })
}

// BenchmarkLargeFile reads a large log file (the benchmark lines repeated
// to about 100 MB, written to a temporary file, read back through the page
// cache with OpenFile) sequentially and with Parallel=2 back to back in
// every iteration, as BenchmarkPaired does: "events/s" is the parallel
// reader's wall-clock speed, "seq-events/s" the sequential one's,
// "speedup" the ratio of their total times and "speedup-median" the median
// of the iterations' ratios, which a burst of load in one iteration moves
// less. "par-cpus" is the process CPU time over the wall time of the
// parallel reads (Linux only): near 2 when both cores were free for them.
//
// "ceiling" is the reference for the speed-up in the same run: each
// iteration also reads the file's two halves (two files of whole lines)
// with two sequential Readers at once, which share nothing, and "ceiling"
// is the sequential time of the whole file over that time. It is what
// splitting the work perfectly in two gains on this machine at that
// moment, memory and caches shared; "of-ceiling" is speedup over ceiling.
func BenchmarkLargeFile(b *testing.B) {
	for _, in := range []struct {
		name string
		data []byte
	}{{"research", benchResearch(200000)}, {"zeek", benchZeek(100000)}} {
		b.Run(in.name, func(b *testing.B) {
			dir := b.TempDir()
			name := filepath.Join(dir, in.name+".log")
			var all []byte
			for len(all) < 100<<20 {
				all = append(all, in.data...)
			}
			if err := os.WriteFile(name, all, 0o600); err != nil {
				b.Fatal(err)
			}
			// The halves: the first half of the lines, and the rest after
			// the header lines (a Zeek file needs its header).
			cut := bytes.IndexByte(all[len(all)/2:], '\n') + len(all)/2 + 1
			head := 0
			for head < len(all) && all[head] == '#' {
				head += bytes.IndexByte(all[head:], '\n') + 1
			}
			halves := [2]string{filepath.Join(dir, "half0.log"), filepath.Join(dir, "half1.log")}
			if err := os.WriteFile(halves[0], all[:cut], 0o600); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(halves[1], append(slices.Clone(all[:head]), all[cut:]...), 0o600); err != nil {
				b.Fatal(err)
			}
			read := func(name string, par int) int {
				r, c, err := OpenFile(name, Options{Parallel: par})
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				return countEvents(b, r)
			}
			read(name, 2) // page cache
			read(halves[0], 0)
			read(halves[1], 0)
			b.SetBytes(int64(len(all)))
			var ts, tp, t2, cpu time.Duration
			var events int
			var ratios []float64
			for b.Loop() {
				t0 := time.Now()
				read(name, 0)
				t1 := time.Now()
				c0, _, _ := cpuTimes()
				events += read(name, 2)
				c1, _, ok := cpuTimes()
				t2s := time.Now()
				var wg sync.WaitGroup
				for _, h := range halves {
					wg.Go(func() { read(h, 0) })
				}
				wg.Wait()
				t2 += time.Since(t2s)
				tp += t2s.Sub(t1)
				ts += t1.Sub(t0)
				ratios = append(ratios, float64(t1.Sub(t0))/float64(t2s.Sub(t1)))
				if ok {
					cpu += c1 - c0
				}
			}
			b.ReportMetric(float64(ts)/float64(tp), "speedup")
			slices.Sort(ratios)
			med := ratios[len(ratios)/2]
			if len(ratios)%2 == 0 {
				med = (med + ratios[len(ratios)/2-1]) / 2
			}
			b.ReportMetric(med, "speedup-median")
			b.ReportMetric(float64(ts)/float64(t2), "ceiling")
			b.ReportMetric(float64(t2)/float64(tp), "of-ceiling")
			if cpu > 0 {
				b.ReportMetric(float64(cpu)/float64(tp), "par-cpus")
			}
			b.ReportMetric(float64(events)/tp.Seconds(), "events/s")
			b.ReportMetric(float64(events)/ts.Seconds(), "seq-events/s")
		})
	}
}

// BenchmarkCPU measures CPU time rather than wall time, which on a shared
// machine depends on the other processes. "x-ref-cpu" is the Reader's
// speed as a multiple of the reference parser's, both single-threaded,
// by process CPU time (garbage collection included). For Parallel=2,
// "speedup-est" is an estimate of the wall-clock speed-up on two idle
// cores: sequential CPU time over max(critical path, parallel CPU time /
// 2), where the critical path is the CPU time of the reading goroutine
// (locked to its thread), which splits the input and returns the events
// while the chunk goroutines decode. It is not a wall-clock measurement.
func BenchmarkCPU(b *testing.B) {
	if _, _, ok := cpuTimes(); !ok {
		b.Skip("no per-thread CPU times on this system")
	}
	measure := func(f func() int) (proc, thread time.Duration, n int) {
		p0, t0, _ := cpuTimes()
		n = f()
		p1, t1, _ := cpuTimes()
		return p1 - p0, t1 - t0, n
	}
	for _, in := range []struct {
		name  string
		data  []byte
		parse func([]byte, func(*refEvent)) error
	}{{"research", benchResearch(200000), refResearch}, {"zeek", benchZeek(100000), refZeek}} {
		b.Run(in.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.SetBytes(int64(len(in.data)))
			var ref, seq, par, crit time.Duration
			var events int
			for b.Loop() {
				p, _, _ := measure(func() int {
					n := 0
					if err := in.parse(in.data, func(*refEvent) { n++ }); err != nil {
						b.Fatal(err)
					}
					return n
				})
				ref += p
				p, _, n := measure(func() int { return readCount(b, in.data, nil) })
				seq += p
				events += n
				p, t, _ := measure(func() int { return readCount(b, in.data, func(r *Reader) { r.Parallel = 2 }) })
				par += p
				crit += t
			}
			b.ReportMetric(float64(ref)/float64(seq), "x-ref-cpu")
			b.ReportMetric(float64(events)/seq.Seconds(), "events/cpu-s")
			b.ReportMetric(float64(seq)/float64(max(crit, par/2)), "speedup-est")
			b.ReportMetric(float64(crit)/float64(par), "critical-share")
		})
	}
}

// BenchmarkMultiReader merges the same lookups logged at three servers
// (three copies of a research log, 200,000 lines each), the seed data's
// ns1/ns2/ns3 case, and reads one log through a MultiReader alone.
func BenchmarkMultiReader(b *testing.B) {
	data := benchResearch(200000)
	for _, k := range []int{1, 3} {
		b.Run(fmt.Sprintf("inputs=%d", k), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(k * len(data)))
			events := 0
			for b.Loop() {
				var rs []*Reader
				for range k {
					rs = append(rs, NewReader(bytes.NewReader(data)))
				}
				for _, err := range NewMultiReader(rs...).All() {
					if err != nil {
						b.Fatal(err)
					}
					events++
				}
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
