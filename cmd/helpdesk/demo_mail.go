package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/quotedprintable"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/width"

	"helpdesk/mailbox"
)

// demoMail is one sample customer mail, as raw RFC 5322 bytes, with what
// it is meant to show. Want is the expectation a reader (and the test)
// holds the pipeline to; the pipeline never sees it.
type demoMail struct {
	User      string // the brand id, which is also the demo IMAP user
	From      string // sender address
	Subject   string // the subject as the customer wrote it
	Shows     string // the encoding or header trick on display
	Want      string // expected category ("product", "rights/deletion", ...), "" when any will do
	Automated bool   // no person wrote it: it must open no ticket
	MessageID string // without angle brackets
	Raw       []byte
}

// mailSpec describes a sample mail before it is rendered.
type mailSpec struct {
	fromName, from, to string
	subject            string
	date               time.Time
	messageID          string
	inReplyTo          string
	references         []string
	charset            string // utf-8, gbk, big5, iso-2022-jp, iso-8859-1
	cte                string // 7bit, 8bit, base64, quoted-printable
	text               string
	html               string // when set: multipart/alternative
	attachName         string // when set: multipart/mixed with this PNG
	attach             []byte
	headers            [][2]string
}

func charsetEncoding(cs string) encoding.Encoding {
	switch cs {
	case "gbk":
		return simplifiedchinese.GBK
	case "big5":
		return traditionalchinese.Big5
	case "iso-2022-jp":
		return japanese.ISO2022JP
	case "iso-8859-1":
		return charmap.ISO8859_1
	}
	return nil // utf-8
}

// encodeText converts s to the charset. The sample texts are fixed and
// use only characters their charset has (TestDemoMailsParse renders them
// all), so a failure here is a bug in the samples.
func encodeText(cs, s string) []byte {
	enc := charsetEncoding(cs)
	if enc == nil {
		return []byte(s)
	}
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(fmt.Sprintf("demo mail: %q is not representable in %s: %v", s, cs, err))
	}
	return b
}

// encodedWords writes s as RFC 2047 encoded words in cs, a few characters
// per word so that no word splits a multi-byte character or an
// ISO-2022-JP escape sequence. Q encoding for Latin-1, B for the rest, as
// mail programs do.
func encodedWords(cs, s string) string {
	if isASCII(s) {
		return s
	}
	label := strings.ToUpper(cs)
	r := []rune(s)
	var words []string
	for len(r) > 0 {
		n := min(len(r), 12)
		b := encodeText(cs, string(r[:n]))
		r = r[n:]
		if cs == "iso-8859-1" {
			words = append(words, "=?"+label+"?Q?"+qWord(b)+"?=")
		} else {
			words = append(words, "=?"+label+"?B?"+base64.StdEncoding.EncodeToString(b)+"?=")
		}
	}
	return strings.Join(words, "\r\n ")
}

func qWord(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == ' ':
			sb.WriteByte('_')
		case c > ' ' && c < 0x7f && c != '=' && c != '?' && c != '_':
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "=%02X", c)
		}
	}
	return sb.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// bodyPart renders text in the charset and transfer encoding, with its
// Content-Type and Content-Transfer-Encoding header lines.
func bodyPart(mediaType, cs, cte, text string) string {
	raw := encodeText(cs, crlf(text))
	var body string
	switch cte {
	case "base64":
		body = wrapBase64(raw)
	case "quoted-printable":
		var buf bytes.Buffer
		w := quotedprintable.NewWriter(&buf)
		_, _ = w.Write(raw)
		_ = w.Close()
		body = buf.String()
	default:
		body = string(raw)
	}
	return fmt.Sprintf("Content-Type: %s; charset=%s\r\nContent-Transfer-Encoding: %s\r\n\r\n%s\r\n",
		mediaType, strings.ToUpper(cs), cte, strings.TrimRight(body, "\r\n"))
}

func wrapBase64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	for len(s) > 76 {
		sb.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	sb.WriteString(s)
	return sb.String()
}

