package smtptest

import (
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"helpdesk/mailbox/smtpsend"
)

// Stages at which failures can be injected.
const (
	StageMail = "mail" // MAIL FROM
	StageRcpt = "rcpt" // RCPT TO
	StageData = "data" // the reply to the message body (or the body itself, for DropNext)
)

// Received is one message the server accepted.
type Received struct {
	From string   // MAIL FROM path, "" for the null path
	To   []string // RCPT TO paths in order
	Data []byte   // the message as transmitted (dot-unstuffed); nil with DiscardBodies
	At   time.Time
}

// Option configures Start.
type Option func(*config)

type config struct {
	discard      bool
	user, secret string
	tlsMode      string // "", "starttls", "tls"
}

// DiscardBodies keeps no messages, only the count: for benchmarks that send
// many thousands of mails. Messages and WaitFor then return nil.
func DiscardBodies() Option { return func(c *config) { c.discard = true } }

// WithAuth requires authentication before MAIL. The server offers PLAIN
// (user and secret as the password), and OAUTHBEARER and XOAUTH2 (secret as
// the token). Options then returns password auth for user.
func WithAuth(user, secret string) Option {
	return func(c *config) { c.user, c.secret = user, secret }
}

// WithStartTLS offers STARTTLS with a fresh self-signed certificate;
// Options then asks for starttls and trusts that certificate.
func WithStartTLS() Option { return func(c *config) { c.tlsMode = smtpsend.SecurityStartTLS } }

// WithImplicitTLS serves TLS from the first byte (like port 465); Options
// then asks for tls and trusts the certificate.
func WithImplicitTLS() Option { return func(c *config) { c.tlsMode = smtpsend.SecurityTLS } }

// Server is an SMTP server on 127.0.0.1 that records what it receives and
// can be told to fail. Its methods are safe for concurrent use.
type Server struct {
	Addr string // host:port
	Host string // always 127.0.0.1
	Port int

	cfg       config
	srv       *smtp.Server
	clientTLS *tls.Config

	mu      sync.Mutex
	msgs    []Received
	count   int
	conns   int
	faults  map[string]*fault
	drops   map[string]int
	delay   time.Duration
	changed chan struct{} // closed and replaced whenever count grows
}

type fault struct {
	code     int
	enhanced smtp.EnhancedCode
	times    int // < 0: always
}

// Start serves on 127.0.0.1:0 until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		Host:    "127.0.0.1",
		faults:  make(map[string]*fault),
		drops:   make(map[string]int),
		changed: make(chan struct{}),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "smtptest.localhost"
	srv.AllowInsecureAuth = true
	srv.EnableSMTPUTF8 = true
	srv.MaxRecipients = 100
	srv.MaxMessageBytes = 64 << 20
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = discardLogger{}
	s.srv = srv

	var ln net.Listener
	var err error
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	if s.cfg.tlsMode != "" {
		serverTLS, clientTLS, err := selfSignedTLS(s.Host)
		if err != nil {
			_ = ln.Close()
			t.Fatalf("smtptest: %v", err)
		}
		s.clientTLS = clientTLS
		if s.cfg.tlsMode == smtpsend.SecurityTLS {
			ln = tls.NewListener(ln, serverTLS)
		} else {
			srv.TLSConfig = serverTLS
		}
	}
	s.Addr = ln.Addr().String()
	s.Port = ln.Addr().(*net.TCPAddr).Port
	ln = &countingListener{Listener: ln, s: s}

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		// Close only closes listeners Serve has registered; if the test
		// ended before the goroutine got that far, this unblocks it.
		_ = ln.Close()
		<-done
	})
	return s
}

// Options returns sender options that reach this server.
func (s *Server) Options() smtpsend.Options {
	o := smtpsend.Options{
		Host:     s.Host,
		Port:     s.Port,
		Security: smtpsend.SecurityNone,
		Auth:     smtpsend.AuthNone,
		HeloName: "client.localhost",
		Timeout:  10 * time.Second,
	}
	if s.cfg.tlsMode != "" {
		o.Security = s.cfg.tlsMode
		o.TLSConfig = s.clientTLS.Clone()
	}
	if s.cfg.user != "" {
		o.Auth, o.Username, o.Password = smtpsend.AuthPassword, s.cfg.user, s.cfg.secret
	}
	return o
}

// Messages returns a copy of the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// Count is the number of messages accepted so far.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Connections is the number of connections accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// WaitFor waits until at least n messages were accepted and returns them;
// it fails the test after timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		count, changed := s.count, s.changed
		s.mu.Unlock()
		if count >= n {
			return s.Messages()
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("smtptest: got %d messages, want %d within %v", count, n, timeout)
			return nil
		}
	}
}

// Fail makes the server answer code (4xx or 5xx) with the enhanced status
// (such as "4.2.1"; "" for none) at stage the next times times; times < 0
// means always and 0 clears the fault. At StageData the body is read first
// and the reply to the final dot carries the failure.
func (s *Server) Fail(stage string, code int, enhanced string, times int) {
	mustStage(stage)
	if code < 400 || code > 599 {
		panic(fmt.Sprintf("smtptest: Fail code %d is not 4xx or 5xx", code))
	}
	ec, err := parseEnhanced(enhanced)
	if err != nil {
		panic("smtptest: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if times == 0 {
		delete(s.faults, stage)
		return
	}
	s.faults[stage] = &fault{code: code, enhanced: ec, times: times}
}

// DropNext closes the connection, without a reply, the next time a client
// reaches stage.
func (s *Server) DropNext(stage string) {
	mustStage(stage)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drops[stage]++
}

// SetDelay makes the server wait d before answering MAIL, RCPT and the
// message body; 0 removes the delay.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

func mustStage(stage string) {
	switch stage {
	case StageMail, StageRcpt, StageData:
	default:
		panic(fmt.Sprintf("smtptest: unknown stage %q", stage))
	}
}

func parseEnhanced(s string) (smtp.EnhancedCode, error) {
	if s == "" {
		return smtp.NoEnhancedCode, nil
	}
	var ec smtp.EnhancedCode
	if _, err := fmt.Sscanf(s, "%d.%d.%d", &ec[0], &ec[1], &ec[2]); err != nil ||
		s != fmt.Sprintf("%d.%d.%d", ec[0], ec[1], ec[2]) {
		return ec, fmt.Errorf("bad enhanced status %q", s)
	}
	return ec, nil
}

// injected returns what the server should do at stage: drop the
// connection, answer with an error, or go on; it also applies the delay.
func (s *Server) injected(stage string) (drop bool, err error) {
	s.mu.Lock()
	delay := s.delay
	if s.drops[stage] > 0 {
		s.drops[stage]--
		drop = true
	} else if f := s.faults[stage]; f != nil {
		err = &smtp.SMTPError{Code: f.code, EnhancedCode: f.enhanced, Message: "injected failure at " + stage}
		if f.times > 0 {
			f.times--
			if f.times == 0 {
				delete(s.faults, stage)
			}
		}
	}
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	return drop, err
}

func (s *Server) deliver(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	if !s.cfg.discard {
		s.msgs = append(s.msgs, r)
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

type countingListener struct {
	net.Listener
	s *Server
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.s.mu.Lock()
		l.s.conns++
		l.s.mu.Unlock()
	}
	return c, err
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
