package mailbox

import (
	"slices"
	"strings"
)

// decodeTransfer undoes a Content-Transfer-Encoding (RFC 2045 section 6).
// It is lenient by design: mail is often truncated or mangled in transit,
// and a partly readable body beats none. Problems are reported in note.
func decodeTransfer(b []byte, cte string) (out []byte, note string) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit":
		return b, ""
	case "base64":
		return decodeBase64(b)
	case "quoted-printable":
		return decodeQP(b)
	default:
		return b, "unknown Content-Transfer-Encoding " + strings.ToValidUTF8(cte, "?") + ": body kept as is"
	}
}

// b64values maps each byte to its base64 value; 0xFF marks non-alphabet
// bytes, which are skipped (line breaks, stray spaces, junk). A constant
// string, so the lookup is one load and the table is no package variable.
const b64values = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x3e\xff\xff\xff\x3f" +
	"\x34\x35\x36\x37\x38\x39\x3a\x3b\x3c\x3d\xff\xff\xff\xff\xff\xff" +
	"\xff\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e" +
	"\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\xff\xff\xff\xff\xff" +
	"\xff\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23\x24\x25\x26\x27\x28" +
	"\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// b64val maps a base64 alphabet byte to its value, or 0xFF (see b64values).
func b64val(c byte) byte { return b64values[c] }

// decodeBase64 decodes standard base64, skipping whitespace and junk and
// tolerating missing or mid-stream padding (concatenated encodings). A
// trailing partial quantum is decoded as far as it carries whole bytes.
func decodeBase64(b []byte) ([]byte, string) {
	var d base64Decoder
	out := d.decode(make([]byte, 0, len(b)/4*3+6), b)
	return d.finish(out)
}

// base64Size returns len(decodeBase64(b)) and its note without holding the
// decoded bytes: it decodes b a window at a time into one small buffer.
// Parse uses it for attachments too large to keep.
func base64Size(b []byte) (int64, string) {
	const window = 48 << 10
	var d base64Decoder
	buf := make([]byte, 0, window/4*3+6)
	var size int64
	for len(b) > 0 {
		w := b[:min(window, len(b))]
		b = b[len(w):]
		size += int64(len(d.decode(buf[:0], w)))
	}
	tail, note := d.finish(buf[:0])
	return size + int64(len(tail)), note
}

// base64Decoder carries decoding state across input windows.
type base64Decoder struct {
	acc  uint32
	n    int
	junk bool
}

// decode appends the bytes decoded from b to out.
func (d *base64Decoder) decode(out, b []byte) []byte {
	// At most 3 bytes per 4 input bytes, plus what up to 3 sextets carried
	// from the previous window complete: the fast path below writes by
	// index into this capacity.
	out = slices.Grow(out, len(b)/4*3+6)
	acc, n := d.acc, d.n
	for i := 0; i < len(b); i++ {
		if n == 0 {
			// Fast path: whole quanta of alphabet bytes, which is all of a
			// line's body. Values are below 64, so a high bit in the OR
			// means one of the four is not in the alphabet.
			for ; i+4 <= len(b); i += 4 {
				v0, v1, v2, v3 := b64val(b[i]), b64val(b[i+1]), b64val(b[i+2]), b64val(b[i+3])
				if (v0|v1|v2|v3)&0xC0 != 0 {
					break
				}
				x := uint32(v0)<<18 | uint32(v1)<<12 | uint32(v2)<<6 | uint32(v3)
				o := len(out)
				out = out[:o+3]
				out[o], out[o+1], out[o+2] = byte(x>>16), byte(x>>8), byte(x)
			}
			if i == len(b) {
				break
			}
		}
		c := b[i]
		v := b64val(c)
		if v == 0xFF {
			switch c {
			case '=':
				out = flushQuantum(out, acc, n)
				acc, n = 0, 0
			case ' ', '\t', '\r', '\n':
			default:
				d.junk = true
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
	d.acc, d.n = acc, n
	return out
}

// finish flushes a trailing partial quantum onto out and describes what
// was wrong with the input.
func (d *base64Decoder) finish(out []byte) ([]byte, string) {
	note := ""
	if d.n > 0 {
		out = flushQuantum(out, d.acc, d.n)
		note = "base64: input ends mid-quantum (truncated?)"
	}
	if d.junk {
		if note != "" {
			note += "; "
		}
		note += "base64: non-alphabet bytes skipped"
	}
	return out, note
}

// flushQuantum emits the whole bytes carried by a partial quantum of n
// sextets.
func flushQuantum(out []byte, acc uint32, n int) []byte {
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

func unhex(c byte) (byte, bool) {
	v := hexValues[c]
	return v, v != 0xFF
}

// hexValues maps each byte to its hex digit value (either case), or 0xFF.
const hexValues = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// decodeQP decodes quoted-printable. Invalid escapes are kept literally
// (what most readers do), trailing whitespace before a line break is
// dropped as RFC 2045 section 6.7 rule 3 requires, and soft line breaks are
// joined.
func decodeQP(b []byte) ([]byte, string) {
	// The output is never longer than the input: write by index into one
	// buffer, and copy runs of plain bytes whole.
	out := make([]byte, len(b))
	w := 0
	bad := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '=':
			// Text in a non-Latin script is nearly all escapes: decode a
			// run of them in one loop.
			if i+2 < len(b) && (hexValues[b[i+1]]|hexValues[b[i+2]]) != 0xFF {
				for i+2 < len(b) && b[i] == '=' {
					h, l := hexValues[b[i+1]], hexValues[b[i+2]]
					if h|l == 0xFF {
						break
					}
					out[w] = h<<4 | l
					w++
					i += 3
				}
				i-- // the loop's i++ moves to the byte after the run
				continue
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
			out[w] = '='
			w++
		case ' ', '\t':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j == len(b) || b[j] == '\n' || (b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n') {
				i = j - 1 // drop trailing whitespace
				continue
			}
			w += copy(out[w:], b[i:j])
			i = j - 1
		default:
			j := i + 1
			for j < len(b) && b[j] != '=' && b[j] != ' ' && b[j] != '\t' {
				j++
			}
			w += copy(out[w:], b[i:j])
			i = j - 1
		}
	}
	out = out[:w]
	if bad {
		return out, "quoted-printable: invalid escape kept literally"
	}
	return out, ""
}
