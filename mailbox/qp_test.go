package mailbox

import (
	"bytes"
	"mime/quotedprintable"
	"testing"
)

func TestDecodeQP(t *testing.T) {
	for _, tc := range []struct{ in, want, note string }{
		{"plain text", "plain text", ""},
		{"=E4=BD=A0=E5=A5=BD", "你好", ""},
		{"soft=\r\nbreak", "softbreak", ""},
		{"soft= \t\nbreak", "softbreak", ""},
		{"trailing   \r\nspace\t\n", "trailing\r\nspace\n", ""},
		{"inner  spaces stay", "inner  spaces stay", ""},
		{"bad =ZZ escape", "bad =ZZ escape", "quoted-printable: invalid escape kept literally"},
		{"ends with =", "ends with ", ""},
		{"lower =e4=bd=a0", "lower 你", ""},
	} {
		got, note := decodeQP([]byte(tc.in))
		if string(got) != tc.want || note != tc.note {
			t.Errorf("decodeQP(%q) = %q, %q; want %q, %q", tc.in, got, note, tc.want, tc.note)
		}
	}
}

// FuzzDecodeQP holds the run-copying decoder to the byte-by-byte one it
// replaced.
func FuzzDecodeQP(f *testing.F) {
	for _, s := range []string{"", "=", "==", "=4", "=41=\r", "a \t\r\nb", "x= \n", "=\r", " \t", "=E4=BD=A0 \r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, note := decodeQP(in)
		want, wantNote := decodeQPByteByByte(in)
		if !bytes.Equal(got, want) || note != wantNote {
			t.Fatalf("decodeQP(%q) = %q, %q; byte by byte: %q, %q", in, got, note, want, wantNote)
		}
	})
}

// decodeQPByteByByte is the decoder as it was before runs were copied
// whole: the reference for FuzzDecodeQP.
func decodeQPByteByByte(b []byte) ([]byte, string) {
	out := make([]byte, 0, len(b))
	bad := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '=':
			if i+2 < len(b) {
				if h, ok1 := unhex(b[i+1]); ok1 {
					if l, ok2 := unhex(b[i+2]); ok2 {
						out = append(out, h<<4|l)
						i += 2
						continue
					}
				}
			}
			// Soft line break: '=' then optional whitespace then EOL/EOF.
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j == len(b) {
				i = j - 1
				continue
			}
			if b[j] == '\n' {
				i = j
				continue
			}
			if b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n' {
				i = j + 1
				continue
			}
			if b[j] == '\r' && j+1 == len(b) {
				i = j
				continue
			}
			bad = true
			out = append(out, '=')
		case ' ', '\t':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j == len(b) || b[j] == '\n' || (b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n') {
				i = j - 1 // drop trailing whitespace
				continue
			}
			out = append(out, b[i:j]...)
			i = j - 1
		default:
			out = append(out, c)
		}
	}
	if bad {
		return out, "quoted-printable: invalid escape kept literally"
	}
	return out, ""
}

// BenchmarkDecodeQP decodes 20 KB of quoted-printable Chinese, nearly all
// escapes, against the byte-by-byte reference.
func BenchmarkDecodeQP(b *testing.B) {
	var enc bytes.Buffer
	w := quotedprintable.NewWriter(&enc)
	w.Write(bytes.Repeat([]byte("你好, where is my parcel? 请问我的订单什么时候发货。"), 250))
	w.Close()
	in := enc.Bytes()
	b.Run("runs", func(b *testing.B) {
		for b.Loop() {
			decodeQP(in)
		}
	})
	b.Run("byte-by-byte", func(b *testing.B) {
		for b.Loop() {
			decodeQPByteByByte(in)
		}
	})
}

// The hex table holds exactly the hex digits, in either case.
func TestHexValues(t *testing.T) {
	for c := 0; c < 256; c++ {
		want, ok := byte(0xFF), false
		switch {
		case c >= '0' && c <= '9':
			want, ok = byte(c-'0'), true
		case c >= 'A' && c <= 'F':
			want, ok = byte(c-'A'+10), true
		case c >= 'a' && c <= 'f':
			want, ok = byte(c-'a'+10), true
		}
		if got, gotOK := unhex(byte(c)); gotOK != ok || (ok && got != want) {
			t.Errorf("unhex(%#x) = %#x, %v; want %#x, %v", c, got, gotOK, want, ok)
		}
	}
}
