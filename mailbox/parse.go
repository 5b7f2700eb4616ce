package mailbox

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseOptions configures Parse. The zero value is usable.
type ParseOptions struct {
	// OwnAddresses are our own service addresses. Mail From one of them is
	// marked automated ("own-address"): answering it would start a loop.
	OwnAddresses []string
	// MaxAttachmentContent, when above zero, bounds the attachments whose
	// decoded content Parse keeps: a larger one gets its exact Size but no
	// Content (ContentOmitted), and is never decoded into memory whole, so
	// a 25 MB attachment costs no 25 MB buffer. Zero keeps every content.
	MaxAttachmentContent int64
}

// Limits that keep a hostile message from costing unbounded work.
const (
	maxDepth = 16  // multipart nesting
	maxParts = 512 // MIME parts per message
)

// Parse reads one raw RFC 5322 message. It never fails and never panics:
// whatever cannot be read is described in Message.ParseErrors and the rest
// is kept. raw is not retained; Message fields never alias it.
func Parse(raw []byte, opts ParseOptions) (m *Message) {
	sum := sha256.Sum256(raw)
	m = &Message{Size: int64(len(raw)), ContentHash: hex.EncodeToString(sum[:])}
	p := &parser{br: bufio.NewReaderSize(nil, 1024), maxContent: opts.MaxAttachmentContent}
	defer func() {
		// Last line of defence: a bug must cost one message's details, not
		// the ingest loop. The fuzz test fails on this note.
		if r := recover(); r != nil {
			p.nt.add(fmt.Sprintf("internal error: %v", r))
			m.ParseErrors = p.nt.list
			if m.Text == "" {
				m.Text = guessDecode(raw)
			}
			m.Text = strings.ToValidUTF8(m.Text, "\uFFFD")
			m.NewText = strings.ToValidUTF8(m.NewText, "\uFFFD")
			m.Subject = strings.ToValidUTF8(m.Subject, "\uFFFD")
		}
	}()

	hdr, body := splitHeader(raw, &p.nt)
	h := readFields(hdr, p.br, &p.nt)
	p.fillHeader(m, h)

	bt := p.walk(h, body, 0, "text/plain")
	m.Attachments = p.atts
	m.Text = strings.Join(bt.plain, "\n")
	m.HTML = strings.Join(bt.html, "\n")
	if strings.TrimSpace(m.Text) == "" && m.HTML != "" {
		m.Text = htmlToText(m.HTML)
	}
	if m.Text == "" && m.HTML == "" && len(p.nt.list) > 0 && len(body) > 0 && len(m.Attachments) == 0 {
		// Broken beyond repair: the raw body is better than nothing.
		m.Text = normalizeText(guessDecode(body))
	}
	m.NewText, m.Quoted, m.Signature = splitReply(m.Text)
	detectAutomated(m, h, &p.det, opts)
	m.ParseErrors = p.nt.list
	return m
}

type parser struct {
	nt       notes
	br       *bufio.Reader // reused by readFields
	det      detection
	atts     []Attachment
	parts    int
	inReport int // depth inside multipart/report
	// maxContent is ParseOptions.MaxAttachmentContent.
	maxContent int64
}

// bodyText is the readable text found under one entity.
type bodyText struct {
	plain []string
	html  []string
}

func (p *parser) fillHeader(m *Message, h header) {
	if len(h) > 0 {
		m.Header = make(map[string][]string, len(h))
	}
	for _, f := range h {
		m.Header[f.key] = append(m.Header[f.key], decodeHeaderValue(f.raw, &p.nt))
	}
	m.MessageID = parseMessageID(h.get("Message-Id"))
	m.InReplyTo = parseMsgIDs(h.get("In-Reply-To"))
	m.References = parseMsgIDs(h.all("References"))
	if a := p.addresses(h, "From"); len(a) > 0 {
		m.From = a[0]
	}
	if a := p.addresses(h, "Sender"); len(a) > 0 {
		m.Sender = a[0]
	}
	m.ReplyTo = p.addresses(h, "Reply-To")
	m.To = p.addresses(h, "To")
	m.Cc = p.addresses(h, "Cc")
	m.Subject = decodeHeaderValue(h.get("Subject"), &p.nt)
	if d := h.get("Date"); d != "" {
		m.Date = parseDate(decodeRawHeader(d))
		if m.Date.IsZero() {
			p.nt.add("date: cannot parse " + shorten(decodeRawHeader(d)))
		}
	}
}

func (p *parser) addresses(h header, key string) []Address {
	v := h.all(key)
	if v == "" {
		return nil
	}
	return parseAddressList(decodeRawHeader(v), &p.nt)
}

