package smtpsend

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	gomailsmtp "github.com/wneessen/go-mail/smtp"
)

// maxIdle is how long a connection may sit unused before the next send
// dials afresh instead: servers close idle sessions after a few minutes
// (RFC 5321 section 4.5.3.2.7), and a NAT that silently forgot the flow
// would otherwise cost a full Timeout.
const maxIdle = time.Minute

// Sender sends mail over one SMTP connection that it keeps open between
// Send calls and re-dials when it was lost. A Sender is not safe for
// concurrent use: give each outbox worker goroutine its own.
type Sender struct {
	opts    Options
	logger  *slog.Logger
	client  *gomail.Client // configuration and session setup (dial, TLS, EHLO)
	signer  *dkimSigner    // nil without DKIM
	maxIdle time.Duration

	conn     *gomailsmtp.Client // the open session; nil when not connected
	link     *connRef           // the network connection under conn
	dialing  *connRef           // filled by dial during connect
	txns     int                // transactions completed on conn
	lastUsed time.Time
}

// connRef holds the net.Conn of one session so that a canceled context can
// close it from another goroutine.
type connRef struct {
	mu      sync.Mutex
	conn    net.Conn
	aborted bool
}

func (r *connRef) set(c net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conn = c
	if r.aborted {
		_ = c.Close()
	}
}

// abort closes the connection, failing any I/O in progress at once.
func (r *connRef) abort() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.aborted = true
	if r.conn != nil {
		_ = r.conn.Close()
	}
}

func (r *connRef) setDeadline(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conn != nil {
		_ = r.conn.SetDeadline(t)
	}
}

// NewSender checks opts and prepares a Sender; it does not connect yet.
// A nil logger discards logs.
func NewSender(opts Options, logger *slog.Logger) (*Sender, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Sender{opts: o, logger: logger.With("smtp", net.JoinHostPort(o.Host, strconv.Itoa(o.Port))), maxIdle: maxIdle}
	if o.DKIM != nil {
		if s.signer, err = newDKIMSigner(o.DKIM); err != nil {
			return nil, err
		}
	}
	s.client, err = gomail.NewClient(o.Host, o.clientOptions(s.dial)...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return s, nil
}

// dial opens the network connection for go-mail and records it.
func (s *Sender) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{}
	var conn net.Conn
	var err error
	if s.opts.Security == SecurityTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.opts.TLSConfig}).DialContext(ctx, network, addr)
	} else {
		conn, err = d.DialContext(ctx, network, addr)
	}
	if err != nil {
		return nil, err
	}
	if s.dialing != nil {
		s.dialing.set(conn)
	}
	return conn, nil
}

// Send renders m and sends it; see SendRaw. The reply is the server's answer
// to the message, such as "250 2.0.0 Ok: queued as 4Bx".
func (s *Sender) Send(ctx context.Context, m *Mail) (serverReply string, err error) {
	raw, err := Render(m)
	if err != nil {
		return "", messageError(err)
	}
	return s.SendRaw(ctx, m.Envelope(), raw)
}

// SendRaw sends raw (CRLF line endings, as Render makes them) to env,
// prepending a DKIM signature when configured. It dials when there is no open
// connection. If the open connection turns out to be dead at MAIL FROM,
// nothing was sent, so it dials once more and retries transparently.
//
// Every error is a *SendError. When any recipient is refused the
// transaction is abandoned (nobody gets the message); the error names the
// recipient and is temporary if any refusal was.
func (s *Sender) SendRaw(ctx context.Context, env Envelope, raw []byte) (serverReply string, err error) {
	if err := checkEnvelope(env); err != nil {
		return "", messageError(err)
	}
	if err := ctx.Err(); err != nil {
		// Don't let an already-dead context tear down a good connection.
		return "", &SendError{Stage: StageConnect, Temporary: true, Msg: transportMsg(err), Err: err}
	}
	if s.signer != nil {
		if raw, err = s.signer.sign(raw); err != nil {
			return "", messageError(err)
		}
	}
	if s.conn != nil && time.Since(s.lastUsed) > s.maxIdle {
		s.logger.Debug("smtp connection idle too long; redialing", "idle", time.Since(s.lastUsed).Round(time.Second))
		s.hangUp()
	}
	for attempt := 0; ; attempt++ {
		reused := s.conn != nil
		if !reused {
			if err := s.connect(ctx); err != nil {
				return "", err
			}
		}
		reply, se := s.transact(ctx, env, raw)
		if se == nil {
			return reply, nil
		}
		if reused && attempt == 0 && se.Stage == StageMail && se.isTransport() && ctx.Err() == nil {
			s.logger.Debug("smtp connection lost while idle; redialing", "err", se)
			continue
		}
		return "", se
	}
}

func checkEnvelope(env Envelope) error {
	if env.From != "" && !validAddr(env.From) {
		return fmt.Errorf("invalid envelope sender %q", env.From)
	}
	if len(env.To) == 0 {
		return errors.New("no recipients")
	}
	for _, r := range env.To {
		if !validAddr(r) {
			return fmt.Errorf("invalid envelope recipient %q", r)
		}
	}
	return nil
}

