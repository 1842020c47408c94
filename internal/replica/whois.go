package replica

import (
	"fmt"
	"strings"
)

// The WHOIS files follow the registries' port-43 answers: RIPE's RPSL
// objects, ARIN's key-value blocks between its comment header and footer,
// and the registrar format for domains. Ranges, names, owners and places
// follow the published case; handles, maintainers, dates, phone numbers and
// mailboxes are placeholders (mailboxes under .example, phone numbers in the
// 555-01xx range), as each file says in its comments.

const whoisNote = "SYNTHETIC RECONSTRUCTION (dnsnexus Tea Leaves replica), not a registry answer; see README.txt"

// ripeBank is the RIPE answer for any address of the bank's network.
func ripeBank() string {
	return `% ` + whoisNote + `
% Range, net name, owner and country follow the published case; handles, maintainers,
% dates, mailboxes and the origin AS are placeholders.

% This is the RIPE Database query service.
% The objects are in RPSL format.
%
% The RIPE Database is subject to Terms and Conditions.
% See http://www.ripe.net/db/support/db-terms-conditions.pdf

% Note: this output has been filtered.
%       To receive output for a database update, use the "-B" flag.

% Information related to '217.12.96.0 - 217.12.97.255'

% Abuse contact for '217.12.96.0 - 217.12.97.255' is 'abuse@alfabank.example'

inetnum:        217.12.96.0 - 217.12.97.255
netname:        ALFABANK-NET
descr:          Alfa-Bank
descr:          Moscow, Russia
country:        RU
org:            ORG-TLR1-RIPE
admin-c:        TLR1-RIPE
tech-c:         TLR1-RIPE
status:         ASSIGNED PA
remarks:        synthetic reconstruction: handles, maintainer and dates are placeholders
mnt-by:         TLR-ALFABANK-MNT
created:        2002-05-16T09:12:40Z
last-modified:  2015-11-02T14:03:51Z
source:         RIPE # Filtered

organisation:   ORG-TLR1-RIPE
org-name:       Alfa-Bank
org-type:       OTHER
address:        27 Kalanchevskaya St
address:        107078 Moscow
address:        RUSSIAN FEDERATION
abuse-c:        TLR2-RIPE
mnt-ref:        TLR-ALFABANK-MNT
mnt-by:         TLR-ALFABANK-MNT
created:        2004-03-10T11:20:05Z
last-modified:  2015-11-02T14:01:17Z
source:         RIPE # Filtered

role:           Alfa-Bank Network Operations
address:        27 Kalanchevskaya St
address:        107078 Moscow
address:        RUSSIAN FEDERATION
admin-c:        TLR1-RIPE
tech-c:         TLR1-RIPE
nic-hdl:        TLR1-RIPE
remarks:        synthetic reconstruction: placeholder contact
mnt-by:         TLR-ALFABANK-MNT
created:        2002-05-16T09:10:02Z
last-modified:  2014-07-21T08:44:30Z
source:         RIPE # Filtered

role:           Alfa-Bank Abuse Contact
address:        27 Kalanchevskaya St
address:        107078 Moscow
address:        RUSSIAN FEDERATION
abuse-mailbox:  abuse@alfabank.example
nic-hdl:        TLR2-RIPE
mnt-by:         TLR-ALFABANK-MNT
created:        2014-07-21T08:40:12Z
last-modified:  2014-07-21T08:40:12Z
source:         RIPE # Filtered

% Information related to '217.12.96.0/23AS64500'

route:          217.12.96.0/23
descr:          Alfa-Bank
origin:         AS64500
remarks:        AS64500 is a documentation number (RFC 5398): the real origin is not in the seed data
mnt-by:         TLR-ALFABANK-MNT
created:        2002-05-16T09:15:31Z
last-modified:  2002-05-16T09:15:31Z
source:         RIPE # Filtered

% This query was served by the RIPE Database Query Service version 1.87 (DB-3)

`
}

// arinNet holds what differs between the ARIN answers.
type arinNet struct {
	query                string
	first, last, cidr    string
	name, handle, parent string
	netType              string
	regDate, updated     string
	comments             []string
	orgName, orgID       string
	street, city, state  string
	postal               string
	orgReg, orgUpdated   string
	pocHandle, pocName   string
	pocPhone, pocMailbox string
}