// all joins every field named key with ", " (some senders repeat To/Cc).
func (h header) all(key string) string {
	var b strings.Builder
	for _, f := range h {
		if f.key == key {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.raw)
		}
	}
	return b.String()
}

// walk visits one entity (RFC 2045/2046) and returns its readable text;
// attachments and report data are collected on p.
func (p *parser) walk(h header, body []byte, depth int, defaultType string) bodyText {
	p.parts++
	if p.parts > maxParts {
		p.nt.add(fmt.Sprintf("mime: more than %d parts; rest ignored", maxParts))
		return bodyText{}
	}
	mt, params := defaultType, map[string]string(nil)
	if ct := h.get("Content-Type"); strings.TrimSpace(ct) != "" {
		mt, params = parseMediaHeader(decodeRawHeader(ct), &p.nt)
		if strings.IndexByte(mt, '/') <= 0 {
			p.nt.add("content-type: invalid " + shorten(mt) + "; read as text/plain")
			mt = "text/plain"
		}
	}
	disp, dparams := parseMediaHeader(decodeRawHeader(h.get("Content-Disposition")), &p.nt)
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	cte := h.get("Content-Transfer-Encoding")

	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if depth >= maxDepth {
			p.nt.add(fmt.Sprintf("mime: nesting deeper than %d; inner parts ignored", maxDepth))
			return bodyText{}
		}
		return p.walkMultipart(mt, params, body, depth)
	case mt == "message/rfc822" || mt == "message/global" ||
		mt == "text/rfc822-headers" || mt == "message/rfc822-headers":
		content := p.transfer(body, cte)
		id := p.embeddedMessageID(content)
		if p.inReport > 0 {
			p.det.reportIDs = appendID(p.det.reportIDs, id)
		} else {
			p.det.nestedIDs = appendID(p.det.nestedIDs, id)
		}
		p.attach(mt, filename, disp, h, content)
		return bodyText{}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		content := p.transfer(body, cte)
		if p.inReport > 0 {
			for _, k := range [...]string{"original-message-id:", "x-original-message-id:"} {
				if i := indexFold(string(content), k); i >= 0 {
					line := string(content[i+len(k):])
					if nl := strings.IndexByte(line, '\n'); nl >= 0 {
						line = line[:nl]
					}
					p.det.reportIDs = appendID(p.det.reportIDs, parseMessageID(line))
				}
			}
		}
		p.attach(mt, filename, disp, h, content)
		return bodyText{}
	case (mt == "text/plain" || mt == "text/html") && disp != "attachment" && filename == "":
		content := p.transfer(body, cte)
		charset := params["charset"]
		if mt == "text/html" && charset == "" && !utf8.Valid(content) {
			charset = metaCharset(content)
		}
		text, note := decodeCharset(content, charset)
		p.nt.add(note)
		text = normalizeText(text)
		if mt == "text/html" {
			return bodyText{html: []string{text}}
		}
		if strings.EqualFold(params["format"], "flowed") {
			text = unflow(text, strings.EqualFold(params["delsp"], "yes"))
		}
		return bodyText{plain: []string{text}}
	default:
		if size, omit := p.omittedSize(body, cte); omit {
			p.attach(mt, filename, disp, h, nil)
			a := &p.atts[len(p.atts)-1]
			a.Size, a.ContentOmitted = size, true
			return bodyText{}
		}
		p.attach(mt, filename, disp, h, p.transfer(body, cte))
		return bodyText{}
	}
}

// omittedSize reports whether an attachment's content is over
// maxContent, and then its decoded size, found without keeping the decoded
// bytes where the encoding allows.
func (p *parser) omittedSize(body []byte, cte string) (int64, bool) {
	if p.maxContent <= 0 {
		return 0, false
	}
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		if int64(len(body))*3/4+3 <= p.maxContent {
			return 0, false // cannot decode to more than this: decode as usual
		}
		size, note := base64Size(body)
		if size <= p.maxContent {
			return 0, false
		}
		p.nt.add(note)
		return size, true
	case "quoted-printable":
		if int64(len(body)) <= p.maxContent {
			return 0, false // QP never grows when decoded
		}
		out, note := decodeQP(body)
		if int64(len(out)) <= p.maxContent {
			return 0, false
		}
		p.nt.add(note)
		return int64(len(out)), true
	default:
		out, note := decodeTransfer(body, cte) // identity: no copy
		if int64(len(out)) <= p.maxContent {
			return 0, false
		}
		p.nt.add(note)
		return int64(len(out)), true
	}
}

