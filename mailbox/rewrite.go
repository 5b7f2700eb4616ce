package mailbox

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"html"
	"mime"
	"mime/quotedprintable"
	"strings"
)

// RewriteText applies edit to every piece of human-readable text in a raw
// message as a reader would see it: header values after RFC 2047 and
// 8-bit decoding, and the bodies of text/* parts (attachments included)
// after transfer and charset decoding, in nested messages too. Where edit
// changes something, that header field or part is re-encoded as UTF-8 in
// its original transfer encoding (the part's charset parameter becomes
// utf-8); everything else keeps its exact bytes. changed reports whether
// anything was rewritten; when it is false, out is raw.
//
// Erasure uses it: a byte search over raw mail misses an address that sits
// in a base64 or quoted-printable body, an encoded-word or a GBK header.
// Like Parse it never panics and never fails: an entity it cannot make
// sense of is left as it is.
func RewriteText(raw []byte, edit func(string) string) (out []byte, changed bool) {
	defer func() {
		// Last line of defence, as in Parse; FuzzRewriteText calls
		// rewriteText directly so that a panic fails it.
		if recover() != nil {
			out, changed = raw, false
		}
	}()
	return rewriteText(raw, edit)
}

func rewriteText(raw []byte, edit func(string) string) ([]byte, bool) {
	rw := &rewriter{edit: edit}
	return rw.entity(raw, 0, "text/plain")
}

type rewriter struct {
	edit  func(string) string
	parts int
	br    *bufio.Reader // reused by readFields
	nt    notes         // required by the decoders; not reported
}

// entity rewrites one MIME entity (header and body).
func (rw *rewriter) entity(b []byte, depth int, defaultType string) ([]byte, bool) {
	rw.parts++
	if rw.parts > maxParts || depth > maxDepth {
		return b, false
	}
	hdr, body := splitHeader(b, &rw.nt)
	headEnd := len(b) - len(body)
	eol := "\n"
	if i := bytes.IndexByte(b, '\n'); i > 0 && b[i-1] == '\r' {
		eol = "\r\n"
	}
	if rw.br == nil {
		rw.br = bufio.NewReaderSize(nil, 1024)
	}
	fields := readFields(hdr, rw.br, &rw.nt)
	mt, params := defaultType, map[string]string(nil)
	if ct := fields.get("Content-Type"); strings.TrimSpace(ct) != "" {
		mt, params = parseMediaHeader(decodeRawHeader(ct), &rw.nt)
		if strings.IndexByte(mt, '/') <= 0 {
			mt = "text/plain" // as Parse reads it
		}
	}
	cte := strings.ToLower(strings.TrimSpace(fields.get("Content-Transfer-Encoding")))

	newBody, bodyChanged := rw.body(body, depth, mt, params, cte, eol)
	var setCharset map[string]string
	if bodyChanged && strings.HasPrefix(mt, "text/") {
		setCharset = map[string]string{}
		for k, v := range params {
			setCharset[k] = v
		}
		setCharset["charset"] = "utf-8"
	}
	newHead, headChanged := rw.header(b[:headEnd], eol, mt, setCharset)
	if !bodyChanged && !headChanged {
		return b, false
	}
	out := make([]byte, 0, len(newHead)+len(newBody))
	out = append(out, newHead...)
	return append(out, newBody...), true
}

// body rewrites an entity's body according to its type.
func (rw *rewriter) body(body []byte, depth int, mt string, params map[string]string, cte, eol string) ([]byte, bool) {
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		ranges, _ := multipartRanges(body, params["boundary"])
		if ranges == nil {
			return rw.text(body, "", cte, eol, false)
		}
		child := "text/plain"
		if mt == "multipart/digest" {
			child = "message/rfc822"
		}
		var out []byte
		last, changed := 0, false
		for _, r := range ranges {
			part, ok := rw.entity(body[r[0]:r[1]], depth+1, child)
			if !ok {
				continue
			}
			out = append(out, body[last:r[0]]...)
			out = append(out, part...)
			last, changed = r[1], true
		}
		if !changed {
			return body, false
		}
		return append(out, body[last:]...), true
	case mt == "message/rfc822" || mt == "message/global":
		inner, note := decodeTransfer(body, cte)
		if note != "" {
			return body, false
		}
		rewritten, ok := rw.entity(inner, depth+1, "text/plain")
		if !ok {
			return body, false
		}
		return encodeTransfer(rewritten, cte, eol), true
	case strings.HasPrefix(mt, "text/"):
		return rw.text(body, params["charset"], cte, eol, mt == "text/html")
	}
	return body, false
}

// text rewrites a text body, returning it UTF-8 in the same transfer
// encoding when edit changed it. For HTML it then checks the text a
// reader gets from it (Parse's htmlToText): when markup or character
// references still hide what edit removes ("alice&#64;example.com", a tag
// inside a name), the part is replaced by that text, edited and escaped,
// in <pre>. Its formatting is lost, the mention with it.
func (rw *rewriter) text(body []byte, charset, cte, eol string, isHTML bool) ([]byte, bool) {
	content, _ := decodeTransfer(body, cte)
	s, _ := decodeCharset(content, charset)
	edited := rw.edit(s)
	if isHTML {
		if text := htmlToText(edited); rw.edit(text) != text {
			edited = "<pre>" + html.EscapeString(rw.edit(text)) + "</pre>"
		}
	}
	if edited == s {
		return body, false
	}
	return encodeTransfer([]byte(edited), cte, eol), true
}

