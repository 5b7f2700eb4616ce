package templates

import (
	"strings"
	"testing"
	"time"
)

func TestFormatDue(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	wed := time.Date(2026, 11, 25, 18, 0, 0, 0, cst)
	first := time.Date(2026, 12, 1, 9, 5, 0, 0, cst) // a Tuesday
	tests := []struct {
		name string
		t    time.Time
		lang string
		want string
	}{
		{"en", wed, "en", "Wednesday 25 November, 18:00 (UTC+8)"},
		{"en-US tag", wed, "en-US", "Wednesday 25 November, 18:00 (UTC+8)"},
		{"zh", wed, "zh", "11月25日（星期三）18:00（UTC+8）"},
		{"zh-CN tag", wed, "zh-CN", "11月25日（星期三）18:00（UTC+8）"},
		{"ja", wed, "ja", "11月25日（水）18:00（UTC+8）"},
		{"de", wed, "de", "Mittwoch, 25. November, 18:00 Uhr (UTC+8)"},
		{"fr", wed, "fr", "mercredi 25 novembre à 18:00 (UTC+8)"},
		{"fr first", first, "fr", "mardi 1er décembre à 09:05 (UTC+8)"},
		{"es", wed, "es", "miércoles 25 de noviembre a las 18:00 (UTC+8)"},
		{"it", wed, "it", "mercoledì 25 novembre alle 18:00 (UTC+8)"},
		{"it first", first, "it", "martedì 1º dicembre alle 09:05 (UTC+8)"},
		{"unknown language", wed, "pt", "Wednesday 25 November, 18:00 (UTC+8)"},
		{"empty language", wed, "", "Wednesday 25 November, 18:00 (UTC+8)"},
		{"uses t's own zone", wed.UTC(), "en", "Wednesday 25 November, 10:00 (UTC)"},
		{"half-hour zone", time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("IST", 5*3600+1800)), "en", "Monday 2 March, 09:30 (UTC+5:30)"},
		{"negative zone", time.Date(2026, 1, 4, 23, 59, 0, 0, time.FixedZone("BRT", -3*3600)), "zh", "1月4日（星期日）23:59（UTC-3）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDue(tt.t, tt.lang); got != tt.want {
				t.Errorf("FormatDue = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatDueShanghai(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skipf("no time-zone database: %v", err)
	}
	due := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).In(loc)
	if got, want := FormatDue(due, "en"), "Wednesday 25 November, 18:00 (UTC+8)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatDate(t *testing.T) {
	z := time.FixedZone("UTC+8", 8*3600)
	d := time.Date(2026, 12, 25, 0, 0, 0, 0, z)
	first := time.Date(2027, 1, 1, 0, 0, 0, 0, z)
	tests := []struct {
		t          time.Time
		lang, want string
	}{
		{d, "en", "25 December 2026"},
		{d, "zh", "2026年12月25日"},
		{d, "ja", "2026年12月25日"},
		{d, "de", "25. Dezember 2026"},
		{d, "fr", "25 décembre 2026"},
		{first, "fr", "1er janvier 2027"},
		{d, "es", "25 de diciembre de 2026"},
		{d, "it", "25 dicembre 2026"},
		{first, "it", "1º gennaio 2027"},
		{d, "xx", "25 December 2026"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.t, tt.lang); got != tt.want {
			t.Errorf("FormatDate(%v, %q) = %q, want %q", tt.t, tt.lang, got, tt.want)
		}
	}
}

func TestNormalizeLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en", "en"}, {"EN", "en"}, {"en-US", "en"}, {"en_GB", "en"}, {"en_US.UTF-8", "en"},
		{"zh", "zh"}, {"zh-CN", "zh"}, {"zh-Hans", "zh"}, {"zh_TW", "zh"}, {"zh-Hant-HK", "zh"},
		{"zho", "zh"}, {"chi", "zh"}, {"cmn", "zh"},
		{"de-DE", "de"}, {"ger", "de"}, {"fr;q=0.8", "fr"}, {" ja ", "ja"}, {"spa", "es"}, {"ita", "it"},
		{"", ""}, {"*", ""}, {"e", ""}, {"english", ""}, {"12", ""}, {"é", ""}, {"-en", ""},
	}
	for _, tt := range tests {
		if got := NormalizeLang(tt.in); got != tt.want {
			t.Errorf("NormalizeLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatServiceHours(t *testing.T) {
	weekdays := map[time.Weekday]string{
		time.Monday: "09:00-18:00", time.Tuesday: "09:00-18:00", time.Wednesday: "09:00-18:00",
		time.Thursday: "09:00-18:00", time.Friday: "09:00-18:00",
	}
	split := map[time.Weekday]string{
		time.Monday: "09:00-18:00", time.Tuesday: "09:00-18:00", time.Wednesday: "09:00-18:00",
		time.Thursday: "09:00-18:00", time.Friday: "09:00-18:00", time.Saturday: "10:00-14:00",
	}
	gap := map[time.Weekday]string{time.Monday: "09:00-12:00", time.Wednesday: "09:00-12:00", time.Saturday: "10:00-16:00", time.Sunday: "10:00-16:00"}
	tests := []struct {
		name     string
		week     map[time.Weekday]string
		lang     string
		holidays bool
		want     string
	}{
		{"en", weekdays, "en", true, "Monday to Friday, 09:00-18:00 (UTC+8), except public holidays"},
		{"zh", weekdays, "zh", true, "周一至周五 09:00-18:00（UTC+8），法定节假日除外"},
		{"ja", weekdays, "ja", true, "月曜日～金曜日 09:00-18:00（UTC+8）、祝日を除く"},
		{"de", weekdays, "de", true, "Montag bis Freitag, 09:00-18:00 Uhr (UTC+8), außer an Feiertagen"},
		{"fr", weekdays, "fr", false, "du lundi au vendredi, 09:00-18:00 (UTC+8)"},
		{"es", weekdays, "es", true, "de lunes a viernes, 09:00-18:00 (UTC+8), excepto festivos"},
		{"it", weekdays, "it", true, "dal lunedì al venerdì, 09:00-18:00 (UTC+8), esclusi i giorni festivi"},
		{"two groups en", split, "en", true, "Monday to Friday, 09:00-18:00; Saturday, 10:00-14:00 (UTC+8), except public holidays"},
		{"two groups zh", split, "zh", false, "周一至周五 09:00-18:00，周六 10:00-14:00（UTC+8）"},
		{"gaps and pairs", gap, "en", false, "Monday, 09:00-12:00; Wednesday, 09:00-12:00; Saturday and Sunday, 10:00-16:00 (UTC+8)"},
		{"closed all week", map[time.Weekday]string{}, "en", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatServiceHours(tt.week, "UTC+8", tt.lang, tt.holidays); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestTopic(t *testing.T) {
	tests := []struct{ subject, ref, want string }{
		{"Where is my order?", "XY-1", "Where is my order?"},
		{"Re: Where is my order?", "XY-1", "Where is my order?"},
		{"RE: re: Fwd: AW: Where", "XY-1", "Where"},
		{"Re[2]: Where", "", "Where"},
		{"回复：我的订单", "", "我的订单"},
		{"回复: 转发: 我的订单", "", "我的订单"},
		{"Re: [XY-1] Re: Where", "XY-1", "Where"},
		{"[XY-1] Where [XY-2]", "XY-1", "Where [XY-2]"},
		{"Re : Bonjour", "", "Bonjour"},
		{"Refund request", "", "Refund request"},
		{"Line one\r\n line two", "", "Line one line two"},
		{"  \t ", "", ""},
	}
	for _, tt := range tests {
		d := Data{Subject: tt.subject, TicketRef: tt.ref}
		if got := d.Topic(); got != tt.want {
			t.Errorf("Topic(%q) = %q, want %q", tt.subject, got, tt.want)
		}
	}
}

func TestTidyText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\n\nHello  \r\n\r\n\r\n\nWorld\t\n\n", "Hello\n\nWorld\n"},
		{"Sig\n-- \nfooter", "Sig\n-- \nfooter\n"},
		{"   \n\n", ""},
		{"a\rb", "a\nb\n"},
	}
	for _, tt := range tests {
		if got := tidyText(tt.in); got != tt.want {
			t.Errorf("tidyText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQuoteAndParagraphs(t *testing.T) {
	if got, want := quote("a\r\n\n> b\n"), "> a\n>\n>> b"; got != want {
		t.Errorf("quote = %q, want %q", got, want)
	}
	if got := quote(""); got != "" {
		t.Errorf("quote(\"\") = %q", got)
	}
	got := string(paragraphs("Hi <you>\nline 2\n\n\n& more"))
	want := "<p>Hi &lt;you&gt;<br>\nline 2</p>\n<p>&amp; more</p>\n"
	if got != want {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

func TestCleanSubject(t *testing.T) {
	tests := []struct{ in, ref, want string }{
		{"Hello", "XY-1", "[XY-1] Hello"},
		{"[XY-1] Hello", "XY-1", "[XY-1] Hello"},
		{"Re: Hello [XY-1]", "XY-1", "Re: Hello [XY-1]"},
		{"Hello", "", "Hello"},
		{" a\r\nb\u2029c ", "", "a b c"},
	}
	for _, tt := range tests {
		if got := cleanSubject(tt.in, tt.ref); got != tt.want {
			t.Errorf("cleanSubject(%q, %q) = %q, want %q", tt.in, tt.ref, got, tt.want)
		}
	}
}

func TestParseFileName(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		err  bool
		want fileName
	}{
		{"ack.product.en.txt", true, false, fileName{name: "ack.product", lang: "en", kind: kindText}},
		{"ack.rights.consent_withdrawal.zh.html", true, false, fileName{name: "ack.rights.consent_withdrawal", lang: "zh", kind: kindHTML}},
		{"_partials.de.txt", true, false, fileName{name: "_partials", lang: "de", kind: kindText, partial: true}},
		{"README.md", false, false, fileName{}},
		{"en.txt", true, true, fileName{}},
		{"reply.EN.txt", true, true, fileName{}},
		{"reply.en-US.txt", true, true, fileName{}},
		{"Reply.en.txt", true, true, fileName{}},
		{"re ply.en.txt", true, true, fileName{}},
		{"_.en.txt", true, true, fileName{}},
		{"a..b.en.txt", true, true, fileName{}},
	}
	for _, tt := range tests {
		got, ok, err := parseFileName(tt.in)
		if ok != tt.ok || (err != nil) != tt.err || (err == nil && got != tt.want) {
			t.Errorf("parseFileName(%q) = %+v, %v, %v", tt.in, got, ok, err)
		}
	}
}

func TestSampleBrandHours(t *testing.T) {
	b := SampleBrand()
	if got := b.HoursIn("zh-CN"); !strings.HasPrefix(got, "周一至周五") {
		t.Errorf("HoursIn(zh-CN) = %q", got)
	}
	b.ServiceHoursByLang = nil
	if got := b.HoursIn("zh"); got != b.ServiceHours {
		t.Errorf("HoursIn without localized hours = %q, want the fallback", got)
	}
}
