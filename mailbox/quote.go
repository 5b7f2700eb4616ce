package mailbox

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// splitReply separates the sender's new text from quoted history and the
// signature. It recognises:
//   - lines starting with '>' (wherever they are, so inline answers between
//     quoted lines stay new text), together with an attribution line such
//     as "On ... wrote:" directly above them;
//   - attribution lines followed by unprefixed history (top-posting clients
//     in en/de/fr/es/it/pt/nl, Chinese and Japanese forms such as
//     "在 2026年11月20日 ... 写道："), "-----Original Message-----" and its
//     translations ("-----原始邮件-----", QQ's "------------------ 原始邮件
//     ------------------"), and Outlook "From: ... Sent: ..." blocks: the
//     rest of the text from there on is history;
//   - a signature starting at a "-- " delimiter line (RFC 3676 section
//     4.3) or at a "Sent from my iPhone" / "发自我的iPhone" style line near
//     the end of the new text.
//
// It is a heuristic: it errs on the side of keeping text as new.
func splitReply(text string) (newText, quoted, signature string) {
	if text == "" {
		return "", "", ""
	}
	lines := strings.Split(text, "\n")
	cut := len(lines) // first line of trailing history
	isQuote := make([]bool, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if isQuoteLine(l) {
			isQuote[i] = true
			continue
		}
		if isSeparator(lines, i) {
			cut = i
			break
		}
		if n, strong := attributionLen(lines, i); n > 0 {
			// Attribution followed by '>' lines: part of that quote block.
			j := i + n
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j < len(lines) && isQuoteLine(lines[j]) {
				for k := i; k < j; k++ {
					isQuote[k] = true
				}
				i = j - 1
				continue
			}
			if strong {
				cut = i
				break
			}
		}
	}

	// after[i]: non-blank, non-quote lines in lines[i:cut].
	after := make([]int, cut+1)
	for i := cut - 1; i >= 0; i-- {
		after[i] = after[i+1]
		if !isQuote[i] && strings.TrimSpace(lines[i]) != "" {
			after[i]++
		}
	}
	// Signature: in the new-text region only.
	sig := -1
	for i := 0; i < cut; i++ {
		if isQuote[i] {
			continue
		}
		t := strings.TrimRight(lines[i], "\r")
		if t == "-- " || (t == "--" && after[i+1] <= 8) {
			sig = i
			break
		}
	}
	if sig < 0 {
		for i := cut - 1; i >= 0; i-- {
			if isQuote[i] || strings.TrimSpace(lines[i]) == "" {
				continue
			}
			if isMobileSignature(lines[i]) && after[i+1] <= 3 {
				sig = i
			}
			break
		}
	}

	if sig >= 0 && !isMobileSignature(lines[sig]) && after[sig+1] == 0 {
		// A delimiter with nothing after it signs nothing: it stays text,
		// so that mail with no quote and no signature always has its whole
		// (trimmed) text as new text.
		sig = -1
	}

	if sig < 0 && cut == len(lines) && !slices.Contains(isQuote, true) {
		// Nothing quoted, no signature (most mail): the new text is the
		// text itself, trimmed, without copying it line by line.
		return TrimBlankLines(text), "", ""
	}

	var nb, qb, sb strings.Builder
	nb.Grow(len(text))
	newEnd := cut
	if sig >= 0 {
		newEnd = sig
	}
	for i := 0; i < cut; i++ {
		switch {
		case isQuote[i]:
			qb.WriteString(lines[i])
			qb.WriteByte('\n')
		case i >= newEnd:
			sb.WriteString(lines[i])
			sb.WriteByte('\n')
		default:
			nb.WriteString(lines[i])
			nb.WriteByte('\n')
		}
	}
	for i := cut; i < len(lines); i++ {
		qb.WriteString(lines[i])
		qb.WriteByte('\n')
	}
	sigText := strings.TrimSpace(sb.String())
	if sig >= 0 && !isMobileSignature(lines[sig]) {
		// Drop the "-- " delimiter itself.
		sigText = strings.TrimSpace(strings.TrimPrefix(sigText, "--"))
	}
	return TrimBlankLines(nb.String()), TrimBlankLines(qb.String()), sigText
}

// TrimBlankLines trims surrounding whitespace and squeezes runs of blank
// lines left behind by removed quote lines. A message with neither quoted
// history nor a signature has TrimBlankLines(Text) as its NewText, so a
// store can keep the text once and derive the new text from it.
func TrimBlankLines(s string) string {
	s = strings.TrimSpace(s)
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}

func isQuoteLine(l string) bool {
	l = strings.TrimLeft(l, " \t")
	return strings.HasPrefix(l, ">")
}

// normLine trims blanks including no-break spaces (HTML &nbsp;) and the
// '*' bold markers that HTML-to-text leaves around Outlook labels.
func normLine(l string) string {
	// Fast path: strings.Trim with a non-ASCII cutset walks runes. When both
	// ends are ASCII bytes outside the cutset (its other members are
	// multi-byte), there is nothing to trim.
	if l == "" || (plainEnd(l[0]) && plainEnd(l[len(l)-1])) {
		return l
	}
	return strings.Trim(l, " \t\r\u00a0\u3000*")
}

func plainEnd(c byte) bool {
	return c < utf8.RuneSelf && c != ' ' && c != '\t' && c != '\r' && c != '*'
}