const arinBanner = `#
# ARIN WHOIS data and services are subject to the Terms of Use
# available at: https://www.arin.net/whois_tou.html
#
# If you see inaccuracies in the results, please report at
# https://www.arin.net/public/whoisinaccuracy/index.xhtml
#
`

func arin(n arinNet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# Range, net name, owner and place follow the published case; handles, dates,\n# phone numbers and mailboxes are placeholders.\n\n", whoisNote)
	b.WriteString(arinBanner)
	fmt.Fprintf(&b, "\n\n#\n# The following results may also be obtained via:\n# https://whois.arin.net/rest/nets;q=%s?showDetails=true&showARIN=false&showNonArinTopLevelNet=false&ext=netref2\n#\n\n", n.query)
	field := func(k, v string) {
		if v == "" {
			fmt.Fprintf(&b, "%s\n", k+":")
			return
		}
		fmt.Fprintf(&b, "%-16s%s\n", k+":", v)
	}
	field("NetRange", n.first+" - "+n.last)
	field("CIDR", n.cidr)
	field("NetName", n.name)
	field("NetHandle", n.handle)
	field("Parent", n.parent)
	field("NetType", n.netType)
	field("OriginAS", "")
	field("Organization", n.orgName+" ("+n.orgID+")")
	field("RegDate", n.regDate)
	field("Updated", n.updated)
	for _, c := range n.comments {
		field("Comment", c)
	}
	field("Ref", "https://whois.arin.net/rest/net/"+n.handle)
	b.WriteString("\n\n\n")
	field("OrgName", n.orgName)
	field("OrgId", n.orgID)
	field("Address", n.street)
	field("City", n.city)
	field("StateProv", n.state)
	field("PostalCode", n.postal)
	field("Country", "US")
	field("RegDate", n.orgReg)
	field("Updated", n.orgUpdated)
	field("Ref", "https://whois.arin.net/rest/org/"+n.orgID)
	for _, role := range []string{"Abuse", "Tech", "NOC"} {
		b.WriteString("\n\n")
		field("Org"+role+"Handle", n.pocHandle)
		field("Org"+role+"Name", n.pocName)
		field("Org"+role+"Phone", n.pocPhone)
		field("Org"+role+"Email", n.pocMailbox)
		field("Org"+role+"Ref", "https://whois.arin.net/rest/poc/"+n.pocHandle)
	}
	b.WriteString("\n\n")
	b.WriteString(arinBanner)
	b.WriteString("\n")
	return b.String()
}

// registrar renders a domain record in the registrar format of 2016.
func registrar(domain, id, created, updated, expires string, registrant, admin [6]string, servers []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# Domain, registrant, administrative contact and name servers follow the published\n# case; the registrar, IDs, dates other than the year of creation, phone numbers and\n# mailboxes are placeholders.\n", whoisNote)
	fmt.Fprintf(&b, "Domain Name: %s\n", strings.ToUpper(domain))
	fmt.Fprintf(&b, "Registry Domain ID: %s\n", id)
	b.WriteString("Registrar WHOIS Server: whois.registrar.example\nRegistrar URL: http://www.registrar.example\n")
	fmt.Fprintf(&b, "Updated Date: %s\nCreation Date: %s\nRegistry Expiry Date: %s\n", updated, created, expires)
	b.WriteString("Registrar: Placeholder Registrar (not published in the seed data)\nRegistrar IANA ID: 9999\n")
	b.WriteString("Registrar Abuse Contact Email: abuse@registrar.example\nRegistrar Abuse Contact Phone: +1.5555550100\n")
	b.WriteString("Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited\n")
	contact := func(role string, c [6]string) {
		fmt.Fprintf(&b, "Registry %s ID: TLR-%s-1\n", role, strings.ToUpper(role))
		fmt.Fprintf(&b, "%s Name: %s\n%s Organization: %s\n%s Street: %s\n%s City: %s\n%s State/Province: %s\n%s Postal Code: %s\n%s Country: US\n",
			role, c[0], role, c[1], role, c[2], role, c[3], role, c[4], role, c[5], role)
		fmt.Fprintf(&b, "%s Phone: +1.5555550142\n%s Email: hostmaster@%s\n", role, role, strings.ToLower(strings.Fields(c[1])[0])+".example")
	}
	contact("Registrant", registrant)
	contact("Admin", admin)
	contact("Tech", admin)
	for _, s := range servers {
		fmt.Fprintf(&b, "Name Server: %s\n", s)
	}
	b.WriteString("DNSSEC: unsigned\nURL of the ICANN WHOIS Data Problem Reporting System: http://wdprs.internic.net/\n")
	b.WriteString(">>> Last update of WHOIS database: 2016-09-23T18:00:00Z <<<\n")
	return b.String()
}

