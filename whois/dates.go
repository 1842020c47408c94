package whois

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLayouts are tried in order on a cleaned date string. Layouts without
// a zone are read in the caller's location.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05-0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006.01.02 15:04:05",
	"2006.01.02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	"20060102 15:04:05",
	"02-Jan-2006",
	"02-Jan-2006 15:04:05",
	"2-Jan-2006",
	"02-January-2006",
	"02 Jan 2006",
	"2 Jan 2006",
	"02 January 2006",
	"2 January 2006",
	"Jan 2 2006",
	"January 2 2006",
	"Jan 02 2006",
	"02.01.2006 15:04:05",
	"02.01.2006",
	"2.1.2006",
	time.RFC1123Z,
	time.RFC1123,
	time.UnixDate,
	time.ANSIC,
	"Mon Jan 2 2006",
	"Mon, 02 Jan 2006 15:04:05 -0700",
	"2006-Jan-02",
}

// zoneOffsets maps the few zone abbreviations registries print to their
// fixed offsets in seconds.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0,
	"JST": 9 * 3600, "KST": 9 * 3600, "CST": 8 * 3600, // China Standard Time in CNNIC answers
	"BRST": -2 * 3600, "BRT": -3 * 3600,
	"CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
	"EST": -5 * 3600, "EDT": -4 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

var (
	reSlashDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
	reZoneParen = regexp.MustCompile(`\s*\(([A-Za-z]{1,5})\)$`)
	reZoneWord  = regexp.MustCompile(`\s+([A-Z]{1,5})$`)
	reSpaces    = regexp.MustCompile(`\s+`)
)

// parseDate reads a registry date. It returns ok=false when the text is not
// a date it knows, and ambiguous=true (with a zero time) for slash dates
// such as "03/04/2020" that read differently day-first and month-first.
// Zone-less dates are taken in loc (UTC when nil). The result is UTC.
func parseDate(s string, loc *time.Location) (t time.Time, ambiguous, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if len(s) > 64 || s == "" {
		return time.Time{}, false, false
	}
	s = reSpaces.ReplaceAllString(s, " ")
	s = strings.TrimSuffix(s, ".")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "before "), "Before ")
	in := loc
	if m := reZoneParen.FindStringSubmatch(s); m != nil {
		off, known := zoneOffsets[strings.ToUpper(m[1])]
		if !known {
			return time.Time{}, false, false
		}
		in = time.FixedZone(strings.ToUpper(m[1]), off)
		s = s[:len(s)-len(m[0])]
	} else if m := reZoneWord.FindStringSubmatch(s); m != nil {
		if off, known := zoneOffsets[m[1]]; known {
			in = time.FixedZone(m[1], off)
			s = s[:len(s)-len(m[0])]
		}
	}
	if m := reSlashDate.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		var day, mon int
		switch {
		case a > 12 && b <= 12:
			day, mon = a, b
		case b > 12 && a <= 12:
			day, mon = b, a
		case a == b:
			day, mon = a, b
		default:
			return time.Time{}, true, true
		}
		if day < 1 || day > 31 || mon < 1 || mon > 12 {
			return time.Time{}, false, false
		}
		h, mi, sec := 0, 0, 0
		if m[4] != "" {
			h, _ = strconv.Atoi(m[4])
			mi, _ = strconv.Atoi(m[5])
			if m[6] != "" {
				sec, _ = strconv.Atoi(m[6])
			}
		}
		t := time.Date(y, time.Month(mon), day, h, mi, sec, 0, in)
		if t.Day() != day {
			return time.Time{}, false, false
		}
		return t.UTC(), false, true
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, in); err == nil {
			return t.UTC(), false, true
		}
	}
	return time.Time{}, false, false
}

var reYMD = regexp.MustCompile(`\b(19|20)(\d{2})(\d{2})(\d{2})\b`)

// changedDate extracts the YYYYMMDD date from an RPSL "changed:" value such
// as "hostmaster@example.net 20020726".
func changedDate(v string) (time.Time, bool) {
	m := reYMD.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", m[0])
	return t, err == nil
}
