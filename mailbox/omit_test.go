package mailbox

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestBase64Size checks that the windowed, size-only decoding agrees with
// the full decoder, note included, whatever the input looks like.
func TestBase64Size(t *testing.T) {
	long := []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("0123456789abcdef"), 10000)))
	wrapped := wrap76(long)
	cases := map[string][]byte{
		"empty":              nil,
		"padded":             []byte("QUJDRA=="),
		"unpadded":           []byte("QUJDRA"),
		"truncated quantum":  []byte("QUJDR"),
		"mid-stream padding": []byte("QUI=QUJD\r\nQQ=="),
		"junk":               []byte("QU@JD!RA==\x00"),
		"whitespace only":    []byte(" \r\n\t"),
		"long":               long,
		"long wrapped":       wrapped,
		"long with junk":     append(append([]byte{}, wrapped...), "#&="...),
		// The padding and a partial quantum straddle the 48 KiB window.
		"across the window": append(bytes.Repeat([]byte("QUJD"), (48<<10)/4-1), "QU=JDQQ"...),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			out, note := decodeBase64(in)
			size, sizeNote := base64Size(in)
			if size != int64(len(out)) || sizeNote != note {
				t.Errorf("base64Size = %d, %q; decodeBase64 gave %d bytes, %q", size, sizeNote, len(out), note)
			}
		})
	}
}

func wrap76(b []byte) []byte {
	var out []byte
	for len(b) > 76 {
		out = append(append(out, b[:76]...), '\r', '\n')
		b = b[76:]
	}
	return append(out, b...)
}

// withAttachments builds a message with a small and a large attachment.
func withAttachments(small, large []byte, largeCTE string) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: files\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
	b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\nSee the files.\r\n")
	b.WriteString("--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=small.txt\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	b.Write(wrap76([]byte(base64.StdEncoding.EncodeToString(small))))
	b.WriteString("\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\n")
	fmt.Fprintf(&b, "Content-Transfer-Encoding: %s\r\n\r\n", largeCTE)
	switch largeCTE {
	case "base64":
		b.Write(wrap76([]byte(base64.StdEncoding.EncodeToString(large))))
	default:
		b.Write(large)
	}
	b.WriteString("\r\n--b--\r\n")
	return []byte(b.String())
}

func TestParseOmitsLargeAttachmentContent(t *testing.T) {
	small := []byte("a receipt")
	large := bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff}, 600_000) // 3 MB
	for _, cte := range []string{"base64", "binary"} {
		t.Run(cte, func(t *testing.T) {
			raw := withAttachments(small, large, cte)
			m := Parse(raw, ParseOptions{MaxAttachmentContent: 1 << 20})
			if len(m.Attachments) != 2 {
				t.Fatalf("%d attachments, want 2", len(m.Attachments))
			}
			s, l := m.Attachments[0], m.Attachments[1]
			if !bytes.Equal(s.Content, small) || s.ContentOmitted {
				t.Errorf("small attachment: %q omitted=%v", s.Content, s.ContentOmitted)
			}
			if l.Size != int64(len(large)) || l.Content != nil || !l.ContentOmitted || l.Filename != "big.bin" {
				t.Errorf("large attachment: %s size %d content %d bytes omitted=%v", l.Filename, l.Size, len(l.Content), l.ContentOmitted)
			}
			full := Parse(raw, ParseOptions{})
			if fl := full.Attachments[1]; !bytes.Equal(fl.Content, large) || fl.ContentOmitted {
				t.Errorf("without the option the content is kept: got %d bytes", len(fl.Content))
			}
		})
	}
}

// TestParseLargeAttachmentAllocatesLittle is the point of the option: an
// 8 MB attachment must not cost an 8 MB buffer.
func TestParseLargeAttachmentAllocatesLittle(t *testing.T) {
	raw := withAttachments([]byte("x"), bytes.Repeat([]byte("0123456789"), 800_000), "base64")
	allocated := func(opts ParseOptions) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		Parse(raw, opts)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	with, without := allocated(ParseOptions{MaxAttachmentContent: 1 << 20}), allocated(ParseOptions{})
	if with > 2<<20 || without < 8_000_000 {
		t.Errorf("allocated %d bytes with the option (want < 2 MiB), %d without (want > 8 MB)", with, without)
	}
}
