package mailbox

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzDecodeBase64 holds the decoder with its four-at-a-time fast path to
// the byte-by-byte one it replaced, whole and split into windows as
// base64Size feeds it.
func FuzzDecodeBase64(f *testing.F) {
	for _, s := range []string{"", "=", "aGVs\r\nbG8=\r\n", "aGk=aGk=", "aGVs*bG8=", "aGVsbG", "a=b=c=d", " \tQUJD\nREVG",
		base64.StdEncoding.EncodeToString([]byte(strings.Repeat("long enough for several lines of body text ", 5)))} {
		f.Add([]byte(s), uint8(7))
	}
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		want, wantNote := decodeBase64ByteByByte(in)
		got, note := decodeBase64(in)
		if !bytes.Equal(got, want) || note != wantNote {
			t.Fatalf("decodeBase64(%q) = %q, %q; byte by byte: %q, %q", in, got, note, want, wantNote)
		}
		// In windows, with the state carried across them.
		var d base64Decoder
		var out []byte
		w := int(split) + 1
		for rest := in; len(rest) > 0; {
			n := min(w, len(rest))
			out = d.decode(out, rest[:n])
			rest = rest[n:]
		}
		out, note = d.finish(out)
		if !bytes.Equal(out, want) || note != wantNote {
			t.Fatalf("decodeBase64(%q) in windows of %d = %q, %q; byte by byte: %q, %q", in, w, out, note, want, wantNote)
		}
	})
}

// decodeBase64ByteByByte is the decoder before the fast path, kept as the
// fuzz target's reference.
func decodeBase64ByteByByte(b []byte) ([]byte, string) {
	var acc uint32
	var n int
	junk := false
	var out []byte
	for _, c := range b {
		v := b64val(c)
		if v == 0xFF {
			switch c {
			case '=':
				out = flushQuantum(out, acc, n)
				acc, n = 0, 0
			case ' ', '\t', '\r', '\n':
			default:
				junk = true
			}
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	d := base64Decoder{acc: acc, n: n, junk: junk}
	return d.finish(out)
}

// BenchmarkDecodeBase64 decodes a 20 KB base64 body in 76-column lines.
func BenchmarkDecodeBase64(b *testing.B) {
	body := []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("你好, where is my parcel? "), 700)))
	var lines bytes.Buffer
	for len(body) > 76 {
		lines.Write(body[:76])
		lines.WriteString("\r\n")
		body = body[76:]
	}
	lines.Write(body)
	in := lines.Bytes()
	b.SetBytes(int64(len(in)))
	b.Run("fast-path", func(b *testing.B) {
		for b.Loop() {
			decodeBase64(in)
		}
	})
	b.Run("byte-by-byte", func(b *testing.B) {
		for b.Loop() {
			decodeBase64ByteByByte(in)
		}
	})
}

// The lookup table holds exactly the standard alphabet.
func TestB64Values(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for c := 0; c < 256; c++ {
		want := byte(0xFF)
		if i := strings.IndexByte(alphabet, byte(c)); i >= 0 {
			want = byte(i)
		}
		if got := b64val(byte(c)); got != want {
			t.Errorf("b64val(%#x) = %#x, want %#x", c, got, want)
		}
	}
}
