package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dnsnexus/dnsnexus/nexus"
)

// parseShard parses -shard "i/n" (0 ≤ i < n); "" means no sharding.
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, "/")
	if ok {
		i, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("%q: want i/n with 0 ≤ i < n, e.g. 0/4", s)
	}
	return i, n, nil
}

// writeLines writes n JSON values, one a line.
func writeLines(stdout, stderr io.Writer, n int, value func(i int) any) int {
	bw := bufio.NewWriterSize(stdout, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range n {
		if err := enc.Encode(value(i)); err != nil {
			fmt.Fprintln(stderr, "score:", err)
			return 1
		}
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(stderr, "score:", err)
		return 1
	}
	return 0
}

// maxLineBytes bounds one JSON line read by -merge.
const maxLineBytes = 16 << 20

// runMerge reads the JSON lines of -shard runs from files ("-" for
// standard input), reranks them with nexus.Rerank and writes the pairs as
// JSON lines (or CSV with -csv), the first top of them when top > 0.
func runMerge(files []string, csvOut bool, top int, stdin io.Reader, stdout, stderr io.Writer) int {
	var pairs []nexus.ShardJSON
	for _, name := range files {
		var err error
		pairs, err = readShard(name, stdin, pairs)
		if err != nil {
			fmt.Fprintln(stderr, "score: -merge:", err)
			return 1
		}
	}
	ranked, err := nexus.Rerank(pairs, nexus.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "score: -merge:", err)
		return 1
	}
	if top > 0 && top < len(ranked) {
		ranked = ranked[:top]
	}
	if csvOut {
		w := csv.NewWriter(stdout)
		w.Write(nexus.CSVHeader())
		for i := range ranked {
			w.Write(ranked[i].CSVRecord())
		}
		w.Flush()
		if err := w.Error(); err != nil {
			fmt.Fprintln(stderr, "score:", err)
			return 1
		}
		return 0
	}
	return writeLines(stdout, stderr, len(ranked), func(i int) any { return &ranked[i] })
}

