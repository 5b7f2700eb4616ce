package imapsource

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// closeGrace bounds how long a polite shutdown (DONE after IDLE, LOGOUT) may
// wait for the server before the connection is simply dropped.
const closeGrace = 5 * time.Second

// Session is one authenticated IMAP connection with Options.Folder
// selected. It is not safe for concurrent use: the ingest loop owns it and
// calls one method at a time. After a method returns an *Error with
// Temporary set, Close the session and Dial a new one. Cancelling the ctx of
// a call aborts it by closing the connection (except WaitForNew, which ends
// IDLE politely), so the session is then dead too.
type Session struct {
	opts   Options
	log    *slog.Logger
	conn   net.Conn // the raw TCP (or TLS) connection, closed to abort I/O on ctx cancel
	client *imapclient.Client
	caps   imap.CapSet

	uidValidity uint32
	buffers     offHeap // large fetched messages, until Release

	// exists tracks the server's message count from EXISTS/EXPUNGE
	// responses; newMail gets a token whenever it grows. Both are written by
	// the client's reader goroutine.
	mu      sync.Mutex
	exists  uint32
	newMail chan struct{}

	destReady bool // the move destination is known to exist
	closeOnce sync.Once
	closeErr  error
}

// Dial connects to the server, secures the connection as configured,
// authenticates and SELECTs the folder. Errors are *Error values: errors.Is(err,
// ErrAuth) for refused credentials or a missing mechanism (permanent);
// Temporary for network trouble. ctx bounds the whole handshake; cancelling
// it later does not affect the returned Session.
func Dial(ctx context.Context, opts Options) (*Session, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, &Error{Op: "dial", Err: fmt.Errorf("invalid options: %w", err)}
	}
	s := &Session{
		opts:    o,
		log:     o.Logger.With("imap_host", o.Host, "imap_user", o.Username, "folder", o.Folder),
		newMail: make(chan struct{}, 1),
	}
	if err := s.connect(ctx); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()
	if err := s.authenticate(ctx); err != nil {
		s.client.Close()
		return nil, err
	}
	if err := s.selectFolder(ctx); err != nil {
		s.client.Close()
		return nil, err
	}
	s.log.Debug("imap session ready", "uidvalidity", s.uidValidity, "exists", s.exists, "idle", s.SupportsIdle())
	return s, nil
}

func (s *Session) tlsConfig() *tls.Config {
	var cfg *tls.Config
	if s.opts.TLSConfig != nil {
		cfg = s.opts.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.opts.Host
	}
	if cfg.NextProtos == nil && s.opts.Security == SecurityTLS {
		cfg.NextProtos = []string{"imap"}
	}
	return cfg
}

// connect opens the connection and waits for the greeting (after STARTTLS
// when configured).
func (s *Session) connect(ctx context.Context) error {
	addr := net.JoinHostPort(s.opts.Host, strconv.Itoa(s.opts.Port))
	dctx, cancel := context.WithTimeout(ctx, s.opts.DialTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		return wrap(ctx, "dial", err)
	}
	if s.opts.Security == SecurityTLS {
		tlsConn := tls.Client(conn, s.tlsConfig())
		if err := tlsConn.HandshakeContext(dctx); err != nil {
			conn.Close()
			return wrap(ctx, "dial", fmt.Errorf("tls handshake with %s: %w", addr, err))
		}
		conn = tlsConn
	}
	s.conn = conn
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	defer stop()

	clientOpts := &imapclient.Options{
		TLSConfig: s.tlsConfig(),
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: s.onMailbox,
			Expunge: s.onExpunge,
		},
	}
	if s.opts.Security == SecurityStartTLS {
		c, err := imapclient.NewStartTLS(conn, clientOpts)
		if err != nil {
			conn.Close()
			return wrap(ctx, "starttls", err)
		}
		s.client = c
	} else {
		s.client = imapclient.New(conn, clientOpts)
	}
	if err := s.client.WaitGreeting(); err != nil {
		s.client.Close()
		return wrap(ctx, "dial", fmt.Errorf("greeting from %s: %w", addr, err))
	}
	return nil
}

