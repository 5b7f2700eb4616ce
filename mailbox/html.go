package mailbox

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText renders HTML as readable plain text for classification and for
// agents: invisible elements (head, script, style) are dropped, block
// elements and <br> become line breaks, links keep their text, entities are
// decoded and whitespace collapses as a browser would collapse it.
// Blockquotes come out as "> " lines so that quote separation treats HTML
// mail like plain-text mail.
func htmlToText(src string) string {
	w := textWriter{}
	w.b.Grow(len(src) / 2)
	z := html.NewTokenizer(strings.NewReader(src))
	skip := 0 // depth inside script/style/title/template
	inHead := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(w.b.String())
		case html.TextToken:
			if skip > 0 || inHead {
				continue
			}
			w.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt != html.EndTagToken
			switch a {
			case atom.Script, atom.Style, atom.Title, atom.Template, atom.Noscript:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Head:
				inHead = tt == html.StartTagToken
			case atom.Body:
				inHead = false
			case atom.Br:
				w.lineBreak()
			case atom.Blockquote:
				w.block(1)
				if tt == html.StartTagToken {
					w.quote++
				} else if tt == html.EndTagToken && w.quote > 0 {
					w.quote--
				}
			case atom.Pre:
				w.block(1)
				if tt == html.StartTagToken {
					w.pre++
				} else if tt == html.EndTagToken && w.pre > 0 {
					w.pre--
				}
			case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Ul, atom.Ol, atom.Dl:
				w.block(2)
			case atom.Li:
				w.block(1)
				if start {
					w.text([]byte("- "))
				}
			case atom.Div, atom.Tr, atom.Hr, atom.Address, atom.Article, atom.Aside, atom.Center, atom.Dd, atom.Dt,
				atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Header, atom.Main,
				atom.Nav, atom.Section, atom.Caption, atom.Tbody, atom.Thead, atom.Tfoot:
				w.block(1)
			case atom.Td, atom.Th:
				w.space = true
			}
		}
	}
}

// textWriter accumulates rendered text. Spaces and line breaks are kept
// pending and only written before the next visible character, so output
// never has trailing blanks or leading empty lines.
type textWriter struct {
	b         strings.Builder
	pendingNL int  // line breaks owed before the next character
	space     bool // a space is owed before the next character
	lineStart bool // the last written byte ends a line (or nothing written)
	quote     int  // blockquote depth: "> " prefixes
	pre       int  // inside <pre>: keep whitespace
}

func (w *textWriter) block(n int) {
	if w.b.Len() == 0 {
		return
	}
	if w.pendingNL < n {
		w.pendingNL = n
	}
}

func (w *textWriter) lineBreak() {
	if w.pendingNL < 2 {
		w.pendingNL++
	}
}

func (w *textWriter) flushBreaks() {
	if w.b.Len() > 0 {
		for ; w.pendingNL > 0; w.pendingNL-- {
			w.b.WriteByte('\n')
			w.lineStart = true
		}
	}
	w.pendingNL = 0
	if w.b.Len() == 0 {
		w.lineStart = true
	}
}

func (w *textWriter) writeRune(r rune) {
	w.flushBreaks()
	if w.lineStart {
		// Capped: nested quotes deeper than a few levels add nothing, and an
		// unbounded prefix would let hostile HTML blow up the output.
		for i := 0; i < w.quote && i < 8; i++ {
			w.b.WriteString("> ")
		}
		w.space = false
	} else if w.space {
		w.b.WriteByte(' ')
	}
	w.space = false
	w.lineStart = false
	w.b.WriteRune(r)
}

func (w *textWriter) text(t []byte) {
	for len(t) > 0 {
		r, size := utf8.DecodeRune(t)
		t = t[size:]
		if w.pre > 0 {
			if r == '\n' {
				w.pendingNL++
				w.flushBreaks()
				continue
			}
			if r == '\r' {
				continue
			}
			if r == ' ' || r == '\t' {
				w.flushBreaks()
				if !w.lineStart {
					w.b.WriteRune(r)
				}
				continue
			}
			w.writeRune(r)
			continue
		}
		if r == '\u00a0' || unicode.IsSpace(r) {
			if !w.lineStart || w.pendingNL > 0 {
				w.space = true
			}
			continue
		}
		w.writeRune(r)
	}
}