// render builds the raw message.
func (m mailSpec) render() []byte {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	from := "<" + m.from + ">"
	if m.fromName != "" {
		from = encodedWords(m.charset, m.fromName) + " " + from
	}
	h("From", from)
	h("To", m.to)
	h("Subject", encodedWords(m.charset, m.subject))
	h("Date", m.date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.messageID+">")
	if m.inReplyTo != "" {
		h("In-Reply-To", "<"+m.inReplyTo+">")
	}
	if len(m.references) > 0 {
		h("References", "<"+strings.Join(m.references, ">\r\n <")+">")
	}
	for _, kv := range m.headers {
		h(kv[0], kv[1])
	}
	h("MIME-Version", "1.0")
	text := bodyPart("text/plain", m.charset, m.cte, m.text)
	switch {
	case m.attachName != "":
		const bd = "demo-mixed-7f3a"
		h("Content-Type", `multipart/mixed; boundary="`+bd+`"`)
		b.WriteString("\r\n--" + bd + "\r\n" + text)
		b.WriteString("--" + bd + "\r\n")
		b.WriteString("Content-Type: image/png; name=\"" + m.attachName + "\"\r\n")
		b.WriteString("Content-Disposition: attachment; filename=\"" + m.attachName + "\"\r\n")
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n" + wrapBase64(m.attach) + "\r\n")
		b.WriteString("--" + bd + "--\r\n")
	case m.html != "":
		const bd = "demo-alt-19c2"
		h("Content-Type", `multipart/alternative; boundary="`+bd+`"`)
		b.WriteString("\r\n--" + bd + "\r\n" + text)
		b.WriteString("--" + bd + "\r\n" + bodyPart("text/html", m.charset, m.cte, m.html))
		b.WriteString("--" + bd + "--\r\n")
	default:
		// text already carries its two header lines and the blank line.
		b.WriteString(text)
	}
	return []byte(b.String())
}

// Shop addresses of the demo brands.
const (
	demoXiyueAddr     = "support@xiyue.example"
	demoXiyuePrivacy  = "privacy@xiyue.example"
	demoHomegoodsAddr = "service@mail.ximorent.example"
)

// demoFollowUpFrom is the customer who answers the acknowledgement of
// their first mail: the follow-up must thread onto that ticket.
const demoFollowUpFrom = "dan.brooks@example.com"

