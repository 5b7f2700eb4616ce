// Package templates renders the mails the helpdesk sends: acknowledgements,
// privacy-rights acknowledgements, agent replies, resolved notices,
// identity-verification requests, policy-change notices and internal SLA
// alerts. It is a leaf package: callers pass plain data (Data, Brand) and
// get back a subject, a text part and an optional HTML part (Rendered).
//
// # Workflow
//
// At start-up, and in `helpdesk config check`, the caller runs Load once
// per brand with that brand's override directory ("" for none). Load reads
// the defaults embedded in the binary (default/), lets the directory's
// files replace them, parses everything, and then renders every template
// in every language with SampleData and again with sparse data. A syntax
// error, a reference to a field Data does not have, a missing
// {{define "subject"}}, an HTML file without its text twin, or a partial
// file that no longer defines a block the others use, therefore fails
// here, as a *FileError naming the file, and never at send time.
//
// At send time the outbox worker calls Set.Render(name, customerLang, data).
// Set is immutable and safe for concurrent use.
//
// # Files
//
// Each template is a pair of files named NAME.LANG.txt (text/template,
// required) and NAME.LANG.html (html/template, optional), where LANG is a
// bare lower-case tag (en, zh, de, ...). The subject is defined inside the
// text file:
//
//	{{define "subject"}}{{template "ref" .}}We have received your question{{end}}
//	{{template "greeting" .}}
//	...
//
// Files whose NAME starts with "_" are partials: every template of the same
// language and kind sees the blocks they define. The shipped partials
// define, per language:
//
//	ref        "[XY-1042] " when TicketRef is set, else nothing
//	greeting   "Dear Alex," / "王芳，您好！" (falls back without a name)
//	thread     the reference and "reply to this mail to keep the thread"
//	signature  the closing and "<shop> Customer Service"
//	footer     shop name, service hours (Brand.HoursIn), service address,
//	           privacy contact, reference; starts with the "-- " separator
//	layout     (HTML) the document; calls "content", then signature, footer
//	           and "after", which a template may define (reply quotes there)
//
// plus helpers for the rights and agent mails (bdays, verify_note,
// reply_by, due_kind, ticket_facts, agent_footer). Partials are needed for
// a language before templates in it can use them: a new language needs its
// own _partials.LANG.txt.
//
// Text output is tidied: LF line endings, no trailing blanks, at most one
// empty line in a row, one final newline, so files can be laid out for
// reading. HTML is produced by html/template, so customer-supplied values
// (names, subjects, quoted text, URLs) are escaped in context; text meant
// as HTML must arrive as Data.BodyHTML (template.HTML, already sanitized).
//
// # Overrides
//
// A brand's directory holds files with the same names. Each file present
// replaces the embedded file of the same name; new names and new
// languages are allowed. Two rules keep the result coherent:
//
//   - Overriding NAME.LANG.txt without NAME.LANG.html drops the embedded
//     HTML for NAME.LANG, so a rewritten text part never travels beside the
//     old HTML. Overriding only the .html keeps the embedded text.
//   - A partial file replacing an embedded one (e.g. _partials.en.txt) must
//     define every block the embedded one did. To change one block, add a
//     new partial instead (e.g. _brand.en.txt with {{define "signature"}}):
//     override partials are parsed after the embedded ones and win.
//
// Dot files and files with other extensions (README.md, *.orig) are
// ignored; a .txt or .html file whose name is not NAME.LANG.EXT is an error.
//
// # Language
//
// Render picks the first language the template exists in among: the
// customer's detected language, the brand's DefaultLanguage, "en" (each
// through NormalizeLang, so "zh-CN", "zh-Hans", "zh_TW" are "zh" and
// "en-US" is "en"); failing those, the template's first language
// alphabetically. Rendered.Lang reports the choice and templates see it as
// .Lang. Every template ships in en and zh (Simplified Chinese);
// ack.product, ack.logistics, ack.other and notice also ship in de, es, fr,
// it and ja.
//
// # Subjects and the ticket tag
//
// Templates put the tag in the subject themselves ({{template "ref" .}}),
// at the start: "[XY-1042] Re: Where is my order?". Render guarantees it:
// when Data.TicketRef is set and the rendered subject lacks "[REF]", Render
// prepends it, so a custom template cannot break reply threading. Subjects
// are always one line: control characters (CR, LF, TAB, U+2028/9) become
// spaces and runs of spaces collapse. Templates should use .Topic, the
// customer's subject without Re:/AW:/回复： prefixes and without the tag,
// rather than .Subject, so prefixes do not pile up.
//
// # Data in templates
//
// Templates see Data. Render sets .Lang and, when .DueText is empty and
// .Due is set, fills .DueText with FormatDue(.Due, .Lang), so a deadline
// reads "Wednesday 25 November, 18:00 (UTC+8)" or
// "11月25日（星期三）18:00（UTC+8）" in the shop's zone (pass Due already
// in it). Functions: formatDue T LANG, formatDate T LANG, quote S, and in
// HTML paragraphs S (escaped text as <p> blocks). Templates run with
// missingkey=error: {{.Extra.key}} fails when the key is absent, so read
// optional brand-specific values with {{index .Extra "key"}}.
//
// # Template names (the contract)
//
// The daemon relies on these names (see ContractNames); overrides may add
// others (for `tickets reply --template NAME`) but should not remove them.
// Besides Brand and TicketRef, each reads:
//
//	ack.product, ack.logistics, ack.other
//	    First reply to a new ticket (AckName picks one from the category).
//	    CustomerName, Subject, Due/DueText. Thanks, says what happens next
//	    and by when, gives the reference and asks to reply in the thread.
//	ack.rights.access, ack.rights.correction, ack.rights.deletion,
//	ack.rights.consent_withdrawal, ack.rights.complaint
//	    First reply to a privacy-rights request: what the right means under
//	    the shops' policies and what happens next. BusinessDays is the
//	    policy's promise (deletion within 7 business days, complaint contact
//	    within 5 working days ...; 0 leaves it out), Due/DueText the reply
//	    deadline. Access: a copy of the data after identity verification.
//	    Correction: what to send, corrected after verification. Deletion:
//	    deleted or anonymized except legally required records; open orders
//	    may become undeliverable. Consent withdrawal: takes effect
//	    immediately and does not affect processing done before. Complaint:
//	    we contact you within the stated days.
//	reply
//	    An agent's answer: Body, then signature and footer, then Quoted
//	    (the customer's last message) when set.
//	resolved
//	    The ticket was resolved; optional Body (a summary); reply to reopen.
//	verify
//	    Identity check for a rights request: Code and/or VerifyURL,
//	    CodeExpires; reply with the code in the body or open the link; "if
//	    you did not make this request, ignore this mail". The code is never
//	    put in the subject.
//	notice
//	    Policy-change notice: Notice.Title, Body (text) and BodyHTML
//	    (sanitized HTML, optional; the HTML part falls back to Body),
//	    Notice.Effective, the statement that continued use after that date
//	    means acceptance, and an unsubscribe line (Notice.UnsubscribeURL, or
//	    "reply unsubscribe") unless Notice.Mandatory.
//	agent.sla_warning, agent.sla_breach
//	    Internal mail to the agents' address (en, zh): TicketRef, Due/DueText,
//	    DueKind ("first_response" | "resolution"), CustomerName,
//	    CustomerEmail, Subject, Category, RightsType, TicketURL.
//
// The footer's service hours come from data: Brand.ServiceHoursByLang,
// which FormatServiceHours builds from the business calendar ("Monday to
// Friday, 09:00-18:00 (UTC+8), except public holidays"), falling back to
// Brand.ServiceHours.
package templates
