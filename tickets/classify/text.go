package classify

import (
	"strings"
	"unicode"
)

// cleanSubject removes reply/forward prefixes and our own ticket references
// ("[XY-1042]") from a normalized subject: they say nothing about what the
// customer wants, and our references would otherwise be learned as words.
func (lx *lexicon) cleanSubject(s string) string {
	s = stripTicketRefs(s)
	for {
		t := strings.TrimSpace(s)
		cut := false
		for _, p := range lx.replyPrefixes {
			if rest, ok := strings.CutPrefix(t, p); ok {
				t, cut = rest, true
				break
			}
		}
		s = t
		if !cut {
			return s
		}
	}
}

// stripTicketRefs removes bracketed references like "[xy-1042]".
func stripTicketRefs(s string) string {
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 || !isTicketRef(s[i+1:i+j]) {
			// Keep the bracket; look for another after it.
			k := strings.IndexByte(s[i+1:], '[')
			if k < 0 {
				return s
			}
			return s[:i+1] + stripTicketRefs(s[i+1:])
		}
		s = s[:i] + " " + s[i+j+1:]
	}
}

// isTicketRef reports whether s looks like "xy-1042": letters, a dash, digits.
func isTicketRef(s string) bool {
	letters, digits := 0, 0
	dash := false
	for _, r := range s {
		switch {
		case !dash && r < 0x80 && unicode.IsLetter(r):
			letters++
		case !dash && r == '-' && letters > 0:
			dash = true
		case dash && r >= '0' && r <= '9':
			digits++
		default:
			return false
		}
	}
	return letters > 0 && letters <= 6 && digits > 0
}

// stripDisclaimers removes legal disclaimer paragraphs from normalized
// text. They are full of words like "delete" and "confidential" that would
// otherwise look like a privacy request.
func (lx *lexicon) stripDisclaimers(s string) (string, bool) {
	// Disclaimers are rare: rule most out by their byte pairs first.
	var pairs bytePairs
	pairs.add(s)
	found := false
	for _, m := range lx.disclaimers {
		if pairs.mayContain(m) && strings.Contains(s, m) {
			found = true
			break
		}
	}
	if !found {
		return s, false
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	skipping := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			skipping = false
			out = append(out, l)
			continue
		}
		if !skipping {
			for _, m := range lx.disclaimers {
				if strings.Contains(l, m) {
					skipping = true
					break
				}
			}
		}
		if !skipping {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n"), true
}

// trimCourtesy removes the parts of a message every class shares: a
// greeting first line ("Hi,", "Sehr geehrte Damen und Herren,", "您好，"),
// and from a closing line near the end ("Best regards,", "谢谢！",
// "よろしくお願いします。") onwards, which takes the sender's name with it,
// plus mobile footers ("Sent from my iPhone"). On a small corpus such
// words and names pick up accidental class associations. A message that is
// nothing but courtesy is left as it is.
func (lx *lexicon) trimCourtesy(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	// Drop trailing blank lines and mobile footers.
	for len(lines) > 0 {
		l := strings.TrimSpace(lines[len(lines)-1])
		if l == "" || (len(l) < 60 && hasAnyPrefix(l, lx.footers)) {
			lines = lines[:len(lines)-1]
			continue
		}
		break
	}
	// Closing line among the last five non-empty lines.
	seen := 0
	for i := len(lines) - 1; i > 0 && seen < 5; i-- {
		l := strings.Trim(lines[i], " \t,.!;:~、。，！-")
		if l == "" {
			continue
		}
		seen++
		if containsExact(lx.closings, l) {
			lines = lines[:i]
			break
		}
	}
	// Greeting first line.
	if len(lines) > 1 {
		first := strings.TrimSpace(lines[0])
		if len([]rune(first)) <= 40 && hasAnyPrefix(first, lx.greetings) {
			lines = lines[1:]
		}
	}
	out := strings.TrimSpace(strings.Join(lines, "\n"))
	if out == "" {
		return s
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func containsExact(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
