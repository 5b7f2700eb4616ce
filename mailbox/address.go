package mailbox

import (
	"strings"
)

// NormalizeEmail returns the canonical key form of an address: surrounding
// space, angle brackets, quotes and a "mailto:" prefix removed, and the
// whole address lower-cased.
//
// The local part is lower-cased too, although RFC 5321 section 2.4 lets a
// server treat it case-sensitively: no mainstream mailbox provider does, and
// a customer writing once as Alice@ and once as alice@ must stay one
// customer and must match our own addresses for loop protection. Use it for
// keys and comparisons; Address.Email keeps the local part as written so
// replies go back exactly where they came from.
func NormalizeEmail(s string) string {
	return strings.ToLower(trimAddr(s))
}

// trimAddr strips the decoration around a bare address.
func trimAddr(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j >= 0 {
			s = s[i+1 : i+j]
		} else {
			s = s[i+1:]
		}
	}
	s = strings.Trim(s, " \t\r\n<>\"'")
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	return strings.TrimSpace(s)
}

// cleanEmail gives the Address.Email form: decoration removed and the
// domain lower-cased; the local part is kept as written.
func cleanEmail(s string) string {
	s = trimAddr(s)
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		return s[:at+1] + strings.ToLower(s[at+1:])
	}
	return s
}

// parseAddressList parses an address header leniently. It copes with what
// net/mail rejects: unquoted specials and 8-bit bytes in display names,
// missing brackets, RFC 2047 words inside quoted strings, groups and
// trailing junk. raw must already be valid UTF-8 (decodeRawHeader).
func parseAddressList(raw string, nt *notes) []Address {
	var out []Address
	for _, item := range splitAddressList(raw) {
		if a, ok := parseOneAddress(item, nt); ok {
			out = append(out, a)
		}
	}
	return out
}

// splitAddressList splits at commas and semicolons outside quotes, angle
// brackets and comments, and drops group names ("Team: a@x, b@y;").
func splitAddressList(s string) []string {
	var items []string
	depth, inQuote, inAngle := 0, false, false
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (inQuote || depth > 0):
			i++
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case c == '"' && depth == 0:
			inQuote = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case inAngle:
		case c == ':':
			// Group name: only when no address has started in this item.
			if !strings.ContainsAny(s[start:i], "@<") {
				start = i + 1
			}
		case c == ',' || c == ';':
			items = append(items, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		items = append(items, s[start:])
	}
	return items
}

func parseOneAddress(item string, nt *notes) (Address, bool) {
	item = strings.TrimSpace(item)
	if item == "" {
		return Address{}, false
	}
	var name, email string
	if lt := strings.LastIndexByte(item, '<'); lt >= 0 {
		gt := strings.IndexByte(item[lt:], '>')
		if gt >= 0 {
			email = item[lt+1 : lt+gt]
			name = item[:lt] + " " + item[lt+gt+1:]
		} else {
			email = item[lt+1:]
			name = item[:lt]
		}
	} else {
		// addr-spec, maybe with a comment holding the name: a@b (Name).
		email = item
		if op := strings.IndexByte(item, '('); op >= 0 {
			email = item[:op]
			name = strings.TrimRight(item[op+1:], ") ")
		}
		if f := strings.Fields(email); len(f) > 1 {
			// "Name a@b" without brackets: take the token with '@'.
			for i, tok := range f {
				if strings.IndexByte(tok, '@') >= 0 {
					email = tok
					name = strings.Join(append(f[:i:i], f[i+1:]...), " ")
					break
				}
			}
		}
	}
	email = cleanEmail(strings.Join(strings.Fields(email), ""))
	name = cleanDisplayName(name, nt)
	if email == "" && name == "" {
		return Address{}, false
	}
	return Address{Name: name, Email: email}, true
}

// cleanDisplayName removes quotes and comment parentheses, decodes RFC 2047
// words and collapses whitespace.
func cleanDisplayName(s string, nt *notes) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	out := strings.TrimSpace(b.String())
	if len(out) >= 2 && out[0] == '(' && out[len(out)-1] == ')' {
		out = out[1 : len(out)-1]
	}
	out = decodeWords(out, nt)
	return strings.Join(strings.Fields(out), " ")
}

// maxIDs bounds the identifiers kept from one field; real References
// fields stay far below it.
const maxIDs = 200

// parseMsgIDs extracts message identifiers without angle brackets, in
// order and without duplicates. Bracketed ids (RFC 5322 section 3.6.4) are
// taken as they are; outside brackets, comments and quoted strings are
// skipped and only tokens containing '@' count, which drops the junk some
// clients add ("<a@b> (Your message of ...)") while keeping ids whose
// brackets were lost.
func parseMsgIDs(v string) []string {
	v = decodeRawHeader(v) // ids are ASCII; junk bytes must still come out as UTF-8
	var ids []string
	add := func(id string) {
		if id == "" || len(ids) >= maxIDs {
			return
		}
		for _, x := range ids {
			if x == id {
				return
			}
		}
		ids = append(ids, id)
	}
	for i := 0; i < len(v); {
		switch c := v[i]; {
		case c == '<':
			end := strings.IndexAny(v[i+1:], "<>")
			if end < 0 {
				end = len(v) - i - 1
			}
			add(strings.Join(strings.Fields(v[i+1:i+1+end]), ""))
			i += 1 + end
			if i < len(v) && v[i] == '>' {
				i++
			}
		case c == '(':
			depth := 0
			for ; i < len(v); i++ {
				if v[i] == '(' {
					depth++
				} else if v[i] == ')' {
					if depth--; depth == 0 {
						i++
						break
					}
				}
			}
		case c == '"':
			end := strings.IndexByte(v[i+1:], '"')
			if end < 0 {
				i = len(v)
			} else {
				i += end + 2
			}
		case c == ' ' || c == '\t' || c == ',' || c == ';' || c == '>' || c == ')' || c == '\r' || c == '\n':
			i++
		default:
			j := i
			for j < len(v) && !strings.ContainsRune(" \t,;<>()\"\r\n", rune(v[j])) {
				j++
			}
			if tok := v[i:j]; strings.IndexByte(tok, '@') > 0 {
				add(tok)
			}
			i = j
		}
	}
	return ids
}

// parseMessageID returns the first identifier of a Message-ID field; a
// bare token without '@' is accepted as a last resort (some tools emit
// them), since losing the id would break duplicate detection.
func parseMessageID(v string) string {
	if ids := parseMsgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	if f := strings.Fields(strings.Trim(decodeRawHeader(v), " \t<>")); len(f) == 1 {
		return f[0]
	}
	return ""
}
