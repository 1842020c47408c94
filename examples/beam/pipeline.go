package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/dnsnexus/dnsnexus/dnslog"
	"github.com/dnsnexus/dnsnexus/examples/beam/internal/wire"
	"github.com/dnsnexus/dnsnexus/nexus"
)

// Read modes: how log files become events.
const (
	// ReadAuto reads line by line when Config.Format names a format whose
	// lines are independent (LineFormats), and whole files otherwise.
	ReadAuto = "auto"
	// ReadLines reads with textio.ReadWithFilename, one element per line,
	// so that a large file is split among workers. Every file must be of a
	// format in LineFormats (detected per file when Config.Format is
	// empty); the pipeline fails on a file of another format.
	ReadLines = "lines"
	// ReadFiles reads one element per file (fileio) and streams it through
	// a dnslog.Reader: every format, gzip, and exact line numbers in
	// errors, but a file is never split.
	ReadFiles = "files"
)

// LineFormats are the formats whose lines decode independently of each
// other, with no header, pending query or year tracker carried from line
// to line; only they can be read one line per element. Zeek's TSV form is
// not among them (its "#fields" header maps the columns), nor CSV (its
// header row), nor the syslog-stamped formats (BIND, dnsmasq, Unbound: a
// year-less stamp needs the lines before it to cross New Year, and dnsmasq
// pairs queries with later replies), nor Windows DNS debug logs and dnstap.
var LineFormats = []dnslog.Format{
	dnslog.FormatResearch,
	dnslog.FormatZeekJSON,
	dnslog.FormatCoreDNS,
	dnslog.FormatAdGuard,
	dnslog.FormatTechnitium,
}

func isLineFormat(f dnslog.Format) bool { return slices.Contains(LineFormats, f) }

// Config is what the pipeline does. The zero value of every field but
// Input and Output is the documented default.
type Config struct {
	// Input is a file glob in any file system Beam knows (local paths,
	// gs://…); Output the JSON-lines file to write.
	Input, Output string
	// Format forces a log format; "" detects it per file.
	Format dnslog.Format
	// By groups lookups by registrable domain (default) or query name.
	By nexus.GroupBy
	// Read is ReadAuto (""), ReadLines or ReadFiles.
	Read string
	// Zone, an IANA zone name, dates time stamps that carry no zone and is
	// the zone of the human rhythm; "" means UTC for the stamps and the
	// best-fitting zone per pair for the rhythm, as in examples/score.
	Zone string
	// TTL is the cache TTL in front of the clients (0: the logged answer
	// TTLs), as nexus.Options.TTL.
	TTL time.Duration
	// Lenient skips bad lines (counted in the "bad_lines" metric) instead
	// of failing the pipeline.
	Lenient bool
	// Year dates year-less syslog stamps (0: the current year).
	Year int
	// Limits bound each pair's accumulator (zero: the nexus defaults).
	Limits nexus.Limits
}

// readMode resolves ReadAuto.
func (c *Config) readMode() (string, error) {
	switch c.Read {
	case "", ReadAuto:
		if c.Format != "" && isLineFormat(c.Format) {
			return ReadLines, nil
		}
		return ReadFiles, nil
	case ReadLines:
		if c.Format != "" && !isLineFormat(c.Format) {
			return "", fmt.Errorf("format %s cannot be read line by line (it carries state from line to line); use -read files", c.Format)
		}
		return ReadLines, nil
	case ReadFiles:
		return ReadFiles, nil
	}
	return "", fmt.Errorf("unknown read mode %q (want auto, lines or files)", c.Read)
}

// readOpts are the dnslog.Reader settings every DoFn needs; its fields are
// exported so that Beam can serialise the DoFns that embed it.
type readOpts struct {
	Format  string
	Zone    string
	Lenient bool
	Year    int
}

func (o *readOpts) reader(r io.Reader, file string) (*dnslog.Reader, error) {
	loc, err := loadZone(o.Zone)
	if err != nil {
		return nil, err
	}
	dr := dnslog.NewReader(r)
	dr.File, dr.Format, dr.Location, dr.Year, dr.Lenient = file, dnslog.Format(o.Format), loc, o.Year, o.Lenient
	return dr, nil
}

// loadZone returns the location named zone, nil for "".
func loadZone(zone string) (*time.Location, error) {
	if zone == "" {
		return nil, nil
	}
	return time.LoadLocation(zone)
}

// keyer turns an event into its pair key, or reports that the Collector
// would drop it (no client address or no name).
type keyer struct {
	ByName bool
}

