package classify

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestRuneShortcuts checks the fast paths of the rune tests against the
// plain Unicode table definitions, for every code point.
func TestRuneShortcuts(t *testing.T) {
	simp := map[rune]rune{}
	for i := 0; i < len(tradSimp); i += 6 {
		tr, _ := utf8.DecodeRuneInString(tradSimp[i:])
		sr, _ := utf8.DecodeRuneInString(tradSimp[i+3:])
		simp[tr] = sr
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		han := unicode.Is(unicode.Han, r)
		kana := unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
		if isHan(r) != han {
			t.Fatalf("isHan(%U) = %v", r, !han)
		}
		if han && kana {
			t.Fatalf("%U is both Han and kana", r)
		}
		if got, want := isCJK(r), han || kana || r == 'ー'; got != want {
			t.Fatalf("isCJK(%U) = %v", r, got)
		}
		if got, want := isWordRune(r), unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r); got != want {
			t.Fatalf("isWordRune(%U) = %v", r, got)
		}
		want, ok := simp[r]
		if !ok || r < 0x4e00 || r > 0x9fff {
			want = r
		}
		if got := simplify(r); got != want {
			t.Fatalf("simplify(%U) = %U, want %U", r, got, want)
		}
	}
}
