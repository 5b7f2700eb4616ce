package templates

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestContractTemplatesInEnglishAndChinese(t *testing.T) {
	s := mustLoad(t, "")
	for _, name := range ContractNames() {
		for _, lang := range []string{"en", "zh"} {
			t.Run(name+"."+lang, func(t *testing.T) {
				d := SampleData(name, lang)
				d.TicketRef = "XY-1042" // notices carry none by default; the tag must still appear once
				r, err := s.Render(name, lang, d)
				if err != nil {
					t.Fatal(err)
				}
				if r.Lang != lang {
					t.Errorf("Lang = %q, want %q", r.Lang, lang)
				}
				if n := strings.Count(r.Subject, "[XY-1042]"); n != 1 {
					t.Errorf("subject %q has the ticket tag %d times, want 1", r.Subject, n)
				}
				if r.Text == "" || !strings.HasSuffix(r.Text, "\n") || strings.HasSuffix(r.Text, "\n\n") {
					t.Errorf("text part not tidy: %q", r.Text)
				}
				if strings.Contains(r.Text, "<no value>") || strings.Contains(r.HTML, "<no value>") {
					t.Error("rendering contains <no value>")
				}
				customerFacing := !strings.HasPrefix(name, "agent.")
				if customerFacing && r.HTML == "" {
					t.Error("customer-facing template has no HTML part")
				}
				if customerFacing && !strings.Contains(r.Text, d.Brand.HoursIn(lang)) {
					t.Errorf("footer lacks the service hours %q", d.Brand.HoursIn(lang))
				}
				if customerFacing && !strings.Contains(r.Text, d.Brand.PrivacyContact) {
					t.Error("footer lacks the privacy contact")
				}
			})
		}
	}
}

func TestAcknowledgementsStateTheDeadline(t *testing.T) {
	s := mustLoad(t, "")
	tests := []struct{ name, lang, want string }{
		{"ack.product", "en", "reply by Wednesday 25 November, 18:00 (UTC+8)"},
		{"ack.logistics", "en", "reply by Wednesday 25 November, 18:00 (UTC+8)"},
		{"ack.other", "zh", "于11月25日（星期三）18:00（UTC+8）前给您回复"},
		{"ack.product", "de", "bis Mittwoch, 25. November, 18:00 Uhr (UTC+8)"},
		{"ack.product", "fr", "d'ici le mercredi 25 novembre à 18:00 (UTC+8)"},
		{"ack.product", "es", "antes del miércoles 25 de noviembre a las 18:00 (UTC+8)"},
		{"ack.product", "it", "entro mercoledì 25 novembre alle 18:00 (UTC+8)"},
		{"ack.product", "ja", "11月25日（水）18:00（UTC+8）までにご返信"},
		{"ack.rights.deletion", "en", "delete your information within 7 business days"},
		{"ack.rights.deletion", "zh", "在7个工作日内删除"},
		{"ack.rights.complaint", "en", "contact you within 5 business days of receiving your email"},
		{"ack.rights.complaint", "zh", "在收到您邮件后的5个工作日内"},
		{"ack.rights.consent_withdrawal", "en", "takes effect immediately"},
		{"ack.rights.consent_withdrawal", "en", "does not affect the lawfulness of any processing"},
		{"ack.rights.consent_withdrawal", "zh", "撤回同意即时生效"},
		{"ack.rights.access", "en", "provide you with a copy of the information we hold"},
		{"ack.rights.access", "zh", "个人信息副本"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.lang, func(t *testing.T) {
			r, err := s.Preview(tt.name, tt.lang, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("text lacks %q:\n%s", tt.want, r.Text)
			}
			if r.HTML != "" && !strings.Contains(stripTags(r.HTML), strings.ReplaceAll(tt.want, "+", "&#43;")) &&
				!strings.Contains(stripTags(r.HTML), tt.want) {
				t.Errorf("HTML lacks %q:\n%s", tt.want, r.HTML)
			}
			if !strings.Contains(r.Text, "XY-1042") {
				t.Error("acknowledgement lacks the ticket reference")
			}
		})
	}
}

func TestBusinessDaysSingular(t *testing.T) {
	s := mustLoad(t, "")
	d := SampleData("ack.rights.access", "en")
	d.BusinessDays = 1
	r, err := s.Render("ack.rights.access", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "within 1 business day.") {
		t.Errorf("want singular day:\n%s", r.Text)
	}
	d.BusinessDays, d.Due = 0, time.Time{}
	r, err = s.Render("ack.rights.access", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text, "business day") || strings.Contains(r.Text, "at the latest") {
		t.Errorf("no promise given, yet the text makes one:\n%s", r.Text)
	}
}

