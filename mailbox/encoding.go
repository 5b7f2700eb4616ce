package mailbox

import "strings"

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

// b64val maps a base64 alphabet byte to its value; 0xFF marks non-alphabet
// bytes, which are skipped (line breaks, stray spaces, junk).
func b64val(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return 0xFF
}

// decodeBase64 decodes standard base64, skipping whitespace and junk and
// tolerating missing or mid-stream padding (concatenated encodings). A
// trailing partial quantum is decoded as far as it carries whole bytes.
func decodeBase64(b []byte) ([]byte, string) {
	var d base64Decoder
	out := d.decode(make([]byte, 0, len(b)*3/4+3), b)
	return d.finish(out)
}

// base64Size returns len(decodeBase64(b)) and its note without holding the
// decoded bytes: it decodes b a window at a time into one small buffer.
// Parse uses it for attachments too large to keep.
func base64Size(b []byte) (int64, string) {
	const window = 48 << 10
	var d base64Decoder
	buf := make([]byte, 0, window*3/4+3)
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
	acc, n := d.acc, d.n
	for _, c := range b {
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
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

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
			if i+2 < len(b) {
				if h, ok1 := unhex(b[i+1]); ok1 {
					if l, ok2 := unhex(b[i+2]); ok2 {
						out[w] = h<<4 | l
						w++
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