// isSeparator reports whether line i starts a block of unprefixed history:
// an "Original Message" rule or an Outlook header block.
func isSeparator(lines []string, i int) bool {
	l := normLine(lines[i])
	if l == "" {
		return false
	}
	if l[0] == '-' || l[0] == '_' || strings.HasPrefix(l, "—") {
		inner := strings.ToLower(strings.Trim(l, "-_—= \u00a0\u3000"))
		switch inner {
		case "original message", "original", "原始邮件", "原始郵件", "原郵件", "ursprüngliche nachricht",
			"message d'origine", "message d’origine", "mensaje original", "messaggio originale",
			"mensagem original", "oorspronkelijk bericht", "元のメッセージ", "原始信件":
			return true
		case "":
			// Outlook draws a rule of underscores above its header block.
			return strings.HasPrefix(l, "________") && i+1 < len(lines) && isOutlookBlock(lines, i+1)
		}
		return false
	}
	return isOutlookBlock(lines, i)
}

// isOutlookBlock reports whether lines[i] is "From: ..." followed within a
// few lines by a "Sent:"/"Date:" label (in any of the usual languages).
func isOutlookBlock(lines []string, i int) bool {
	from := [...]string{"From", "发件人", "寄件者", "寄件人", "Von", "De", "Da", "Van", "差出人", "送信者"}
	if !hasLabel(normLine(lines[i]), from[:]) {
		return false
	}
	sent := [...]string{"Sent", "Date", "发送时间", "時間", "日期", "寄件日期", "Gesendet", "Datum", "Envoyé",
		"Enviado", "Enviado el", "Inviato", "Data", "Verzonden", "送信日時", "日時"}
	for j := i + 1; j < len(lines) && j <= i+5; j++ {
		if hasLabel(normLine(lines[j]), sent[:]) {
			return true
		}
	}
	return false
}

// hasLabel reports whether l starts with one of labels followed by ':' or
// '：' (with optional blanks before it).
func hasLabel(l string, labels []string) bool {
	// Every match has a colon; most lines have none.
	if strings.IndexByte(l, ':') < 0 && !strings.Contains(l, "：") {
		return false
	}
	for _, lb := range labels {
		if len(l) <= len(lb) || !strings.EqualFold(l[:len(lb)], lb) {
			continue
		}
		rest := strings.TrimLeft(l[len(lb):], " \u00a0")
		if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：") {
			return true
		}
	}
	return false
}

// attributionLen reports whether lines[i] (joined with lines[i+1] when a
// client wrapped it) is a reply attribution such as "On Tue, ... wrote:";
// it returns the number of lines it spans (0 if none) and whether it is
// strong enough to cut unprefixed history below it. A bare "X wrote:"
// only counts above '>' lines: a customer may well write "my colleague
// wrote:" before pasting something.
func attributionLen(lines []string, i int) (int, bool) {
	l := normLine(lines[i])
	if l == "" || len(l) > 400 {
		return 0, false
	}
	if ok, strong := isAttribution(l); ok {
		return 1, strong
	}
	if i+1 < len(lines) && attributionStart(l) && utf8.RuneCountInString(l) < 200 {
		if n := normLine(lines[i+1]); n != "" {
			if ok, strong := isAttribution(l + " " + n); ok {
				return 2, strong
			}
		}
	}
	return 0, false
}

func attributionStart(l string) bool {
	for _, p := range [...]string{"On ", "Am ", "Le ", "El ", "Il ", "Em ", "Op ", "在", "于", "於"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// isAttribution matches one (unwrapped) attribution line and says whether
// it is a strong (dated, client-generated) form.
func isAttribution(l string) (ok, strong bool) {
	// Every form below ends in a colon; most lines do not, and this test
	// spares them the lower-casing.
	if !strings.HasSuffix(l, ":") && !strings.HasSuffix(l, "：") {
		return false, false
	}
	lower := strings.ToLower(l)
	switch {
	case strings.HasSuffix(lower, "wrote:") || strings.HasSuffix(lower, "wrote :"):
		return true, strings.HasPrefix(l, "On ") && strings.ContainsAny(l, "0123456789")
	case strings.HasPrefix(l, "Am ") && strings.Contains(l, "schrieb") && strings.HasSuffix(l, ":"):
		return true, true
	case strings.HasPrefix(l, "Le ") && (strings.HasSuffix(lower, "a écrit :") || strings.HasSuffix(lower, "a écrit:")):
		return true, true
	case strings.HasPrefix(l, "El ") && (strings.HasSuffix(lower, "escribió:") || strings.HasSuffix(lower, "escribió :")):
		return true, true
	case strings.HasPrefix(l, "Il ") && strings.HasSuffix(lower, "ha scritto:"):
		return true, true
	case strings.HasPrefix(l, "Em ") && strings.HasSuffix(lower, "escreveu:"):
		return true, true
	case strings.HasPrefix(l, "Op ") && strings.Contains(l, "schreef") && strings.HasSuffix(l, ":"):
		return true, true
	}
	for _, suf := range [...]string{"写道：", "写道:", "寫道：", "寫道:", "書きました：", "書きました:"} {
		if strings.HasSuffix(l, suf) {
			return true, strings.ContainsAny(l, "0123456789@")
		}
	}
	// Japanese Gmail: "2026年11月20日(金) 10:00 山田太郎 <taro@example.jp>:"
	if len(l) > 7 && isDigits(l[:4]) && strings.HasPrefix(l[4:], "年") &&
		(strings.HasSuffix(l, ">:") || strings.HasSuffix(l, ">：")) {
		return true, true
	}
	return false, false
}

// isMobileSignature matches the one-line signatures mobile clients append.
func isMobileSignature(l string) bool {
	l = normLine(l)
	lower := strings.ToLower(l)
	for _, p := range [...]string{"sent from my ", "sent from mail for windows", "get outlook for ", "sent from outlook",
		"envoyé de mon ", "enviado desde mi ", "inviato da ", "von meinem ", "verzonden vanaf mijn ",
		"发自我的", "从我的", "發自我的", "送信元:", "iphoneから送信"} {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}
