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
package dnslog
