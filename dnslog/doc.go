// Package dnslog reads DNS query logs of many formats into one stream of
// [Event] values.
//
// A [Reader] detects the format from the first lines of its input (or is
// told it), decompresses gzip, and returns events one at a time with Read,
// or as an iterator with All:
//
//	r := dnslog.NewReader(f)
//	r.File = "ns1.log" // for error positions
//	for ev, err := range r.All() {
//		if err != nil {
//			return err // a *ParseError naming file, line and column
//		}
//		fmt.Println(ev.Time, ev.Client, ev.Name, ev.Type)
//	}
//
// Every format fills the same Event: time in UTC, client and server
// addresses as netip.Addr, the query name lowercased without its trailing
// dot, type, class, response code (RCodeUnknown when the log has none),
// answers when logged, and the source position.
//
// Bad lines give a [*ParseError] naming the file, line and column and
// wrapping one of the Err* causes ([ErrTime], [ErrAddr], [ErrName], …).
// Set Reader.Lenient to skip them instead; Skipped and Errors then say how
// many and why. Lines longer than Reader.MaxLineBytes are skipped without
// being buffered. Reader.Location dates stamps that carry no zone and
// Reader.Year those that carry no year.
//
// Several logs of the same traffic (one per name server, say) are merged
// in time order by a [MultiReader], which can also drop the same query
// seen at several servers ([MultiReader.Dedup]). Large files of formats
// whose lines are independent decode on several cores with
// Reader.Parallel. [ReadFile], [OpenFile] and [OpenFiles] cover the common
// whole-file cases; the command examples/parse wraps them for the shell.
package dnslog
