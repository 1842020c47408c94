package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var replica = filepath.Join("..", "..", "testdata", "tealeaves")

// result is the part of the JSON output the test reads.
type result struct {
	Events int64
	Names  []struct {
		Name     string
		Bindings []struct {
			Addr, Type string
			First      string
			Last       string
			Count      int64
		}
		Changes []struct {
			Kind   string
			Type   string
			Before struct {
				Answers []string
				Last    string
				LastPos struct{ Line int64 } `json:"last_pos"`
			}
			After struct {
				State    string
				First    string
				FirstPos struct{ Line int64 } `json:"first_pos"`
			}
		}
	}
	CoHosted []struct {
		Name, Addr, First string
	}
	Registrants []struct {
		Domain, Field, Value, Kind string
		Distance                   int
	}
	Mail []struct {
		Host       string
		Registrant string
		Addrs      []struct{ Addr, Owner, NetName string } `json:"addrs"`
	}
}

func runJSON(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"-json"}, args...), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return r
}

// TestReplica runs the pivots of the Tea Leaves case on the replica: the
// mail host's binding history, the name that appeared on its address, and
// the registrant search that finds trump-email.com despite the misspelt
// record.
func TestReplica(t *testing.T) {
	r := runJSON(t, "-whois", replica, "-name", "mail1.trump-email.com", "-cohost", "66.216.133.29",
		"-from", "2016-09-23", "-to", "2016-09-23", "-registrant", "Trump Organization", "-mail",
		filepath.Join(replica, "recursive_dns.log"))
	if r.Events != 10 || len(r.Names) != 1 {
		t.Fatalf("events %d, names %d", r.Events, len(r.Names))
	}
	n := r.Names[0]
	var addrs []string
	for _, b := range n.Bindings {
		addrs = append(addrs, b.Type+" "+b.Addr+" "+b.First[:10]+" "+b.Last[:10])
	}
	if diff := cmp.Diff([]string{"A 66.216.133.29 2016-05-04 2016-09-22"}, addrs); diff != "" {
		t.Errorf("bindings of mail1.trump-email.com (-want +got):\n%s", diff)
	}
	if len(n.Changes) != 1 {
		t.Fatalf("changes: %+v", n.Changes)
	}
	c := n.Changes[0]
	got := []string{c.Kind, c.Type, strings.Join(c.Before.Answers, ","), c.Before.Last[:10], c.After.State, c.After.First[:10]}
	if diff := cmp.Diff([]string{"stopped", "A", "A 66.216.133.29", "2016-09-22", "NXDOMAIN", "2016-09-23"}, got); diff != "" {
		t.Errorf("change (-want +got):\n%s", diff)
	}
	if c.Before.LastPos.Line != 15 || c.After.FirstPos.Line != 16 {
		t.Errorf("evidence lines %d, %d; want 15, 16", c.Before.LastPos.Line, c.After.FirstPos.Line)
	}
	var co []string
	for _, b := range r.CoHosted {
		co = append(co, b.Name+" "+b.Addr+" "+b.First[:10])
	}
	if diff := cmp.Diff([]string{"trump1.contact-client.com 66.216.133.29 2016-09-23"}, co); diff != "" {
		t.Errorf("co-hosted on 23 September (-want +got):\n%s", diff)
	}
	if len(r.Registrants) != 1 {
		t.Fatalf("registrants: %+v", r.Registrants)
	}
	reg := r.Registrants[0]
	if diff := cmp.Diff([]string{"trump-email.com", "registrant.org", "Trump Orgainzation", "fuzzy"},
		[]string{reg.Domain, reg.Field, reg.Value, reg.Kind}); diff != "" {
		t.Errorf("registrant match (-want +got):\n%s", diff)
	}
	if len(r.Mail) != 1 || r.Mail[0].Host != "mail1.trump-email.com" || len(r.Mail[0].Addrs) != 1 ||
		r.Mail[0].Addrs[0].Owner != "Listrak" || r.Mail[0].Registrant != "Trump Orgainzation" {
		t.Errorf("mail: %+v", r.Mail)
	}

	// Without a window both names of the address are listed.
	r = runJSON(t, "-cohost", "66.216.133.0/24", filepath.Join(replica, "recursive_dns.log"))
	co = nil
	for _, b := range r.CoHosted {
		co = append(co, b.Name)
	}
	if diff := cmp.Diff([]string{"mail1.trump-email.com", "trump1.contact-client.com"}, co); diff != "" {
		t.Errorf("co-hosted in /24 (-want +got):\n%s", diff)
	}
}

func TestMarkdownAndErrors(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-grep", "trump", filepath.Join(replica, "recursive_dns.log")}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"## Search",
		"| trump-email.com | query | mail1.trump-email.com |",
		"| contact-client.com | query | trump1.contact-client.com |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{filepath.Join(replica, "recursive_dns.log")}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "mail1.trump-email.com A **stopped**") {
		t.Errorf("default output (exit %d):\n%s", code, out.String())
	}
	for _, args := range [][]string{
		{"-registrant", "x", filepath.Join(replica, "recursive_dns.log")},
		{"-cohost", "not-an-address", filepath.Join(replica, "recursive_dns.log")},
		{"-regexp", "(", filepath.Join(replica, "recursive_dns.log")},
		{filepath.Join(replica, "no-such-file.log")},
	} {
		errb.Reset()
		if code := run(context.Background(), args, &out, &errb); code != 1 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want 1 and a message", args, code, errb.String())
		}
	}
}
