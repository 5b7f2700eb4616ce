package mailbox

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDecodeWords(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantNote       bool
	}{
		{"plain", "Hello world", "Hello world", false},
		{"q utf-8", "=?UTF-8?Q?Caf=C3=A9_au_lait?=", "Café au lait", false},
		{"b utf-8", "=?utf-8?B?5L2g5aW9?=", "你好", false},
		{"adjacent words drop whitespace", "=?utf-8?q?a?= \r\n =?utf-8?q?b?=", "ab", false},
		{"text between words kept", "=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b", false},
		{"gbk split mid-character", "=?GBK?B?xOM=?= =?GBK?B?usM=?=", "你好", false},
		{"utf-8 split mid-character", "=?UTF-8?B?5L2=?= =?UTF-8?B?oOWlvQ==?=", "你好", false},
		{"charset with language", "=?utf-8*zh?B?5L2g5aW9?=", "你好", false},
		{"gb2312 read as gb18030", "=?gb2312?B?hrQ=?=", "喆", false},
		{"lower-case q hex", "=?iso-8859-1?q?caf=e9?=", "café", false},
		{"unknown charset guessed", "=?x-bogus?B?xOO6ww==?=", "你好", true},
		{"unknown-8bit no note", "=?unknown-8bit?B?xOO6ww==?=", "你好", false},
		{"malformed kept", "=?utf-8?X?abc?= and =?broken", "=?utf-8?X?abc?= and =?broken", false},
		{"no space before word", "Re:=?utf-8?B?5L2g5aW9?=", "Re:你好", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nt notes
			if got := decodeWords(tt.in, &nt); got != tt.want {
				t.Errorf("decodeWords(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if (len(nt.list) > 0) != tt.wantNote {
				t.Errorf("notes = %q, want note: %v", nt.list, tt.wantNote)
			}
		})
	}
}