func (k *keyer) key(ev *dnslog.Event) (string, bool) {
	if !ev.Client.IsValid() || ev.Name == "" {
		return "", false
	}
	domain := ev.Name
	if !k.ByName {
		domain = nexus.RegistrableDomain(ev.Name)
	}
	return wire.PairKey(ev.Client, domain), true
}

var (
	eventsCounter   = beam.NewCounter("dnsnexus", "events")
	droppedCounter  = beam.NewCounter("dnsnexus", "dropped")
	badLinesCounter = beam.NewCounter("dnsnexus", "bad_lines")
	pairsCounter    = beam.NewCounter("dnsnexus", "pairs")
)

// Build adds the pipeline of cfg to s: read and parse the logs, key each
// lookup by pair, combine the pairs with nexus.PairAccumulator, gather
// them, score them with nexus.ScorePairs and write one JSON object per
// pair per line (nexus.PairJSON, ranked as examples/score ranks them).
func Build(s beam.Scope, cfg Config) error {
	if cfg.Input == "" || cfg.Output == "" {
		return fmt.Errorf("need an input glob and an output file")
	}
	if _, err := loadZone(cfg.Zone); err != nil {
		return err
	}
	if cfg.Format != "" && !slices.Contains(dnslog.Formats(), cfg.Format) {
		return fmt.Errorf("unknown format %q", cfg.Format)
	}
	mode, err := cfg.readMode()
	if err != nil {
		return err
	}
	ro := readOpts{Format: string(cfg.Format), Zone: cfg.Zone, Lenient: cfg.Lenient, Year: cfg.Year}
	k := keyer{ByName: cfg.By == nexus.ByName}

	var queries beam.PCollection // KV<pair key, query>
	if mode == ReadFiles {
		s := s.Scope("ReadFiles")
		files := fileio.ReadMatches(s, fileio.MatchFiles(s, cfg.Input), fileio.ReadUncompressed())
		queries = beam.ParDo(s, &parseFileFn{readOpts: ro, keyer: k}, files)
	} else {
		s := s.Scope("ReadLines")
		lines := textio.ReadWithFilename(s, cfg.Input, textio.ReadUncompressed())
		// KV<path, format>: the given format, or the one detected from the
		// file's first lines; gzip and formats that need whole files are
		// refused here.
		files := fileio.ReadMatches(s, fileio.MatchFiles(s, cfg.Input), fileio.ReadUncompressed())
		formats := beam.ParDo(s, &detectFn{readOpts: ro}, files)
		queries = beam.ParDo(s, &parseLinesFn{readOpts: ro, keyer: k}, lines, beam.SideInput{Input: formats})
	}

	limits := pairLimits{MaxEvents: cfg.Limits.MaxEvents, MaxNames: cfg.Limits.MaxNames}
	pairs := beam.CombinePerKey(s.Scope("CombinePairs"), &pairCombineFn{Limits: limits}, queries)

	g := s.Scope("ScoreAll")
	records := beam.ParDo(g, toRecordFn, pairs)
	all := beam.GroupByKey(g, beam.AddFixedKey(g, records))
	lines := beam.ParDo(g, &scoreFn{Limits: limits, Zone: cfg.Zone, TTL: cfg.TTL}, all)
	textio.Write(s, cfg.Output, lines)
	return nil
}

// parseFileFn reads one whole file per element through a dnslog.Reader
// (format given or detected, gzip by content) and emits KV<pair key,
// query>.
type parseFileFn struct {
	readOpts
	keyer
}

func (fn *parseFileFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(string, wire.Query)) error {
	rc, err := file.Open(ctx)
	if err != nil {
		return err
	}
	defer rc.Close()
	r, err := fn.reader(rc, file.Metadata.Path)
	if err != nil {
		return err
	}
	var n, dropped int64
	for ev, err := range r.AllContext(ctx) {
		if err != nil {
			return err
		}
		n++
		if key, ok := fn.key(&ev); ok {
			emit(key, wire.NewQuery(&ev))
		} else {
			dropped++
		}
	}
	eventsCounter.Inc(ctx, n)
	droppedCounter.Inc(ctx, dropped)
	badLinesCounter.Inc(ctx, r.Skipped())
	return nil
}

// detectFn emits KV<path, format> for the line reader: the format given,
// or the one detected from the file's first lines. A file that cannot be
// read line by line (gzip, or a format that carries state from line to
// line) fails the pipeline with the reason.
type detectFn struct {
	readOpts
}