func TestLanguageFallback(t *testing.T) {
	s := mustLoad(t, "")
	tests := []struct {
		name, lang, brandDefault, want string
	}{
		{"reply", "fr", "zh", "zh"},    // no fr reply: brand default
		{"reply", "fr", "", "en"},      // no brand default: en
		{"reply", "fr-CA", "de", "en"}, // brand default has no reply either
		{"ack.product", "fr", "zh", "fr"},
		{"ack.product", "zh-CN", "en", "zh"},
		{"ack.product", "zh_TW", "en", "zh"},
		{"ack.product", "zh-Hans", "en", "zh"},
		{"ack.product", "en-US", "zh", "en"},
		{"ack.product", "", "ja", "ja"},
		{"ack.product", "xx", "", "en"},
		{"verify", "ja", "zh-CN", "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.lang+"/"+tt.brandDefault, func(t *testing.T) {
			d := SampleData(tt.name, tt.lang)
			d.Brand.DefaultLanguage = tt.brandDefault
			r, err := s.Render(tt.name, tt.lang, d)
			if err != nil {
				t.Fatal(err)
			}
			if r.Lang != tt.want {
				t.Errorf("Lang = %q, want %q", r.Lang, tt.want)
			}
		})
	}
}

func TestDueTextFollowsChosenLanguage(t *testing.T) {
	s := mustLoad(t, "")
	d := SampleData("reply", "en")
	d.Brand.DefaultLanguage = "zh"
	r, err := s.Render("ack.other", "pt", d) // pt has no template: zh
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "11月25日（星期三）18:00（UTC+8）") {
		t.Errorf("due not formatted in Chinese:\n%s", r.Text)
	}
	d.DueText = "custom wording"
	r, err = s.Render("ack.other", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "reply by custom wording.") {
		t.Errorf("caller's DueText not used:\n%s", r.Text)
	}
}

