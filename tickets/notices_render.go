package tickets

import (
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"helpdesk/templates"
)

// noticeVars are the per-recipient parts of a notice: everything else is
// the same for every recipient of one language.
type noticeVars struct{ name, email, token string }

// Placeholders stand for the per-recipient values while a notice is
// rendered once per language. They are letters and digits only, so every
// escaping context of text/template and html/template leaves them as
// they are, and tidying never touches them.
const (
	phName  = "HDNOTICEPH7n4m3"
	phEmail = "HDNOTICEPH7m41l"
	phToken = "HDNOTICEPH7t0k3n"
)

// htmlTextEscaper escapes exactly as html/template does for a value in
// HTML text or a quoted attribute (its htmlReplacementTable; NUL cannot
// occur, see substitutable). html.EscapeString would leave '+' alone
// and so differ from a full render.
var htmlTextEscaper = strings.NewReplacer(`"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

type layoutKey struct {
	lang  string
	named bool // a non-empty name: templates greet "Dear NAME," or "Hello,"
}

// noticeLayout is a notice rendered once for one language with
// placeholders; nil parts mean the template cannot be filled in safely and
// every recipient is rendered in full.
type noticeLayout struct {
	lang                string
	subject, text, html []layoutPart
}

// layoutPart is literal text followed by one placeholder (kind 0: none).
type layoutPart struct {
	lit  string
	kind byte // 'n' name, 'e' email, 't' token
}

func splitLayout(s string) []layoutPart {
	var parts []layoutPart
	for {
		i := strings.Index(s, "HDNOTICEPH7")
		if i < 0 {
			return append(parts, layoutPart{lit: s})
		}
		var kind byte
		var ph string
		switch {
		case strings.HasPrefix(s[i:], phName):
			kind, ph = 'n', phName
		case strings.HasPrefix(s[i:], phEmail):
			kind, ph = 'e', phEmail
		case strings.HasPrefix(s[i:], phToken):
			kind, ph = 't', phToken
		default:
			return nil // a placeholder the template changed: not fillable
		}
		parts = append(parts, layoutPart{lit: s[:i], kind: kind})
		s = s[i+len(ph):]
	}
}

func fillLayout(parts []layoutPart, v noticeVars, html bool) string {
	name, email := v.name, v.email
	if html {
		name, email = htmlTextEscaper.Replace(name), htmlTextEscaper.Replace(email)
	}
	n := 0
	for _, p := range parts {
		n += len(p.lit) + len(name) + len(email)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		b.WriteString(p.lit)
		switch p.kind {
		case 'n':
			b.WriteString(name)
		case 'e':
			b.WriteString(email)
		case 't':
			b.WriteString(v.token) // digits, dots and hex: the same in every context
		}
	}
	return b.String()
}

func (l *noticeLayout) fill(v noticeVars) templates.Rendered {
	r := templates.Rendered{Lang: l.lang, Subject: fillLayout(l.subject, v, false), Text: fillLayout(l.text, v, false)}
	if l.html != nil {
		r.HTML = fillLayout(l.html, v, true)
	}
	return r
}

// substitutable reports whether s renders the same wherever a template
// puts it: no control characters, and spaces only single ASCII spaces
// between other characters, so neither the subject's one-lining nor the
// text part's tidying (trailing blanks, blank lines) would change it.
func substitutable(s string) bool {
	prevSpace := true // no leading space
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// renderNotice renders the notice for one recipient. The template runs
// once per language (and per named/unnamed greeting) with placeholders,
// and each recipient's name, address and unsubscribe token are put in
// their places: the template engine cost a third of a broadcast's CPU.
// Before a layout is trusted it must reproduce, byte for byte, full
// renders for probe recipients whose names hold every character HTML
// escapes, spaces and non-ASCII text; a template that uses the name
// other than by printing it (in a script or an unquoted attribute, with
// a function applied) fails that check and is rendered in full for
// every recipient, as are values substitutable refuses.
func (s *Service) renderNotice(run *noticeRun, lang string, v noticeVars) (templates.Rendered, error) {
	if substitutable(v.name) && substitutable(v.email) {
		l, err := s.noticeLayout(run, layoutKey{lang: lang, named: v.name != ""})
		if err != nil {
			return templates.Rendered{}, err
		}
		if l != nil {
			return l.fill(v), nil
		}
	}
	return s.renderNoticeFull(run, lang, v)
}

func (s *Service) renderNoticeFull(run *noticeRun, lang string, v noticeVars) (templates.Rendered, error) {
	body := run.bodies[lang]
	d := templates.Data{Brand: run.tb, CustomerName: v.name, CustomerEmail: v.email, Body: body.text,
		BodyHTML: template.HTML(body.html), // sanitized by RenderNoticeBody
		Notice:   templates.Notice{Title: body.title, Effective: run.eff, Mandatory: run.n.CoreRights}}
	if v.token != "" {
		d.Notice.UnsubscribeURL = s.unsubscribeURL(v.token)
	}
	return s.templates[run.brand.ID].Render(templates.NameNotice, lang, d)
}

// noticeLayout returns the checked layout for k, building it on first
// use; nil means render in full.
func (s *Service) noticeLayout(run *noticeRun, k layoutKey) (*noticeLayout, error) {
	run.lmu.Lock()
	defer run.lmu.Unlock()
	if l, ok := run.layouts[k]; ok {
		return l, nil
	}
	l, err := s.buildNoticeLayout(run, k)
	if err != nil {
		return nil, err
	}
	if run.layouts == nil {
		run.layouts = map[layoutKey]*noticeLayout{}
	}
	run.layouts[k] = l
	if l == nil {
		s.log.Info("notice template uses recipient data in a way that needs a full render per recipient",
			"notice", run.n.ID, "lang", k.lang)
	}
	return l, nil
}

func (s *Service) buildNoticeLayout(run *noticeRun, k layoutKey) (*noticeLayout, error) {
	ph := noticeVars{email: phEmail}
	if k.named {
		ph.name = phName
	}
	if !run.n.CoreRights {
		ph.token = phToken
	}
	r, err := s.renderNoticeFull(run, k.lang, ph)
	if err != nil {
		return nil, err
	}
	l := &noticeLayout{lang: r.Lang, subject: splitLayout(r.Subject), text: splitLayout(r.Text)}
	if r.HTML != "" {
		l.html = splitLayout(r.HTML)
	}
	if l.subject == nil || l.text == nil || (r.HTML != "" && l.html == nil) {
		return nil, nil
	}
	probes := []noticeVars{
		{name: `Zoë "Q" <O'Brien> & Söhne + 王芳`, email: `o'brien+x&y@exa-mple.example`},
		{name: "X", email: "b@c.example"},
	}
	for _, p := range probes {
		if !k.named {
			p.name = ""
		}
		if !run.n.CoreRights {
			p.token = noticeToken(run.secret, run.n.ID, int64(len(p.name)+1))
		}
		want, err := s.renderNoticeFull(run, k.lang, p)
		if err != nil {
			return nil, err
		}
		if l.fill(p) != want {
			return nil, nil
		}
	}
	return l, nil
}
