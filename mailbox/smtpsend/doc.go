// Package smtpsend builds outgoing helpdesk mail and submits it over SMTP.
//
// # Workflow
//
// The outbox worker owns one Sender (a Sender is not safe for concurrent
// use) and, for each claimed row, either calls Send with a Mail, or renders
// once with Render, stores the bytes as our sent copy, and later calls
// SendRaw with those bytes so that every retry transmits the identical
// message (same Message-ID, same MIME boundaries):
//
//	raw, err := smtpsend.Render(m)        // RFC 5322 bytes, CRLF
//	// store raw in the ticket thread ...
//	reply, err := sender.SendRaw(ctx, m.Envelope(), raw)
//	if err != nil && smtpsend.IsPermanent(err) { /* give up, mark failed */ }
//	if err != nil { /* schedule a retry */ }
//
// # Message construction
//
// go-mail renders the MIME structure (text/plain, optional text/html
// alternative, attachments; quoted-printable bodies; RFC 2047 encoded words
// for non-ASCII subjects and display names). On top of it Render:
//   - uses the caller's Message-ID verbatim (go-mail would invent one);
//   - writes References as one white-space separated list of msg-ids folded
//     at spaces (RFC 5322 section 3.6.4; go-mail would join values with
//     commas), trimmed to the thread root plus the latest IDs;
//   - sets Auto-Submitted (RFC 3834) only when asked;
//   - omits go-mail's User-Agent/X-Mailer;
//   - turns every caller-supplied header text into a single line (CR, LF and
//     other controls become spaces), so a subject decoded from a customer's
//     "=?utf-8?q?Hi=0D=0ABcc:...?=" cannot add a header;
//   - refuses extra headers that would replace the ones it sets itself.
//
// # Sending
//
// A Sender dials lazily through go-mail (implicit TLS, mandatory STARTTLS,
// or plain text for loopback), authenticates (PLAIN/LOGIN, XOAUTH2, or
// OAUTHBEARER per RFC 7628) and keeps the session for the next message.
// It then drives the go-mail SMTP client itself (MAIL, RCPT, DATA) instead
// of go-mail's Client.Send, because it needs the exact reply of each step,
// no NOOP/RSET round trips around every message, and to transmit bytes it
// rendered and signed beforehand. A connection found dead at MAIL FROM
// (nothing sent yet) is redialed once transparently; a connection idle for
// a minute is replaced before use. ctx cancellation closes the connection,
// which ends any blocked I/O at once.
//
// With Options.DKIM set, every message is signed (RFC 6376, relaxed/relaxed,
// SHA-256) over From, To, Cc, Subject, Date, Message-ID, In-Reply-To,
// References, Reply-To, Auto-Submitted, MIME-Version, Content-Type and the
// RFC 8058 List-Unsubscribe fields, oversigning the address fields and
// Subject.
//
// # Errors
//
// Every failure is a *SendError naming the stage (connect, auth, mail, rcpt,
// data, or message for mail we refuse to build) with the SMTP code and
// RFC 3463 enhanced status. 5xx replies to MAIL, RCPT and DATA are
// permanent; 4xx replies, network errors, timeouts and cancellation are
// temporary, and so are connect and auth failures whatever their code:
// they say nothing about the message, and the operator can fix the
// configuration while the outbox retries.
package smtpsend
