// Package testmail generates realistic customer mail for tests and
// benchmarks: plain and HTML bodies, UTF-8, GBK, Big5 and ISO-2022-JP
// charsets, quoted-printable and base64, replies with quoted history, and
// sizes from about 2 KB to 50 KB. Generation is deterministic in the index.
package testmail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Options shapes a generated message.
type Options struct {
	From      string // default customerN@example.com
	To        string // default support@xiyue.example
	Subject   string // default varies by index
	MessageID string // default <gen-N@example.com>; "-" omits the header
	InReplyTo string
	Body      string // replaces the generated body
	Date      time.Time
	Extra     string // extra header lines, each ending in \r\n
}

type lang struct {
	charset string
	enc     encoding.Encoding
	subject string
	para    string
	filler  string // vocabulary of the filler after para (see filler.go)
}

func langs() []lang {
	return []lang{
		{"utf-8", nil, "Question about my bracelet size", "Hello, I ordered a silver bracelet last week and I would like to know whether the size can be adjusted. My wrist is about 16 cm. Could you also tell me how to clean it so it does not tarnish? Thank you very much for your help. ", "en"},
		{"gbk", simplifiedchinese.GBK, "请问我的订单什么时候发货", "您好，我上周在贵店买了一条手工银手链，订单号是XY20261101。请问什么时候可以发货？快递单号是多少？我比较着急，因为是送给朋友的生日礼物。谢谢！", "zhs"},
		{"big5", traditionalchinese.Big5, "關於戒指尺寸的問題", "您好，我想請問這款手工戒指有哪些尺寸可以選擇？我的手指大約是十二號，如果尺寸不合適可以換嗎？另外請問材質是純銀嗎？謝謝您的幫忙。", "zht"},
		{"iso-2022-jp", japanese.ISO2022JP, "注文の配送状況について", "こんにちは。先週注文したネックレスの配送状況を教えていただけますか。追跡番号がまだ届いていません。よろしくお願いいたします。", "ja"},
		{"utf-8", nil, "Wo ist mein Paket?", "Guten Tag, ich habe vor zehn Tagen einen Flaschenöffner und einen Geschirrständer bestellt. Die Sendungsverfolgung zeigt seit Tagen keine Bewegung. Können Sie bitte nachsehen, wo mein Paket ist? Vielen Dank. ", "de"},
	}
}

// Message returns message number i (i >= 0), about size bytes long as
// sent (headers and transfer encoding included); 0 picks a size between
// 2 KB and 50 KB from i.
func Message(i int, size int, o Options) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	if size <= 0 {
		size = 2048 + r.IntN(48*1024)
	}
	raw := build(i, size, o)
	if len(raw) > size && o.Body == "" {
		// Transfer encoding and the HTML alternative inflate the body:
		// shrink it so the whole message is about size bytes.
		raw = build(i, max(200, size*size/len(raw)), o)
	}
	return raw
}

func build(i int, size int, o Options) []byte {
	l := langs()[i%len(langs())]
	if o.From == "" {
		o.From = fmt.Sprintf("customer%d@example.com", i)
	}
	if o.To == "" {
		o.To = "support@xiyue.example"
	}
	if o.Subject == "" {
		o.Subject = fmt.Sprintf("%s (#%d)", l.subject, i)
	}
	if o.Date.IsZero() {
		o.Date = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	}
	body := o.Body
	if body == "" {
		r := rand.New(rand.NewPCG(uint64(i), 13))
		body = l.para + "\r\n\r\n" + filler(l, r, size-len(l.para)) + "\r\n"
	}
	var h bytes.Buffer
	fmt.Fprintf(&h, "From: Customer %d <%s>\r\n", i, o.From)
	fmt.Fprintf(&h, "To: <%s>\r\n", o.To)
	fmt.Fprintf(&h, "Subject: =?utf-8?b?%s?=\r\n", base64.StdEncoding.EncodeToString([]byte(o.Subject)))
	fmt.Fprintf(&h, "Date: %s\r\n", o.Date.Format(time.RFC1123Z))
	switch o.MessageID {
	case "":
		fmt.Fprintf(&h, "Message-ID: <gen-%d@example.com>\r\n", i)
	case "-":
	default:
		fmt.Fprintf(&h, "Message-ID: <%s>\r\n", strings.Trim(o.MessageID, "<>"))
	}
	if o.InReplyTo != "" {
		fmt.Fprintf(&h, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", o.InReplyTo, o.InReplyTo)
	}
	h.WriteString(o.Extra)
	h.WriteString("MIME-Version: 1.0\r\n")
	encoded := []byte(body)
	if l.enc != nil && o.Body == "" {
		var err error
		encoded, err = l.enc.NewEncoder().Bytes([]byte(body))
		if err != nil {
			panic(fmt.Sprintf("testmail: %s cannot encode message %d: %v", l.charset, i, err))
		}
	}
	charset := l.charset
	if o.Body != "" {
		charset = "utf-8"
	}
	switch {
	case i%3 == 2 && charset != "iso-2022-jp":
		// HTML alternative with base64 parts.
		fmt.Fprintf(&h, "Content-Type: multipart/alternative; boundary=\"b%d\"\r\n\r\n", i)
		fmt.Fprintf(&h, "--b%d\r\nContent-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, charset)
		h.WriteString(wrap64(encoded))
		html := append([]byte("<html><body><p>"), encoded...)
		html = append(html, "</p></body></html>"...)
		fmt.Fprintf(&h, "--b%d\r\nContent-Type: text/html; charset=%s\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, charset)
		h.WriteString(wrap64(html))
		fmt.Fprintf(&h, "--b%d--\r\n", i)
	case charset == "iso-2022-jp":
		fmt.Fprintf(&h, "Content-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: 7bit\r\n\r\n", charset)
		h.Write(encoded)
	default:
		fmt.Fprintf(&h, "Content-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", charset)
		w := quotedprintable.NewWriter(&h)
		w.Write(encoded)
		w.Close()
		h.WriteString("\r\n")
	}
	return h.Bytes()
}

// WithAttachment returns a multipart/mixed message carrying a
// pseudo-random attachment of n bytes, base64-encoded.
func WithAttachment(i int, n int) []byte {
	var h bytes.Buffer
	fmt.Fprintf(&h, "From: Customer %d <customer%d@example.com>\r\nTo: <support@xiyue.example>\r\n", i, i)
	fmt.Fprintf(&h, "Subject: Photos of the broken clasp (#%d)\r\nDate: %s\r\nMessage-ID: <att-%d@example.com>\r\nMIME-Version: 1.0\r\n", i, time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC).Format(time.RFC1123Z), i)
	h.WriteString("Content-Type: multipart/mixed; boundary=\"mixed\"\r\n\r\n--mixed\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe clasp broke after two days, photos attached.\r\n")
	h.WriteString("--mixed\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"photos.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	data := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(i), 11))
	for k := range data {
		data[k] = byte(r.UintN(256))
	}
	h.WriteString(wrap64(data))
	h.WriteString("--mixed--\r\n")
	return h.Bytes()
}

func wrap64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76])
		out.WriteString("\r\n")
		s = s[76:]
	}
	out.WriteString(s)
	out.WriteString("\r\n")
	return out.String()
}