func whoisFiles() []File {
	cendyn := [6]string{"Domain Administrator", "Cendyn", "980 N Federal Hwy", "Boca Raton", "FL", "33432"}
	trump := [6]string{"Domain Administrator", "Trump Orgainzation", "725 Fifth Ave", "New York", "NY", "10022"}
	cdc := []string{"NS1.CDCSERVICES.COM", "NS2.CDCSERVICES.COM", "NS3.CDCSERVICES.COM"}
	files := []File{
		{"167.73.110.8.whois", []byte(arin(arinNet{
			query: "167.73.110.8", first: "167.73.0.0", last: "167.73.255.255", cidr: "167.73.0.0/16",
			name: "SPECTRUM-HEALTH", handle: "NET-167-73-0-0-1", parent: "NET167 (NET-167-0-0-0-0)",
			netType: "Direct Assignment", regDate: "1993-06-21", updated: "2012-03-02",
			orgName: "Spectrum Health", orgID: "TLR-SPHE", street: "100 Michigan St NE", city: "Grand Rapids",
			state: "MI", postal: "49503", orgReg: "1993-06-21", orgUpdated: "2014-10-08",
			pocHandle: "TLR1-ARIN", pocName: "Network Operations", pocPhone: "+1-616-555-0117",
			pocMailbox: "netops@spectrumhealth.example",
		}))},
		{"198.91.42.242.whois", []byte(arin(arinNet{
			query: "198.91.42.242", first: "198.91.42.0", last: "198.91.42.255", cidr: "198.91.42.0/24",
			name: "UNPUBLISHED", handle: "NET-198-91-42-0-1", parent: "NET198 (NET-198-0-0-0-0)",
			netType: "Direct Assignment", regDate: "2000-01-01", updated: "2016-01-01",
			comments: []string{"owner not published in the seed data; synthetic placeholder",
				"no organisation, address or contact below is real"},
			orgName: "Owner not published (synthetic placeholder)", orgID: "TLR-UNKN", street: "unknown",
			city: "unknown", state: "", postal: "", orgReg: "2000-01-01", orgUpdated: "2016-01-01",
			pocHandle: "TLR9-ARIN", pocName: "Placeholder Contact", pocPhone: "+1-555-555-0199",
			pocMailbox: "placeholder@unknown.example",
		}))},
	}
	bank := []byte(ripeBank())
	for _, a := range []string{"217.12.96.15", "217.12.97.137", "217.12.97.15"} {
		files = append(files, File{a + ".whois", bank})
	}
	files = append(files,
		File{"66.216.133.29.whois", []byte(arin(arinNet{
			query: "66.216.133.29", first: "66.216.128.0", last: "66.216.159.255", cidr: "66.216.128.0/19",
			name: "LISTRAK", handle: "NET-66-216-128-0-1", parent: "NET66 (NET-66-0-0-0-0)",
			netType: "Direct Allocation", regDate: "2008-04-14", updated: "2012-02-24",
			orgName: "Listrak", orgID: "TLR-LSTR", street: "100 W Millport Rd", city: "Lititz",
			state: "PA", postal: "17543", orgReg: "2008-04-10", orgUpdated: "2015-06-30",
			pocHandle: "TLR2-ARIN", pocName: "Listrak Network Operations", pocPhone: "+1-717-555-0163",
			pocMailbox: "noc@listrak.example",
		}))},
		File{"contact-client.com.whois", []byte(registrar("contact-client.com", "1600000001_DOMAIN_COM-VRSN",
			"2010-07-19T15:22:10Z", "2016-06-20T09:41:27Z", "2017-07-19T15:22:10Z", cendyn, cendyn, cdc))},
		File{"trump-email.com.whois", []byte(registrar("trump-email.com", "1570000002_DOMAIN_COM-VRSN",
			"2009-08-14T14:20:11Z", "2016-08-15T12:05:33Z", "2017-08-14T14:20:11Z", trump, cendyn, cdc))},
	)
	return files
}
