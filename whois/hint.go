package whois

import (
	"net/netip"
	"path/filepath"
	"strings"
)

// hintAddr guesses the address a file was queried for from its name:
// "192.0.2.1.whois", "arin_192.0.2.1.txt", "rdap_arin_2001_db8__1.json"
// (underscores standing for colons). It returns the zero Addr when the
// name holds none; the hint only steers the choice among several networks.
func hintAddr(path string) netip.Addr {
	base := filepath.Base(path)
	for _, ext := range []string{".whois", ".txt", ".json", ".html", ".htm", ".rdap", ".out"} {
		base = strings.TrimSuffix(base, ext)
	}
	try := func(s string) (netip.Addr, bool) {
		if a, err := netip.ParseAddr(s); err == nil {
			return a.Unmap(), true
		}
		if a, err := netip.ParseAddr(strings.ReplaceAll(s, "_", ":")); err == nil {
			return a.Unmap(), true
		}
		return netip.Addr{}, false
	}
	if a, ok := try(base); ok {
		return a
	}
	for i := 0; i < len(base); i++ {
		if base[i] == '_' || base[i] == '-' {
			if a, ok := try(base[i+1:]); ok {
				return a
			}
		}
	}
	return netip.Addr{}
}
