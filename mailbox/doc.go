// Package mailbox is the mail edge of the helpdesk: it turns raw messages
// into Message values and tells person-written mail from automated mail.
// The subpackages move mail in and out: imapsource fetches from the service
// mailbox (IDLE and polling), smtpsend delivers our replies, and imaptest /
// smtptest provide servers for tests.
//
// # Workflow
//
// The ingest path calls Parse once per fetched message:
//
//  1. The header section (RFC 5322 section 2.2) is split off leniently and
//     read with go-message's textproto reader. Field values are made UTF-8:
//     raw 8-bit bytes are guessed (UTF-8, then GB18030, then
//     windows-1252), then RFC 2047 encoded-words are decoded, joining
//     adjacent words so multi-byte characters split across them survive.
//     Addresses, Message-ID / In-Reply-To / References (section 3.6.4) and
//     Date (section 3.3) are parsed leniently: broken input degrades to ""
//     or the zero time, never to an error.
//  2. The MIME tree (RFC 2045, 2046) is walked over the in-memory bytes.
//     Transfer encodings are undone tolerantly (truncated base64, bad
//     quoted-printable escapes), charsets are converted with our own lookup
//     over golang.org/x/text (widening GB2312/GBK to GB18030 and Big5
//     labels to Big5 as mail in the wild needs; no package variable such as
//     message.CharsetReader is touched), and RFC 2231 parameters
//     (continuations, charset'lang' prefixes) give attachment names.
//     multipart/alternative prefers text/plain; HTML-only mail is rendered
//     to text. Every part that is not body text becomes an Attachment.
//  3. The body text is split into the sender's new text, quoted history and
//     signature, for classification and for agents.
//  4. Automated-mail detection looks at RFC 3834 Auto-Submitted,
//     Precedence, list fields (RFC 2369, 2919), de-facto autoresponder
//     headers, delivery status reports (multipart/report, RFC 3462/6522 with
//     RFC 3464 delivery-status, from which the Message-IDs of the bounced
//     originals are taken), the null Return-Path, no-reply and
//     MAILER-DAEMON senders, our own addresses, and unambiguous subject
//     prefixes. Automated mail never gets an automatic reply.
//
// Problems never abort parsing: each one adds a note to
// Message.ParseErrors and whatever could be read is kept, down to the raw
// body as Text when nothing else is readable.
//
// IsNoReplyAddress and NormalizeEmail are shared with the rest of the
// daemon for loop protection and customer keys. RewriteText walks a message
// the same way and rewrites the text a reader would see (erasure uses it
// to remove a person from encoded headers and parts).
package mailbox
