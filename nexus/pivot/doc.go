// Package pivot answers the questions an analyst asks of DNS logs and WHOIS
// before any timing analysis: what did a name resolve to, and when did that
// change; which other names sat on the same address; which names contain a
// word; which domains one organisation registered; which mail hosts were
// seen and who holds their networks.
//
// # Name ↔ address history
//
// A History is fed dnslog events, in time order (a dnslog.MultiReader
// merges several logs so):
//
//	var h pivot.History
//	m, err := dnslog.OpenFiles([]string{"recursive_dns.log"}, dnslog.Options{})
//	...
//	err = h.AddAll(ctx, m.All())
//
// Every answer becomes a Binding with first and last sight, a count, the
// TTLs logged and the first few positions (file:line) of the events that
// gave it, to be cited as evidence. A Zeek line
//
//	1474563877.49 … mail1.trump-email.com … A 0 NOERROR … 66.216.133.29 3600.000000
//
// binds mail1.trump-email.com to 66.216.133.29 (type A); a PTR lookup of
// 29.133.216.66.in-addr.arpa answered "mail1.trump-email.com" gives a PTR
// Binding of the same name and address, so h.Addr(66.216.133.29) lists the
// names of an address from forward and reverse lookups alike. An A answer
// reached through CNAMEs (www.example.com → web.example.net →
// 192.0.2.10) binds both the query name (Via "web.example.net") and the
// canonical name.
//
// Each (name, query type) also has a Series: its lookups as Periods of
// equal results — the same answer set, or NXDOMAIN, or NOERROR without
// answers once the name had answers. h.Name("mail1.trump-email.com") gives
// the periods "A 66.216.133.29 from 4 May to 22 September 2016" and
// "NXDOMAIN from 23 September", and the Change between them: kind
// "stopped", between the last lookup with the address and the first
// without. WriteMarkdown prints that as a report section, with the other
// names seen on each address (here trump1.contact-client.com, from 23
// September).
//
// # Co-hosting and search
//
// h.CoHosted(netip.MustParsePrefix("66.216.133.0/24"), from, to) returns
// every address binding inside the prefix whose time span overlaps the
// window. h.Search(pivot.Query{Word: "trump"}) finds the word in query
// names, answer data and PTR host names; Query.Pattern takes a regexp
// instead, Query.Fields narrows where to look, and GroupByDomain groups the
// hits by registrable domain (mail1.trump-email.com and
// www.trump-email.com under trump-email.com).
//
// # WHOIS pivots
//
// DomainsByRegistrant(table, "Trump Organization", pivot.MatchOptions{})
// finds the domain records whose registrant organisation, name or e-mail
// match. Names are compared after NormalizeOrg (case, punctuation, a
// leading "the" and legal forms such as Inc, LLC and Ltd removed) and
// within a small EditDistance, so the misspelt registrant "Trump
// Orgainzation" of trump-email.com matches (a fuzzy match, one swap). A
// query whose words all occur in a longer name matches too (MatchContains:
// "Cendyn" finds "Cendyn Group"). NetworksByOrg does the same for network
// holders.
//
// h.Mail(table, pivot.MailOptions{}) lists the MX targets in the logs and
// the names that look like mail hosts (DefaultMailHosts: mail1., mx2.,
// smtp.…), with their addresses, the network record covering each
// (whois.Table.Lookup) and their domain's registrant.
//
// # Live DNS
//
// Nothing is sent unless asked. A Resolver with a Server asks for the
// A, AAAA, MX, NS and TXT records of names and the PTR records of
// addresses, each query bounded by a timeout and the whole by a rate
// limit and a query cap. LiveRecord.Event turns an answer into a
// dnslog.Event, so live answers join the History beside the logs.
//
// # Malformed answers
//
// Answers that are not what their type says (an A record "66.216.133" , a
// CNAME with an empty label), CNAME loops and chains longer than MaxChain,
// and more than MaxAnswers answers on one event are skipped, counted
// (History.Malformed) and the first few kept as *AnswerError values naming
// the file and line (History.Errors). They never stop the build.
//
// # Output
//
// WriteJSON writes any result as JSON; WriteMarkdown, WriteBindings,
// WriteHits, WriteRegistrants, WriteNetworks, WriteMail and WriteLive
// write Markdown. Times are UTC.
package pivot
