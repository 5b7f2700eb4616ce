package mailbox

import (
	"bytes"
	"encoding/base64"
	"mime"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// eraseEdit replaces a person's address and Chinese name, as erasure does.
func eraseEdit(s string) string {
	re := regexp.MustCompile(`(?i)alice@example\.com|王小丽`)
	return re.ReplaceAllString(s, "[erased]")
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64(s []byte) string { return base64.StdEncoding.EncodeToString(s) }

func TestRewriteTextReachesEncodedText(t *testing.T) {
	png := b64([]byte("\x89PNG not text alice@example.com"))
	tests := []struct {
		name string
		raw  string
		keep []string // byte runs that must survive unchanged
	}{
		{
			name: "base64 utf-8 body",
			raw: "From: bob@example.org\r\nSubject: hi\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				b64([]byte("Please also write to alice@example.com (王小丽).\n")) + "\r\n",
		},
		{
			name: "quoted-printable gbk body",
			raw: "From: bob@example.org\r\nSubject: hi\r\nContent-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
				// A soft line break splits the address: a byte search misses it.
				qpBytes(gbk(t, "我的朋友王小丽, alice@example")) + "=\r\n" + qpBytes(gbk(t, ".com, 也想退货。")) + "\r\n",
		},
		{
			name: "encoded-word subject and gbk raw header",
			raw: "From: " + string(gbk(t, "王小丽")) + " <carol@example.org>\r\nSubject: " +
				mime.BEncoding.Encode("utf-8", "退货 王小丽 的订单") + "\r\nContent-Type: text/plain\r\n\r\nhello\r\n",
			keep: []string{"\r\n\r\nhello\r\n"},
		},
		{
			name: "multipart with untouched attachment, preamble and epilogue",
			raw: "From: bob@example.org\nSubject: hi\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\npreamble\n--XX\n" +
				"Content-Type: multipart/alternative; boundary=YY\n\n--YY\nContent-Transfer-Encoding: base64\n\n" +
				b64([]byte("cc alice@example.com")) + "\n--YY\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"<p>=E7=8E=8B=E5=B0=8F=E4=B8=BD</p>\n--YY--\n" +
				"--XX\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n" + png + "\n--XX--\nepilogue\n",
			keep: []string{"preamble\n--XX\n", png, "\n--XX--\nepilogue\n"},
		},
		{
			name: "attachment named after her (RFC 2231 and encoded-word)",
			raw: "From: bob@example.org\r\nSubject: hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
				"--b\r\nContent-Type: text/plain\r\n\r\nsee attached alice@example.com\r\n" +
				"--b\r\nContent-Type: application/pdf; name=\"" + mime.BEncoding.Encode("utf-8", "王小丽.pdf") + "\"\r\n" +
				"Content-Disposition: attachment; filename*=utf-8''%E7%8E%8B%E5%B0%8F%E4%B8%BD.pdf\r\n" +
				"Content-Transfer-Encoding: base64\r\n\r\n" + png + "\r\n--b--\r\n",
			keep: []string{png},
		},
		{
			name: "invalid content type read as text",
			raw: "From: bob@example.org\r\nSubject: hi\r\nContent-Type: garbage\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				b64([]byte("write to alice@example.com")) + "\r\n",
		},
		{
			name: "html hiding the address in a character reference",
			raw: "From: bob@example.org\r\nSubject: hi\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
				"<p>Ship to <b>alice&#64;example.com</b> please</p>\r\n",
		},
		{
			name: "forwarded message inside",
			raw: "From: bob@example.org\r\nSubject: fwd\r\nContent-Type: message/rfc822\r\n\r\n" +
				"From: " + mime.QEncoding.Encode("utf-8", "王小丽") + " <x@example.net>\r\nSubject: order\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				b64([]byte("reply to alice@example.com")) + "\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, changed := RewriteText([]byte(tc.raw), eraseEdit)
			if !changed {
				t.Fatal("nothing rewritten")
			}
			for _, k := range tc.keep {
				if !bytes.Contains(out, []byte(k)) {
					t.Errorf("lost untouched bytes %q in\n%s", k, out)
				}
			}
			assertErased(t, out)
			if again, changed := RewriteText(out, eraseEdit); changed {
				t.Errorf("second pass still changed something:\n%s", again)
			}
		})
	}
}

// assertErased parses out and fails if the person can still be read
// anywhere a reader would look, nested messages included.
func assertErased(t *testing.T, out []byte) {
	t.Helper()
	m := Parse(out, ParseOptions{})
	seen := []string{m.From.Name, m.From.Email, m.Subject, m.Text, m.HTML}
	for _, a := range m.Attachments {
		seen = append(seen, a.Filename)
		if strings.HasPrefix(a.ContentType, "message/") || strings.HasPrefix(a.ContentType, "text/") {
			inner := Parse(a.Content, ParseOptions{})
			seen = append(seen, string(a.Content), inner.From.Name, inner.Subject, inner.Text)
		}
	}
	for _, s := range seen {
		if strings.Contains(strings.ToLower(s), "alice@example") || strings.Contains(s, "王小丽") {
			t.Errorf("still readable: %q", s)
		}
	}
	if !strings.Contains(strings.Join(seen, "\n"), "[erased]") {
		t.Errorf("no [erased] mark anywhere in %q", seen)
	}
}

func qpBytes(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c >= 0x80 || c == '=' {
			sb.WriteString("=" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// TestRewriteTextLeavesOtherMailAlone runs the golden corpus through an
// edit that matches nothing: every message must come back byte for byte.
func TestRewriteTextLeavesOtherMailAlone(t *testing.T) {
	for _, f := range testdataFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, changed := RewriteText(raw, eraseEdit)
		if changed || !bytes.Equal(out, raw) {
			t.Errorf("%s: rewritten though nothing matched", f)
		}
	}
}

// TestRewriteTextCorpusSender erases each corpus message's sender the way
// erasure does (bytes first, then RewriteText) and checks that no decoded
// header or text still shows the address, whatever the charset.
func TestRewriteTextCorpusSender(t *testing.T) {
	tried := 0
	for _, f := range testdataFiles(t) {
		raw, _ := os.ReadFile(f)
		m := Parse(raw, ParseOptions{})
		name := strings.TrimSpace(m.From.Name)
		if len([]rune(name)) < 2 {
			continue
		}
		tried++
		re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(name))
		edit := func(s string) string { return re.ReplaceAllString(s, "[erased]") }
		out, _ := RewriteText(re.ReplaceAll(raw, []byte("[erased]")), edit)
		got := Parse(out, ParseOptions{})
		for _, s := range []string{got.From.Name, got.Subject, got.Text, got.HTML} {
			if strings.Contains(strings.ToLower(s), strings.ToLower(name)) {
				t.Errorf("%s: %q still readable in %q", f, name, s)
			}
		}
		if len(got.Attachments) != len(m.Attachments) {
			t.Errorf("%s: %d attachments, was %d", f, len(got.Attachments), len(m.Attachments))
		}
	}
	if tried < 5 {
		t.Fatalf("only %d corpus messages have a sender name", tried)
	}
}