func TestParseMediaHeader(t *testing.T) {
	tests := []struct {
		name, in, wantType string
		want               map[string]string
	}{
		{"simple", `text/plain; charset="UTF-8"`, "text/plain", map[string]string{"charset": "UTF-8"}},
		{"upper type, no params", "TEXT/HTML", "text/html", nil},
		{"rfc2231 utf-8", `attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf`, "attachment", map[string]string{"filename": "发票.pdf"}},
		{"rfc2231 continuation", "attachment; filename*0*=UTF-8''%E5%8F; filename*1*=%91%E7%A5%A8; filename*2=.pdf", "attachment",
			map[string]string{"filename": "发票.pdf"}},
		{"rfc2231 gbk with language", "attachment; filename*=gbk'zh-cn'%B7%A2%C6%B1.pdf", "attachment", map[string]string{"filename": "发票.pdf"}},
		{"rfc2231 wins over plain", `attachment; filename="fallback.pdf"; filename*=utf-8''real.pdf`, "attachment",
			map[string]string{"filename": "real.pdf"}},
		{"rfc2047 in quoted name", `image/jpeg; name="=?UTF-8?B?5Zu+LmpwZw==?="`, "image/jpeg", map[string]string{"name": "图.jpg"}},
		{"unquoted with spaces", "attachment; filename=my file.pdf", "attachment", map[string]string{"filename": "my file.pdf"}},
		{"escaped quote", `attachment; filename="a\"b.txt"`, "attachment", map[string]string{"filename": `a"b.txt`}},
		{"junk params skipped", "multipart/mixed; ; junk; boundary=abc;", "multipart/mixed", map[string]string{"boundary": "abc"}},
		{"unterminated quote", `multipart/mixed; boundary="abc`, "multipart/mixed", map[string]string{"boundary": "abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nt notes
			typ, params := parseMediaHeader(tt.in, &nt)
			if typ != tt.wantType {
				t.Errorf("type = %q, want %q", typ, tt.wantType)
			}
			if len(params) != len(tt.want) {
				t.Errorf("params = %q, want %q", params, tt.want)
			}
			for k, v := range tt.want {
				if params[k] != v {
					t.Errorf("param %s = %q, want %q", k, params[k], v)
				}
			}
		})
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Address
	}{
		{"plain", "alice@Example.COM", []Address{{Email: "alice@example.com"}}},
		{"name and angle", `"Smith, John" <John.Smith@Example.com>`, []Address{{Name: "Smith, John", Email: "John.Smith@example.com"}}},
		{"two", "a@x.example, B <b@y.example>", []Address{{Email: "a@x.example"}, {Name: "B", Email: "b@y.example"}}},
		{"encoded name", "=?UTF-8?B?5byg5LiJ?= <zhang@x.example>", []Address{{Name: "张三", Email: "zhang@x.example"}}},
		{"encoded name in quotes", `"=?UTF-8?B?5byg5LiJ?=" <zhang@x.example>`, []Address{{Name: "张三", Email: "zhang@x.example"}}},
		{"comment name", "bob@x.example (Bob Jones)", []Address{{Name: "Bob Jones", Email: "bob@x.example"}}},
		{"utf-8 unquoted name", "王小明 <w@x.example>", []Address{{Name: "王小明", Email: "w@x.example"}}},
		{"group", "Team: a@x.example, b@x.example;", []Address{{Email: "a@x.example"}, {Email: "b@x.example"}}},
		{"undisclosed", "undisclosed-recipients:;", nil},
		{"missing close bracket", "Ann <ann@x.example", []Address{{Name: "Ann", Email: "ann@x.example"}}},
		{"no brackets name then addr", "Ann ann@x.example", []Address{{Name: "Ann", Email: "ann@x.example"}}},
		{"local only", "MAILER-DAEMON", []Address{{Email: "MAILER-DAEMON"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nt notes
			got := parseAddressList(tt.in, &nt)
			if !slices.Equal(got, tt.want) {
				t.Errorf("parseAddressList(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseMsgIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@b>", []string{"a@b"}},
		{"<a@b> <c@d>\r\n <e@f>", []string{"a@b", "c@d", "e@f"}},
		{"a@b", []string{"a@b"}},
		{"<a@b> (Your message of Tue, 3 Nov 2026 x@y)", []string{"a@b"}},
		{"Your message of \"Tue x@y\" <a@b>", []string{"a@b"}},
		{"<a@b> junk c@d", []string{"a@b", "c@d"}},
		{"<a@b><a@b>", []string{"a@b"}},
		{"<a@ b>", []string{"a@b"}},
		{"<unclosed@x", []string{"unclosed@x"}},
		{"", nil},
		{"no ids here", nil},
	}
	for _, tt := range tests {
		if got := parseMsgIDs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("parseMsgIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := parseMessageID("  abc123  "); got != "abc123" {
		t.Errorf("parseMessageID bare token = %q", got)
	}
	if got := parseMessageID(""); got != "" {
		t.Errorf("parseMessageID empty = %q", got)
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("", 8*3600))
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Fri, 20 Nov 2026 10:00:00 +0800", want},
		{"Fri, 20 Nov 2026 10:00:00 +0800 (CST)", want},
		{"20 Nov 2026 10:00:00 +0800", want},
		{"Fri, 20 Nov 2026 10:00 +0800", want},
		{"Fri, 20 Nov 2026 10:00:00 GMT+0800", want},
		{"Fri, 20 Nov 2026 10:00:00 GMT+08:00", want},
		{"Fri, 20 Nov 2026 10:00:00 +08:00", want},
		{"Fri, 20 Nov 2026 10:00:00 +0800 CST", want},
		{"Fri,  20 Nov 2026  10:00:00 +0800.", want},
		{"2026-11-20T10:00:00+08:00", want},
		{"Fri, 20 Nov 2026 02:00:00 GMT", want},
		{"Fri Nov 20 02:00:00 2026", want},
		{"not a date", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		got := parseDate(tt.in)
		if !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSplitHeader(t *testing.T) {
	tests := []struct {
		name, in         string
		wantHdr, wantBdy string
		wantNote         bool
	}{
		{"normal crlf", "A: 1\r\nB: 2\r\n\r\nbody", "A: 1\r\nB: 2\r\n", "body", false},
		{"normal lf", "A: 1\n\nbody\n", "A: 1\n", "body\n", false},
		{"no body", "A: 1\r\n", "A: 1\r\n", "", false},
		{"mbox from line", "From x@y Tue Nov  3 10:00:00 2026\nA: 1\n\nb", "A: 1\n", "b", false},
		{"missing blank line", "A: 1\nhello there\nmore\n", "A: 1\n", "hello there\nmore\n", true},
		{"stray line inside header", "A: 1\njunk\nB: 2\n\nbody", "A: 1\nB: 2\n", "body", true},
		{"no header at all", "just text\n", "", "just text\n", true},
		{"leading continuation", " cont\nA: 1\n\nb", "A: 1\n", "b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nt notes
			h, b := splitHeader([]byte(tt.in), &nt)
			if string(h) != tt.wantHdr || string(b) != tt.wantBdy {
				t.Errorf("splitHeader = %q, %q; want %q, %q", h, b, tt.wantHdr, tt.wantBdy)
			}
			if (len(nt.list) > 0) != tt.wantNote {
				t.Errorf("notes = %q, want note: %v", nt.list, tt.wantNote)
			}
		})
	}
}

func TestHeaderMapDecoded(t *testing.T) {
	raw := "From: a@x.example\r\nX-Custom: =?UTF-8?B?5L2g5aW9?=\r\nx-custom: second\r\nSubject: \xc4\xe3\xba\xc3\r\n\r\nbody\r\n"
	m := Parse([]byte(raw), ParseOptions{})
	if got := m.Header["X-Custom"]; !slices.Equal(got, []string{"你好", "second"}) {
		t.Errorf("X-Custom = %q", got)
	}
	if m.Subject != "你好" || !slices.Equal(m.Header["Subject"], []string{"你好"}) {
		t.Errorf("raw GBK subject = %q / %q", m.Subject, m.Header["Subject"])
	}
	if strings.Contains(strings.Join(m.ParseErrors, ";"), "header") {
		t.Errorf("unexpected notes %q", m.ParseErrors)
	}
}
