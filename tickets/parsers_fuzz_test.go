package tickets

import (
	"bytes"
	"context"
	"helpdesk/mailbox"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzRenderNoticeBody: any Markdown gives valid UTF-8 text and HTML in
// which every tag is one the renderer writes (no customer-supplied markup
// survives), and links only to http(s).
func FuzzRenderNoticeBody(f *testing.F) {
	for _, s := range []string{"", "Hello **world**", "- a\n- b\n\n1. x\n2. y", "[x](javascript:alert(1)) <script>x</script>",
		"*em* **b** [ok](https://example.com/a?b=c&d=e)", "隐私政策更新\n\n**生效日期**：2027年1月1日", "\x00\xff<img src=x onerror=1>"} {
		f.Add(s)
	}
	allowed := map[string]bool{"p": true, "br": true, "ul": true, "ol": true, "li": true, "strong": true, "em": true, "a": true}
	f.Fuzz(func(t *testing.T, src string) {
		text, h := RenderNoticeBody(src)
		if utf8.ValidString(src) && (!utf8.ValidString(text) || !utf8.ValidString(h)) {
			t.Fatalf("invalid UTF-8 out of valid input %q", src)
		}
		z := html.NewTokenizer(strings.NewReader(h))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.EndTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			name, hasAttr := z.TagName()
			if !allowed[string(name)] {
				t.Fatalf("tag <%s> in the HTML of %q:\n%s", name, src, h)
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) != "href" {
					t.Fatalf("attribute %s in the HTML of %q", k, src)
				}
				if !bytes.HasPrefix(v, []byte("http://")) && !bytes.HasPrefix(v, []byte("https://")) {
					t.Fatalf("link to %q in the HTML of %q", v, src)
				}
			}
		}
	})
}

// FuzzParseNoticeRef: never panics, and what it accepts round-trips.
func FuzzParseNoticeRef(f *testing.F) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	f.Add(noticeMessageID(secret, 3, 42, "support@xiyue.example"))
	f.Add(noticeToken(secret, 3, 42))
	f.Add("<n1.2.abc@x>")
	f.Add("n..@")
	f.Fuzz(func(t *testing.T, s string) {
		nid, rid, mac, ok := parseNoticeRef(s)
		if ok && (nid <= 0 || rid <= 0 || len(mac) != 24) {
			t.Fatalf("accepted %q as %d.%d.%s", s, nid, rid, mac)
		}
	})
}

// FuzzImportCustomers: any CSV is either reported row by row or refused
// whole; nothing panics and counts add up.
func FuzzImportCustomers(f *testing.F) {
	f.Add("email,name,language,brand\nann@example.com,Ann,en,xiyue\n")
	f.Add("email,name\n\"unterminated,x\n")
	f.Add("brand,email\nxiyue,not-an-email\nxiyue,bob@example.com\n")
	f.Add("")
	store := openTestStore(f, "sqlite")
	svc := newTestService(f, store, testConfig(f))
	f.Fuzz(func(t *testing.T, csv string) {
		res, err := svc.ImportCustomers(context.Background(), strings.NewReader(csv))
		if err != nil {
			return
		}
		if res.Bad() < 0 || res.Bad() > len(res.Problems) {
			t.Fatalf("bad rows %d, problems %d", res.Bad(), len(res.Problems))
		}
	})
}

// FuzzSenderAuthenticated: any Authentication-Results value is read without
// a panic, and a header from another server never authenticates anyone.
func FuzzSenderAuthenticated(f *testing.F) {
	f.Add("mx.xiyue.example; dmarc=pass header.from=example.com")
	f.Add("mx.xiyue.example; dkim=fail header.d=example.com; spf=pass smtp.mailfrom=a@example.com")
	f.Add("evil.example; dmarc=pass header.from=example.com")
	f.Add(";;;=")
	f.Fuzz(func(t *testing.T, v string) {
		m := &mailbox.Message{From: mailbox.Address{Email: "ann@example.com"},
			Header: map[string][]string{"Authentication-Results": {v}}}
		ok, _ := senderAuthenticated(m, "mx.xiyue.example")
		if ok && !strings.Contains(strings.ToLower(v), "mx.xiyue.example") {
			t.Fatalf("authenticated by a header from another server: %q", v)
		}
	})
}
