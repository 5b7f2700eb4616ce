package classify

import (
	"slices"
	"strings"
	"unicode"
)

// Language codes returned by DetectLanguage. Chinese is "zh" for both
// scripts; Classify adds a reason naming the script.
const (
	LangEnglish  = "en"
	LangChinese  = "zh"
	LangGerman   = "de"
	LangSpanish  = "es"
	LangFrench   = "fr"
	LangItalian  = "it"
	LangJapanese = "ja"
	LangUnknown  = "und"
)

// DetectLanguage guesses the language of text from its script and, for
// Latin script, from stopwords and accented letters. Kana means Japanese;
// Han without kana means Chinese when it carries at least as much text as
// the Latin words around it (one Han character counts as about three Latin
// letters, so "Hi, 我想问一下手镯的尺寸" is Chinese). Text without letters is
// "und".
func DetectLanguage(text string) string {
	lang, _ := detectLanguage(text)
	return lang
}

// detectLanguage also reports whether Chinese text is in Traditional script.
func detectLanguage(text string) (lang string, traditional bool) {
	var han, kana, latin, trad int
	for _, r := range text {
		if r < 0x2e80 { // below the Han and kana blocks: no script table lookups
			if unicode.IsLetter(r) {
				latin++
			}
			continue
		}
		// Han first, as it is the most common; a rune has one script, so
		// the order of the cases does not matter.
		switch {
		case isHan(r):
			han++
			if simplify(r) != r {
				trad++
			}
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case kana >= 2 && (kana+han)*3 >= latin:
		return LangJapanese, false
	case han > 0 && han*3 >= latin:
		return LangChinese, trad >= 2 || (trad > 0 && trad*10 >= han)
	case latin == 0 && han > 0:
		return LangChinese, trad > 0
	case latin == 0:
		return LangUnknown, false
	}
	return latinLanguage(text), false
}

// latinLanguages are the languages latinLanguage scores, English first.
var latinLanguages = [...]string{LangEnglish, LangGerman, LangSpanish, LangFrench, LangItalian}

// latinLanguage scores stopwords and telltale letters for the Latin-script
// languages; ties and silence go to English.
func latinLanguage(text string) string {
	// Scores indexed like latinLanguages: an array, not a map, as this runs
	// for every message.
	var score [len(latinLanguages)]int
	const en, de, es, fr, it = 0, 1, 2, 3, 4
	lower := strings.ToLower(text)
	for _, r := range lower {
		switch r {
		case 'ß', 'ä', 'ö', 'ü':
			score[de] += 2
		case 'ñ', '¿', '¡', 'á', 'í', 'ó', 'ú':
			score[es] += 2
		case 'ç', 'ê', 'â', 'î', 'ô', 'û', 'ë', 'œ':
			score[fr] += 2
		case 'è', 'é':
			score[fr]++
			score[it]++
		case 'ò', 'ù', 'ì':
			score[it] += 2
		}
	}
	word := func(w string) {
		l := stopwordLang(w)
		if l == "" {
			l = hintWordLang(w)
		}
		if k := slices.Index(latinLanguages[:], l); k >= 0 {
			score[k] += 3
		}
	}
	// The words are the runs of letters and apostrophes, as
	// strings.FieldsFunc would split them, without building the slice.
	start := -1
	for i, r := range lower {
		if unicode.IsLetter(r) || r == '\'' {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			word(lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		word(lower[start:])
	}
	best := en
	for l := de; l <= it; l++ {
		if score[l] > score[best] {
			best = l
		}
	}
	return latinLanguages[best]
}

// stopwordLang returns the language a frequent, distinctive function word
// belongs to. Words shared by several languages ("de", "a", "la", "il",
// "non") are left out on purpose. The tokenizer drops these words as
// unigram features (they stay inside bigrams: "delete_my").
func stopwordLang(w string) string {
	switch w {
	case "the", "and", "you", "your", "my", "is", "are", "have", "with", "for", "this", "that", "not", "it's",
		"i'm", "would", "could", "what", "when", "where", "of", "to", "can", "i", "we", "it", "on", "at",
		"be", "do", "did", "does", "there", "them", "they", "if", "or", "but", "as", "from", "by", "its", "our",
		"us", "has", "had", "been", "will", "just", "all", "any", "about", "into", "out", "up", "how", "which",
		"i've", "i'd", "don't", "a":
		return LangEnglish
	case "und", "ich", "sie", "nicht", "ist", "mein", "meine", "meinen", "meiner", "wir", "ihre", "ihr", "mit", "der",
		"die", "das", "auf", "für", "wie", "wurde", "noch", "mir", "mich", "von", "bei", "zu", "ein", "eine", "einen",
		"dem", "den", "des", "man", "sind", "habe", "hat", "aber", "oder", "auch", "nach", "aus", "um", "im":
		return LangGerman
	case "el", "los", "las", "que", "mis", "por", "para", "sus", "su", "muy", "han", "pero", "hace", "y",
		"se", "ya", "sin":
		return LangSpanish
	case "je", "vous", "nous", "les", "et", "est", "mon", "mes", "pour", "pas", "avec", "une", "du", "ne",
		"sur", "qui", "votre", "vos", "j'ai", "au", "aux", "ce", "cette", "elle", "ou":
		return LangFrench
	case "di", "che", "sono", "mio", "mia", "miei", "per", "gli", "della", "ho", "anche", "più",
		"dei", "nel", "ad", "è":
		return LangItalian
	}
	return ""
}

// isFunctionWord reports whether w is a function word of any supported
// Latin-script language, including those several languages share.
func isFunctionWord(w string) bool {
	if stopwordLang(w) != "" {
		return true
	}
	switch w {
	case "me", "es", "il", "un", "una", "con", "del", "mi", "lo", "al", "de", "la", "en", "le", "ma", "non", "he", "no", "e",
		"o", "am", "was", "in", "so", "an", "da":
		return true
	}
	return false
}

// hintWordLang returns the language of common content words that are
// distinctive enough for language detection (but carry class meaning, so
// they stay features).
func hintWordLang(w string) string {
	switch w {
	case "please", "thanks", "hi", "hello", "order", "thank":
		return LangEnglish
	case "bitte", "danke", "hallo", "bestellung", "grüße":
		return LangGerman
	case "gracias", "hola", "pedido", "cuenta", "datos", "quiero", "tienen", "nadie", "todavía", "envío", "saludos":
		return LangSpanish
	case "bonjour", "merci", "commande", "données", "cordialement", "svp":
		return LangFrench
	case "grazie", "buongiorno", "ciao", "vorrei", "avete", "ordine", "dati", "nessuno", "salve", "saluti":
		return LangItalian
	}
	return ""
}
