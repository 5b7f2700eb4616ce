package templates

import (
	"strings"
	"testing"
)

func FuzzNormalizeLang(f *testing.F) {
	for _, s := range []string{"en", "zh-CN", "zh_TW", "en_US.UTF-8", "fr;q=0.8", "", "*", "zho", "ÉN", "x-klingon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		got := NormalizeLang(tag)
		if got == "" {
			return
		}
		if len(got) < 2 || len(got) > 3 || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Fatalf("NormalizeLang(%q) = %q, not a bare tag", tag, got)
		}
		if again := NormalizeLang(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", tag, got, again)
		}
	})
}

func FuzzParseFileName(f *testing.F) {
	for _, s := range []string{"ack.product.en.txt", "_partials.zh.html", "x.txt", ".txt", "a.b.c.d.e.txt", "reply.en-US.html", "a..en.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, base string) {
		fn, ok, err := parseFileName(base)
		if !ok || err != nil {
			return
		}
		ext := ".txt"
		if fn.kind == kindHTML {
			ext = ".html"
		}
		if rebuilt := fn.name + "." + fn.lang + ext; rebuilt != base {
			t.Fatalf("parseFileName(%q) = %+v, rebuilds as %q", base, fn, rebuilt)
		}
		if fn.partial != strings.HasPrefix(fn.name, "_") || NormalizeLang(fn.lang) != fn.lang {
			t.Fatalf("parseFileName(%q) = %+v", base, fn)
		}
	})
}

// FuzzSubject feeds hostile customer subjects and names through a real
// render: the subject must stay one line and keep exactly one ticket tag.
func FuzzSubject(f *testing.F) {
	s, err := Load("")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Re: Where is my order?", "Alex")
	f.Add("a\r\nBcc: x@y", "<script>")
	f.Add("[XY-1042] Re: [XY-1042]", "")
	f.Add("[XY-10[XY-1042]42]", "")
	f.Add("回复：\u2028订单", "王芳\n")
	f.Fuzz(func(t *testing.T, subject, name string) {
		d := SampleData("reply", "en")
		d.Subject, d.CustomerName = subject, name
		r, err := s.Render("reply", "en", d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(r.Subject, "\r\n\u2028\u2029") {
			t.Fatalf("subject %q has a line break", r.Subject)
		}
		if !strings.HasPrefix(r.Subject, "[XY-1042] ") {
			t.Fatalf("subject %q lacks the leading tag", r.Subject)
		}
		if strings.Count(r.Subject, "[XY-1042]") != 1 {
			t.Fatalf("subject %q has the tag more than once", r.Subject)
		}
		if strings.Contains(r.HTML, "<script") {
			t.Fatalf("unescaped markup in HTML")
		}
	})
}