func (fn *detectFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(string, string)) error {
	path := file.Metadata.Path
	rc, err := file.Open(ctx)
	if err != nil {
		return err
	}
	defer rc.Close()
	var head [2]byte
	n, _ := io.ReadFull(rc, head[:])
	if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		return fmt.Errorf("%s: gzip-compressed; textio cannot split compressed files, use -read files", path)
	}
	r, err := fn.reader(io.MultiReader(bytes.NewReader(head[:n]), rc), path)
	if err != nil {
		return err
	}
	// A bad first line is the line parser's to report; detection has
	// happened by then unless the input is not a log at all.
	_, err = r.ReadContext(ctx)
	f := r.DetectedFormat()
	switch {
	case f == "" && err == io.EOF:
		// Empty, or blank lines only: nothing to parse.
	case f == "":
		return err
	case !isLineFormat(f):
		return fmt.Errorf("%s: format %s carries state from line to line and cannot be read one line per element; use -read files", path, f)
	}
	emit(path, string(f))
	return nil
}

// parseLinesFn parses lines read by textio. A dnslog.Reader per line would
// cost a 64 KiB buffer per line, so lines are gathered per file into
// batches of about batchBytes, each parsed by one Reader; a bundle holds at
// most bundleBytes of lines before it flushes them all.
type parseLinesFn struct {
	readOpts
	keyer

	batches map[string]*lineBatch
	held    int
}

const (
	batchBytes  = 256 << 10
	bundleBytes = 4 << 20
)

// lineBatch is the lines of one file waiting to be parsed.
type lineBatch struct {
	format string
	buf    []byte
	ends   []int // end offset of each line in buf, after its newline
}

func (fn *parseLinesFn) ProcessElement(ctx context.Context, path, line string, formats func(string) func(*string) bool, emit func(string, wire.Query)) error {
	if fn.batches == nil {
		fn.batches = map[string]*lineBatch{}
	}
	b := fn.batches[path]
	if b == nil {
		var f string
		if !formats(path)(&f) {
			return fmt.Errorf("%s: no format was detected for the file", path)
		}
		b = &lineBatch{format: f}
		fn.batches[path] = b
	}
	b.buf = append(append(b.buf, line...), '\n')
	b.ends = append(b.ends, len(b.buf))
	fn.held += len(line) + 1
	if len(b.buf) >= batchBytes {
		if err := fn.flush(ctx, path, b, emit); err != nil {
			return err
		}
	}
	if fn.held >= bundleBytes {
		return fn.flushAll(ctx, emit)
	}
	return nil
}

// FinishBundle parses the lines still held. (Beam wants the side input
// here too, although the batches already know their format.)
func (fn *parseLinesFn) FinishBundle(ctx context.Context, _ func(string) func(*string) bool, emit func(string, wire.Query)) error {
	return fn.flushAll(ctx, emit)
}

func (fn *parseLinesFn) flushAll(ctx context.Context, emit func(string, wire.Query)) error {
	paths := make([]string, 0, len(fn.batches))
	for p := range fn.batches {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if err := fn.flush(ctx, p, fn.batches[p], emit); err != nil {
			return err
		}
	}
	return nil
}

// flush parses the batch of path and empties it. Errors name the file and
// the line's text and column: textio does not tell line numbers.
func (fn *parseLinesFn) flush(ctx context.Context, path string, b *lineBatch, emit func(string, wire.Query)) error {
	if len(b.buf) == 0 {
		return nil
	}
	o := fn.readOpts
	o.Format = b.format
	r, err := o.reader(bytes.NewReader(b.buf), path)
	if err != nil {
		return err
	}
	var n, dropped int64
	for ev, err := range r.AllContext(ctx) {
		if err != nil {
			return fn.lineError(path, b, err)
		}
		n++
		if key, ok := fn.key(&ev); ok {
			emit(key, wire.NewQuery(&ev))
		} else {
			dropped++
		}
	}
	eventsCounter.Inc(ctx, n)
	droppedCounter.Inc(ctx, dropped)
	badLinesCounter.Inc(ctx, r.Skipped())
	fn.held -= len(b.buf)
	b.buf, b.ends = b.buf[:0], b.ends[:0]
	return nil
}

// lineError rewrites a Reader error on a batch: its line number counts
// lines of the batch, so it is replaced by the line's text.
func (fn *parseLinesFn) lineError(path string, b *lineBatch, err error) error {
	var pe *dnslog.ParseError
	if !errors.As(err, &pe) || pe.Line < 1 || pe.Line > int64(len(b.ends)) {
		return fmt.Errorf("%s: %w", path, err)
	}
	start := 0
	if pe.Line > 1 {
		start = b.ends[pe.Line-2]
	}
	text := strings.TrimSuffix(string(b.buf[start:b.ends[pe.Line-1]]), "\n")
	if len(text) > 120 {
		text = text[:120] + "…"
	}
	col := ""
	if pe.Column > 0 {
		col = fmt.Sprintf(":%d", pe.Column)
	}
	return fmt.Errorf("%s: line %q, column%s: %s: %w", path, text, col, pe.Format, pe.Err)
}

