package mailbox

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// field is one header field as read: canonical key, unfolded raw value
// (possibly 8-bit, RFC 2047 not yet decoded).
type field struct {
	key, raw string
}

// header is an entity's header fields in message order.
type header []field

// get returns the raw value of the first field named key (canonical form).
func (h header) get(key string) string {
	for _, f := range h {
		if f.key == key {
			return f.raw
		}
	}
	return ""
}

func (h header) has(key string) bool {
	for _, f := range h {
		if f.key == key {
			return true
		}
	}
	return false
}

// splitHeader finds where the header section of an entity ends. RFC 5322
// section 2.1 says a blank line separates header and body; broken mail may
// lack it, so the first line that is neither a field nor a continuation
// starts the body instead. A leading mbox "From " line and leading
// continuation lines are skipped. It returns the header bytes (ending in a
// line break, ready for textproto.ReadHeader) and the body.
func splitHeader(b []byte, nt *notes) (hdr, body []byte) {
	// hdr stays nil (and the result aliases b) unless a malformed line has
	// to be cut out of the middle; only then are the header bytes copied.
	join := func(part []byte) []byte {
		if hdr == nil {
			return part
		}
		return append(hdr, part...)
	}
	start := 0
	if bytes.HasPrefix(b, []byte("From ")) {
		if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
			start = nl + 1
		} else {
			return nil, nil
		}
	}
	// Skip continuation lines before the first field.
	for start < len(b) && (b[start] == ' ' || b[start] == '\t') {
		nl := bytes.IndexByte(b[start:], '\n')
		if nl < 0 {
			start = len(b)
			break
		}
		nt.add("header: continuation line before the first field skipped")
		start += nl + 1
	}
	pos := start
	for pos < len(b) {
		nl := bytes.IndexByte(b[pos:], '\n')
		var line []byte
		next := len(b)
		if nl >= 0 {
			line = b[pos : pos+nl]
			next = pos + nl + 1
		} else {
			line = b[pos:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(line) == 0:
			return join(b[start:pos]), b[next:]
		case line[0] == ' ' || line[0] == '\t':
			// continuation
		case isFieldLine(line):
		default:
			if pos == start {
				nt.add("header: no header fields; whole entity read as body")
				return nil, b[pos:]
			}
			if pos > start && fieldsFollow(b[next:]) {
				// A stray line inside the header (a broken MTA's bad
				// wrap): drop it and keep the fields after it.
				nt.add("header: malformed line skipped")
				hdr = append(hdr, b[start:pos]...)
				start = next
				pos = next
				continue
			}
			nt.add("header: malformed line; body assumed to start there")
			return join(b[start:pos]), b[pos:]
		}
		pos = next
	}
	// Header without body (or without the blank line at the end).
	return join(b[start:]), nil
}

// fieldsFollow reports whether b starts with one or more header field lines
// (and their continuations) ending at a blank line, which means a
// malformed line before b sits inside the header rather than starting the
// body.
func fieldsFollow(b []byte) bool {
	fields := 0
	for n := 0; n < 64 && len(b) > 0; n++ {
		line := b
		if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
			line, b = b[:nl], b[nl+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(line) == 0:
			return fields > 0
		case line[0] == ' ' || line[0] == '\t':
		case isFieldLine(line):
			fields++
		default:
			return false
		}
	}
	return false
}

// isFieldLine reports whether line looks like "Name: value" with a valid
// RFC 5322 field name (trailing blanks before the colon tolerated).
func isFieldLine(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:colon], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// readFields parses the header section with go-message's textproto reader,
// which unfolds continuation lines and canonicalizes keys. br is reused
// between entities of one message.
func readFields(hdr []byte, br *bufio.Reader, nt *notes) header {
	if len(hdr) == 0 {
		return nil
	}
	if hdr[len(hdr)-1] != '\n' {
		hdr = append(hdr[:len(hdr):len(hdr)], '\n')
	}
	br.Reset(bytes.NewReader(hdr))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		nt.add(fmt.Sprintf("header: %v", shorten(err.Error())))
	}
	out := make(header, 0, h.Len())
	fs := h.Fields()
	for fs.Next() {
		out = append(out, field{key: fs.Key(), raw: fs.Value()})
	}
	return out
}

// shorten keeps notes readable and valid UTF-8 when they quote input.
func shorten(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > 120 {
		s = s[:120]
		s = strings.ToValidUTF8(s, "") + "..."
	}
	return s
}