// connect dials, runs EHLO/STARTTLS through go-mail, then authenticates.
func (s *Sender) connect(ctx context.Context) error {
	ref := &connRef{}
	s.dialing = ref
	stop := context.AfterFunc(ctx, ref.abort)
	defer stop()
	client, err := s.client.DialToSMTPClientWithContext(ctx)
	s.dialing = nil
	if err != nil {
		// go-mail leaves the connection open when EHLO or STARTTLS fail.
		ref.abort()
		return s.ctxError(ctx, StageConnect, err)
	}
	if err := s.authenticate(client); err != nil {
		ref.abort()
		return s.ctxError(ctx, StageAuth, err)
	}
	if ctx.Err() != nil {
		ref.abort()
		return s.ctxError(ctx, StageConnect, ctx.Err())
	}
	s.conn, s.link, s.txns, s.lastUsed = client, ref, 0, time.Now()
	s.logger.Debug("smtp connected", "security", s.opts.Security, "auth", s.opts.Auth)
	return nil
}

func (s *Sender) authenticate(c *gomailsmtp.Client) error {
	_, advertised := c.Extension("AUTH")
	a, err := s.opts.authFor(advertised)
	if err != nil || a == nil {
		return err
	}
	return c.Auth(a)
}

// transact runs one MAIL/RCPT/DATA transaction on the open connection.
func (s *Sender) transact(ctx context.Context, env Envelope, raw []byte) (string, *SendError) {
	link, c := s.link, s.conn
	stop := context.AfterFunc(ctx, link.abort)
	defer stop()
	link.setDeadline(time.Now().Add(s.opts.Timeout))
	s.lastUsed = time.Now()

	if err := c.Mail(pathArg(env.From)); err != nil {
		return "", s.fail(ctx, StageMail, err, true)
	}
	var refused *SendError
	for _, rcpt := range env.To {
		err := c.Rcpt(pathArg(rcpt))
		if err == nil {
			continue
		}
		se := classify(StageRcpt, err)
		if se.isTransport() || ctx.Err() != nil {
			return "", s.fail(ctx, StageRcpt, err, false)
		}
		se.Rcpt = rcpt
		if refused == nil || (se.Temporary && !refused.Temporary) {
			refused = se
		}
	}
	if refused != nil {
		s.reset()
		return "", refused
	}
	w, err := c.Data()
	if err != nil {
		return "", s.fail(ctx, StageData, err, true)
	}
	if _, err := w.Write(raw); err != nil {
		return "", s.fail(ctx, StageData, err, false)
	}
	// Close sends the final dot and reads the reply; the transaction is over
	// either way, so a refusal needs no RSET.
	if err := w.Close(); err != nil {
		return "", s.fail(ctx, StageData, err, false)
	}
	s.txns++
	s.lastUsed = time.Now()
	if dc, ok := w.(*gomailsmtp.DataCloser); ok && dc.ServerResponse() != "" {
		return "250 " + dc.ServerResponse(), nil
	}
	return "250 OK", nil
}

// fail classifies err and leaves the session usable for the next message:
// after a transport failure or cancellation the connection is dropped; after
// a refused command inside a transaction, RSET clears it.
func (s *Sender) fail(ctx context.Context, stage string, err error, inTransaction bool) *SendError {
	se := s.ctxError(ctx, stage, err)
	switch {
	case ctx.Err() != nil || se.isTransport():
		s.hangUp()
	case inTransaction:
		s.reset()
	}
	return se
}

// ctxError classifies err, blaming the context when it ended: its closing the
// connection is what made the I/O fail.
func (s *Sender) ctxError(ctx context.Context, stage string, err error) *SendError {
	if cerr := ctx.Err(); cerr != nil {
		return &SendError{Stage: stage, Temporary: true, Msg: transportMsg(cerr), Err: errors.Join(cerr, err)}
	}
	return classify(stage, err)
}

// reset sends RSET; a session that cannot even do that is dropped.
func (s *Sender) reset() {
	if err := s.conn.Reset(); err != nil {
		s.logger.Debug("smtp RSET failed; dropping connection", "err", err)
		s.hangUp()
	}
}

// hangUp drops the connection without QUIT.
func (s *Sender) hangUp() {
	if s.link != nil {
		s.link.abort()
	}
	s.conn, s.link, s.txns = nil, nil, 0
}

// Close ends the session politely (QUIT) if one is open. The Sender stays
// usable: a later Send dials again.
func (s *Sender) Close() error {
	if s.conn == nil {
		return nil
	}
	c, link := s.conn, s.link
	s.conn, s.link, s.txns = nil, nil, 0
	link.setDeadline(time.Now().Add(5 * time.Second))
	err := c.Quit()
	link.abort()
	if err != nil {
		return fmt.Errorf("smtp quit: %w", err)
	}
	return nil
}

// pathArg formats an SMTP reverse- or forward-path; "" is the null path.
func pathArg(addr string) string {
	return "<" + addr + ">"
}
