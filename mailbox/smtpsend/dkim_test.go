package smtpsend

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
	gomail "github.com/wneessen/go-mail"

	"helpdesk/mailbox"
)

// dkimKey loads a test key and returns its PEM and the DNS TXT record that
// publishes its public half.
func dkimKey(t testing.TB, file string) (pemBytes []byte, txt string) {
	t.Helper()
	pemBytes, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	key, err := gomail.PrivKeyFromPEM(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	switch pub := key.Public().(type) {
	case ed25519.PublicKey:
		return pemBytes, "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	default:
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return pemBytes, "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	}
}

func verifyDKIM(t testing.TB, raw []byte, txt string) []*dkim.Verification {
	t.Helper()
	lookup := func(domain string) ([]string, error) {
		if domain != "s2026._domainkey.xiyue.example" {
			t.Errorf("lookup of unexpected name %q", domain)
		}
		return []string{txt}, nil
	}
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: lookup})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return vs
}

func threadedMail() *Mail {
	m := baseMail()
	m.InReplyTo = "CAF=abc@mail.gmail.com"
	m.References = []string{"root@mail.gmail.com", "CAF=abc@mail.gmail.com"}
	m.AutoSubmitted = AutoReplied
	m.Cc = []mailbox.Address{{Email: "boss@example.com"}}
	m.ReplyTo = &mailbox.Address{Email: "desk@xiyue.example"}
	m.Headers = [][2]string{{"List-Unsubscribe", "<https://xiyue.example/u/1>"}, {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}
	m.HTML = "<p>Hello</p>"
	return m
}

func TestDKIMSignatureVerifies(t *testing.T) {
	for _, keyFile := range []string{"dkim_rsa.pem", "dkim_ed25519.pem"} {
		t.Run(keyFile, func(t *testing.T) {
			pemBytes, txt := dkimKey(t, keyFile)
			opts := Options{Host: "smtp.example", DKIM: &DKIMOptions{Domain: "xiyue.example", Selector: "s2026", PrivateKeyPEM: pemBytes}}
			raw, err := BuildMessage(threadedMail(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(raw, []byte("DKIM-Signature: ")) {
				t.Fatalf("no DKIM-Signature at the top:\n%s", raw)
			}
			checkHeaderSyntax(t, headerBlock(t, raw))
			vs := verifyDKIM(t, raw, txt)
			if len(vs) != 1 {
				t.Fatalf("got %d verifications, want 1", len(vs))
			}
			if vs[0].Err != nil {
				t.Fatalf("signature does not verify: %v\n%s", vs[0].Err, raw)
			}
			if vs[0].Domain != "xiyue.example" {
				t.Errorf("d= %q", vs[0].Domain)
			}
			var keys []string
			for _, k := range vs[0].HeaderKeys {
				keys = append(keys, strings.ToLower(k))
			}
			for _, want := range []string{"from", "to", "cc", "subject", "date", "message-id", "in-reply-to",
				"references", "reply-to", "auto-submitted", "mime-version", "content-type",
				"list-unsubscribe", "list-unsubscribe-post"} {
				if !slices.Contains(keys, want) {
					t.Errorf("h= lacks %s: %v", want, keys)
				}
			}
		})
	}
}

func TestDKIMTamperingDetected(t *testing.T) {
	pemBytes, txt := dkimKey(t, "dkim_ed25519.pem")
	opts := Options{Host: "smtp.example", DKIM: &DKIMOptions{Domain: "xiyue.example", Selector: "s2026", PrivateKeyPEM: pemBytes}}
	raw, err := BuildMessage(threadedMail(), opts)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(s string) string
	}{
		{"references rewritten", func(s string) string {
			return strings.Replace(s, "<root@mail.gmail.com>", "<other@mail.gmail.com>", 1)
		}},
		{"in-reply-to rewritten", func(s string) string {
			return strings.Replace(s, "In-Reply-To: <CAF=abc@mail.gmail.com>", "In-Reply-To: <x@y>", 1)
		}},
		{"second subject added", func(s string) string {
			i := strings.Index(s, "\r\n\r\n")
			return s[:i+2] + "Subject: Pay now\r\n" + s[i+2:]
		}},
		{"reply-to added twice", func(s string) string {
			i := strings.Index(s, "\r\n\r\n")
			return s[:i+2] + "Reply-To: <thief@evil.example>\r\n" + s[i+2:]
		}},
		{"body changed", func(s string) string { return strings.Replace(s, "parcel", "pancake", 1) }},
	}
	if vs := verifyDKIM(t, raw, txt); len(vs) != 1 || vs[0].Err != nil {
		t.Fatalf("untouched message does not verify: %+v", vs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := tt.mutate(string(raw))
			if changed == string(raw) {
				t.Fatal("mutation did not apply")
			}
			vs := verifyDKIM(t, []byte(changed), txt)
			if len(vs) != 1 || vs[0].Err == nil {
				t.Errorf("tampered message still verifies")
			}
		})
	}
}

func TestDKIMOptionErrors(t *testing.T) {
	good, _ := dkimKey(t, "dkim_ed25519.pem")
	tests := []struct {
		name string
		o    DKIMOptions
	}{
		{"no domain", DKIMOptions{Selector: "s", PrivateKeyPEM: good}},
		{"no selector", DKIMOptions{Domain: "d", PrivateKeyPEM: good}},
		{"no key", DKIMOptions{Domain: "d", Selector: "s"}},
		{"garbage key", DKIMOptions{Domain: "d", Selector: "s", PrivateKeyPEM: []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewSender(Options{Host: "h", DKIM: &tt.o}, nil); err == nil {
				t.Error("NewSender accepted bad DKIM options")
			}
		})
	}
}
