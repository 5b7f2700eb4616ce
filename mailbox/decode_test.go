package mailbox

import (
	"testing"
)

func TestDecodeCharset(t *testing.T) {
	tests := []struct {
		name, label string
		in          []byte
		want        string
		wantNote    bool
	}{
		{"utf-8", "utf-8", []byte("héllo"), "héllo", false},
		{"no label gbk bytes guessed", "", []byte("\xc4\xe3\xba\xc3"), "你好", false},
		{"us-ascii label with gbk bytes", "us-ascii", []byte("\xc4\xe3\xba\xc3"), "你好", false},
		{"gb2312 label, gbk-only char", "GB2312", []byte("\x86\xb4"), "喆", false},
		{"euc-cn", "euc-cn", []byte("\xc4\xe3"), "你", false},
		{"x-gbk", "x-gbk", []byte("\xc4\xe3"), "你", false},
		{"gb18030 4-byte", "gb18030", []byte("\x95\x32\x82\x36"), "𠀀", false},
		{"big5", "big5", []byte("\xa7\x41\xa6\x6e"), "你好", false},
		{"cp950", "cp950", []byte("\xa7\x41"), "你", false},
		{"x-big5", "x-big5", []byte("\xa7\x41"), "你", false},
		{"big5-hkscs", "big5-hkscs", []byte("\xa7\x41"), "你", false},
		{"shift_jis", "Shift_JIS", []byte("\x82\xa0"), "あ", false},
		{"euc-jp", "euc-jp", []byte("\xa4\xa2"), "あ", false},
		{"iso-2022-jp", "iso-2022-jp", []byte("\x1b$B$\"\x1b(B"), "あ", false},
		{"euc-kr", "ks_c_5601-1987", []byte("\xbe\xc8"), "안", false},
		{"latin1 as windows-1252", "iso-8859-1", []byte("caf\xe9 \x80"), "café €", false},
		{"koi8-r", "koi8-r", []byte("\xf0\xd2\xc9"), "При", false},
		{"quoted label", `"windows-1252"`, []byte("\xe9"), "é", false},
		{"unknown-8bit utf-8", "unknown-8bit", []byte("你好"), "你好", false},
		{"unknown-8bit gb18030", "x-unknown", []byte("\xc4\xe3\xba\xc3"), "你好", false},
		{"unknown-8bit latin", "unknown-8bit", []byte("na\xefve caf\xe9"), "naïve café", false},
		{"unknown label", "x-klingon", []byte("\xc4\xe3"), "你", true},
		{"utf-8 label, no utf-8 at all", "utf-8", []byte("\xc4\xe3\xba\xc3"), "你好", true},
		{"utf-8 label, one bad byte", "utf-8", []byte("你\xff好"), "你\uFFFD好", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note := decodeCharset(tt.in, tt.label)
			if got != tt.want {
				t.Errorf("decodeCharset(%q, %q) = %q, want %q", tt.in, tt.label, got, tt.want)
			}
			if (note != "") != tt.wantNote {
				t.Errorf("note = %q, want note: %v", note, tt.wantNote)
			}
		})
	}
}

