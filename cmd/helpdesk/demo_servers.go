package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"helpdesk/mailbox"
)

// demoMailbox is one account on the demo IMAP server: a shop's service
// mailbox, and the addresses whose mail the demo SMTP server delivers into
// it.
type demoMailbox struct {
	User, Password string
	Addresses      []string
}

// receivedMail is one message the demo SMTP server accepted.
type receivedMail struct {
	From  string
	To    []string
	Data  []byte
	At    time.Time
	Local bool // addressed to a demo mailbox, and delivered into it
}

// demoServers are the loopback IMAP and SMTP servers the demo daemon talks
// to. The IMAP server is go-imap's in-memory server (IDLE included); the
// SMTP server accepts every message and records it, and also delivers
// mail addressed to a shop into that shop's IMAP INBOX, so a user can feed
// the running demo with any SMTP client.
type demoServers struct {
	IMAPAddr, SMTPAddr string

	imap    *imapserver.Server
	smtp    *smtp.Server
	users   map[string]*imapmemserver.User // by user name
	local   map[string]string              // normalized address -> user name
	serving sync.WaitGroup

	mu       sync.Mutex
	received []receivedMail
}

// startDemoServers listens on 127.0.0.1 random ports. Close stops both.
func startDemoServers(boxes []demoMailbox) (*demoServers, error) {
	s := &demoServers{users: map[string]*imapmemserver.User{}, local: map[string]string{}}
	mem := imapmemserver.New()
	for _, b := range boxes {
		u := imapmemserver.NewUser(b.User, b.Password)
		if err := u.Create("INBOX", nil); err != nil {
			return nil, fmt.Errorf("creating INBOX of %s: %w", b.User, err)
		}
		mem.AddUser(u)
		s.users[b.User] = u
		for _, a := range b.Addresses {
			s.local[mailbox.NormalizeEmail(a)] = b.User
		}
	}
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		// go-imap's server always offers IDLE on top of these.
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}},
		Logger:       log.New(io.Discard, "", 0),
		InsecureAuth: true, // loopback only, security none
	})
	s.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &demoSMTPSession{srv: s}, nil
	}))
	s.smtp.Domain = "demo.localhost"
	s.smtp.EnableSMTPUTF8 = true
	s.smtp.MaxRecipients = 100
	s.smtp.MaxMessageBytes = 64 << 20
	s.smtp.ReadTimeout = time.Minute
	s.smtp.WriteTimeout = time.Minute
	s.smtp.ErrorLog = log.New(io.Discard, "", 0)

	imapLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo imap listen: %w", err)
	}
	smtpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		imapLn.Close()
		return nil, fmt.Errorf("demo smtp listen: %w", err)
	}
	s.IMAPAddr, s.SMTPAddr = imapLn.Addr().String(), smtpLn.Addr().String()
	s.serving.Add(2)
	go func() { defer s.serving.Done(); _ = s.imap.Serve(imapLn) }()
	go func() { defer s.serving.Done(); _ = s.smtp.Serve(smtpLn) }()
	return s, nil
}

// Close stops both servers and waits for them.
func (s *demoServers) Close() error {
	err := errors.Join(s.smtp.Close(), s.imap.Close())
	s.serving.Wait()
	return err
}

// Append delivers raw into user's INBOX, as an MTA would; IDLE sessions on
// that mailbox are told at once.
func (s *demoServers) Append(user string, raw []byte) error {
	u := s.users[user]
	if u == nil {
		return fmt.Errorf("no demo mailbox %q", user)
	}
	if _, err := u.Append("INBOX", bytes.NewReader(raw), &imap.AppendOptions{Time: time.Now()}); err != nil {
		return fmt.Errorf("appending to %s: %w", user, err)
	}
	return nil
}

// Received returns a copy of every message the SMTP server accepted, in
// arrival order.
func (s *demoServers) Received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.received...)
}

// demoSMTPSession accepts every sender and recipient.
type demoSMTPSession struct {
	srv  *demoServers
	from string
	to   []string
}

func (d *demoSMTPSession) Reset()        { d.from, d.to = "", nil }
func (d *demoSMTPSession) Logout() error { return nil }

func (d *demoSMTPSession) Mail(from string, _ *smtp.MailOptions) error {
	d.from, d.to = from, nil
	return nil
}

func (d *demoSMTPSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	d.to = append(d.to, to)
	return nil
}

func (d *demoSMTPSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := receivedMail{From: d.from, To: append([]string(nil), d.to...), Data: data, At: time.Now()}
	delivered := map[string]bool{}
	for _, rcpt := range d.to {
		user, ok := d.srv.local[mailbox.NormalizeEmail(strings.Trim(rcpt, "<>"))]
		if !ok || delivered[user] {
			continue
		}
		delivered[user] = true
		if err := d.srv.Append(user, data); err != nil {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
		}
		rec.Local = true
	}
	d.srv.mu.Lock()
	d.srv.received = append(d.srv.received, rec)
	d.srv.mu.Unlock()
	return nil
}

// freeLoopbackAddr returns a 127.0.0.1 address with a port that was free
// a moment ago, for the daemon's HTTP listener (serveApp listens on an
// address, not on a listener we could hand it).
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", err
	}
	return addr, nil
}