func TestRenderUnknownTemplate(t *testing.T) {
	s := mustLoad(t, "")
	if _, err := s.Render("no.such", "en", Data{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if s.Has("no.such") || !s.Has("reply") {
		t.Error("Has is wrong")
	}
}

func TestSubjectsNeverContainLineBreaks(t *testing.T) {
	s := mustLoad(t, "")
	evil := "Hello\r\nBcc: victim@example.com\u2028x\tend"
	for _, name := range ContractNames() {
		for _, lang := range []string{"en", "zh", "de"} {
			d := SampleData(name, lang)
			d.Subject, d.Notice.Title, d.DueText, d.TicketRef = evil, evil, evil, "XY-7\n"
			d.Brand.Name = "Shop\r\nX-Evil: 1"
			r, err := s.Render(name, lang, d)
			if err != nil {
				t.Fatalf("%s.%s: %v", name, lang, err)
			}
			if strings.ContainsAny(r.Subject, "\r\n\t\u2028") {
				t.Errorf("%s.%s: subject %q has a line break", name, lang, r.Subject)
			}
			if strings.TrimSpace(r.Subject) != r.Subject || strings.Contains(r.Subject, "  ") {
				t.Errorf("%s.%s: subject %q not normalized", name, lang, r.Subject)
			}
		}
	}
}

func TestTopicDoesNotPileUpPrefixes(t *testing.T) {
	s := mustLoad(t, "")
	d := SampleData("reply", "en")
	d.Subject = "RE: Re: [XY-1042] AW: Where is my order?"
	r, err := s.Render("reply", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[XY-1042] Re: Where is my order?"; r.Subject != want {
		t.Errorf("subject = %q, want %q", r.Subject, want)
	}
}

func TestHTMLEscapesCustomerData(t *testing.T) {
	s := mustLoad(t, "")
	const script = "<script>alert(1)</script>"
	d := SampleData("reply", "en")
	d.CustomerName = script
	d.Body = "Hi <b>there</b> & welcome"
	d.Quoted = script
	d.Subject = script
	r, err := s.Render("reply", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<b>there") {
		t.Errorf("HTML contains unescaped customer data:\n%s", r.HTML)
	}
	if !strings.Contains(r.HTML, "&lt;script&gt;") || !strings.Contains(r.HTML, "&lt;b&gt;there&lt;/b&gt; &amp; welcome") {
		t.Errorf("HTML lacks the escaped text:\n%s", r.HTML)
	}
	if !strings.Contains(r.Text, script) {
		t.Error("the plain-text part should carry the text as written")
	}

	for _, name := range []string{"ack.product", "ack.rights.deletion", "notice", "resolved"} {
		d := SampleData(name, "zh")
		d.CustomerName = script
		r, err := s.Render(name, "zh", d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(r.HTML, "<script>") || !strings.Contains(r.HTML, "&lt;script&gt;") {
			t.Errorf("%s: customer name not escaped in HTML", name)
		}
	}

	v := SampleData("verify", "en")
	v.VerifyURL = "javascript:alert(1)"
	r, err = s.Render("verify", "en", v)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, `href="javascript:`) {
		t.Errorf("unsafe URL reached an href:\n%s", r.HTML)
	}
}

func TestNoticeHTMLBodyAndUnsubscribe(t *testing.T) {
	s := mustLoad(t, "")
	d := SampleData("notice", "en")
	d.BodyHTML = `<p>Trusted <em>policy</em> text</p>`
	r, err := s.Render("notice", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.HTML, `<p>Trusted <em>policy</em> text</p>`) {
		t.Error("BodyHTML not inserted as HTML")
	}
	if !strings.Contains(r.Text, d.Body) {
		t.Error("text part lacks the text body")
	}
	for _, want := range []string{"25 December 2026", "continue to use our services after that date, you accept", d.Notice.UnsubscribeURL} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	d.Notice.Mandatory = true
	r, err = s.Render("notice", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text, "unsubscribe") || strings.Contains(r.HTML, "unsubscribe") {
		t.Error("mandatory notice offers an unsubscribe")
	}
	d.Notice.Mandatory, d.Notice.UnsubscribeURL = false, ""
	r, err = s.Render("notice", "zh", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "请回复本邮件并注明“退订”") {
		t.Errorf("no reply-to-unsubscribe line:\n%s", r.Text)
	}
}

func TestVerifyVariants(t *testing.T) {
	s := mustLoad(t, "")
	tests := []struct {
		name          string
		code, url     string
		want, notWant []string
	}{
		{"code only", "482913", "", []string{"482913", "write the code in the body", "The code is valid until Monday 23 November, 10:30 (UTC+8)", "If you did not make this request, please ignore this email"}, []string{"open this link"}},
		{"link only", "", "https://shop.example/v", []string{"To confirm, open this link", "https://shop.example/v"}, []string{"code"}},
		{"both", "1", "https://shop.example/v", []string{"Alternatively", "The code and the link are valid"}, nil},
		{"neither", "", "", []string{"To confirm, simply reply to this email."}, []string{"code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := SampleData("verify", "en")
			d.Code, d.VerifyURL = tt.code, tt.url
			r, err := s.Render("verify", "en", d)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, r.Text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(r.Text, w) {
					t.Errorf("text has %q:\n%s", w, r.Text)
				}
			}
			if strings.Contains(r.Subject, "482913") {
				t.Error("the code must not appear in the subject")
			}
		})
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestOverrideReplacesOneTemplateAndKeepsTheRest(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"ack.product.en.txt":         `{{define "subject"}}Thanks from {{.Brand.Name}}{{end}}Custom ack for {{.CustomerName}}, due {{.DueText}}.`,
		"custom.promo.zh.txt":        `{{define "subject"}}{{template "ref" .}}促销{{end}}{{template "greeting" .}} {{index .Extra "coupon"}}`,
		"_brand.en.txt":              "{{define \"signature\"}}Cheers,\nThe {{.Brand.Name}} crew{{end}}",
		"README.md":                  "not a template",
		".ack.product.en.txt.swp":    "{{ broken",
		"ack.logistics.en.html.orig": "{{ broken",
	})
	s := mustLoad(t, dir)

	r, err := s.Preview("ack.product", "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[XY-1042] Thanks from Example Home"; r.Subject != want {
		t.Errorf("subject = %q, want %q (tag added by Render)", r.Subject, want)
	}
	if want := "Custom ack for Alex Morgan, due Wednesday 25 November, 18:00 (UTC+8).\n"; r.Text != want {
		t.Errorf("text = %q, want %q", r.Text, want)
	}
	if r.HTML != "" {
		t.Error("embedded HTML kept beside an overridden text part")
	}

	r, err = s.Preview("ack.product", "zh", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "我们已收到您关于商品的咨询") || r.HTML == "" {
		t.Error("zh ack.product should still be the embedded one, with HTML")
	}

	r, err = s.Preview("ack.logistics", "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "Cheers,\nThe Example Home crew\n") {
		t.Errorf("brand partial did not replace the signature:\n%s", r.Text)
	}
	if strings.Contains(r.Text, "Kind regards") {
		t.Error("embedded signature still present")
	}
	if r.HTML == "" {
		t.Error("ack.logistics lost its HTML")
	}

	// A brand-only template in zh: an English customer of an English brand
	// still gets it, in the only language it has.
	d := SampleData("custom.promo", "en")
	d.Extra = map[string]string{"coupon": "SAVE10"}
	r, err = s.Render("custom.promo", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lang != "zh" || !strings.Contains(r.Text, "SAVE10") {
		t.Errorf("custom template: lang %q text %q", r.Lang, r.Text)
	}

	var info Info
	for _, i := range s.List() {
		if i.Name == "ack.product" {
			info = i
		}
	}
	if info.Source != dir || info.HasHTML != true || !slices.Equal(info.Langs, []string{"de", "en", "es", "fr", "it", "ja", "zh"}) {
		t.Errorf("List entry for ack.product: %+v", info)
	}
	for _, v := range info.Variants {
		if v.Lang == "en" && (v.TextSource != filepath.Join(dir, "ack.product.en.txt") || v.HasHTML) {
			t.Errorf("en variant: %+v", v)
		}
		if v.Lang == "zh" && (v.TextSource != "embedded:default/ack.product.zh.txt" || !v.HasHTML) {
			t.Errorf("zh variant: %+v", v)
		}
	}
}

func TestOverrideHTMLOnlyKeepsEmbeddedText(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"resolved.en.html": `{{template "layout" .}}{{define "content"}}<p>All done, {{.CustomerName}}.</p>{{end}}`,
	})
	s := mustLoad(t, dir)
	r, err := s.Preview("resolved", "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.HTML, "<p>All done, Alex Morgan.</p>") || !strings.Contains(r.Text, "we have resolved your request") {
		t.Errorf("got text %q html %q", r.Text, r.HTML)
	}
}

func TestBrokenOverrideFailsLoadNamingTheFile(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		want    string // part of the message besides the path
	}{
		{"syntax error", "ack.product.en.txt", `{{define "subject"}}x{{end}}{{if .TicketRef}}unclosed`, "unexpected EOF"},
		{"missing field", "ack.product.en.txt", `{{define "subject"}}x{{end}}{{.NoSuchField}}`, "NoSuchField"},
		{"missing field in subject", "reply.zh.txt", `{{define "subject"}}{{.Brand.Nmae}}{{end}}x`, "Nmae"},
		{"missing Extra key", "ack.other.en.txt", `{{define "subject"}}x{{end}}{{.Extra.order}}`, "order"},
		{"no subject", "ack.other.en.txt", `Hello`, "subject"},
		{"broken html", "ack.product.en.html", `{{template "layout" .}}{{define "content"}}<p>{{.Nope}}</p>{{end}}`, "Nope"},
		{"html without text", "promo.en.html", `<p>hi</p>`, "without its text file"},
		{"bad language tag", "ack.product.en-US.txt", `{{define "subject"}}x{{end}}`, "bare lower-case tag"},
		{"language without partials", "ack.product.pt.txt", `{{define "subject"}}x{{end}}{{template "greeting" .}}`, "greeting"},
		{"broken brand partial", "_brand.en.txt", `{{define "footer"}}{{.Brand.Phone}}{{end}}`, "Phone"},
		{"broken html partial", "_brand.zh.html", `{{define "footer"}}<p>{{.Brand.Phone}}</p>{{end}}`, "Phone"},
		{"partial replaced incompletely", "_partials.en.txt", `{{define "footer"}}x{{end}}`, "does not define agent_footer, bdays, due_kind, greeting, ref"},
		{"unknown function", "ack.product.en.txt", `{{define "subject"}}x{{end}}{{shout .Subject}}`, "shout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{tt.file: tt.content})
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *FileError", err, err)
			}
			if want := filepath.Join(dir, tt.file); fe.Path != want {
				t.Errorf("Path = %q, want %q", fe.Path, want)
			}
			if !strings.Contains(err.Error(), tt.file) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q should name %s and mention %q", err, tt.file, tt.want)
			}
		})
	}
}