func TestDecodeTransfer(t *testing.T) {
	tests := []struct {
		name, cte, in, want string
		wantNote            bool
	}{
		{"7bit", "7bit", "abc", "abc", false},
		{"base64", "base64", "aGVs\r\nbG8=\r\n", "hello", false},
		{"base64 upper-case name and spaces", " BASE64 ", "aGVs bG8=", "hello", false},
		{"base64 no padding", "base64", "aGVsbG8", "hello", true},
		{"base64 truncated", "base64", "aGVsbG", "hell", true},
		{"base64 concatenated", "base64", "aGk=aGk=", "hihi", false},
		{"base64 junk", "base64", "aGVs*bG8=", "hello", true},
		{"qp", "quoted-printable", "caf=C3=A9 =\r\nok", "café ok", false},
		{"qp lower hex", "quoted-printable", "caf=c3=a9", "café", false},
		{"qp trailing space dropped", "quoted-printable", "a  \r\nb", "a\r\nb", false},
		{"qp bad escape", "quoted-printable", "5=ZZ", "5=ZZ", true},
		{"qp soft break lf", "quoted-printable", "ab=\ncd", "abcd", false},
		{"qp equals at end", "quoted-printable", "ab=", "ab", false},
		{"unknown", "x-uuencode", "begin", "begin", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note := decodeTransfer([]byte(tt.in), tt.cte)
			if string(got) != tt.want {
				t.Errorf("decodeTransfer(%q, %q) = %q, want %q", tt.in, tt.cte, got, tt.want)
			}
			if (note != "") != tt.wantNote {
				t.Errorf("note = %q, want note: %v", note, tt.wantNote)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"entities and inline", "<p>Fish &amp; chips &lt;3</p>", "Fish & chips <3"},
		{"drops script style head", "<head><title>T</title><style>x{}</style></head><body><script>bad()</script>ok</body>", "ok"},
		{"br and blocks", "a<br>b<div>c</div><p>d</p>e", "a\nb\nc\n\nd\n\ne"},
		{"double br makes blank line", "a<br><br>b", "a\n\nb"},
		{"whitespace collapses", "  a \n\t b  ", "a b"},
		{"nbsp collapses", "a&nbsp;&nbsp;b", "a b"},
		{"links keep text", `see <a href="https://x.example">the page</a>.`, "see the page."},
		{"list items", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"blockquote prefixed", "new<blockquote>old<br>older</blockquote>", "new\n> old\n> older"},
		{"pre keeps spaces", "<pre>a  b\nc</pre>", "a  b\nc"},
		{"missing head close", "<head><title>x</title><body>text", "text"},
		{"broken html", "<p>unclosed <b>bold", "unclosed bold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitMultipart(t *testing.T) {
	tests := []struct {
		name, body, boundary string
		want                 []string
		wantNote             bool
	}{
		{"normal", "pre\r\n--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\nepilogue", "b", []string{"A: 1\r\n\r\none", "\r\ntwo"}, false},
		{"lf and transport padding", "--b  \n\none\n--b--\n", "b", []string{"\none"}, false},
		{"longer boundary is not a delimiter", "--b\n\none\n--bx\nstill one\n--b--", "b", []string{"\none\n--bx\nstill one"}, false},
		{"missing close", "--b\n\none\n--b\n\ntwo\n", "b", []string{"\none", "\ntwo\n"}, true},
		{"wrong boundary guessed", "--real\n\none\n--real--\n", "declared", []string{"\none"}, true},
		{"no delimiter", "just text\n", "b", nil, true},
		{"mid-line delimiter ignored", "x --b\n--b\n\none\n--b--", "b", []string{"\none"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, note := splitMultipart([]byte(tt.body), tt.boundary)
			if len(parts) != len(tt.want) {
				t.Fatalf("got %d parts %q, want %q", len(parts), parts, tt.want)
			}
			for i := range parts {
				if string(parts[i]) != tt.want[i] {
					t.Errorf("part %d = %q, want %q", i, parts[i], tt.want[i])
				}
			}
			if (note != "") != tt.wantNote {
				t.Errorf("note = %q, want note: %v", note, tt.wantNote)
			}
		})
	}
}

func TestUnflow(t *testing.T) {
	tests := []struct {
		name, in string
		delsp    bool
		want     string
	}{
		{"joins soft breaks", "one \ntwo\nthree", false, "one two\nthree"},
		{"delsp", "one \ntwo", true, "onetwo"},
		{"signature kept", "hi\n-- \nJohn", false, "hi\n-- \nJohn"},
		{"quoted joined at same depth", "> a \n> b \n> c\nd", false, "> a b c\nd"},
		{"different depth not joined", "> a \n>> b", false, "> a \n>> b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unflow(tt.in, tt.delsp); got != tt.want {
				t.Errorf("unflow(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