// demoMails returns the sample mail, oldest first, dated shortly before
// now.
func demoMails(now time.Time) []demoMail {
	specs := []struct {
		user, shows, want string
		automated         bool
		spec              mailSpec
	}{
		{"xiyue", "plain ASCII", "product", false, mailSpec{
			fromName: "Emma Walsh", from: "emma.walsh@example.com", to: "Xiyue Technology <" + demoXiyueAddr + ">",
			subject: "Which ring size should I order?", charset: "us-ascii", cte: "7bit",
			text: `Hello,

I love the Silver Lotus ring on your site, but I'm not sure which size to
order. My finger measures 54 mm around. Is that a US 7? And can the ring be
resized later if it does not fit?

Thanks,
Emma`}},
		{"xiyue", "GBK, base64", "product", false, mailSpec{
			fromName: "王芳", from: "wangfang88@example.cn", to: demoXiyueAddr,
			subject: "银手链戴了两周就发黑了", charset: "gbk", cte: "base64",
			text: `你好，

我上个月在你们店买的925银手链，戴了两周就开始发黑了。请问这是正常的氧化吗？
应该怎么清洁保养？如果是质量问题，可以换一条吗？

订单号：XY20241102-0387

王芳`}},
		{"xiyue", "Big5 (Traditional), quoted-printable", "logistics", false, mailSpec{
			fromName: "陳志明", from: "chen.cm@example.tw", to: demoXiyueAddr,
			subject: "請問我的包裹到哪裡了？", charset: "big5", cte: "quoted-printable",
			text: `您好：

我在 11 月 8 日下單的純銀耳環（訂單 XY20241108-1142），物流資訊已經五天沒有更新了。
請幫我查一下包裹現在在哪裡，大概什麼時候會送到台北？

謝謝！
陳先生`}},
		{"xiyue", "ISO-2022-JP, 7bit", "logistics", false, mailSpec{
			fromName: "佐藤 由美", from: "yumi.sato@example.jp", to: demoXiyueAddr,
			subject: "関税の支払いについて", charset: "iso-2022-jp", cte: "7bit",
			text: `お世話になっております。

注文番号 XY20241105-0921 のネックレスが税関で止まっていて、配送業者から
関税の支払いを求められました。関税は購入者の負担でしょうか？
追跡番号（Tracking No.）は SF1402238765 です。

よろしくお願いいたします。
佐藤`}},
		{"xiyue", "UTF-8, base64, sent to the privacy contact", "rights/deletion", false, mailSpec{
			fromName: "刘洋", from: "liuyang.sz@example.cn", to: demoXiyuePrivacy,
			subject: "请删除我的个人信息并注销账号", charset: "utf-8", cte: "base64",
			text: `你好，

我以后不会再在你们店购物了。请删除我的账号以及你们保存的我的全部个人信息
（姓名、电话、收货地址、订单记录）。处理完成后请回信告知。

注册邮箱就是本邮箱。

刘洋`}},
		{"xiyue", "UTF-8, quoted-printable", "rights/consent_withdrawal", false, mailSpec{
			fromName: "赵敏", from: "zhaomin@example.cn", to: demoXiyueAddr,
			subject: "退订营销短信和邮件", charset: "utf-8", cte: "quoted-printable",
			text: `您好，

请不要再给我发送促销短信和营销邮件了，我撤回之前同意接收推广信息的授权。
我的手机号是 138****5621。

谢谢。
赵敏`}},
		{"xiyue", "out-of-office (Auto-Submitted: auto-replied)", "", true, mailSpec{
			fromName: "李伟", from: "li.wei@silver-supply.example", to: demoXiyueAddr,
			subject: "自动回复: 11月银料报价", charset: "utf-8", cte: "base64",
			headers: [][2]string{{"Auto-Submitted", "auto-replied"}, {"X-Autoreply", "yes"}},
			text: `您好，我于11月18日至11月25日休假，期间无法及时回复邮件。
紧急事务请联系 zhang@silver-supply.example。`}},

		{"homegoods", "plain text with a signature", "product", false, mailSpec{
			fromName: "Daniel Brooks", from: demoFollowUpFrom, to: "Ximo Household Goods <" + demoHomegoodsAddr + ">",
			subject: "Electric corkscrew broken after first use", charset: "us-ascii", cte: "7bit",
			text: `Hi,

The electric corkscrew I bought from you (order HG-2024-55817) broke the
first time I used it: the motor spins but the screw does not turn, and now
the charging light will not come on at all.

Can you send me a replacement or refund it?

Best regards,
Daniel

-- 
Daniel Brooks
Sent from my phone`}},
		{"homegoods", "ISO-8859-1, quoted-printable, Q-encoded name", "logistics", false, mailSpec{
			fromName: "Jürgen Hoffmann", from: "j.hoffmann@example.de", to: demoHomegoodsAddr,
			subject: "Wo bleibt mein Paket? Bestellung HG-2024-55102", charset: "iso-8859-1", cte: "quoted-printable",
			text: `Guten Tag,

ich habe am 2. November ein Katzenbett aus Plüsch bestellt. Laut
Sendungsverfolgung (Tracking-Nummer LX204418833DE) liegt das Paket seit neun
Tagen im Verteilzentrum in Leipzig, und es gibt keine neuen Informationen.

Können Sie bitte beim Versanddienstleister nachfragen, wann es zugestellt wird?

Mit freundlichen Grüßen
Jürgen Hoffmann`}},
		{"homegoods", "UTF-8, quoted-printable", "logistics", false, mailSpec{
			fromName: "Camille Dubois", from: "camille.dubois@example.fr", to: demoHomegoodsAddr,
			subject: "Frais de douane pour mon colis", charset: "utf-8", cte: "quoted-printable",
			text: `Bonjour,

Le transporteur me demande 18,40 € de frais de douane avant de livrer mon
colis (commande HG-2024-56230, un égouttoir à vaisselle). Ces frais n'étaient
pas indiqués lors de ma commande. Est-ce normal ? Le numéro de tracking est
CN784512369FR.

Cordialement,
Camille Dubois`}},
		{"homegoods", "multipart/alternative (text + HTML)", "rights/correction", false, mailSpec{
			fromName: "Lucía Martín", from: "lucia.martin@example.es", to: demoHomegoodsAddr,
			subject: "Cambiar mi número de teléfono", charset: "utf-8", cte: "quoted-printable",
			text: `Hola,

He cambiado de número de teléfono. Por favor, actualicen mis datos personales:
el número antiguo era +34 612 345 678 y el nuevo es +34 699 112 233.
Mi correo de cliente es este mismo.

Gracias,
Lucía`,
			html: `<html><body><p>Hola,</p><p>He cambiado de número de teléfono. Por favor, actualicen mis
datos personales: el número antiguo era <b>+34 612 345 678</b> y el nuevo es <b>+34 699 112 233</b>.
Mi correo de cliente es este mismo.</p><p>Gracias,<br>Lucía</p></body></html>`}},
		{"homegoods", "plain ASCII", "rights/access", false, mailSpec{
			fromName: "Priya Raman", from: "priya.raman@example.co.uk", to: demoHomegoodsAddr,
			subject: "Request for a copy of my personal data", charset: "us-ascii", cte: "7bit",
			text: `Hello,

Under your privacy policy I would like to receive a copy of my data: everything
you hold about me, including my contact details, addresses, order history and
the records of my emails with customer service.

My account email is this address.

Kind regards,
Priya Raman`}},
		{"homegoods", "plain ASCII", "rights/complaint", false, mailSpec{
			fromName: "Tom Becker", from: "tom.becker@example.net", to: demoHomegoodsAddr,
			subject: "Complaint: my phone number was leaked", charset: "us-ascii", cte: "7bit",
			text: `Hello,

I only gave my mobile number to your shop when I ordered a dish rack in
October. Since last week I get several scam calls a day from people who know
my name and what I bought from Ximo. Someone must have leaked my phone number.

I want to file a formal complaint about this. Please tell me how my data got
out and what you are doing about it.

Tom Becker`}},
		{"homegoods", "plain ASCII", "", false, mailSpec{
			fromName: "Martin Lang", from: "accounts@lang-cafe.example", to: demoHomegoodsAddr,
			subject: "VAT invoice for our company", charset: "us-ascii", cte: "7bit",
			text: `Hello,

Could you issue a VAT invoice for order HG-2024-54990 in the name of our
company? Company: Lang Cafe GmbH, Hauptstrasse 12, 10115 Berlin,
VAT ID DE298765432.

Thank you,
Martin Lang
Accounts`}},
		{"homegoods", "newsletter (List-Id, List-Unsubscribe, Precedence: bulk)", "", true, mailSpec{
			fromName: "Parcel Weekly", from: "newsletter@parcelweekly.example", to: demoHomegoodsAddr,
			subject: "This week: 30% off packing supplies", charset: "utf-8", cte: "quoted-printable",
			headers: [][2]string{
				{"List-Id", "Parcel Weekly deals <deals.parcelweekly.example>"},
				{"List-Unsubscribe", "<https://parcelweekly.example/unsubscribe?u=8812>"},
				{"Precedence", "bulk"},
			},
			text: "This week's deals for online shops: 30% off boxes, tape and bubble wrap.\nUnsubscribe: https://parcelweekly.example/unsubscribe?u=8812",
			html: `<html><body><h1>This week&#39;s deals</h1><p>30% off boxes, tape and bubble wrap.</p>` +
				`<p><a href="https://parcelweekly.example/unsubscribe?u=8812">Unsubscribe</a></p></body></html>`}},
	}
	out := make([]demoMail, 0, len(specs))
	for i, s := range specs {
		sp := s.spec
		sp.date = now.Add(-time.Duration(len(specs)-i) * 7 * time.Minute)
		_, domain, _ := strings.Cut(sp.from, "@")
		sp.messageID = fmt.Sprintf("demo-%02d.%d@%s", i+1, now.Unix(), domain)
		out = append(out, demoMail{User: s.user, From: sp.from, Subject: sp.subject, Shows: s.shows,
			Want: s.want, Automated: s.automated, MessageID: sp.messageID, Raw: sp.render()})
	}
	return out
}

