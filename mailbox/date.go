package mailbox

import (
	"net/mail"
	"strings"
	"time"
)

// parseDate parses a Date field leniently. It returns the zero time when
// nothing fits.
func parseDate(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	// Fast path for the shape nearly every client writes; net/mail tries
	// several layouts and allocates an error for each miss.
	if t, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700", v); err == nil {
		return t
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t
	}
	s := cleanDate(v)
	if t, err := mail.ParseDate(s); err == nil {
		return t
	}
	// Shapes of Date fields seen from broken or old clients, tried after
	// net/mail.ParseDate (RFC 5322 section 3.3 plus the obsolete forms of
	// section 4.3) has failed on the cleaned value.
	layouts := [...]string{
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04 -0700",
		"2 Jan 2006 15:04:05 -0700",
		"2 Jan 2006 15:04 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 06 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05",
		"2 Jan 2006 15:04:05",
		"Mon, 2 January 2006 15:04:05 -0700",
		"Mon, Jan 2 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 -07:00",
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 -0700 2006",
		"Mon Jan 2 15:04:05 MST 2006",
		"Monday, 2 Jan 2006 15:04:05 -0700",
		"Monday, January 2, 2006 3:04 PM",
		"Monday, January 2, 2006 15:04",
		time.RFC3339,
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 -07:00",
		"2006-01-02 15:04:05",
		"2006/01/02 15:04:05",
		"2006-01-02",
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// cleanDate removes comments, doubled spaces, a trailing dot and the
// "GMT+0800"/"UTC+08:00" forms some clients write instead of a numeric zone.
func cleanDate(v string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		default:
			b.WriteByte(c)
		}
	}
	f := strings.Fields(b.String())
	for i, tok := range f {
		up := strings.ToUpper(tok)
		for _, p := range [...]string{"GMT+", "GMT-", "UTC+", "UTC-"} {
			if strings.HasPrefix(up, p) && len(tok) > 4 {
				tok = tok[3:]
				break
			}
		}
		// "+08:00" -> "+0800", "+8" -> "+0800"
		if len(tok) > 1 && (tok[0] == '+' || tok[0] == '-') && isDigits(strings.ReplaceAll(tok[1:], ":", "")) {
			d := strings.ReplaceAll(tok[1:], ":", "")
			switch len(d) {
			case 1:
				d = "0" + d + "00"
			case 2:
				d += "00"
			case 3:
				d = "0" + d
			}
			tok = tok[:1] + d
		}
		f[i] = strings.TrimRight(tok, ".")
	}
	// Drop a zone name following a numeric zone ("+0800 CST").
	if n := len(f); n >= 2 && isZoneOffset(f[n-2]) && !isZoneOffset(f[n-1]) {
		f = f[:n-1]
	}
	return strings.Join(f, " ")
}

func isZoneOffset(s string) bool {
	return len(s) == 5 && (s[0] == '+' || s[0] == '-') && isDigits(s[1:])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