// header rewrites the header fields whose decoded value edit changes, and
// the Content-Type's charset when setCharset is given. Every other line is
// copied as it was.
func (rw *rewriter) header(head []byte, eol, mt string, setCharset map[string]string) ([]byte, bool) {
	var out []byte
	changed := false
	sawType := false
	lines := splitLinesKeepEOL(head)
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && len(lines[j]) > 0 && (lines[j][0] == ' ' || lines[j][0] == '\t') {
			j++
		}
		first := lines[i]
		group := bytes.Join(lines[i:j], nil)
		i = j
		if !isFieldLine(bytes.TrimRight(first, "\r\n")) {
			out = append(out, group...)
			continue
		}
		colon := bytes.IndexByte(group, ':')
		key := strings.TrimSpace(string(group[:colon]))
		value := unfold(string(group[colon+1:]))
		if isType := strings.EqualFold(key, "Content-Type"); isType || strings.EqualFold(key, "Content-Disposition") {
			var set map[string]string
			if isType && !sawType {
				sawType, set = true, setCharset
			}
			if v, ok := rw.mediaField(value, set); ok {
				out = append(out, key+": "+v+eol...)
				changed = true
			} else {
				out = append(out, group...)
			}
			continue
		}
		if !needsDecoding(value) {
			out = append(out, group...)
			continue
		}
		decoded := decodeHeaderValue(value, &rw.nt)
		edited := rw.edit(decoded)
		if edited == decoded {
			out = append(out, group...)
			continue
		}
		out = append(out, key+": "+encodeHeaderWords(edited)+eol...)
		changed = true
	}
	if setCharset != nil && !sawType {
		// A text part with no Content-Type was us-ascii by default; say
		// what it is now, before the blank line that ends the header (or
		// with one, when the entity had no header at all).
		field := "Content-Type: " + mime.FormatMediaType(mt, setCharset) + eol
		if n := len(lines); n > 0 && len(bytes.TrimRight(lines[n-1], "\r\n")) == 0 {
			blank := len(out) - len(lines[n-1])
			out = append(out[:blank:blank], append([]byte(field), out[blank:]...)...)
		} else {
			out = append(out, field+eol...)
		}
		changed = true
	}
	if !changed {
		return head, false
	}
	return out, true
}

// mediaField rewrites a Content-Type or Content-Disposition value whose
// parameters (a filename in RFC 2231 or encoded-word form, say) edit
// changes, or to which set adds parameters. ok is false when nothing
// changed.
func (rw *rewriter) mediaField(value string, set map[string]string) (string, bool) {
	mt, params := parseMediaHeader(decodeRawHeader(value), &rw.nt)
	edited := make(map[string]string, len(params)+len(set))
	changed := len(set) > 0
	for k, v := range params {
		edited[k] = rw.edit(v)
		changed = changed || edited[k] != v
	}
	if !changed {
		return "", false
	}
	for k, v := range set {
		edited[k] = v
	}
	if out := mime.FormatMediaType(mt, edited); out != "" {
		return out, true
	}
	if set != nil {
		// An unreadable type was read as text/plain; say so with the
		// charset the part now has.
		return mime.FormatMediaType("text/plain", set), true
	}
	return "", false
}

// needsDecoding reports whether a header value could hide text from a
// byte search: encoded-words or 8-bit bytes.
func needsDecoding(v string) bool {
	return strings.Contains(v, "=?") || !isASCIIString(v)
}

// encodeHeaderWords writes a decoded header value back: ASCII words as
// they are, each run of words with other characters as one UTF-8
// encoded-word, so addresses in angle brackets stay readable.
func encodeHeaderWords(v string) string {
	var b strings.Builder
	words := strings.Fields(v)
	for i := 0; i < len(words); {
		if i > 0 {
			b.WriteByte(' ')
		}
		if isASCIIString(words[i]) {
			b.WriteString(words[i])
			i++
			continue
		}
		j := i + 1
		for j < len(words) && !isASCIIString(words[j]) {
			j++
		}
		b.WriteString(mime.BEncoding.Encode("utf-8", strings.Join(words[i:j], " ")))
		i = j
	}
	return b.String()
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// encodeTransfer encodes b in the transfer encoding cte (as read from the
// header); identity encodings and unknown ones get b as it is.
func encodeTransfer(b []byte, cte, eol string) []byte {
	switch cte {
	case "base64":
		enc := base64.StdEncoding.EncodeToString(b)
		var out strings.Builder
		for len(enc) > 76 {
			out.WriteString(enc[:76])
			out.WriteString(eol)
			enc = enc[76:]
		}
		out.WriteString(enc)
		out.WriteString(eol)
		return []byte(out.String())
	case "quoted-printable":
		var out bytes.Buffer
		w := quotedprintable.NewWriter(&out)
		w.Binary = false
		_, _ = w.Write(b)
		_ = w.Close()
		if eol == "\n" {
			return bytes.ReplaceAll(out.Bytes(), []byte("\r\n"), []byte("\n"))
		}
		return out.Bytes()
	}
	return b
}

// unfold joins a folded header value's lines.
func unfold(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "")
	v = strings.ReplaceAll(v, "\n", "")
	return strings.TrimSpace(v)
}

// splitLinesKeepEOL cuts b into lines that keep their line breaks.
func splitLinesKeepEOL(b []byte) [][]byte {
	var lines [][]byte
	for len(b) > 0 {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 {
			lines = append(lines, b)
			break
		}
		lines = append(lines, b[:nl+1])
		b = b[nl+1:]
	}
	return lines
}