// demoMailFrom returns the first sample mail from the address.
func demoMailFrom(mails []demoMail, from string) (demoMail, bool) {
	for _, m := range mails {
		if m.From == from {
			return m, true
		}
	}
	return demoMail{}, false
}

// demoFollowUp is the customer's answer to the acknowledgement of their
// first mail, with a photo attached. It replies to ack (threading by
// In-Reply-To, as a mail program does); when no acknowledgement arrived it
// replies to the customer's own first mail instead, which threads the same
// way.
func demoFollowUp(first demoMail, ack *mailbox.Message, now time.Time) demoMail {
	sp := mailSpec{
		fromName: "Daniel Brooks", from: first.From, to: demoHomegoodsAddr,
		subject: "Re: " + first.Subject, charset: "utf-8", cte: "quoted-printable",
		date: now, messageID: fmt.Sprintf("demo-followup.%d@example.com", now.Unix()),
		inReplyTo: first.MessageID, references: []string{first.MessageID},
		attachName: "corkscrew.png", attach: demoPhoto(),
	}
	quoted := ""
	if ack != nil {
		sp.subject = "Re: " + ack.Subject
		sp.inReplyTo = ack.MessageID
		sp.references = append(sp.references, ack.MessageID)
		for _, l := range firstLines(ack.Text, 3) {
			quoted += "> " + l + "\n"
		}
		if quoted != "" {
			quoted = "\nOn " + ack.Date.Format("Mon, 2 Jan 2006 at 15:04") + ", " + ack.From.Name + " wrote:\n" + quoted
		}
	}
	sp.text = `Hi,

Here is a photo of the corkscrew: the screw does not move at all. I still
have the original box if you need it back.

Daniel
` + quoted
	return demoMail{User: first.User, From: sp.from, Subject: sp.subject, Shows: "reply with In-Reply-To, quoted text, PNG attachment",
		MessageID: sp.messageID, Raw: sp.render()}
}

