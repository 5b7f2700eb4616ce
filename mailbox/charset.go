package mailbox

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// charsetKind says how a declared charset label is decoded.
type charsetKind int

const (
	// charsetUTF8 covers utf-8 and us-ascii: bytes are taken as they are.
	charsetUTF8 charsetKind = iota
	// charsetKnown is a charset golang.org/x/text can decode.
	charsetKnown
	// charsetGuess is an explicit "I don't know" label (unknown-8bit):
	// decoded by guessing, without a note.
	charsetGuess
	// charsetUnknown is a label nobody knows: decoded by guessing, with a note.
	charsetUnknown
)

// lookupCharset maps a MIME charset label to a decoder. Mail in the wild uses
// labels that the IANA and WHATWG tables either lack or map to a subset of
// what senders actually emit (GB2312 labels on GBK/GB18030 text, Big5 labels
// on CP950/HKSCS text), so those are widened to the superset first.
func lookupCharset(label string) (encoding.Encoding, charsetKind) {
	name := strings.ToLower(strings.Trim(label, " \t\"'"))
	switch name {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "x-utf-8", "utf-8-bom":
		return nil, charsetUTF8
	case "gb2312", "gb_2312", "gb_2312-80", "gb2312-80", "csgb2312", "euc-cn", "x-euc-cn", "x-gbk", "gbk",
		"cp936", "ms936", "windows-936", "x-gb2312", "chinese", "csgbk", "gb18030", "x-gb18030":
		return simplifiedchinese.GB18030, charsetKnown
	case "big5", "cp950", "x-big5", "big5-hkscs", "big5hkscs", "x-x-big5", "csbig5", "ms950", "windows-950":
		return traditionalchinese.Big5, charsetKnown
	case "unknown-8bit", "x-unknown", "unknown", "x-unknown-8bit", "8bit", "default", "x-user-defined":
		return nil, charsetGuess
	}
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e, charsetKnown
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e, charsetKnown
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e, charsetKnown
	}
	return nil, charsetUnknown
}

// decodeCharset converts b from the declared charset to UTF-8. It never
// fails; note is non-empty when the result is a guess or lossy.
func decodeCharset(b []byte, label string) (s string, note string) {
	enc, kind := lookupCharset(label)
	switch kind {
	case charsetUTF8:
		if utf8.Valid(b) {
			return string(b), ""
		}
		if strings.TrimSpace(label) == "" || isASCIILabel(label) {
			// 8-bit bytes without a label or under an ASCII label: the
			// sender forgot the label (common with Chinese clients).
			return guessDecode(b), ""
		}
		if !hasMultibyteUTF8(b) {
			// Labelled UTF-8 but not a single UTF-8 sequence: mislabelled.
			return guessDecode(b), "charset " + shorten(label) + ": not UTF-8, decoded by guessing"
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), "charset " + shorten(label) + ": invalid UTF-8 replaced"
	case charsetKnown:
		out, err := decodeToString(enc, b)
		if err != nil {
			return guessDecode(b), "charset " + label + ": " + err.Error() + "; decoded by guessing"
		}
		if !utf8.ValidString(out) {
			return strings.ToValidUTF8(out, "\uFFFD"), ""
		}
		return out, ""
	case charsetGuess:
		return guessDecode(b), ""
	default:
		return guessDecode(b), "unknown charset " + shorten(label) + ": decoded by guessing"
	}
}

// decodeToString decodes b straight into the string it returns. A text
// part is the largest thing a parse makes: decoding to bytes and then
// converting would grow one buffer by doubling and copy it once more.
func decodeToString(enc encoding.Encoding, b []byte) (string, error) {
	var sb strings.Builder
	// Legacy CJK charsets take two bytes for what UTF-8 takes three.
	sb.Grow(len(b) + len(b)/2 + 16)
	w := transform.NewWriter(&sb, enc.NewDecoder())
	if _, err := w.Write(b); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// hasMultibyteUTF8 reports whether b holds at least one valid multi-byte
// UTF-8 sequence.
func hasMultibyteUTF8(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i += size
	}
	return false
}

func isASCIILabel(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us":
		return true
	}
	return false
}

// guessDecode decodes bytes of unknown charset: UTF-8 if valid, else
// GB18030 if that decodes without a replacement character (the common case
// for unlabelled Chinese mail), else windows-1252, which maps every byte.
func guessDecode(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && utf8.Valid(out) &&
		!containsReplacement(out) {
		return string(out)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(out) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

func containsReplacement(b []byte) bool {
	return bytes.ContainsRune(b, utf8.RuneError)
}

// decodeRawHeader makes a header value valid UTF-8. Raw 8-bit header bytes
// (RFC 6532 allows UTF-8; older Chinese clients send GBK) are guessed.
func decodeRawHeader(v string) string {
	if isASCIIOrUTF8(v) {
		return v
	}
	return guessDecode([]byte(v))
}

func isASCIIOrUTF8(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.ValidString(s[i:])
		}
	}
	return true
}
