package mailbox

import "strings"

// maxNotes bounds ParseErrors so a pathological message cannot grow it
// without limit.
const maxNotes = 64

// notes collects ParseErrors without duplicates.
type notes struct {
	list []string
}

func (n *notes) add(s string) {
	if s == "" || len(n.list) >= maxNotes {
		return
	}
	for _, x := range n.list {
		if x == s {
			return
		}
	}
	n.list = append(n.list, s)
}

// decodeHeaderValue turns a raw header value into UTF-8 text: raw 8-bit
// bytes are guessed first, then RFC 2047 encoded-words are decoded.
func decodeHeaderValue(raw string, nt *notes) string {
	return decodeWords(decodeRawHeader(raw), nt)
}

// decodeWords decodes RFC 2047 encoded-words anywhere in s (also inside
// quoted strings and parameters, where senders put them against the
// rules). Whitespace between adjacent encoded-words is dropped (RFC 2047
// section 6.2), and the bytes of adjacent words in the same charset are
// joined before conversion, so a multi-byte character split across two
// words (a common encoder bug with GBK and UTF-8) survives.
func decodeWords(s string, nt *notes) string {
	i := strings.Index(s, "=?")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var pend []byte // bytes of pending encoded-words
	pendCharset := ""
	flush := func() {
		if pendCharset == "" {
			return
		}
		txt, note := decodeCharset(pend, pendCharset)
		nt.add(note)
		b.WriteString(txt)
		pend, pendCharset = pend[:0], ""
	}
	lastWasWord := false
	for {
		charset, data, end, ok := nextWord(s, i)
		if !ok && !strings.Contains(s[i+2:], "?=") {
			// No word can end anywhere further on: stop scanning (keeps
			// hostile input like "=?a?b?" repeated linear).
			break
		}
		if !ok {
			// Not an encoded-word: emit up to and including "=?" literally.
			flush()
			b.WriteString(s[:i+2])
			s = s[i+2:]
			lastWasWord = false
		} else {
			gap := s[:i]
			if !(lastWasWord && isBlank(gap)) {
				flush()
				b.WriteString(gap)
			}
			if pendCharset != "" && !strings.EqualFold(pendCharset, charset) {
				flush()
			}
			pendCharset = charset
			pend = append(pend, data...)
			s = s[end:]
			lastWasWord = true
		}
		i = strings.Index(s, "=?")
		if i < 0 {
			break
		}
	}
	flush()
	b.WriteString(s)
	return b.String()
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' {
			return false
		}
	}
	return true
}

// nextWord parses the encoded-word "=?charset?E?text?=" starting at s[i].
// It returns the charset (language suffix of RFC 2231 section 5 removed),
// the decoded bytes and the index just past the word.
func nextWord(s string, i int) (charset string, data []byte, end int, ok bool) {
	rest := s[i+2:]
	q1 := strings.IndexByte(rest, '?')
	if q1 <= 0 || q1 > 64 || len(rest) < q1+3 || rest[q1+2] != '?' {
		return "", nil, 0, false
	}
	charset = rest[:q1]
	if strings.ContainsAny(charset, " \t\"=") {
		return "", nil, 0, false
	}
	if star := strings.IndexByte(charset, '*'); star >= 0 {
		charset = charset[:star]
	}
	enc := rest[q1+1]
	text := rest[q1+3:]
	q2 := strings.Index(text, "?=")
	if q2 < 0 {
		return "", nil, 0, false
	}
	text = text[:q2]
	end = i + 2 + q1 + 3 + q2 + 2
	switch enc {
	case 'B', 'b':
		data, _ = decodeBase64([]byte(text))
	case 'Q', 'q':
		data = decodeQWord(text)
	default:
		return "", nil, 0, false
	}
	return charset, data, end, true
}

// decodeQWord decodes the "Q" encoding of RFC 2047 section 4.2.
func decodeQWord(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s):
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|l)
				i += 2
			} else {
				out = append(out, c)
			}
		default:
			out = append(out, c)
		}
	}
	return out
}