// demoCodeReply is a customer's answer to a verification mail with the
// code in the body, as a mail program writes it: In-Reply-To and
// References name the verification mail, the subject gets "Re: ", the
// start of the mail is quoted (the code itself is not, so it counts as the
// customer's own text). user is the IMAP mailbox of the shop that sent it.
func demoCodeReply(user string, verify *mailbox.Message, code string, now time.Time) demoMail {
	var cust mailbox.Address
	if len(verify.To) > 0 {
		cust = verify.To[0]
	}
	_, domain, _ := strings.Cut(cust.Email, "@")
	name := cust.Name
	if name == "" {
		name = cust.Email
	}
	sp := mailSpec{
		fromName: cust.Name, from: cust.Email, to: verify.From.Email,
		subject: "Re: " + verify.Subject, charset: "utf-8", cte: "quoted-printable",
		date: now, messageID: fmt.Sprintf("demo-verify-reply.%d@%s", now.Unix(), domain),
		inReplyTo: verify.MessageID, references: append(append([]string(nil), verify.References...), verify.MessageID),
	}
	quoted := ""
	for _, l := range firstLines(verify.Text, 2) {
		quoted += "> " + l + "\n"
	}
	sp.text = "Hello,\n\nyes, the request is mine. My code is " + code + ".\n\n" + name + "\n\n" + quoted
	return demoMail{User: user, From: sp.from, Subject: sp.subject, Shows: "reply to the verification mail with the code",
		MessageID: sp.messageID, Raw: sp.render()}
}

// demoPhoto is a small PNG: enough for the attachment to be real.
func demoPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := 0; y < 16; y++ {
		for x := 0; x < 16; x++ {
			img.Set(x, y, color.RGBA{R: uint8(120 + 8*x), G: 90, B: uint8(60 + 8*y), A: 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// firstLines returns up to n non-empty, trimmed lines of s.
func firstLines(s string, n int) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// clip is oneLine measured in terminal columns: CJK and other wide
// characters take two, so Chinese and Japanese lines are cut at the same
// width as Latin ones.
func clip(s string, cols int) string {
	s = strings.Join(strings.Fields(s), " ")
	w := 0
	for i, r := range s {
		rw := 1
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			rw = 2
		}
		if w+rw > cols-1 && i+len(string(r)) < len(s) {
			return s[:i] + "…"
		}
		w += rw
	}
	return s
}
