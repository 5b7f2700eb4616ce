package mailbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// addFixtureSeeds adds every testdata/*.eml fixture to f's seed corpus.
func addFixtureSeeds(f *testing.F) {
	for _, file := range testdataFiles(f) {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
}

// FuzzParse checks that Parse survives arbitrary input and keeps its
// invariants. Plain `go test` runs the seed corpus (the testdata fixtures
// plus a few hand-made edge cases).
func FuzzParse(f *testing.F) {
	addFixtureSeeds(f)
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
		"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n" +
			"UEsDBBQAAAAIAA==\r\n AAAAAAAA=AAAA\n@@QUJD\n--b\nContent-Type: image/png\nContent-Transfer-Encoding: quoted-printable\n\n" +
			"a=3Db=\r\nc=ZZ========================\n--b--",
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
		// The store relies on this to keep such a text once.
		if m.Quoted == "" && m.Signature == "" && m.NewText != TrimBlankLines(m.Text) {
			t.Fatalf("no quote, no signature, but NewText %q is not the trimmed Text %q", m.NewText, m.Text)
		}
		// Omitting large attachment content changes nothing but Content.
		small := Parse(raw, ParseOptions{OwnAddresses: []string{"support@xiyue.example"}, MaxAttachmentContent: 16})
		if len(small.Attachments) != len(m.Attachments) || small.Text != m.Text ||
			strings.Join(small.ParseErrors, "|") != strings.Join(m.ParseErrors, "|") {
			t.Fatalf("with MaxAttachmentContent: %d attachments, notes %q; without: %d, %q",
				len(small.Attachments), small.ParseErrors, len(m.Attachments), m.ParseErrors)
		}
		for i, a := range small.Attachments {
			full := m.Attachments[i]
			if a.Size != full.Size || a.ContentOmitted != (a.Content == nil && full.Size > 16) ||
				(!a.ContentOmitted && string(a.Content) != string(full.Content)) {
				t.Fatalf("attachment %d: size %d omitted %v; full parse size %d", i, a.Size, a.ContentOmitted, full.Size)
			}
		}
	})
}

// FuzzRewriteText checks RewriteText (erasure's MIME-aware redaction) on
// arbitrary input: no panic, an edit that changes nothing leaves the bytes
// alone, and after an edit that removes a word no reader of the result
// (Parse) sees the word in the subject or the text.
func FuzzRewriteText(f *testing.F) {
	addFixtureSeeds(f)
	for _, s := range []string{
		"Subject: =?utf-8?q?Alice?=\n\nalice",
		"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nYWxpY2U=",
		"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: quoted-printable\n\nali=\nce\n--b--",
		"Content-Type: message/rfc822\n\nSubject: =?gbk?b?YWxpY2U=?=\n\n",
		"From: \xe7\x8e\x8b alice\n\n",
	} {
		f.Add([]byte(s))
	}
	word := regexp.MustCompile(`(?i)alice`)
	erase := func(s string) string { return word.ReplaceAllString(s, "[erased]") }
	f.Fuzz(func(t *testing.T, raw []byte) {
		same, changed := rewriteText(raw, func(s string) string { return s })
		if changed || !bytes.Equal(same, raw) {
			t.Fatalf("identity edit rewrote the message: %q", same)
		}
		out, changed := rewriteText(word.ReplaceAll(raw, []byte("[erased]")), erase)
		if !changed && word.Match(out) {
			t.Fatalf("unchanged output still holds the word: %q", out)
		}
		m := Parse(out, ParseOptions{})
		for _, n := range m.ParseErrors {
			if strings.HasPrefix(n, "internal error") {
				t.Fatalf("Parse of the rewritten message panicked: %s", n)
			}
		}
		if word.MatchString(m.Subject) || word.MatchString(m.Text) {
			t.Fatalf("word still readable: subject %q text %q from %q", m.Subject, m.Text, out)
		}
	})
}
