package templates

import (
	"html/template"
	"strings"
	"time"
	"unicode"
)

// Brand is what the templates need to know about a shop. The caller copies
// it from configuration; the package keeps no reference to config types.
type Brand struct {
	ID             string
	Name           string // "Xiyue Technology"
	Address        string // the service mailbox customers write to
	PrivacyContact string // where personal-information requests go; often Address
	// ServiceHours is the fallback wording of the opening hours, used when
	// ServiceHoursByLang has nothing for the mail's language.
	ServiceHours string
	// ServiceHoursByLang holds the hours per normalized language, typically
	// produced by FormatServiceHours from the business calendar.
	ServiceHoursByLang map[string]string
	DefaultLanguage    string // the brand's reply language when the customer's has no template
}

// HoursIn returns the service hours worded for lang, falling back to
// ServiceHours. Templates call it as {{.Brand.HoursIn .Lang}}.
func (b Brand) HoursIn(lang string) string {
	if h := b.ServiceHoursByLang[NormalizeLang(lang)]; h != "" {
		return h
	}
	return b.ServiceHours
}

// Notice describes a policy-change announcement for the "notice" template.
type Notice struct {
	Title     string
	Effective time.Time // the date the change takes effect, in the shop's zone
	// Mandatory marks a notice every customer must receive (a change to
	// core rights); such notices carry no unsubscribe line.
	Mandatory      bool
	UnsubscribeURL string // optional; without it the mail says to reply "unsubscribe"
}

// Data is everything a template may refer to. Fields a template does not
// use may be left zero. Templates see the value after Render filled Lang
// and DueText.
type Data struct {
	Brand Brand
	// Lang is set by Render to the language actually used; whatever the
	// caller puts here is ignored.
	Lang string

	TicketRef     string // "XY-1042"; when set, Render guarantees "[XY-1042]" in the subject
	Subject       string // the customer's subject as written; templates use .Topic
	CustomerName  string
	CustomerEmail string
	Category      string // product | logistics | rights | other
	RightsType    string // access | correction | deletion | consent_withdrawal | complaint

	// Due is the deadline promised to the customer (or, in agent mails, the
	// SLA deadline), in the shop's zone. DueText is its wording; leave it
	// empty and Render fills it with FormatDue(Due, Lang) in the chosen
	// language.
	Due     time.Time
	DueText string
	// DueKind says which deadline Due is, for agent mails:
	// "first_response" or "resolution".
	DueKind string
	// BusinessDays is the number of business days the policy promises for
	// this kind of request (deletion within 7, complaint contact within 5);
	// 0 leaves the sentence out.
	BusinessDays int

	Body     string        // agent reply, resolution summary, or notice text
	BodyHTML template.HTML // notice body as trusted, sanitized HTML; optional
	Quoted   string        // the customer's last message, quoted under a reply

	Code        string    // one-time verification code
	CodeExpires time.Time // when Code / VerifyURL stop working
	VerifyURL   string

	Notice Notice

	TicketURL string // link to the ticket in the agents' console (agent mails)

	// Extra carries values for brand-specific templates. Read optional keys
	// with {{index .Extra "key"}}: {{.Extra.key}} fails when the key is
	// missing (missingkey=error), and Load's sample data has no keys.
	Extra map[string]string
}

// Topic is the customer's subject with reply/forward prefixes ("Re:",
// "AW:", "回复：" ...), the ticket tag and line breaks removed, so a
// template can write "Re: {{.Topic}}" without piling up prefixes.
func (d Data) Topic() string {
	s := oneLine(d.Subject)
	if tag := "[" + d.TicketRef + "]"; d.TicketRef != "" {
		// Loop: removing one tag can join the halves of another.
		for strings.Contains(s, tag) {
			s = strings.ReplaceAll(s, tag, "")
		}
	}
	for {
		s = strings.TrimSpace(s)
		t := trimReplyPrefix(s)
		if t == s {
			break
		}
		s = t
	}
	return oneLine(s)
}

// trimReplyPrefix removes one leading reply or forward marker.
func trimReplyPrefix(s string) string {
	prefixes := []string{
		"re", "fw", "fwd", "aw", "wg", "sv", "vs", "tr", "rv", "rif", "r",
		"回复", "回覆", "答复", "转发", "轉寄", "返信", "転送",
	}
	for _, p := range prefixes {
		if len(s) < len(p) || !strings.EqualFold(s[:len(p)], p) {
			continue
		}
		rest := s[len(p):]
		// "Re[2]:" as some clients write it.
		if strings.HasPrefix(rest, "[") {
			if i := strings.IndexByte(rest, ']'); i > 0 && isDigits(rest[1:i]) {
				rest = rest[i+1:]
			}
		}
		for _, colon := range []string{":", "：", " :"} {
			if strings.HasPrefix(rest, colon) {
				return rest[len(colon):]
			}
		}
	}
	return s
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// oneLine turns control characters (CR, LF, TAB, and the Unicode line and
// paragraph separators) into spaces and collapses runs of spaces, so the
// result is safe in a header.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Rendered is one mail ready for sending: a single-line Subject, a plain
// text body (LF line endings, ending in one newline), and an HTML body
// when the template has one.
type Rendered struct {
	Subject string
	Text    string
	HTML    string // "" when the template has no HTML variant
	Lang    string // the language used, after fallback
}
