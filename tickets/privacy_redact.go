package tickets

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"helpdesk/mailbox"
)

// The redactor is how erasure removes a person from what it keeps: their
// address, its local part, their names and each word of them, replaced by
// erasedMark in columns (str), in raw bytes (bytes) and, through
// mailbox.RewriteText, in the headers and parts of a message as a reader
// decodes them (mail).

const erasedMark = "[erased]"

// redactor replaces a person's address and names in text and bytes.
type redactor struct{ res []*regexp.Regexp }

func newRedactor(email string, names []string) *redactor {
	r := &redactor{}
	add := func(s string, word bool) {
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) < 2 {
			return
		}
		p := regexp.QuoteMeta(s)
		if word && isASCII(s) {
			p = `\b` + p + `\b`
		}
		r.res = append(r.res, regexp.MustCompile(`(?i)`+p))
	}
	add(email, false)
	local, _, _ := strings.Cut(email, "@")
	if len(local) >= 3 {
		add(local, true)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		add(n, false)
	}
	for _, n := range names {
		for _, part := range strings.Fields(n) {
			add(strings.Trim(part, `"'(),.<>`), true)
		}
	}
	return r
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (r *redactor) str(s string) string {
	for _, re := range r.res {
		s = re.ReplaceAllString(s, erasedMark)
	}
	return s
}

func (r *redactor) bytes(b []byte) []byte {
	for _, re := range r.res {
		b = re.ReplaceAll(b, []byte(erasedMark))
	}
	return b
}

func (r *redactor) matches(b []byte) bool {
	for _, re := range r.res {
		if re.Match(b) {
			return true
		}
	}
	return false
}

// mail redacts a raw message: the bytes as they are, then every header
// and text part as a reader decodes it (base64, quoted-printable,
// encoded-words, GBK and other charsets), which a byte search alone
// misses. changed reports whether the person was found.
func (r *redactor) mail(raw []byte) (out []byte, changed bool) {
	out = raw
	if r.matches(raw) {
		out, changed = r.bytes(raw), true
	}
	if decoded, ok := mailbox.RewriteText(out, r.str); ok {
		out, changed = decoded, true
	}
	return out, changed
}

// inAttachment reports whether a stored attachment names the person: in
// its bytes, its filename, or its decoded text (a text file in GBK, a
// forwarded message with a base64 body).
func (r *redactor) inAttachment(a Attachment) bool {
	if r.matches(a.Data) || r.matches([]byte(a.Filename)) {
		return true
	}
	ct := strings.ToLower(a.ContentType)
	switch {
	case strings.HasPrefix(ct, "message/"):
		_, found := r.mail(a.Data)
		return found
	case strings.HasPrefix(ct, "text/"):
		// An entity with an empty header: text of unknown charset.
		_, found := mailbox.RewriteText(append([]byte("\n"), a.Data...), r.str)
		return found
	}
	return false
}
