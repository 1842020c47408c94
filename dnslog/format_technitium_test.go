package dnslog

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTechnitium(t *testing.T) {
	const input = `[2024-03-01 08:00:00 UTC] DNS Server was started successfully.
[2024-03-01 08:00:01 UTC] [192.0.2.10:50001] [UDP] QNAME: Mail.Example.com; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: [mx.example.com, 198.51.100.5, 198.51.100.6]
[2024-03-01 08:00:02 UTC] [192.0.2.11:50002] QNAME: nothing.example; QTYPE: AAAA; QCLASS: IN; RCODE: NxDomain; ANSWER: []
[2024-03-01 08:00:03 UTC] [[2001:db8::1]:50003] [HTTPS] QNAME: ; QTYPE: NS; QCLASS: IN; RCODE: ServerFailure; ANSWER: []
[2024-03-01 08:00:04] [192.0.2.12:50004] [TCP] QNAME: txt.example; QTYPE: TXT; QCLASS: CH; RCODE: Refused; ANSWER: [v=spf1 -all; extra]
[2024-03-01 08:00:05 UTC] [192.0.2.999:1] QNAME: x.example; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: []
[2024-03-01 08:00:05 UTC] [192.0.2.1:1] QNAME: x.example; QTYPE: AXX; QCLASS: IN; RCODE: NoError; ANSWER: []
[2024-03-01 08:00:05 UTC] [192.0.2.1:1] QNAME: x..example; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: []
[2024-03-01 08:00:05 UTC] [192.0.2.1:1] QNAME: x.example; QTYPE: A; QCLASS: IN; RCODE: Maybe; ANSWER: []
[2024-13-01 08:00:05 UTC] [192.0.2.1:1] QNAME: x.example; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: []
[2024-03-01 08:00:05 UTC] [192.0.2.1:1] QNAME: x.example; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: 1.2.3.4
`
	loc := time.FixedZone("UTC+2", 2*3600)
	r := tbReader(input, FormatTechnitium)
	r.Location = loc
	evs, errs := tbCollect(t, r)
	want := []Event{
		{Time: tbTime(t, "2024-03-01T08:00:01Z"), Client: tbAddr("192.0.2.10"), ClientPort: 50001,
			Name: "mail.example.com", RawName: "Mail.Example.com", Type: TypeA, Class: ClassIN, RCode: RCodeNoError,
			Answers: []Answer{{Data: "mx.example.com"}, {Data: "198.51.100.5"}, {Data: "198.51.100.6"}}, Pos: Position{Line: 2}},
		{Time: tbTime(t, "2024-03-01T08:00:02Z"), Client: tbAddr("192.0.2.11"), ClientPort: 50002,
			Name: "nothing.example", RawName: "nothing.example", Type: TypeAAAA, Class: ClassIN, RCode: RCodeNXDomain, Pos: Position{Line: 3}},
		{Time: tbTime(t, "2024-03-01T08:00:03Z"), Client: tbAddr("2001:db8::1"), ClientPort: 50003,
			Name: ".", RawName: "", Type: TypeNS, Class: ClassIN, RCode: RCodeServFail, Pos: Position{Line: 4}},
		// No zone: read in the Reader's Location (UTC+2).
		{Time: tbTime(t, "2024-03-01T06:00:04Z"), Client: tbAddr("192.0.2.12"), ClientPort: 50004,
			Name: "txt.example", RawName: "txt.example", Type: TypeTXT, Class: ClassCH, RCode: RCodeRefused,
			Answers: []Answer{{Data: "v=spf1 -all; extra"}}, Pos: Position{Line: 5}},
	}
	for i := range want {
		want[i].Format = FormatTechnitium
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantErrs := []tbErr{
		{6, 28, ErrAddr},
		{7, 66, ErrType},
		{8, 48, ErrName},
		{9, 88, ErrField},
		{10, 1, ErrTime},
		{11, 105, ErrField},
	}
	if diff := cmp.Diff(wantErrs, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestTechnitiumCorpus(t *testing.T) {
	evs, _ := tbCorpus(t, FormatTechnitium, 3, 0, "technitium", "extracted_examples.log")
	const file = "extracted_examples.log"
	want := []Event{
		{Time: tbTime(t, "2019-03-24T20:16:48Z"), Client: tbAddr("10.10.10.2"), ClientPort: 26593,
			Name: "out-5.smtp.github.com", RawName: "out-5.smtp.github.com", Type: TypeTXT, Class: ClassIN,
			RCode: RCodeNoError, Format: FormatTechnitium, Pos: Position{file, 1}},
		{Time: tbTime(t, "2019-03-24T20:32:22Z"), Client: tbAddr("10.10.10.100"), ClientPort: 50784,
			Name: "vk.com", RawName: "vk.com", Type: TypeAAAA, Class: ClassIN,
			RCode: RCodeNoError, Format: FormatTechnitium, Pos: Position{file, 2}},
		{Time: tbTime(t, "2026-06-29T18:49:35Z"), Client: tbAddr("127.0.0.1"), ClientPort: 12345,
			Name: "example.com", RawName: "example.com", Type: TypeA, Class: ClassIN,
			RCode: RCodeNoError, Answers: []Answer{{Data: "1.2.3.4"}}, Format: FormatTechnitium, Pos: Position{file, 3}},
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestTechnitiumSniff(t *testing.T) {
	lines := []string{
		`[2024-03-01 08:00:00 UTC] DNS Server was started successfully.`,
		`[2024-03-01 08:00:01 UTC] [192.0.2.10:50001] [UDP] QNAME: mail.example.com; QTYPE: A; QCLASS: IN; RCODE: NoError; ANSWER: []`,
		`[2024-03-01 08:00:02 UTC] [192.0.2.11:50002] QNAME: nothing.example; QTYPE: AAAA; QCLASS: IN; RCODE: NxDomain; ANSWER: []`,
	}
	if f, s := tbSniffBest(lines); f != FormatTechnitium {
		t.Errorf("best %s (%d), want technitium", f, s)
	}
}

func FuzzTechnitium(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { tbFuzzLines(t, FormatTechnitium, data) })
}
