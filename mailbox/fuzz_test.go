package mailbox

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse survives arbitrary input and keeps its
// invariants. Plain `go test` runs the seed corpus (the testdata fixtures
// plus a few hand-made edge cases).
func FuzzParse(f *testing.F) {
	for _, file := range testdataFiles(f) {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		"",
		"\n",
		"From: a\n",
		"Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n--b--",
		"Content-Type: multipart/mixed; boundary=\"\"\n\n--\n",
		"Subject: =?utf-8?B?=?= =?x?q?=ZZ?= =?",
		"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n====",
		"Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=a\n\n--a\n",
		"Content-Type: text/html\n\n<blockquote><blockquote><pre>x\n</blockquote>",
		"Content-Disposition: attachment; filename*0*=x'y'%; filename*999*=%ZZ\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw, ParseOptions{OwnAddresses: []string{"support@xiyue.example"}})
		if m.Size != int64(len(raw)) {
			t.Fatalf("Size = %d, want %d", m.Size, len(raw))
		}
		sum := sha256.Sum256(raw)
		if m.ContentHash != hex.EncodeToString(sum[:]) {
			t.Fatalf("ContentHash = %s, want sha256 of raw", m.ContentHash)
		}
		for name, s := range map[string]string{
			"Subject": m.Subject, "Text": m.Text, "NewText": m.NewText, "Quoted": m.Quoted,
			"Signature": m.Signature, "From.Name": m.From.Name, "From.Email": m.From.Email, "MessageID": m.MessageID,
		} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
		for _, n := range m.ParseErrors {
			if strings.HasPrefix(n, "internal error") {
				t.Fatalf("Parse recovered from a panic: %s", n)
			}
		}
		if m.Automated != (len(m.AutomatedReasons) > 0) {
			t.Fatalf("Automated = %v but reasons %q", m.Automated, m.AutomatedReasons)
		}
		if len(m.NewText) > len(m.Text) {
			t.Fatalf("NewText longer than Text")
		}
	})
}