// readShard appends the pairs of one -shard output to pairs.
func readShard(name string, stdin io.Reader, pairs []nexus.ShardJSON) ([]nexus.ShardJSON, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return pairs, err
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), maxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		// Exact is a pointer here so that a line without it (score -json
		// rather than -shard) is told apart from one with zero figures.
		var p struct {
			nexus.PairJSON
			Exact *nexus.ExactJSON `json:"exact"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return pairs, fmt.Errorf("%s:%d:%d: %v", name, line, se.Offset, err)
			}
			return pairs, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		if p.Client == "" || p.Domain == "" || p.Exact == nil {
			return pairs, fmt.Errorf("%s:%d: not a line of score -shard (no client, domain or exact figures)", name, line)
		}
		pairs = append(pairs, nexus.ShardJSON{PairJSON: p.PairJSON, Exact: *p.Exact})
	}
	if err := sc.Err(); err != nil {
		return pairs, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return pairs, nil
}

// stats times the stages of a run for -stats.
type stats struct {
	on    bool
	w     io.Writer
	start time.Time
	began time.Time
	n     int64
}

func newStats(on bool, w io.Writer) *stats {
	now := time.Now()
	return &stats{on: on, w: w, start: now, began: now}
}

// stage reports the stage that ends now; n > 0 is the events it handled.
func (s *stats) stage(name string, n int64) {
	d := time.Since(s.start)
	if s.on && n > 0 {
		s.n = n
		fmt.Fprintf(s.w, "stats: %-12s %8.2fs  %s  %d events, %.0f events/s\n", name, d.Seconds(), peakRSS(), n, float64(n)/d.Seconds())
	} else {
		s.stageTime(name, d)
	}
	s.start = time.Now()
}

// stageTime reports a stage of the given wall time.
func (s *stats) stageTime(name string, d time.Duration) {
	if s.on {
		fmt.Fprintf(s.w, "stats: %-12s %8.2fs  %s\n", name, d.Seconds(), peakRSS())
	}
}

func (s *stats) reset() { s.start = time.Now() }

func (s *stats) done() {
	if s.on {
		el := time.Since(s.began).Seconds()
		fmt.Fprintf(s.w, "stats: %-12s %8.2fs  %.0f events/s end to end, GOMAXPROCS %d\n", "total", el, float64(s.n)/el, runtime.GOMAXPROCS(0))
	}
}

// peakRSS returns the peak resident set size of the process so far
// (VmHWM of /proc/self/status), or, where that is not available, the
// memory the Go runtime has mapped now.
func peakRSS() string {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64); err == nil {
					return fmt.Sprintf("peak RSS %.0f MiB", float64(kb)/1024)
				}
			}
		}
	}
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	v := sample[0].Value.Uint64() - sample[1].Value.Uint64()
	return fmt.Sprintf("Go runtime holds %.0f MiB", float64(v)/(1<<20))
}

// writeHeapProfile writes the live heap as of the last collection.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// leanChunk is the number of pairs scored at a time by scoreLean.
const leanChunk = 1 << 14

// scoreLean writes the JSON lines (or CSV) of all of c's pairs, the same
// as nexus.Analyze followed by Report.WriteJSON, in bounded memory: the
// pairs are scored leanChunk at a time, each pair's line goes to a
// temporary file as soon as it is scored (and its times are let go), and
// only what the ranking needs (about 500 bytes a pair) stays in memory;
// nexus.RerankInPlace then recomputes shares, q-values and verdicts across
// all pairs and the lines are read back in rank order and patched. With
// shard set, the lines are written unranked, as nexus.ShardJSON, straight
// to w.
func scoreLean(ctx context.Context, c *nexus.Collector, opts nexus.Options, shard, csvOut bool, top int, w, stderr io.Writer, st *stats) int {
	start := time.Now()
	pairs := c.Pairs()
	st.stageTime("pairs", time.Since(start))
	start = time.Now()
	fail := func(err error) int {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "score: interrupted")
		} else {
			fmt.Fprintln(stderr, "score:", err)
		}
		return 1
	}
	out := w
	var tmp *os.File
	if !shard {
		var err error
		if tmp, err = os.CreateTemp("", "score-*.jsonl"); err != nil {
			return fail(err)
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		out = tmp
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	var (
		slim    []nexus.ShardJSON
		offsets []int64
		lens    []int32
		off     int64
	)
	if !shard {
		slim = make([]nexus.ShardJSON, 0, len(pairs))
		offsets = make([]int64, 0, len(pairs))
		lens = make([]int32, 0, len(pairs))
	}
	progress := opts.Progress
	total := len(pairs)
	for lo := 0; lo < total; lo += leanChunk {
		hi := min(lo+leanChunk, total)
		o := opts
		if progress != nil {
			o.Progress = func(done, _ int) { progress(lo+done, total) }
		}
		scores, err := nexus.ScorePairs(ctx, pairs[lo:hi], o)
		if err != nil {
			return fail(err)
		}
		clear(pairs[lo:hi]) // let the times go
		for i := range scores {
			sj := scores[i].ShardJSON()
			line.Reset()
			var v any = &sj
			if !shard {
				v = &sj.PairJSON // the exact figures stay in slim
			}
			if err := enc.Encode(v); err != nil {
				return fail(err)
			}
			if !shard {
				slim = append(slim, nexus.ShardJSON{PairJSON: nexus.PairJSON{Client: sj.Client, Domain: sj.Domain,
					Events: sj.Events, Folded: sj.Folded, CacheGated: sj.CacheGated}, Exact: sj.Exact})
				offsets = append(offsets, off)
				lens = append(lens, int32(line.Len()))
				off += int64(line.Len())
			}
			if _, err := bw.Write(line.Bytes()); err != nil {
				return fail(err)
			}
		}
	}
	pairs = nil
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	st.stageTime("score", time.Since(start))
	if shard {
		return 0
	}
	start = time.Now()
	order, err := nexus.RerankInPlace(slim, opts)
	if err != nil {
		return fail(err)
	}
	st.stageTime("rerank", time.Since(start))
	start = time.Now()
	if top > 0 && top < len(order) {
		order = order[:top]
	}
	bw = bufio.NewWriterSize(w, 1<<20)
	var cw *csv.Writer
	if csvOut {
		cw = csv.NewWriter(bw)
		cw.Write(nexus.CSVHeader())
	}
	enc = json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var buf []byte
	for _, i := range order {
		buf = slices.Grow(buf[:0], int(lens[i]))[:lens[i]]
		if _, err := tmp.ReadAt(buf, offsets[i]); err != nil {
			return fail(err)
		}
		p := &slim[i].PairJSON
		if cw != nil {
			var full nexus.PairJSON
			if err := json.Unmarshal(buf, &full); err != nil {
				return fail(err)
			}
			full.Share, full.ClientsForDomain, full.DomainEvents, full.Q, full.Verdict = p.Share, p.ClientsForDomain, p.DomainEvents, p.Q, p.Verdict
			err = cw.Write(full.CSVRecord())
		} else {
			err = patchLine(bw, buf, p)
		}
		if err != nil {
			return fail(err)
		}
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fail(err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	st.stageTime("write", time.Since(start))
	return 0
}

// patchLine writes the PairJSON line (as encoding/json writes it, newline
// included) with the values of verdict, q, share, clients_for_domain and
// domain_events replaced by p's, spliced into the text: the same bytes as
// encoding p's values into the decoded line, without decoding it. A key
// is found by its first `,"key":` in the line, which cannot occur inside
// a string value, where encoding/json escapes the quotes.
func patchLine(w io.Writer, line []byte, p *nexus.PairJSON) error {
	var out []byte
	rest := line
	for _, f := range []struct {
		key string
		val any
	}{
		{`,"verdict":`, p.Verdict}, {`,"q":`, p.Q}, {`,"share":`, p.Share},
		{`,"clients_for_domain":`, p.ClientsForDomain}, {`,"domain_events":`, p.DomainEvents},
	} {
		i := bytes.Index(rest, []byte(f.key))
		if i < 0 {
			return fmt.Errorf("temporary line lacks %s", f.key)
		}
		i += len(f.key)
		out = append(out, rest[:i]...)
		rest = rest[i:]
		end := jsonValueEnd(rest)
		if end < 0 {
			return fmt.Errorf("temporary line: bad value of %s", f.key)
		}
		b, err := json.Marshal(f.val)
		if err != nil {
			return err
		}
		out = append(out, b...)
		rest = rest[end:]
	}
	out = append(out, rest...)
	_, err := w.Write(out)
	return err
}

// jsonValueEnd returns the length of the number or plain string (no
// escapes needed: verdicts) at the start of b, or -1.
func jsonValueEnd(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	if b[0] == '"' {
		j := bytes.IndexByte(b[1:], '"')
		if j < 0 || bytes.IndexByte(b[1:1+j], '\\') >= 0 {
			return -1
		}
		return j + 2
	}
	for i, c := range b {
		if c == ',' || c == '}' {
			return i
		}
	}
	return -1
}
