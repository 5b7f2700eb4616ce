package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize folds text for matching: NFKC (full-width letters and digits
// become ASCII, compatibility forms are unified), lower case, Traditional
// Chinese mapped to Simplified, and typographic apostrophes and dashes
// mapped to ASCII. Invalid UTF-8 becomes U+FFFD, which later acts as a
// separator.
func normalize(s string) string {
	if isASCII(s) {
		return normalizeASCII(s)
	}
	s = norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '\u2019', '\u2018', '`', '\u00b4':
			r = '\''
		case '\u2013', '\u2014', '\u2212':
			r = '-'
		}
		if r >= 0x3400 {
			r = simplify(r)
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// isASCII reports whether s is all ASCII: most mail text is, and for it
// normalize and the rune tests have exact shortcuts.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeASCII is normalize for ASCII s: NFKC leaves ASCII alone, and of
// the mappings only the backquote and upper case apply.
func normalizeASCII(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '`':
			c = '\''
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

// isCJK reports whether r is written without spaces between words: Han,
// Hiragana, Katakana (and the prolonged sound mark).
func isCJK(r rune) bool {
	if r < 0x2e80 { // below the first Han block (CJK Radicals Supplement)
		return false
	}
	return isHan(r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || r == 'ー'
}

// isHan is unicode.Is(unicode.Han, r), with the CJK Unified Ideographs
// block, which is all Han and most of Chinese text, answered without a
// table search.
func isHan(r rune) bool {
	return 0x4e00 <= r && r <= 0x9fff || unicode.Is(unicode.Han, r)
}

// isWordRune reports whether r belongs inside a space-separated word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Tokenize returns the features of text: for space-separated scripts, word
// unigrams, word bigrams ("delete_my") and five-letter prefixes of longer
// words ("~delet", a cheap stem that also joins German and Romance
// inflections); for Chinese and Japanese, character unigrams and bigrams.
// Words containing digits (order numbers, phone numbers, tracking codes)
// carry no class information and are dropped. Punctuation ends a phrase, so
// bigrams never span sentences. Every token is valid UTF-8.
func Tokenize(text string) []string {
	return appendTokens(nil, normalize(text))
}

// appendTokens tokenizes already-normalized text.
func appendTokens(out []string, s string) []string {
	var t tokenizer
	t.walk(s, func(tok []byte) { out = append(out, string(tok)) })
	return out
}

// tokenizer builds each token in a reused buffer, so a caller that only
// looks tokens up (Classify) allocates nothing per token.
type tokenizer struct {
	buf []byte
	cjk []rune
}

// walk calls emit with each token of already-normalized text s, in order.
// tok is only valid during the call.
func (t *tokenizer) walk(s string, emit func(tok []byte)) {
	prevWord := ""
	t.cjk = t.cjk[:0]
	flushCJK := func() {
		for i, r := range t.cjk {
			if !cjkFunctionChar(r) {
				t.buf = utf8.AppendRune(t.buf[:0], r)
				emit(t.buf)
			}
			if i+1 < len(t.cjk) {
				t.buf = utf8.AppendRune(utf8.AppendRune(t.buf[:0], r), t.cjk[i+1])
				emit(t.buf)
			}
		}
		t.cjk = t.cjk[:0]
	}
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			prevWord = ""
			t.cjk = append(t.cjk, r)
			i += size
		case isWordRune(r):
			flushCJK()
			j := i
			digits := false
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if isCJK(r2) {
					break
				}
				if r2 == '\'' || r2 == '-' {
					// Keep "don't" and "e-mail" together, but not a trailing mark.
					if j+n < len(s) {
						if r3, _ := utf8.DecodeRuneInString(s[j+n:]); isWordRune(r3) && !isCJK(r3) {
							j += n
							continue
						}
					}
					break
				}
				if !isWordRune(r2) {
					break
				}
				if unicode.IsDigit(r2) {
					digits = true
				}
				j += n
			}
			w := strings.Trim(s[i:j], "'-")
			i = j
			if digits || w == "" {
				prevWord = ""
				continue
			}
			if !isFunctionWord(w) {
				t.buf = append(t.buf[:0], w...)
				emit(t.buf)
			}
			if prevWord != "" {
				t.buf = append(append(append(t.buf[:0], prevWord...), '_'), w...)
				emit(t.buf)
			}
			if n := utf8.RuneCountInString(w); n > 5 {
				k := 0
				for c := 0; c < 5; c++ {
					_, sz := utf8.DecodeRuneInString(w[k:])
					k += sz
				}
				t.buf = append(append(t.buf[:0], '~'), w[:k]...)
				emit(t.buf)
			}
			prevWord = w
		case unicode.IsSpace(r):
			// Spaces separate words but keep a phrase going; a line break
			// ends CJK runs too.
			flushCJK()
			if r == '\n' {
				prevWord = ""
			}
			i += size
		default:
			flushCJK()
			prevWord = ""
			i += size
		}
	}
	flushCJK()
}

// cjkFunctionChar reports characters too common to mean anything alone:
// Hiragana (Japanese grammar) and the Chinese function characters. They
// still form bigrams ("删除" needs no help, but "了吗" might).
func cjkFunctionChar(r rune) bool {
	if unicode.Is(unicode.Hiragana, r) || r == 'ー' {
		return true
	}
	switch r {
	case '的', '了', '你', '我', '是', '在', '吗', '呢', '吧', '啊', '和', '有', '就', '都', '也', '还', '们', '这', '那', '个', '么':
		return true
	}
	return false
}
