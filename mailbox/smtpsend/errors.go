package smtpsend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"regexp"
	"strings"
)

// Stages name the point of the SMTP conversation at which a send failed.
const (
	StageMessage = "message" // the mail could not be built or its envelope is invalid; nothing was sent
	StageConnect = "connect" // dial, TLS, greeting, EHLO, STARTTLS
	StageAuth    = "auth"    // AUTH
	StageMail    = "mail"    // MAIL FROM
	StageRcpt    = "rcpt"    // RCPT TO
	StageData    = "data"    // DATA, the body and the reply to the final dot
)

// SendError is the one error type Send and SendRaw return. Temporary says
// whether the same message may succeed if sent again later; the outbox uses
// it to choose between retrying and giving up.
type SendError struct {
	Temporary    bool
	Code         int    // SMTP reply code, 0 when the failure was not a server reply
	EnhancedCode string // RFC 3463 status such as "5.1.1", "" when the server gave none
	Stage        string // one of the Stage constants
	Msg          string // the server's reply text, or a short description
	Rcpt         string // the rejected recipient when Stage is "rcpt"
	Err          error  // the underlying error, if any
}

// Error implements error.
func (e *SendError) Error() string {
	var b strings.Builder
	b.WriteString("smtp ")
	b.WriteString(e.Stage)
	if e.Rcpt != "" {
		b.WriteString(" <" + e.Rcpt + ">")
	}
	if e.Temporary {
		b.WriteString(" (temporary)")
	} else {
		b.WriteString(" (permanent)")
	}
	b.WriteString(": ")
	if e.Code != 0 {
		fmt.Fprintf(&b, "%d ", e.Code)
		if e.EnhancedCode != "" && !strings.HasPrefix(e.Msg, e.EnhancedCode) {
			b.WriteString(e.EnhancedCode + " ")
		}
	}
	switch {
	case e.Msg != "":
		b.WriteString(e.Msg)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err says the message can never be delivered as
// it is (a 5xx reply to MAIL, RCPT or DATA, or a message we cannot build).
// Network errors, timeouts, 4xx replies, failures while connecting or
// authenticating, and errors of unknown type are not permanent.
func IsPermanent(err error) bool {
	var se *SendError
	if errors.As(err, &se) {
		return !se.Temporary
	}
	return false
}

var enhancedRE = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}\b`)

// classify turns whatever the go-mail SMTP client returned at stage into a
// *SendError.
//
// Replies are *textproto.Error values; anything else (EOF, reset, timeout,
// TLS failures) is a transport failure and therefore temporary. Failures
// before a transaction starts (connect, auth) are always temporary: they say
// nothing about this message, and the operator can fix the configuration
// while the outbox retries. Code still carries the reply for them.
func classify(stage string, err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	out := &SendError{Stage: stage, Err: err, Temporary: true}
	var te *textproto.Error
	if errors.As(err, &te) {
		out.Code = te.Code
		out.Msg = strings.ReplaceAll(te.Msg, "\n", " ")
		out.EnhancedCode = enhancedRE.FindString(te.Msg)
		if te.Code >= 500 && te.Code < 600 && stage != StageConnect && stage != StageAuth {
			out.Temporary = false
		}
		return out
	}
	out.Msg = transportMsg(err)
	return out
}

// transportMsg gives a short description of a non-reply error.
func transportMsg(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout: " + err.Error()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by server"
	}
	return err.Error()
}

// isTransport reports whether e came from the connection rather than from a
// server reply, or is a 421 (the server is closing the connection).
func (e *SendError) isTransport() bool {
	return e.Code == 0 || e.Code == 421
}

// messageError reports a mail we refuse to send as built.
func messageError(err error) *SendError {
	return &SendError{Stage: StageMessage, Msg: err.Error(), Err: err}
}