func TestLoadMissingDirectory(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("Load of a missing directory succeeded")
	}
}

func TestAckName(t *testing.T) {
	tests := []struct{ cat, rt, want string }{
		{"product", "", "ack.product"},
		{"logistics", "", "ack.logistics"},
		{"other", "", "ack.other"},
		{"rights", "deletion", "ack.rights.deletion"},
		{"rights", "consent_withdrawal", "ack.rights.consent_withdrawal"},
		{"rights", "bogus", "ack.other"},
		{"", "", "ack.other"},
	}
	s := mustLoad(t, "")
	for _, tt := range tests {
		if got := AckName(tt.cat, tt.rt); got != tt.want {
			t.Errorf("AckName(%q, %q) = %q, want %q", tt.cat, tt.rt, got, tt.want)
		}
		if !s.Has(AckName(tt.cat, tt.rt)) {
			t.Errorf("no template %q", AckName(tt.cat, tt.rt))
		}
	}
}

// stripTags is crude, enough to find sentences split by <strong>.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func BenchmarkRenderAck(b *testing.B) {
	s := mustLoad(b, "")
	d := SampleData("ack.product", "en")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Render("ack.product", "en", d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderReplyZH(b *testing.B) {
	s := mustLoad(b, "")
	d := SampleData("reply", "zh")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Render("reply", "zh", d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}
