package templates

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

// commonFuncs are available in text and HTML templates alike.
//
//	formatDue T LANG    FormatDue
//	formatDate T LANG   FormatDate
//	quote S             prefixes every line with "> "
func commonFuncs() map[string]any {
	return map[string]any{
		"formatDue":  func(t time.Time, lang string) string { return FormatDue(t, lang) },
		"formatDate": func(t time.Time, lang string) string { return FormatDate(t, lang) },
		"quote":      quote,
	}
}

func textFuncs() texttemplate.FuncMap { return commonFuncs() }

// htmlFuncs adds paragraphs, which turns plain text (an agent's reply, a
// quoted message) into escaped HTML paragraphs.
func htmlFuncs() htmltemplate.FuncMap {
	m := commonFuncs()
	m["paragraphs"] = paragraphs
	return m
}

// quote prefixes each line of s with "> " the way mail clients quote.
func quote(s string) string {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" || strings.HasPrefix(l, ">") {
			lines[i] = ">" + l
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// paragraphs escapes text and wraps it in <p> elements, one per block of
// lines separated by a blank line, with <br> for single line breaks. The
// result is marked safe because every piece of input went through
// HTMLEscapeString.
func paragraphs(s string) htmltemplate.HTML {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, p := range strings.Split(s, "\n\n") {
		p = strings.Trim(p, "\n")
		if p == "" {
			continue
		}
		lines := strings.Split(p, "\n")
		for i := range lines {
			lines[i] = htmltemplate.HTMLEscapeString(lines[i])
		}
		b.WriteString("<p>")
		b.WriteString(strings.Join(lines, "<br>\n"))
		b.WriteString("</p>\n")
	}
	return htmltemplate.HTML(b.String()) // safe: every line was escaped above
}

// tidyText normalizes a rendered text part: LF line endings, no trailing
// blanks (except the "-- " signature separator, which mail clients key
// on), at most one empty line in a row, no leading empty lines, and a
// single final newline. Template authors can then lay files out for
// readability without counting blank lines around {{if}} blocks.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := true // drops leading blank lines
	for _, l := range lines {
		if l != "-- " {
			l = strings.TrimRight(l, " \t")
		}
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// cleanSubject makes a rendered subject a single header-safe line and makes
// sure it carries the ticket tag, which is how replies find their ticket
// when In-Reply-To is lost.
func cleanSubject(s, ref string) string {
	s = oneLine(s)
	if ref != "" && !strings.Contains(s, "["+ref+"]") {
		s = oneLine("[" + ref + "] " + s)
	}
	return s
}
