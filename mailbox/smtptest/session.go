package smtptest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// errDropped answers a command whose connection was just closed; the client
// never sees it.
var errDropped = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "dropped"}

// session is one SMTP connection's state.
type session struct {
	srv    *Server
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
}

// authSession adds AUTH to session; go-smtp advertises AUTH only for
// sessions that implement smtp.AuthSession.
type authSession struct{ *session }

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	sess := &session{srv: s, conn: c}
	if s.cfg.user != "" {
		return authSession{sess}, nil
	}
	return sess, nil
}

func (s *session) Reset() {
	s.from, s.to = "", nil
}

func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := s.check(StageMail); err != nil {
		return err
	}
	if s.srv.cfg.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from, s.to = from, nil
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.check(StageRcpt); err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	drop, fail := s.srv.injected(StageData)
	if drop {
		_ = s.conn.Conn().Close()
		return errDropped
	}
	var data []byte
	if s.srv.cfg.discard || fail != nil {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
	} else {
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(r); err != nil {
			return err
		}
		data = buf.Bytes()
	}
	// A data fault answers the final dot, after the whole body was read.
	if fail != nil {
		return fail
	}
	rcpts := append([]string(nil), s.to...)
	s.srv.deliver(Received{From: s.from, To: rcpts, Data: data, At: time.Now()})
	return nil
}

// check applies the injected behaviour for stage.
func (s *session) check(stage string) error {
	drop, err := s.srv.injected(stage)
	if drop {
		_ = s.conn.Conn().Close()
		return errDropped
	}
	return err
}

func (a authSession) AuthMechanisms() []string {
	return []string{sasl.Plain, sasl.OAuthBearer, "XOAUTH2"}
}

func (a authSession) Auth(mech string) (sasl.Server, error) {
	cfg := a.srv.cfg
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if user != cfg.user || pass != cfg.secret || (identity != "" && identity != user) {
				return smtp.ErrAuthFailed
			}
			a.authed = true
			return nil
		}), nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if o.Username != cfg.user || o.Token != cfg.secret {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			a.authed = true
			return nil
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) bool {
			ok := user == cfg.user && token == cfg.secret
			a.authed = a.authed || ok
			return ok
		}}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// xoauth2Server checks Google's XOAUTH2 initial response
// "user=U\x01auth=Bearer T\x01\x01".
type xoauth2Server struct {
	check  func(user, token string) bool
	failed bool
}

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if x.failed {
		// The client acknowledged the error challenge.
		return nil, true, smtp.ErrAuthFailed
	}
	var user, token string
	for _, f := range strings.Split(string(response), "\x01") {
		switch {
		case strings.HasPrefix(f, "user="):
			user = strings.TrimPrefix(f, "user=")
		case strings.HasPrefix(f, "auth=Bearer "):
			token = strings.TrimPrefix(f, "auth=Bearer ")
		}
	}
	if user == "" || token == "" {
		return nil, false, errors.New("malformed XOAUTH2 response")
	}
	if !x.check(user, token) {
		x.failed = true
		return []byte(`{"status":"401","schemes":"bearer"}`), false, nil
	}
	return nil, true, nil
}
