//go:build corpusgen

package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"mime"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

func encoderFor(cs string) *encoding.Encoder {
	switch cs {
	case "gbk":
		return simplifiedchinese.GBK.NewEncoder()
	case "gb18030":
		return simplifiedchinese.GB18030.NewEncoder()
	case "big5":
		return traditionalchinese.Big5.NewEncoder()
	case "iso-2022-jp":
		return japanese.ISO2022JP.NewEncoder()
	case "shift_jis":
		return japanese.ShiftJIS.NewEncoder()
	case "iso-8859-1":
		return charmap.ISO8859_1.NewEncoder()
	case "windows-1252":
		return charmap.Windows1252.NewEncoder()
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// encodeHeader encodes a header value as RFC 2047 when needed, in the
// message charset when it can represent the text.
func encodeHeader(v, cs string) string {
	if isASCII(v) {
		return v
	}
	if e := encoderFor(cs); e != nil {
		if b, err := e.String(v); err == nil {
			return "=?" + strings.ToUpper(cs) + "?B?" + base64.StdEncoding.EncodeToString([]byte(b)) + "?="
		}
	}
	if len(v)%3 == 0 {
		return mime.QEncoding.Encode("utf-8", v)
	}
	return mime.BEncoding.Encode("UTF-8", v)
}

func encodeAddr(a, cs string) string {
	name, rest, ok := strings.Cut(a, " <")
	if !ok {
		return a
	}
	if isASCII(name) {
		if strings.ContainsAny(name, ",.") {
			name = `"` + name + `"`
		}
		return name + " <" + rest
	}
	return encodeHeader(name, cs) + " <" + rest
}

func b64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.String()
}

func qp(b []byte) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return strings.ReplaceAll(strings.ReplaceAll(buf.String(), "\r\n", "\n"), "\n", "\r\n")
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// toHTML renders a plain body the way webmail does: paragraphs in divs,
// quoted history in a blockquote.
func toHTML(text string) string {
	var b strings.Builder
	b.WriteString("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>\n<div dir=\"ltr\">")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	inQuote := false
	for i, l := range lines {
		if strings.HasPrefix(l, "> ") || l == ">" {
			if !inQuote {
				b.WriteString("</div>\n<div class=\"gmail_quote\"><blockquote class=\"gmail_quote\" style=\"margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex\">")
				inQuote = true
			}
			b.WriteString(html.EscapeString(strings.TrimPrefix(strings.TrimPrefix(l, ">"), " ")) + "<br>\n")
			continue
		}
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "> ") && !inQuote {
			// attribution line
			b.WriteString("<br><div class=\"gmail_attr\">" + html.EscapeString(l) + "</div>\n")
			continue
		}
		if l == "" {
			b.WriteString("<br>\n")
			continue
		}
		b.WriteString("<div>" + html.EscapeString(l) + "</div>\n")
	}
	if inQuote {
		b.WriteString("</blockquote></div>")
	} else {
		b.WriteString("</div>")
	}
	b.WriteString("\n</body></html>\n")
	return b.String()
}

func render(m *email) []byte {
	var h strings.Builder
	cs := m.charset
	hdr := func(k, v string) { fmt.Fprintf(&h, "%s: %s\r\n", k, v) }
	hdr("From", encodeAddr(m.from, cs))
	hdr("To", encodeAddr(m.to, cs))
	if m.subject != "" || m.form == "report" {
		hdr("Subject", encodeHeader(m.subject, cs))
	}
	hdr("Date", m.date.Format("Mon, 2 Jan 2006 15:04:05 -0700"))
	hdr("Message-ID", "<"+m.msgID+">")
	if m.inReplyTo != "" {
		hdr("In-Reply-To", "<"+m.inReplyTo+">")
		hdr("References", "<"+m.inReplyTo+">")
	}
	for _, kv := range m.headers {
		hdr(kv[0], kv[1])
	}
	hdr("MIME-Version", "1.0")

	text := m.text
	htm := m.html
	if htm == "" {
		htm = toHTML(text)
	}
	var body string
	switch m.form {
	case "plain":
		if isASCII(text) {
			hdr("Content-Type", "text/plain; charset=us-ascii")
			hdr("Content-Transfer-Encoding", "7bit")
		} else {
			hdr("Content-Type", "text/plain; charset=utf-8")
			hdr("Content-Transfer-Encoding", "8bit")
		}
		body = crlf(text)
	case "qp":
		hdr("Content-Type", "text/plain; charset=UTF-8")
		hdr("Content-Transfer-Encoding", "quoted-printable")
		body = qp([]byte(text))
	case "b64":
		hdr("Content-Type", "text/plain; charset=\"utf-8\"")
		hdr("Content-Transfer-Encoding", "base64")
		body = b64Lines([]byte(text))
	case "html":
		hdr("Content-Type", "text/html; charset=UTF-8")
		hdr("Content-Transfer-Encoding", "quoted-printable")
		body = qp([]byte(htm))
	case "alt":
		bd := fmt.Sprintf("000000000000%x", len(text)*7919+len(m.msgID))
		hdr("Content-Type", "multipart/alternative; boundary=\""+bd+"\"")
		body = "--" + bd + "\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			qp([]byte(text)) + "\r\n--" + bd + "\r\nContent-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			qp([]byte(htm)) + "\r\n--" + bd + "--\r\n"
	case "legacy":
		enc := encoderFor(cs)
		b, err := enc.String(text)
		if err != nil {
			// Not representable (e.g. an emoji): fall back to UTF-8.
			hdr("Content-Type", "text/plain; charset=utf-8")
			hdr("Content-Transfer-Encoding", "base64")
			body = b64Lines([]byte(text))
			break
		}
		hdr("Content-Type", "text/plain; charset="+cs)
		switch cs {
		case "iso-2022-jp":
			hdr("Content-Transfer-Encoding", "7bit")
			body = crlf(b)
		case "iso-8859-1", "windows-1252":
			hdr("Content-Transfer-Encoding", "quoted-printable")
			body = qp([]byte(b))
		default:
			hdr("Content-Transfer-Encoding", "base64")
			body = b64Lines([]byte(b))
		}
	case "report":
		bd := fmt.Sprintf("%x/report.example", len(m.msgID)*104729+len(text))
		hdr("Content-Type", "multipart/report; report-type=delivery-status; boundary=\""+bd+"\"")
		body = "This is a MIME-encapsulated message.\r\n\r\n--" + bd + "\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			crlf(text) + "\r\n--" + bd + "\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n" +
			crlf(m.report) + "\r\n--" + bd + "\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n" +
			crlf(m.origHdrs) + "\r\n--" + bd + "--\r\n"
	default:
		panic("unknown form " + m.form)
	}
	return []byte(h.String() + "\r\n" + body)
}
