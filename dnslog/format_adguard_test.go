package dnslog

import (
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAdGuard(t *testing.T) {
	b64 := func(m []byte) string { return base64.StdEncoding.EncodeToString(m) }
	ok := b64(tbMsg(0x8180, "Shop.Example.net", 1, []tbRR{
		{Type: 5, TTL: 120, Data: tbName("edge.example.net")},
		{Owner: tbName("edge.example.net"), Type: 1, TTL: 30, Data: []byte{203, 0, 113, 7}},
	}))
	nx := b64(tbMsg(0x8183, "gone.example", 28, nil))
	lines := []string{
		`{"IP":"192.0.2.50","T":"2024-04-01T12:00:00.123456+02:00","QH":"Shop.Example.net","QT":"A","QC":"IN","CP":"","Answer":"` + ok + `","Result":{},"Elapsed":1234,"Upstream":"https://dns.example/dns-query"}`,
		`{"T":"2024-04-01T10:00:01Z","IP":"2001:db8::50","QH":"gone.example","QT":"AAAA","QC":"IN","CP":"doh","Answer":"` + nx + `","Cached":true}`,
		`{"T":"2024-04-01T10:00:02Z","IP":"192.0.2.51","QH":"blocked.example","QT":"HTTPS","QC":"IN","CP":"dot","Result":{"IsFiltered":true,"Reason":3,"Rules":[{"Text":"||blocked.example^"}]}}`,
		`{"T":"2024-04-01T10:00:03Z","IP":"192.0.2.52","QH":"caf\u00e9.example","QT":"A","QC":"IN","CP":"","Answer":null}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x.example","QT":"A","QC":"IN","CP":"quic"}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.999","QH":"x.example","QT":"A","QC":"IN"}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x..example","QT":"A","QC":"IN"}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x.example","QT":"NOPE","QC":"IN"}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x.example","QT":"A","QC":"IN","Answer":"!!!"}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x.example","QT":"A","QC":"IN","Answer":"` + b64([]byte{1, 2, 3, 4, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12}) + `"}`,
		`{"IP":"192.0.2.52","QH":"x.example"}`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x.example",}`,
		`not json`,
		`{"T":"2024-04-01T10:00:04Z","IP":"192.0.2.52","QH":"x.example"} trailing`,
	}
	var input string
	for _, l := range lines {
		input += l + "\n"
	}
	evs, errs := tbReadAll(t, FormatAdGuard, input)
	want := []Event{
		{Time: tbTime(t, "2024-04-01T10:00:00.123456Z"), Client: tbAddr("192.0.2.50"),
			Name: "shop.example.net", RawName: "Shop.Example.net", Type: TypeA, Class: ClassIN, RCode: RCodeNoError,
			Answers: []Answer{
				{Data: "edge.example.net", Type: TypeCNAME, TTL: 120, HasTTL: true},
				{Data: "203.0.113.7", Type: TypeA, TTL: 30, HasTTL: true},
			}, Pos: Position{Line: 1}},
		{Time: tbTime(t, "2024-04-01T10:00:01Z"), Client: tbAddr("2001:db8::50"),
			Name: "gone.example", RawName: "gone.example", Type: TypeAAAA, Class: ClassIN, RCode: RCodeNXDomain, Pos: Position{Line: 2}},
		{Time: tbTime(t, "2024-04-01T10:00:02Z"), Client: tbAddr("192.0.2.51"),
			Name: "blocked.example", RawName: "blocked.example", Type: TypeHTTPS, Class: ClassIN, RCode: RCodeUnknown, Pos: Position{Line: 3}},
		{Time: tbTime(t, "2024-04-01T10:00:03Z"), Client: tbAddr("192.0.2.52"),
			Name: "xn--caf-dma.example", RawName: "café.example", Type: TypeA, Class: ClassIN, RCode: RCodeUnknown, Pos: Position{Line: 4}},
	}
	for i := range want {
		want[i].Format = FormatAdGuard
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantErrs := []tbErr{
		{5, 88, ErrField},
		{6, 34, ErrAddr},
		{7, 52, ErrName},
		{8, 69, ErrType},
		{9, 92, ErrField},
		{10, 92, ErrField},
		{11, 1, ErrTime},
		{12, 64, ErrField},
		{13, 1, ErrField},
		{14, 65, ErrField},
	}
	if diff := cmp.Diff(wantErrs, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestAdGuardCorpus(t *testing.T) {
	// Lines 3 (a "12/09/1998T…" time) and 4 (client protocol "dog") are
	// bad on purpose.
	evs, errs := tbCorpus(t, FormatAdGuard, 2, 2, "adguardhome", "decode_test_examples.jsonl")
	const file = "decode_test_examples.jsonl"
	var want []Event
	for line := int64(1); line <= 2; line++ {
		want = append(want, Event{
			Time: tbTime(t, "2020-11-25T15:55:56.519796Z"), Client: tbAddr("127.0.0.1"),
			Name: "an.yandex.ru", RawName: "an.yandex.ru", Type: TypeA, Class: ClassIN, RCode: RCodeNoError,
			Answers: []Answer{{Data: "0.0.0.0", Type: TypeA, TTL: 10, HasTTL: true}},
			Format:  FormatAdGuard, Pos: Position{file, line},
		})
	}
	if diff := cmp.Diff(want, evs, tbOpts); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]tbErr{{3, 23, ErrTime}, {4, 102, ErrField}}, tbErrs(t, errs), tbErrCmp); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestAdGuardSniff(t *testing.T) {
	lines := []string{`{"IP":"192.0.2.50","T":"2024-04-01T12:00:00Z","QH":"a.example","QT":"A","QC":"IN","CP":"","Elapsed":1}`}
	if f, s := tbSniffBest(lines); f != FormatAdGuard {
		t.Errorf("best %s (%d), want adguard", f, s)
	}
}

func FuzzAdGuard(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { tbFuzzLines(t, FormatAdGuard, data) })
}