func (p *parser) walkMultipart(mt string, params map[string]string, body []byte, depth int) bodyText {
	boundary := params["boundary"]
	parts, note := splitMultipart(body, boundary)
	p.nt.add(note)
	if parts == nil {
		// No usable boundary: the body is all we have; read it as text.
		text, cnote := decodeCharset(body, "")
		p.nt.add(cnote)
		return bodyText{plain: []string{normalizeText(text)}}
	}
	childDefault := "text/plain"
	if mt == "multipart/digest" {
		childDefault = "message/rfc822" // RFC 2046 section 5.1.5
	}
	if mt == "multipart/report" {
		if p.det.reportType == "" {
			p.det.reportType = strings.ToLower(strings.TrimSpace(params["report-type"]))
		}
		p.inReport++
		defer func() { p.inReport-- }()
	}
	var out bodyText
	for _, part := range parts {
		ph, pb := splitHeader(part, &p.nt)
		child := p.walk(readFields(ph, p.br, &p.nt), pb, depth+1, childDefault)
		if mt == "multipart/alternative" {
			// RFC 2046 section 5.1.4: alternatives of one content. Keep one
			// plain version (the first) and the richest HTML (the last).
			if len(out.plain) == 0 && len(child.plain) > 0 {
				out.plain = child.plain
			}
			if len(child.html) > 0 {
				out.html = child.html
			}
			continue
		}
		out.plain = append(out.plain, child.plain...)
		out.html = append(out.html, child.html...)
	}
	return out
}

// transfer undoes the Content-Transfer-Encoding, returning bytes that do not
// alias the raw message.
func (p *parser) transfer(body []byte, cte string) []byte {
	out, note := decodeTransfer(body, cte)
	p.nt.add(note)
	if len(out) > 0 && len(body) > 0 && &out[0] == &body[0] {
		out = bytes.Clone(out)
	}
	return out
}

func (p *parser) attach(mt, filename, disp string, h header, content []byte) {
	p.atts = append(p.atts, Attachment{
		Filename:    strings.ToValidUTF8(filename, "\uFFFD"),
		ContentType: mt,
		ContentID:   strings.Trim(strings.TrimSpace(decodeRawHeader(h.get("Content-Id"))), "<>"),
		Inline:      disp == "inline",
		Size:        int64(len(content)),
		Content:     content,
	})
}

// embeddedMessageID reads the Message-ID of an embedded message or header
// block without walking its body.
func (p *parser) embeddedMessageID(b []byte) string {
	var discard notes
	hdr, _ := splitHeader(b, &discard)
	return parseMessageID(readFields(hdr, p.br, &discard).get("Message-Id"))
}

func appendID(ids []string, id string) []string {
	if id == "" {
		return ids
	}
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

// normalizeText turns CRLF and lone CR into LF.
func normalizeText(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// metaCharset finds a charset declared in an HTML <meta> tag near the top of
// an HTML part whose MIME header forgot it.
func metaCharset(b []byte) string {
	if len(b) > 2048 {
		b = b[:2048]
	}
	i := indexFold(string(b), "charset=")
	if i < 0 {
		return ""
	}
	s := strings.TrimLeft(string(b[i+len("charset="):]), "\"' ")
	end := strings.IndexAny(s, "\"' ;/>")
	if end < 0 {
		return ""
	}
	return s[:end]
}

// unflow joins the soft line breaks of format=flowed text (RFC 3676 section
// 4.2): a line ending in a space continues on the next line, unless it is
// the "-- " signature delimiter. With delsp=yes the space is removed.
func unflow(s string, delsp bool) string {
	if !strings.Contains(s, " \n") {
		return s
	}
	lines := strings.Split(s, "\n")
	depth := make([]int, len(lines))
	for i, l := range lines {
		depth[i] = quoteDepth(l)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, l := range lines {
		if i > 0 && depth[i] > 0 && depth[i] == depth[i-1] && isSoft(lines[i-1], lines[i]) {
			// Continuation: the quote marks were already written.
			l = strings.TrimPrefix(l[depth[i]:], " ")
		}
		soft := i+1 < len(lines) && depth[i] == depth[i+1] && isSoft(l, lines[i+1])
		if soft && delsp {
			l = l[:len(l)-1]
		}
		b.WriteString(l)
		if !soft && i+1 < len(lines) {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// isSoft reports whether the break after line l (followed by next) is a
// flowed soft break.
func isSoft(l, next string) bool {
	return strings.HasSuffix(l, " ") && strings.TrimLeft(l, "> ") != "-- " && l != "-- " && next != "-- "
}

func quoteDepth(l string) int {
	n := 0
	for n < len(l) && l[n] == '>' {
		n++
	}
	return n
}
