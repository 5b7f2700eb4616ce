package mailbox

import (
	"bytes"
	"strconv"
)

// splitMultipart cuts a multipart body (RFC 2046 section 5.1.1) into its
// parts, as sub-slices of body. It works on the bytes already in memory
// instead of streaming, which lets it recover from what breaks a
// streaming reader: a missing close delimiter (the last part runs to the
// end), mixed CRLF/LF line endings, and a boundary parameter that does not
// match the body (the delimiter actually used is guessed). parts is nil
// when no delimiter can be found at all.
func splitMultipart(body []byte, boundary string) (parts [][]byte, note string) {
	ranges, note := multipartRanges(body, boundary)
	if ranges == nil {
		return nil, note
	}
	parts = make([][]byte, len(ranges))
	for i, r := range ranges {
		parts[i] = body[r[0]:r[1]]
	}
	return parts, note
}

// multipartRanges is splitMultipart giving each part as [start, end)
// offsets into body, for callers that rewrite parts in place.
func multipartRanges(body []byte, boundary string) (parts [][2]int, note string) {
	if boundary != "" {
		parts, closed, found := splitOn(body, boundary)
		if found {
			if !closed {
				note = "multipart: missing close delimiter; last part runs to the end"
			}
			return parts, note
		}
	}
	guess := guessBoundary(body)
	if guess == "" {
		if boundary == "" {
			return nil, "multipart: no boundary parameter and no delimiter in body; read as text"
		}
		return nil, "multipart: boundary " + strconv.Quote(shorten(boundary)) + " not found; read as text"
	}
	parts, closed, _ := splitOn(body, guess)
	if boundary == "" {
		note = "multipart: no boundary parameter; using delimiter found in body"
	} else {
		note = "multipart: boundary " + strconv.Quote(shorten(boundary)) + " not found; using delimiter found in body"
	}
	if !closed {
		note += "; missing close delimiter"
	}
	return parts, note
}

// splitOn splits at delimiter lines "--boundary" (optionally followed by
// blanks). found reports whether any delimiter was seen, closed whether the
// close delimiter "--boundary--" ended the parts.
func splitOn(body []byte, boundary string) (parts [][2]int, closed, found bool) {
	delim := []byte("--" + boundary)
	start := -1 // start of the current part's content
	pos := 0
	for pos <= len(body) {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		i += pos
		pos = i + len(delim)
		if i > 0 && body[i-1] != '\n' {
			continue // not at line start
		}
		rest := body[pos:]
		isClose := bytes.HasPrefix(rest, []byte("--"))
		if isClose {
			rest = rest[2:]
		}
		// The rest of the line may only hold blanks (RFC 2046 transport
		// padding); anything else means a longer, different boundary.
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
			j++
		}
		if j < len(rest) && rest[j] != '\r' && rest[j] != '\n' {
			continue
		}
		found = true
		if start >= 0 {
			parts = append(parts, [2]int{start, start + len(trimEOL(body[start:i]))})
		}
		if isClose {
			return parts, true, true
		}
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return parts, false, true // delimiter is the last line: empty part
		}
		start = len(body) - len(rest) + nl + 1
		pos = start
	}
	if start >= 0 && start <= len(body) {
		parts = append(parts, [2]int{start, len(body)})
	}
	return parts, false, found
}

// trimEOL removes the line break that belongs to the following delimiter.
func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// guessBoundary returns the boundary of the first line that looks like a
// delimiter ("--" then a token, no blanks) and occurs again later in the
// body, or "".
func guessBoundary(body []byte) string {
	pos := 0
	for tries := 0; pos < len(body) && tries < 200; tries++ {
		line := body[pos:]
		next := len(body)
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
			next = pos + nl + 1
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) > 3 && len(line) <= 200 && line[0] == '-' && line[1] == '-' &&
			!bytes.ContainsAny(line, " \t") {
			b := bytes.TrimSuffix(line[2:], []byte("--"))
			if len(b) > 0 && bytes.Contains(body[next:], append([]byte("\n--"), b...)) {
				return string(b)
			}
		}
		pos = next
	}
	return ""
}
