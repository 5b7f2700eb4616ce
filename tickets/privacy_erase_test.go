package tickets

import (
	"bytes"
	"context"
	"encoding/base64"
	"mime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"gorm.io/gorm"

	"helpdesk/mailbox"
)

// TestErasureReachesEncodedMentions: someone else's mail names the erased
// customer only in encoded form, where a byte search over raw mail cannot
// see it: a base64 body, a quoted-printable GBK part, an encoded-word
// subject, a GBK text attachment, a forwarded message with a base64 body;
// and a quarantined mail names her in base64. Erasure must reach them
// all, and leave the rest of that mail readable.
func TestErasureReachesEncodedMentions(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		const addr, name = "wang.xl@example.com", "王小丽"
		enc := simplifiedchinese.GBK.NewEncoder()
		gbkNote, err := enc.String("收件人：" + name + "，请包装好。")
		must(t, err)
		gbkFile, err := enc.String(name + "的地址：深圳市南山区")
		must(t, err)
		b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
		forwarded := "From: Shop <shop@example.net>\r\nSubject: order 88\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			b64("Your order will reach "+addr+" on Monday.") + "\r\n"
		bob := "From: Bob <bob@example.com>\r\nTo: <support@xiyue.example>\r\nSubject: " +
			mime.BEncoding.Encode("utf-8", "礼物给"+name) + "\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n" +
			"Message-ID: <gift-bob@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
			"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			b64("Please ship the gift to my friend at "+addr+".") + "\r\n" +
			"--b\r\nContent-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			qpEscapeAll(gbkNote) + "\r\n" +
			"--b\r\nContent-Type: text/plain; charset=gbk; name=note.txt\r\nContent-Disposition: attachment; filename=note.txt\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\n" + b64(gbkFile) + "\r\n" +
			"--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + forwarded +
			"--b--\r\n"
		if strings.Contains(bob, addr) || strings.Contains(bob, name) {
			t.Fatal("setup: the mention is not encoded")
		}
		e.src.add([]byte(bob))
		e.deliver(pmail{from: addr, name: name, subject: "Bracelet size", body: "Can the bracelet be resized?"})
		quarantined := []byte("From: x@example.org\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64("for "+addr) + "\r\n")
		must(t, e.store.db.Transaction(func(tx *gorm.DB) error {
			return quarantine(tx, "xiyue", "INBOX", 1, 999, "unreadable", quarantined)
		}))

		rep, err := e.svc.EraseCustomer(context.Background(), addr, "", "agent1")
		must(t, err)
		be := rep.Brands[0]
		if be.Deleted["quarantine"] != 1 || be.Deleted["attachments"] != 2 || be.Anonymized["messages"] != 1 {
			t.Fatalf("report = %+v", be)
		}
		var msg Message
		must(t, e.store.db.Where("message_id = ?", "gift-bob@example.com").First(&msg).Error)
		raw, err := loadRaw(e.store.db, *msg.RawID)
		must(t, err)
		got := mailbox.Parse(raw, mailbox.ParseOptions{})
		for what, s := range map[string]string{"subject": got.Subject, "text": got.Text, "stored text": msg.Text, "stored subject": msg.Subject} {
			if strings.Contains(s, addr) || strings.Contains(s, name) {
				t.Errorf("%s still names her: %q", what, s)
			}
		}
		for _, a := range got.Attachments {
			inner := mailbox.Parse(a.Content, mailbox.ParseOptions{})
			if strings.Contains(inner.Text, addr) {
				t.Errorf("attachment %q in the raw mail still names her: %q", a.Filename, inner.Text)
			}
		}
		// The rest of Bob's mail is still his and still readable.
		if got.From.Email != "bob@example.com" || !strings.Contains(got.Text, "Please ship the gift") ||
			!strings.Contains(got.Text, "请包装好") || !strings.Contains(got.Subject, "礼物给") {
			t.Errorf("too much erased: from %q subject %q text %q", got.From.Email, got.Subject, got.Text)
		}
		if n := countRows(t, e.store, "quarantine"); n != 0 {
			t.Errorf("%d quarantined mails left", n)
		}
		if !bytes.Contains(raw, []byte("bob@example.com")) {
			t.Error("Bob's own address was erased too")
		}
	})
}

// qpEscapeAll writes every byte as a quoted-printable escape, soft line
// breaks included, so that nothing of the text is readable in the bytes.
func qpEscapeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && i%24 == 0 {
			b.WriteString("=\r\n")
		}
		b.WriteString("=" + strings.ToUpper(hexByte(s[i])))
	}
	return b.String()
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