func (s *Session) authenticate(ctx context.Context) error {
	caps := s.client.Caps()
	if s.client.State() == imap.ConnStateAuthenticated {
		return nil // PREAUTH
	}
	switch s.opts.Auth {
	case AuthPassword:
		if caps.Has(imap.CapLoginDisabled) {
			return &Error{Op: "login", Err: fmt.Errorf("%w: server disables LOGIN on this connection (use security tls or starttls)", ErrAuth)}
		}
		if err := s.client.Login(s.opts.Username, s.opts.Password).Wait(); err != nil {
			return authError(ctx, "login", err)
		}
	case AuthXOAuth2, AuthOAuthBearer:
		mech := strings.ToUpper(s.opts.Auth)
		if !hasMech(caps, mech) {
			return &Error{Op: "login", Err: fmt.Errorf("%w: server does not offer AUTH=%s (offers %s)",
				ErrAuth, mech, strings.Join(caps.AuthMechanisms(), " "))}
		}
		var client sasl.Client
		if s.opts.Auth == AuthXOAuth2 {
			client = NewXOAuth2Client(s.opts.Username, s.opts.Token)
		} else {
			client = NewOAuthBearerClient(s.opts.Username, s.opts.Token, s.opts.Host, s.opts.Port)
		}
		if err := s.client.Authenticate(client); err != nil {
			if detail := client.(*oauthClient).serverError; detail != "" {
				err = fmt.Errorf("%w (server said %s)", err, detail)
			}
			return authError(ctx, "login", err)
		}
	}
	// Capabilities usually grow after login (IDLE, MOVE); fetch them anew.
	s.caps = s.client.Caps()
	return nil
}

func hasMech(caps imap.CapSet, mech string) bool {
	for _, m := range caps.AuthMechanisms() {
		if strings.EqualFold(m, mech) {
			return true
		}
	}
	return false
}

func (s *Session) selectFolder(ctx context.Context) error {
	data, err := s.client.Select(s.opts.Folder, nil).Wait()
	if err != nil {
		var imapErr *imap.Error
		if errors.As(err, &imapErr) && imapErr.Type == imap.StatusResponseTypeNo && !isTemporary(err) {
			return &Error{Op: "select", Err: fmt.Errorf("folder %q: %w", s.opts.Folder, err)}
		}
		return wrap(ctx, "select", fmt.Errorf("folder %q: %w", s.opts.Folder, err))
	}
	s.uidValidity = data.UIDValidity
	s.mu.Lock()
	s.exists = data.NumMessages
	s.mu.Unlock()
	return nil
}

// onMailbox runs on the client's reader goroutine for unilateral mailbox
// updates; it must not block.
func (s *Session) onMailbox(data *imapclient.UnilateralDataMailbox) {
	if data.NumMessages == nil {
		return
	}
	s.mu.Lock()
	grew := *data.NumMessages > s.exists
	s.exists = *data.NumMessages
	s.mu.Unlock()
	if grew {
		select {
		case s.newMail <- struct{}{}:
		default: // a wake-up is already pending; one is enough
		}
	}
}

func (s *Session) onExpunge(uint32) {
	s.mu.Lock()
	if s.exists > 0 {
		s.exists--
	}
	s.mu.Unlock()
}

// UIDValidity returns the folder's UIDVALIDITY from SELECT. When it differs
// from the value stored with a checkpoint, the stored UIDs are meaningless
// (RFC 9051 section 2.3.1.1) and the folder must be scanned from UID 1.
func (s *Session) UIDValidity() uint32 { return s.uidValidity }

// Folder returns the selected folder's name.
func (s *Session) Folder() string { return s.opts.Folder }

// SupportsIdle reports whether the server offers IDLE (RFC 2177), directly or
// as part of IMAP4rev2.
func (s *Session) SupportsIdle() bool { return s.caps.Has(imap.CapIdle) }

// Close logs out politely (bounded by a few seconds) and closes the
// connection. It is safe to call more than once.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		select {
		case <-s.client.Closed():
			// Already broken (or aborted by a cancelled ctx); the failing
			// call has reported why.
			s.client.Close()
			return
		default:
		}
		t := time.AfterFunc(closeGrace, func() { s.conn.Close() })
		err := s.client.Logout().Wait()
		t.Stop()
		if err != nil {
			s.log.Debug("imap logout", "err", err)
		}
		if err := s.client.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.closeErr = &Error{Temporary: true, Op: "logout", Err: err}
		}
	})
	return s.closeErr
}