// pairLimits mirrors nexus.Limits with fields Beam can serialise by name.
type pairLimits struct {
	MaxEvents, MaxNames int
}

func (l pairLimits) limits() nexus.Limits {
	return nexus.Limits{MaxEvents: l.MaxEvents, MaxNames: l.MaxNames}
}

// pairCombineFn combines the queries of one pair into a
// nexus.PairAccumulator. Beam lifts AddInput (and a first
// MergeAccumulators) in front of the shuffle, so what crosses it is one
// accumulator per pair per bundle, not one record per lookup.
type pairCombineFn struct {
	Limits pairLimits
}

// CreateAccumulator returns the empty accumulator.
func (fn *pairCombineFn) CreateAccumulator() *nexus.PairAccumulator {
	return &nexus.PairAccumulator{}
}

// AddInput adds one lookup.
func (fn *pairCombineFn) AddInput(a *nexus.PairAccumulator, q wire.Query) *nexus.PairAccumulator {
	ev := q.Event()
	a.Add(&ev, fn.Limits.limits())
	return a
}

// MergeAccumulators merges b into a.
func (fn *pairCombineFn) MergeAccumulators(a, b *nexus.PairAccumulator) *nexus.PairAccumulator {
	a.Merge(b, fn.Limits.limits())
	return a
}

// ExtractOutput returns the accumulator: the pair needs the key, which a
// CombineFn does not see, so the next step builds it.
func (fn *pairCombineFn) ExtractOutput(a *nexus.PairAccumulator) *nexus.PairAccumulator {
	return a
}

// toRecordFn packs a combined pair for the global step.
func toRecordFn(key string, a *nexus.PairAccumulator) []byte {
	return wire.EncodeRecord(key, a)
}

// scoreFn scores all pairs together (shares and Benjamini–Hochberg
// q-values are computed across them) and emits the JSON lines as one
// element, so that the file keeps the ranking.
type scoreFn struct {
	Limits pairLimits
	Zone   string
	TTL    time.Duration
}

func (fn *scoreFn) ProcessElement(ctx context.Context, _ int, records func(*[]byte) bool, emit func(string)) error {
	loc, err := loadZone(fn.Zone)
	if err != nil {
		return err
	}
	l := fn.Limits.limits()
	var pairs []nexus.Pair
	var rec []byte
	for records(&rec) {
		key, a, err := wire.DecodeRecord(rec)
		if err != nil {
			return err
		}
		client, domain, err := wire.SplitKey(key)
		if err != nil {
			return err
		}
		pairs = append(pairs, a.Pair(client, domain, l))
	}
	pairsCounter.Inc(ctx, int64(len(pairs)))
	scores, err := nexus.ScorePairs(ctx, pairs, nexus.Options{Location: loc, TTL: fn.TTL})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	rep := nexus.Report{Scores: scores}
	if err := rep.WriteJSON(&buf); err != nil {
		return err
	}
	if buf.Len() > 0 {
		emit(strings.TrimSuffix(buf.String(), "\n"))
	}
	return nil
}

func init() {
	beam.RegisterCoder(reflect.TypeFor[wire.Query](), wire.EncodeQuery, wire.DecodeQuery)
	beam.RegisterCoder(reflect.TypeFor[*nexus.PairAccumulator](), wire.EncodeAccumulator, wire.DecodeAccumulator)
	register.DoFn3x1[context.Context, fileio.ReadableFile, func(string, wire.Query), error](&parseFileFn{})
	register.DoFn3x1[context.Context, fileio.ReadableFile, func(string, string), error](&detectFn{})
	register.DoFn5x1[context.Context, string, string, func(string) func(*string) bool, func(string, wire.Query), error](&parseLinesFn{})
	register.Combiner3[*nexus.PairAccumulator, wire.Query, *nexus.PairAccumulator](&pairCombineFn{})
	register.Function2x1(toRecordFn)
	register.DoFn4x1[context.Context, int, func(*[]byte) bool, func(string), error](&scoreFn{})
	register.Emitter2[string, wire.Query]()
	register.Emitter2[string, string]()
	register.Emitter1[string]()
	register.Iter1[[]byte]()
	register.Iter1[string]()
}
