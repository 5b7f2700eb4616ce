package imapsource

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/emersion/go-imap/v2"
)

// ErrAuth marks a permanent authentication problem: the server refused the
// credentials or token, or it does not offer the configured mechanism.
// Retrying with the same settings will fail the same way, so a reconnect loop
// should back off hard (or stop and alert) instead of hammering the server,
// which may otherwise lock the account.
var ErrAuth = errors.New("imap authentication failed")

// ErrTooLarge marks a message larger than Options.MaxMessageSize. It is
// reported per message (see MessageError) and never stops a Fetch.
var ErrTooLarge = errors.New("message exceeds the size limit")

// codeExpungeIssued is RFC 9051's EXPUNGEISSUED response code: some of the
// requested messages were expunged by another session. go-imap has no
// constant for it.
const codeExpungeIssued imap.ResponseCode = "EXPUNGEISSUED"

// Error is the error every Session method returns for a failed operation.
// Temporary tells a reconnect loop what to do: true for network trouble and
// server-side "try later" answers (reconnect with backoff), false for
// configuration problems (bad credentials, missing folder, unsupported
// mechanism) that a retry cannot fix. After any *Error with Temporary set
// the Session should be closed and a new one dialled.
type Error struct {
	Temporary bool
	Op        string // "dial", "starttls", "login", "select", "search", "fetch", "store", "move", "create", "idle", "logout"
	Err       error
}

// Error names the operation and the cause.
func (e *Error) Error() string { return "imap " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying error, so errors.Is(err, ErrAuth) and
// errors.As(err, **imap.Error) work.
func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is an *Error marked Temporary.
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary
}

// MessageError describes one message that could not be fetched. Fetch hands
// it to the callback instead of failing, so one bad message never blocks the
// messages after it.
type MessageError struct {
	UID uint32
	Err error
}

// Error names the message by UID.
func (e *MessageError) Error() string { return fmt.Sprintf("message uid %d: %v", e.UID, e.Err) }

// Unwrap returns the underlying error.
func (e *MessageError) Unwrap() error { return e.Err }

// wrap classifies err for operation op. ctx is consulted first: when the
// caller cancelled, the connection was closed on purpose and the error is the
// context's, not a network failure.
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return &Error{Temporary: false, Op: op, Err: err}
	}
	return &Error{Temporary: isTemporary(err), Op: op, Err: err}
}

// isTemporary decides whether a failure may go away by reconnecting later.
func isTemporary(err error) bool {
	if errors.Is(err, ErrAuth) {
		return false
	}
	var imapErr *imap.Error
	if errors.As(err, &imapErr) {
		switch imapErr.Code {
		case imap.ResponseCodeUnavailable, imap.ResponseCodeInUse, imap.ResponseCodeLimit,
			imap.ResponseCodeServerBug, imap.ResponseCodeContactAdmin:
			return true
		}
		// A BYE is the server hanging up (shutdown, idle timeout).
		return imapErr.Type == imap.StatusResponseTypeBye
	}
	// A certificate the configuration does not trust, or a TLS handshake
	// with something that does not speak TLS, is a setup problem.
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &recErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) {
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// Anything else from a broken connection (TLS alerts, protocol parse
	// errors after a truncated read) is best handled by reconnecting.
	return !isIMAPStatus(err)
}

func isIMAPStatus(err error) bool {
	var imapErr *imap.Error
	return errors.As(err, &imapErr)
}

// authError turns a refused login into a permanent ErrAuth, except when the
// server says the refusal is temporary (UNAVAILABLE: the auth backend is down).
func authError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return wrap(ctx, op, err)
	}
	var imapErr *imap.Error
	if errors.As(err, &imapErr) {
		if imapErr.Code == imap.ResponseCodeUnavailable {
			return &Error{Temporary: true, Op: op, Err: err}
		}
		if imapErr.Type == imap.StatusResponseTypeNo || imapErr.Type == imap.StatusResponseTypeBad {
			return &Error{Temporary: false, Op: op, Err: fmt.Errorf("%w: %w", ErrAuth, err)}
		}
	}
	return wrap(ctx, op, err)
}
