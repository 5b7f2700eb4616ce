package tickets

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// A notice body is Markdown or plain text. Only a small, safe subset is
// understood: paragraphs (blank-line separated), bullet and numbered
// lists, **bold**, *emphasis*, and [links](https://...) with http or https
// targets. Everything else is text: the HTML rendering escapes every byte
// of the input before adding its own tags, so no markup written by the
// author (or pasted by mistake) reaches the mail as HTML.

var (
	mdLink   = regexp.MustCompile(`\[([^\]\n]+)\]\(([^)\s]+)\)`)
	mdBold   = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	mdEm     = regexp.MustCompile(`(^|[^*\w])\*([^*\s][^*\n]*?)\*`)
	mdBullet = regexp.MustCompile(`^\s*[-*+]\s+(.*)$`)
	mdNumber = regexp.MustCompile(`^\s*\d{1,3}[.)]\s+(.*)$`)
)

type mdBlock struct {
	kind  string // "p", "ul", "ol"
	lines []string
}

func mdBlocks(src string) []mdBlock {
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	var out []mdBlock
	var cur *mdBlock
	flush := func() {
		if cur != nil && len(cur.lines) > 0 {
			out = append(out, *cur)
		}
		cur = nil
	}
	for _, line := range strings.Split(src, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		kind, text := "p", strings.TrimSpace(line)
		if m := mdBullet.FindStringSubmatch(line); m != nil {
			kind, text = "ul", m[1]
		} else if m := mdNumber.FindStringSubmatch(line); m != nil {
			kind, text = "ol", m[1]
		}
		if cur != nil && cur.kind != kind && (kind != "p" || cur.kind == "p") {
			flush()
		}
		if cur != nil && cur.kind != "p" && kind == "p" {
			// A continuation line of a list item.
			cur.lines[len(cur.lines)-1] += " " + text
			continue
		}
		if cur == nil {
			cur = &mdBlock{kind: kind}
		}
		cur.lines = append(cur.lines, text)
	}
	flush()
	return out
}

// safeURL accepts absolute http and https URLs only.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && len(u) > len("http://")
}

// markdownInlineHTML renders one line's inline markup. The text is escaped
// first; the patterns then match escaped text, so their captures are
// already safe, and a link's target is escaped again as an attribute.
func markdownInlineHTML(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range mdLink.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(mdEmphasisHTML(html.EscapeString(s[last:m[0]])))
		text, target := s[m[2]:m[3]], s[m[4]:m[5]]
		if safeURL(target) {
			b.WriteString(`<a href="` + html.EscapeString(target) + `">` + mdEmphasisHTML(html.EscapeString(text)) + `</a>`)
		} else {
			b.WriteString(mdEmphasisHTML(html.EscapeString(s[m[0]:m[1]])))
		}
		last = m[1]
	}
	b.WriteString(mdEmphasisHTML(html.EscapeString(s[last:])))
	return b.String()
}

func mdEmphasisHTML(escaped string) string {
	escaped = mdBold.ReplaceAllString(escaped, "<strong>$1</strong>")
	return mdEm.ReplaceAllString(escaped, "$1<em>$2</em>")
}

// markdownInlineText drops the inline markers and writes links as
// "text (url)".
func markdownInlineText(s string) string {
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		if sub[1] == sub[2] {
			return sub[2]
		}
		return sub[1] + " (" + sub[2] + ")"
	})
	s = mdBold.ReplaceAllString(s, "$1")
	return mdEm.ReplaceAllString(s, "$1$2")
}

// RenderNoticeBody turns a Markdown or plain-text notice body into the
// text and the sanitized HTML the notice template embeds.
func RenderNoticeBody(src string) (text, htmlBody string) {
	var t, h strings.Builder
	for i, blk := range mdBlocks(src) {
		if i > 0 {
			t.WriteString("\n")
		}
		switch blk.kind {
		case "p":
			inl := make([]string, len(blk.lines))
			for j, l := range blk.lines {
				t.WriteString(markdownInlineText(l) + "\n")
				inl[j] = markdownInlineHTML(l)
			}
			h.WriteString("<p>" + strings.Join(inl, "<br>\n") + "</p>\n")
		default:
			h.WriteString("<" + blk.kind + ">\n")
			for j, l := range blk.lines {
				mark := "- "
				if blk.kind == "ol" {
					mark = strconv.Itoa(j+1) + ". "
				}
				t.WriteString(mark + markdownInlineText(l) + "\n")
				h.WriteString("<li>" + markdownInlineHTML(l) + "</li>\n")
			}
			h.WriteString("</" + blk.kind + ">\n")
		}
	}
	return strings.TrimRight(t.String(), "\n"), h.String()
}
